"""Golden table of Chinese policy prose: how each paragraph must split.

Cases are keyed by the rule they pin down. Most are real sentences from the seeds and
from published policy documents, in the published form and as mirrors reprint them
(ASCII ,:;!? for ，：；！？).
"""

from __future__ import annotations

import pytest

from workbench.config import load_config
from workbench.ingest.pipeline import Ingester
from workbench.segment import Segmenter, load_rules

GOLDEN = [
    (
        "terminators",
        "大家上午好！欢迎参加省“两会”新闻发布会。首先请杨副主任介绍情况。",
        ["大家上午好！", "欢迎参加省“两会”新闻发布会。", "首先请杨副主任介绍情况。"],
    ),
    (
        "ascii-terminators",
        "我市是如何防止脱贫人口返贫的?我们将多措并举!",
        ["我市是如何防止脱贫人口返贫的?", "我们将多措并举!"],
    ),
    (
        "decimals-and-percentages",
        "实现16.3万建档立卡贫困人口脱贫，全省贫困发生率由3.34%下降到1.3%。"
        "脱贫人口平均收入达到5270.02元，比上年增加1327.02元。",
        [
            "实现16.3万建档立卡贫困人口脱贫，全省贫困发生率由3.34%下降到1.3%。",
            "脱贫人口平均收入达到5270.02元，比上年增加1327.02元。",
        ],
    ),
    (
        "date-and-time",
        "发布时间：2018-01-30 15:33:54 会议于2018.01.28上午召开。",
        ["发布时间：2018-01-30 15:33:54 会议于2018.01.28上午召开。"],
    ),
    (
        "closing-quote-stays",
        "他强调：“要坚决打赢脱贫攻坚战。”随后作出部署。",
        ["他强调：“要坚决打赢脱贫攻坚战。”", "随后作出部署。"],
    ),
    (
        "no-split-inside-quotation",
        "习近平总书记指出：“脱贫攻坚是干出来的。全党要一起努力！”会议要求各地落实。",
        ["习近平总书记指出：“脱贫攻坚是干出来的。全党要一起努力！”", "会议要求各地落实。"],
    ),
    (
        "unclosed-quotation-keeps-the-rest",
        "网友问：“脱贫后政策还有吗？我们会不会返贫？请局长解答。",
        ["网友问：“脱贫后政策还有吗？我们会不会返贫？请局长解答。"],
    ),
    (
        "quote-inside-quote",
        "他说：“按照‘摘帽不摘责任。’的要求落实。”下一步继续。",
        ["他说：“按照‘摘帽不摘责任。’的要求落实。”", "下一步继续。"],
    ),
    (
        "no-split-inside-title-marks",
        "根据《中共中央 国务院关于打赢脱贫攻坚战的决定。》，现提出如下意见。",
        ["根据《中共中央 国务院关于打赢脱贫攻坚战的决定。》，现提出如下意见。"],
    ),
    (
        "closing-bracket-stays",
        "（以上数据截至2017年底。）全省共有贫困村1489个。",
        ["（以上数据截至2017年底。）", "全省共有贫困村1489个。"],
    ),
    (
        "yi-shi-er-shi",
        "一是把提高脱贫质量放在首位。二是把防止返贫放在重要位置。三是防止出现新的贫困。",
        ["一是把提高脱贫质量放在首位。", "二是把防止返贫放在重要位置。", "三是防止出现新的贫困。"],
    ),
    (
        "semicolon-measures-stay-whole",
        "加大财政投入；强化金融支持；完善用地政策。",
        ["加大财政投入；强化金融支持；完善用地政策。"],
    ),
    (
        "ellipsis-ends",
        "6个贫困县摘帽、404个贫困村退出、11.6万贫困人口脱贫……青海交出了答卷。",
        ["6个贫困县摘帽、404个贫困村退出、11.6万贫困人口脱贫……", "青海交出了答卷。"],
    ),
    (
        "ellipsis-continues-a-list",
        "产业扶贫、就业扶贫、教育扶贫……等工作全面推进。",
        ["产业扶贫、就业扶贫、教育扶贫……等工作全面推进。"],
    ),
    (
        "double-terminators",
        "脱贫后是不是什么政策都没有了，我们会不会又返贫?。蒋华琼作了回答。",
        ["脱贫后是不是什么政策都没有了，我们会不会又返贫?。", "蒋华琼作了回答。"],
    ),
    (
        "heading-without-punctuation",
        "2018年工作安排",
        ["2018年工作安排"],
    ),
    (
        "list-item-without-punctuation",
        "73.4亿元财政专项扶贫资金落实，相当于“十二五”总投入的77%",
        ["73.4亿元财政专项扶贫资金落实，相当于“十二五”总投入的77%"],
    ),
    (
        "ascii-period-ends-chinese-sentence",
        "全省脱贫攻坚取得决定性进展.下一步要巩固成果.",
        ["全省脱贫攻坚取得决定性进展.", "下一步要巩固成果."],
    ),
    (
        "ascii-period-in-numbers-and-urls",
        "详见www.gov.cn/zhengce/2018.htm，增长3.5个百分点。完毕。",
        ["详见www.gov.cn/zhengce/2018.htm，增长3.5个百分点。", "完毕。"],
    ),
    (
        "url-question-mark",
        "请登录http://fpb.example.cn/index.php?id=3!查询。谢谢。",
        ["请登录http://fpb.example.cn/index.php?id=3!查询。", "谢谢。"],
    ),
    (
        "exclamation-then-closing-quote",
        "群众说：“好日子来了！”大家都很高兴。",
        ["群众说：“好日子来了！”", "大家都很高兴。"],
    ),
    (
        "question-mark-continued-by-comma",
        "是什么？，为什么？这是问题。",
        ["是什么？，为什么？", "这是问题。"],
    ),
    (
        "ascii-quote-closing",
        '他说"脱贫攻坚。"会议结束。',
        ['他说"脱贫攻坚。"', "会议结束。"],
    ),
    (
        "spaces-between-sentences-not-in-sentences",
        "第一句。   第二句！",
        ["第一句。", "第二句！"],
    ),
]


