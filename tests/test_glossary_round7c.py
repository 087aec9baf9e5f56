"""Round 7 of glossary recall, coverage C (issue 16): the ``*10.tsv`` rows of the poverty and
social topics.

``poverty10.tsv`` and ``social10.tsv`` add concepts that policy texts on post-2020 poverty
monitoring, pensions, medical insurance, employment support, education, housing, ageing and
social rights use and the glossary did not find, each sourced from a page that gives the
official English next to the Chinese (the 20th Congress report, the Human Rights Action Plan
2021-2025, Xi Jinping's Qiushi article on social security, bilingual white papers that are not
held-out publications, China Daily). No row rests on a publication the alignment gold or a
held-out term set is drawn from (the Government Work Reports of 2013, 2015, 2017 and
2019-2025 among them). Six written-differently variants go on older rows. These tests keep
the promises docs/glossary.md makes about them.
"""

from __future__ import annotations

import re

import pytest
from glossary_rounds import (
    DATA,
    GLOSSARY,
    check_not_marked_in_oldest,
    check_round_rows,
    check_variants_belong,
    entries_of,
    found_in,
)
from glossary_rounds import (
    measurement_addresses as measurement_addresses_of,
)

from workbench.glossary import load_glossary
from workbench.glossary.model import Entry

ROUND7C = [GLOSSARY / name for name in ("poverty10.tsv", "social10.tsv")]
PREFIXES = {"pv10", "so10"}
# The written-differently variants this round put on older rows: form -> row.
VARIANTS = {
    "健康权利": "soc-134",
    "稳岗返还": "soc-194",
    "特定群体权利": "soc-104",
    "一对夫妻可以生育三个子女政策": "soc-198",
    "失业保险稳岗返还资金": "soc-194",
    "技术工人队伍": "soc-203",
}


def round7c_entries() -> list[Entry]:
    return entries_of(ROUND7C)


def measurement_addresses() -> set[str]:
    """Every page a measurement set names (the alignment gold's pages of the reports this round
    draws other parts from among them), every recall passage file included."""
    return measurement_addresses_of(sorted((DATA / "glossary").glob("recall_dev*.txt")))


def test_round7c_rows_are_approved_sourced_and_cite_no_measured_page() -> None:
    assert all(path.exists() for path in ROUND7C)
    check_round_rows(
        round7c_entries(),
        id_pattern=r"[a-z]{2}10-\d{3}",
        prefixes=PREFIXES,
        used=measurement_addresses(),
        minimum=40,
    )


# Publications the alignment gold or the held-out term sets are drawn from: never a source of
# this round, whatever their page (the aligner reads the glossary).
HELD_OUT_PUBLICATIONS = re.compile(
    r"Work of the Government,? ?\(?(2013|2015|2017|2019|2020|2021|2022|2023|2024|2025)"
    r"|Government Work Report,? ?\(?(2013|2015|2017|2019|2020|2021|2022|2023|2024|2025)"
    r"|(2013|2015|2017|2019|2020|2021|2022|2023|2024|2025) (Report on the Work of the Government"
    r"|Government Work Report)"
    r"|China's Experience and Contribution|Epic Journey from Poverty to Prosperity"
    r"|Progress in Poverty Reduction and Human Rights|Green Development in the New Era"
    r"|China and the World in the New Era|Rural China|reciyi\.com/20(1[3579]|2[0-5])/0[35]/"
)


def test_no_round7c_row_rests_on_a_held_out_publication() -> None:
    """The Government Work Reports and white papers the alignment gold or a held-out term set
    is drawn from are never this round's source, nor quoted as its evidence in a note."""
    for entry in round7c_entries():
        for text in (entry.source, entry.source_url, entry.note):
            assert not HELD_OUT_PUBLICATIONS.search(text), (entry.id, text)
    # The check itself bites on the forms such a source takes.
    for text in (
        "Report on the Work of the Government 2023 (official English)",
        "Report on the Work of the Government (2024), zh and en",
        "https://www.reciyi.com/2025/03/10595-15.html",
        "SCIO white paper 'Poverty Alleviation: China's Experience and Contribution'",
    ):
        assert HELD_OUT_PUBLICATIONS.search(text), text


def test_only_the_fixed_official_name_is_enforced() -> None:
    """Descriptive for general vocabulary; preferred only for a fixed official name (the
    disease-control administration). Nothing of this round is required."""
    levels = {entry.id: entry.enforcement for entry in round7c_entries()}
    assert {k for k, v in levels.items() if v != "descriptive"} == {"so10-006"}
    assert levels["so10-006"] == "preferred"


