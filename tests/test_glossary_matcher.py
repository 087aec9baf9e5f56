"""The matcher finds every term leftmost-longest, in both scripts, with exact offsets."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.glossary import Entry, Matcher, load_glossary
from workbench.glossary.fold import converter
from workbench.glossary.matcher import matcher_for

DATA = Path(__file__).parent / "data" / "glossary"


@pytest.fixture(scope="module")
def fixture_glossary():
    return load_glossary(DATA / "valid")


# (text, expected [(start, end, text, entry id)])
GOLDEN = [
    ("坚持精准扶贫方略", [(2, 6, "精准扶贫", "t-jzfp")]),
    ("坚持精準扶貧方略", [(2, 6, "精準扶貧", "t-jzfp")]),  # Traditional (OpenCC)
    ("堅持精准扶貧方略", [(2, 6, "精准扶貧", "t-jzfp")]),  # mixed scripts
    ("扶贫和精准扶贫", [(0, 2, "扶贫", "t-fp"), (3, 7, "精准扶贫", "t-jzfp")]),
    # overlapping terms: the longest at the leftmost position wins
    ("两不愁三保障", [(0, 6, "两不愁三保障", "t-lbc")]),
    ("两不愁", [(0, 3, "两不愁", "t-lbc1")]),
    ("实现两不愁、三保障", [(2, 9, "两不愁、三保障", "t-lbc")]),
    ("实现“两不愁，三保障”", [(3, 10, "两不愁，三保障", "t-lbc")]),  # full-width comma
    ("实现两不愁,三保障", [(2, 9, "两不愁,三保障", "t-lbc")]),  # ASCII comma mirror
    ("實現「兩不愁、三保障」", [(3, 10, "兩不愁、三保障", "t-lbc")]),  # Traditional + corner quotes
    ("两不愁；三保障", [(0, 3, "两不愁", "t-lbc1")]),  # a semicolon is not a variant
    # quotation marks and spaces inside a term are kept in the span
    ("“五个一批”工程", [(1, 5, "五个一批", "t-wgyp")]),
    ("推进“精准”扶贫", [(2, 8, "“精准”扶贫", "t-jzfp")]),  # widened to hold both marks
    ("精准 扶贫", [(0, 5, "精准 扶贫", "t-jzfp")]),
    ("贫困发生率由13.2%下降", [(0, 5, "贫困发生率", "t-fsl")]),
    ("建档立卡贫困户", [(0, 7, "建档立卡贫困户", "t-jdlk")]),
    ("建档立卡贫困人口", [(0, 4, "建档立卡", "t-jdlk")]),
    ("贫困县脱贫摘帽", [(3, 7, "脱贫摘帽", "t-zm")]),
    ("易地扶贫搬迁", [(0, 6, "易地扶贫搬迁", "t-ydbq")]),
    ("选派第一书记", [(2, 6, "第一书记", "t-dyxs")]),
    ("", []),
    ("no Chinese here", []),
    ("扶\n贫", []),  # a line break splits a term
]


@pytest.mark.parametrize(("text", "expected"), GOLDEN)
def test_matcher_golden(fixture_glossary, text, expected):
    found = fixture_glossary.matcher().find(text)
    assert [(m.start, m.end, m.text, m.entry_id) for m in found] == expected
    for match in found:
        assert text[match.start : match.end] == match.text
        entry = fixture_glossary.get(match.entry_id)
        assert (match.zh, match.en) == (entry.zh, entry.en)


# Issue 9: a variant matched across a quotation mark gave a lopsided span (省“两会 in
# 省“两会”新闻发布会). Spans never start or end inside paired punctuation they do not close.
TWO_SESSIONS = Matcher(
    [
        Entry(id="lh", zh="两会", en="two sessions", zh_variants=["省两会", "全国两会"]),
        Entry(id="fb", zh="新闻发布会", en="press conference"),
        Entry(id="jz", zh="精准扶贫", en="targeted poverty alleviation"),
    ]
)
QUOTED = [
    ("省“两会”新闻发布会", [(0, 5, "省“两会”", "lh"), (5, 10, "新闻发布会", "fb")]),
    ("省「两会」新闻发布会", [(0, 5, "省「两会」", "lh"), (5, 10, "新闻发布会", "fb")]),
    ("全国‘两会’召开", [(0, 6, "全国‘两会’", "lh")]),
    ('省"两会"新闻发布会', [(0, 5, '省"两会"', "lh"), (5, 10, "新闻发布会", "fb")]),
    ("“两会”期间", [(1, 3, "两会", "lh")]),  # marks at the edges stay outside
    ("推进“精准”扶贫", [(2, 8, "“精准”扶贫", "jz")]),
    ("‘“精准”扶贫’", [(1, 7, "“精准”扶贫", "jz")]),
    ("“精准 ”扶贫", [(0, 7, "“精准 ”扶贫", "jz")]),
    # The partner is not next to the span: no balanced span exists, so that match is not
    # reported; the terms between the marks still are.
    ("省“两会代表”", [(2, 4, "两会", "lh")]),
    ("省“两会”“两会", [(0, 5, "省“两会”", "lh"), (6, 8, "两会", "lh")]),
    ("“精准扶”贫", [(0, 6, "“精准扶”贫", "jz")]),
    ("精准”扶贫", []),
]


@pytest.mark.parametrize(("text", "expected"), QUOTED)
def test_spans_never_hold_half_a_pair_of_quotation_marks(text, expected):
    for repeat in (1, 100):  # short and long texts take different paths
        found = TWO_SESSIONS.find(text * repeat)
        got = [(m.start, m.end, m.text, m.entry_id) for m in found[: len(expected)]]
        assert got == expected
        assert len(found) == repeat * len(expected)


@settings(max_examples=500, deadline=None)
@given(text=st.text('省两会新闻发布精准扶贫代表“”‘’「」" ', max_size=40))
def test_every_span_closes_the_quotation_marks_it_opens(text):
    pairs = {"“": "”", "‘": "’", "「": "」"}
    found = TWO_SESSIONS.find(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    for match in found:
        inside = text[match.start : match.end]
        assert inside == match.text
        stack: list[str] = []
        for char in inside:
            if char in pairs:
                stack.append(char)
            elif char in pairs.values():
                assert stack and pairs[stack.pop()] == char, inside
        assert not stack, inside
        assert inside.count('"') % 2 == 0, inside


def test_matcher_is_built_once_per_version(fixture_glossary):
    again = load_glossary(DATA / "valid")
    assert again.version == fixture_glossary.version
    assert again.matcher() is fixture_glossary.matcher()
    assert matcher_for(again) is fixture_glossary.matcher()


def _brute_force_longest(text: str, keys: dict[str, str]) -> list[tuple[int, int, str]]:
    """Reference leftmost-longest scan: at each position take the longest key, else step."""
    found, i = [], 0
    longest = max((len(k) for k in keys), default=0)
    while i < len(text):
        for length in range(min(longest, len(text) - i), 0, -1):
            piece = text[i : i + length]
            if piece in keys:
                found.append((i, i + length, keys[piece]))
                i += length
                break
        else:
            i += 1
    return found


ALPHABET = "甲乙丙丁戊"
terms = st.lists(st.text(ALPHABET, min_size=1, max_size=4), min_size=1, max_size=12, unique=True)


@settings(max_examples=300, deadline=None)
@given(terms=terms, text=st.text(ALPHABET + "子", max_size=60))
def test_matcher_agrees_with_brute_force_leftmost_longest(terms, text):
    entries = [Entry(id=f"e{i}", zh=term, en=f"en{i}") for i, term in enumerate(terms)]
    matcher = Matcher(entries)
    expected = _brute_force_longest(text, {t: f"e{i}" for i, t in enumerate(terms)})
    assert [(m.start, m.end, m.entry_id) for m in matcher.find(text)] == expected


# ---- every occurrence in the seed texts, in Simplified and in Traditional script ----

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
GLOSSARY_DIR = Path(__file__).parent.parent / "glossary"


def _trim(form: str) -> tuple[int, int]:
    """How many quotation marks/spaces a written form has at its start and end."""
    edge = " \u3000“”‘’「」『』\"'"
    return len(form) - len(form.lstrip(edge)), len(form) - len(form.rstrip(edge))


def _assert_every_occurrence_found(glossary, text: str, where: str, script_text: str) -> int:
    """Scan ``text`` with str.find for every written form; the matcher, run on
    ``script_text`` (same length), must cover each occurrence: the same concept there, or
    a match that leftmost-longest prefers (starts earlier, or same start and longer)."""
    matches = glossary.matcher().find(script_text)
    checked = 0
    for entry in glossary.entries:
        for form in entry.zh_forms:
            lead, trail = _trim(form)
            start = text.find(form)
            while start != -1:
                a, b = start + lead, start + len(form) - trail
                covering = [m for m in matches if m.start < b and m.end > a]
                assert covering, f"{where}: {form!r} ({entry.id}) at {a} not found"
                first = covering[0]
                assert first.start < a or (first.start == a and first.end >= b), (
                    f"{where}: {form!r} ({entry.id}) at {a}-{b} lost to {first}"
                )
                checked += 1
                start = text.find(form, start + 1)
    return checked


def _check_seeds(glossary) -> int:
    checked = 0
    for seed in SEEDS:
        text = seed.read_text(encoding="utf-8")
        checked += _assert_every_occurrence_found(glossary, text, seed.name, text)
        # Traditional as in Taiwan and Hong Kong too; these conversions keep the length,
        # so an occurrence's offsets are the same in both texts.
        for config in ("s2t", "s2tw", "s2hk"):
            traditional = converter(config).convert(text)
            assert len(traditional) == len(text) and traditional != text
            checked += _assert_every_occurrence_found(
                glossary, text, f"{seed.name} ({config})", traditional
            )
    return checked


def test_fixture_terms_are_all_found_in_seeds_in_both_scripts(fixture_glossary):
    assert _check_seeds(fixture_glossary) > 20


@pytest.mark.skipif(
    not list(GLOSSARY_DIR.glob("*.tsv")), reason="glossary/ holds no *.tsv term files yet"
)
def test_real_glossary_terms_are_all_found_in_seeds_in_both_scripts():
    glossary = load_glossary(GLOSSARY_DIR)
    assert _check_seeds(glossary) > 100


@pytest.mark.skipif(
    not list(GLOSSARY_DIR.glob("*.tsv")), reason="glossary/ holds no *.tsv term files yet"
)
def test_real_glossary_passes_check_with_at_least_200_sourced_concepts():
    from workbench.glossary import check_glossary

    assert [str(p) for p in check_glossary(GLOSSARY_DIR)] == []
    sourced = [e for e in load_glossary(GLOSSARY_DIR).entries if e.status == "approved"]
    assert all(e.source for e in sourced)
    assert len(sourced) >= 200


FOLD_ALPHABET = "精准扶贫兩不愁、，, “”「」 \u3000ＡBc甲"


@settings(max_examples=100, deadline=None)
@given(text=st.text(FOLD_ALPHABET, min_size=0, max_size=40), repeat=st.integers(60, 120))
def test_long_text_folding_equals_short_text_folding(text, repeat):
    """The NumPy path for long texts gives what str.translate gives for short ones."""
    from workbench.glossary.fold import FoldedText, fold

    long_text = text * repeat + "x" * 2048
    folded = FoldedText.of(long_text)
    assert folded.folded == fold(long_text)
    short = FoldedText.of(text)
    assert short.folded == fold(text)
    # Every mapped span, vectorised or not, agrees with the one-at-a-time mapping.
    n = len(folded.folded)
    starts = list(range(0, max(n - 3, 0)))
    ends = [s + 3 for s in starts]
    assert folded.spans(starts, ends) == (
        [folded.span(s, e)[0] for s, e in zip(starts, ends, strict=True)],
        [folded.span(s, e)[1] for s, e in zip(starts, ends, strict=True)],
    )


def test_long_and_short_texts_give_the_same_matches(fixture_glossary):
    matcher = fixture_glossary.matcher()
    piece = "实现“两不愁，三保障”，推进“精准”扶贫和選派第一書記。"
    long_text = piece * 200
    found = matcher.find(long_text)
    per_piece = matcher.find(piece)
    assert len(found) == 200 * len(per_piece)
    for i, match in enumerate(found):
        base = per_piece[i % len(per_piece)]
        offset = (i // len(per_piece)) * len(piece)
        assert (match.start - offset, match.end - offset, match.text, match.entry_id) == (
            base.start,
            base.end,
            base.text,
            base.entry_id,
        )


def test_matches_are_plain_term_matches_equal_to_constructed_ones(fixture_glossary):
    from workbench.models import TermMatch

    text = "坚持精准扶贫，實現“兩不愁、三保障”。" * 150
    for match in fixture_glossary.matcher().find(text):
        assert type(match) is TermMatch
        twin = TermMatch(match.start, match.end, match.text, match.entry_id, match.zh, match.en)
        assert match == twin and hash(match) == hash(twin)
        assert TermMatch.from_dict(match.to_dict()) == match


@pytest.mark.parametrize("repeat", [1, 500])
def test_lone_surrogates_do_not_break_matching_or_offsets(fixture_glossary, repeat):
    text = "\ud800精准扶贫" * repeat
    found = fixture_glossary.matcher().find(text)
    assert len(found) == repeat
    assert (found[-1].start, found[-1].end) == (len(text) - 4, len(text))


def test_garbage_collector_is_left_as_it_was(fixture_glossary):
    import gc

    text = "精准扶贫" * 30_000
    assert gc.isenabled()
    assert len(fixture_glossary.matcher().find(text)) == 30_000
    assert gc.isenabled()
    gc.disable()
    try:
        fixture_glossary.matcher().find(text)
        assert not gc.isenabled()
    finally:
        gc.enable()
