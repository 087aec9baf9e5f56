"""Invariants of the segmenter and the normaliser on arbitrary text (hypothesis).

Sentences cover each paragraph exactly (only whitespace between and around them), every
offset slices the input, and no sentence is empty — whatever the text.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.config import load_config
from workbench.segment import Segmenter, load_rules
from workbench.text.normalize import normalize

RULES = load_rules(load_config().segment)
SEGMENTER = Segmenter(RULES)
SEMICOLON_SEGMENTER = Segmenter(RULES.with_semicolon_split(True))

# Text made of the characters that matter to the rules, plus ordinary Han and Latin.
POLICY_ALPHABET = st.sampled_from(
    list("脱贫攻坚战精准扶贫两不愁三保障一是二")
    + list("。！？!?…；;，,、：:.%")
    + list("“”‘’「」『』《》（）()")
    + list("0123456789abcXY")
    + [" ", "\u3000", "\xa0", "\n", "\t", "\r\n", "@", "://", "www.", "http://a.cn/?x=1"]
    + ["...", "......", "．", "ＡＢ", "１２", "\u200b", "記憶體", '"']
)
policy_text = st.lists(POLICY_ALPHABET, max_size=80).map("".join)
any_text = st.text(max_size=200)


def assert_covers_exactly(text, segments):
    """Sentences are non-empty, stripped, ordered, and only whitespace lies outside them."""
    covered = [False] * len(text)
    previous_end = 0
    for s in segments:
        assert s.text, "empty sentence"
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip()
        assert s.start >= previous_end
        previous_end = s.end
        for i in range(s.start, s.end):
            covered[i] = True
    outside = "".join(ch for ch, inside in zip(text, covered, strict=True) if not inside)
    assert outside.strip() == "", f"text outside every sentence: {outside!r}"


@settings(max_examples=300, deadline=None)
@given(policy_text)
def test_sentences_cover_policy_like_text_exactly(text):
    assert_covers_exactly(text, SEGMENTER.segment(text))
    assert_covers_exactly(text, SEMICOLON_SEGMENTER.segment(text))


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_sentences_cover_arbitrary_unicode_exactly(text):
    assert_covers_exactly(text, SEGMENTER.segment(text))


@settings(max_examples=200, deadline=None)
@given(policy_text)
def test_paragraph_numbers_follow_non_blank_lines(text):
    segments = SEGMENTER.segment(text)
    non_blank = [line for line in text.splitlines() if line.strip()]
    assert {s.paragraph for s in segments} == set(range(len(non_blank)))


@settings(max_examples=300, deadline=None)
@given(st.one_of(policy_text, any_text))
def test_normalized_offsets_point_into_the_input_in_order(text):
    result = normalize(text)
    assert len(result.offsets) == len(result.text)
    assert all(0 <= o < len(text) for o in result.offsets)
    assert list(result.offsets) == sorted(result.offsets)


TOKEN_LOOP = Segmenter(RULES, fast=False)
TOKEN_LOOP_SEMICOLON = Segmenter(RULES.with_semicolon_split(True), fast=False)
LINE_BREAKING = st.sampled_from(["\n", "\r\n", "\n\n", "\u2028", "\r", "……", "。”", "？）", "等"])
multi_line_text = st.lists(st.one_of(POLICY_ALPHABET, LINE_BREAKING), max_size=80).map("".join)


@settings(max_examples=500, deadline=None)
@given(multi_line_text)
def test_fast_regex_and_token_loop_agree(text):
    for fast, slow in ((SEGMENTER, TOKEN_LOOP), (SEMICOLON_SEGMENTER, TOKEN_LOOP_SEMICOLON)):
        assert fast.segment(text) == slow.segment(text)


@settings(max_examples=300, deadline=None)
@given(multi_line_text)
def test_whole_text_pass_agrees_with_line_by_line_split(text):
    by_line = []
    offset = paragraph = 0
    for line in text.splitlines(keepends=True):
        spans = SEGMENTER.split(line.rstrip("\r\n"))
        for index, (a, b) in enumerate(spans):
            by_line.append((offset + a, offset + b, paragraph, index))
        paragraph += bool(spans)
        offset += len(line)
    whole = [(s.start, s.end, s.paragraph, s.position) for s in SEGMENTER.segment(text)]
    assert whole == by_line
