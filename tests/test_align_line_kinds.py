"""Lines that a translation renders as their own kind: lead-in formulas, numbered list
items, list levels and a page's repeated title (workbench.align.scoring, issue 10)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from workbench.align import scoring
from workbench.align.aligner import Aligner, AlignerSettings
from workbench.align.evaluate import read_gold_folder
from workbench.align.scoring import (
    EmbeddingScorer,
    is_lead_in,
    is_list_item,
    list_level,
    repeats_previous,
    side_features,
)

DEV = Path(__file__).parent / "data" / "align-dev"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("全文如下：", True),
        ("…出席“一带一路”高峰论坛并发表主旨演讲，全文如下：", True),
        ("以下是讲话的中英双语金句摘编：", True),
        ("以下为讲话双语全文：", True),
        ("The full text is as follows:", True),
        ("The following is the full text of Zhang's speech:", True),
        ("Edited excerpts of the report follow:", True),
        ("全文如下。这是第二句：", False),  # the formula belongs to an earlier sentence
        ("白皮书说：", False),
        ("The following measures were taken.", False),
        ("He said the following: we will", False),
        ("习近平在第75届联大一般性辩论上的讲话（双语全文）", False),
    ],
)
def test_lead_in_lines(line: str, expected: bool) -> None:
    assert is_lead_in(line) is expected


@pytest.mark.parametrize(
    ("line", "item", "level"),
    [
        ("一、新时代中国青年生逢盛世、共享机遇", True, 1),
        ("II. All-Round Development in the New Era", True, 1),
        ("（一）拥有更高质量的发展条件", True, 2),
        ("1. Deepening the exploration and understanding of the Arctic", True, 2),
        ("(3) Utilizing Arctic resources", True, 2),
        ("2015年5月", False, 0),
        ("1.5 million people", False, 0),
        ("I am completing my duty as Chinese Ambassador.", False, 0),
        ("目录", False, 0),
    ],
)
def test_list_labels_and_levels(line: str, item: bool, level: int) -> None:
    assert is_list_item(line) is item
    assert list_level(line) == level


def test_a_line_repeats_the_one_before_when_one_contains_the_other() -> None:
    lines = [
        "双语资料：2019年8月23日外交部发言人耿爽主持例行记者会",
        "2019年8月23日外交部发言人耿爽主持例行记者会",
        "应国务委员兼外交部长王毅邀请，……",
        "前言",
        "前言",  # too short to count: two headings, not a repeat
    ]
    assert repeats_previous(lines).tolist() == [False, True, False, False, False]


def flat_scorer(zh: list[str], en: list[str]) -> EmbeddingScorer:
    """Every sentence the same vector: only the text-based terms tell beads apart."""
    vector = np.ones((1, 4), dtype=np.float32)
    return EmbeddingScorer(
        side_features(np.repeat(vector, len(zh), axis=0), zh),
        side_features(np.repeat(vector, len(en), axis=0), en),
    )


def cost(s: EmbeddingScorer, a: int, b: int, zh_end: int, en_end: int) -> float:
    return float(s.costs(a, b, np.array([zh_end]), np.array([en_end]))[0])


def charge(
    monkeypatch: pytest.MonkeyPatch, name: str, zh: list[str], en: list[str], a: int, b: int
) -> float:
    """What the constant ``name`` (set to 1.0) adds to the bead of the whole of ``zh``
    and ``en`` (``a`` and ``b`` lines), every other cost the same."""
    s = flat_scorer(zh, en)
    monkeypatch.setattr(scoring, name, 1.0)
    on = cost(s, a, b, len(zh), len(en))
    monkeypatch.setattr(scoring, name, 0.0)
    return round(on - cost(s, a, b, len(zh), len(en)), 5)  # float32 cosines


def test_each_term_charges_only_the_bead_that_breaks_its_pairing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = ["（一）拥有更高质量的发展条件", "二、新时代中国青年素质过硬"]
    assert charge(monkeypatch, "LIST_ITEMS", items, ["II. All-Round Development"], 2, 1) == 1.0
    assert charge(monkeypatch, "LIST_ITEMS", items[1:], ["II. All-Round Development"], 1, 1) == 0
    # One labelled line is charged where it does not open its side: a new item starts
    # inside the bead (a page's zh-only lead merged with the heading of its first item).
    lead = ["现将要点金句附下，希望同学们认真学习！", "（一）坚持一个中国政策是政治基础"]
    assert charge(monkeypatch, "LIST_ITEMS", lead, ["Premier Li said."], 2, 1) == 1.0
    heading = ["（一）坚持一个中国政策是政治基础", "特朗普总统当选以后，两国元首通了电话。"]
    assert charge(monkeypatch, "LIST_ITEMS", heading, ["Premier Li said."], 2, 1) == 0.0
    # 二、 ↔ "II." is one level; （一） ↔ "II." and 二、 ↔ "1." cross levels.
    assert charge(monkeypatch, "LIST_LEVEL", items[1:], ["II. All-Round Development"], 1, 1) == 0
    assert charge(monkeypatch, "LIST_LEVEL", items[:1], ["II. All-Round Development"], 1, 1) == 1
    assert charge(monkeypatch, "LIST_LEVEL", items[1:], ["1. Deepening the study"], 1, 1) == 1
    # An en formula needs a zh one; a zh formula alone is not charged (a study page's
    # zh-only 以下为讲话双语全文： is left out by the other terms).
    news = ["主席致辞，全文如下："]
    formula = ["Chairman Zhang spoke.", "The full text is as follows:"]
    assert charge(monkeypatch, "LEAD_IN", ["主席致辞。"], formula, 1, 2) == 1.0
    assert charge(monkeypatch, "LEAD_IN", news, formula, 1, 2) == 0.0
    assert charge(monkeypatch, "LEAD_IN", news, formula[:1], 1, 1) == 0.0
    repeated = ["标题：某某会议实录全文", "某某会议实录全文"]
    assert charge(monkeypatch, "REPEAT", repeated, ["Title"], 2, 1) == 1.0
    assert charge(monkeypatch, "REPEAT", ["甲乙丙丁戊己", "庚辛壬癸子丑"], ["Title"], 2, 1) == 0.0
    # A document whose zh side has a lead-in makes its en lead-in dearer to leave out,
    # and the reverse; without one on the other side nothing changes.
    zh_skip, en_skip = flat_scorer([*news, "甲乙丙。"], formula).sentence_skip_costs()
    assert en_skip[1] > en_skip[0] and zh_skip[0] > zh_skip[1]
    zh_skip, en_skip = flat_scorer(["甲乙丙。"], formula).sentence_skip_costs()
    assert en_skip[1] == en_skip[0]


def beads_of(doc_id: str) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    doc = next(d for d in read_gold_folder(DEV) if d.id == doc_id)
    found = Aligner(AlignerSettings(use_glossary=False)).align(doc.zh, doc.en)
    return {(tuple(b.zh_sentences), tuple(b.en_sentences)) for b in found}


@pytest.mark.parametrize(
    ("doc_id", "expected"),
    [
        # The en formula split off the news sentence joins its bead (1–2).
        ("qingang2023", [((1,), (1, 2))]),
        ("zhangdejiang2016", [((3,), (2, 3)), ((4,), (4,))]),
        # The study page's own title above the conference's title is left out.
        ("mfa2019aug", [((0,), ()), ((1,), (0,))]),
        # The zh contents' sub-sections the en contents leave out stay out, and each
        # chapter pairs with its Roman-numbered line.
        (
            "wpyouth2022",
            [((10,), ()), ((13,), (5,)), ((18,), (6,)), ((20,), ()), ((24,), (7,)), ((25,), ())],
        ),
        # A school page's zh-only lead and the heading of its first item stay out of the
        # first quotation's bead.
        ("likeqiang2017", [((1,), ()), ((2,), ()), ((3,), ()), ((4,), (0,))]),
        # The en-only sub-item under IV. stays out of IV.'s bead.
        ("wparctic2018", [((11,), (11,)), ((), (12,))]),
    ],
)
def test_dev_documents_of_the_line_kind_terms(
    doc_id: str, expected: list[tuple[tuple[int, ...], tuple[int, ...]]]
) -> None:
    found = beads_of(doc_id)
    for bead in expected:
        assert bead in found, (doc_id, bead)
