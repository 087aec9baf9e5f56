"""Loading, versions, lookups, atomic saving and validated adding of entries."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.errors import GlossaryError
from workbench.glossary import Entry, add_entry, load_glossary, save_entries
from workbench.glossary.termbase import render_tsv

VALID = Path(__file__).parent / "data" / "glossary" / "valid"


@pytest.fixture
def glossary_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "glossary"
    shutil.copytree(VALID, folder)
    return folder


def test_load_reads_all_fields_and_location():
    glossary = load_glossary(VALID)
    entry = glossary.get("t-lbc")
    assert entry.zh == "两不愁三保障"
    assert entry.zh_variants == ["两不愁、三保障"]
    assert entry.en_forbidden == ["two worries and three guarantees"]
    assert (entry.category, entry.status, entry.source_url) == (
        "slogan",
        "approved",
        "https://example.org/a",
    )
    assert entry.file.endswith("terms.tsv") and entry.line == 2
    assert set(entry.to_dict()) >= {"id", "zh", "zh_variants", "en", "en_alternatives"}


@pytest.mark.parametrize(
    ("form", "entry_id"),
    [
        ("两不愁三保障", "t-lbc"),
        ("兩不愁三保障", "t-lbc"),
        ("两不愁，三保障", "t-lbc"),
        ("“五个一批”", "t-wgyp"),
        ("五個一批", "t-wgyp"),
        (" 精准扶贫 ", "t-jzfp"),
        ("脱贫", None),
    ],
)
def test_by_zh_finds_any_script_or_variant(form, entry_id):
    entry = load_glossary(VALID).by_zh(form)
    assert (entry.id if entry else None) == entry_id


def test_version_changes_with_content_only(glossary_dir):
    before = load_glossary(glossary_dir).version
    assert load_glossary(glossary_dir).version == before
    path = glossary_dir / "terms.tsv"
    path.write_text(path.read_text(encoding="utf-8").replace("Generic.", "Generic!"))
    assert load_glossary(glossary_dir).version != before


def test_save_round_trips_entries(glossary_dir):
    glossary = load_glossary(glossary_dir)
    out = glossary_dir / "copy.tsv"
    save_entries(out, glossary.entries)
    assert out.read_bytes() == (glossary_dir / "terms.tsv").read_bytes()
    again = load_glossary(out)
    assert [e.content() for e in again.entries] == [e.content() for e in glossary.entries]


def test_render_refuses_tabs_inside_cells():
    with pytest.raises(GlossaryError, match="tab or line break"):
        render_tsv([Entry(id="x", zh="脱贫", en="a\tb")])


def test_add_entry_appends_validated_row(glossary_dir):
    entry = Entry(
        id="t-new", zh="驻村工作队", en="village-based working team", category="institution"
    )
    saved = add_entry(glossary_dir, entry, "accepted.tsv")
    assert saved.file.endswith("accepted.tsv") and saved.line == 2
    glossary = load_glossary(glossary_dir)
    assert glossary.by_zh("駐村工作隊").id == "t-new"
    add_entry(glossary_dir, Entry(id="t-new2", zh="返贫监测", en="monitoring"), "accepted.tsv")
    assert [e.id for e in load_glossary(glossary_dir / "accepted.tsv")] == ["t-new", "t-new2"]


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        (Entry(id="t-fp", zh="返贫", en="relapse"), "duplicate id"),
        (Entry(id="t-z", zh="精準扶貧", en="x"), "also a form of 't-jzfp'"),
        (Entry(id="t-z", zh="返贫", en=""), "en is empty"),
        (Entry(id="t-z", zh="返贫", en="x", status="approved"), "source is empty"),
    ],
)
def test_add_entry_refuses_invalid_result_and_writes_nothing(glossary_dir, entry, words):
    before = {p.name: p.read_bytes() for p in glossary_dir.iterdir()}
    with pytest.raises(GlossaryError) as caught:
        add_entry(glossary_dir, entry, "terms.tsv")
    assert any(words in p for p in caught.value.problems), caught.value.problems
    assert {p.name: p.read_bytes() for p in glossary_dir.iterdir()} == before


def test_add_entry_refuses_paths_as_file_names(glossary_dir):
    with pytest.raises(GlossaryError, match="plain file name"):
        add_entry(glossary_dir, Entry(id="t-z", zh="返贫", en="x"), "../x.tsv")


def test_concurrent_adds_from_processes_are_all_kept(glossary_dir):
    """Two writers at once (the CLI and the service) never lose each other's rows."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        pool.starmap(_add_one, [(str(glossary_dir), n) for n in range(8)])
    ids = {e.id for e in load_glossary(glossary_dir / "accepted.tsv")}
    assert ids == {f"t-p{n}" for n in range(8)}


def _add_one(glossary_dir: str, n: int) -> None:
    zh = "返贫监测帮扶乡村振兴"[n : n + 3]
    add_entry(Path(glossary_dir), Entry(id=f"t-p{n}", zh=zh + "甲", en=f"x{n}"), "accepted.tsv")
