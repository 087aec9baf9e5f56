"""Round 7 of glossary recall, coverage A (issue 16): the ``*10.tsv`` rows of the Party,
governance, economy, prosperity and plans topics.

The round takes concepts policy texts use all the time that the glossary did not find at all
(state organs named by the Constitution, Party membership vocabulary, the Party-building and
security formulas of the 20th Congress report, financial and income statistics, two regional
plans) from new source families: the Constitution's official English, the 20th Congress
report, the Party Constitution, China Keywords, China Daily's term notes and Qiushi. These
tests keep the promises docs/glossary.md makes about them.
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
VARIANTS = {"社会主义民主政治": "gov-089"}
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
        minimum=100,
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
    assert sum(level == "descriptive" for level in levels.values()) >= 90


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
