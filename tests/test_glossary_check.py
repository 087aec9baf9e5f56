"""The checker reports every defect with file and line; loading refuses broken glossaries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import GlossaryError
from workbench.glossary import check_glossary, load_glossary

DATA = Path(__file__).parent / "data" / "glossary"
VALID = DATA / "valid" / "terms.tsv"

# (file, line, words the message must contain)
BROKEN_EXPECTED = [
    ("a.tsv", 3, "duplicate id 'b-ok'"),
    ("a.tsv", 4, "en is empty"),
    ("a.tsv", 5, "forbidden rendering 'First Secretary' equals the approved en"),
    ("a.tsv", 6, "has 5 columns, expected 11"),
    ("a.tsv", 7, "category 'gadget'"),
    ("a.tsv", 8, "status 'done'"),
    ("a.tsv", 9, "source is empty"),
    ("b.tsv", 2, "'精準扶貧' (c-clash) is also a form of 'b-ok'"),
    ("b.tsv", 4, "'两不愁、三保障' (c-var2) is also a form of 'c-var'"),
]


def test_valid_fixture_has_no_problems():
    assert check_glossary(VALID.parent) == []


def test_broken_fixture_reports_each_problem_at_its_line():
    problems = check_glossary(DATA / "broken")
    found = [(Path(p.file).name, p.line, p.message) for p in problems]
    assert len(found) == len(BROKEN_EXPECTED), found
    for (name, line, words), (got_name, got_line, message) in zip(
        BROKEN_EXPECTED, found, strict=True
    ):
        assert (got_name, got_line) == (name, line)
        assert words in message


def _broken_copy(tmp_path: Path, line: int, new_line: str | None) -> Path:
    """Copy the valid fixture with one line replaced (or appended when line is past the end)."""
    lines = VALID.read_text(encoding="utf-8").splitlines()
    if line <= len(lines):
        lines[line - 1] = new_line
    else:
        lines.append(new_line)
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "terms.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("line", "row", "words"),
    [
        (3, "t-lbc1\t两不愁\t\t\t\t\tslogan\t\tSrc\t\tapproved", "en is empty"),
        (4, "t-jzfp\t精准扶贫\t\tx\t\tx\tpolicy\t\tSrc\t\tapproved", "equals the approved en"),
        (5, "t-fp\t扶贫\t\tpoverty alleviation\t\t\tconcept", "has 7 columns"),
        (6, "t-dyxs\t第一书记\t\tfirst secretary\t\t\tperson\t\tSrc\t\tapproved", "category"),
        (7, "t-jdlk\t建档立卡\t\tx\t\t\tprogramme\t\tSrc\t\tfinal", "status 'final'"),
        (8, "t-lbc\t五个一批\t\tfive\t\t\tslogan\t\t\t\tproposed", "duplicate id 't-lbc'"),
        (12, "t-new\t貧困發生率\t\tx\t\t\tstatistic\t\t\t\tproposed", "also a form of 't-fsl'"),
        (
            10,
            "t-zm\t摘帽\t两不愁，三保障\tx\t\t\tconcept\t\t\t\tproposed",
            "also a form of 't-lbc'",
        ),
        (11, "9bad\t脱贫\t\tx\t\t\tconcept\t\t\t\tproposed", "id '9bad' must start"),
        (12, "t-x\t脱贫 \t\tx\t\t\tconcept\t\t\t\tproposed", "spaces at its start or end"),
        (12, "t-x\tpoverty\t\tx\t\t\tconcept\t\t\t\tproposed", "no Chinese character"),
        (12, "t-x\t脱贫\ta |  | b\tx\t\t\tconcept\t\t\t\tproposed", "empty value"),
        (12, "t-x\t脱贫\t\tx\t\t\tconcept\t\t\tftp://x\tproposed", "not an http(s) address"),
        (12, "t-x\t脱贫\t\tx\ty\tY\tconcept\t\t\t\tproposed", "also listed as an alternative"),
    ],
)
def test_broken_copy_reports_problem_on_its_line(tmp_path, line, row, words):
    folder = _broken_copy(tmp_path, line, row)
    problems = check_glossary(folder)
    assert any(p.line == line and words in p.message for p in problems), problems
    with pytest.raises(GlossaryError) as caught:
        load_glossary(folder)
    assert any(f"terms.tsv:{line}:" in p for p in caught.value.problems)


def test_bom_and_bad_utf8_are_reported_with_line(tmp_path):
    folder = tmp_path / "g"
    folder.mkdir()
    raw = VALID.read_bytes()
    (folder / "bom.tsv").write_bytes(b"\xef\xbb\xbf" + raw)
    lines = raw.split(b"\n")
    lines[4] = lines[4].replace("扶贫".encode(), "扶贫".encode("gbk"))
    (folder / "gbk.tsv").write_bytes(b"\n".join(lines))
    problems = {(Path(p.file).name, p.line): p.message for p in check_glossary(folder)}
    assert "byte-order mark" in problems[("bom.tsv", 1)]
    assert "not valid UTF-8" in problems[("gbk.tsv", 5)]


def test_wrong_header_is_reported_on_line_one(tmp_path):
    folder = tmp_path / "g"
    folder.mkdir()
    text = VALID.read_text(encoding="utf-8").replace("en_forbidden", "forbidden", 1)
    (folder / "terms.tsv").write_text(text, encoding="utf-8")
    [problem] = check_glossary(folder)
    assert problem.line == 1 and "header" in problem.message


def test_broken_file_is_not_half_loaded(tmp_path):
    """One bad row in one file means no entries at all, not the good rows only."""
    folder = tmp_path / "g"
    folder.mkdir()
    shutil.copy(VALID, folder / "good.tsv")
    header = VALID.read_text(encoding="utf-8").splitlines()[0]
    (folder / "bad.tsv").write_text(header + "\nx-1\t脱贫\t\t\t\t\tconcept\t\t\t\tproposed\n")
    with pytest.raises(GlossaryError, match="nothing was loaded"):
        load_glossary(folder)


def test_missing_or_empty_folder_is_a_problem(tmp_path):
    assert "does not exist" in check_glossary(tmp_path / "nope")[0].message
    assert "no *.tsv" in check_glossary(tmp_path)[0].message


def test_windows_line_endings_are_reported_with_line(tmp_path):
    folder = tmp_path / "g"
    folder.mkdir()
    lines = VALID.read_bytes().split(b"\n")
    lines[3] += b"\r"
    (folder / "crlf.tsv").write_bytes(b"\n".join(lines))
    [problem] = check_glossary(folder)
    assert problem.line == 4 and "line endings" in problem.message


def test_a_single_file_can_be_checked():
    assert VALID.is_file() and check_glossary(VALID) == []


row_cells = st.lists(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=8),
    min_size=0,
    max_size=14,
)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(row_cells, max_size=6))
def test_any_garbage_rows_give_located_problems_never_a_crash(rows):
    from workbench.glossary.check import parse_rows

    header = VALID.read_text(encoding="utf-8").splitlines()[0]
    text = "\n".join([header, *("\t".join(cells) for cells in rows)]) + "\n"
    entries, problems = parse_rows(text, "x.tsv")
    for problem in problems:
        assert 2 <= problem.line <= len(rows) + 1 and problem.message
    assert len(entries) <= len(rows)
