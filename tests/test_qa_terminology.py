"""Terminology check: approved or acceptable renderings present, forbidden ones absent."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.qa.terminology import check_terms, fold_english


@dataclass
class Term:
    id: str
    zh: str
    en: str
    en_alternatives: list[str] = field(default_factory=list)
    en_forbidden: list[str] = field(default_factory=list)
    status: str = "approved"
    level: str = "preferred"
    category: str = "policy"


TARGETED = Term(
    "t-1",
    "精准扶贫",
    "targeted poverty alleviation",
    ["precision-targeted poverty relief"],
    ["precise poverty alleviation", "poverty alleviation"],
)
COUNTY = Term("t-2", "贫困县", "poverty-stricken county", ["poor county"])
PROPOSED = Term("t-3", "摘帽", "removed from the poverty list", status="proposed")

CASES = [
    (TARGETED, "We pursue targeted poverty alleviation.", []),
    (TARGETED, "We pursue Targeted Poverty-Alleviation.", []),
    (TARGETED, "Precision-targeted poverty relief works.", []),
    (TARGETED, "We pursue precise poverty alleviation.", ["forbidden", "missing"]),
    (TARGETED, "Poverty alleviation in general.", ["forbidden", "missing"]),
    (TARGETED, "We help the poor.", ["missing"]),
    (COUNTY, "All 832 poverty-stricken counties.", []),
    (COUNTY, "The poor counties of Jilin.", []),
    # "poor", "impoverished" and "poverty-stricken" are all official renderings of 贫困.
    (COUNTY, "The impoverished counties.", []),
    (COUNTY, "The rural counties.", ["missing"]),
    (PROPOSED, "The county graduated.", []),  # proposed: not yet authoritative
]


@pytest.mark.parametrize(("entry", "en", "kinds"), CASES)
def test_renderings_are_checked_tolerantly(entry: Term, en: str, kinds: list[str]) -> None:
    problems = check_terms(en, [(entry, entry.zh)])
    assert sorted(p.kind for p in problems) == kinds


def test_a_forbidden_phrase_inside_the_approved_rendering_is_not_reported() -> None:
    # "poverty alleviation" is forbidden alone but is part of the approved rendering.
    assert check_terms("Targeted poverty alleviation works.", [(TARGETED, "精准扶贫")]) == []


def test_forbidden_problem_names_what_was_found_and_what_to_use() -> None:
    [problem, _missing] = check_terms("precise poverty alleviation", [(TARGETED, "精准扶贫")])
    assert problem.found == "precise poverty alleviation"
    assert problem.expected == "targeted poverty alleviation"


def test_english_is_folded_for_comparison() -> None:
    assert fold_english("Poverty–Stricken  ‘Counties’") == "poverty stricken 'counties'"


def test_a_term_used_twice_is_reported_once() -> None:
    problems = check_terms("We help the poor.", [(TARGETED, "精准扶贫"), (TARGETED, "精准扶贫")])
    assert [p.kind for p in problems] == ["missing"]


@pytest.mark.parametrize(
    ("rendering", "en", "present"),
    [
        ("rural poor", "All poor rural residents were lifted out.", True),
        ("poverty reduction", "We keep reducing poverty.", True),
        ("be lifted out of poverty", "lifting 10 million residents out of poverty", True),
        (
            "poverty reduction",
            "We reduce taxes on small firms in western provinces this year; poverty falls.",
            False,
        ),
        ("targeted poverty alleviation", "precise poverty alleviation", False),
    ],
)
def test_content_words_in_another_order_or_form_count(rendering, en, present) -> None:
    entry = Term("t-9", "词", rendering)
    assert (check_terms(en, [(entry, "词")]) == []) is present


# -- English grammar in matching (workbench.text.english) -----------------------------------

GRAMMAR = [
    # (rendering, translation, present): inflection, determiners, plural, hyphenation,
    # British/American spelling, closed compounds, irregular forms, light reordering.
    ("lift out of poverty", "Ten million people were lifted out of poverty.", True),
    ("lift out of poverty", "lifting rural residents out of poverty", True),
    ("shake off poverty", "Households that shook off poverty last year", True),
    ("poor population", "the poor populations of the west", True),
    ("poverty-stricken county", "all poverty stricken counties", True),
    ("poverty stricken county", "all poverty-stricken counties", True),
    ("rural labour force", "the rural labor force", True),
    ("organisation of production", "the organization of production", True),
    ("health care", "better healthcare in villages", True),
    ("poverty reduction", "We keep reducing poverty.", True),
    ("poverty alleviation through relocation", "relocation for poverty alleviation", True),
    ("child in need", "children in need", True),
    ("targeted poverty alleviation", "precise poverty alleviation", False),
    ("poverty reduction", "a reduction in tariffs; poverty is still high in the west", False),
    ("rural revitalization", "rural roads, schools and clinics were revitalized", False),
    ("relocating the poor", "poor residents who are to be relocated", True),
    ("poor areas", "areas of extreme poverty and poor people", True),
    (
        "lift out of poverty",
        "Lifting all rural residents living below the current poverty line out of poverty",
        True,
    ),
    ("lift out of poverty", "to lift another 10 million-plus rural residents out of poverty", True),
    ("lift out of poverty", "Prices were lifted. Millions remain out of work in poverty", False),
]


@pytest.mark.parametrize(("rendering", "en", "present"), GRAMMAR)
def test_renderings_are_found_the_way_english_grammar_varies_them(rendering, en, present):
    entry = Term("t-g", "词", rendering)
    assert (check_terms(en, [(entry, "词")]) == []) is present


def test_a_forbidden_rendering_is_found_only_as_a_phrase():
    entry = Term("t-f", "词", "targeted poverty alleviation", en_forbidden=["precise poverty"])
    assert [p.kind for p in check_terms("the precise poverty figures", [(entry, "词")])] == [
        "forbidden",
        "missing",
    ]
    # The same words apart, or in another order, are not the forbidden phrase.
    assert [p.kind for p in check_terms("poverty, precise figures", [(entry, "词")])] == ["missing"]


@pytest.mark.parametrize("level", ["required", "preferred", "descriptive"])
def test_enforcement_level_decides_whether_a_missing_rendering_is_reported(level):
    entry = Term("t-l", "扶贫", "poverty alleviation", en_forbidden=["poverty aid"], level=level)
    missing = check_terms("We help the poor.", [(entry, "扶贫")])
    assert [p.kind for p in missing] == ([] if level == "descriptive" else ["missing"])
    forbidden = check_terms("Poverty aid works.", [(entry, "扶贫")])
    assert "forbidden" in [p.kind for p in forbidden]  # reported at every level


def test_a_missing_rendering_names_all_acceptable_renderings_and_the_closest_stretch():
    entry = Term("t-c", "脱贫", "be lifted out of poverty", ["shake off poverty"])
    [problem] = check_terms("Millions escaped poverty in 2020.", [(entry, "脱贫")])
    assert problem.acceptable == ["be lifted out of poverty", "shake off poverty"]
    assert problem.closest == "Millions escaped poverty"
    [none_close] = check_terms("Incomes rose.", [(entry, "脱贫")])
    assert none_close.closest is None


_WORDS = st.sampled_from(
    ["rural", "poverty", "county", "relocation", "household", "income", "village", "policy"]
)


@given(
    st.lists(_WORDS, min_size=1, max_size=4, unique=True), st.sampled_from(["the", "a", "their"])
)
def test_a_rendering_is_found_in_any_sentence_that_quotes_it(words, determiner):
    rendering = " ".join(words)
    en = f"They said {determiner} {rendering.upper()} matters, and more."
    assert check_terms(en, [(Term("t-p", "词", rendering), "词")]) == []


@given(st.lists(_WORDS, min_size=2, max_size=4, unique=True))
def test_words_far_apart_do_not_make_a_rendering(words):
    # half the words on either side: no clause window holds most of them
    filler = " ".join(["factory", "output", "rose", "sharply", "while", "prices", "fell"] * 2)
    half = len(words) // 2
    en = f"{' '.join(words[:half])} {filler} {' '.join(words[half:])}"
    problems = check_terms(en, [(Term("t-q", "词", " ".join(words)), "词")])
    assert [p.kind for p in problems] == ["missing"]


# -- abbreviations, interchangeable words and joint renderings (text/data/english.toml) -----

PLENUM = Term(
    "t-pl",
    "十九届六中全会",
    "the Sixth Plenary Session of the 19th Central Committee of the Communist Party of China",
)


@pytest.mark.parametrize(
    ("entry", "en", "present"),
    [
        (PLENUM, "The 19th CPC Central Committee convened its sixth plenary session.", True),
        (PLENUM, "The 19th CPC Central Committee convened its fifth plenary session.", False),
        (
            Term("t-cc", "党中央", "CPC Central Committee"),
            "the Communist Party of China Central Committee decided",
            True,
        ),
        (Term("t-cc", "党中央", "CPC Central Committee"), "the Party decided", False),
        (
            Term("t-rv", "乡村振兴局", "National Administration for Rural Revitalization"),
            "the new national administration for rural vitalization",
            True,
        ),
        (
            Term("t-rv", "乡村振兴局", "National Administration for Rural Revitalization"),
            "the new national administration for rural development",
            False,
        ),
    ],
)
def test_abbreviations_and_interchangeable_words_match_their_long_forms(entry, en, present):
    assert (check_terms(en, [(entry, entry.zh)]) == []) is present


AREAS = Term("t-dq", "脱贫地区", "areas that have shaken off poverty")


@pytest.mark.parametrize(
    ("en", "present"),
    [
        ("We will help areas that have shaken off poverty grow.", True),
        ("We will help areas that have been lifted out of poverty grow.", True),
        ("We will help areas that rose out of poverty grow.", True),
        ("We will help areas that emerged from poverty grow.", True),
        ("We will help areas that fell into poverty grow.", False),
        ("We will help areas hit by floods grow.", False),
    ],
)
def test_the_renderings_of_tuopin_are_interchangeable_inside_a_longer_term(en, present):
    assert (check_terms(en, [(AREAS, "脱贫地区")]) == []) is present


def test_phrases_are_never_varied_in_a_forbidden_rendering():
    entry = Term("t-fv", "贫困县", "poverty-stricken county", en_forbidden=["poor county"])
    kinds = [p.kind for p in check_terms("the impoverished county", [(entry, "贫困县")])]
    assert "forbidden" not in kinds
    kinds = [p.kind for p in check_terms("the poor county", [(entry, "贫困县")])]
    assert kinds == ["forbidden"]


CC = Term("t-85", "党中央", "CPC Central Committee", level="required")
SC = Term("t-86", "国务院", "State Council", level="required")
GWR = Term(
    "t-67", "政府工作报告", "Report on the Work of the Government", ["government work report"]
)


def test_a_joint_rendering_covers_every_member_only_when_all_are_in_the_source():
    en = "China's central authorities issued a guideline on common prosperity."
    assert check_terms(en, [(CC, "中共中央"), (SC, "国务院")]) == []
    # Alone, neither term is "the central authorities".
    assert [p.entry_id for p in check_terms(en, [(SC, "国务院")])] == ["t-86"]
    assert [
        p.entry_id
        for p in check_terms("The guideline was issued.", [(CC, "中共中央"), (SC, "国务院")])
    ] == ["t-85", "t-86"]


def test_the_state_council_is_implied_by_its_work_report_but_not_by_other_text():
    said = "Li said when delivering the Government Work Report."
    assert check_terms(said, [(SC, "国务院"), (GWR, "政府工作报告")]) == []
    [problem] = check_terms("Li said in a speech.", [(SC, "国务院"), (GWR, "政府工作报告")])[:1]
    assert problem.entry_id == "t-86"


def test_a_wrong_rendering_is_still_caught_beside_a_joint_rendering():
    en = "The central authorities and the State Department issued it."
    # "central authorities" covers both; the forbidden check still runs for each entry.
    forbidding = Term("t-86f", "国务院", "State Council", en_forbidden=["State Department"])
    kinds = [p.kind for p in check_terms(en, [(CC, "中共中央"), (forbidding, "国务院")])]
    assert kinds == ["forbidden"]


def test_every_joint_rendering_member_names_an_entry_of_the_real_glossary():
    from workbench.glossary import load_glossary
    from workbench.qa.terminology import joint_renderings

    canonical = {
        entry.zh
        for entry in load_glossary(Path(__file__).resolve().parent.parent / "glossary").entries
    }
    for rule in joint_renderings():
        assert rule.members <= canonical, rule


# -- a term that ends a list sharing its head ("产业、教育、健康扶贫") -------------------------


@dataclass
class Span:
    start: int
    end: int
    entry_id: str


def test_a_term_after_a_bare_list_member_is_an_elided_conjunct():
    from workbench.qa.terminology import elided_conjuncts

    zh = "要深入推进产业、教育、健康扶贫。"
    health = Span(zh.index("健康扶贫"), zh.index("健康扶贫") + 4, "t-health")
    assert elided_conjuncts(zh, [health]) == {"t-health"}
    # Whole terms side by side share nothing: each is checked as usual.
    zh = "精准扶贫、精准脱贫"
    spans = [Span(0, 4, "t-a"), Span(5, 9, "t-b")]
    assert elided_conjuncts(zh, spans) == set()
    assert elided_conjuncts("健康扶贫", [Span(0, 4, "t-health")]) == set()


HEALTH = Term("t-health", "健康扶贫", "poverty alleviation in healthcare")


def test_an_elided_conjunct_may_have_its_rendering_spread_over_the_sentence():
    en = (
        "Poverty alleviation efforts will be carried out through the development of local "
        "industries, education and better healthcare."
    )
    assert [p.kind for p in check_terms(en, [(HEALTH, "健康扶贫")])] == ["missing"]
    assert check_terms(en, [(HEALTH, "健康扶贫")], elided={"t-health"}) == []
    # Still every content word: without "healthcare" the term is missing.
    en = "Poverty alleviation efforts will be carried out through local industries."
    problems = check_terms(en, [(HEALTH, "健康扶贫")], elided={"t-health"})
    assert [p.kind for p in problems] == ["missing"]


@pytest.mark.parametrize(
    ("rendering", "en", "present"),
    [
        ("win the battle against poverty", "We won the fight against poverty.", True),
        ("win the battle against poverty", "We won the fight against floods.", False),
        ("poverty relief official", "Millions of poverty alleviation officials worked.", True),
        ("poverty relief official", "Millions of relief officials worked.", False),
        (
            "build a moderately prosperous society in all respects",
            "We built a well-off society in all respects.",
            True,
        ),
        (
            "build a moderately prosperous society in all respects",
            "We built a modern society in all respects.",
            False,
        ),
    ],
)
def test_interchangeable_phrases_inside_longer_renderings(rendering, en, present):
    entry = Term("t-x", "词", rendering)
    assert (check_terms(en, [(entry, "词")]) == []) is present


_PLACES = st.sampled_from(["areas", "counties", "villages", "households", "residents"])
_TUOPIN = st.sampled_from(
    [
        "shaken off poverty",
        "been lifted out of poverty",
        "got out of poverty",
        "got rid of poverty",
        "risen out of poverty",
        "emerged from poverty",
    ]
)


@given(_PLACES, _TUOPIN, _TUOPIN)
def test_any_rendering_of_tuopin_carries_a_term_written_with_another(place, written, used):
    entry = Term("t-tp", "脱贫X", f"{place} that have {written}")
    en = f"Support goes to {place} that have {used} this year."
    assert check_terms(en, [(entry, "脱贫X")]) == []
    # ... but not a sentence where the place fell back into poverty.
    en = f"Support goes to {place} that fell back into hardship this year."
    assert [p.kind for p in check_terms(en, [(entry, "脱贫X")])] == ["missing"]


# -- what translators keep of a long rendering ([coverage] in text/data/english.toml) -------


def _kinds(en: str, term: Term) -> list[str]:
    return [p.kind for p in check_terms(en, [(term, term.zh)])]


def test_a_name_may_lose_its_administrative_unit_but_a_common_noun_keeps_it():
    guizhou = Term("t-gz", "贵州省", "Guizhou province", category="place")
    assert _kinds("Nine counties in Guizhou shook off poverty.", guizhou) == []
    assert _kinds("Nine counties in Yunnan shook off poverty.", guizhou) == ["missing"]
    county = Term("t-pc", "贫困县", "poverty-stricken county")
    assert _kinds("All poverty-stricken areas were removed from the list.", county) == ["missing"]


def test_a_term_may_lose_its_generic_head():
    eco = Term("t-eco", "生态补偿制度", "eco-compensation mechanism")
    assert _kinds("Ecological compensation will cover more river basins.", eco) == []
    assert _kinds("Compensation will cover more river basins.", eco) != []


def test_a_named_body_referred_to_by_its_head_is_nonstandard_not_missing():
    bureau = Term(
        "t-pb",
        "中央政治局",
        "Political Bureau of the CPC Central Committee",
        category="institution",
    )
    [problem] = check_terms("The Political Bureau met on Friday.", [(bureau, bureau.zh)])
    assert (problem.kind, problem.found) == ("nonstandard", "Political Bureau")
    premier = Term("t-pr", "国务院总理", "Premier of the State Council", category="title")
    assert _kinds("Premier Li said growth would be stable.", premier) == ["nonstandard"]
    # a lower-case head is the generic part of the term, not its name
    health = Term("t-h", "健康扶贫", "poverty alleviation in healthcare")
    assert _kinds("Poverty alleviation continued in the county.", health) == ["missing"]


def test_most_of_a_long_rendering_with_its_head_noun_is_nonstandard():
    from workbench.text.english import find_partial, tokenize

    counties = Term(
        "t-kc",
        "国家乡村振兴重点帮扶县",
        "national-level key counties designated for rural revitalization",
    )
    en = (
        "We will increase support for key counties receiving national assistance for "
        "rural revitalization."
    )
    [problem] = check_terms(en, [(counties, counties.zh)])
    assert problem.kind == "nonstandard"
    assert problem.found == "key counties receiving national assistance for rural revitalization"
    # six words of seven, but not the head noun: no partial rendering
    en = "Key areas at the national level designated for rural revitalization get support."
    assert find_partial(counties.en, tokenize(en)) is None


def test_the_object_of_a_verb_phrase_is_nonstandard_evidence():
    eliminate = Term("t-el", "消除绝对贫困", "eliminate absolute poverty")
    [problem] = check_terms("Absolute poverty was eradicated in 2020.", [(eliminate, eliminate.zh)])
    assert (problem.kind, problem.found) == ("nonstandard", "Absolute poverty")
    assert _kinds("Poverty was eradicated in 2020.", eliminate) == ["missing"]


def test_a_document_referred_back_to_by_its_kind_is_nonstandard():
    report = Term(
        "t-r", "政府工作报告", "Report on the Work of the Government", category="document"
    )
    [problem] = check_terms("The report puts growth at about 5 percent.", [(report, report.zh)])
    assert (problem.kind, problem.found) == ("nonstandard", "The report")
    # a speech is not the report's kind of document
    assert _kinds("His speech puts growth at about 5 percent.", report) == ["missing"]


def test_a_rendering_without_its_scope_phrase_is_nonstandard():
    across = Term("t-ac", "乡村全面振兴", "rural revitalization across the board")
    [problem] = check_terms("Rural vitalization made headway.", [(across, across.zh)])
    assert (problem.kind, problem.found) == ("nonstandard", "Rural vitalization")
    # the scope is not the term: a rendering that is only scope-less words stays missing
    assert _kinds("Rural roads made headway.", across) == ["missing"]


# -- the distinctive word and near head nouns (issue 16: generalising to unseen wordings) ---


def _counts(*renderings: str, filler: int = 250) -> dict[str, int]:
    """Word counts of a small glossary: the given renderings plus ``filler`` entries that
    all use the domain's shared words, so those are common and the others rare."""
    from workbench.text.english import rendering_word_counts

    shared = [["poverty alleviation in rural development"]] * filler
    return rendering_word_counts([*shared, *([r] for r in renderings)])


