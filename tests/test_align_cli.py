"""``workbench align`` on real text with the bundled encoder, and the sentence readers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from workbench.align.aligner import Aligner, AlignerSettings
from workbench.align.evaluate import read_gold_document
from workbench.align.sentences import line_language, split_english, split_interleaved
from workbench.cli import cli
from workbench.errors import InputError

ALIGN = Path(__file__).parent / "data" / "align"
ALIGN_DEV = Path(__file__).parent / "data" / "align-dev"
DEV = "dev-poverty"


@pytest.mark.parametrize(
    ("paragraph", "sentences"),
    [
        (
            "The No. 1 central document was issued in Jan. 2021. It covers rural work.",
            ["The No. 1 central document was issued in Jan. 2021.", "It covers rural work."],
        ),
        (
            "GDP per capita passed U.S. $10,000 in 2019. Mr. Li agreed.",
            ["GDP per capita passed U.S. $10,000 in 2019.", "Mr. Li agreed."],
        ),
        ("II. Adhering to the Basic Strategy", ["Adhering to the Basic Strategy"]),
        ("(3) Housing   safety\tis ensured.", ["Housing safety is ensured."]),
        # contents pages of published white papers lose the space after the number
        ("I.China’s Fight against the Epidemic", ["China’s Fight against the Epidemic"]),
        ("3.An All-Out Effort to Treat Patients", ["An All-Out Effort to Treat Patients"]),
        ("– China’s sense of responsibility.", ["China’s sense of responsibility."]),
        ("1.5 percent growth was reached.", ["1.5 percent growth was reached."]),
        ("Is this the end? Poverty fell by 98.99 million! It did.", [
            "Is this the end?", "Poverty fell by 98.99 million!", "It did."]),
        ("   ", []),
    ],
)  # fmt: skip
def test_english_paragraphs_split_into_sentences_without_their_numbering(
    paragraph: str, sentences: list[str]
) -> None:
    assert split_english(paragraph) == sentences


def test_lines_are_told_apart_by_script() -> None:
    assert line_language("坚持精准扶贫（targeted）。") == "zh"
    assert line_language("Targeted poverty alleviation (精准扶贫) was adopted.") == "en"
    assert line_language("2021") is None


def test_an_interleaved_page_without_english_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="no English paragraphs"):
        split_interleaved("第一段。\n第二段。\n".encode(), "page.txt")


def run_align(*args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["align", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def check_partition(beads: list[dict], zh_count: int, en_count: int) -> None:
    assert [i for b in beads for i in b["zh_sentences"]] == list(range(zh_count))
    assert [j for b in beads for j in b["en_sentences"]] == list(range(en_count))


def test_align_prints_the_gold_beads_of_a_document_pair_including_merges() -> None:
    gold = read_gold_document(ALIGN_DEV, DEV)
    beads = run_align(str(ALIGN_DEV / f"{DEV}.zh.txt"), str(ALIGN_DEV / f"{DEV}.en.txt"))
    assert set(beads[0]) == {"zh", "en", "score", "zh_sentences", "en_sentences"}
    check_partition(beads, len(gold.zh), len(gold.en))
    found = {(tuple(b["zh_sentences"]), tuple(b["en_sentences"])) for b in beads}
    expected = {(tuple(z), tuple(e)) for z, e in gold.beads}
    assert len(found & expected) >= 0.9 * len(expected)
    # The 2–1 bead: two zh sentences rendered as one English sentence.
    merged = next(b for b in beads if b["zh_sentences"] == [13, 14])
    assert merged["en_sentences"] == [11]
    assert merged["zh"] == "贫困人口不愁吃、不愁穿。义务教育、基本医疗、住房安全有保障。"
    # The zh sentence the English leaves out is kept, with score 0.
    dropped = next(b for b in beads if b["zh_sentences"] == [5])
    assert dropped["en_sentences"] == [] and dropped["score"] == 0 and dropped["en"] == ""
    assert all(0 <= b["score"] <= 1 for b in beads)


def test_align_reads_an_interleaved_page(tmp_path: Path) -> None:
    gold = read_gold_document(ALIGN_DEV, DEV)
    page = tmp_path / "page.html"
    paragraphs = []
    for z, e in gold.beads:  # zh paragraph, then its English, as study sites print them
        if z:
            paragraphs.append("<p>" + "".join(gold.zh[i] for i in z) + "</p>")
        if e:
            paragraphs.append("<p>" + " ".join(gold.en[j] for j in e) + "</p>")
    page.write_text("<html><body>" + "\n".join(paragraphs) + "</body></html>", "utf-8")
    beads = run_align("--interleaved", str(page))
    check_partition(beads, len(gold.zh), len(gold.en))
    assert sum(1 for b in beads if b["zh_sentences"] and b["en_sentences"]) >= 25


def test_align_writes_tmx_and_tsv_files(tmp_path: Path) -> None:
    zh, en = str(ALIGN_DEV / f"{DEV}.zh.txt"), str(ALIGN_DEV / f"{DEV}.en.txt")
    out = tmp_path / "beads.tmx"
    result = CliRunner().invoke(cli, ["align", zh, en, "--format", "tmx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    units = etree.parse(str(out)).findall(".//tu")
    assert len(units) >= 28
    assert units[1].find("tuv/seg").text.startswith("党的十八大以来")
    assert {p.get("type") for p in units[1].findall("prop")} >= {"x-score", "x-zh_sentences"}
    tsv = tmp_path / "beads.tsv"
    result = CliRunner().invoke(cli, ["align", zh, en, "--format", "tsv", "-o", str(tsv)])
    assert result.exit_code == 0, result.output
    rows = tsv.read_text("utf-8").splitlines()
    assert rows[0].split("\t")[:3] == ["zh", "en", "score"]
    assert all(len(r.split("\t")) == 5 for r in rows)


def test_align_refuses_a_missing_side_and_an_empty_side(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["align", str(ALIGN_DEV / f"{DEV}.zh.txt")])
    assert result.exit_code == 2 and "ZH_FILE EN_FILE" in result.output
    empty = tmp_path / "empty.en.txt"
    empty.write_text("\n\n", "utf-8")
    with pytest.raises(InputError, match="no English sentences"):
        CliRunner().invoke(
            cli, ["align", str(ALIGN_DEV / f"{DEV}.zh.txt"), str(empty)], catch_exceptions=False
        )
    with pytest.raises(InputError, match="no such file"):
        CliRunner().invoke(
            cli, ["align", str(tmp_path / "gone.zh.txt"), str(empty)], catch_exceptions=False
        )


@pytest.mark.skipif(
    not (ALIGN / "excerpt.gold.jsonl").is_file(),
    reason="the white-paper excerpt comes with the alignment gold set",
)
def test_align_prints_the_gold_beads_of_the_white_paper_excerpt() -> None:
    beads = run_align(str(ALIGN / "excerpt.zh.txt"), str(ALIGN / "excerpt.en.txt"))
    gold = [
        json.loads(line)
        for line in (ALIGN / "excerpt.gold.jsonl").read_text("utf-8").split("\n")
        if line.strip()
    ]
    found = [{"zh": b["zh_sentences"], "en": b["en_sentences"]} for b in beads]
    assert found == gold
    assert any(len(b["zh"]) == 2 and len(b["en"]) == 1 for b in gold)  # the 2–1 bead


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.sampled_from(["脱贫攻坚取得胜利。", "乡村振兴。", "9899万人脱贫。", "", "一"]),
        max_size=12,
    ),
    st.lists(
        st.sampled_from(["Poverty was defeated.", "Rural revitalization.", "", "98.99 million."]),
        max_size=12,
    ),
)
def test_the_embedding_aligner_keeps_every_sentence_of_any_input(zh, en) -> None:
    beads = Aligner(AlignerSettings(max_full=10)).align(zh, en)
    assert [i for b in beads for i in b.zh_sentences] == list(range(len(zh)))
    assert [j for b in beads for j in b.en_sentences] == list(range(len(en)))
    assert all(0.0 <= b.score <= 1.0 for b in beads)
