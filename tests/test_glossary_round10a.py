"""Round 10A of glossary recall (issue 16): recall_dev7.txt and the ``*13.tsv`` rows of
the poverty, social, rural, land and common-prosperity topics.

``tests/data/glossary/recall_dev7.txt`` is a fresh tuning file: 15 passages from bilingual pages,
marked before the glossary was run on them (its recall then, 72/170, is the honest estimate of
recall on new text of these topics). The rows of this round close its misses with the English of
the same publications or of other official bilingual pages, so a row may cite a recall_dev7 page
(as round 9B's rows cite recall_dev6 pages); it may cite no other measured page and no held-out
publication. These tests keep the promises docs/glossary.md makes about them.
"""

from __future__ import annotations

import re

import pytest
from glossary_rounds import (
    DATA,
    GLOSSARY,
    ROOT,
    check_forms_close_marked,
    check_found_in_running_text,
    check_fresh_passages,
    check_longer_entries_win,
    check_no_held_out_publication,
    check_not_marked_in_oldest,
    check_pages_unnamed_elsewhere,
    check_round_rows,
    check_variants_belong,
    entries_of,
    measurement_addresses_except,
    passages,
)

from workbench.glossary import load_glossary
from workbench.glossary.model import Entry

DEV7 = DATA / "glossary" / "recall_dev7.txt"
ROUND10A = [
    GLOSSARY / name for name in ("poverty13.tsv", "social13.tsv", "rural13.tsv", "prosperity13.tsv")
]
PREFIXES = {"pv13", "so13", "ru13", "cp13"}
# The written-differently variants this round put on older rows: form -> row.
VARIANTS = {
    "更加充分更高质量就业": "soc-075",
    "整省延包试点": "agr-042",
}
# Publications the alignment gold or the held-out term sets are drawn from (AVOID list and
# docs/glossary.md): never a source of this round, nor quoted in a note.
HELD_OUT_PUBLICATIONS = re.compile(
    r"Work of the Government|Government Work Report|政府工作报告"
    r"|China's Experience and Contribution|Epic Journey from Poverty to Prosperity"
    r"|Progress in Poverty Reduction and Human Rights|Green Development in the New Era"
    r"|China and the World in the New Era|Rural China|China Keywords|reciyi\.com"
    r"|New Progress in Development-oriented Poverty Reduction"
    r"|WS606fa535a31024ad0bab45f2|show-276333|gaozhaiedu\.com/html/whitepaper"
)
# Rows whose enforcement cell is set, each for the reason its note gives: a document or
# institution name whose English is one outlet's (preferred) or is paraphrased in running text
# (descriptive), and one policy formula recast in every sentence. Every other row takes its
# category's default (README, "Enforcement").
EXPLICIT = {
    "ru13-001": "preferred",
    "ru13-002": "descriptive",
    "cp13-002": "descriptive",
    "so13-003": "descriptive",
    "so13-005": "preferred",
    "so13-011": "descriptive",
    "so13-023": "descriptive",
    "so13-028": "descriptive",
}


def round10a_entries() -> list[Entry]:
    return entries_of(ROUND10A)


def test_recall_dev7_is_fresh() -> None:
    """Enough passages and terms, each term standing in its passage, one page per passage, and
    no page named by any file of the test data (held-out sets included, addresses compared
    without scheme and ``www.``), the seeds or the glossary before this round."""
    check_fresh_passages(DEV7, min_passages=15, min_terms=150)
    round_files = {path.name for path in ROUND10A} | {"social.tsv", "agriculture.tsv"}
    check_pages_unnamed_elsewhere(DEV7, skip=frozenset(round_files))


def test_recall_dev7_marks_traditional_pages_in_their_headers() -> None:
    """The three pages published in Traditional script say so, and their passages are written
    in it (the benchmark converts by the header)."""
    traditional = [(h, t) for h, t, _ in passages(DEV7) if "Traditional" in h]
    assert len(traditional) == 3
    for header, text in traditional:
        assert any(ch in text for ch in "國農發業與鄉"), header


def test_recall_dev7_is_measured_by_the_benchmark() -> None:
    text = (ROOT / "benchmarks" / "terminology.py").read_text("utf-8")
    assert "recall_dev7.txt" in text


def test_round10a_rows_are_approved_sourced_and_cite_no_other_measured_page() -> None:
    assert all(path.exists() for path in ROUND10A)
    check_round_rows(
        round10a_entries(),
        id_pattern=r"(pv|so|ru|cp)13-\d{3}",
        prefixes=PREFIXES,
        used=measurement_addresses_except(DEV7),
        minimum=60,
    )


