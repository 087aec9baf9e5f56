"""Round 7 of glossary recall, coverage B (issue 16): the ``*10.tsv`` rows of the rural,
agriculture, land and ecology topics.

``rural10.tsv``, ``agriculture10.tsv`` and ``ecology10.tsv`` add concepts these topics'
texts use and the glossary lacked: the statutes of water, soil, desert, fisheries and
environmental assessment with the concepts their first articles name, crop names, and land
and grassland vocabulary, each from a page that gives the Chinese and its English side by
side. These tests keep the promises docs/glossary.md makes about them; the ``*10.tsv`` files
of the other topics are not this round's.
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
)
from glossary_rounds import (
    measurement_addresses as measurement_addresses_of,
)

from workbench.glossary import load_glossary
from workbench.glossary.model import Entry

ROUND7B = [GLOSSARY / name for name in ("rural10.tsv", "agriculture10.tsv", "ecology10.tsv")]
PREFIXES = {"ru10", "ag10", "ec10"}
# The written-differently variants this round put on older rows of its topics: form -> row.
VARIANTS = {"农村土地承包经营制度": "ru9-017"}


def round7b_entries() -> list[Entry]:
    return entries_of(ROUND7B)


def measurement_addresses() -> set[str]:
    """Every page a measurement set names, every recall passage file included."""
    return measurement_addresses_of(sorted((DATA / "glossary").glob("recall_dev*.txt")))


def test_round7b_rows_are_approved_sourced_and_cite_no_measured_page() -> None:
    assert all(path.exists() for path in ROUND7B)
    check_round_rows(
        round7b_entries(),
        id_pattern=r"[a-z]{2}10-\d{3}",
        prefixes=PREFIXES,
        used=measurement_addresses(),
        minimum=40,
    )


def test_the_rows_are_descriptive_vocabulary() -> None:
    """Descriptive for general vocabulary: statute titles come from several translations
    that word them differently, and the crop, water and land words are plain vocabulary, so
    none makes a missing rendering a QA warning."""
    assert {entry.enforcement for entry in round7b_entries()} == {"descriptive"}


def test_no_round7b_form_is_a_term_marked_in_the_oldest_tuning_passages() -> None:
    check_not_marked_in_oldest(round7b_entries(), VARIANTS)


def test_the_variants_belong_to_their_older_rows() -> None:
    check_variants_belong(VARIANTS)


def test_every_statute_takes_its_full_title_as_one_match() -> None:
    """A law's full title (中华人民共和国…法) is one match for the law, not the country's name
    followed by the concept the law is named after."""
    matcher = load_glossary(GLOSSARY).matcher()
    laws = [e for e in round7b_entries() if e.category == "document" and e.zh.endswith("法")]
    assert len(laws) >= 5
    for entry in laws:
        for form in entry.zh_forms:
            [match] = matcher.find(form)
            assert match.entry_id == entry.id, (form, match.entry_id)
            assert (match.start, match.end) == (0, len(form)), form


def ids_of(*forms: str) -> set[str]:
    """The round's entry ids for the given headwords (ids are looked up, not written out)."""
    by_zh = {entry.zh: entry.id for entry in round7b_entries()}
    assert set(forms) <= set(by_zh), sorted(set(forms) - set(by_zh))
    return {by_zh[form] for form in forms}


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_round7b_concepts_are_found_in_running_text(script: str) -> None:
    """The new concepts are found in sentences written the way policy texts write them, in
    both scripts."""
    text = (
        "依照防沙治沙法治理沙化土地，遏制土地沙化；落实水土保持法，保护水土资源，修建梯田，恢复植被；"
        "依照中华人民共和国水法保护水资源，防治水害，严控地下水超采；开展环境影响评价，推行清洁生产；"
        "养护渔业资源，规范捕捞；稳定水稻和小麦生产，扩种油菜，稳定生猪价格，保障猪肉供应；"
        "加强农业技术推广，推进病虫害防治，发展政策性农业保险，推广完全成本保险和收入保险；"
        "开展土地复垦和土地整治，实施农村电网改造升级；加强湿地修复，提升森林碳汇。"
    )
    found = found_in(text, script)
    wanted = ids_of(
        "防沙治沙法",
        "沙化土地",
        "土地沙化",
        "水土保持法",
        "水土资源",
        "梯田",
        "恢复植被",
        "中华人民共和国水法",
        "水资源",
        "水害",
        "环境影响评价",
        "清洁生产",
        "渔业资源",
        "捕捞",
        "水稻",
        "小麦",
        "油菜",
        "生猪",
        "农业技术推广",
        "病虫害防治",
        "政策性农业保险",
        "完全成本保险",
        "收入保险",
        "土地复垦",
        "土地整治",
        "农村电网改造升级",
        "湿地修复",
        "森林碳汇",
    )
    assert wanted <= found, sorted(wanted - found)


