"""Round 8 of glossary recall, coverage B (issue 16): the ``*11.tsv`` rows of the poverty,
social, rural, land and ecology topics.

This round, unlike the earlier ones, closes terms the tuning passages (``recall_dev*.txt``)
mark and the glossary missed: each new row or variant is a concept a passage names, sourced
from a page that gives the Chinese with an English rendering (a China Daily note, a speech
with its English, journal abstracts with their authors' English). No row cites a page a
measurement set uses, a recall passage's own page included, nor a held-out publication.
These tests keep the promises docs/glossary.md makes about them.
"""

from __future__ import annotations

import re

import pytest
from glossary_rounds import (
    DATA,
    GLOSSARY,
    check_round_rows,
    check_variants_belong,
    entries_of,
    found_in,
    passages,
)
from glossary_rounds import (
    measurement_addresses as measurement_addresses_of,
)

from workbench.glossary import load_glossary
from workbench.glossary.fold import fold
from workbench.glossary.model import Entry

ROUND8B = [
    GLOSSARY / name for name in ("poverty11.tsv", "social11.tsv", "rural11.tsv", "ecology11.tsv")
]
PREFIXES = {"pv11", "so11", "ru11", "ec11"}
# The written-differently variants this round put on older rows: form -> row.
VARIANTS = {
    "两山论": "rur-094",
    "社会保障制度": "rur-153",
}
# Publications the alignment gold or the held-out term sets are drawn from (docs/glossary.md,
# round 7 coverage C): never a source of this round, nor quoted in a note.
HELD_OUT_PUBLICATIONS = re.compile(
    r"Work of the Government|Government Work Report|政府工作报告"
    r"|China's Experience and Contribution|Epic Journey from Poverty to Prosperity"
    r"|Progress in Poverty Reduction and Human Rights|Green Development in the New Era"
    r"|China and the World in the New Era|Rural China|China Keywords|reciyi\.com"
    r"|WS5d9e7f6fa310cf3e3556f90a|WS5d259d49a3105895c2e7cc1a|WS5d259d91a3105895c2e7cc28"
)


def round8b_entries() -> list[Entry]:
    return entries_of(ROUND8B)


def measurement_addresses() -> set[str]:
    """Every page a measurement set names, every recall passage file included."""
    return measurement_addresses_of(sorted((DATA / "glossary").glob("recall_dev*.txt")))


def test_round8b_rows_are_approved_sourced_and_cite_no_measured_page() -> None:
    assert all(path.exists() for path in ROUND8B)
    check_round_rows(
        round8b_entries(),
        id_pattern=r"(pv|so|ru|ec)11-\d{3}",
        prefixes=PREFIXES,
        used=measurement_addresses(),
        minimum=6,
    )


def test_no_round8b_row_rests_on_a_held_out_publication() -> None:
    for entry in round8b_entries():
        for text in (entry.source, entry.source_url, entry.note):
            assert not HELD_OUT_PUBLICATIONS.search(text), (entry.id, text)
    # The check bites on the forms such a source takes.
    for text in (
        "Report on the Work of the Government 2023 (official English)",
        "https://language.chinadaily.com.cn/a/201910/10/WS5d9e7f6fa310cf3e3556f90a.html",
        "https://www.reciyi.com/2021/04/1248-9.html",
    ):
        assert HELD_OUT_PUBLICATIONS.search(text), text


def test_the_variants_cite_their_page_and_belong_to_their_older_rows() -> None:
    check_variants_belong(VARIANTS)
    entries = {e.id: e for e in load_glossary(GLOSSARY).entries}
    for form, entry_id in VARIANTS.items():
        note = entries[entry_id].note
        assert form in note and re.search(r"https?://", note), (form, entry_id)


def test_nothing_of_this_round_is_enforced() -> None:
    """General vocabulary and names whose English varies between translators: a missing
    rendering is never a QA warning."""
    assert {e.enforcement for e in round8b_entries()} == {"descriptive"}


def test_round8b_forms_close_terms_the_tuning_passages_mark() -> None:
    """The round's point: most new forms (rows and variants) are terms some recall passage
    marks (in either script), and the glossary now finds each of them whole."""
    marked = {
        fold(term)
        for path in sorted((DATA / "glossary").glob("recall_dev*.txt"))
        for _, _, terms in passages(path)
        for term in terms
    }
    forms = {form for e in round8b_entries() for form in e.zh_forms} | set(VARIANTS)
    closing = {form for form in forms if fold(form) in marked}
    assert len(closing) >= 6, sorted(closing)
    matcher = load_glossary(GLOSSARY).matcher()
    for form in closing:
        spans = [(m.start, m.end) for m in matcher.find(form)]
        assert (0, len(form)) in spans, (form, spans)


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_round8b_concepts_are_found_in_running_text(script: str) -> None:
    text = (
        "坚持家庭经营在农业中的基础性地位，建立城乡统一的建设用地市场；"
        "以习近平生态文明思想为指导，让生态脆弱区群众搬得出；"
        "持续关注脱贫户的返贫风险，用好脱贫人口小额信贷，稳定乡村教师队伍；"
        "发展新型农村集体经济，完善医疗保障，加强职业培训；民法典对此有规定。"
        "走中国特色农业现代化道路，如期实现脱贫攻坚目标。"
        "落实全国农业可持续发展规划，推动农业可持续发展，统计常住人口，做好乡村发展工作。"
    )
    found = found_in(text, script)
    wanted = {e.id for e in round8b_entries()}
    assert wanted <= found, sorted(wanted - found)


def test_longer_entries_still_win_over_the_round8b_forms() -> None:
    """Leftmost-longest: the new forms do not cut the older compounds that contain them or
    that they stand beside."""
    matcher = load_glossary(GLOSSARY).matcher()
    for text, entry_id in [
        ("扶贫小额信贷", "pov-101"),
        ("绿水青山就是金山银山", "rur-094"),
        ("规模性返贫", "rur-026"),
        ("生态脆弱性", "ec9-027"),
        ("农村集体经济组织", "ru9-020"),
        ("国家医疗保障局", "rur-091"),
        ("全民医疗保障体系", "soc-135"),
        ("社会保障兜底", "pov-156"),
        ("城镇常住人口", "pl4-014"),
        ("常住人口城镇化率", "en5-007"),
        ("数字乡村发展战略纲要", "pl-026"),
    ]:
        [match] = matcher.find(text)
        assert match.entry_id == entry_id, (text, match.entry_id)