def test_no_round10a_row_rests_on_a_held_out_publication() -> None:
    check_no_held_out_publication(
        round10a_entries(),
        HELD_OUT_PUBLICATIONS,
        [
            "Report on the Work of the Government 2024 (official English)",
            "https://www.reciyi.com/2024/03/6542-23.html",
            "SCIO white paper New Progress in Development-oriented Poverty Reduction Program",
        ],
    )


def test_enforcement_follows_the_category_defaults_unless_the_note_says_why() -> None:
    """The enforcement cell is empty (the category's default) except on the rows of EXPLICIT;
    nothing of this round is `required`, and its concepts are descriptive."""
    entries = round10a_entries()
    assert {e.id: e.enforcement for e in entries if e.enforcement} == EXPLICIT
    assert "required" not in {e.level for e in entries}
    concepts = [e for e in entries if e.category == "concept"]
    assert len(concepts) >= 40 and {e.level for e in concepts} == {"descriptive"}


def test_the_variants_cite_their_page_and_belong_to_their_older_rows() -> None:
    check_variants_belong(VARIANTS)
    entries = {e.id: e for e in load_glossary(GLOSSARY).entries}
    for form, entry_id in VARIANTS.items():
        note = entries[entry_id].note
        assert form in note and re.search(r"https?://", note), (form, entry_id)


def test_recall_dev_stays_a_measure_of_terms_nobody_looked_up() -> None:
    check_not_marked_in_oldest(round10a_entries(), VARIANTS)


def test_round10a_forms_close_terms_recall_dev7_marks() -> None:
    """The round's point: many new forms are terms recall_dev7 marks (in either script), and
    the glossary now finds each of them whole."""
    check_forms_close_marked(round10a_entries(), VARIANTS, DEV7, minimum=40)


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_round10a_concepts_are_found_in_running_text(script: str) -> None:
    text = (
        "《中共中央、国务院关于保持土地承包关系稳定并长久不变的意见》要求保持土地承包关系稳定并长久不变,"
        "稳定农村土地承包关系,保障农民土地承包权益,管好承包耕地,维护农民权益,发展农村经济,"
        "统筹一二三产业;环江毛南族自治县群众外出打工。促进共同富裕,落实《中共中央国务院关于支持"
        "浙江高质量发展建设共同富裕示范区的意见》,建设高质量发展高品质生活先行区、城乡区域协调发展引领区、"
        "收入分配制度改革试验区、文明和谐美丽家园展示区,多渠道增加城乡居民收入,夯实共同富裕的物质基础;"
        "实施山海协作工程和山海协作升级版,推动山区26县跨越式高质量发展,缩小地区发展差距,"
        "建设山海协作飞地、科创飞地、产业飞地和消薄飞地,形成以中等收入群体为主体的社会结构,"
        "人均生产总值达到中等发达经济体水平,提高城乡居民收入,扶持集体经济薄弱村。"
        "个人养老金资金账户实行封闭运行;"
        "《国务院办公厅关于发展银发经济增进老年人福祉的意见》关注老龄化人口;无障碍环境建设法规定"
        "无障碍设施、无障碍信息交流和无障碍社会服务,方便老年人。高校毕业生就业形势复杂,"
        "教育部高校学生司开展服务。社会救助包括教育救助,鼓励社会力量参与,发放住房租赁补贴,"
        "提供社会救助服务,保障基本生活,维护社会和谐稳定,国务院民政部门统筹,与经济社会发展水平相适应;"
        "退伍军人返乡,参加职工基本医疗保险。调整医保药品目录,实施《“十四五”全民医疗保障规划》,建设覆盖全民、统筹城乡、"
        "公平统一、可持续的多层次医疗保障体系,建立职工基本医疗保险门诊共济保障机制,"
        "个人医保账户可在定点医疗机构使用,发布全国医疗保障事业发展统计公报,弥合数字鸿沟。"
        "加强妇女脱贫,做好扶贫工作,从收入贫困转向多维贫困,建立常态化减贫机制和长效机制。"
    )
    check_found_in_running_text(text, script, round10a_entries())


def test_longer_entries_still_win_over_the_round10a_forms() -> None:
    """Leftmost-longest: the new forms do not cut the older compounds that contain them."""
    check_longer_entries_win(
        [
            ("扎实推动共同富裕", "cp-057"),
            ("农村一二三产业融合发展", "rur-117"),
            ("应届高校毕业生", "so3-008"),
            ("无障碍环境建设", "soc-272"),
            ("特殊困难老年人探访关爱服务", "soc-006"),
            ("驻村扶贫工作队", "pov-009"),
            ("基本生活条件", "hv-116"),
        ]
    )