def test_older_land_and_energy_compounds_keep_their_start() -> None:
    """A new short word may not start a match earlier than an older compound that begins
    inside it and so cut that compound (leftmost-longest). 农村土地 'land in rural areas' and
    the sector energy-saving headings (工业节能 …) were dropped for that reason: in
    农村土地确权 or 工业节能减排 they cut 土地确权 and 节能减排."""
    matcher = load_glossary(GLOSSARY).matcher()
    for text, entry_id, start in [
        ("农村土地确权", "rur-128", 2),
        ("农村土地经营权流转", "rur-126", 2),
        ("农村土地承包经营制度", "ru9-017", 0),
        ("工业节能减排", "en4-014", 2),
        ("交通运输节能减排", "en4-014", 4),
    ]:
        assert any(m.entry_id == entry_id and m.start == start for m in matcher.find(text)), text


def test_no_short_form_sits_inside_unrelated_words() -> None:
    """Two-character forms that sit inside unrelated words were dropped (水法 in
    涉水法律法规, 节能 in 调节能力, 农网 in 惠农网, 林木 in 森林木材, 湿地 in 潮湿地区): no
    round-7B match may start or end inside such a word."""
    matcher = load_glossary(GLOSSARY).matcher()
    ours = {entry.id for entry in round7b_entries()}
    for text in [
        "涉水法律法规",
        "提高调节能力",
        "生产环节能耗",
        "电商助农网络直播",
        "惠农网",
        "森林木材",
        "南方潮湿地区",
    ]:
        assert not [m for m in matcher.find(text) if m.entry_id in ours], text
    short = [form for e in round7b_entries() for form in e.zh_forms if len(form) <= 2]
    assert not {"水法", "节能", "农网", "林木", "湿地"} & set(short), short


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_fifth_pass_concepts_are_found_in_running_text(script: str) -> None:
    """The concepts chosen from No. 1 document, ministry and land-planning text are found in
    sentences written the way those texts write them, in both scripts."""
    text = (
        "落实多规合一，统筹划定三区三线，严控耕地流失，推进荒地复垦和建设用地整治；"
        "工矿用地、旅游用地和农田水利用地依法管理；开展村庄清洁行动，提高卫生厕所普及率；"
        "黑土地应当用于粮食和油料作物、糖料作物生产，稳步恢复提升黑土地基础地力；"
        "完善灌排设施，建设高标准基本农田；"
        "实行禁牧休牧，遏制草原荒漠化；保障河湖生态流量，落实水资源刚性约束制度，"
        "保护长江干支流，整治河道左右岸；营造防护林和特种用途林，设立森林生态效益补偿基金。"
    )
    found = found_in(text, script)
    wanted = ids_of(
        "多规合一",
        "三区三线",
        "耕地流失",
        "荒地复垦",
        "建设用地整治",
        "工矿用地",
        "旅游用地",
        "农田水利用地",
        "村庄清洁行动",
        "卫生厕所普及率",
        "油料作物",
        "糖料作物",
        "基础地力",
        "灌排设施",
        "高标准基本农田",
        "禁牧",
        "休牧",
        "草原荒漠化",
        "河湖生态流量",
        "水资源刚性约束制度",
        "左右岸",
        "干支流",
        "防护林",
        "特种用途林",
        "森林生态效益补偿基金",
    )
    assert wanted <= found, sorted(wanted - found)


def test_fifth_pass_rows_leave_older_ecology_compounds_whole() -> None:
    """草原生态 and 河湖生态环境 were not added: leftmost-longest, they would start before
    older compounds that begin inside them (草原生态修复, 河湖生态环境保护) and cut them."""
    matcher = load_glossary(GLOSSARY).matcher()
    for text, entry_id, start in [
        ("草原生态修复", "eco-049", 2),
        ("草原生态保护修复", "eco-078", 2),
        ("河湖生态环境保护", "eco-039", 2),
    ]:
        assert any(m.entry_id == entry_id and m.start == start for m in matcher.find(text)), text
