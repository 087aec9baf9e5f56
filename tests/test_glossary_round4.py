"""The round-4 coverage files (``glossary/*7.tsv``, issue 16): sourced, found, and fair.

Round 4 adds concepts of the kinds the recall misses on the tuning passages are (political
institutions and principles, governance and economy nouns), each with the page its English
was read from. These tests keep three promises of docs/glossary.md: every row names a page
that no measurement set uses (so no set's recall is inflated by its own pages), the matcher
finds the new institutions in running text in either script, and none of the terms the
tuning passages mark was added (``recall_dev.txt`` still measures terms nobody looked up).
"""

from __future__ import annotations

import re

import opencc
import pytest
from glossary_rounds import (
    DATA,
    GLOSSARY,
    entries_of,
    marked_terms,
)
from glossary_rounds import (
    measurement_addresses as measurement_addresses_of,
)

from workbench.glossary import load_glossary
from workbench.glossary.fold import fold
from workbench.glossary.model import Entry

ROUND4 = sorted(GLOSSARY.glob("*7.tsv"))


def round4_entries() -> list[Entry]:
    """The entries of the round-4 files, read through the glossary's own loader."""
    return entries_of(ROUND4)


def measurement_addresses() -> set[str]:
    """Every page address a measurement set under tests/data names (the recall passages
    of round 4's time: recall_dev.txt)."""
    return measurement_addresses_of([DATA / "glossary" / "recall_dev.txt"])


def test_round4_files_exist_and_every_row_is_sourced() -> None:
    entries = round4_entries()
    assert len(ROUND4) >= 4 and len(entries) >= 30
    for entry in entries:
        assert entry.status == "approved", entry.id
        assert re.fullmatch(r"[a-z]{2}7-\d{3}", entry.id), entry.id
        assert entry.source and entry.source_url.startswith(("http://", "https://")), entry.id


def test_no_round4_row_cites_a_page_of_a_measurement_set() -> None:
    used = measurement_addresses()
    assert len(used) > 100  # the sets were read (a wrong path would make this pass vacuously)
    clashes = [
        (entry.id, url)
        for entry in round4_entries()
        for url in [entry.source_url, *re.findall(r"https?://[^\s)']+", entry.note)]
        if url.rstrip(".,;") in used
    ]
    assert clashes == []


def test_no_term_marked_in_the_tuning_passages_was_added() -> None:
    """recall_dev.txt is reported on: adding its missed strings would only fit the set."""
    marked = marked_terms(DATA / "glossary" / "recall_dev.txt")
    assert len(marked) > 100
    added = {fold(form): entry.id for entry in round4_entries() for form in entry.zh_forms}
    assert sorted(set(added) & marked) == []


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_political_institutions_are_found_in_running_text(script: str) -> None:
    text = (
        "坚持和完善人民代表大会制度、中国共产党领导的多党合作和政治协商制度、"
        "民族区域自治制度，坚持民主集中制，推进国家治理体系和治理能力现代化。"
    )
    if script == "traditional":
        text = opencc.OpenCC("s2t").convert(text)
    found = {m.entry_id: m.text for m in load_glossary(GLOSSARY).matcher().find(text)}
    for entry_id in ("gv7-002", "gv7-006", "gv7-005", "gv7-001", "gv7-011"):
        assert entry_id in found, (entry_id, found)
    # leftmost-longest: the full name wins over its short form and over 人民民主
    assert found["gv7-006"] == (
        "中国共产党领导的多党合作和政治协商制度"
        if script == "simplified"
        else opencc.OpenCC("s2t").convert("中国共产党领导的多党合作和政治协商制度")
    )
