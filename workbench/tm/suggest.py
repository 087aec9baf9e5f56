"""TM suggestions in Label Studio tasks, and learning from pulled annotations.

``workbench push`` and the ML backend look every sentence up in the TM. The best match
scoring at least ``[tm] suggest_min_score`` goes into the translation box as part of the
task's prediction (Label Studio pre-fills a control only from a prediction, and only
from those of the project's model version, so glossary regions and the TM translation
travel in one prediction named after both: ``glossary-<version>+tm-<version>``). The
score, origin and up to ``[tm] hint_matches`` further matches are written into the task
data (``tm_suggestions``, shown under the translation box; ``tm_match``, read back by
pull to record whether the submitted translation is the suggestion unchanged).

An exact match (score 1) of a pair that came from a final annotation is propagated when
``[tm] propagate_exact`` is on: a new task is imported with a final annotation holding
that translation, marked in the task data (``tm_propagated``). Only new tasks get one, so
an annotator's work is never overwritten.

``learn_from_records`` puts every final, non-cancelled annotation of a pulled snapshot
into the TM (origin ``annotated``), so the next push or ML-backend call suggests it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from workbench.config import Config
from workbench.models import SnapshotTask
from workbench.tm.fuzzy import FuzzyMatcher, TmMatch
from workbench.tm.store import TmPair, TranslationMemory, tm_path

TM_DATA = "tm_suggestions"  # text shown in the task (config/labeling.xml)
TM_MATCH = "tm_match"  # the suggestion offered, read back by pull
TM_HASH = "tm_hash"  # hash of the TM part of a task (push updates on change)
TM_PROPAGATED = "tm_propagated"
TRANSLATION = "translation"  # TextArea name in config/labeling.xml
NO_SUGGESTION = "(no translation-memory match)"


@dataclass
class TaskSuggestion:
    """What the TM offers for one sentence."""

    best: TmMatch | None = None
    others: list[TmMatch] = field(default_factory=list)
    propagate: bool = False


def tm_version(tm: TranslationMemory) -> str:
    """A short name of the TM's current content (changes whenever pairs are added)."""
    count, newest, updated = tm.db.execute(
        "SELECT COUNT(*), COALESCE(MAX(rowid), 0), COALESCE(MAX(updated_at), '') FROM pairs"
    ).fetchone()
    return hashlib.sha1(f"{count}:{newest}:{updated}".encode()).hexdigest()[:8]


def combined_model_version(glossary_model_version: str, version: str | None) -> str:
    """Name the prediction after the glossary and, when it suggests, the TM version."""
    return f"{glossary_model_version}+tm-{version}" if version else glossary_model_version


def glossary_part(model_version: str | None) -> str | None:
    """Return the glossary model version inside a combined one."""
    return model_version.split("+tm-", 1)[0] if model_version else model_version


class TaskSuggester:
    """Looks sentences up for tasks (one open TM, one matcher)."""

    def __init__(
        self,
        tm: TranslationMemory,
        min_score: float = 0.75,
        hint_matches: int = 3,
        propagate_exact: bool = False,
    ) -> None:
        self.tm = tm
        self.matcher = FuzzyMatcher(tm)
        self.matcher.refresh()
        self.min_score = min_score
        self.hint_matches = hint_matches
        self.propagate_exact = propagate_exact
        self.version = tm_version(tm)

    @classmethod
    def from_config(cls, config: Config) -> TaskSuggester | None:
        """Open the configured TM; None when suggestions are off or there is no TM yet."""
        section = config.tm
        if not section.suggest:
            return None
        path = tm_path(config)
        if not path.exists():
            return None
        tm = TranslationMemory(path)
        if not tm.count():
            tm.close()
            return None
        return cls(
            tm,
            section.suggest_min_score,
            section.hint_matches,
            section.propagate_exact,
        )

    def close(self) -> None:
        """Close the TM."""
        self.tm.close()

    def suggest(self, text: str) -> TaskSuggestion:
        """Return the best match above the threshold and the further ones for the hints."""
        matches = self.matcher.lookup(text, self.min_score, 1 + self.hint_matches)
        if not matches:
            return TaskSuggestion()
        best = matches[0]
        exact = best.score >= 1.0 and best.match_norm == best.query_norm
        final = best.pair.origin == "annotated" and best.pair.status == "accepted"
        return TaskSuggestion(best, matches[1:], self.propagate_exact and exact and final)


def describe(match: TmMatch) -> str:
    """One hint line: score, origin and the English offered."""
    return f"{match.score:.0%} {match.pair.origin}: {match.suggestion}  ← {match.pair.zh}"