def test_word_counts_count_entries_not_occurrences():
    from workbench.text.english import rendering_word_counts, word_keys

    counts = rendering_word_counts([["rural areas", "rural regions"], ["rural population"]])
    assert counts[""] == 2  # the number of entries
    [rural] = word_keys("rural")
    assert counts[rural] == 2  # twice in the first entry still counts once


def test_a_kept_distinctive_word_is_nonstandard_but_a_shared_word_is_not_evidence():
    relocation = Term("t-rl", "易地扶贫搬迁", "poverty alleviation relocation")
    counts = _counts(relocation.en)
    [problem] = check_terms(
        "Follow-up support will go to people relocated from inhospitable areas.",
        [(relocation, relocation.zh)],
        word_counts=counts,
    )
    assert (problem.kind, problem.found) == ("nonstandard", "relocated")
    # only the words the whole domain shares: no evidence for this term
    [problem] = check_terms(
        "Poverty alleviation continued.", [(relocation, relocation.zh)], word_counts=counts
    )
    assert problem.kind == "missing"
    # without the glossary's counts the check is as before
    [problem] = check_terms(
        "People were relocated from inhospitable areas.", [(relocation, relocation.zh)]
    )
    assert problem.kind == "missing"


def test_a_small_glossary_has_no_distinctive_words():
    relocation = Term("t-rl", "易地扶贫搬迁", "poverty alleviation relocation")
    en = "People were relocated from inhospitable areas."
    counts = _counts(relocation.en, filler=20)  # too few entries to know what is shared
    assert [p.kind for p in check_terms(en, [(relocation, relocation.zh)], word_counts=counts)] == [
        "missing"
    ]
    counts = _counts(relocation.en)
    assert [p.kind for p in check_terms(en, [(relocation, relocation.zh)], word_counts=counts)] == [
        "nonstandard"
    ]


