"""The dictionary judgement: a term rendered in words the glossary does not list."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from workbench.glossary import load_glossary
from workbench.qa import dictionary
from workbench.qa.dictionary import (
    Dictionary,
    build_dictionary,
    clean_gloss,
    needed,
    parse_lines,
    references,
    rendered_otherwise,
    term_units,
    units_of,
)
from workbench.qa.terminology import check_terms
from workbench.text.english import tokenize

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Term:
    id: str
    zh: str
    en: str
    en_alternatives: list[str] = field(default_factory=list)
    en_forbidden: list[str] = field(default_factory=list)
    status: str = "approved"
    level: str = "preferred"
    zh_variants: list[str] = field(default_factory=list)


# -- cleaning CC-CEDICT glosses ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("gloss", "cleaned"),
    [
        ("to lift oneself out of poverty", "lift oneself out of poverty"),
        ("system (e.g. political, adminstrative etc)", "system"),
        ("ecology", "ecology"),
        ("to be responsible for", "responsible for"),
        ("law (abbr. for 法律|法律[fa3 lu:4])", "law"),
        ("CL:個|个[ge4]", None),
        ("surname He", None),
        ("Taiwan pr. [han4]", None),
        ("variant of 法[fa3]", None),
        ("old variant of 法[fa3]", None),
        ("see 三農問題|三农问题[san1 nong2 wen4 ti2]", None),
        ("(Tw)", None),
        ("classifier for rinses of clothes", None),
    ],
)
def test_glosses_are_cleaned_to_their_english_meaning(gloss: str, cleaned: str | None) -> None:
    assert clean_gloss(gloss) == cleaned


def test_pointer_glosses_name_the_entry_in_both_scripts() -> None:
    assert references("see 三農問題|三农问题[san1 nong2 wen4 ti2]") == ["三農問題", "三农问题"]
    assert references("abbr. for 法國|法国[Fa3 guo2]") == ["法國", "法国"]
    assert references("variant of 法[fa3]") == ["法"]
    assert references("ecology") == []


LINES = [
    "# CC-CEDICT comment",
    "法 法 [fa3] /law/method/to emulate/",
    "法 法 [Fa3] /France/abbr. for 法國|法国[Fa3 guo2]/",
    "灋 法 [fa3] /old variant of 法[fa3]/",
    "三農 三农 [san1 nong2] /see 三農問題|三农问题[san1 nong2 wen4 ti2]/",
    "三農問題 三农问题 [san1 nong2 wen4 ti2] /the three rural issues/",
    "生態 生态 [sheng1 tai4] /ecology/",
    "not a cedict line",
]


def test_parse_merges_entries_of_a_headword_in_both_scripts_and_follows_pointers() -> None:
    index = parse_lines(LINES)
    assert index["法"].split("|") == ["law", "method", "emulate", "france"]
    assert index["生態"] == index["生态"] == "ecology"
    assert index["三农"] == index["三農"] == "three rural issues"  # followed "see"
    assert "灋" in index and "law" in index["灋"]  # a variant takes its entry's glosses


def test_split_takes_the_longest_headword_and_keeps_numerals_apart() -> None:
    hand = Dictionary.of(parse_lines(LINES))
    assert hand.split("生态法") == ["生态", "法"]
    assert hand.split("三农问题") == ["三农问题"]
    assert hand.split("第二轮") == ["第二", "轮"]  # an ordinal numeral is one word
    real = dictionary.load_dictionary()
    assert units_of("生态补偿制度") == ["生态", "补偿", "制度"]
    assert units_of("中央一号文件") == ["中央", "一", "号", "文件"]
    assert units_of("生態補償制度") == ["生態", "補償", "制度"]  # Traditional too
    assert real.split("扶贫") == ["扶贫"]


def test_numerals_are_matched_by_value() -> None:
    [number] = [u for u in term_units("中央一号文件") if u.number is not None]
    assert number.number == 1
    assert [u.number for u in term_units("第二轮") if u.number is not None] == [2]


@pytest.mark.parametrize(
    ("words", "wanted"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 4), (8, 6)]
)
def test_longer_terms_may_leave_one_word_implied_and_from_five_two(words: int, wanted: int) -> None:
    assert needed(words) == wanted


# -- the coverage rule, on hand-made pairs ---------------------------------------------------


def _otherwise(zh: str, en: str, blocked: tuple[int, ...] = ()) -> str | None:
    tokens = tokenize(en)
    span = rendered_otherwise([zh], tokens, blocked)
    return None if span is None else en[tokens[span[0]].start : tokens[span[1]].end]


@pytest.mark.parametrize(
    ("zh", "en", "found"),
    [
        # every word shown
        (
            "生态补偿制度",
            "We will improve the ecological compensation system.",
            "ecological compensation system",
        ),
        # three words: one may be implied
        ("生态补偿制度", "Ecological compensation works.", "Ecological compensation"),
        # the numeral by value, 号 left implied
        ("中央一号文件", "The No 1 central document was issued.", "1 central document"),
        # a numbered slogan spelt out: the numeral may be left out when nothing shows it
        ("三农", "agriculture, rural areas and farmers", "agriculture"),
        # one dictionary word: a whole gloss is needed
        ("耕地", "We protect arable land.", "arable land"),
        ("耕地", "We protect the land.", None),
        # two words: both needed
        ("生态补偿", "ecology matters", None),
        # the words must stand in one clause
        ("生态补偿制度", "Ecology. Compensation must be paid.", None),
        # nor far apart among other content words
        ("生态补偿", "ecological farms paid full wages as compensation", None),
        ("生态补偿制度", "We build roads and schools.", None),
        # six words (农业 强 农村 美 农民 富): two may be implied ("landscapes" for 农村,
        # "prosperous" for 富), three may not
        (
            "农业强、农村美、农民富",
            "We want strong agriculture, beautiful landscapes and prosperous farmers.",
            "strong agriculture, beautiful landscapes and prosperous farmers",
        ),
        ("农业强、农村美、农民富", "We want strong agriculture and prosperous farmers.", None),
        # four words (老少 边 穷 地区): one only, so "poor areas" alone is not enough
        ("老少边穷地区", "Priority goes to rural and poor areas.", None),
    ],
)
def test_a_term_is_rendered_otherwise_when_one_clause_shows_enough_of_its_words(
    zh: str, en: str, found: str | None
) -> None:
    assert _otherwise(zh, en) == found


def test_tokens_of_another_rendering_are_no_evidence() -> None:
    en = "the ecological compensation system"
    assert _otherwise("生态补偿制度", en) is not None
    assert _otherwise("生态补偿制度", en, blocked=(1, 2)) is None  # "ecological compensation"


def test_one_token_does_not_stand_for_two_words_of_the_term() -> None:
    # 帮扶 is 帮 + 扶, both "help": one "help" shows only one of them
    assert "帮" in units_of("定点帮扶") or "帮扶" in units_of("定点帮扶")
    assert _otherwise("贫困地区", "poverty") is None


# -- the finding -----------------------------------------------------------------------------

# A rendering that shares no word with the dictionary's glosses (the economists' name for
# such schemes), so the judgement is the dictionary's alone: "ecological compensation"
# would already count as the core of "eco-compensation mechanism" (test_qa_terminology).
ECO = Term("eco-1", "生态补偿制度", "payments for ecosystem services")


def test_a_term_rendered_otherwise_is_a_nonstandard_finding_naming_what_was_found() -> None:
    [problem] = check_terms("We improve the ecological compensation system.", [(ECO, ECO.zh)])
    assert problem.kind == "nonstandard"
    assert problem.found == "ecological compensation system"
    assert problem.acceptable == ["payments for ecosystem services"]
    [missing] = check_terms("We build roads and schools.", [(ECO, ECO.zh)])
    assert missing.kind == "missing"


def test_a_required_term_rendered_otherwise_stays_a_warning_and_a_preferred_one_is_info() -> None:
    from workbench.models import SentencePair
    from workbench.qa import GlossaryView, PairChecker

    glossary = load_glossary(ROOT / "glossary")
    pair = SentencePair(
        id="p",
        doc_id="d",
        zh="实现两不愁三保障。",
        en="We ensure two no-worries and three safeguards.",
    )
    findings = PairChecker(GlossaryView.of(glossary)).check(pair)
    [finding] = [f for f in findings if f.check.startswith("terminology")]
    assert finding.check == "terminology.nonstandard"
    assert finding.severity == "warning"  # 两不愁三保障 is required
    assert finding.details["found"] == "two no-worries and three safeguards"
    checker = PairChecker(GlossaryView.of(glossary))
    assert checker.severity["terminology.nonstandard"] == "info"


def test_forbidden_renderings_are_still_reported_when_the_term_is_rendered_otherwise() -> None:
    term = Term("t", "生态补偿制度", "payments for ecosystem services", en_forbidden=["eco tax"])
    problems = check_terms("An eco tax and an ecological compensation system.", [(term, term.zh)])
    assert sorted(p.kind for p in problems) == ["forbidden", "nonstandard"]


# -- load once, cache ------------------------------------------------------------------------


def test_the_index_is_built_once_into_the_cache_and_read_back(tmp_path, monkeypatch) -> None:
    built = build_dictionary(tmp_path)
    [cache] = list(tmp_path.glob("cedict-index-v*.json"))
    assert built.glosses["生态"] == "ecology"

    def no_parse(lines):  # the second load must not parse the gzip again
        raise AssertionError("parsed again")

    monkeypatch.setattr(dictionary, "parse_lines", no_parse)
    again = build_dictionary(tmp_path)
    assert again.glosses == built.glosses
    cache.write_bytes(b"{not json")  # a damaged cache is rebuilt, not an error
    monkeypatch.undo()
    assert build_dictionary(tmp_path).glosses["生态"] == "ecology"


def test_the_dictionary_file_is_the_packaged_cc_cedict() -> None:
    head = gzip.decompress(dictionary._dictionary_file().read_bytes())[:2000].decode("utf-8")
    assert "CC-CEDICT" in head and "creativecommons.org/licenses/by-sa/4.0" in head


# -- properties over the real glossary --------------------------------------------------------

_GLOSSARY = load_glossary(ROOT / "glossary")
_CHECKED = [
    e
    for e in _GLOSSARY.entries
    if e.status == "approved" and e.level in ("required", "preferred") and not e.en_forbidden
]
_UNRELATED = ["piano", "violin", "sonata", "orchestra", "melody", "concert", "yesterday"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_CHECKED), st.sampled_from(["We stress {}.", "{} matters.", "On {} today"]))
def test_a_term_whose_approved_rendering_is_present_never_gets_a_finding(entry, frame) -> None:
    en = frame.format(entry.en)
    assert check_terms(en, [(entry, entry.zh)]) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_CHECKED), st.lists(st.sampled_from(_UNRELATED), min_size=3, max_size=8))
def test_unrelated_english_is_still_a_missing_term(entry, words) -> None:
    en = "The " + " ".join(words) + "."
    keys = {k for t in tokenize(en) for k in t.keys}
    rendering_keys = {
        k for t in tokenize(" ".join([entry.en, *entry.en_alternatives])) for k in t.keys
    }
    assume(not keys & rendering_keys)
    [problem] = check_terms(en, [(entry, entry.zh)])
    assert problem.kind == "missing"
