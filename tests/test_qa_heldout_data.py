"""The hand-marked held-out sets of published pairs are well-formed and really held out.

``tests/data/qa/terms_heldout*.jsonl`` are the recall gold of ``benchmarks/terminology.py``
(see the README there). A marked span that is not in its sentence would silently count as
a miss, a rendering that is not in the English would mislead whoever reads the misses,
and a page the glossary already cites would make the "held-out" figure a tuning figure.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import opencc
import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "qa"
HELDOUT3 = DATA / "terms_heldout3.jsonl"
HELDOUT4 = DATA / "terms_heldout4.jsonl"
HELD_OUT = [HELDOUT3, HELDOUT4]  # marked with terms_en, never looked at while tuning
TERM_SETS = sorted(DATA.glob("terms_heldout*.jsonl"))
KEYS = {"id", "zh", "en", "terms", "source", "source_url", "note"}
URL = re.compile(r"https?://[^\s\"'<>]+")


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def page_urls(record: dict) -> list[str]:
    return [record["source_url"], *([record["source_url_en"]] if "source_url_en" in record else [])]


def same_page(url: str) -> str:
    """Compare addresses without scheme, ``www.`` and trailing slash."""
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


@pytest.mark.parametrize("path", TERM_SETS, ids=lambda p: p.name)
def test_every_marked_term_stands_in_its_chinese_sentence(path: Path) -> None:
    for record in read(path):
        assert record.keys() >= KEYS, record["id"]
        assert record["terms"], f"{record['id']}: no term marked"
        assert len(set(record["terms"])) == len(record["terms"]), f"{record['id']}: repeated term"
        for term in record["terms"]:
            assert term and term in record["zh"], f"{record['id']}: {term!r} not in the zh"
        for url in page_urls(record):
            assert URL.fullmatch(url), f"{record['id']}: {url!r} is not a page address"


@pytest.mark.parametrize("path", HELD_OUT, ids=lambda p: p.name)
def test_every_recorded_rendering_stands_in_its_english_sentence(path: Path) -> None:
    for record in read(path):
        renderings = record["terms_en"]
        assert len(renderings) == len(record["terms"]), record["id"]
        for term, rendering in zip(record["terms"], renderings, strict=True):
            if rendering is not None:
                assert rendering in record["en"], f"{record['id']}: {term} -> {rendering!r}"


def test_ids_are_unique_across_every_published_pair_file() -> None:
    ids = [r["id"] for path in sorted(DATA.glob("*.jsonl")) for r in read(path)]
    assert len(ids) == len(set(ids))


def test_the_script_each_note_claims_is_the_script_of_the_sentence() -> None:
    """The benchmark converts by the note's word 'Traditional'; a wrong note skews recall."""
    to_simplified = opencc.OpenCC("t2s")
    for path in TERM_SETS:
        for record in read(path):
            traditional = "Traditional" in record.get("note", "")
            unchanged = to_simplified.convert(record["zh"]) == record["zh"]
            assert unchanged != traditional, f"{record['id']}: note says traditional={traditional}"


def test_heldout3_is_large_and_varied_enough_to_quote() -> None:
    records = read(HELDOUT3)
    assert len(records) >= 60
    assert len({r["source"] for r in records}) >= 5
    assert sum(len(r["terms"]) for r in records) >= 150


def test_heldout4_is_large_and_varied_enough_to_be_the_headline() -> None:
    records = read(HELDOUT4)
    assert len(records) >= 75  # 81 collected; 3 dropped when a tuning file used their page
    assert len({same_page(r["source_url"]) for r in records}) >= 25
    assert sum(len(r["terms"]) for r in records) >= 150
    traditional = sum("Traditional" in r["note"] for r in records)
    assert 0 < traditional < len(records) / 4  # both scripts, mostly Simplified


@pytest.mark.parametrize("held", HELD_OUT, ids=lambda p: p.name)
def test_held_out_pages_and_sentences_appear_nowhere_else_in_the_repository(held: Path) -> None:
    """Held out means: no glossary entry cites its pages and no other file has its text."""
    records = read(held)
    own = {same_page(url) for r in records for url in page_urls(r)}
    cited: set[str] = set()
    others = [p for p in (ROOT / "tests" / "data").rglob("*") if p.is_file() and p != held]
    texts = {p: p.read_text("utf-8", errors="replace") for p in others}
    for path in [*(ROOT / "glossary").rglob("*.tsv"), *(ROOT / "seeds").glob("*"), *texts]:
        text = texts.get(path) or path.read_text("utf-8", errors="replace")
        cited.update(same_page(url) for url in URL.findall(text))
    assert not own & cited
    for record in records:
        for path, text in texts.items():
            assert record["zh"] not in text, f"{record['id']} is also in {path}"


@pytest.mark.parametrize(
    ("name", "least"),
    [
        ("dev2", 40),
        ("dev3", 30),
        ("dev4", 30),
        ("dev5", 40),
        ("dev6", 40),
        ("dev7", 45),
        ("dev8", 40),
    ],
)
def test_dev_sets_are_split_by_page_into_a_tuned_and_a_checked_half(name: str, least: int) -> None:
    """``terms_dev2`` to ``terms_dev8`` measure whether a change generalises:
    a page's pairs are all in the half tuned on (A) or all in the half only measured (B), so
    B holds no wording of a page the rules were shaped on."""
    records = read(DATA / f"terms_{name}.jsonl")
    assert len(records) >= least
    halves: dict[str, set[str]] = {}
    for record in records:
        assert record["half"] in ("A", "B"), record["id"]
        assert record["id"].startswith(f"{name}{record['half'].lower()}-"), record["id"]
        assert URL.fullmatch(record["source_url"]), record["id"]
        halves.setdefault(same_page(record["source_url"]), set()).add(record["half"])
    assert all(len(h) == 1 for h in halves.values())
    assert {"A", "B"} == set().union(*halves.values())
