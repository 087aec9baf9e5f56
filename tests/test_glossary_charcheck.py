"""Control and format characters are refused by ``glossary check``, ``glossary import`` and
the service's proposal and decision forms, with a message naming the character."""

from __future__ import annotations

import json
import re
import shutil
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from test_web_helpers import TOKEN, auth, post_form

from workbench.cli import cli
from workbench.glossary import Entry, check_glossary, load_glossary
from workbench.glossary.charcheck import (
    REFUSED_RANGES,
    describe_unsafe,
    refused_class,
    unsafe_characters,
)
from workbench.glossary.csvfile import write_csv
from workbench.glossary.tbx import glossary_tbx
from workbench.web.openapi import SPEC_FILE

pytest_plugins = ["test_web_helpers"]

VALID = Path(__file__).parent / "data" / "glossary" / "valid"
HEADER = (
    "id\tzh\tzh_variants\ten\ten_alternatives\ten_forbidden\tcategory\tnote\tsource\t"
    "source_url\tstatus"
)

# (character, what it is) — each was accepted into the glossary on old main
HOSTILE = [
    ("\x00", "NUL"),
    ("\u202e", "right-to-left override"),
    ("\u200b", "zero-width space"),
    ("\ufeff", "byte-order mark inside text"),
    ("\x1b", "escape"),
    ("\u2028", "line separator"),
    ("\ue000", "private use"),
]


@pytest.mark.parametrize(("char", "what"), HOSTILE, ids=[h[1] for h in HOSTILE])
def test_glossary_check_names_the_character_file_and_line(tmp_path, char, what):
    row = f"x-001\t扶{char}贫\t\tpoverty alleviation\t\t\tconcept\t\t\t\tproposed"
    (tmp_path / "t.tsv").write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    problems = check_glossary(tmp_path)
    assert len(problems) == 1, problems
    assert problems[0].line == 2
    assert f"U+{ord(char):04X}" in problems[0].message and "zh contains" in problems[0].message


def test_check_accepts_ordinary_text_including_ideographic_space_and_punctuation(tmp_path):
    row = (
        "x-001\t“两不愁　三保障”\t\tTwo Assurances — “and” 3%\t\t\tconcept\tNote: a·b\t\t\tproposed"
    )
    (tmp_path / "t.tsv").write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    assert check_glossary(tmp_path) == []


def _xml_noncharacter(char: str) -> bool:
    """U+FDD0–U+FDEF, U+FFFE, U+FFFF: unassigned (Cn), yet refused as XML forbids them."""
    return 0xFDD0 <= ord(char) <= 0xFDEF or ord(char) in (0xFFFE, 0xFFFF)


@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Zl", "Zp")).filter(
            lambda c: not _xml_noncharacter(c)
        )
    )
)
def test_text_without_refused_categories_is_never_flagged(text):
    assert unsafe_characters(text) == []


@given(
    st.text(),
    st.characters(whitelist_categories=("Cc", "Cf", "Co", "Zl", "Zp"), max_codepoint=0xFFFF),
    st.text(),
)
def test_any_refused_character_is_found_where_it_is(before, char, after):
    found = unsafe_characters(before + char + after)
    assert any(f.position == len(before) and f.char == char for f in found)
    assert all(unicodedata.category(f.char) in {"Cc", "Cf", "Co", "Cn", "Zl", "Zp"} for f in found)


def test_line_breaks_only_where_allowed():
    assert describe_unsafe("comment", "line one\nline two", allow_line_breaks=True) is None
    assert "U+000A" in describe_unsafe("note", "line one\nline two")


def test_glossary_import_refuses_a_right_to_left_override_and_writes_nothing(tmp_path):
    folder = tmp_path / "glossary"
    shutil.copytree(VALID, folder)
    into = folder / "terms.tsv"
    before = into.read_bytes()
    csv_path = tmp_path / "in.csv"
    write_csv(csv_path, [Entry(id="t-rlo", zh="返贫", en="return\u202e to poverty")])
    result = CliRunner().invoke(cli, ["glossary", "import", str(csv_path), "--into", str(into)])
    assert result.exit_code == 1
    assert into.read_bytes() == before
    assert load_glossary(folder).get("t-rlo") is None


