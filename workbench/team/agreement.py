"""Inter-annotator agreement on translations and entities.

For every task that two or more annotators worked on (each annotator's latest, non-skipped
annotation counts), compare every pair of annotators:

- translation: chrF (sacrebleu, character n-grams, robust to the word-order freedom two
  good translations have), made symmetric by averaging both directions, and exact match
  after normalisation (NFKC, case and spacing folded: the export's own comparison);
- entities: span F1 (a span agrees when start, end and label all match) and, over the whole
  snapshot, Krippendorff's alpha (nominal) on per-character labels — the chance-corrected
  figure INCEpTION and most annotation papers report.

Scores are 0–1. A task *disagrees* when its lowest pairwise chrF or entity F1 falls below
the thresholds in ``[team]`` (``review_chrf_below``, ``review_entity_f1_below``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from workbench.models import SnapshotAnnotation, SnapshotTask
from workbench.text.compare import normalise_translation

NO_LABEL = "O"


@dataclass(frozen=True)
class PairAgreement:
    """Agreement of two annotators on one task."""

    task_id: int
    first: str
    second: str
    chrf: float | None  # None when either has no translation
    exact: bool | None
    entity_f1: float


@dataclass
class TaskAgreement:
    """Agreement figures of one task with two or more annotators."""

    task_id: int
    sentence_id: str | None
    doc_id: str | None
    text: str
    annotators: list[str]
    translations: dict[str, str | None]
    pairs: list[PairAgreement] = field(default_factory=list)

    @property
    def chrf_min(self) -> float | None:
        scores = [p.chrf for p in self.pairs if p.chrf is not None]
        return min(scores) if scores else None

    @property
    def chrf_mean(self) -> float | None:
        scores = [p.chrf for p in self.pairs if p.chrf is not None]
        return sum(scores) / len(scores) if scores else None

    @property
    def exact(self) -> bool | None:
        values = [p.exact for p in self.pairs if p.exact is not None]
        return all(values) if values else None

    @property
    def entity_f1_min(self) -> float:
        return min(p.entity_f1 for p in self.pairs)

    def disagrees(self, chrf_below: float, entity_f1_below: float) -> bool:
        """Tell whether the task needs a reviewer under the given thresholds."""
        chrf = self.chrf_min
        return (chrf is not None and chrf < chrf_below) or self.entity_f1_min < entity_f1_below

    def row(self) -> dict[str, Any]:
        """Return the task's figures as one flat row (CSV and JSON)."""
        return {
            "task_id": self.task_id,
            "sentence_id": self.sentence_id,
            "doc_id": self.doc_id,
            "annotators": len(self.annotators),
            "chrf_mean": _round(self.chrf_mean),
            "chrf_min": _round(self.chrf_min),
            "exact": self.exact,
            "entity_f1_min": _round(self.entity_f1_min),
        }


@dataclass
class AgreementReport:
    """Agreement over a snapshot: per task, per annotator pair and overall."""

    tasks: list[TaskAgreement]
    pairwise: list[dict[str, Any]]
    overall: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall,
            "pairwise": self.pairwise,
            "tasks": [t.row() for t in self.tasks],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def latest_per_annotator(
    annotations: Iterable[SnapshotAnnotation],
) -> dict[str, SnapshotAnnotation]:
    """Return each annotator's most recent non-skipped annotation of a task."""
    chosen: dict[str, SnapshotAnnotation] = {}
    ordered = sorted(
        (a for a in annotations if not a.was_cancelled and a.annotator),
        key=lambda a: (str(a.updated_at or ""), int(a.id or 0)),
    )
    for annotation in ordered:
        chosen[str(annotation.annotator)] = annotation
    return chosen


def chrf(first: str, second: str) -> float:
    """Return symmetric sentence chrF (0–1) of two translations."""
    from sacrebleu.metrics import CHRF

    metric = _chrf_metric(CHRF)
    forward = metric.sentence_score(first, [second]).score
    backward = metric.sentence_score(second, [first]).score
    return (forward + backward) / 200.0


_METRIC: list[Any] = []


def _chrf_metric(cls: Any) -> Any:
    if not _METRIC:
        _METRIC.append(cls())
    return _METRIC[0]


def _spans(annotation: SnapshotAnnotation) -> set[tuple[int, int, str]]:
    return {
        (int(e["start"]), int(e["end"]), str(e.get("label") or ""))
        for e in annotation.entities
        if e.get("start") is not None and e.get("end") is not None
    }