def test_a_name_is_never_the_distinctive_word():
    members = Term("t-cm", "全国政协委员", "CPPCC members", category="title")
    counts = _counts(members.en)
    [problem] = check_terms(
        "The CPPCC opened its session on Monday.", [(members, members.zh)], word_counts=counts
    )
    assert problem.kind == "missing"


def test_a_long_rendering_needs_half_its_words_with_the_distinctive_one():
    census = Term("t-ce", "脱贫攻坚普查", "national census of poverty alleviation outcomes")
    counts = _counts(census.en)
    en = "A national census of poverty will start in June."  # three words of five
    assert [p.kind for p in check_terms(en, [(census, census.zh)], word_counts=counts)] == [
        "nonstandard"
    ]
    en = "A census of households will start in June."  # one word of five is not half
    assert [p.kind for p in check_terms(en, [(census, census.zh)], word_counts=counts)] == [
        "missing"
    ]


def test_english_of_another_term_is_no_distinctive_evidence():
    relocation = Term("t-rl", "易地扶贫搬迁", "poverty alleviation relocation")
    resettle = Term("t-rs", "搬迁安置", "relocation and resettlement")
    counts = _counts(relocation.en, resettle.en)
    found = check_terms(
        "Relocation and resettlement sites were completed.",
        [(relocation, relocation.zh), (resettle, resettle.zh)],
        word_counts=counts,
    )
    assert [(p.entry_id, p.kind) for p in found] == [("t-rl", "missing")]