# -- the service -----------------------------------------------------------------------


@pytest.mark.parametrize(("char", "what"), HOSTILE, ids=[h[1] for h in HOSTILE])
def test_a_proposal_with_a_control_or_format_character_is_refused(web_client, char, what):
    body = {"kind": "term", "zh": "光伏扶贫", "en": f"photovoltaic{char} aid", "source": "NEA"}
    response = web_client.post("/api/suggestions", json=body)
    assert response.status_code == 422, what
    error = response.get_json()["error"]
    assert error["code"] == "invalid_body"
    assert f"en contains U+{ord(char):04X}" in error["message"]
    assert web_client.get("/api/suggestions").get_json()["total"] == 0


def test_a_variant_list_item_is_checked_too(web_client):
    body = {"kind": "term", "zh": "光伏扶贫", "en": "pv aid", "zh_variants": ["光伏\x00扶贫"]}
    error = web_client.post("/api/suggestions", json=body).get_json()["error"]
    assert "zh_variants/0 contains U+0000" in error["message"]


def test_a_comment_may_span_lines(web_client):
    body = {"kind": "rendering", "entry_id": "pov-011", "en": "first secretary", "comment": "a\nb"}
    assert web_client.post("/api/suggestions", json=body).status_code == 201


def test_the_proposal_form_shows_the_character_problem_and_keeps_the_input(web_client):
    form = {"kind": "term", "zh": "光伏\u202e扶贫", "en": "pv aid"}
    response = post_form(web_client, "/suggestions", form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in page
    assert web_client.get("/api/suggestions").get_json()["total"] == 0


def test_accept_options_with_a_nul_are_refused_and_nothing_is_exported_broken(
    web_client, web_config
):
    body = {"kind": "term", "zh": "光伏扶贫", "en": "pv aid", "source": "NEA"}
    created = web_client.post("/api/suggestions", json=body).get_json()
    response = web_client.post(
        f"/api/suggestions/{created['id']}/accept",
        headers=auth(TOKEN),
        json={"note": "bad\x00note"},
    )
    assert response.status_code == 422
    assert "note contains U+0000" in response.get_json()["error"]["message"]
    glossary = load_glossary(web_config.paths.glossary_dir)
    assert glossary.by_zh("光伏扶贫") is None
    assert glossary_tbx(glossary.entries, glossary.version)  # the TBX export still works


def test_the_refused_ranges_are_exactly_the_refused_categories():
    categories = {"Cc", "Cf", "Co", "Zl", "Zp"}  # Cs: lone surrogates never reach a field
    expected = [
        code
        for code in range(sys.maxunicode + 1)
        if (code <= 0xFFFF and unicodedata.category(chr(code)) in categories)
        or 0xFDD0 <= code <= 0xFDEF
        or code in (0xFFFE, 0xFFFF)
        or 0xE0000 <= code <= 0xE007F
    ]
    listed = [code for low, high in REFUSED_RANGES for code in range(low, high + 1)]
    assert listed == expected


def test_the_api_schema_patterns_refuse_the_same_characters():
    schemas = json.loads(SPEC_FILE.read_text(encoding="utf-8"))["components"]["schemas"]
    term = schemas["TermProposal"]["properties"]
    for pattern in (schemas["Cell"]["pattern"], schemas["Text"]["pattern"]):
        assert refused_class() in pattern
    assert refused_class() in term["proposer"]["pattern"]
    assert refused_class(allow_line_breaks=True) in term["comment"]["pattern"]
    plain = re.compile(term["proposer"]["pattern"])
    for char, _ in HOSTILE:
        assert not plain.match(f"a{char}b")
    assert plain.match("两不愁　三保障 “x” — 3%")
