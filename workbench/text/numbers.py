"""Numbers in a Chinese sentence and whether its English translation keeps their values.

Chinese writes the same quantity many ways (16.3万, 十六万三千, 百分之三, 3.34%, 两), and a
good English translation rewrites it again (163,000, 163 thousand, 0.163 million, two).
We compare values, not strings: every number is read to a float on both sides, and a
Chinese value is kept when some English value equals it within the precision the English
wrote (4.08 billion keeps 40.77亿; "about 5,300" keeps 5270.02). The word lists live in
``data/numbers.toml``; Chinese numerals are read by cn2an.
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Any

import cn2an
import opencc


@dataclass(frozen=True, slots=True)
class ZhNumber:
    """A number found in Chinese text: its value and where it stands."""

    value: float
    start: int
    end: int
    text: str
    numeral: bool = False  # written in Chinese numerals (less certain than digits)
    ordinal: bool = False  # 第十九 → nineteenth
    after: str = ""  # the unit or measure word that follows (月, 日, 亩, 人 ...)
    also: tuple[float, ...] = ()  # other values a translation may carry instead
    # A share may change form in English: "percent" (value in percent: 3.34%, 百分之三十,
    # 七成) may be written as a ratio (0.0334), a "ratio" (三分之一) as a percent (33.3%).
    share: str = ""


@dataclass(frozen=True, slots=True)
class EnNumber:
    """A number found in English text, with the precision it was written to."""

    value: float
    precision: float  # half of this is the largest rounding the writer could have done
    percent: bool = False  # followed by "%", "percent" or "per cent"


@functools.cache
def number_rules() -> dict[str, Any]:
    """Return the word lists of ``data/numbers.toml``."""
    text = resources.files("workbench.text").joinpath("data/numbers.toml").read_text("utf-8")
    return tomllib.loads(text)


_ZH_DIGITS = "零〇一二两三四五六七八九十百千万亿"


@functools.cache
def _zh_patterns() -> dict[str, re.Pattern[str]]:
    zh = number_rules()["zh"]
    units = "|".join(sorted(map(re.escape, zh["units"]), key=len, reverse=True))
    measures = "|".join(sorted(map(re.escape, zh["measure_words"]), key=len, reverse=True))
    return {
        # 16.3万, 1,234.5, 40.77亿元, 3.34%, 10余万, 2018年; full-width digits are NFKC'd first.
        "arabic": re.compile(
            rf"(?<![\d.])(\d+(?:[,，]\d{{3}})*(?:\.\d+)?)\s*(?:多|余)?\s*({units})?\s*(%|％)?"
        ),
        "percent": re.compile(rf"百分之([{_ZH_DIGITS}点\d.]+)"),
        # 20世纪70年代 = the 1970s; 70年代 alone usually means the same.
        "decade": re.compile(r"(?:(\d{2})世纪)?(\d0)年代"),
        "fraction": re.compile(rf"([{_ZH_DIGITS}]+)分之([{_ZH_DIGITS}]+)"),
        "idioms": re.compile("|".join(sorted(map(re.escape, zh["idioms"]), key=len, reverse=True))),
        "numeral": re.compile(rf"(第)?([{_ZH_DIGITS}]+)((?:多|余)?(?:{measures}))?"),
    }


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _to_simplified(text: str) -> str:
    """Convert to Simplified script when that keeps every offset (it nearly always does)."""
    converted = _t2s().convert(text)
    return converted if len(converted) == len(text) else text


def _cn_value(text: str) -> float | None:
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def find_zh_numbers(text: str, skip_spans: list[tuple[int, int]] | None = None) -> list[ZhNumber]:
    """Return the numbers of a Chinese text worth checking in its translation.

    Spans in ``skip_spans`` (glossary terms, checked by the terminology check) are ignored.
    """
    rules = number_rules()["zh"]
    units = rules["units"]
    patterns = _zh_patterns()
    # NFKC keeps length for full-width digits and ％, so offsets stay valid.
    # Traditional forms (萬, 億, 兩, 個) fold to Simplified so one rule set reads both scripts.
    folded = _to_simplified(unicodedata.normalize("NFKC", text))
    if len(folded) != len(text):  # a ligature or ellipsis expanded: fold char by char
        folded = _to_simplified(
            "".join(
                unicodedata.normalize("NFKC", c)
                if len(unicodedata.normalize("NFKC", c)) == 1
                else c
                for c in text
            )
        )
    taken = [False] * len(text)
    for start, end in skip_spans or []:
        for i in range(max(0, start), min(len(text), end)):
            taken[i] = True
    for match in patterns["idioms"].finditer(folded):
        for i in range(match.start(), match.end()):
            taken[i] = True
    found: list[ZhNumber] = []

    def claim(start: int, end: int) -> bool:
        if any(taken[start:end]):
            return False
        for i in range(start, end):
            taken[i] = True
        return True

    for match in patterns["percent"].finditer(folded):
        value = _cn_value(match.group(1))
        if value is not None and claim(match.start(), match.end()):
            found.append(
                ZhNumber(value, match.start(), match.end(), match.group(0), share="percent")
            )
    for match in patterns["fraction"].finditer(folded):
        denominator, numerator = _cn_value(match.group(1)), _cn_value(match.group(2))
        if denominator and numerator is not None and claim(match.start(), match.end()):
            found.append(
                ZhNumber(
                    numerator / denominator,
                    match.start(),
                    match.end(),
                    match.group(0),
                    share="ratio",
                )
            )
    for match in patterns["decade"].finditer(folded):
        century, decade = match.group(1), int(match.group(2))
        start_year = (int(century) - 1) * 100 + decade if century else 1900 + decade
        if claim(match.start(), match.end()):
            found.append(
                ZhNumber(start_year, match.start(), match.end(), match.group(0), also=(decade,))
            )
    for match in patterns["arabic"].finditer(folded):
        digits = match.group(1).replace(",", "").replace("，", "")
        value = float(digits)
        if match.group(2):
            value *= units[match.group(2)]
        after = folded[match.end() : match.end() + 1]
        if claim(match.start(), match.end()):
            found.append(
                ZhNumber(
                    value,
                    match.start(),
                    match.end(),
                    match.group(0).strip(),
                    after=after,
                    share="percent" if match.group(3) else "",
                )
            )
    for match in patterns["numeral"].finditer(folded):
        ordinal, numeral, measure = match.group(1), match.group(2), match.group(3)
        before = folded[match.start() - 1] if match.start() else ""
        if before in rules["vague_before"] or not numeral.strip("零〇"):
            continue
        # A lone numeral needs a measure word (三年, 两个); a compound one (十九, 二十三) or
        # an ordinal (第三) stands by itself.
        if not (measure or ordinal or len(numeral) >= 2):
            continue
        value = _cn_value(numeral)
        if value is None or value in rules["skip_values"]:
            continue
        if measure == "成":  # 七成 = seven tenths, written 70% in English
            value *= 10
        if claim(match.start(2), match.end(2)):
            found.append(
                ZhNumber(
                    value,
                    match.start(),
                    match.end(),
                    match.group(0),
                    True,
                    bool(ordinal),
                    after=(measure or "")[-1:],
                    share="percent" if measure == "成" else "",
                )
            )
    found.sort(key=lambda n: n.start)
    return found


@functools.cache
def _en_tables() -> tuple[dict[str, float], dict[str, float], re.Pattern[str], re.Pattern[str]]:
    en = number_rules()["en"]
    words = {**en["ones"], **en["tens"]}
    singles = {**en["ordinals"], **en["extras"], **en["months"]}
    scales = "|".join(sorted(en["scales"], key=len, reverse=True))
    digits = re.compile(
        r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:st|nd|rd|th)?"
        rf"(?:\s*-?\s*({scales})\b)?"
    )
    approx = "|".join(re.escape(a) for a in sorted(en["approximate"], key=len, reverse=True))
    approx_re = re.compile(rf"(?:{approx})\W*$", re.IGNORECASE)
    return words, singles, digits, approx_re


# What marks an English number as a percentage: "3.34%", "3.34 percent", "3.34 per cent".
_PERCENT_AFTER = re.compile(r"\s*(?:%|percent(?!\w)|per\s*cent(?!\w)|pct(?!\w))")


def find_en_numbers(text: str) -> list[EnNumber]:
    """Return the numbers of an English text: digits, number words, scales, ordinals."""
    en = number_rules()["en"]
    words, singles, digits, approx_re = _en_tables()
    scales = en["scales"]
    lowered = text.lower()
    found: list[EnNumber] = []
    for match in digits.finditer(lowered):
        integer, fraction, scale = match.group(1).replace(",", ""), match.group(2), match.group(3)
        value = float(integer + (fraction or ""))
        decimals = len(fraction) - 1 if fraction else 0
        precision = 10.0**-decimals
        if not fraction and approx_re.search(lowered[max(0, match.start() - 20) : match.start()]):
            # "about 5,300": trailing zeros were rounded away.
            zeros = len(integer) - len(integer.rstrip("0"))
            precision = 10.0 ** min(zeros, len(integer) - 1)
        if scale:
            value *= scales[scale]
            precision *= scales[scale]
        percent = _PERCENT_AFTER.match(lowered, match.end()) is not None
        found.append(EnNumber(value, precision, percent))
    # Word numbers: "three hundred thousand", "twenty-one", "two", "nineteenth".
    tokens = re.findall(r"[a-z]+", lowered)
    ordinals = en["ordinals"]
    total = current = 0.0
    in_number = False
    previous = ""
    for token in [*tokens, ""]:
        # Fractions: "a third", "two-thirds", "one fifth".
        denominator = ordinals.get(token) or ordinals.get(token.removesuffix("s"))
        if denominator and denominator > 2 and (previous == "a" or in_number):
            found.append(EnNumber((current or 1.0) / denominator, 1e-3 / denominator))
        previous = token
        if token in words:
            current += words[token]
            in_number = True
        elif token in scales and token not in ("mn", "bn") and in_number:
            scale = scales[token]
            if scale == 100:
                current *= scale
            else:
                total += current * scale
                current = 0.0
        elif token == "and" and in_number:
            continue
        else:
            if in_number:  # "thirty percent", "thirty per cent"
                found.append(EnNumber(total + current, 1.0, token in ("percent", "per")))
            total = current = 0.0
            in_number = False
        if token in singles:
            found.append(EnNumber(float(singles[token]), 1e-9))
    return found


def _close(written: float, value: float, tolerance: float) -> bool:
    return math.isclose(written, value, rel_tol=1e-9) or abs(written - value) <= tolerance


def value_kept(value: float, candidates: list[EnNumber], share: str = "") -> bool:
    """Return whether some English number equals ``value`` within its written precision.

    Only a share may change by a factor of 100, and only as a change of form: a ratio
    (三分之一) written as a percent (33.3%), a percent (3.34%) written as a ratio (0.0334).
    For any other number a hundredfold difference is the classic slip (亿 read as million,
    万 as million or thousand) and must not pass.
    """
    for number in candidates:
        tolerance = max(number.precision / 2, abs(value) * 1e-9)
        if share == "ratio" and number.percent:
            if _close(number.value, value * 100, tolerance):
                return True
            continue  # 0.333 percent is not a third
        if _close(number.value, value, tolerance):
            return True
        if share == "percent" and not number.percent and _close(number.value * 100, value, 0):
            return True
    return False


def missing_numbers(
    zh: str, en: str, skip_spans: list[tuple[int, int]] | None = None
) -> list[ZhNumber]:
    """Return the numbers of ``zh`` whose value does not appear in ``en``.

    Besides the value itself, a number counts as kept when the English carries it
    converted to another unit (8000万亩 as 5.33 million hectares), and a month or day is
    not required when the English dates the event by weekday ("on Monday"), as news
    translations do.
    """
    rules = number_rules()
    candidates = find_en_numbers(en)
    # Only when the weekday replaced the date: with a month in the English, days are checked.
    weekday = _weekday_pattern().search(en) is not None and not _month_pattern().search(en)
    date_units = set(rules["zh"]["date_units"])
    conversions = rules["zh"]["conversions"]
    missing = []
    for number in find_zh_numbers(zh, skip_spans):
        values = [number.value, *number.also]
        values += [number.value * factor for factor in conversions.get(number.after, [])]
        if any(value_kept(v, candidates, number.share) for v in values):
            continue
        if weekday and number.after in date_units:
            continue
        missing.append(number)
    return missing


@functools.cache
def _month_pattern() -> re.Pattern[str]:
    months = [m for m in number_rules()["en"]["months"] if len(m) > 3 or m == "may"]
    return re.compile(rf"\b(?:{'|'.join(months)})\b", re.IGNORECASE)


@functools.cache
def _weekday_pattern() -> re.Pattern[str]:
    days = number_rules()["en"]["weekdays"]
    return re.compile(rf"\b(?:{'|'.join(days)})\b", re.IGNORECASE)
