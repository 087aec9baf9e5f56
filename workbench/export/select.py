"""Which annotation of a task counts, and why a task was left out.

A task can carry several annotations (two annotators, a redo, a skip). Trainers need one
translation per sentence, so the exporter picks exactly one by a configured rule and counts
every task it leaves out by reason, so the dataset card can say what was dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.errors import ConfigError
from workbench.models import SnapshotAnnotation
from workbench.text.compare import normalise_translation

SELECTION_MODES = ("latest", "final", "agreement", "reviewed")

# Reasons a task yields no pair; the keys of the "left out" counts in manifest and card.
SKIPPED = "skipped"  # every annotation was cancelled ("Skip" in Label Studio)
NEEDS_REVIEW = "needs_review"
NO_ANNOTATION = "no_annotation"
UNTRANSLATED = "untranslated"  # chosen annotation has no translation
NOT_FINAL = "not_final"  # selection = final and no annotation is final
NO_AGREEMENT = "no_agreement"  # selection = agreement and too few annotators agree
NO_SOURCE = "no_source"  # the sentence itself is blank once cleaned (control characters)
NOT_REVIEWED = "not_reviewed"  # selection = reviewed and no reviewer has decided
RESEGMENTED = "resegmented"  # the sentence was merged or split away (workbench resegment)


@dataclass(frozen=True, slots=True)
class Selection:
    """The outcome for one task: the annotation that counts, or the reason there is none."""

    annotation: SnapshotAnnotation | None
    reason: str | None = None


def check_mode(mode: str) -> str:
    """Return ``mode`` if it is a known selection rule, else a ConfigError naming them."""
    if mode not in SELECTION_MODES:
        raise ConfigError(
            f"[export] selection = {mode!r} is unknown; use one of {', '.join(SELECTION_MODES)}"
        )
    return mode


def _recency(annotation: SnapshotAnnotation) -> tuple[str, str, int]:
    return (
        str(annotation.updated_at or ""),
        str(annotation.created_at or ""),
        int(annotation.id or 0),
    )


def select_annotation(
    annotations: list[SnapshotAnnotation] | None, mode: str = "latest", agreement_min: int = 2
) -> Selection:
    """Pick the annotation that counts for a task under ``mode``.

    - ``latest``: the most recently updated annotation that was not skipped;
    - ``final``: the most recent one whose status is ``final``;
    - ``agreement``: the most recent of at least ``agreement_min`` annotations that give the
      same translation (compared case- and spacing-insensitively);
    - ``reviewed``: the most recent decision of a reviewer (an annotation by a team member
      with the reviewer role, or one marked ground truth in Label Studio).

    A chosen annotation marked ``needs_review`` or lacking a translation yields no pair.
    """
    check_mode(mode)
    annotations = list(annotations or [])
    if not annotations:
        return Selection(None, NO_ANNOTATION)
    live = sorted((a for a in annotations if not a.was_cancelled), key=_recency)
    if not live:
        return Selection(None, SKIPPED)

    if mode == "latest":
        chosen = live[-1]
    elif mode == "reviewed":
        decisions = [a for a in live if a.is_reviewer_decision]
        decided = [a for a in decisions if a.status != "needs_review"]
        if not decided:
            return Selection(None, NEEDS_REVIEW if decisions else NOT_REVIEWED)
        chosen = decided[-1]
    elif mode == "final":
        finals = [a for a in live if a.status == "final"]
        if not finals:
            reviewing = live[-1].status == "needs_review"
            return Selection(None, NEEDS_REVIEW if reviewing else NOT_FINAL)
        chosen = finals[-1]
    else:
        groups: dict[str, list[SnapshotAnnotation]] = {}
        for annotation in live:
            key = normalise_translation(annotation.translation)
            if key and annotation.status != "needs_review":
                groups.setdefault(key, []).append(annotation)
        agreeing = [g for g in groups.values() if len(g) >= agreement_min]
        if not agreeing:
            reviewing = live[-1].status == "needs_review"
            return Selection(None, NEEDS_REVIEW if reviewing else NO_AGREEMENT)
        chosen = max((g[-1] for g in agreeing), key=_recency)

    if chosen.status == "needs_review":
        return Selection(None, NEEDS_REVIEW)
    if not normalise_translation(chosen.translation):
        return Selection(None, UNTRANSLATED)
    return Selection(chosen)
