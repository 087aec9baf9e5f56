"""Validate the alignment development set under tests/data/align-dev/ (issue 10).

The dev set is what the aligner's weights are tuned on, so it gets the gold set's checks:
every sentence in exactly one bead, in order; the zh lines are our segmenter's output for
the published paragraphs and the en lines those paragraphs cut at sentence ends (except
``dev-poverty``, written for the tests, which has no sources).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import cli

DEV_DIR = Path(__file__).parent / "data" / "align-dev"
DEV_IDS = sorted(p.name.removesuffix(".gold.jsonl") for p in DEV_DIR.glob("*.gold.jsonl"))
SOURCED_IDS = [i for i in DEV_IDS if (DEV_DIR / "sources" / f"{i}.zh.raw.txt").exists()]


def read_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n"), f"{path.name}: last line has no newline"
    return text[:-1].split("\n")


@pytest.mark.parametrize("dev_id", DEV_IDS)
def test_dev_beads_cover_every_sentence_once_in_order(dev_id: str) -> None:
    zh = read_lines(DEV_DIR / f"{dev_id}.zh.txt")
    en = read_lines(DEV_DIR / f"{dev_id}.en.txt")
    next_zh = next_en = 0
    for number, line in enumerate(read_lines(DEV_DIR / f"{dev_id}.gold.jsonl")):
        bead = json.loads(line)
        assert bead["zh"] or bead["en"], f"{dev_id} bead {number} is empty"
        assert bead["zh"] == list(range(next_zh, next_zh + len(bead["zh"]))), (dev_id, number)
        assert bead["en"] == list(range(next_en, next_en + len(bead["en"]))), (dev_id, number)
        next_zh += len(bead["zh"])
        next_en += len(bead["en"])
    assert (next_zh, next_en) == (len(zh), len(en)), f"{dev_id}: beads miss sentences"


@pytest.mark.parametrize("dev_id", SOURCED_IDS)
def test_dev_lines_come_from_the_published_paragraphs(dev_id: str) -> None:
    result = CliRunner().invoke(cli, ["segment", str(DEV_DIR / "sources" / f"{dev_id}.zh.raw.txt")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert read_lines(DEV_DIR / f"{dev_id}.zh.txt") == [
        (r["label"] or "") + r["normalized"] for r in records
    ]
    sentences = read_lines(DEV_DIR / f"{dev_id}.en.txt")
    paragraphs = read_lines(DEV_DIR / "sources" / f"{dev_id}.en.raw.txt")
    assert " ".join(" ".join(sentences).split()) == " ".join(" ".join(paragraphs).split())


def test_dev_set_is_apart_from_the_held_out_gold() -> None:
    gold_ids = {
        p.name.removesuffix(".gold.jsonl") for p in DEV_DIR.parent.glob("align/*.gold.jsonl")
    }
    assert not gold_ids.intersection(DEV_IDS)
    assert len(SOURCED_IDS) >= 3


def test_dev_folds_split_every_document_once_by_publication_group() -> None:
    folds = json.loads((DEV_DIR / "folds.json").read_text(encoding="utf-8"))
    assert sorted(folds) == ["A", "B"]
    placed = [i for groups in folds.values() for ids in groups.values() for i in ids]
    assert sorted(placed) == DEV_IDS, "every dev document in exactly one fold"
    groups = [g for groups in folds.values() for g in groups]
    assert len(groups) == len(set(groups)), "a publication group spans both folds"
    sizes = {
        fold: sum(len(read_lines(DEV_DIR / f"{i}.zh.txt")) for ids in groups.values() for i in ids)
        for fold, groups in folds.items()
    }
    assert min(sizes.values()) >= 0.4 * sum(sizes.values()), sizes


def test_every_published_dev_document_has_a_readme_row_naming_its_pages() -> None:
    # The benchmark's fair dev run finds the glossary rows of a document's own publication
    # through its README row (pages, report year, 《titles》); a document without a row, or
    # whose row names no address, would be aligned with its own page's renderings.
    rows = {}
    for line in (DEV_DIR / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            doc_id, rest = line[3:].split("`", 1)
            rows[doc_id] = rest
    missing = [i for i in SOURCED_IDS if i not in rows]
    assert not missing, f"no README row: {missing}"
    no_address = [i for i in SOURCED_IDS if "http" not in rows[i]]
    assert not no_address, f"README row without a page address: {no_address}"
    assert not set(rows) - set(DEV_IDS), "README rows for documents that are not in the set"