def test_a_head_noun_swapped_within_its_group_is_nonstandard():
    from workbench.text.english import near_renderings

    assert "rural residents" in near_renderings("rural population")
    assert near_renderings("population") == ()  # one word: nothing else to keep
    rural = Term("t-rp", "农村人口", "rural population")
    [problem] = check_terms("10 million rural residents shook off poverty.", [(rural, rural.zh)])
    assert (problem.kind, problem.found) == ("nonstandard", "rural residents")
    # only the head noun is swapped: another modifier is another term
    assert _kinds("10 million urban residents found jobs.", rural) == ["missing"]


# -- a term left out, not replaced (issue 16: omissions) -----------------------------------


def test_a_term_with_no_trace_and_nothing_in_its_place_is_omitted_not_missing():
    from workbench.qa.terminology import RenderingIndex

    quality = Term("t-hq", "高质量发展", "high-quality development")
    green = Term("t-cp", "共同富裕", "common prosperity")
    index = RenderingIndex.of([(t.id, [t.en]) for t in (quality, green)])
    en = "China issued a guideline on building Zhejiang into a demonstration zone."
    [problem] = check_terms(en, [(quality, quality.zh)], renderings=index)
    assert (problem.kind, problem.closest) == ("omitted", None)
    # without the glossary's renderings nothing tells an omission from a replacement
    assert _kinds(en, quality) == ["missing"]
    # another term's English where this one should stand: replaced, so still missing
    replaced = "China issued a guideline on common prosperity in Zhejiang."
    assert [p.kind for p in check_terms(replaced, [(quality, quality.zh)], renderings=index)] == [
        "missing"
    ]
    # ... unless that English renders a term of the sentence itself
    both = [(quality, quality.zh), (green, green.zh)]
    assert [(p.entry_id, p.kind) for p in check_terms(replaced, both, renderings=index)] == [
        ("t-hq", "omitted")
    ]


