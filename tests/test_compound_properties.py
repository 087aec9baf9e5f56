"""Properties of derived compounds over generated text (hypothesis), with the real glossary.

Texts are built from pieces that make compounds likely: glossary terms, the vocabulary's
heads and modifiers, other Han characters and punctuation (sentence and quotation marks).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import opencc
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from workbench.glossary.compound import (
    SENTENCE_PUNCTUATION,
    TERM,
    CompoundRecogniser,
    default_vocabulary,
)
from workbench.glossary.termbase import load_glossary

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = load_glossary(ROOT / "glossary")
MATCHER = GLOSSARY.matcher()
RECOGNISER = CompoundRecogniser(MATCHER)
TERMS = sorted({e.zh for e in GLOSSARY.entries if len(e.zh) <= 8})[::7]
WORDS = [w.zh for w in default_vocabulary().words]
OTHER = list("的和在与推进实施加强建立健全县乡村人大中国")
PUNCT = [*"，。；：、！？“”", "\n"]

pieces = st.one_of(
    st.sampled_from(TERMS),
    st.sampled_from(WORDS),
    st.sampled_from(WORDS),
    st.sampled_from(OTHER),
    st.sampled_from(PUNCT),
)
texts = st.lists(pieces, min_size=1, max_size=14).map("".join)
S2T = opencc.OpenCC("s2t")
T2S = opencc.OpenCC("t2s")


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_every_derived_span_covers_a_glossary_match_and_no_punctuation(text):
    matches = [(m.start, m.end) for m in MATCHER.find(text)]
    for compound in RECOGNISER.find(text):
        assert any(compound.start <= s and e <= compound.end for s, e in matches)
        assert not SENTENCE_PUNCTUATION.intersection(compound.text), compound.text
        assert compound.text == text[compound.start : compound.end]
        # the parts touch each other and tile the span exactly
        ends = [compound.start] + [p.end for p in compound.parts]
        assert [p.start for p in compound.parts] == ends[:-1] and ends[-1] == compound.end
        assert len(compound.parts) >= 2 and any(p.role == TERM for p in compound.parts)
        assert compound.en.strip() and "{x}" not in compound.en


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_compounds_do_not_overlap_and_come_in_order(text):
    compounds = RECOGNISER.find(text)
    for first, second in itertools.pairwise(compounds):
        assert first.end <= second.start


@pytest.mark.parametrize("convert", [S2T.convert, T2S.convert], ids=["s2t", "t2s"])
@settings(max_examples=150, deadline=None)
@given(text=texts)
def test_derived_compounds_are_stable_under_script_conversion(convert, text):
    converted = convert(text)
    assume(len(converted) == len(text))
    # Where OpenCC's phrase conversion makes the glossary match differently, the base
    # matcher differs, not the compounds: compare only texts it matches alike.
    assume(
        [(m.start, m.end, m.entry_id) for m in MATCHER.find(text)]
        == [(m.start, m.end, m.entry_id) for m in MATCHER.find(converted)]
    )
    before = RECOGNISER.find(text)
    after = RECOGNISER.find(converted)
    assert [(c.start, c.end, c.en) for c in before] == [(c.start, c.end, c.en) for c in after]
    assert [T2S.convert(c.zh) for c in before] == [T2S.convert(c.zh) for c in after]


def _units_gap_by_gap(text: str) -> list[tuple[int, int, str]]:
    """The units as scanning every gap between glossary matches on its own gives them."""
    units = []
    position = 0
    matches = sorted(MATCHER.find(text), key=lambda m: m.start)
    for match in [*matches, None]:
        gap_end = len(text) if match is None else match.start
        if gap_end > position:
            for hit in RECOGNISER._word_matcher.find(text[position:gap_end]):
                units.append((position + hit.start, position + hit.end, hit.zh))
        if match is None:
            break
        if not SENTENCE_PUNCTUATION.intersection(match.text):
            units.append((match.start, match.end, match.entry_id))
        position = max(position, match.end)
    return sorted(units)


@settings(max_examples=300, deadline=None)
@given(text=texts)
def test_one_scan_for_the_words_gives_what_scanning_each_gap_gives(text):
    units = RECOGNISER._units(text, MATCHER.find(text))
    found = [(u.start, u.end, u.entry_id or (u.word.zh if u.word else "")) for u in units]
    assert found == _units_gap_by_gap(text)


@pytest.mark.parametrize("text", ["撂荒地区域", "种业振兴行动计划", "黑土地区域区域"])
def test_a_word_crossing_into_a_term_does_not_hide_the_words_of_the_gap(text):
    """地区 (a head) overlaps 撂荒地 + 区域 in one scan; the gap 区域 is scanned again, so the
    modifier 区域 is still found there (these fail when the gap is not scanned again)."""
    units = RECOGNISER._units(text, MATCHER.find(text))
    found = [(u.start, u.end, u.entry_id or (u.word.zh if u.word else "")) for u in units]
    assert found == _units_gap_by_gap(text)


# -- round 5: coordination with a head of its own, and 中国特色 ---------------------------

HEADS_BY_EN: dict[str, list[str]] = {}
for _word in default_vocabulary().words:
    if _word.role == "head":
        HEADS_BY_EN.setdefault(_word.en, []).append(_word.zh)
SHARED_MEANING = sorted(en for en, zh in HEADS_BY_EN.items() if len(zh) >= 2)  # system …
ALL_HEADS = sorted(zh for zh_list in HEADS_BY_EN.values() for zh in zh_list)


def _compound_at(text: str, start: int, end: int) -> bool:
    return any((c.start, c.end) == (start, end) for c in RECOGNISER.find(text))


def _term_at(text: str, term: str, start: int) -> bool:
    return any((m.start, m.end) == (start, start + len(term)) for m in MATCHER.find(text))


@settings(max_examples=200, deadline=None)
@given(
    first=st.sampled_from(TERMS),
    term=st.sampled_from(TERMS),
    meaning=st.sampled_from(SHARED_MEANING),
    data=st.data(),
)
def test_a_conjunct_with_its_own_head_of_the_same_meaning_keeps_the_compound(
    first, term, meaning, data
):
    """经济体制、社会保障制度: the conjunct before the mark already ends in a head meaning the
    same ("system"), so the head after the term is not shared and term + head is built."""
    own = data.draw(st.sampled_from(HEADS_BY_EN[meaning]))
    head = data.draw(st.sampled_from(HEADS_BY_EN[meaning]))
    mark = data.draw(st.sampled_from(sorted("、和与及")))
    text = f"{first}{own}{mark}{term}{head}。"
    start = len(first) + len(own) + 1
    assume(_term_at(text, term, start))
    assume(
        not any(
            m.start < start + len(term) + len(head) and m.end > start + len(term)
            for m in MATCHER.find(text)
        )
    )  # the head is not part of a longer term
    assert _compound_at(text, start, start + len(term) + len(head))


@settings(max_examples=200, deadline=None)
@given(first=st.sampled_from(TERMS), term=st.sampled_from(TERMS), head=st.sampled_from(ALL_HEADS))
def test_a_conjunct_without_a_head_of_that_meaning_still_shares_the_head(first, term, head):
    """产业扶贫、就业扶贫工作: nothing before the mark ends in a head meaning what the last head
    means, so the head serves both conjuncts and no half compound is built."""
    meaning = next(en for en, zh in HEADS_BY_EN.items() if head in zh)
    assume(not any(first.endswith(h) for h in HEADS_BY_EN[meaning]))
    text = f"{first}、{term}{head}。"
    start = len(first) + 1
    assume(_term_at(text, term, start))
    assert not any(c.end == start + len(term) + len(head) for c in RECOGNISER.find(text))


@settings(max_examples=200, deadline=None)
@given(term=st.sampled_from(TERMS), head=st.sampled_from(ALL_HEADS))
def test_zhongguo_tese_before_a_term_is_one_modifier_of_the_compound(term, head):
    """中国特色 + term + head is one compound from 中国, read "Chinese …", never 特色 alone
    ("distinctive") with a stray 中国 before it."""
    text = f"加快{term}{head}和中国特色{term}{head}。"
    start = text.index("中国特色")
    assume(_term_at(text, term, start + 4))
    assume(not any(m.start < start + 4 and m.end > start for m in MATCHER.find(text)))
    compounds = [c for c in RECOGNISER.find(text) if c.start <= start < c.end]
    assume(compounds and compounds[0].end == start + 4 + len(term) + len(head))
    assert compounds[0].start == start
    assert compounds[0].parts[0].text == "中国特色" and "Chinese " in compounds[0].en
