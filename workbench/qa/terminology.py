"""Terminology check: glossary terms in the source and their English renderings.

A term found in the zh sentence must appear in the translation as its approved rendering
or one of the acceptable alternatives; a rendering the glossary forbids must not appear.
Renderings are compared case-, hyphen- and inflection-tolerantly ("poverty-stricken
counties" keeps "poverty-stricken county"), and a rendering whose content words all occur
close together in another order or form also counts ("reducing poverty" keeps "poverty
reduction"), because translators rightly fit a term to the sentence. Forbidden renderings
are matched as phrases only, so this leniency never hides one. Entries still ``proposed``
are not yet authoritative, so a missing rendering of one is not reported; a forbidden
rendering is, whatever the status. Word lists live in ``data/terminology.toml``.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
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


_WORD = re.compile(r"[a-z0-9]+")


@functools.cache
def _word_lists() -> tuple[frozenset[str], tuple[str, ...]]:
    text = resources.files("workbench.qa").joinpath("data/terminology.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return frozenset(data["function_words"]), tuple(data["suffixes"])


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return a crude English stem: enough to equate reduce, reduction and reducing."""
    if word.endswith(("ies", "ied")) and len(word) > 4:
        word = word[:-3] + "y"
    for suffix in _word_lists()[1]:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("y") and len(word) > 3 else word


def content_stems(text: str) -> list[str]:
    """Return the stems of the content words of folded English text, in order."""
    function_words = _word_lists()[0]
    return [stem(w) for w in _WORD.findall(text) if w not in function_words]


@functools.lru_cache(maxsize=8192)
def _rendering_stems(rendering: str) -> list[str]:
    return content_stems(fold_english(rendering))


def loosely_present(rendering: str, stems: list[str]) -> bool:
    """Whether every content word of ``rendering`` occurs, in any order and inflection,
    within a short window of the translation ("rural poor" in "poor rural residents",
    "poverty reduction" in "reducing poverty")."""
    wanted = _rendering_stems(rendering)
    if not wanted:
        return False
    window = 2 * len(wanted) + 3
    positions = [i for i, s in enumerate(stems) if s == wanted[0]]
    for i in positions:
        nearby = set(stems[max(0, i - window) : i + window + 1])
        if all(w in nearby for w in wanted):
            return True
    return False


def check_terms(
    en: str, entries: Iterable[tuple[TermEntry, str]], approved: str = "approved"
) -> list[TermProblem]:
    """Check the translation ``en`` for each (entry, zh text as found) of its source."""
    folded = fold_english(en)
    problems: list[TermProblem] = []
    seen: set[str] = set()
    stems: list[str] | None = None  # of the translation, computed once if needed
    for entry, zh_text in entries:
        if entry.id in seen:  # a term used twice in a sentence is one problem, not two
            continue
        seen.add(entry.id)
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
            if stems is None:
                stems = content_stems(folded)
            present = any(loosely_present(r, stems) for r in acceptable)
        if not present and entry.status == approved:
            problems.append(TermProblem("missing", entry.id, zh_text, entry.en))
    return problems
