"""Splitting many paragraphs in one pass gives what splitting each one gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.config import load_config
from workbench.segment import Segmenter, load_rules

RULES = load_rules(load_config().segment)
SEGMENTERS = [Segmenter(RULES), Segmenter(RULES.with_semicolon_split(True))]

# The characters the rules look at, line-edge whitespace, marks that need the token loop
# (ASCII quotes, URLs) and line breaks of every kind inside a "paragraph".
PIECES = st.sampled_from(
    [
        *"脱贫攻坚战精准扶贫两不愁一是。！？!?…；;，,、：:.%“”‘’「」《》（）()0123abc",
        *[" ", "\u3000", "\t", "......", "．", "\u200b", '"', "http://a.cn/?x=1", "www.", "@"],
        *["\n", "\r", "\u2028", "\x1c"],
    ]
)
paragraph = st.lists(PIECES, max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(paragraphs=st.lists(paragraph, max_size=10), which=st.sampled_from(SEGMENTERS))
def test_split_lines_equals_split_per_paragraph(paragraphs, which):
    assert which.split_lines(paragraphs) == [which.split(p) for p in paragraphs]


@settings(max_examples=200, deadline=None)
@given(
    paragraphs=st.lists(
        paragraph.filter(lambda p: not any(ch in p for ch in '\n\r\u2028\x1c"@')), max_size=10
    )
)
def test_plain_paragraphs_take_the_one_pass_path_and_agree(paragraphs):
    segmenter = SEGMENTERS[0]
    calls = []
    original = segmenter.split
    segmenter.split = lambda p: calls.append(p) or original(p)  # type: ignore[method-assign]
    try:
        together = segmenter.split_lines(paragraphs)
    finally:
        del segmenter.split
    expected = [segmenter.split(p) for p in paragraphs]
    assert together == expected
    if paragraphs and not any(t in "".join(paragraphs) for t in ("://", "www.")):
        assert calls == []  # no fallback: the one-pass path was taken
