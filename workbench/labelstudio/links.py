"""Links from a sentence id back to its Label Studio task, with the pair as annotated.

QA findings and other reports name sentence ids; a reviewer acts on a finding in Label
Studio, so each finding is shown with the task's address and the zh/en pair the check
looked at. Both come from the snapshot the report was made from: its manifest records
the Label Studio URL and project, its tasks the text and annotations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workbench.export.select import select_annotation
from workbench.snapshot import read_snapshot, read_snapshot_manifest


@dataclass(frozen=True, slots=True)
class TaskLink:
    """Where a sentence is annotated, and the pair chosen from it."""

    sentence_id: str
    task_id: int | None
    url: str | None
    zh: str
    en: str | None


def task_url(
    labelstudio_url: str | None, project_id: int | None, task_id: int | None
) -> str | None:
    """Return the address that opens one task in Label Studio's labeling view, or None."""
    if not labelstudio_url or project_id is None or task_id is None:
        return None
    return f"{labelstudio_url.rstrip('/')}/projects/{project_id}/data?task={task_id}"


def task_links(
    snapshot: Path,
    sentence_ids: Iterable[str] | None = None,
    selection: str = "latest",
    agreement_min: int = 2,
) -> dict[str, TaskLink]:
    """Map sentence id → ``TaskLink`` for a snapshot's tasks (only ``sentence_ids`` if given).

    The English is the annotation the export's ``selection`` rule chooses, so a finding is
    shown next to the very translation it is about; None when no annotation counts.
    """
    manifest = read_snapshot_manifest(snapshot)
    wanted = set(sentence_ids) if sentence_ids is not None else None
    base, project = manifest.get("labelstudio_url"), manifest.get("project_id")
    links: dict[str, TaskLink] = {}
    for task in read_snapshot(snapshot):
        sentence_id = str(task.sentence_id or task.task_id)
        if wanted is not None and sentence_id not in wanted:
            continue
        chosen = select_annotation(task.annotations, selection, agreement_min).annotation
        links[sentence_id] = TaskLink(
            sentence_id=sentence_id,
            task_id=task.task_id,
            url=task_url(base, project, task.task_id),
            zh=str(task.text or ""),
            en=chosen.translation if chosen is not None else None,
        )
    return links
