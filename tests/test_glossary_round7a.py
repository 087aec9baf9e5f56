"""Round 7 of glossary recall, coverage A (issue 16): the ``*10.tsv`` rows of the Party,
governance, economy, prosperity and plans topics.

The round takes concepts policy texts use all the time that the glossary did not find at all
(state organs named by the Constitution, Party membership vocabulary, the Party-building and
security formulas of the 20th Congress report, financial and income statistics, two regional
plans) from new source families: the Constitution's official English, the 20th Congress
report, the Party Constitution, China Keywords, China Daily's term notes and Qiushi. A fifth
pass added the words plenum communiqués, State Council meeting releases and work reports use
most that the glossary lacked. These tests keep the promises docs/glossary.md makes about them.
"""

from __future__ import annotations

import pytest
from glossary_rounds import (
    DATA,
    GLOSSARY,
    check_not_marked_in_oldest,
    check_round_rows,
    check_variants_belong,
    entries_of,
    found_in,
    measurement_addresses,
)

from workbench.glossary import load_glossary
from workbench.glossary.model import Entry

ROUND7A = [
    GLOSSARY / name
    for name in (
        "governance10.tsv",
        "party10.tsv",
        "economy10.tsv",
        "prosperity10.tsv",
        "plans10.tsv",
    )
]
PREFIXES = {"gv10", "pt10", "en10", "cp10", "pl10"}
RECALL_FILES = [
    DATA / "glossary" / name
    for name in ("recall_dev.txt", "recall_dev2.txt", "recall_dev3.txt", "recall_dev4.txt")
]
# The written-differently variants this round put on older rows of its topics: form -> row.
VARIANTS = {
    "社会主义民主政治": "gov-089",
    "党对军队绝对领导": "pt10-004",
    "科技兴军": "pt10-033",
    "国防和军队现代化建设": "pt3-064",
}
# The fixed official names this round makes "preferred" (documents are preferred as well).
FIXED_NAMES = {"最高人民法院", "中央人民政府", "审计长", "中国制造2025", "和平共处五项原则"}


def round7a_entries() -> list[Entry]:
    return entries_of(ROUND7A)


def test_round7a_rows_are_approved_sourced_and_cite_no_measured_page() -> None:
    assert all(path.exists() for path in ROUND7A)
    check_round_rows(
        round7a_entries(),
        id_pattern=r"[a-z]{2}10-\d{3}",
        prefixes=PREFIXES,
        used=measurement_addresses(RECALL_FILES),
        minimum=200,
    )


def test_every_topic_file_of_the_round_has_rows() -> None:
    """The round covers all five topics, not only the two with the most material."""
    by_file: dict[str, int] = {}
    for entry in round7a_entries():
        name = entry.file.rsplit("/", 1)[-1]
        by_file[name] = by_file.get(name, 0) + 1
    assert sorted(by_file) == sorted(path.name for path in ROUND7A)
    assert min(by_file.values()) >= 3


def test_general_vocabulary_is_descriptive_and_only_fixed_names_are_preferred() -> None:
    """The round's rule: descriptive for general vocabulary, preferred only for fixed official
    names and documents; no row of this round makes a missing rendering a QA error."""
    entries = round7a_entries()
    levels = {entry.id: entry.enforcement for entry in entries}
    assert "required" not in levels.values()
    preferred = {entry.zh for entry in entries if entry.enforcement == "preferred"}
    documents = {entry.zh for entry in entries if entry.category == "document"}
    assert documents and documents <= preferred
    assert preferred - documents == FIXED_NAMES
    assert sum(level == "descriptive" for level in levels.values()) >= 190


def test_no_round7a_form_is_a_term_marked_in_the_oldest_tuning_passages() -> None:
    check_not_marked_in_oldest(round7a_entries(), VARIANTS)


def test_the_variants_belong_to_their_older_rows() -> None:
    check_variants_belong(VARIANTS)


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_round7a_concepts_are_found_in_running_text(script: str) -> None:
    text = (
        "人民法院是国家的审判机关，最高人民法院负责制定司法解释。"
        "中央人民政府即国务院，是最高国家行政机关，审计长由总理提名。"
        "各级党组织和党员干部要提高政治判断力、政治领悟力、政治执行力，严明政治纪律和政治规矩。"
        "预备党员按期交纳党费，入党宣誓时面向党旗。"
        "社会主义经济制度的基础是生产资料的社会主义公有制，即全民所有制和劳动群众集体所有制。"
        "资本充足率和拨备覆盖率较高，法定存款准备金率在15%左右，中国有能力防范系统性金融风险。"
        "居民收入稳步增长，国民收入分配更加合理。实施《中国制造2025》，推进智能制造，提高全要素生产率。"
        "坚持和平共处五项原则，推动构建新型国际关系；依法保障宗教信仰自由和选举权和被选举权。"
    )
    found = found_in(text, script)
    wanted = {
        "gv10-017",  # 人民法院
        "gv10-015",  # 审判机关
        "gv10-016",  # 最高人民法院
        "gv10-020",  # 司法解释
        "gv10-029",  # 中央人民政府
        "gv10-031",  # 最高国家行政机关
        "gv10-032",  # 审计长
        "pt10-028",  # 党员干部
        "pt10-006",  # 政治判断力
        "pt10-007",  # 政治领悟力
        "pt10-008",  # 政治执行力
        "pt10-010",  # 政治纪律和政治规矩
        "pt10-023",  # 预备党员
        "pt10-018",  # 党费
        "pt10-027",  # 入党宣誓
        "pt10-022",  # 党旗
        "en10-008",  # 社会主义经济制度
        "en10-010",  # 生产资料
        "en10-009",  # 社会主义公有制
        "en10-011",  # 全民所有制
        "en10-012",  # 劳动群众集体所有制
        "en10-003",  # 资本充足率
        "en10-004",  # 拨备覆盖率
        "en10-005",  # 法定存款准备金率
        "en10-002",  # 系统性金融风险
        "cp10-001",  # 居民收入
        "cp10-002",  # 国民收入分配
        "pl10-001",  # 中国制造2025
        "en10-018",  # 智能制造
        "en10-025",  # 全要素生产率
        "gv10-047",  # 和平共处五项原则
        "gv10-048",  # 新型国际关系
        "gv10-057",  # 宗教信仰自由
        "gv10-058",  # 选举权和被选举权
    }
    assert wanted <= found, sorted(wanted - found)


