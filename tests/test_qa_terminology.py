"""Terminology check: approved or acceptable renderings present, forbidden ones absent."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    (COUNTY, "The impoverished counties.", ["missing"]),
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
    [problem] = check_terms("Millions emerged from poverty in 2020.", [(entry, "脱贫")])
    assert problem.acceptable == ["be lifted out of poverty", "shake off poverty"]
    assert problem.closest == "emerged from poverty"
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
    filler = " ".join(["factory", "output", "rose", "sharply", "while", "prices", "fell"] * 2)
    en = f"{words[0]} {filler} {' '.join(words[1:])}"
    problems = check_terms(en, [(Term("t-q", "词", " ".join(words)), "词")])
    assert [p.kind for p in problems] == ["missing"]