def task_data(suggestion: TaskSuggestion) -> dict[str, Any]:
    """Task data keys for a suggestion (text for the annotator, the match for pull)."""
    best = suggestion.best
    if best is None:
        return {TM_DATA: NO_SUGGESTION, TM_MATCH: None}
    lines = [f"In the translation box: {describe(best)}"]
    if best.substituted:
        lines.append("  numbers changed to the sentence's: " + ", ".join(
            f"{old} → {new}" for old, new in best.substituted
        ))  # fmt: skip
    if suggestion.propagate:
        lines.append("  propagated: exact repeat of a final translation, submitted for you")
    lines += [f"Also: {describe(m)}" for m in suggestion.others]
    data: dict[str, Any] = {
        TM_DATA: "\n".join(lines),
        TM_MATCH: {
            "id": best.pair.id,
            "score": round(best.score, 4),
            "origin": best.pair.origin,
            "suggestion": best.suggestion,
        },
    }
    if suggestion.propagate:
        data[TM_PROPAGATED] = best.pair.id
    return data


def translation_result(suggestion: TaskSuggestion) -> list[dict[str, Any]]:
    """The prediction item that pre-fills the translation box (empty without a match)."""
    if suggestion.best is None:
        return []
    return [_translation_item(suggestion.best.suggestion)]


def _translation_item(english: str) -> dict[str, Any]:
    return {
        "id": "tm-translation",
        "from_name": TRANSLATION,
        "to_name": "text",
        "type": "textarea",
        "origin": "prediction",
        "value": {"text": [english]},
    }


def tm_hash(data: dict[str, Any], result: list[dict[str, Any]], version: str | None) -> str:
    """Hash the TM part of a task, so push updates a task whose suggestion changed."""
    blob = repr((data.get(TM_DATA), data.get(TM_MATCH), result, version))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def came_from_tm(annotation: dict[str, Any], match: dict[str, Any] | None) -> bool | None:
    """Whether a pulled annotation's translation is the TM suggestion unchanged.

    None when the task offered no suggestion. Label Studio also marks a result item taken
    over from a prediction untouched with ``origin: prediction``; the text comparison
    covers an annotator who retyped the same words.
    """
    if not match:
        return None
    translation = annotation.get("translation")
    if not translation:
        return False
    return bool(translation.strip() == str(match.get("suggestion", "")).strip())


def learn_from_records(tm: TranslationMemory, records: Iterable[SnapshotTask], source: str) -> int:
    """Add every final annotation's (sentence, translation) to the TM; return how many new."""
    pairs = []
    for record in records:
        text = record.text or ""
        for annotation in record.annotations:
            translation = (annotation.translation or "").strip()
            if annotation.was_cancelled or annotation.status != "final":
                continue
            if not (text.strip() and translation):
                continue
            pairs.append(
                TmPair(
                    zh=text,
                    en=translation,
                    origin="annotated",
                    status="accepted",
                    provenance={"doc_id": record.doc_id, "source_file": source},
                    created_at=annotation.updated_at or annotation.created_at or "",
                )
            )
    if not pairs:
        return 0
    return tm.add_pairs(pairs).added


def with_suggestions(
    payloads: list[Any], suggester: TaskSuggester, model_version: str
) -> list[Any]:
    """Return the task payloads with TM suggestions added (see the module docstring)."""
    combined = combined_model_version(model_version, suggester.version)
    out = []
    for payload in payloads:
        suggestion = suggester.suggest(str(payload.data.get("text") or ""))
        data = {**payload.data, **task_data(suggestion)}
        result = translation_result(suggestion)
        data[TM_HASH] = tm_hash(data, result, suggester.version)
        # ``replace`` keeps the payload's own type: the TM sits below Label Studio's layer.
        out.append(
            dataclasses.replace(
                payload, data=data, prediction=payload.prediction + result, model_version=combined
            )
        )
    return out


def without_suggestions(payloads: list[Any]) -> list[Any]:
    """Give tasks the TM data key even without a TM (the labeling config shows it)."""
    for payload in payloads:
        payload.data[TM_DATA] = NO_SUGGESTION
        payload.data[TM_HASH] = tm_hash(payload.data, [], None)
    return payloads


def import_record(payload: Any) -> dict[str, Any]:
    """The import JSON of a task: its prediction scored, a propagated match as annotation."""
    task = payload.to_import()
    match = payload.data.get(TM_MATCH)
    if match and task.get("predictions"):
        task["predictions"][0]["score"] = match["score"]
    if payload.data.get(TM_PROPAGATED) and match:
        status = {
            "id": "tm-status",
            "from_name": "status",
            "to_name": "text",
            "type": "choices",
            "origin": "prediction",
            "value": {"choices": ["final"]},
        }
        translation = _translation_item(match["suggestion"])
        task["annotations"] = [{"result": [translation, status], "ground_truth": False}]
    return task


def open_suggester(config: Config) -> TaskSuggester | None:
    """``TaskSuggester.from_config`` (kept short for callers)."""
    return TaskSuggester.from_config(config)


def learn_from_snapshot(config: Config, records: Iterable[SnapshotTask], source: str) -> int:
    """Add a pulled snapshot's final annotations to the configured TM (``[tm] learn``)."""
    if not config.tm.learn:
        return 0
    with TranslationMemory(tm_path(config)) as tm:
        return learn_from_records(tm, records, source)
