"""The str-scan path of ``split_lines`` gives what the regex paths give, whatever the text.

``Segmenter.split_lines`` now tries ``ScanSplitter`` (workbench/segment/scan.py) first. The
paths it replaces stay as references: the fast regex over the joined paragraphs
(``_split_lines_regex``) and the token loop per paragraph (``Segmenter(rules,
fast=False).split``). Generated documents cover one-character sentences, runs of
terminators, nested and unclosed quotes and brackets, headings, numbered lists,
Traditional script, mixed Latin, ellipses, spaces of every kind and, rarely, what sends a
document to the regex paths (line breaks inside a paragraph, ASCII quotes, URLs); and the
rules with every switch flipped.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.config import load_config
from workbench.segment import Segmenter, load_rules
from workbench.segment.rules import Pair, SegmentationRules
from workbench.segment.scan import ScanSplitter

RULES = load_rules(load_config().segment)


def _flip_unclosed(rules: SegmentationRules) -> SegmentationRules:
    flipped = {"to_end": "ignore", "ignore": "to_end"}
    return replace(
        rules, pairs=tuple(Pair(p.open, p.close, flipped[p.unclosed]) for p in rules.pairs)
    )


VARIANTS = {
    "shipped": RULES,
    "semicolon": RULES.with_semicolon_split(True),
    "no-ascii-period": replace(RULES, ascii_period=False),
    "no-after-ellipsis": replace(RULES, after_ellipsis=""),
    "unclosed-flipped": _flip_unclosed(RULES),
    "no-closers": replace(RULES, closers=""),
    "no-continuation": replace(RULES, continuation=""),
    "more-terminators": replace(RULES, strong=RULES.strong + "；"),
    "no-ellipsis": replace(RULES, ellipsis=""),
    "no-pairs": replace(RULES, pairs=()),
    "semicolon-no-period": replace(RULES, ascii_period=False).with_semicolon_split(True),
}
SEGMENTERS = {name: Segmenter(rules) for name, rules in VARIANTS.items()}
TOKEN_LOOPS = {name: Segmenter(rules, fast=False) for name, rules in VARIANTS.items()}
# Without closing marks the fast regex and the token loop already differ (before the scan
# existed) on a bracket ending in a terminator: （？）脱 is one sentence to the token loop
# (its rstrip of no closers keeps the ）), two to the fast regex. The scan sends such a
# paragraph to the fast regex, so it is compared with the regex paths there.
TOKEN_LOOP_AGREES = {name for name in VARIANTS if name != "no-closers"}


def _reference(name: str, paragraphs: list[str]) -> list[list[tuple[int, int]]]:
    """What split_lines gave before the scan, checked against the token loop where they agree."""
    expected = SEGMENTERS[name]._split_lines_regex(paragraphs)
    if name in TOKEN_LOOP_AGREES:
        assert expected == [TOKEN_LOOPS[name].split(p) for p in paragraphs]
    return expected


HAN = list("脱贫攻坚战精准扶贫两不愁三保障人民政府发展經濟體制們這記憶")
MARKS = list("。！？!?…⋯；;，,、：:%.．“”‘’「」『』《》（）()【】〔〕〈〉—·等的")
PIECES = st.one_of(
    st.sampled_from(HAN),
    st.sampled_from(HAN),
    st.sampled_from(MARKS),
    st.sampled_from(
        [
            "……",
            "⋯⋯",
            "...",
            "。”",
            "？）",
            "！」",
            "“两不愁”",
            "《纲要》",
            "（一）",
            "一、",
            "1.",
            "3.34",
            "第一条",
            "中.文",
            "GDP",
            "Xi Jinping",
            "\U00020000",
            " ",
            "\u3000",
            "\t",
            "\xa0",
            "\u200b",
        ]
    ),
)
RARE = st.sampled_from(['"', "http://a.cn/?x=1", "www.", "@", "\r", "\u2028", "\x1c", "\x85"])
plain_paragraph = st.lists(PIECES, max_size=25).map("".join)
any_paragraph = st.lists(st.one_of(PIECES, PIECES, PIECES, RARE), max_size=25).map("".join)
HEADINGS = st.sampled_from(["第一章 总则", "一、基本情况", "（二）主要做法", "附件", "   "])
document = st.lists(st.one_of(plain_paragraph, plain_paragraph, HEADINGS), min_size=1, max_size=8)
any_document = st.lists(st.one_of(any_paragraph, plain_paragraph, HEADINGS), max_size=8)


@settings(max_examples=600, deadline=None)
@given(paragraphs=document, name=st.sampled_from(sorted(VARIANTS)))
def test_scan_equals_the_regex_paths_on_plain_documents(paragraphs, name):
    segmenter = SEGMENTERS[name]
    expected = _reference(name, paragraphs)
    assert segmenter.split_lines(paragraphs) == expected
    scan = segmenter._scan
    if scan is not None:
        scanned = scan.split_lines(paragraphs)
        assert scanned is not None  # nothing here needs the regex paths
        assert scanned == expected


@settings(max_examples=400, deadline=None)
@given(paragraphs=any_document, name=st.sampled_from(sorted(VARIANTS)))
def test_scan_equals_the_regex_paths_whatever_the_document_holds(paragraphs, name):
    segmenter = SEGMENTERS[name]
    expected = _reference(name, paragraphs)
    assert segmenter.split_lines(paragraphs) == expected
    if segmenter._scan is not None and paragraphs:
        scanned = segmenter._scan.split_lines(paragraphs)
        assert scanned is None or scanned == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), min_size=1, max_size=6))
def test_scan_equals_the_token_loop_on_arbitrary_unicode(paragraphs):
    segmenter = SEGMENTERS["shipped"]
    expected = [TOKEN_LOOPS["shipped"].split(p) for p in paragraphs]
    assert segmenter.split_lines(paragraphs) == expected


def test_the_shipped_rules_take_the_scan_and_plain_prose_never_leaves_it():
    segmenter = Segmenter(RULES)
    assert segmenter._scan is not None
    paragraphs = ["坚持精准扶贫。实现“两不愁三保障”！", "一、基本情况", "他说：“好。”我们走吧？好"]
    calls = []
    fallback = segmenter._scan._split
    segmenter._scan._split = lambda p: calls.append(p) or fallback(p)
    assert segmenter.split_lines(paragraphs) == [
        [(0, 7), (7, 18)],
        [(0, 6)],
        [(0, 7), (7, 12), (12, 13)],
    ]
    # Only the paragraph whose quotation ends in 。 is split by the regex path.
    assert calls == ["他说：“好。”我们走吧？好"]


@pytest.mark.parametrize(
    "rules",
    [
        replace(RULES, closers=RULES.closers + "。"),  # a terminator that is a closing mark
        replace(RULES, pairs=(*RULES.pairs, Pair("“", "」", "ignore"))),  # one opener twice
        replace(RULES, pairs=(*RULES.pairs, Pair("。", "”", "ignore"))),  # opener = terminator
        replace(RULES, strong=RULES.strong + "."),  # the ASCII full stop as a terminator
        replace(RULES, protected_triggers=()),  # patterns searched in every text
        replace(RULES, pairs=(*RULES.pairs, Pair("<", "。", "ignore"))),  # close = terminator
        replace(RULES, closers=RULES.closers + "“"),  # an opener that is a closing mark
    ],
)
def test_rules_the_scan_cannot_stand_for_go_to_the_regex_paths(rules):
    segmenter = Segmenter(rules)
    assert segmenter._scan is None
    paragraphs = ["坚持精准扶贫。实现“两不愁。”", "一、基本情况。"]
    token_loop = Segmenter(rules, fast=False)
    assert segmenter.split_lines(paragraphs) == [token_loop.split(p) for p in paragraphs]


def test_accepts_the_shipped_rules_in_both_semicolon_settings():
    for rules in (RULES, RULES.with_semicolon_split(True)):
        terminators = rules.strong + rules.ellipsis + (rules.semicolon * rules.split_at_semicolon)
        assert ScanSplitter.accepts(rules, terminators)