def test_a_dictionary_word_of_the_term_in_the_translation_is_no_omission():
    from workbench.qa.terminology import RenderingIndex

    quality = Term("t-hq", "高质量发展", "high-quality development")
    index = RenderingIndex.of([(quality.id, [quality.en])])
    # 发展 is glossed "growth" by CC-CEDICT: the clause is there, in other words
    en = "China will support steady growth in Zhejiang."
    assert [p.kind for p in check_terms(en, [(quality, quality.zh)], renderings=index)] == [
        "missing"
    ]


def test_the_rendering_index_keeps_renderings_of_two_content_words_or_more():
    from workbench.qa.terminology import RenderingIndex

    index = RenderingIndex.of([("a", ["poverty", "the poor county"]), ("b", ["Poor counties"])])
    assert set(index.phrases) == {("the", "poor", "county"), ("poor", "counties")}
    from workbench.text.english import tokenize

    tokens = tokenize("All poor counties were removed.")
    assert index.others_in(tokens, own={"x"}) == [(1, 2)]
    assert index.others_in(tokens, own={"b"}) == []
    assert index.others_in(tokens, own={"x"}, explained={2}) == []


# -- round 5 (terms_dev3, align-dev): derived adjectives, verbatim forbidden renderings ---


def test_an_adjective_derived_from_a_noun_is_the_same_word():
    from workbench.text.english import word_keys

    assert word_keys("eastern") & word_keys("east")
    assert word_keys("environmental") & word_keys("environment")
    assert not word_keys("eastern") & word_keys("western")
    eco = Term("t-ep", "环境保护", "environment protection")
    assert _kinds("Environmental protection was stepped up.", eco) == []
    coop = Term("t-ew", "东西部协作", "east-west cooperation")
    assert _kinds("Cooperation between eastern and western regions deepened.", coop) == []
    assert _kinds("Cooperation between northern and southern regions deepened.", coop) == [
        "missing"
    ]


