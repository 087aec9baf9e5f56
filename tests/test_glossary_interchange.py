"""TBX-Basic and CSV export/import: read by an independent TBX reader, and round trips."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from translate.storage.tbx import tbxfile

from workbench.cli import cli
from workbench.errors import InputError
from workbench.glossary import Entry, load_glossary
from workbench.glossary.csvfile import read_csv, write_csv
from workbench.glossary.model import categories
from workbench.glossary.tbx import read_tbx, write_tbx

DATA = Path(__file__).parent / "data" / "glossary"
VALID = DATA / "valid"
GLOSSARY_DIR = Path(__file__).parent.parent / "glossary"


def _glossaries() -> list[Path]:
    """The fixture, plus the real term base when it exists and loads."""
    found = [VALID]
    try:
        load_glossary(GLOSSARY_DIR)
        found.append(GLOSSARY_DIR)
    except Exception:  # the real term files are still being written; the fixture suffices
        pass
    return found


@pytest.mark.parametrize("source", _glossaries(), ids=lambda p: p.name)
def test_translate_toolkit_reads_our_tbx(tmp_path, source):
    glossary = load_glossary(source)
    path = tmp_path / "g.tbx"
    write_tbx(path, glossary.entries, glossary.version)
    with open(path, "rb") as handle:
        store = tbxfile(handle, sourcelanguage="zh", targetlanguage="en")
    units = [u for u in store.units if u.getid()]
    assert [u.getid() for u in units] == [e.id for e in glossary.entries]
    for unit, entry in zip(units, glossary.entries, strict=True):
        zh_terms = unit.get_source_terms()
        en_terms = unit.get_target_terms("en")
        assert [t.text for t in zh_terms] == entry.zh_forms
        assert [t.text for t in en_terms] == [
            entry.en,
            *entry.en_alternatives,
            *entry.en_forbidden,
        ]
        deprecated = [t.text for t in en_terms if t.deprecated]
        assert deprecated == entry.en_forbidden
        main_status = en_terms[0].administrative_status
        assert main_status == (
            "preferredTerm-admn-sts" if entry.status == "approved" else "admittedTerm-admn-sts"
        )
        concept_notes = {(n.category, n.text) for n in en_terms[0].notes}
        assert ("subjectField", entry.category) in concept_notes
        if entry.note:
            assert entry.note in unit.getnotes()


@pytest.mark.parametrize("source", _glossaries(), ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["tbx", "csv"])
def test_export_then_import_round_trips_every_field(tmp_path, source, fmt):
    glossary = load_glossary(source)
    exported = tmp_path / f"g.{fmt}"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["glossary", "export", "--format", fmt, "--glossary", str(source), "-o", str(exported)]
    )
    assert result.exit_code == 0, result.output
    target = tmp_path / "new" / "imported.tsv"
    target.parent.mkdir()
    result = runner.invoke(cli, ["glossary", "import", str(exported), "--into", str(target)])
    assert result.exit_code == 0, result.output
    again = load_glossary(target.parent)
    assert [e.content() for e in again.entries] == [e.content() for e in glossary.entries]


def test_tbx_has_the_tbx_basic_structure(tmp_path):
    path = tmp_path / "g.tbx"
    write_tbx(path, load_glossary(VALID).entries)
    tree = etree.parse(str(path))
    root = tree.getroot()
    assert root.tag == "martif" and root.get("type") == "TBX-Basic"
    assert "TBXBasiccoreStructV02.dtd" in tree.docinfo.doctype
    assert root.find("martifHeader/encodingDesc/p").text == "TBXBasicXCSV02.xcs"
    entry = root.find("text/body/termEntry[@id='t-lbc']")
    lang_sets = entry.findall("langSet")
    assert [ls.get("{http://www.w3.org/XML/1998/namespace}lang") for ls in lang_sets] == [
        "zh",
        "en",
    ]
    en_main = lang_sets[1].find("tig")
    assert en_main.find("admin[@type='source']").text == "Test fixture source"
    assert en_main.find("xref").get("target") == "https://example.org/a"


def test_import_merges_by_id_and_refuses_invalid_results(tmp_path):
    folder = tmp_path / "glossary"
    shutil.copytree(VALID, folder)
    csv_path = tmp_path / "in.csv"
    changed = load_glossary(VALID).get("t-fp")
    changed.en = "poverty relief"
    write_csv(csv_path, [changed, Entry(id="t-new", zh="返贫", en="return to poverty")])
    runner = CliRunner()
    into = folder / "terms.tsv"
    result = runner.invoke(cli, ["glossary", "import", str(csv_path), "--into", str(into)])
    assert result.exit_code == 0, result.output
    assert "1 replaced, 1 new" in result.output
    glossary = load_glossary(folder)
    assert glossary.get("t-fp").en == "poverty relief" and glossary.by_zh("返貧").id == "t-new"
    before = into.read_bytes()
    write_csv(csv_path, [Entry(id="t-clash", zh="精准扶贫", en="x")])
    result = runner.invoke(cli, ["glossary", "import", str(csv_path), "--into", str(into)])
    assert result.exit_code != 0
    assert into.read_bytes() == before


def test_tbx_from_another_tool_is_read(tmp_path):
    """ntig containers, regional language tags and no termType notes (as MultiTerm writes)."""
    path = tmp_path / "other.tbx"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en-US"><text><body>
<termEntry id="c7"><descrip type="subjectField">policy</descrip>
 <langSet xml:lang="zh-CN"><ntig><termGrp><term>精准扶贫</term></termGrp></ntig></langSet>
 <langSet xml:lang="en-US">
  <ntig><termGrp><term>targeted poverty alleviation</term>
   <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termGrp></ntig>
  <ntig><termGrp><term>precise poverty alleviation</term>
   <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termGrp></ntig>
 </langSet></termEntry></body></text></martif>""",
        encoding="utf-8",
    )
    [entry] = read_tbx(path)
    assert (entry.id, entry.zh, entry.en, entry.status) == (
        "c7",
        "精准扶贫",
        "targeted poverty alleviation",
        "approved",
    )
    assert entry.en_forbidden == ["precise poverty alleviation"]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("<martif><text><body><termEntry", "not a readable TBX"),
        ('<tbx xmlns="urn:iso:std:iso:30042:ed-2"/>', "only TBX 2008"),
        (
            '<martif><text><body><termEntry id="x"><langSet xml:lang="en"><tig><term>a</term>'
            "</tig></langSet></termEntry></body></text></martif>",
            "has no Chinese",
        ),
    ],
)
def test_bad_tbx_is_an_input_error(tmp_path, content, words):
    path = tmp_path / "bad.tbx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=words):
        read_tbx(path)


