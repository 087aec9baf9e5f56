"""Terminology check: glossary terms in the source and their English renderings.

A term found in the zh sentence must appear in the translation as its approved rendering
or one of the acceptable alternatives; a rendering the glossary forbids must not appear.
Renderings are compared case-, hyphen- and inflection-tolerantly ("poverty-stricken
counties" keeps "poverty-stricken county"), because translators rightly adapt number and
case to the sentence. Entries still ``proposed`` are not yet authoritative, so a missing
rendering of one is not reported; a forbidden rendering is, whatever the status.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

_FOLD = re.compile(r"[\s\-‐‑‒–—_/]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


class TermEntry(Protocol):
    """What this check needs of a glossary entry (``workbench.glossary.Entry`` has it)."""

    id: str
    zh: str
    en: str
    en_alternatives: list[str]
    en_forbidden: list[str]
    status: str


@dataclass(frozen=True, slots=True)
class TermProblem:
    """A term whose rendering is missing, or a forbidden rendering that is present."""

    kind: str  # "missing" | "forbidden"
    entry_id: str
    zh: str
    expected: str  # the approved rendering
    found: str | None = None  # the forbidden text as it stands in the translation


def fold_english(text: str) -> str:
    """Return English folded for comparison: NFKC, lower case, hyphens and spaces as one."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _FOLD.sub(" ", text).strip()


def _inflect(word: str) -> str:
    """Return a pattern of ``word`` and its plural or verb endings."""
    if not word.isalpha():
        return re.escape(word)
    if word.endswith("y") and len(word) > 2:
        return f"{re.escape(word[:-1])}(?:y|ies|ied)"
    if word.endswith("e"):
        return f"{re.escape(word)}(?:s|d)?"
    return f"{re.escape(word)}(?:s|es|ed|ing)?"


@functools.lru_cache(maxsize=8192)
def rendering_pattern(rendering: str) -> re.Pattern[str] | None:
    """Compile the folded, inflection-tolerant pattern of one rendering."""
    words = fold_english(rendering).split(" ")
    words = [w for w in words if w]
    if not words:
        return None
    body = r"\s".join(_inflect(w) for w in words)
    return re.compile(rf"(?<!\w){body}(?!\w)")


def check_terms(
    en: str, entries: Iterable[tuple[TermEntry, str]], approved: str = "approved"
) -> list[TermProblem]:
    """Check the translation ``en`` for each (entry, zh text as found) of its source."""
    folded = fold_english(en)
    problems: list[TermProblem] = []
    for entry, zh_text in entries:
        acceptable = [entry.en, *entry.en_alternatives]
        masked = folded
        present = False
        for rendering in acceptable:
            pattern = rendering_pattern(rendering)
            if pattern is not None and pattern.search(masked):
                present = True
                # Blank the acceptable rendering so a forbidden phrase inside it is not hit.
                masked = pattern.sub(lambda m: " " * len(m.group(0)), masked)
        # Longest first, and blank each hit, so "poverty alleviation" inside an already
        # reported "precise poverty alleviation" is not reported twice.
        for forbidden in sorted(entry.en_forbidden, key=len, reverse=True):
            pattern = rendering_pattern(forbidden)
            match = pattern.search(masked) if pattern is not None else None
            if match:
                problems.append(
                    TermProblem("forbidden", entry.id, zh_text, entry.en, match.group(0))
                )
                masked = pattern.sub(lambda m: " " * len(m.group(0)), masked)
        if not present and entry.status == approved:
            problems.append(TermProblem("missing", entry.id, zh_text, entry.en))
    return problems
