"""Which annotation counts for a task under each selection rule."""

from __future__ import annotations

import pytest
from test_export_pipeline import annotation as annotation_record

from workbench.errors import ConfigError
from workbench.export.select import select_annotation
from workbench.models import SnapshotAnnotation


def annotation(*args, **kwargs) -> SnapshotAnnotation:
    """A snapshot annotation as read back from disk (the pipeline tests build dicts)."""
    return SnapshotAnnotation.from_dict(annotation_record(*args, **kwargs))


OLD = annotation("Old.", status="final", annotator="a", updated="2026-01-01T00:00:00Z", id=1)
NEW = annotation("New.", status="draft", annotator="b", updated="2026-02-01T00:00:00Z", id=2)
REVIEW = annotation("Unsure.", status="needs_review", updated="2026-03-01T00:00:00Z", id=3)
SKIP = annotation(None, status=None, cancelled=True, updated="2026-04-01T00:00:00Z", id=4)
SAME_A = annotation("Same text.", status="draft", annotator="a", id=5)
SAME_B = annotation(
    "same  TEXT.", status="final", annotator="b", updated="2026-05-01T00:00:00Z", id=6
)

CASES = [
    ("latest", [], None, "no_annotation"),
    ("latest", [SKIP], None, "skipped"),
    ("latest", [OLD, NEW], "New.", None),
    ("latest", [OLD, NEW, SKIP], "New.", None),
    ("latest", [OLD, REVIEW], None, "needs_review"),
    ("latest", [annotation("  ", status="draft")], None, "untranslated"),
    ("final", [OLD, NEW], "Old.", None),
    ("final", [NEW], None, "not_final"),
    ("final", [NEW, REVIEW], None, "needs_review"),
    ("agreement", [OLD, NEW], None, "no_agreement"),
    ("agreement", [SAME_A, SAME_B, OLD], "same  TEXT.", None),
]


@pytest.mark.parametrize(("mode", "annotations", "translation", "reason"), CASES)
def test_selection_rules(mode, annotations, translation, reason) -> None:
    selection = select_annotation(annotations, mode)
    chosen = selection.annotation.translation if selection.annotation else None
    assert (chosen, selection.reason) == (translation, reason)


def test_agreement_quorum_is_configurable() -> None:
    assert (
        select_annotation([SAME_A, SAME_B], "agreement", agreement_min=3).reason == "no_agreement"
    )


def test_unknown_mode_names_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="latest, final, agreement"):
        select_annotation([OLD], "best")