# Field values as editors may write them: any printable text, no edge spaces, no tabs.
cell = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="|"),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)
entries = st.builds(
    Entry,
    id=st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True),
    zh=st.text("扶贫攻坚精准两不愁三保障", min_size=1, max_size=6),
    en=cell,
    zh_variants=st.lists(cell, max_size=2),
    en_alternatives=st.lists(cell, max_size=2),
    en_forbidden=st.lists(cell, max_size=2),
    category=st.sampled_from(categories()),
    note=st.one_of(st.just(""), cell),
    source=st.one_of(st.just(""), cell),
    source_url=st.one_of(st.just(""), st.just("https://example.org/x?a=1&b=2")),
    status=st.sampled_from(["approved", "proposed"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entry=entries)
def test_any_entry_survives_tbx_and_csv(tmp_path, entry):
    write_tbx(tmp_path / "x.tbx", [entry])
    assert [e.content() for e in read_tbx(tmp_path / "x.tbx")] == [entry.content()]
    write_csv(tmp_path / "x.csv", [entry])
    assert [e.content() for e in read_csv(tmp_path / "x.csv")] == [entry.content()]


@pytest.mark.parametrize(("fmt", "start"), [("tbx", "<?xml"), ("csv", "id,zh,zh_variants")])
def test_export_without_output_writes_to_stdout(fmt, start):
    result = CliRunner().invoke(
        cli, ["glossary", "export", "--format", fmt, "--glossary", str(VALID)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(start) and "两不愁三保障" in result.output


def test_csv_without_the_glossary_columns_is_an_input_error(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,zh,en\nx,脱贫,y\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        read_csv(path)