def test_a_ministry_is_carried_by_its_ministers_title():
    ministry = Term(
        "t-mee", "生态环境部", "Ministry of Ecology and Environment", category="institution"
    )
    en = "Huang Runqiu, minister of ecology and environment, attended the press conference."
    assert _kinds(en, ministry) == []
    assert _kinds("Huang Runqiu, the environment official, attended.", ministry) == ["missing"]


def test_a_forbidden_rendering_written_word_for_word_is_reported_though_its_stems_match():
    ministry = Term(
        "t-mee",
        "生态环境部",
        "Ministry of Ecology and Environment",
        en_forbidden=["Ministry of Ecological Environment"],
        category="institution",
    )
    en = "Mr. Huang Runqiu, Ministry of Ecological Environment, briefed the press."
    assert [p.kind for p in check_terms(en, [(ministry, ministry.zh)])] == ["forbidden"]
    assert _kinds("The Ministry of Ecology and Environment briefed the press.", ministry) == []
    # inside a longer acceptable rendering a forbidden phrase is still not reported
    assert _kinds("We pursue targeted poverty alleviation.", TARGETED) == []


# -- round 6 (terms_dev4): a named office-holder's other title, CPC/Party, a name's noun ----


def _title_index():
    from workbench.qa.terminology import RenderingIndex

    return RenderingIndex.of([], titles=["President", "Premier", "Vice Premier"])


GENERAL_SECRETARY = Term(
    "t-gs", "总书记", "General Secretary", ["General Secretary Xi Jinping"], category="title"
)


def test_a_named_title_given_as_another_title_before_the_name_is_nonstandard():
    index = _title_index()

    def kinds(en: str, zh: str) -> list[str]:
        problems = check_terms(en, [(GENERAL_SECRETARY, zh)], renderings=index)
        return [p.kind for p in problems]

    en = "Since 2012, President Xi has stressed ecological preservation."
    assert kinds(en, "习近平总书记") == ["nonstandard"]
    problem = check_terms(en, [(GENERAL_SECRETARY, "习近平总书记")], renderings=index)[0]
    assert problem.found == "President Xi"
    # the title alone in the source: "President" is another office, so it stays missing
    assert kinds(en, "总书记") == ["missing"]
    # no name after the other title: nothing shows the same person is meant (with no other
    # entry's English in the sentence either, the title counts as left out)
    assert kinds("Since 2012, the president has stressed it.", "习近平总书记") == ["omitted"]
    assert kinds("General Secretary Xi Jinping stressed it.", "习近平总书记") == []


def test_the_title_renderings_of_the_index_are_word_sequences():
    from workbench.text.english import tokenize

    index = _title_index()
    assert ("vice", "premier") in index.titles
    en = "Vice Premier Hu Chunhua spoke."
    assert index.named_title(en, tokenize(en), set()) == (0, 2)
    assert index.named_title(en, tokenize(en), {0}) == (1, 2)  # "Premier Hu" still
    assert index.named_title(en, tokenize(en), {0, 1}) is None
    assert index.named_title("The premier spoke.", tokenize("The premier spoke."), set()) is None


# -- round 7 (terms_dev5): a term referred to by its head alone -----------------------------


RIVER_CHIEF = Term("t-rc", "河长制", "river chief system", category="policy")
BRI = Term("t-bri", "“一带一路”倡议", "Belt and Road Initiative", category="programme")


def test_a_term_referred_to_by_its_head_alone_is_nonstandard():
    en = "Under the system, officials inspect the waterways they are in charge of."
    [problem] = check_terms(en, [(RIVER_CHIEF, RIVER_CHIEF.zh)])
    assert (problem.kind, problem.found) == ("nonstandard", "the system")
    assert _kinds("This initiative has brought roads and ports.", BRI) == ["nonstandard"]
    # a bare head without a determiner is no reference back, nor another head
    assert _kinds("Officials inspect waterways under a new system.", RIVER_CHIEF) == ["missing"]
    assert _kinds("Under the plan, officials inspect waterways.", RIVER_CHIEF) == ["missing"]
    assert _kinds("The river chief system works.", RIVER_CHIEF) == []


def test_a_head_that_is_another_terms_english_or_a_one_word_rendering_is_no_reference():
    from workbench.qa.terminology import _head_referred_back
    from workbench.text.english import tokenize

    tokens = tokenize("The system of river chiefs works.")
    assert _head_referred_back(["river chief system"], tokens, set()) == (0, 1)
    assert _head_referred_back(["river chief system"], tokens, {1}) is None  # another's
    assert _head_referred_back(["system"], tokens, set()) is None  # the head is all of it
    assert _head_referred_back(["river chiefs"], tokens, set()) is None  # not a head noun


