"""Terminology check: approved or acceptable renderings present, forbidden ones absent."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

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