@pytest.fixture(scope="module")
def rules():
    return load_rules(load_config().segment)


@pytest.mark.parametrize(("case", "paragraph", "expected"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_segmenter_splits_policy_prose_as_published(case, paragraph, expected, rules):
    segments = Segmenter(rules).segment(paragraph)
    assert [s.text for s in segments] == expected
    for s in segments:
        assert paragraph[s.start : s.end] == s.text


def test_semicolon_split_is_a_setting(rules):
    paragraph = "加大财政投入；强化金融支持；完善用地政策。"
    segmenter = Segmenter(rules.with_semicolon_split(True))
    assert [s.text for s in segmenter.segment(paragraph)] == [
        "加大财政投入；",
        "强化金融支持；",
        "完善用地政策。",
    ]


def test_lines_are_paragraphs_and_offsets_count_the_whole_text(rules):
    text = "第一段第一句。第一段第二句。\n\n  第二段。\n"
    segments = Segmenter(rules).segment(text)
    assert [(s.paragraph, s.position, s.text) for s in segments] == [
        (0, 0, "第一段第一句。"),
        (0, 1, "第一段第二句。"),
        (1, 0, "第二段。"),
    ]
    assert all(text[s.start : s.end] == s.text for s in segments)


@pytest.fixture(scope="module")
def ingester():
    return Ingester(load_config())


MIRRORED = [
    (
        "mirror-with-ascii-punctuation",
        "大家上午好!欢迎参加省“两会”新闻发布会。2017年10月18日,习近平总书记指出:坚决打赢脱贫攻坚战。",
        [
            "大家上午好!",
            "欢迎参加省“两会”新闻发布会。",
            "2017年10月18日,习近平总书记指出:坚决打赢脱贫攻坚战。",
        ],
    ),
    (
        "traditional-script",
        "堅決打贏脫貧攻堅戰！確保到2020年農村貧困人口實現脫貧。",
        ["堅決打贏脫貧攻堅戰！", "確保到2020年農村貧困人口實現脫貧。"],
    ),
    (
        "mirror-with-ascii-ellipsis",
        "全省脱贫攻坚取得进展......下一步继续巩固。",
        ["全省脱贫攻坚取得进展......", "下一步继续巩固。"],
    ),
    (
        "full-width-digits",
        "增长３．３４％。下降１．３％。",
        ["增长３．３４％。", "下降１．３％。"],
    ),
    (
        "mirror-with-ascii-quotation-marks",
        '他说:"我们要打赢脱贫攻坚战。确保全部脱贫!"随后,会议结束。',
        ['他说:"我们要打赢脱贫攻坚战。确保全部脱贫!"', "随后,会议结束。"],
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), MIRRORED, ids=[m[0] for m in MIRRORED])
def test_ingest_reports_sentences_as_they_stand_in_the_input(case, text, expected, ingester):
    """Mirrors split like the published text (ingest normalises first) yet every sentence
    keeps its span of the input as it stands."""
    document, sentences = ingester.read_bytes(text.encode("utf-8"), f"{case}.txt", case)
    assert [s.source_text for s in sentences] == expected
    assert all(document.original[s.start : s.end] == s.source_text for s in sentences)