# -- round 8 (terms_dev6): a body referred back by its kind, two names sharing a plural head --


MOE = Term("t-moe", "教育部", "Ministry of Education", category="institution")
GOSC = Term("t-gosc", "国办", "General Office of the State Council", category="institution")
GOCC = Term(
    "t-gocc",
    "中办",
    "General Office of the Communist Party of China Central Committee",
    category="institution",
)


def test_a_body_referred_back_by_the_noun_its_name_begins_with_is_nonstandard():
    en = "To ease the pressure on graduates, the ministry plans to enrol more students."
    [problem] = check_terms(en, [(MOE, MOE.zh)])
    assert (problem.kind, problem.found) == ("nonstandard", "the ministry")
    # "the Ministry of …" begins another body's name: no reference back to this one
    assert _kinds("The Ministry of Finance plans to enrol more students.", MOE) == ["missing"]
    # without a determiner, or another kind of body, there is no reference
    assert _kinds("A ministry plans to enrol more students.", MOE) == ["missing"]
    assert _kinds("The commission plans to enrol more students.", MOE) == ["missing"]


def test_two_names_sharing_a_plural_head_are_both_there():
    en = (
        "The document was forwarded by the general offices of the Communist Party of China "
        "Central Committee and the State Council."
    )
    # Each name's English is the other's evidence too, so before this rule the second
    # body was missing: its words "general offices of" belong to the first one's span.
    found = check_terms(en, [(GOCC, GOCC.zh), (GOSC, GOSC.zh)])
    assert [(p.entry_id, p.kind) for p in found if p.kind != "nonstandard"] == []
    assert [p.found for p in found if p.entry_id == GOSC.id] == [
        "general offices of the Communist Party of China Central Committee and the State Council"
    ]


def test_shared_head_needs_the_plural_then_of_then_the_name():
    from workbench.qa.terminology import _shared_head
    from workbench.text.english import tokenize

    rendering = ["General Office of the State Council"]
    tokens = tokenize("the general offices of the Party and the State Council met")
    assert _shared_head(rendering, tokens, set()) == (1, 9)
    assert _shared_head(rendering, tokens, {8, 9}) is None  # the name is another's English
    # the name right after "of" counts only when "and" follows it
    tokens = tokenize("the general offices of the State Council and the Party met")
    assert _shared_head(rendering, tokens, set()) == (1, 6)
    tokens = tokenize("the general offices of the State Council met")
    assert _shared_head(rendering, tokens, set()) is None
    # a singular head is one office, not a shared one
    tokens = tokenize("the general office of the Party and the State Council met")
    assert _shared_head(rendering, tokens, set()) is None


# -- round 9 (terms_dev7): alternatives, a name without its head noun, a body head + "of" --


@pytest.mark.parametrize(
    ("entry_id", "en"),
    [
        # 2010 Report on the Work of the Government: 粮食产量 as "grain production"
        ("agr-023", "Grain production was 531 million tons, a new record."),
        # the ministry's own English for 外交部 in its press conferences
        ("org-016", "Thank you for your support for the foreign ministry's press conferences."),
        # 两会 named by its two bodies
        ("rur-068", "Thank you for your coverage of the NPC and CPPCC Sessions."),
    ],
)
def test_round_9_alternatives_of_the_glossary_are_accepted(entry_id: str, en: str) -> None:
    from workbench.config import load_config
    from workbench.glossary import load_glossary

    glossary = load_glossary(config=load_config(Path(__file__).resolve().parents[1]))
    entry = glossary.get(entry_id)
    assert entry is not None and entry.status == "approved"
    assert [p.kind for p in check_terms(en, [(entry, entry.zh)])] == []
    # the entry still reports a sentence without any of its renderings
    assert [p.kind for p in check_terms("Nothing of it is here.", [(entry, entry.zh)])] != []


def test_a_body_head_followed_by_of_begins_another_name_not_a_reference_back():
    foreign = Term("t-fm", "外交部", "Foreign Ministry", category="institution")
    assert _kinds("On behalf of the Ministry of Education, I thank you.", foreign) == ["missing"]
    assert _kinds("The ministry thanks you for your support.", foreign) == ["nonstandard"]
    # a head that is no body's kind may still take an "of" phrase (round 7's test above:
    # "The system of river chiefs" refers back to the river chief system)


# -- descriptive entries claim no English (issue 16) ----------------------------------------


def test_a_descriptive_terms_english_is_still_evidence_for_another_term():
    # 脱贫 is descriptive: its row says how the concept is usually put, so the words it
    # shares with 贫困县全部摘帽 still show that term rendered in other words.
    counties = Term("t-ac", "贫困县全部摘帽", "lifting all poor counties out of poverty")
    en = "The goal was lifting all poor people out of poverty by 2020."
    lifted = Term("t-tp", "脱贫", "be lifted out of poverty", level="descriptive")
    found = check_terms(en, [(lifted, lifted.zh), (counties, counties.zh)])
    assert [(p.entry_id, p.kind) for p in found] == [("t-ac", "nonstandard")]
    # a checked term's English is its own: it is no evidence for the other term
    checked = Term("t-tp", "脱贫", "be lifted out of poverty", level="preferred")
    found = check_terms(en, [(checked, checked.zh), (counties, counties.zh)])
    assert [(p.entry_id, p.kind) for p in found] == [("t-ac", "missing")]
    # and without 脱贫 in the source the same words are evidence all the same
    assert _kinds(en, counties) == ["nonstandard"]


