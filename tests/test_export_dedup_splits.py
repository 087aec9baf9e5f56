"""Duplicate detection and document splits."""

from __future__ import annotations

import pytest

from workbench.export.dedup import Deduplicator, band_layout, simhash
from workbench.export.splits import assign_splits

ZH = "全省农村贫困人口减少16.3万人，贫困发生率下降到3.34%，脱贫攻坚取得决定性进展。"
EN = "The rural poor population fell by 163,000 and the poverty headcount ratio to 3.34 percent."


def test_exact_duplicates_ignore_case_width_and_punctuation() -> None:
    dedup = Deduplicator(near_bits=-1)
    assert dedup.check(ZH, EN) is None
    assert dedup.check(ZH.replace("，", ","), EN.upper()) == "exact"
    assert dedup.check(ZH, EN + " Really.") is None
    assert dedup.exact_removed == 1


def test_near_duplicates_within_the_distance_are_removed() -> None:
    near = (ZH.replace("全省", "全市"), EN)  # one character changed: 2 bits apart
    unrelated = (
        "易地扶贫搬迁群众全部住进新房，后续扶持措施逐步落实到位。",
        "All relocated people moved.",
    )
    dedup = Deduplicator(near_bits=3)
    assert dedup.check(ZH, EN) is None
    assert dedup.check(*near) == "near"
    assert dedup.check(*unrelated) is None
    assert dedup.near_removed == 1
    off = Deduplicator(near_bits=-1)
    assert off.check(ZH, EN) is None
    assert off.check(*near) is None


@pytest.mark.parametrize("bits", [0, 3, 5, 7])
def test_band_layout_covers_64_bits_in_k_plus_one_bands(bits: int) -> None:
    layout = band_layout(bits)
    assert len(layout) == bits + 1
    assert sum(width for _shift, width in layout) == 64


def test_simhash_is_stable_across_runs() -> None:
    # A fixed value: gram hashes must not depend on Python's per-process hash seed.
    assert simhash("精准扶贫精准脱贫") == simhash("精准扶贫精准脱贫")
    assert simhash("abc") != simhash("abd")


def test_splits_fill_dev_and_test_by_pairs_and_never_split_a_document() -> None:
    docs = {f"doc{i}": 10 for i in range(20)}
    assignment = assign_splits(docs, 0.1, 0.2, seed=1)
    pairs = {
        s: sum(docs[d] for d, a in assignment.items() if a == s) for s in ("train", "dev", "test")
    }
    assert pairs == {"train": 140, "dev": 20, "test": 40}
    assert assign_splits(docs, 0.1, 0.2, seed=1) == assignment


def test_tiny_exports_keep_a_training_document() -> None:
    assert assign_splits({"only": 5}, 0.1, 0.1, seed=1) == {"only": "train"}
    two = assign_splits({"a": 5, "b": 5}, 0.1, 0.1, seed=1)
    assert sorted(two.values()) == ["test", "train"]


def test_bad_fractions_are_refused() -> None:
    with pytest.raises(ValueError):
        assign_splits({"a": 1}, 0.6, 0.5, seed=1)


@pytest.mark.parametrize("near_bits", [-1, 0, 3, 15])
def test_short_pairs_such_as_headings_are_kept_not_a_crash(near_bits: int) -> None:
    # Issue 9: a normalised zh under 8 characters (every heading) raised ValueError in zip().
    dedup = Deduplicator(near_bits=near_bits)
    assert dedup.check("一、总体要求", "I. General Requirements") is None
    assert dedup.check("二、主要任务", "II. Main Tasks") is None
    assert dedup.check("一、总体要求", "I. General requirements") == "exact"
    assert dedup.check("一", "I") is None
    assert dedup.check("", "") is None
    assert dedup.check(ZH, EN) is None
    assert dedup.check(ZH, EN) == "exact"
