"""Send doubtful aligned beads to Label Studio as review tasks, English pre-filled.

A bead below ``[align] review_threshold`` (or with one side empty) becomes a task whose
translation box already holds the aligned English and whose status is ``needs_review``:
the annotator confirms or fixes the pair instead of typing it. Tasks are keyed by the TM
pair id, so a repeated import sends nothing twice (``push_tasks`` is idempotent).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from workbench.config import Config
from workbench.labelstudio.client import api_errors, connect
from workbench.labelstudio.project import ensure_project, set_model_version
from workbench.labelstudio.results import STATUS, TRANSLATION
from workbench.labelstudio.sync import PushReport, push_tasks
from workbench.labelstudio.tasks import HASH_KEY, TEXT, TaskPayload, content_hash
from workbench.tm.store import TmPair

NEEDS_REVIEW = "needs_review"


def review_prediction(pair: TmPair) -> list[dict[str, Any]]:
    """The prediction that pre-fills the translation and marks the task for review."""
    result: list[dict[str, Any]] = [
        {
            "id": "aligned-status",
            "from_name": STATUS,
            "to_name": TEXT,
            "type": "choices",
            "origin": "prediction",
            "value": {"choices": [NEEDS_REVIEW]},
        }
    ]
    if pair.en:
        result.insert(
            0,
            {
                "id": "aligned-translation",
                "from_name": TRANSLATION,
                "to_name": TEXT,
                "type": "textarea",
                "origin": "prediction",
                "value": {"text": [pair.en]},
            },
        )
    return result


def review_tasks(pairs: Iterable[TmPair], model_version: str) -> list[TaskPayload]:
    """Build one review task per pair that has a zh side (0–1 beads have nothing to
    translate: they stay in the TM as needs_review)."""
    payloads = []
    for pair in pairs:
        if not pair.zh.strip():
            continue
        score = "" if pair.score is None else f"{pair.score:.2f}"
        data: dict[str, Any] = {
            "text": pair.zh,
            "sentence_id": pair.id,
            "doc_id": pair.provenance.get("doc_id") or "aligned",
            "doc_title": pair.provenance.get("publication") or "",
            "speaker": "",
            "prev": "",
            "next": "",
            # every key the labeling config shows must be present (Label Studio refuses
            # the import otherwise); an aligned pair has no corpus context to show
            "context_before": "",
            "context_after": "",
            "propose_link": "",
            "tm_suggestions": "",
            "glossary_hints": (
                f"Aligned from the official translation (score {score}); confirm or fix "
                "the English, then set the status."
            ),
            "terms": [],
            "origin": "aligned",
            "aligned_en": pair.en,
            "score": pair.score,
        }
        prediction = review_prediction(pair)
        data[HASH_KEY] = content_hash(data, prediction, model_version)
        payloads.append(TaskPayload(pair.id, data, prediction, model_version))
    return payloads


def push_review_tasks(config: Config, pairs: list[TmPair], client: Any = None) -> PushReport:
    """Push review tasks to the configured project (created if missing)."""
    if client is None:
        connection = connect(config)
        client, url = connection.client, connection.url
    else:
        url = ""
    # Label Studio pre-fills the editor from predictions of the project's model version:
    # use the version the project already shows (the glossary's), or name one.
    with api_errors(url, "read the project"):
        project = ensure_project(client, config, "aligned", url)
        current = client.projects.get(id=project.id).model_version
    model_version = current or "aligned"
    payloads = review_tasks(pairs, model_version)
    report = push_tasks(
        client,
        project,
        payloads,
        model_version,
        config.labelstudio.batch_size,
        url,
    )
    if not current:
        set_model_version(client, project.id, model_version, url)
    return report
