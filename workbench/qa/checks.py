"""The QA checks of a translated pair, run over a whole export as it streams.

Each check is a small function of one pair returning findings; ``PairChecker`` runs them
all and keeps the little state the cross-pair check needs (the first translation seen of
each source sentence). Thresholds and severities are data in ``data/checks.toml``.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from workbench.models import SentencePair
from workbench.qa.report import Finding
from workbench.qa.terminology import RenderingIndex, TermEntry, check_terms, elided_conjuncts
from workbench.text.compare import normalise_for_dedup
from workbench.text.english import rendering_word_counts
from workbench.text.numbers import missing_numbers

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_NOT_SPACE = re.compile(r"\S")
_LATIN = re.compile(r"[A-Za-z0-9]")


def load_rules(path: Path | None = None) -> dict[str, Any]:
    """Return the QA thresholds: ``path`` if given and present, else the packaged defaults."""
    if path is not None and Path(path).is_file():
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    text = resources.files("workbench.qa").joinpath("data/checks.toml").read_text("utf-8")
    return tomllib.loads(text)


@dataclass
class GlossaryView:
    """The two things QA needs of a glossary: find terms, and look entries up by id."""

    find: Any  # (text) -> list[TermMatch]
    get: Any  # (entry_id) -> TermEntry | None
    # How many entries use each English word key (``rendering_word_counts``): what tells a
    # rendering's distinctive word from the words the whole domain shares. None: unknown.
    word_counts: dict[str, int] | None = None
    # Every approved rendering (``RenderingIndex``): what tells a term left out of a
    # translation from one replaced by another term's English. None: unknown.
    renderings: RenderingIndex | None = None

    @classmethod
    def of(cls, glossary: Any) -> GlossaryView:
        return cls(
            find=glossary.matcher().find,
            get=glossary.get,
            word_counts=_word_counts(glossary),
            renderings=_rendering_index(glossary),
        )


# What is derived from a whole glossary, per kind, for its latest version only: a service
# that reloads its glossary must not keep every old version's tables.
_DERIVED: dict[str, tuple[str, Any]] = {}


def _per_version(kind: str, glossary: Any, build: Callable[[list[Any]], Any]) -> Any:
    """``build(entries)`` once per glossary version (None for a glossary without entries)."""
    entries = getattr(glossary, "entries", None)
    if entries is None:
        return None
    version = f"{getattr(glossary, 'version', id(glossary))}:{len(entries)}"
    cached = _DERIVED.get(kind)
    if cached is None or cached[0] != version:
        cached = _DERIVED[kind] = (version, build(entries))
    return cached[1]


def _word_counts(glossary: Any) -> dict[str, int] | None:
    """The glossary's ``rendering_word_counts`` (approved entries' renderings and
    alternatives; forbidden renderings are no rendering)."""
    return _per_version(
        "word counts",
        glossary,
        lambda entries: rendering_word_counts(
            (e.en, *e.en_alternatives) for e in entries if e.status == "approved"
        ),
    )


def _rendering_index(glossary: Any) -> RenderingIndex | None:
    """The glossary's ``RenderingIndex`` (every entry's renderings and alternatives: a
    proposed entry's English still names another concept)."""
    return _per_version(
        "rendering index",
        glossary,
        lambda entries: RenderingIndex.of(
            ((e.id, (e.en, *e.en_alternatives)) for e in entries),
            titles=[
                r for e in entries if e.category == "title" for r in (e.en, *e.en_alternatives)
            ],
        ),
    )


