"""Progress per annotator and per document, from a pulled snapshot.

Counts what a project lead asks on a Monday: how many tasks each person finished, how many
English words they wrote, and their median time per task (Label Studio's ``lead_time``,
the seconds the editor was open), and how far each document has come.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from workbench.models import SnapshotTask
from workbench.team.agreement import latest_per_annotator

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")


def count_words(text: str | None) -> int:
    """Return the number of English words in a translation."""
    return len(_WORD.findall(text or ""))


def compute_progress(records: Iterable[SnapshotTask]) -> dict[str, list[dict[str, Any]]]:
    """Return ``{"annotators": [...], "documents": [...]}`` rows, sorted by name/id."""
    tasks: dict[str, set[int]] = defaultdict(set)
    words: dict[str, int] = defaultdict(int)
    times: dict[str, list[float]] = defaultdict(list)
    roles: dict[str, str] = {}
    documents: dict[str, dict[str, Any]] = {}
    for record in records:
        doc_id = str(record.doc_id or "")
        doc = documents.setdefault(
            doc_id,
            {"doc_id": doc_id, "title": record.doc_title, "tasks": 0, "done": 0, "words": 0},
        )
        doc["tasks"] += 1
        latest = latest_per_annotator(record.annotations)
        if latest:
            doc["done"] += 1
        task_id = int(record.task_id or 0)
        best_words = 0
        for name, annotation in latest.items():
            tasks[name].add(task_id)
            n = count_words(annotation.translation)
            words[name] += n
            best_words = max(best_words, n)
            if annotation.role:
                roles[name] = str(annotation.role)
            lead = annotation.lead_time
            if isinstance(lead, int | float) and lead >= 0:
                times[name].append(float(lead))
        doc["words"] += best_words
    annotators = [
        {
            "annotator": name,
            "role": roles.get(name),
            "tasks_done": len(done),
            "words": words[name],
            "median_seconds": round(statistics.median(times[name]), 1) if times[name] else None,
        }
        for name, done in sorted(tasks.items())
    ]
    rows = sorted(documents.values(), key=lambda d: d["doc_id"])
    for row in rows:
        row["share_done"] = round(row["done"] / row["tasks"], 4) if row["tasks"] else 0.0
    return {"annotators": annotators, "documents": rows}
