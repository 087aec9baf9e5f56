"""A dev measure that does not leak the glossary (issue 10): the dev run aligns each
document without the glossary rows learnt from its own publication, and a term whose
English was not found counts as lacking only where not finding it means something."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from workbench.align.names import term_anchors
from workbench.glossary import load_glossary
from workbench.glossary.model import Entry
from workbench.glossary.termbase import Glossary

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "align-dev"


def _load_bench():  # the benchmark is a script, not a package module
    spec = importlib.util.spec_from_file_location("align_bench", ROOT / "benchmarks" / "align.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["align_bench"] = module
    spec.loader.exec_module(module)
    return module


bench = _load_bench()

README = """\
| ID | publication | page(s) read | zh |
| --- | --- | --- | --- |
| `gwr2014wellbeing` | the 2014 report, second page | http://hxen.net/a/340812_2.html | 5 |
| `wpdefense2019` | SCIO white paper 《新时代的中国国防》 | https://en84.com/7280.html/3 | 4 |
| `scio2022gwr` | SCIO briefing on the 2022 Report on the Work of the Government | x | 3 |
| `mfa2020` | Foreign Ministry press conferences | http://yingyushijie.com/e/6881.html | 2 |
"""


def _entry(entry_id: str, source: str, url: str = "") -> Entry:
    return Entry(id=entry_id, zh="词" + entry_id, en="word", source=source, source_url=url)


def test_rows_of_a_documents_own_publication_are_found_by_page_report_year_and_title(
    tmp_path: Path,
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    glossary = Glossary(
        [
            # the dev page itself, written with another scheme and a trailing slash
            _entry("page", "a study site", "https://www.hxen.net/a/340812_2.html/"),
            # the same report on another mirror, and with the year before the title
            _entry("mirror", 'Premier Li Keqiang, "Report on the Work of the Government" 2014'),
            _entry("yearfirst", "China Daily, 2014 Government Work Report highlights"),
            # a repost year after the report's own year is not the report's year
            _entry("repost", "Report on the Work of the Government 2009, 2014 repost"),
            _entry("address", "Report on the Work of the Government 2009 (2014npccppcc)"),
            # the white paper's title on a rendering from another page
            _entry("title", "SCIO white paper 《新时代的中国国防》, official English"),
            # another publication altogether
            _entry("other", "Report on the Work of the Government 2022"),
            _entry("none", "", ""),
        ],
        "test",
    )
    own = bench.own_publication_rows(glossary, readme)
    assert own["gwr2014wellbeing"] == {"page", "mirror", "yearfirst"}
    assert own["wpdefense2019"] == {"title"}
    # a briefing on a report is not the report: only its own page would count
    assert own["scio2022gwr"] == set()
    assert own["mfa2020"] == set()

    chosen, dropped = bench.fair_dev_glossaries(
        glossary, readme, ["gwr2014wellbeing", "wpdefense2019", "mfa2020"]
    )
    assert dropped == {"page", "mirror", "yearfirst", "title"}
    assert chosen["mfa2020"] is glossary  # nothing to leave out: the whole glossary
    assert {e.id for e in chosen["gwr2014wellbeing"].entries} == {
        "repost",
        "address",
        "title",
        "other",
        "none",
    }
    # each copy is its own glossary version (the matcher is built per version)
    assert len({g.version for g in chosen.values()}) == 3


def test_the_dev_set_has_rows_of_its_own_publications_in_the_shipped_glossary() -> None:
    """The leak the fair run closes is real: rows whose page is a dev page (the 2016
    report's "10 Highlights", the About China script) and rows of the same reports on
    other copies; no row of a dev document's publication is left in its glossary."""
    glossary = load_glossary(ROOT / "glossary")
    own = bench.own_publication_rows(glossary, DEV / "README.md")
    dev_pages = {bench._page(u) for u in bench._URL.findall((DEV / "README.md").read_text("utf-8"))}
    by_page = {
        e.id for e in glossary.entries if e.source_url and bench._page(e.source_url) in dev_pages
    }
    assert by_page and by_page <= set().union(*own.values())
    assert own["gwr2016hl"] == own["gwr2016"]  # one report, two pages
    chosen, _ = bench.fair_dev_glossaries(glossary, DEV / "README.md", sorted(own))
    for doc_id, rows in own.items():
        assert not rows & {e.id for e in chosen[doc_id].entries}


LEVELS = {"premier": "required", "president": "required"}
FORMS = {"premier": ["国务院总理"], "president": ["国家主席"]}


def test_a_term_whose_english_was_never_looked_for_is_not_missing() -> None:
    """国家主席's rendering "President" is one word, never looked for: not finding it in
    the English says nothing, so it cannot be lacking."""
    zh = [{"president"}, {"premier"}, set()]
    en: list[set[str]] = [set(), set(), set()]
    zh_keys, _, _ = term_anchors(zh, en, LEVELS, FORMS, searched={"premier"})
    assert zh_keys[:2] == [set(), {"premier"}]


def test_a_long_form_rendered_by_its_short_form_is_not_missing() -> None:
    """全体人民共同富裕's listed English is not on the page, but 共同富裕's is ("the
    common prosperity of the entire population"): the zh line carries the short anchor
    and nothing lacking, so the 2–2 bead it is in is not charged."""
    levels = {"long": "required", "short": "required"}
    forms = {"long": ["全体人民共同富裕"], "short": ["共同富裕"]}
    zh = [{"long"}, set(), set(), {"short"}, set(), set()]
    en = [{"short"}, set(), set(), {"short"}, set(), set()]
    zh_keys, en_keys, _ = term_anchors(zh, en, levels, forms)
    assert zh_keys[0] == {"short"}
    assert en_keys[0] == {"short"}
