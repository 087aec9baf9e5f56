"""Round 10 of glossary recall, coverage B (issue 16): ``recall_dev8.txt`` and the ``*14.tsv``
rows of the Party, State, governance, economy and finance, ecology and climate, and foreign-policy
topics.

``tests/data/glossary/recall_dev8.txt`` is a fresh tuning file: 20 passages of 20 pages that
publish the Chinese with an English version (Qiushi, China Daily notes, bilingual news, an
embassy's speeches, a Foreign Ministry press conference, the NPC Standing Committee's reports, a
white paper), marked by hand and committed before the glossary was run on it. Its first reading,
117/235, is the honest estimate of recall on new text of these topics. The rows of the round take
their English from the same pages where the page prints it (as round 9b did), so a row may cite a
``recall_dev8`` page; it may cite no other measured page and no held-out publication. These
tests keep the promises docs/glossary.md makes about them.
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

from workbench.glossary.model import Entry

DEV8 = DATA / "glossary" / "recall_dev8.txt"
ROUND10B = [
    GLOSSARY / name
    for name in (
        "party14.tsv",
        "governance14.tsv",
        "economy14.tsv",
        "ecology14.tsv",
        "diplomacy14.tsv",
    )
]
PREFIXES = {"pt14", "gv14", "en14", "ec14", "dp14"}
# The written-differently variants this round put on older rows: form -> row.
VARIANTS = {
    "全国人大常委会工作报告": "gv3-019",
    "全国人民代表大会常务委员会工作报告": "gv3-019",
    "携手构建人类命运共同体:中国的倡议与行动": "gv5-007",
}
# Document names with one fixed English are the only rows QA holds translations to.
PREFERRED = {"dp14-011", "ec14-021"}
# Publications the alignment gold or the held-out term sets are drawn from (docs/glossary.md):
# never a source of this round, nor quoted in a note.
HELD_OUT_PUBLICATIONS = re.compile(
    r"Work of the Government|Government Work Report|政府工作报告"
    r"|China's Experience and Contribution|Epic Journey from Poverty to Prosperity"
    r"|Progress in Poverty Reduction and Human Rights|China Keywords|china_key_words"
    r"|keywords\.china\.org\.cn|reciyi\.com|gaozhaiedu\.com"
)


def round10b_entries() -> list[Entry]:
    return entries_of(ROUND10B)


def test_the_fresh_file_is_well_formed_and_large_enough() -> None:
    check_fresh_passages(DEV8, min_passages=15, min_terms=200)


def test_the_fresh_file_uses_pages_no_other_file_names() -> None:
    """One page per passage, and no page named by any file of the test data (held-out sets
    included, addresses compared without scheme and ``www.``), the seeds or the glossary except
    this round's own files, whose rows cite the pages for their English."""
    check_pages_unnamed_elsewhere(DEV8, skip=frozenset(path.name for path in ROUND10B))


def test_the_fresh_file_is_registered_with_the_benchmark() -> None:
    """The benchmark reports the file on its own line, so its before/after is not pooled."""
    source = (ROOT / "benchmarks" / "terminology.py").read_text("utf-8")
    assert '"recall_dev8.txt"' in source
    assert "RECALL_DEV8)" in source


def test_fresh_pages_mark_traditional_script_where_they_are_published_so() -> None:
    """One page is published in Traditional script; its header says so, because the
    benchmark measures a passage in the script its header names first."""
    traditional = [header for header, _, _ in passages(DEV8) if "Traditional" in header]
    assert len(traditional) == 1
    for header, text, _ in passages(DEV8):
        assert ("國" in text) == (header in traditional), header


def test_round10b_rows_are_approved_sourced_and_cite_no_other_measured_page() -> None:
    assert all(path.exists() for path in ROUND10B)
    check_round_rows(
        round10b_entries(),
        id_pattern=r"(pt|gv|en|ec|dp)14-\d{3}",
        prefixes=PREFIXES,
        used=measurement_addresses_except(DEV8),
        minimum=60,
    )


def test_no_round10b_row_rests_on_a_held_out_publication() -> None:
    check_no_held_out_publication(
        round10b_entries(),
        HELD_OUT_PUBLICATIONS,
        [
            "Report on the Work of the Government 2023 (official English)",
            "http://keywords.china.org.cn/2023-01/16/content_85062027.html",
            "https://gaozhaiedu.com/html/whitepaper/baipishushuangyu/2023/0204/5204.html",
        ],
    )


def test_every_topic_file_of_the_round_has_rows() -> None:
    by_file: dict[str, int] = {}
    for entry in round10b_entries():
        name = entry.file.rsplit("/", 1)[-1]
        by_file[name] = by_file.get(name, 0) + 1
    assert sorted(by_file) == sorted(path.name for path in ROUND10B)
    assert min(by_file.values()) >= 8


