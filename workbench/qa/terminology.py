"""Terminology check: glossary terms in the source and their English renderings.

A term found in the zh sentence must appear in the translation as its approved rendering
or one of the acceptable alternatives; a rendering the glossary forbids must not appear.
Renderings are compared the way English grammar varies them (``english.py``: inflection,
determiners, hyphenation, British/American spelling, light reordering), because translators
rightly fit a term to the sentence. Forbidden renderings are matched as phrases only, so
this leniency never hides one.

How much a missing rendering matters is the entry's enforcement level (the glossary's
``enforcement`` column, else its category's default): ``required`` and ``preferred``
renderings are reported (QA makes the first an error, the second a warning),
``descriptive`` ones are not. Entries still ``proposed`` are not yet authoritative, so a
missing rendering of one is not reported either; a forbidden rendering is, whatever the
status or level. A missing-term problem carries every acceptable rendering and the stretch
of the translation closest to them, so a reviewer sees what the translator wrote instead.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from workbench.text.english import closest_stretch, find_loose, find_phrase, tokenize

_FOLD = re.compile(r"[\s\-‐‑‒–—_/]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
CHECKED_LEVELS = ("required", "preferred")


class TermEntry(Protocol):
    """What this check needs of a glossary entry (``workbench.glossary.Entry`` has it)."""

    id: str
    zh: str
    en: str
    en_alternatives: list[str]
    en_forbidden: list[str]
    status: str

    @property
    def level(self) -> str: ...


@dataclass(frozen=True, slots=True)
class TermProblem:
    """A term whose rendering is missing, or a forbidden rendering that is present."""

    kind: str  # "missing" | "forbidden"
    entry_id: str
    zh: str
    expected: str  # the approved rendering
    found: str | None = None  # the forbidden text as it stands in the translation
    level: str = "preferred"  # the entry's enforcement level
    acceptable: list[str] = field(default_factory=list)  # approved, then alternatives
    closest: str | None = None  # for a missing term: the nearest stretch of the translation


_NOT_WORD = re.compile(r"[^\w']+")


@functools.lru_cache(maxsize=16384)
def _plain_rendering(rendering: str) -> str:
    return _plain(rendering)


def _plain(text: str) -> str:
    """Lower case, every run of non-word characters one space (hyphens included)."""
    return _NOT_WORD.sub(" ", text.casefold().replace("’", "'")).strip()


def fold_english(text: str) -> str:
    """Return English folded for comparison: NFKC, lower case, hyphens and spaces as one."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _FOLD.sub(" ", text).strip()


def check_terms(
    en: str, entries: Iterable[tuple[TermEntry, str]], approved: str = "approved"
) -> list[TermProblem]:
    """Check the translation ``en`` for each (entry, zh text as found) of its source."""
    tokens: list = []  # tokenized on first need
    # Most translations carry a rendering word for word: a substring test on the folded
    # text settles those without the grammar-aware search (kept for forbidden renderings,
    # where the exact span matters).
    plain = f" {_plain(en)} "
    problems: list[TermProblem] = []
    seen: set[str] = set()
    for entry, zh_text in entries:
        if entry.id in seen:  # a term used twice in a sentence is one problem, not two
            continue
        seen.add(entry.id)
        level = getattr(entry, "level", "preferred")
        acceptable = [entry.en, *entry.en_alternatives]
        # Tokens an acceptable rendering covers are blocked, so a forbidden phrase inside
        # it ("poverty alleviation" in "targeted poverty alleviation") is not reported.
        blocked: set[int] = set()
        present = False
        if not entry.en_forbidden and any(f" {_plain_rendering(r)} " in plain for r in acceptable):
            continue
        if not tokens:
            tokens = tokenize(en)
        for rendering in acceptable:
            span = find_phrase(rendering, tokens)
            while span is not None:
                present = True
                blocked.update(range(span[0], span[1] + 1))
                span = find_phrase(rendering, tokens, blocked)
        # Longest first, and block each hit, so "poverty alleviation" inside an already
        # reported "precise poverty alleviation" is not reported twice.
        for forbidden in sorted(entry.en_forbidden, key=len, reverse=True):
            span = find_phrase(forbidden, tokens, blocked)
            if span is not None:
                found = en[tokens[span[0]].start : tokens[span[1]].end]
                problems.append(
                    TermProblem("forbidden", entry.id, zh_text, entry.en, found, level, acceptable)
                )
                blocked.update(range(span[0], span[1] + 1))
        if present or entry.status != approved or level not in CHECKED_LEVELS:
            continue
        if any(find_loose(r, tokens) for r in acceptable):
            continue
        closest = closest_stretch(acceptable, en, tokens)
        problems.append(
            TermProblem("missing", entry.id, zh_text, entry.en, None, level, acceptable, closest)
        )
    return problems
