"""Number check: the values of a Chinese sentence's numbers survive into the English."""

from __future__ import annotations

import pytest

from workbench.text.numbers import find_en_numbers, find_zh_numbers, missing_numbers

# (zh, en, values of zh that must be reported missing)
KEPT = [
    ("减少16.3万人", "fell by 163,000", []),
    ("减少16.3万人", "fell by 163 thousand", []),
    ("减少16.3万人", "fell by 0.163 million", []),
    ("投入40.77亿元", "invested 4.077 billion yuan", []),
    ("投入40.77亿元", "invested 4.08 billion yuan", []),  # rounded as written
    ("发生率3.34%", "an incidence of 3.34 percent", []),
    ("发生率3.34%", "an incidence of 3.34%", []),
    ("百分之三十的村", "30 percent of the villages", []),
    ("三分之一的村", "a third of the villages", []),
    ("三分之二", "two-thirds", []),
    ("两个县", "two counties", []),
    ("两个县", "both counties", []),
    ("2018年", "in 2018", []),
    ("2018年1月28日", "on January 28, 2018", []),
    ("党的十九大", "the 19th CPC National Congress", []),
    ("第三", "third", []),
    ("五年来", "over the past five years", []),
    ("三百五十万", "3.5 million", []),
    ("人均5270.02元", "about 5,300 yuan per person", []),
    ("3000多万人", "more than 30 million people", []),
    ("１２３户", "123 households", []),  # full-width digits
    ("832个贫困县", "all 832 poor counties", []),
    ("9899万人", "98.99 million people", []),
    ("近1亿人", "nearly 100 million people", []),
    ("翻一番", "doubled", []),
    ("新建高标准农田8000万亩", "5.33 million hectares of high-standard cropland", []),
    ("周一(3月5日)作报告", "delivered the report on Monday", []),  # date given as weekday
    ("3月5日作报告", "on Tuesday, March 6", [5]),  # a month is there: the day is checked
    ("自20世纪70年代末", "since the late 1970s", []),
    ("20世纪70年代", "in the 1980s", [1970]),
    ("贡献率超过七成", "contributed more than 70%", []),
    ("统一部署，一些地方", "unified deployment, some places", []),  # no numbers at all
    ("千家万户", "every household", []),  # idiom
    ("数十万人", "hundreds of thousands of people", []),  # vague
    ("减少16.3万人", "fell by 136,000", [163000]),
    ("投入40.77亿元", "invested 4.7 billion yuan", [4077000000]),
    ("发生率3.34%", "an incidence of 3.43 percent", [3.34]),
    ("人均5270.02元", "5,300 yuan per person", [5270.02]),  # rounding needs an "about"
    ("2018年", "in 2019", [2018]),
    ("两个县", "three counties", [2]),
    ("十九大", "the 18th Congress", [19]),
]

# Issue 9: a value off by exactly x100 or /100 passed for every number. 亿 read as million
# and 万 as million or thousand are the slips translators make most; they are errors.
# A share may still change form: 三分之一 <-> 33.3 percent, 3.34% <-> 0.0334.
HUNDREDFOLD = [
    ("3.3亿元", "3.3 million yuan", [330000000]),
    ("1.3亿", "1.3 million", [130000000]),
    ("16.3万", "16.3 million", [163000]),
    ("16.3万人", "1,630 people", [163000]),
    ("1630万人", "163,000 people", [16300000]),
    ("500人", "50,000 people", [500]),
    ("增长8.6", "grew 860", [8.6]),
    ("3.34%", "334 percent", [3.34]),
    ("3.34%", "0.0334 percent", [3.34]),
    ("三分之一", "0.333 percent", [1 / 3]),  # 0.333% is not a third
    ("三分之一", "a share of 0.333", []),
    ("三分之一的村", "33.3 percent of the villages", []),
    ("三分之一的村", "33.3% of the villages", []),
    ("三分之一的村", "33.3 per cent of the villages", []),
    ("三分之一的村", "33.3 villages", [1 / 3]),  # x100 without a percent sign is not a share
    ("发生率3.34%", "a rate of 0.0334", []),
    ("百分之三十的村", "0.3 of the villages", []),
    ("贡献率超过七成", "a share above 0.7", []),
]


@pytest.mark.parametrize(("zh", "en", "missing"), HUNDREDFOLD)
def test_a_hundredfold_slip_is_an_error_except_for_shares(
    zh: str, en: str, missing: list[float]
) -> None:
    found = [n.value for n in missing_numbers(zh, en)]
    assert found == pytest.approx(missing)


@pytest.mark.parametrize(("zh", "en", "missing"), KEPT)
def test_number_values_are_compared_across_forms(zh: str, en: str, missing: list[float]) -> None:
    found = [n.value for n in missing_numbers(zh, en)]
    assert found == pytest.approx(missing)


@pytest.mark.parametrize(
    ("zh", "values"),
    [
        ("16.3万", [163000]),
        ("40.77亿元", [4077000000]),
        ("1,234.5元", [1234.5]),
        ("10余万人", [100000]),
        ("二〇一八年", [2018]),
        ("第一书记", []),  # one: too ambiguous to check
        ("一些", []),
        ("十分重要", []),
        ("两个", [2]),
    ],
)
def test_chinese_numbers_are_read_to_values(zh: str, values: list[float]) -> None:
    assert [n.value for n in find_zh_numbers(zh)] == pytest.approx(values)


def test_numbers_inside_skipped_spans_are_not_checked() -> None:
    zh = "实施五个一批工程"
    assert [n.value for n in missing_numbers(zh, "the Batches programme")] == [5]
    assert missing_numbers(zh, "the Batches programme", [(2, 6)]) == []


@pytest.mark.parametrize(
    ("en", "value"),
    [
        ("163,000", 163000),
        ("1.2 million", 1.2e6),
        ("three hundred thousand", 300000),
        ("twenty-one", 21),
        ("the 19th", 19),
        ("December", 12),
    ],
)
def test_english_numbers_are_read_to_values(en: str, value: float) -> None:
    assert value in [n.value for n in find_en_numbers(en)]
