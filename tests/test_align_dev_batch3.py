"""Two kinds of line the third batch of dev documents brought (issue 10): a speech's form of
address to named dignitaries (尊敬的施瓦布主席，) and a white paper's English edition line
("First Edition 2021"). Each is found by text alone; these tests check the detection and
that, on the dev documents that showed the error, the aligner's beads depend on it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench.align import scoring
from workbench.align.aligner import Aligner, AlignerSettings
from workbench.align.evaluate import read_gold_folder

DEV = Path(__file__).parent / "data" / "align-dev"
NEVER = re.compile(r"(?!)")


def _dev_beads(doc_id: str) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The beads the aligner (glossary off) gives one dev document, as (zh, en) index tuples."""
    doc = next(d for d in read_gold_folder(DEV) if d.id == doc_id)
    beads = Aligner(AlignerSettings(use_glossary=False)).align(doc.zh, doc.en)
    return {(tuple(b.zh_sentences), tuple(b.en_sentences)) for b in beads}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("尊敬的施瓦布主席，", True),
        ("尊敬的各代表团团长，", True),
        ("尊敬的各位国家元首，政府首脑，", True),
        ("尊敬的洛伊特哈德主席和豪森先生，", True),
        ("女士们，先生们，朋友们：", True),  # the older rule, unchanged
        ("尊敬的各位来宾，今天我们在这里隆重集会，纪念这一伟大的历史时刻。", False),
        ("尊敬的", False),
    ],
)
def test_zh_addresses_to_named_dignitaries(line: str, expected: bool) -> None:
    assert scoring.is_zh_address(line) is expected


def test_a_long_line_opening_with_zunjingde_is_no_address() -> None:
    line = "尊敬的各位国家元首、政府首脑和国际组织负责人以及远道而来的各位朋友们，"
    assert len(line) > 25
    assert scoring.is_zh_address(line) is False


def test_edition_lines_are_page_lines_of_the_english_side_only() -> None:
    en = ["June 2021", "First Edition 2021", "The first edition of the plan was published."]
    assert scoring.page_lines(en, "en").tolist() == [False, True, False]
    assert scoring.page_lines(["First Edition 2021"], "zh").tolist() == [False]


def test_dev_document_of_the_honorific_address(monkeypatch: pytest.MonkeyPatch) -> None:
    # xiwef2022: 尊敬的施瓦布主席， pairs with "Professor Klaus Schwab," and 女士们，先生们，
    # 朋友们： with "Ladies and Gentlemen," + "Friends,"; without the rule the two zh lines
    # were one bead with "Ladies and Gentlemen," and both other en lines were left out.
    now = _dev_beads("xiwef2022")
    assert ((9,), (1,)) in now and ((10,), (2, 3)) in now
    monkeypatch.setattr(scoring, "_ZH_HONORIFIC", NEVER)
    before = _dev_beads("xiwef2022")
    assert ((9,), (1,)) not in before and ((9, 10), (2,)) in before


def test_dev_documents_of_the_edition_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # wphr2021 and wparctic2018: "First Edition …" is left out (0–1) instead of joining
    # the bead of the zh date and issuer lines.
    assert ((), (4,)) in _dev_beads("wphr2021")
    assert ((), (5,)) in _dev_beads("wparctic2018")
    monkeypatch.setattr(scoring, "_EN_EDITION", NEVER)
    assert ((), (4,)) not in _dev_beads("wphr2021")
    assert ((), (5,)) not in _dev_beads("wparctic2018")
