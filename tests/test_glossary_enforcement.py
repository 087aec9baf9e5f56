"""The optional ``enforcement`` column: defaults by category, validation, round trips."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.cli import cli
from workbench.glossary import Entry, check_glossary, load_glossary
from workbench.glossary.csvfile import read_csv, write_csv
from workbench.glossary.model import (
    categories,
    default_enforcement,
    enforcement_levels,
    required_columns,
)
from workbench.glossary.tbx import read_tbx, write_tbx
from workbench.glossary.termbase import render_tsv, save_entries

VALID = Path(__file__).parent / "data" / "glossary" / "valid" / "terms.tsv"
HEADER_11 = "\t".join(required_columns())
HEADER_12 = HEADER_11 + "\tenforcement"


def _with_column(tmp_path: Path, values: dict[str, str]) -> Path:
    """Copy the 11-column fixture as a 12-column file, ``values`` by id (others empty)."""
    lines = VALID.read_text(encoding="utf-8").splitlines()
    out = [HEADER_12]
    for line in lines[1:]:
        out.append(line + "\t" + values.get(line.split("\t")[0], ""))
    path = tmp_path / "terms.tsv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_a_file_without_the_column_loads_with_category_defaults():
    glossary = load_glossary(VALID)
    levels = {e.id: (e.enforcement, e.level) for e in glossary.entries}
    assert levels["t-lbc"] == ("", "required")  # slogan: 两不愁三保障
    assert levels["t-fp"] == ("", "descriptive")  # concept: 扶贫
    assert levels["t-jzfp"] == ("", "preferred")  # policy


def test_every_category_has_a_default_level():
    for category in categories():
        assert default_enforcement(category) in enforcement_levels()


def test_the_column_overrides_the_category_and_an_empty_cell_keeps_it(tmp_path):
    path = _with_column(tmp_path, {"t-fp": "preferred", "t-jzfp": "required"})
    glossary = load_glossary(path)
    assert glossary.get("t-fp").level == "preferred"
    assert glossary.get("t-jzfp").level == "required"
    assert glossary.get("t-lbc").level == "required" and glossary.get("t-lbc").enforcement == ""


def test_files_with_and_without_the_column_load_together(tmp_path):
    folder = tmp_path / "glossary"
    folder.mkdir()
    shutil.copy(VALID, folder / "old.tsv")
    new = folder / "new.tsv"
    new.write_text(
        HEADER_12 + "\nn-1\t三农\t\tagriculture, rural areas and farmers\t\t\tconcept\t\t"
        "A source\t\tapproved\trequired\n",
        encoding="utf-8",
    )
    glossary = load_glossary(folder)
    assert glossary.get("n-1").level == "required" and glossary.get("t-fp").level == "descriptive"


@pytest.mark.parametrize(
    ("header", "row_extra", "words"),
    [
        (HEADER_12, "\tmandatory", "enforcement 'mandatory' is not one of: required, preferred"),
        (HEADER_12, "", "has 11 columns, expected 12"),
        (HEADER_11 + "\tlevel", "\trequired", "optionally followed by: enforcement"),
        (HEADER_11, "\trequired", "has 12 columns, expected 11"),
    ],
)
def test_bad_enforcement_cells_and_headers_are_reported(tmp_path, header, row_extra, words):
    path = tmp_path / "x.tsv"
    row = "x-1\t扶贫\t\tpoverty alleviation\t\t\tconcept\t\tA source\t\tapproved" + row_extra
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    problems = check_glossary(path)
    assert len(problems) == 1 and words in problems[0].message, problems


def test_writing_keeps_the_short_header_until_an_entry_sets_a_level():
    entries = load_glossary(VALID).entries
    assert render_tsv(entries).splitlines()[0] == HEADER_11
    entries[0].enforcement = "preferred"
    lines = render_tsv(entries).splitlines()
    assert lines[0] == HEADER_12 and lines[1].endswith("\tpreferred")
    assert all(line.count("\t") == 11 for line in lines)


def test_csv_and_tbx_carry_the_level(tmp_path):
    path = _with_column(tmp_path, {"t-fp": "preferred", "t-jzfp": "required"})
    entries = load_glossary(path).entries
    write_csv(tmp_path / "g.csv", entries)
    write_tbx(tmp_path / "g.tbx", entries)
    for read in (read_csv(tmp_path / "g.csv"), read_tbx(tmp_path / "g.tbx")):
        assert {e.id: e.enforcement for e in read} == {e.id: e.enforcement for e in entries}


def test_csv_without_the_column_still_reads(tmp_path):
    entries = load_glossary(VALID).entries
    write_csv(tmp_path / "g.csv", entries)
    text = (tmp_path / "g.csv").read_text(encoding="utf-8-sig")
    short = "\r\n".join(line.rsplit(",", 1)[0] for line in text.split("\r\n") if line)
    (tmp_path / "short.csv").write_text(short + "\r\n", encoding="utf-8")
    read = read_csv(tmp_path / "short.csv")
    assert [e.id for e in read] == [e.id for e in entries]
    assert all(e.enforcement == "" for e in read)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from(categories()), st.sampled_from(["", *enforcement_levels()])),
        min_size=1,
        max_size=8,
    )
)
def test_levels_survive_a_save_and_load(tmp_path, rows):
    entries = [
        Entry(id=f"r-{n}", zh=f"扶贫{'贫' * n}", en="x", category=category, enforcement=level)
        for n, (category, level) in enumerate(rows)
    ]
    path = tmp_path / "round.tsv"
    save_entries(path, entries)
    loaded = load_glossary(path).entries
    assert [(e.enforcement, e.level) for e in loaded] == [
        (level, level or default_enforcement(category)) for category, level in rows
    ]


def test_lookup_shows_the_level_qa_applies(tmp_path, project_root, monkeypatch):
    monkeypatch.setenv("WORKBENCH_ROOT", str(project_root))
    monkeypatch.setenv("WORKBENCH_PATHS_WORK_DIR", str(tmp_path / "work"))
    monkeypatch.setenv("WORKBENCH_PATHS_GLOSSARY_DIR", str(VALID.parent))
    result = CliRunner().invoke(cli, ["glossary", "lookup", "扶贫", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["enforcement"], data["enforcement_from"]) == ("descriptive", "category")
    text = CliRunner().invoke(cli, ["glossary", "lookup", "两不愁三保障"]).output
    assert "required (category default)" in text