def test_only_document_names_are_preferred_and_nothing_is_required() -> None:
    """Renderings from one page each stay descriptive (no false 'missing term' warning); a
    document's name with a fixed English may be preferred."""
    for entry in round10b_entries():
        assert entry.enforcement != "required", entry.id
        if entry.id in PREFERRED:
            assert entry.enforcement == "preferred" and entry.category == "document", entry.id
        else:
            assert entry.enforcement == "descriptive", entry.id


def test_the_variants_belong_to_their_older_rows() -> None:
    check_variants_belong(VARIANTS)


def test_recall_dev_stays_a_measure_of_terms_nobody_looked_up() -> None:
    check_not_marked_in_oldest(round10b_entries(), VARIANTS)


def test_round10b_forms_close_terms_recall_dev8_marks() -> None:
    """The round's point: most new forms are terms recall_dev8 marks (in either script), and
    the glossary now finds each of them whole."""
    check_forms_close_marked(round10b_entries(), VARIANTS, DEV8, minimum=50)


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_round10b_concepts_are_found_in_running_text(script: str) -> None:
    text = (
        "深入学习习近平法治思想,审议“一府两院”工作报告和立法法修正案草案,全国政协主席汇聚正能量,"
        "寻求最大公约数;十三届全国人大代表听取全国人大常委会委员长的报告,十三届全国人大常委会"
        "第十二次会议;中共中央政治局集体学习。加强思想政治教育,严明党的纪律,创新反腐败体制机制,"
        "纪检监察机关推进廉政建设,保持反腐高压态势,推进强国建设,解决大党独有难题。"
        "加快形成以国内大循环为主体、国内国际双循环相互促进的新发展格局,发挥超大规模市场优势,"
        "分析经济形势,大国经济坚持独立自主、自力更生。降低金融机构存款准备金率,此次降准保持"
        "流动性合理充裕,提高服务实体经济水平,用好货币政策工具,货币供应量和社会融资规模增速同"
        "名义经济增速基本匹配,支持重点领域和薄弱环节;限制公共投资流向高污染、高排放项目;"
        "加强金融合作,发展人工智能。建立以生态价值观为准则的生态文明体系,节约资源和保护环境,"
        "生态环保受到重视,《中共中央 国务院关于深入打好污染防治攻坚战的意见》发布;减少碳排放和"
        "化石燃料使用,控制碳强度即单位国内生产总值二氧化碳量,气候变化问题特别代表表示扩大"
        "碳排放交易机制,碳排放交易体系将变化。全球性挑战需要全球性应对,新兴市场和发展中国家的"
        "合作机制,加入金砖国家;全球化深入发展,世界格局和国际形势演变,相互尊重、公平正义、"
        "合作共赢,不搞零和博弈;签署《“一带一路”融资指导原则》,出席“一带一路”国际合作高峰论坛,"
        "弘扬新中国外交优良传统,相互依存是历史大势,支持其他发展中国家。以习近平外交思想为引领,"
        "召开中央外事工作会议,坚持维护世界和平、促进共同发展。弘扬全人类共同价值,尊重文明多样性,"
        "在国际形势与中国外交研讨会上发表演讲。推动地方人大工作完善发展,委员长会议组成人员联系代表,"
        "深化代表工作。巡视组找出违纪线索;国家能源局推广清洁能源,非化石能源比重上升,建成充电桩。"
        "在“上海合作组织+”会议上提出全球治理倡议,上海合作组织峰会在天津举行。第30届联合国气候变化大会,"
        "习近平在联合国气候变化峰会宣布新一轮国家自主贡献,落实《巴黎协定》。"
        "亚太经合组织“中国年”首场活动是高官会,年底举办亚太经合组织领导人非正式会议,亚太经合组织成员出席。"
    )
    check_found_in_running_text(text, script, round10b_entries())


def test_longer_entries_still_win_over_the_round10b_forms() -> None:
    """Leftmost-longest: the older compounds keep their spans over the short forms this round
    adds, and 十三届全国人大 does not cut 全国人大常委会 out of the Standing Committee's name."""
    check_longer_entries_win(
        [
            ("二氧化碳排放", "ec12-001"),
            ("碳排放量", "ec10-056"),
            ("碳排放权交易市场", "ecl-027"),
            ("单位国内生产总值二氧化碳排放", "ecl-012"),
            ("法定存款准备金率", "en10-005"),
            ("系统重要性金融机构", "en10-006"),
            ("人工智能大模型", "en3-030"),
            ("金砖合作机制", "pt3-059"),
            ("新型经济全球化", "en5-012"),
            ("世界最大发展中国家", "pty-032"),
            ("十三届全国人大一次会议", "gv11-007"),
            ("中央政府公共投资", "en4-007"),
            ("党风廉政建设和反腐败斗争", "pt9-008"),
            ("中央巡视组", "org-050"),
            ("非化石能源消费比重", "ec12-004"),
            ("煤改清洁能源", "ec3-010"),
            ("十三届全国人大常委会", "gv14-010"),
        ]
    )
