"""Round 6 of the per-core work on ingest (text stages): each shortcut against the path
it replaced, on generated texts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.ingest import decode as decode_module
from workbench.text import normalize as normalize_module
from workbench.text.normalize import (
    _change_lengths,
    _change_lengths_by_events,
    _collapse_spaces,
    _convert_lines,
    _converter,
    _has_wide,
    _rewrite_parentheses,
    _triggers,
    normalize,
    normalize_lines,
)

# Every kind of whitespace str.split() and the length pass know, beside Chinese, Latin,
# dots, zero-width characters and characters beyond the BMP.
SPACES = [" ", "  ", "\t", "\xa0", "\u3000", "\u2002", "\u200a", "\x1c", "\x1f", "\x85",
          "\x0b", "\x0c", "\u1680", "\u2028", "\u202f", "\u205f", "\r"]  # fmt: skip
WORDS = ["扶贫", "脱贫攻坚", "乾隆", "後來", "覆盖", "批覆", "記憶體", "GDP", "2020", "a",
         "，", "。", "（", "）", "ＧＤＰ", "！", "·", "—", "𠀀", "𪚥"]  # fmt: skip
ODD = ["...", "......", "\u200b", "\ufeff", "\u00ad", "\u2060", "\n", "\ufdd0", "\u2061"]


def _line(pieces: list[str]) -> str:
    return "".join(pieces)


spaced_lines = st.lists(st.sampled_from(SPACES + WORDS), max_size=30).map(_line)
any_lines = st.lists(st.sampled_from(SPACES + WORDS + ODD), max_size=30).map(_line)


def _same(a: normalize_module.Normalized, b: normalize_module.Normalized) -> None:
    assert a.text == b.text
    assert list(a.offsets) == list(b.offsets)
    assert isinstance(a.offsets, range) == isinstance(b.offsets, range)
    assert a.source == b.source


@settings(max_examples=300, deadline=None)
@given(line=spaced_lines)
def test_collapsing_spaces_by_split_equals_the_event_pass(line):
    # ("\u2028" and "\r" are whitespace to both; only "\n" is kept out of one line.)
    _same(_collapse_spaces(line, line), _change_lengths_by_events(line, line, None))


@settings(max_examples=300, deadline=None)
@given(line=any_lines)
def test_the_length_pass_with_its_shortcuts_equals_the_event_pass(line):
    _same(_change_lengths(line, line, None), _change_lengths_by_events(line, line, None))


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(any_lines.map(str.strip).filter(bool), min_size=1, max_size=6),
    opencc=st.sampled_from(["t2s", "tw2sp", "hk2s", "none"]),
)
def test_normalize_lines_still_equals_normalizing_each_line(lines, opencc):
    lines = [piece for line in lines for piece in line.split("\n") if piece]
    if not lines:
        return
    for fast, alone in zip(normalize_lines(lines, opencc), lines, strict=True):
        _same(fast, normalize(alone, opencc))


def _parentheses_as_before(text: str, context: str) -> str:
    """``_rewrite_parentheses`` as it was: the pairs counted against both marks."""
    module = normalize_module
    if module._LATIN_PAIR.search(context) is None:
        pairs = len(module._PAREN_PAIR.findall(context))
        if pairs and context.count("(") == pairs == context.count(")"):
            return text.replace("(", "（").replace(")", "）")
    decisions = module._paren_decisions(context)
    changes: dict[int, str] = {}
    for m in module._PARENTHESIS.finditer(context):
        i = m.start()
        chinese = decisions.get(i)
        if chinese is None:
            before = context[i - 1] if i else " "
            after = context[i + 1] if i + 1 < len(context) else " "
            chinese = bool(module._CJK_CONTEXT.match(before) or module._CJK_CONTEXT.match(after))
        if chinese:
            changes[i] = module.TO_FULL_WIDTH[m.group()]
    return module._replace_at(text, changes)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["(", ")", "((", "))", "扶贫", "a", "2011-2020年", " ", "\n",
                                 "，", "x y"]), max_size=20).map("".join))  # fmt: skip
def test_pairs_taken_out_decide_as_the_counts_did(text):
    assert _rewrite_parentheses(text, text) == _parentheses_as_before(text, text)


@settings(max_examples=300, deadline=None)
@given(text=any_lines)
def test_the_shared_code_units_tell_full_width_forms_as_the_class_does(text):
    units = text.encode("utf-16-le", "surrogatepass")
    assert _has_wide(text, units) == (normalize_module._WIDE.search(text) is not None)


@pytest.mark.parametrize("config", ["t2s", "tw2sp", "hk2s", "tw2s"])
def test_the_bmp_class_is_the_trigger_class_without_the_astral_range(config):
    triggers = _triggers(config)
    if triggers is None:
        pytest.skip("no trigger set for this OpenCC installation")
    full = triggers.pattern.pattern
    assert full == triggers.bmp_pattern.pattern[:-1] + "\\U00010000-\\U0010ffff]"
    # On BMP characters both classes agree; beyond the BMP only the full one matches.
    for code in range(0x3000, 0xA000):
        char = chr(code)
        found = triggers.pattern.match(char) is not None
        assert found == (triggers.bmp_pattern.match(char) is not None)
    assert triggers.bmp_pattern.match("𠀀") is None and triggers.pattern.match("𠀀")


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(
        st.lists(st.sampled_from([*WORDS, "沈浸", "覆", "著", "於是"]), max_size=8).map("".join),
        min_size=1,
        max_size=6,
    ),
    config=st.sampled_from(["t2s", "tw2sp", "hk2s"]),
)
def test_the_astral_test_from_the_code_units_picks_the_right_class(lines, config):
    joined = "\n".join(lines)
    units = joined.encode("utf-16-le", "surrogatepass")
    bmp_only = len(units) == 2 * len(joined)
    assert bmp_only == (re.search("[\U00010000-\U0010ffff]", joined) is None)
    converter = _converter(config)
    assert converter is not None
    expected = converter.convert(joined)
    assert _convert_lines(converter, config, joined, bmp_only) == expected
    assert _convert_lines(converter, config, joined) == expected


_SINGLES = tuple(bytes([byte]) for byte in decode_module._CONTROL_BYTES)


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(["扶贫", "a", "\t", "\n", "\x01", "\x1c", "\x7f", "\x0e", "\ue000", "·"]),
        min_size=1,
        max_size=40,
    ).map("".join)
)
def test_control_bytes_asked_as_integers_find_what_single_bytes_found(text):
    data = text.encode("utf-8")
    as_bytes = any(map(data.__contains__, _SINGLES))
    as_integers = any(map(data.__contains__, decode_module._CONTROL_BYTES))
    assert as_bytes == as_integers
    assert decode_module._plausible_utf8(data, text) == decode_module._plausible(text)