def span_f1(first: set[tuple[int, int, str]], second: set[tuple[int, int, str]]) -> float:
    """Return F1 of two span sets (1.0 when both are empty: nothing to disagree on)."""
    if not first and not second:
        return 1.0
    common = len(first & second)
    return 2 * common / (len(first) + len(second))


def compare_pair(
    task_id: int, a: str, b: str, first: SnapshotAnnotation, second: SnapshotAnnotation
) -> PairAgreement:
    """Compare two annotators' annotations of one task."""
    left, right = first.translation, second.translation
    if normalise_translation(left) and normalise_translation(right):
        score = chrf(str(left), str(right))
        exact = normalise_translation(left) == normalise_translation(right)
    else:
        score, exact = None, None
    return PairAgreement(task_id, a, b, score, exact, span_f1(_spans(first), _spans(second)))


def char_labels(text: str, annotation: SnapshotAnnotation) -> list[str]:
    """Return one label per character of ``text`` (``O`` outside every entity)."""
    labels = [NO_LABEL] * len(text)
    for start, end, label in sorted(_spans(annotation)):
        for i in range(max(0, start), min(len(text), end)):
            labels[i] = label or "ENTITY"
    return labels


def krippendorff_alpha(units: list[dict[str, str]], annotators: list[str]) -> float | None:
    """Return nominal Krippendorff's alpha over labelled units (None when undefined)."""
    import numpy as np

    if len(annotators) < 2 or not units:
        return None
    codes: dict[str, int] = {}
    data = np.full((len(annotators), len(units)), np.nan)
    index = {name: i for i, name in enumerate(annotators)}
    for j, unit in enumerate(units):
        for name, label in unit.items():
            data[index[name], j] = codes.setdefault(label, len(codes))
    if len(codes) < 2:
        return 1.0  # everyone gave the same single label everywhere: perfect, not undefined
    import krippendorff

    value = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    return None if math.isnan(value) else value


def compute_agreement(records: Iterable[SnapshotTask]) -> AgreementReport:
    """Compute agreement over snapshot task records."""
    tasks: list[TaskAgreement] = []
    units: list[dict[str, str]] = []
    everyone: set[str] = set()
    for record in records:
        latest = latest_per_annotator(record.annotations)
        if len(latest) < 2:
            continue
        names = sorted(latest)
        everyone.update(names)
        text = str(record.text or "")
        task = TaskAgreement(
            task_id=int(record.task_id or 0),
            sentence_id=record.sentence_id,
            doc_id=record.doc_id,
            text=text,
            annotators=names,
            translations={n: latest[n].translation for n in names},
        )
        for a, b in combinations(names, 2):
            task.pairs.append(compare_pair(task.task_id, a, b, latest[a], latest[b]))
        tasks.append(task)
        per_char = {n: char_labels(text, latest[n]) for n in names}
        units.extend({n: per_char[n][i] for n in names} for i in range(len(text)))

    by_pair: dict[tuple[str, str], list[PairAgreement]] = defaultdict(list)
    for task in tasks:
        for pair in task.pairs:
            by_pair[(pair.first, pair.second)].append(pair)
    pairwise = [_pair_row(a, b, pairs) for (a, b), pairs in sorted(by_pair.items())]
    all_pairs = [p for t in tasks for p in t.pairs]
    overall = {
        "tasks_compared": len(tasks),
        "annotators": sorted(everyone),
        **_summary(all_pairs),
        "entity_alpha": _round(krippendorff_alpha(units, sorted(everyone))),
    }
    return AgreementReport(tasks=tasks, pairwise=pairwise, overall=overall)


def _summary(pairs: list[PairAgreement]) -> dict[str, Any]:
    scored = [p.chrf for p in pairs if p.chrf is not None]
    exact = [p.exact for p in pairs if p.exact is not None]
    return {
        "pairs": len(pairs),
        "chrf_mean": _round(sum(scored) / len(scored)) if scored else None,
        "exact_rate": _round(sum(exact) / len(exact)) if exact else None,
        "entity_f1_mean": _round(sum(p.entity_f1 for p in pairs) / len(pairs)) if pairs else None,
    }


def _pair_row(a: str, b: str, pairs: list[PairAgreement]) -> dict[str, Any]:
    summary = _summary(pairs)
    return {"first": a, "second": b, "tasks": summary.pop("pairs"), **summary}