def test_a_descriptive_terms_english_word_for_word_is_its_own():
    # "national ecological security" stands as 国家生态安全's rendering: its words are no
    # evidence that 生态保护红线 was rendered in other words (a planted wrong rendering)
    red = Term("t-erl", "生态保护红线", "ecological red lines")
    security = Term("t-nes", "国家生态安全", "national ecological security", level="descriptive")
    en = "The plan aims to safeguard national ecological security, the statement said."
    assert _kinds(en, red) == ["nonstandard"]
    found = check_terms(en, [(red, red.zh), (security, security.zh)])
    assert [(p.entry_id, p.kind) for p in found] == [("t-erl", "missing")]


# -- round 10: the short form B&R, a name without its head noun as other words -------------


def test_b_and_r_is_the_short_form_of_belt_and_road():
    assert _kinds("The B&R Initiative has come up with China's solutions.", BRI) == []
    assert _kinds("Trade with B&R countries grew.", BRI) != []  # not the initiative's name
    assert _kinds("The BR Initiative has come up with solutions.", BRI) == ["missing"]


def test_a_name_without_the_head_noun_its_rendering_ends_with_is_nonstandard():
    # 一带一路 inside another name (Wang Yi, 2017) and as the thing itself (Xi Jinping, 2020):
    # the term in other words, a finding for a reviewer, never silence
    [problem] = check_terms(
        "China will host the Belt and Road Forum for International Cooperation.",
        [(BRI, BRI.zh)],
    )
    assert (problem.kind, problem.found) == ("nonstandard", "Belt and Road")
    assert _kinds("We will actively build the Belt and Road with all countries.", BRI) == [
        "nonstandard"
    ]
    # its words scattered in another name, written in lower case: no evidence
    en = "I proposed the Silk Road Economic Belt and the 21st-Century Maritime Silk Road."
    assert _kinds(en, BRI) == ["missing"]
    assert _kinds("The belt and road of the old city were repaved.", BRI) == ["missing"]
    # only the heads listed in [coverage] name_heads are dropped ("strategy" is not one)
    strategy = Term("t-rrs", "乡村振兴战略", "Rural Revitalization Strategy", category="policy")
    assert _kinds("The Rural Revitalization push goes on.", strategy) == ["missing"]
    # the name that another checked term of the sentence renders is that term's
    forum = Term("t-brf", "“一带一路”国际合作高峰论坛", "Belt and Road Forum", category="event")
    found = check_terms(
        "China will host the Belt and Road Forum.", [(forum, forum.zh), (BRI, BRI.zh)]
    )
    assert [(p.entry_id, p.kind) for p in found] == [("t-bri", "missing")]


def test_a_body_named_by_its_role_in_news_english_is_nonstandard():
    npcsc = Term(
        "t-npcsc",
        "全国人民代表大会常务委员会",
        "National People's Congress Standing Committee",
        category="institution",
    )
    en = "China's top legislature passed the Law on the Protection of Black Soil."
    [problem] = check_terms(en, [(npcsc, npcsc.zh)])
    assert (problem.kind, problem.found) == ("nonstandard", "top legislature")
    council = Term("t-sc", "国务院", "State Council", category="institution")
    assert _kinds("The cabinet approved the plan on Wednesday.", council) == ["nonstandard"]
    # a role phrase of another body is no evidence, and a body without listed phrases has none
    assert _kinds("China's top legislature passed the law.", council) == ["missing"]
    ministry = Term("t-moe", "教育部", "Ministry of Education", category="institution")
    assert _kinds("The cabinet approved the plan on Wednesday.", ministry) == ["missing"]


def test_every_periphrasis_names_an_entry_of_the_real_glossary():
    from workbench.glossary import load_glossary
    from workbench.text.english import terminology_rules

    glossary = Path(__file__).resolve().parent.parent / "glossary"
    canonical = {entry.zh for entry in load_glossary(glossary).entries}
    for zh, phrases in terminology_rules()["periphrases"].items():
        assert zh in canonical, zh
        assert phrases, zh


def test_a_names_acronym_is_the_name_in_other_words():
    from workbench.qa.terminology import _acronyms

    expo = Term("t-ciie", "中国国际进口博览会", "China International Import Expo", category="event")
    [problem] = check_terms(
        "The CIIE is the first import expo at the national level.", [(expo, expo.zh)]
    )
    assert (problem.kind, problem.found) == ("nonstandard", "CIIE")
    assert _acronyms("National Development and Reform Commission") == {"NDRC", "NDARC"}
    assert "FOCAC" in _acronyms("Forum on China-Africa Cooperation")
    assert "NPC" in _acronyms("National People's Congress")
    # no acronym of a short name, of a common phrase, or of one holding an acronym already
    assert _acronyms("State Council") == frozenset()
    assert _acronyms("poverty alleviation relocation") == frozenset()
    assert _acronyms("CPC Central Committee") == frozenset()
    # lower case is a word, not the acronym; in brackets it shortens the name before it
    assert _kinds("The ciie opened on Monday.", expo) == ["missing"]
    en = "The Shanghai Trade Fair (CIIE) opened on Monday."
    assert _kinds(en, expo) == ["missing"]