def test_no_round7c_form_is_a_term_marked_in_the_oldest_tuning_passages() -> None:
    """recall_dev.txt stays a measure of terms nobody looked up: three sourced rows whose forms
    it marks (防止返贫监测和帮扶, 农村低收入人口, 基本医疗) were dropped for that reason."""
    check_not_marked_in_oldest(round7c_entries(), VARIANTS)


def test_the_variants_belong_to_their_older_rows() -> None:
    check_variants_belong(VARIANTS)


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_round7c_concepts_are_found_in_running_text(script: str) -> None:
    text = (
        "保障住房安全；培养高技能人才，"
        "扩大企业职工基本养老保险覆盖面并推进全国统筹，组建国家疾病预防控制局，加强基本医保基金监管，"
        "全面贯彻党的教育方针，推动老龄事业发展，发展普惠托育服务体系，"
        "提高优生优育服务水平，降低家庭教育开支，保障工作权利和受教育权。"
    )
    found = found_in(text, script)
    wanted = {
        "pv10-001",  # 住房安全
        "so10-013",  # 高技能人才
        "so10-006",  # 国家疾病预防控制局
        "so10-007",  # 企业职工基本养老保险
        "so10-008",  # 全国统筹
        "so10-014",  # 工作权利
        "so10-016",  # 受教育权
        "so10-021",  # 老龄事业
        "so10-025",  # 基本医保基金
        "so10-031",  # 党的教育方针
        "so10-033",  # 优生优育服务
        "so10-034",  # 普惠托育服务体系
        "so10-035",  # 家庭教育开支
    }
    assert wanted <= found, sorted(wanted - found)


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_second_pass_concepts_are_found_in_running_text(script: str) -> None:
    """The rows the second pass took from the 20th Congress report, Xi Jinping's speech on social
    security, China Daily, the 2015 gender-equality white paper and the 2016-2020 action plan."""
    text = (
        "社会保障发挥着民生保障安全网、收入分配调节器、经济运行减震器的作用。"
        "发展素质教育，推进职普融通、科教融汇，加强作业管理，提升健康素养；"
        "在幼有所育上持续用力；促进性别平等，实施国家人权行动计划，开展人权教育。"
        "自2009年以来，国家先后实施了两期人权行动计划。"
    )
    found = found_in(text, script)
    wanted = {
        "so10-080",  # 素质教育
        "so10-081",  # 民生保障安全网
        "so10-082",  # 收入分配调节器
        "so10-083",  # 经济运行减震器
        "so10-085",  # 健康素养
        "so10-086",  # 幼有所育
        "so10-094",  # 作业管理
        "so10-095",  # 职普融通
        "so10-096",  # 科教融汇
        "so10-102",  # 性别平等
        "so10-109",  # 人权行动计划 (the plans in general)
        "pl10-004",  # 国家人权行动计划 (the document)
        "so10-115",  # 人权教育
    }
    assert wanted <= found, sorted(wanted - found)


def test_the_seven_items_stay_one_formula() -> None:
    """The seven 'access' items of soc-001 are found whole as that formula; each item alone is
    its own row, and the five of 2007 are theirs."""
    matcher = load_glossary(GLOSSARY).matcher()
    seven = "幼有所育、学有所教、劳有所得、病有所医、老有所养、住有所居、弱有所扶"
    assert [m.entry_id for m in matcher.find(seven)] == ["soc-001"]
    five = "学有所教、劳有所得、病有所医、老有所养、住有所居"
    assert [m.entry_id for m in matcher.find(five)] == ["so10-091"]
    assert [m.entry_id for m in matcher.find("坚持弱有所扶")] == ["so10-090"]


def test_longer_entries_still_win_over_the_round7c_forms() -> None:
    """Leftmost-longest: the new short forms (全国统筹, 基本民生, 失业保险基金 ...) never cut an
    older, longer entry."""
    matcher = load_glossary(GLOSSARY).matcher()
    for text, entry_id in [
        ("基本养老保险全国统筹制度", "soc-086"),
        ("基本养老保险基金中央调剂制度", "soc-147"),
        ("失业保险基金结余", "soc-234"),
        ("多层次社会保障体系", "soc-062"),
        ("防止返贫动态监测和帮扶机制", "rur-031"),
    ]:
        [match] = matcher.find(text)
        assert match.entry_id == entry_id, (text, match.entry_id)


def test_a_short_form_does_not_take_the_formula_it_stands_in() -> None:
    """The 20th Congress formula of the social security system is found whole, and its short
    form (soc-062) still stands alone."""
    matcher = load_glossary(GLOSSARY).matcher()
    formula = "覆盖全民、统筹城乡、公平统一、安全规范、可持续的多层次社会保障体系"
    [match] = matcher.find(formula)
    assert (match.entry_id, match.start, match.end) == ("so10-009", 0, len(formula))
    assert [m.entry_id for m in matcher.find("健全多层次社会保障体系")] == ["soc-062"]
