"""Normalisation: script, width, punctuation and whitespace, with offsets back."""

from __future__ import annotations

import pytest

from workbench.errors import ConfigError
from workbench.text.normalize import normalize

GOLDEN = [
    ("traditional-to-simplified", "堅決打贏脫貧攻堅戰", "坚决打赢脱贫攻坚战"),
    ("full-width-letters-and-digits", "ＧＤＰ增长３．５％", "GDP增长3.5%"),
    ("chinese-punctuation-stays", "好！是吗？是：（一）；，", "好！是吗？是：（一）；，"),
    ("ascii-comma-in-chinese", "上午10,柳州市政府", "上午10，柳州市政府"),
    ("ascii-colon-after-key", "发布时间:2018-01-30 15:33:54", "发布时间：2018-01-30 15:33:54"),
    ("clock-and-thousands-stay-ascii", "15:33 和 1,000", "15:33 和 1,000"),
    ("ascii-exclamation-and-question", "大家好!是吗?", "大家好！是吗？"),
    ("ascii-parentheses-as-a-pair", "纲要(2011-2020年)持续", "纲要（2011-2020年）持续"),
    ("label-parenthesis-pair", "(1)加强领导", "（1）加强领导"),
    ("latin-text-untouched", "Hello, world (test): ok? yes!", "Hello, world (test): ok? yes!"),
    ("ascii-period-ending-chinese", "实现脱贫.下一步", "实现脱贫。下一步"),
    ("period-in-url-and-number", "见www.gov.cn 3.34%", "见www.gov.cn 3.34%"),
    ("whitespace-collapsed", "青海\u3000\u3000新闻  网\xa0讯", "青海 新闻 网 讯"),
    ("line-edges-stripped", "  \u3000各位记者 \r\n\t大家好\n", "各位记者\n大家好\n"),
    ("zero-width-dropped", "脱\u200b贫\ufeff", "脱贫"),
    ("full-width-period-ending-chinese", "实现脱贫．下一步", "实现脱贫。下一步"),
    ("ascii-dots-after-chinese-are-an-ellipsis", "脱贫攻坚......下一步", "脱贫攻坚……下一步"),
    ("three-dots-are-one-ellipsis-mark", "脱贫...下一步", "脱贫…下一步"),
    ("dots-in-latin-text-stay", "版本1...3 etc...", "版本1...3 etc..."),
    ("ascii-quotes-around-chinese", '实现"两不愁、三保障"目标', "实现“两不愁、三保障”目标"),
    ("ascii-quotes-around-latin-stay", 'Label "Studio" 平台', 'Label "Studio" 平台'),
    ("odd-ascii-quotes-stay", '他说:"脱贫"和"攻坚', '他说："脱贫"和"攻坚'),
]


@pytest.mark.parametrize(("case", "text", "expected"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_normalize_gives_the_typeset_form(case, text, expected):
    result = normalize(text)
    assert result.text == expected
    assert len(result.offsets) == len(result.text)


def test_unchanged_characters_map_to_themselves():
    text = "  发布时间:2018 年\u3000增长"
    result = normalize(text)
    for i, ch in enumerate(result.text):
        source = text[result.offsets[i]]
        assert source == ch or (ch, source) in {("：", ":"), (" ", "\u3000"), (" ", " ")}


def test_source_span_maps_a_normalised_span_back():
    text = "大家 上午好!欢迎"
    result = normalize(text)
    start = result.text.index("上午好！")
    a, b = result.source_span(start, start + 4)
    assert text[a:b] == "上午好!"


@pytest.mark.parametrize(
    ("word", "source"), [("内存", "記憶體"), ("鼠标", "滑鼠"), ("软件", "軟體")]
)
def test_phrase_conversion_that_changes_length_maps_words_back_whole(word, source):
    # tw2sp converts Taiwanese phrases: 記憶體 (3) → 内存 (2)
    text = "記憶體與滑鼠、軟體。"
    result = normalize(text, "tw2sp")
    assert result.text == "内存与鼠标、软件。"
    assert list(result.offsets) == sorted(result.offsets)
    at = result.text.index(word)
    a, b = result.source_span(at, at + len(word))
    assert text[a:b] == source


def test_conversion_can_be_switched_off():
    assert normalize("脫貧", "none").text == "脫貧"


def test_unknown_conversion_is_a_config_error_naming_it():
    with pytest.raises(ConfigError, match="nonsense"):
        normalize("脱贫", "nonsense")


@pytest.mark.parametrize(
    ("text", "word", "source"),
    [
        ("进展......下一步", "进展……", "进展......"),
        ("好!  \u200b 下一句", "好！", "好!"),
        ("第一句。\n", "第一句。", "第一句。"),
    ],
)
def test_source_span_covers_characters_that_became_fewer(text, word, source):
    result = normalize(text)
    at = result.text.index(word)
    a, b = result.source_span(at, at + len(word))
    assert text[a:b] == source
