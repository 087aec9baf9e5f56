"""Structure: speaker labels told apart from ordinary colons; numbering, headings, items."""

from __future__ import annotations

import pytest

from workbench.config import load_config
from workbench.ingest.structure import (
    decide_speakers,
    find_label,
    find_numbering,
    read_structure_rules,
)


@pytest.fixture(scope="module")
def rules():
    return read_structure_rules(load_config().ingest.structure_rules)


def speakers_of(paragraphs, rules):
    """Run label detection and the speaker decision over one document's paragraphs."""
    candidates = [c for p in paragraphs if (c := find_label(p, rules))]
    return decide_speakers(candidates, "\n".join(paragraphs), rules)


@pytest.mark.parametrize(
    ("paragraph", "speaker"),
    [
        ("张树斌：", "张树斌"),  # own line, a name
        ("城市晚报记者：", "城市晚报记者"),  # role
        ("吉林电视台公共新闻记者：", "吉林电视台公共新闻记者"),
        ("主持人：各位网友，大家好！", "主持人"),  # inline role
        ("网友：脱贫后政策还有吗？", "网友"),
        ("市扶贫办主任覃勋：谢谢。", "市扶贫办主任覃勋"),  # role + name
        ("问：下一步怎么做？", "问"),
        ("欧阳明：", "欧阳明"),  # compound surname
        ("阿不都·热合曼：", "阿不都·热合曼"),  # transcribed name
    ],
)
def test_speaker_labels_are_recognised(paragraph, speaker, rules):
    assert speakers_of([paragraph], rules) == {speaker}


@pytest.mark.parametrize(
    "paragraph",
    [
        "女士们、先生们、新闻界的朋友们：",
        "主要做法是：",
        "以下是新闻发布会文字实录：",
        "主要成效有：",
        "总体目标：到2020年，现行标准下农村贫困人口实现脱贫。",
        "各市（州）、县（市、区）扶贫开发领导小组：",
        "任务：完成搬迁。",
        "全年：减贫16.3万人。",
        "同志们：",
        "发布时间：2018-01-30 15:33:54",
        "15:33",
    ],
)
def test_ordinary_text_with_a_colon_is_not_a_speaker(paragraph, rules):
    assert speakers_of([paragraph], rules) == set()


def test_inline_name_label_needs_a_second_sign(rules):
    # 覃勋 once, inline, never mentioned: could be prose. Introduced earlier: a speaker.
    assert speakers_of(["覃勋：谢谢大家。"], rules) == set()
    introduced = ["发布会邀请市扶贫办主任覃勋出席。", "覃勋：谢谢大家。"]
    assert speakers_of(introduced, rules) == {"覃勋"}
    twice = ["罗云飞：第一个回答。", "记者：请问？", "罗云飞：第二个回答。"]
    assert speakers_of(twice, rules) == {"罗云飞", "记者"}


@pytest.mark.parametrize(
    ("paragraph", "label", "kind", "rest"),
    [
        ("一、2017年主要工作成效", "一、", "heading", "2017年主要工作成效"),
        ("（一）总体思路", "（一）", "heading", "总体思路"),
        ("（一）年度减贫计划如期完成。实现16.3万人脱贫。", "（一）", "item", "年度减贫计划"),
        ("（四十）做好脱贫攻坚宣传工作。坚持正确导向。", "（四十）", "item", "做好"),
        ("1. 加强产业配套。", "1.", "item", "加强产业配套。"),
        ("2、强化就业帮扶", "2、", "heading", "强化就业帮扶"),
        ("——坚持精准扶贫、精准脱贫。", "——", "item", "坚持精准扶贫"),
        ("第三条 本办法自发布之日起施行。", "第三条", "item", "本办法"),
        ("①建档立卡", "①", "heading", "建档立卡"),
    ],
)
def test_numbering_gives_label_and_kind(paragraph, label, kind, rest, rules):
    numbering = find_numbering(paragraph, rules)
    assert numbering is not None
    assert (numbering.label, numbering.kind) == (label, kind)
    assert paragraph[numbering.body_start :].startswith(rest)


@pytest.mark.parametrize(
    "paragraph",
    ["1.3%的贫困人口实现脱贫。", "2018年工作安排", "一是把提高脱贫质量放在首位。", "16.3万人"],
)
def test_numbers_and_enumerations_in_prose_are_not_numbering(paragraph, rules):
    assert find_numbering(paragraph, rules) is None