class PairChecker:
    """Run every check on each pair of an export."""

    def __init__(self, glossary: GlossaryView | None = None, rules: dict[str, Any] | None = None):
        self.glossary = glossary
        self.rules = rules or load_rules()
        self.severity: dict[str, str] = self.rules["severity"]
        self._first: dict[bytes, tuple[bytes, str, str]] = {}

    def _finding(
        self, pair: SentencePair, check: str, message: str, severity: str | None = None, **details
    ) -> Finding:
        severity = severity or self.severity.get(check, "warning")
        name = check.split(".")[0] if check == "numbers.numeral" else check
        return Finding(pair.id, name, severity, message, pair.doc_id, details)

    def check(self, pair: SentencePair) -> list[Finding]:
        """Return the findings of one pair."""
        if not _NOT_SPACE.search(pair.en):
            return [self._finding(pair, "empty", "the translation is empty")]
        findings: list[Finding] = []
        findings += self.check_script(pair)
        if findings and findings[0].check == "untranslated":
            return findings
        term_spans = self._terms(pair, findings)
        findings += self.check_numbers(pair, term_spans)
        findings += self.check_length(pair)
        findings += self.check_consistency(pair)
        return findings

    def check_script(self, pair: SentencePair) -> list[Finding]:
        """Flag an English side that is still (mostly) Chinese, or carries CJK characters."""
        cjk = _CJK.findall(pair.en)
        if not cjk:
            return []
        # One Chinese character carries about as much as three English letters.
        weight = 3 * len(cjk)
        share = weight / (weight + len(_LATIN.findall(pair.en)))
        if share > self.rules["untranslated"]["max_cjk_share"] or pair.en == pair.zh:
            return [self._finding(pair, "untranslated", "the translation is still Chinese")]
        return [
            self._finding(
                pair,
                "cjk",
                f"Chinese characters left in the translation: {''.join(cjk)[:20]}",
                characters="".join(cjk),
            )
        ]

    def _terms(self, pair: SentencePair, findings: list[Finding]) -> list[tuple[int, int]]:
        """Append terminology findings; return the term spans (numbers inside are skipped)."""
        if self.glossary is not None:
            matches = self.glossary.find(pair.zh)
            found = [(self.glossary.get(m.entry_id), m) for m in matches]
        else:
            found = []
            matches = []
        entries: list[tuple[TermEntry, str]] = [(e, m.text) for e, m in found if e is not None]
        elided = elided_conjuncts(pair.zh, matches)
        counts = getattr(self.glossary, "word_counts", None)
        index = getattr(self.glossary, "renderings", None)
        for problem in check_terms(
            pair.en, entries, elided=elided, word_counts=counts, renderings=index
        ):
            severity = None
            if problem.kind == "forbidden":
                message = (
                    f"{problem.zh} is rendered {problem.found!r}, which the glossary forbids; "
                    f"use {problem.expected!r}"
                )
                check = "terminology.forbidden"
            elif problem.kind == "nonstandard":
                others = [r for r in problem.acceptable if r != problem.expected]
                message = (
                    f"{problem.zh} seems rendered in other words, {problem.found!r}; the "
                    f"glossary has {problem.expected!r}"
                    + (" (or " + ", ".join(repr(r) for r in others[:4]) + ")" if others else "")
                )
                check = "terminology.nonstandard"
                # The term is there, in words the glossary does not list: worth a look (and
                # perhaps an accepted alternative), not a missing term. A required entry
                # mandates its rendering, so deviating from it stays a warning.
                severity = self.severity.get(f"{check}.{problem.level}")
            elif problem.kind == "omitted":
                message = (
                    f"{problem.zh} seems left out of the translation: no word of its "
                    f"renderings ({problem.expected!r}) or of its dictionary senses is there, "
                    "and no other term stands in its place; if it was dropped on purpose, "
                    "nothing to do"
                )
                check = "terminology.omitted"
                # Translators condense and drop what the context carries (a report named
                # in a dateline, a body as "it"): worth a look, not a wrong rendering. A
                # required entry's omission stays a warning.
                severity = self.severity.get(f"{check}.{problem.level}")
            else:
                others = [r for r in problem.acceptable if r != problem.expected]
                message = f"{problem.zh} should be rendered {problem.expected!r}" + (
                    " (or " + ", ".join(repr(r) for r in others[:4]) + ")" if others else ""
                )
                if problem.closest:
                    message += f"; the translation has {problem.closest!r}"
                check = "terminology.missing"
                # A required rendering that is missing is as wrong as a forbidden one.
                severity = self.severity.get(
                    f"{check}.{problem.level}", "error" if problem.level == "required" else None
                )
            findings.append(
                self._finding(
                    pair,
                    check,
                    message,
                    severity=severity,
                    entry_id=problem.entry_id,
                    zh=problem.zh,
                    expected=problem.expected,
                    found=problem.found,
                    acceptable=problem.acceptable,
                    closest=problem.closest,
                    enforcement=problem.level,
                )
            )
        return [(m.start, m.end) for m in matches]

    def check_numbers(self, pair: SentencePair, skip: list[tuple[int, int]]) -> list[Finding]:
        """Flag numbers of the source whose value the translation does not carry."""
        findings = []
        for number in missing_numbers(pair.zh, pair.en, skip):
            check = "numbers.numeral" if number.numeral else "numbers"
            findings.append(
                self._finding(
                    pair,
                    check,
                    f"{number.text} ({number.value:g}) is not in the translation",
                    zh=number.text,
                    value=number.value,
                )
            )
        return findings

    def check_length(self, pair: SentencePair) -> list[Finding]:
        """Flag translations far shorter or longer than their source usually makes them."""
        limits = self.rules["length_ratio"]
        zh_chars = len(pair.zh.replace(" ", ""))
        if zh_chars < limits["min_zh_chars"]:
            return []
        ratio = len(pair.en) / zh_chars
        if limits["min"] <= ratio <= limits["max"]:
            return []
        side = "short" if ratio < limits["min"] else "long"
        return [
            self._finding(
                pair,
                "length_ratio",
                f"the translation is unusually {side}: {ratio:.1f} English characters per "
                f"Chinese character (expected {limits['min']}–{limits['max']})",
                ratio=round(ratio, 2),
            )
        ]

    def check_consistency(self, pair: SentencePair) -> list[Finding]:
        """Flag a source sentence translated differently from where it was first seen."""
        source = normalise_for_dedup(pair.zh)
        if len(source) < 4:
            return []
        key = hashlib.blake2b(source.encode(), digest_size=12).digest()
        target = hashlib.blake2b(normalise_for_dedup(pair.en).encode(), digest_size=12).digest()
        first = self._first.get(key)
        if first is None:
            self._first[key] = (target, pair.id, pair.en[:80])  # kept short: one per source
            return []
        if first[0] == target:
            return []
        return [
            self._finding(
                pair,
                "inconsistent",
                f"the same source is translated differently in {first[1]}: {first[2]!r}",
                other_sentence_id=first[1],
            )
        ]
