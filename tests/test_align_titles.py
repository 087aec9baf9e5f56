"""Title blocks ordered differently on each side become one bead (workbench.align.titles)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.align import aligner as aligner_module
from workbench.align.aligner import Aligner, AlignerSettings
from workbench.align.dp import PathBead
from workbench.align.evaluate import read_gold_folder
from workbench.align.scoring import EmbeddingScorer, side_features
from workbench.align.titles import _covers, _crossing_blocks, _links, reorder_title_blocks

DEV = Path(__file__).parent / "data" / "align-dev"


def title_scorer(partner: list[int], zh_count: int) -> EmbeddingScorer:
    """Title lines (no end punctuation) whose en line ``j`` renders zh ``partner[j]``."""
    dim = zh_count + len(partner) + 4
    basis = np.eye(dim, dtype=np.float32)
    zh = basis[:zh_count]
    # Each en line is mostly its zh partner plus a part of its own (a fragment).
    en = np.stack([basis[p] + 0.4 * basis[zh_count + j] for j, p in enumerate(partner)])
    return EmbeddingScorer(
        side_features(zh, [f"标题第{k}行" for k in range(zh_count)]),
        side_features(en, [f"Title line {k}" for k in range(len(partner))]),
    )


def test_crossing_links_make_one_block_with_the_lines_between() -> None:
    assert _crossing_blocks({(0, 0), (1, 2), (2, 1), (3, 3)}) == [(1, 2, 1, 2)]
    # zh 1 ↔ en 3 crosses zh 2 ↔ en 0: en 1 and 2 (unlinked) fall inside the block.
    assert _crossing_blocks({(1, 3), (2, 0)}) == [(1, 2, 0, 3)]
    assert _crossing_blocks({(0, 0), (1, 1), (1, 2), (2, 3)}) == []  # in order: nothing


def test_a_zh_line_links_only_to_an_en_line_without_a_clear_partner() -> None:
    # zh 2 (a byline the English leaves out) is least unlike en 0, whose clear partner is
    # zh 0: no link, so no crossing.
    cost = np.array([[0.3, 4.0, 2.5], [3.4, 0.2, 4.1], [1.0, 2.5, 2.0]])
    assert _links(cost, 0.95) == {(0, 0), (1, 1)}
    # Two identical lines a side ("前言" and "Preface" twice) are no one's clear partner.
    assert _links(np.array([[0.4, 0.4], [0.4, 0.4]]), 0.95) == set()
    # Two zh lines drawn to one en line that prefers neither: only its cheapest links.
    assert _links(np.array([[0.4, 3.0], [0.5, 3.0]]), 0.95) == {(0, 0)}


def test_a_reordered_block_replaces_the_beads_of_the_search() -> None:
    # en: "Statement by Xi" (zh 2), "President of …" (zh 2), "At the General Debate" (zh 0),
    # "Beijing, 22 September" (zh 1); zh 3 ↔ en 4 in order after the block.
    s = title_scorer([2, 2, 0, 1, 3], zh_count=4)
    searched = [
        PathBead(0, 0, 0, 1, 0.95),
        PathBead(0, 0, 1, 2, 0.95),
        PathBead(0, 1, 2, 3, 0.1),
        PathBead(1, 2, 3, 4, 0.1),
        PathBead(2, 3, 4, 4, 0.95),
        PathBead(3, 4, 4, 5, 0.1),
    ]
    shapes = [
        (b.zh_start, b.zh_end, b.en_start, b.en_end) for b in reorder_title_blocks(searched, s)
    ]
    assert shapes == [(0, 3, 0, 4), (3, 4, 4, 5)]
    in_order = title_scorer([0, 1, 1, 2, 3], zh_count=4)
    path = [
        PathBead(0, 1, 0, 1, 0.1),
        PathBead(1, 2, 1, 3, 0.2),
        PathBead(2, 3, 3, 4, 0.1),
        PathBead(3, 4, 4, 5, 0.1),
    ]
    assert reorder_title_blocks(path, in_order) == path


def test_full_sentences_are_never_reordered() -> None:
    s = title_scorer([2, 2, 0, 1], zh_count=3)
    s.zh.titles = np.zeros(3)  # every zh line a full sentence: no title stretch
    path = [PathBead(0, 1, 0, 2, 0.5), PathBead(1, 2, 2, 3, 0.5), PathBead(2, 3, 3, 4, 0.5)]
    assert reorder_title_blocks(path, s) == path


@pytest.mark.parametrize(
    ("doc_id", "bead"),
    [
        # 在第七十五届…的讲话 / （2020年9月22日，北京） / 中华人民共和国主席 习近平 against
        # "Statement by H.E. Xi Jinping" / "President of …" / "At the General Debate …" /
        # "The United Nations General Assembly" / "Beijing, 22 September 2020".
        ("xi2020unga", ((4, 5, 6), (0, 1, 2, 3, 4))),
        # ——在第72届联合国大会一般性辩论上的演讲 / 中华人民共和国外交部部长 王毅 against
        # "Speech by Wang Yi" / "Minister of …" / "At the General Debate of" / "The 72nd …".
        ("wangyi2017unga", ((1, 2), (1, 2, 3, 4))),
    ],
)
def test_dev_title_blocks_in_another_order(
    monkeypatch: pytest.MonkeyPatch, doc_id: str, bead: tuple[tuple[int, ...], tuple[int, ...]]
) -> None:
    doc = next(d for d in read_gold_folder(DEV) if d.id == doc_id)

    def found() -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
        beads = Aligner(AlignerSettings(use_glossary=False)).align(doc.zh, doc.en)
        return {(tuple(b.zh_sentences), tuple(b.en_sentences)) for b in beads}

    assert bead in found()
    monkeypatch.setattr(aligner_module, "reorder_title_blocks", lambda path, scorer: path)
    assert bead not in found()


def test_two_swapped_lines_become_one_bead_and_the_result_is_a_path() -> None:
    s = title_scorer([1, 0, 2, 2], zh_count=3)
    path = [PathBead(0, 1, 0, 2, 0.5), PathBead(1, 2, 2, 3, 0.5), PathBead(2, 3, 3, 4, 0.5)]
    rebuilt = reorder_title_blocks(path, s)
    assert rebuilt[0] == PathBead(0, 2, 0, 2, rebuilt[0].cost)  # en 0 ↔ zh 1, en 1 ↔ zh 0
    assert _covers(rebuilt, 0, 3, 0, 4)
    assert not _covers([PathBead(0, 2, 0, 2, 0.0), PathBead(1, 3, 2, 4, 0.0)], 0, 3, 0, 4)


ZH_PAGE_LINES = [
    "习近平在第七十五届联合国大会一般性辩论上的讲话",
    "2020年9月22日",
    "中华人民共和国主席 习近平",
    "（新华社记者 刘彬 摄）",
    "编者按：",
    "今天，我们在这里隆重集会。",
    "昨天，会议通过了决议。",
    "9月21日，国家主席习近平在北京发表讲话。",
    "9月21日，国家主席习近平在北京发表讲话。",
    "脱贫攻坚取得全面胜利。",
    "一",
    "",
]
EN_PAGE_LINES = [
    "Statement by Xi Jinping at the General Debate of the 75th Session of the UN General Assembly",
    "22 September 2020",
    "President of the People's Republic of China",
    "(Xinhua/Liu Bin)",
    "CFP",
    "Editor's note:",
    "Today, we gather here in celebration.",
    "Yesterday, the meeting adopted the resolution.",
    "On Sept 21, President Xi Jinping delivered a speech in Beijing.",
    "China has won the battle against poverty.",
    "",
]


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.sampled_from(ZH_PAGE_LINES), max_size=12),
    st.lists(st.sampled_from(EN_PAGE_LINES), max_size=12),
)
def test_title_blocks_credits_leads_and_day_words_never_lose_or_repeat_a_sentence(
    zh: list[str], en: list[str]
) -> None:
    """Generated pages made of the lines the title-block pass, the echo and page-line charges
    and the day-word anchors act on, in any order and number (repeated leads, two credits,
    empty lines): every sentence of each side stands in exactly one bead, in order."""
    beads = Aligner(AlignerSettings(max_full=10)).align(zh, en)
    assert [i for b in beads for i in b.zh_sentences] == list(range(len(zh)))
    assert [j for b in beads for j in b.en_sentences] == list(range(len(en)))
    assert all(b.zh_sentences or b.en_sentences for b in beads)
    assert all(0.0 <= b.score <= 1.0 for b in beads)
