"""Pulled annotation snapshots: what Label Studio held at one moment, kept on disk.

``workbench pull`` writes one dated folder per pull and the exporter reads them, so a later
Label Studio outage loses nothing already pulled. Layout of
``<work_dir>/snapshots/<YYYYmmddTHHMMSSZ>/`` (``SNAPSHOT_FORMAT`` version 1)::

    manifest.json   {"format", "version", "created", "labelstudio_url", "project_id",
                     "project_title", "tasks", "annotations", "glossary_version",
                     "roles": {e-mail: role of each team member (workbench users)}}
    tasks.jsonl     one task record per line (``workbench.models.SnapshotTask``)

A task record::

    {"task_id": 12, "sentence_id": "...", "doc_id": "...", "doc_title": "...",
     "speaker": null, "text": "<zh sentence as shown to annotators>",
     "terms": [TermMatch dicts: the glossary pre-annotations],
     "annotations": [
        {"id": 7, "annotator": "a@example.org", "role": "annotator" | "reviewer" | null,
         "created_at": "...", "updated_at": "...",
         "lead_time": 12.5, "was_cancelled": false, "ground_truth": false,
         "translation": "..." | null, "status": "draft" | "final" | "needs_review" | null,
         "segmentation": "ok" | "merge" | "split" | null,
         "entities": [{"start": 0, "end": 5, "text": "...", "label": "POLICY_TERM",
                       "rendering": "..." | null}],
         "result": [<Label Studio's raw result items>],
         "translation_from_tm": true | false | null}],
     "tm_match": {...} | null, "tm_propagated": true | null}

Readers get ``SnapshotTask`` records (one typed shape; an unknown key is an error naming
the file and line); keys that older snapshots lack take their defaults.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workbench.errors import InputError
from workbench.fileio import atomic_directory, write_jsonl
from workbench.models import SnapshotTask

SNAPSHOT_FORMAT = "workbench-snapshot"
SNAPSHOT_VERSION = 1
STATUSES = ("draft", "final", "needs_review")
SEGMENTATION_FLAGS = ("ok", "merge", "split")


def snapshots_dir(work_dir: Path) -> Path:
    """Return the folder that holds all snapshots under a work folder."""
    return Path(work_dir) / "snapshots"


def new_snapshot_name(now: datetime | None = None) -> str:
    """Return a sortable UTC timestamp name for a new snapshot folder."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")


def write_snapshot(
    work_dir: Path,
    tasks: Iterable[SnapshotTask | dict[str, Any]],
    manifest: dict[str, Any],
    name: str | None = None,
) -> Path:
    """Write task records as a new snapshot folder, atomically; return its path."""
    root = snapshots_dir(work_dir)
    name = name or new_snapshot_name()
    path = root / name
    suffix = 1
    while path.exists():  # two pulls in one second must not overwrite each other
        path = root / f"{name}-{suffix}"
        suffix += 1
    with atomic_directory(path) as staging:
        n_tasks = n_annotations = 0
        with open(staging / "tasks.jsonl", "w", encoding="utf-8") as handle:
            for task in tasks:
                # Dicts (as pull builds them) go through the record type: one shape on disk.
                record = task if isinstance(task, SnapshotTask) else SnapshotTask.from_dict(task)
                write_jsonl(handle, [record.to_dict()])
                n_tasks += 1
                n_annotations += len(record.annotations)
        full = {
            "format": SNAPSHOT_FORMAT,
            "version": SNAPSHOT_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            **manifest,
            "tasks": n_tasks,
            "annotations": n_annotations,
        }
        (staging / "manifest.json").write_text(
            json.dumps(full, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return path


def list_snapshots(work_dir: Path) -> list[Path]:
    """Return complete snapshot folders, oldest first (partial ones are ignored)."""
    root = snapshots_dir(work_dir)
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").is_file()
    )


def resolve_snapshot(work_dir: Path, name: str | None = None) -> Path:
    """Return the named snapshot, or the latest one; a clear error when there is none."""
    snapshots = list_snapshots(work_dir)
    if name:
        candidate = Path(name)
        if not candidate.is_dir():
            candidate = snapshots_dir(work_dir) / name
        if not (candidate / "manifest.json").is_file():
            known = ", ".join(p.name for p in snapshots[-5:]) or "none"
            raise InputError(f"no snapshot {name!r}; recent snapshots: {known}")
        return candidate
    if not snapshots:
        raise InputError(
            f"no annotation snapshot under {snapshots_dir(work_dir)}; run 'workbench pull' first"
        )
    return snapshots[-1]


def read_snapshot_manifest(path: Path) -> dict[str, Any]:
    """Return a snapshot's manifest, checking its format and version."""
    manifest = json.loads((Path(path) / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("format") != SNAPSHOT_FORMAT or manifest.get("version") != SNAPSHOT_VERSION:
        raise InputError(f"{path}: not a {SNAPSHOT_FORMAT} v{SNAPSHOT_VERSION} snapshot")
    return manifest


def read_snapshot(path: Path) -> Iterator[SnapshotTask]:
    """Stream the task records of a snapshot folder; a bad line names file and line."""
    read_snapshot_manifest(path)
    tasks = Path(path) / "tasks.jsonl"
    with open(tasks, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{tasks}:{number}: not valid JSON ({exc.msg})") from None
            if not isinstance(data, dict):
                raise InputError(f"{tasks}:{number}: not a task record (a JSON object)")
            try:
                task = SnapshotTask.from_dict(data)
            except InputError as exc:  # the location is formatted only when it is needed
                raise InputError(f"{tasks}:{number}: {exc}") from None
            yield task
