"""The glossary as a Label Studio ML backend: pre-annotations for tasks added in the UI.

``workbench push`` sends its own predictions; tasks an annotator imports through Label
Studio's UI have none. Connected to the project as an ML backend, this small app answers
Label Studio's ``/predict`` calls with the same POLICY_TERM regions and renderings, under
the same model version (``glossary-<version>``), so Label Studio asks it only for tasks
that lack a glossary prediction.

Protocol (what Label Studio 1.23 calls): ``GET /health``, ``POST /setup`` (answers the
model version), ``POST /predict`` with ``{"tasks": [...]}`` answering
``{"results": [{"result": [...], "score": ..., "model_version": ...}, ...]}`` (one per task,
in order), and ``POST /webhook`` / ``/train`` (accepted, nothing to learn).

With a translation memory (``[tm] suggest``), each prediction also pre-fills the
translation box with the best TM match, scored, under the combined model version
``glossary-<version>+tm-<version>`` that ``push`` uses (see ``workbench.tm.suggest``). The
TM is reopened when it changed, so annotations pulled meanwhile are suggested at once.
"""

from __future__ import annotations

import argparse
from typing import Any

from flask import Flask, jsonify, request

from workbench.config import Config, load_config
from workbench.labelstudio.tasks import model_version_for, term_regions

MODEL_CLASS = "WorkbenchGlossary"


class _TmSuggestions:
    """The TM side of the backend: a suggester reopened when the TM file changes."""

    def __init__(self, config: Config | None) -> None:
        self.config = config
        self.suggester: Any = None
        self.stamp: tuple[tuple[int, int], ...] | None = None

    def current(self) -> Any:
        if self.config is None:
            return None
        from workbench.tm.store import tm_path
        from workbench.tm.suggest import open_suggester

        path = tm_path(self.config)
        wal = path.with_name(path.name + "-wal")
        stamp = tuple(
            (p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else (0, 0) for p in (path, wal)
        )
        if stamp != self.stamp:
            if self.suggester is not None:
                self.suggester.close()
            self.suggester = open_suggester(self.config)
            self.stamp = stamp
        return self.suggester


def create_ml_app(config: Config | None = None, glossary: Any = None) -> Flask:
    """Build the ML backend app around the glossary (loaded once, from ``config``);
    ``config`` may be None only when ``glossary`` is given (no TM suggestions then)."""
    if glossary is None:
        from workbench.glossary import load_glossary

        if config is None:
            raise TypeError("create_ml_app needs the loaded Config or a glossary")
        glossary = load_glossary(config=config)
    from workbench.tm.suggest import combined_model_version, translation_result

    matcher = glossary.matcher()
    glossary_version = model_version_for(glossary.version)
    tm = _TmSuggestions(config)
    app = Flask(__name__)

    def current_version() -> str:
        suggester = tm.current()
        return combined_model_version(glossary_version, suggester and suggester.version)

    @app.get("/health")
    @app.get("/")
    def health() -> Any:
        return jsonify(status="UP", model_class=MODEL_CLASS, model_version=current_version())

    @app.post("/setup")
    def setup() -> Any:
        return jsonify(model_version=current_version())

    @app.post("/predict")
    def predict() -> Any:
        payload = request.get_json(silent=True) or {}
        suggester = tm.current()
        model_version = combined_model_version(glossary_version, suggester and suggester.version)
        results = []
        for task in payload.get("tasks") or []:
            text = str(((task or {}).get("data") or {}).get("text") or "")
            terms = matcher.find(text) if text else []
            result = term_regions(text, terms)
            score = 1.0 if terms else 0.0
            if suggester is not None and text:
                suggestion = suggester.suggest(text)
                result += translation_result(suggestion)
                if suggestion.best is not None:
                    # the prediction's score is the TM score (a Data Manager column)
                    score = round(suggestion.best.score, 4)
            results.append({"result": result, "score": score, "model_version": model_version})
        return jsonify(results=results, model_version=model_version)

    @app.post("/webhook")
    @app.post("/train")
    def ignore() -> Any:
        return jsonify(status="ok")

    return app


def main(argv: list[str] | None = None) -> None:
    """Serve the ML backend with waitress (``python -m workbench.labelstudio.ml_backend``)."""
    from waitress import serve

    parser = argparse.ArgumentParser(description="Glossary pre-annotations for Label Studio")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    serve(create_ml_app(load_config()), host=args.host, port=args.port, threads=2)


if __name__ == "__main__":
    main()
