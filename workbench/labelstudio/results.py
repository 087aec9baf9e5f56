"""Read Label Studio annotations back into the snapshot record format.

Label Studio stores an annotation as a flat list of result items, one per control and
region; the exporter wants named fields (translation, status, segmentation, entities with
their per-region English rendering). The raw result is kept alongside, so nothing the
annotator did is lost even if a field is not understood here.
"""

from __future__ import annotations

from typing import Any

from workbench.labelstudio.tasks import ENTITIES, RENDERING

TRANSLATION = "translation"
STATUS = "status"
SEGMENTATION = "segmentation"


def _first_text(value: dict[str, Any]) -> str | None:
    """Return a TextArea's text (a list of lines in Label Studio) as one string."""
    text = value.get("text")
    if isinstance(text, list):
        joined = "\n".join(str(t) for t in text if t is not None).strip()
        return joined or None
    if isinstance(text, str):
        return text.strip() or None
    return None


def _first_choice(value: dict[str, Any]) -> str | None:
    choices = value.get("choices") or []
    return str(choices[0]) if choices else None


def parse_result(result: list[dict[str, Any]]) -> dict[str, Any]:
    """Split a Label Studio result list into translation, status, segmentation, entities."""
    fields: dict[str, Any] = {
        "translation": None,
        "status": None,
        "segmentation": None,
        "entities": [],
    }
    regions: dict[str, dict[str, Any]] = {}
    renderings: dict[str, str | None] = {}
    for item in result or []:
        name = item.get("from_name")
        value = item.get("value") or {}
        if name == TRANSLATION:
            fields["translation"] = _first_text(value)
        elif name == STATUS:
            fields["status"] = _first_choice(value)
        elif name == SEGMENTATION:
            fields["segmentation"] = _first_choice(value)
        elif name == ENTITIES:
            labels = value.get("labels") or []
            region_id = str(item.get("id"))
            regions[region_id] = {
                "start": value.get("start"),
                "end": value.get("end"),
                "text": value.get("text"),
                "label": labels[0] if labels else None,
                "rendering": None,
            }
        elif name == RENDERING:
            renderings[str(item.get("id"))] = _first_text(value)
    for region_id, region in regions.items():
        region["rendering"] = renderings.get(region_id)
    fields["entities"] = sorted(
        regions.values(), key=lambda r: (r["start"] or 0, r["end"] or 0, r["label"] or "")
    )
    return fields


def annotation_record(annotation: dict[str, Any], users: dict[int, str]) -> dict[str, Any]:
    """Return the snapshot form of one Label Studio annotation (see workbench.snapshot)."""
    completed_by = annotation.get("completed_by")
    if isinstance(completed_by, dict):
        annotator = completed_by.get("email") or str(completed_by.get("id"))
    elif completed_by is None:
        annotator = None
    else:
        annotator = users.get(int(completed_by), str(completed_by))
    result = annotation.get("result") or []
    return {
        "id": annotation.get("id"),
        "annotator": annotator,
        "created_at": annotation.get("created_at"),
        "updated_at": annotation.get("updated_at"),
        "lead_time": annotation.get("lead_time"),
        "was_cancelled": bool(annotation.get("was_cancelled")),
        "ground_truth": bool(annotation.get("ground_truth")),
        **parse_result(result),
        "result": result,
    }