def test_longer_entries_win_over_their_heads() -> None:
    """Leftmost-longest: a longer name of this round (or an older one) is one match, not its
    head; the round's short names do not split older compound names."""
    matcher = load_glossary(GLOSSARY).matcher()
    for text, entry_id in [
        ("地方各级人民法院", "gv10-018"),
        ("最高人民法院", "gv10-016"),
        ("劳动群众集体所有制", "en10-012"),
        ("全球系统重要性银行", "en10-007"),
        ("共产党员", "pt10-017"),
        ("党员领导干部", "pt9-058"),
        ("国务院副总理", "org-109"),
        ("共建共治共享的社会治理制度", "gv9-010"),
        ("居民收入在国民收入分配中的比重", "cp-016"),
    ]:
        [match] = matcher.find(text)
        assert (match.entry_id, match.start, match.end) == (entry_id, 0, len(text)), text


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_fifth_pass_concepts_are_found_in_running_text(script: str) -> None:
    """The fifth pass's rows (chosen by how often plenum communiqués, State Council meeting
    releases and provincial reports use them) are found where such texts use them."""
    text = (
        "全面准确贯彻“一国两制”、“港人治港”、“澳人治澳”、高度自治的方针，支持行政长官依法施政。"
        "坚持一个中国原则和九二共识，推动两岸关系和平发展，推进祖国和平统一，做好港澳台工作。"
        "坚持政治建军、改革强军、科技强军、人才强军、依法治军，坚持党对军队绝对领导，"
        "深入实施军民融合发展，把人民军队建成世界一流军队。"
        "实施积极的财政政策和稳健的货币政策，调整货币政策取向；财政政策要更加积极。"
        "深化国企改革，推进国有企业改革三年行动，防止国有资产流失，开展双百行动。"
        "社会消费品零售总额增长5.3%，重点领域风险化解有序有效。"
        "发挥爱国统一战线作用，坚持多党合作和政治协商，加强宣传思想文化工作，保持战略定力，发扬斗争精神。"
        "中国特色社会主义法律体系已经形成，国家和社会生活各方面实现有法可依。"
        "党的二十大代表中部分基层同志列席会议。"
    )
    found = found_in(text, script)
    wanted = {
        "gv10-063",  # 港人治港
        "gv10-064",  # 澳人治澳
        "gv10-065",  # 高度自治
        "gv10-066",  # 行政长官
        "gv10-068",  # 一个中国原则
        "gv10-090",  # 九二共识
        "gv10-067",  # 和平统一 (祖国和平统一)
        "gv10-089",  # 港澳台工作
        "pt10-031",  # 政治建军
        "pt10-032",  # 改革强军
        "pt10-033",  # 科技强军
        "pt10-034",  # 人才强军
        "pt10-035",  # 依法治军
        "pt10-004",  # 党对军队绝对领导 (written differently)
        "pt10-045",  # 军民融合
        "pt10-041",  # 世界一流军队
        "en10-026",  # 货币政策
        "en10-028",  # 财政政策
        "en10-036",  # 国企改革 / 国有企业改革
        "en10-037",  # 国有资产流失
        "en10-039",  # 双百行动
        "en10-032",  # 社会消费品零售总额
        "en10-034",  # 重点领域风险
        "gv10-076",  # 爱国统一战线
        "gv10-077",  # 多党合作
        "gv10-078",  # 政治协商
        "pt10-043",  # 宣传思想文化工作 (宣传思想工作)
        "gv10-073",  # 战略定力
        "gv10-074",  # 斗争精神
        "gv10-085",  # 中国特色社会主义法律体系
        "gv10-086",  # 有法可依
        "pt10-059",  # 基层同志
        "pt10-058",  # 列席
    }
    assert wanted <= found, sorted(wanted - found)


def test_fifth_pass_short_words_leave_longer_names_whole() -> None:
    """The fifth pass added short words (货币政策, 秘书长, 获得感, 国家治理体系和治理能力); the
    longer entries that hold them still win, so a policy name is not tagged as its head."""
    matcher = load_glossary(GLOSSARY).matcher()
    for text, entry_id in [
        ("稳健的货币政策", "en9-050"),
        ("积极的财政政策", "en9-051"),
        ("联合国秘书长", "hv-036"),
        ("获得感、幸福感、安全感", "cp-055"),
        ("国家治理体系和治理能力现代化", "gv7-011"),
        ("军民融合发展战略", "pl-005"),
        ("新时代党的强军思想", "pt10-002"),
        ("中国共产党党内监督条例", "pt3-077"),
    ]:
        [match] = matcher.find(text)
        assert (match.entry_id, match.start, match.end) == (entry_id, 0, len(text)), text
