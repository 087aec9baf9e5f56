"""The review queue: tasks a reviewer must settle, and whether they are settled.

A task enters the queue when its annotators disagree (``workbench.team.agreement``
thresholds in ``[team]``) or when any annotator marked it ``needs_review``. A reviewer
settles it in Label Studio by submitting an annotation of their own (they see the others'
annotations as tabs of the same task); ``pull`` records each annotation's team role, and
the export's ``reviewed`` selection takes the reviewer's decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from workbench.models import SnapshotAnnotation, SnapshotTask
from workbench.team.agreement import compare_pair, latest_per_annotator

REVIEWER = "reviewer"


@dataclass
class ReviewItem:
    """One task in the review queue."""

    task_id: int
    sentence_id: str | None
    doc_id: str | None
    text: str
    reasons: list[str]
    translations: dict[str, str | None]
    decision: SnapshotAnnotation | None = None  # the reviewer's annotation, once settled
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def settled(self) -> bool:
        return self.decision is not None

    def row(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "sentence_id": self.sentence_id,
            "doc_id": self.doc_id,
            "text": self.text,
            "reasons": self.reasons,
            "translations": self.translations,
            "settled": self.settled,
            "settled_by": self.decision.annotator if self.decision else None,
            "decision": self.decision.translation if self.decision else None,
        }


def is_review_decision(annotation: SnapshotAnnotation) -> bool:
    """Tell whether an annotation is a reviewer's decision (role or ground truth)."""
    if annotation.was_cancelled or annotation.status == "needs_review":
        return False
    return annotation.role == REVIEWER or annotation.ground_truth


def review_decision(annotations: Iterable[SnapshotAnnotation]) -> SnapshotAnnotation | None:
    """Return the most recent reviewer decision among a task's annotations, if any."""
    decisions = [a for a in annotations if is_review_decision(a)]
    if not decisions:
        return None
    return max(decisions, key=lambda a: (str(a.updated_at or ""), int(a.id or 0)))


def review_queue(
    records: Iterable[SnapshotTask], chrf_below: float, entity_f1_below: float
) -> list[ReviewItem]:
    """Return every task that needs or had a review, in task order."""
    items: list[ReviewItem] = []
    for record in records:
        annotations = record.annotations
        work = [a for a in annotations if not is_review_decision(a)]
        latest = latest_per_annotator(a for a in work if a.role != REVIEWER)
        reasons = [
            f"marked needs_review by {name}"
            for name, a in sorted(latest.items())
            if a.status == "needs_review"
        ]
        names = sorted(latest)
        task_id = int(record.task_id or 0)
        lowest_chrf: float | None = None
        lowest_f1 = 1.0
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                pair = compare_pair(task_id, a, b, latest[a], latest[b])
                if pair.chrf is not None:
                    lowest_chrf = pair.chrf if lowest_chrf is None else min(lowest_chrf, pair.chrf)
                lowest_f1 = min(lowest_f1, pair.entity_f1)
        if lowest_chrf is not None and lowest_chrf < chrf_below:
            reasons.append(f"translations disagree (chrF {lowest_chrf:.2f} < {chrf_below:.2f})")
        if lowest_f1 < entity_f1_below:
            reasons.append(f"entities disagree (span F1 {lowest_f1:.2f} < {entity_f1_below:.2f})")
        decision = review_decision(annotations)
        if not reasons and decision is None:
            continue
        items.append(
            ReviewItem(
                task_id=task_id,
                sentence_id=record.sentence_id,
                doc_id=record.doc_id,
                text=str(record.text or ""),
                reasons=reasons or ["reviewed without a flag"],
                translations={n: latest[n].translation for n in names},
                decision=decision,
            )
        )
    return items
