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

When no rendering is found whole, what translators keep of one still counts: a rendering
without its light words ("Guizhou" for "Guizhou province") is present; a name's head, most
of a long rendering with its head noun, a verb phrase's object, a name without its head
noun ("the Belt and Road Forum"), a name's acronym ("the CIIE"), a body named by its role
("China's top legislature") or a reference back to a document make a "nonstandard"
problem (the term is there in other words), as does the dictionary's judgement
(``dictionary.py``) and, for a title the source gives with a name (习近平总书记), another
title before the name ("President Xi"). Only a term with none of these is missing.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from workbench.qa.dictionary import describe_span, rendered_otherwise, term_units
from workbench.text.english import (
    Token,
    closest_stretch,
    core_rendering,
    find_distinctive,
    find_generic_reference,
    find_loose,
    find_name_core,
    find_partial,
    find_phrase,
    find_scattered,
    head_phrase,
    is_function_word,
    near_renderings,
    prepare,
    rendering_variants,
    terminology_rules,
    tokenize,
    verb_object,
    without_scope,
)

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

    kind: str  # "missing" | "forbidden" | "nonstandard" (other words) | "omitted" (left out)
    entry_id: str
    zh: str
    expected: str  # the approved rendering
    found: str | None = None  # the forbidden text, or the non-standard rendering, as it stands
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


@dataclass(frozen=True, slots=True)
class JointRendering:
    """Terms a translation may render together with one phrase (``[[joint]]`` in
    ``workbench/text/data/english.toml``): 中共中央、国务院 as "the central authorities"."""

    members: frozenset[str]  # canonical zh of each entry
    renderings: tuple[str, ...]


@functools.cache
def joint_renderings() -> tuple[JointRendering, ...]:
    """Return the joint renderings of the packaged rules."""
    return tuple(
        JointRendering(frozenset(rule["members"]), tuple(rule["renderings"]))
        for rule in terminology_rules().get("joint", [])
    )


def _jointly_rendered(zh_forms: set[str], tokens: list[Token]) -> set[str]:
    """Canonical zh of the entries a joint rendering in the translation covers."""
    covered: set[str] = set()
    for rule in joint_renderings():
        if rule.members <= zh_forms and any(
            find_phrase(r, tokens) or find_loose(r, tokens) for r in rule.renderings
        ):
            covered |= rule.members
    return covered


def _found(renderings: list[str], tokens: list[Token]) -> bool:
    """Whether any rendering (or its abbreviated or expanded form) stands loosely."""
    return any(find_loose(v, tokens) for r in renderings for v in rendering_variants(r))


def _core_found(renderings: list[str], tokens: list[Token]) -> bool:
    """Whether a rendering stands without its light words ("Guizhou" for "Guizhou
    province", "ecological compensation" for "eco-compensation mechanism")."""
    for rendering in renderings:
        for variant in rendering_variants(rendering):
            core = core_rendering(variant)
            if core is not None and find_loose(core, tokens):
                return True
    return False


@functools.cache
def _document_nouns() -> tuple[str, ...]:
    return tuple(terminology_rules().get("document", {}).get("generic_nouns", ()))


def _partly_rendered(
    renderings: list[str], tokens: list[Token], category: str, blocked: set[int]
) -> tuple[int, int] | None:
    """Return the span of the translation that keeps the core of a rendering and changes or
    loses the rest: its head phrase ("Political Bureau" of "Political Bureau of the CPC
    Central Committee"), the rendering without its scope ("rural revitalization" of "rural
    revitalization across the board"), the object of a verb phrase ("absolute poverty" of
    "eliminate absolute poverty"), most of its content words with the head noun ("key counties
    receiving national assistance for rural revitalization" for "national-level key
    counties designated for rural revitalization"), or for a document a reference back to
    it ("the document"). None when the translation shows none of these. Tokens in
    ``blocked`` (the English of the sentence's other terms) are no evidence."""
    min_words = 1 if category == "title" else 2
    for rendering in renderings:
        for variant in rendering_variants(rendering, expand=False):
            head = head_phrase(variant, min_words)
            span = find_phrase(head, tokens, blocked) if head else None
            if span is None:
                span = find_partial(variant, tokens, blocked)
            if span is None and (rest := without_scope(variant)) is not None:
                span = find_phrase(rest, tokens, blocked)
                loose = find_loose(rest, tokens) if span is None else None
                if loose is not None and blocked.isdisjoint(range(loose[0], loose[1] + 1)):
                    span = loose
            if span is None and (obj := verb_object(variant)) is not None:
                span = find_phrase(obj, tokens, blocked)
                loose = find_loose(obj, tokens) if span is None else None
                if loose is not None and blocked.isdisjoint(range(loose[0], loose[1] + 1)):
                    span = loose
            if span is not None:
                return span
    if category == "document":
        # "the document", or the kind of document the rendering itself names ("the report"
        # for "Report on the Work of the Government"; not "the speech" for a plan)
        kinds = {w for r in renderings for w in prepare(r).words if w in _document_nouns()}
        return find_generic_reference(["document", *sorted(kinds)], tokens)
    return None


@functools.cache
def _referable_heads() -> frozenset[str]:
    """Head nouns a translation refers back to a named thing by (``[coverage]
    referable_heads`` in the rules): "the system", "the initiative", "the campaign"."""
    return frozenset(terminology_rules().get("coverage", {}).get("referable_heads", ()))


@functools.cache
def _body_heads() -> frozenset[str]:
    """Referable heads that name a kind of body (``[coverage] body_heads``)."""
    return frozenset(terminology_rules().get("coverage", {}).get("body_heads", ()))


def _head_referred_back(
    renderings: list[str], tokens: list[Token], blocked: set[int]
) -> tuple[int, int] | None:
    """Return the span of a definite reference to the term by its head noun alone ("the
    system" for "river chief system", "the initiative" for "Belt and Road Initiative"), or
    None. Only a rendering of two content words or more whose last word is a referable
    head counts: the head names what kind of thing the term is, so "the system" can only
    refer to a system. Tokens in ``blocked`` (the English of the sentence's other terms)
    are no evidence."""
    heads = _referable_heads()
    nouns = sorted(
        {
            words[-1]
            for rendering in renderings
            if len(words := [w for w in prepare(rendering).words if not is_function_word(w)]) >= 2
            and words[-1] in heads
        }
    )
    # A body's kind followed by "of" begins another body's name ("the Ministry of
    # Education" is no reference back to the "Foreign Ministry"); other heads may take an
    # "of" phrase ("the system of river chiefs").
    bodies = _body_heads()
    span = find_generic_reference([n for n in nouns if n not in bodies], tokens, blocked)
    if span is None and (kinds := [n for n in nouns if n in bodies]):
        span = find_generic_reference(kinds, tokens, blocked, not_before=("of",))
    if span is not None:
        return span
    # A body named with its kind first ("Ministry of Education") is referred back to by
    # that noun ("the ministry"), unless "of" follows it and it begins another name.
    front = sorted(
        {
            parts[0]
            for rendering in renderings
            if len(parts := prepare(rendering).words) >= 3
            and parts[0] in heads
            and parts[1] == "of"
            and sum(not is_function_word(w) for w in parts) >= 2
        }
    )
    return find_generic_reference(front, tokens, blocked, not_before=("of",)) if front else None


def _plural_of(word: str, head: str) -> bool:
    """Whether ``word`` is the plural of ``head`` ("offices", "ministries", "branches")."""
    return word in (head + "s", head + "es") or (head.endswith("y") and word == head[:-1] + "ies")


def _shared_head(
    renderings: list[str], tokens: list[Token], blocked: set[int]
) -> tuple[int, int] | None:
    """Return the span of a plural head shared by two names ("the general offices of the
    CPC Central Committee and the State Council" for 中办、国办, whose renderings are
    "General Office of …"), or None. A rendering "H of C" counts when the translation has
    the plural of H, then "of", and C (its content words in order, light words skipped)
    either right after "of" and followed by "and", or right after an "and" a few words on.
    Tokens in ``blocked`` are no evidence."""
    words = [t.word for t in tokens]
    for rendering in renderings:
        parts = list(prepare(rendering).words)
        if "of" not in parts[1:]:
            continue
        k = parts.index("of")
        head = parts[:k]
        comp = [w for w in parts[k + 1 :] if not is_function_word(w)]
        if not comp or is_function_word(head[-1]):
            continue
        for last in range(k - 1, len(words) - 1):
            first = last - k + 1
            if (
                words[last + 1] != "of"
                or words[first:last] != head[:-1]
                or not _plural_of(words[last], head[-1])
            ):
                continue
            for start in range(last + 2, min(len(words), last + 16)):
                if start > last + 2 and words[start - 1] != "and":
                    continue
                content = [i for i in range(start, min(len(words), start + 2 * len(comp) + 2))]
                content = [i for i in content if not is_function_word(words[i])][: len(comp)]
                if [words[i] for i in content] != comp:
                    continue
                end = content[-1]
                follows = start > last + 2 or (end + 1 < len(words) and words[end + 1] == "and")
                # Only the term's own words must be free: the shared head and the other
                # name are the other term's English too.
                if follows and blocked.isdisjoint(content):
                    return first, end
    return None


def _distinctive_kept(
    renderings: list[str], tokens: list[Token], counts: dict[str, int], blocked: set[int]
) -> tuple[int, int] | None:
    """The span of a clause that keeps a rendering's distinctive word (``find_distinctive``),
    trying each rendering and its abbreviated form."""
    for rendering in renderings:
        for variant in rendering_variants(rendering, expand=False):
            span = find_distinctive(variant, tokens, counts, blocked)
            if span is not None:
                return span
    return None


def _name_kept(
    renderings: list[str], en: str, tokens: list[Token], blocked: set[int]
) -> tuple[int, int] | None:
    """The span of a rendering's proper name standing without its head noun ("the Belt
    and Road Forum" for "Belt and Road Initiative", ``find_name_core``)."""
    for rendering in renderings:
        span = find_name_core(rendering, en, tokens, blocked)
        if span is not None:
            return span
    return None


_INITIALS_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@functools.lru_cache(maxsize=16384)
def _acronyms(rendering: str) -> frozenset[str]:
    """The acronyms a name's rendering is shortened to: the initials of its capitalised
    words, without the function words ("National Development and Reform Commission" →
    NDRC, "China International Import Expo" → CIIE) or with them ("Forum on China-Africa
    Cooperation" → FOCAC). Only a name has one: every word but the function words
    capitalised, three of them or more (a shorter one's initials are too often other
    words), none an acronym already ("CPC Central Committee" is no "CCC")."""
    words = _INITIALS_WORD.findall(rendering)
    capitalised = [w for w in words if w[:1].isupper()]
    if (
        len(capitalised) < 3
        or any(w.isupper() and len(w) > 1 for w in capitalised)
        or any(not w[:1].isupper() and not is_function_word(w.casefold()) for w in words)
    ):
        return frozenset()
    content = "".join(w[0] for w in capitalised if not is_function_word(w.casefold()))
    every = "".join(w[0].upper() for w in words)
    return frozenset(a for a in (content, every) if len(a) >= 3)


def _acronym_kept(
    renderings: list[str], en: str, tokens: list[Token], blocked: set[int]
) -> tuple[int, int] | None:
    """The span of a capitalised acronym of a rendering ("the CIIE" for "China
    International Import Expo"), outside ``blocked``. An acronym in brackets is the short
    form of the name right before it ("the Ministry of Ecology and Environment (MEE)"):
    with the term's own name there the term is found anyway, and after another name it
    shortens that name, so it is no evidence."""
    wanted = {a for r in renderings for a in _acronyms(r)}
    if not wanted:
        return None
    for i, token in enumerate(tokens):
        if (
            i not in blocked
            and en[token.start : token.end] in wanted
            and not en[: token.start].rstrip().endswith("(")
        ):
            return i, i
    return None


@functools.cache
def _periphrases() -> dict[str, tuple[str, ...]]:
    """Role phrases news English names a body by, per canonical zh (``[periphrases]`` in
    the rules): "top legislature", "the cabinet"."""
    return {zh: tuple(p) for zh, p in terminology_rules().get("periphrases", {}).items()}


def _referred_by_role(zh: str, tokens: list[Token], blocked: set[int]) -> tuple[int, int] | None:
    """The span of a role phrase that names the body ``zh`` ("China's top legislature"
    for 全国人大常委会), as a phrase outside ``blocked``, or None."""
    for phrase in _periphrases().get(zh, ()):
        span = find_phrase(phrase, tokens, blocked)
        if span is not None:
            return span
    return None


def _rendering_spans(
    entries: Iterable[tuple[TermEntry, str]], tokens: list[Token], claims: bool = False
) -> dict[str, set[int]]:
    """Return, per entry, the tokens its renderings (any acceptable one, as phrases or
    loosely) cover in the translation.

    With ``claims``, the tokens that are no evidence for another term (``unexplained``):
    there a descriptive entry covers only where a rendering stands as a phrase. Its row
    says how a generic concept is usually put (脱贫 "be lifted out of poverty"), and a
    loose match spans every word between the scattered ones: "lifting all its citizens
    out of poverty" would make the whole clause 脱贫's, though it renders 贫困县全部摘帽 in
    other words. Word for word ("national ecological security" for 国家生态安全) the words
    are its. (Whether a term was left out or replaced still counts every loose match: the
    English is there either way.)"""
    spans: dict[str, set[int]] = {}
    for entry, _zh in entries:
        covered = spans.setdefault(entry.id, set())
        loosely = not claims or getattr(entry, "level", "preferred") in CHECKED_LEVELS
        for rendering in (entry.en, *entry.en_alternatives):
            for variant in rendering_variants(rendering):
                span = find_phrase(variant, tokens, covered)
                while span is not None:
                    covered.update(range(span[0], span[1] + 1))
                    span = find_phrase(variant, tokens, covered)
                loose = find_loose(variant, tokens) if loosely else None
                if loose is not None:
                    covered.update(range(loose[0], loose[1] + 1))
    return spans


class TermSpan(Protocol):
    """Where the matcher found a term (``workbench.models.TermMatch`` has it)."""

    start: int
    end: int
    entry_id: str


_LIST_MARKS = "、，,"


def elided_conjuncts(zh: str, matches: Iterable[TermSpan]) -> set[str]:
    """Return the ids of terms that end a list whose other members leave out the head.

    In "深入推进产业、教育、健康扶贫" only 健康扶贫 is a glossary match, but 产业 and 教育
    share its head 扶贫. Such a term stands right after a list mark that no other match
    ends at (after "精准扶贫、精准脱贫" each member is whole, so neither counts).
    """
    matches = list(matches)
    ends = {m.end for m in matches}
    return {
        m.entry_id
        for m in matches
        if m.start > 0 and zh[m.start - 1] in _LIST_MARKS and (m.start - 1) not in ends
    }


@dataclass(frozen=True, slots=True)
class RenderingIndex:
    """Every rendering of the glossary as a word sequence, with the entries using it.

    It tells a term left out of a translation from one replaced by another term: a
    translation that shows another entry's English where a term's rendering is missing
    may have used the wrong term, so the term stays missing; one that shows no trace of
    the term at all probably left it out (``omitted``).
    """

    phrases: dict[tuple[str, ...], frozenset[str]]  # folded words -> entry ids
    lengths: dict[str, tuple[int, ...]]  # first word -> the word counts of its phrases
    # Folded words of every rendering of a title entry ("president", "premier", "vice
    # premier"), one word or more, longest first: the titles a translator may give a named
    # office-holder.
    titles: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(
        cls, entries: Iterable[tuple[str, Iterable[str]]], titles: Iterable[str] = ()
    ) -> RenderingIndex:
        """Build from (entry id, renderings) pairs and the renderings of title entries."""
        phrases: dict[tuple[str, ...], set[str]] = {}
        for entry_id, renderings in entries:
            for rendering in renderings:
                words = tuple(t.word for t in tokenize(rendering))
                if sum(not is_function_word(w) for w in words) >= 2:
                    phrases.setdefault(words, set()).add(entry_id)
        lengths: dict[str, set[int]] = {}
        for words in phrases:
            lengths.setdefault(words[0], set()).add(len(words))
        return cls(
            {w: frozenset(i) for w, i in phrases.items()},
            {w: tuple(sorted(n)) for w, n in lengths.items()},
            tuple(
                sorted(
                    {words for t in titles if (words := tuple(x.word for x in tokenize(t)))},
                    key=lambda words: (-len(words), words),
                )
            ),
        )

    def named_title(
        self, en: str, tokens: list[Token], blocked: Collection[int]
    ) -> tuple[int, int] | None:
        """The span of a title entry's rendering and the capitalised name right after it
        ("President Xi", "Premier Li"), outside ``blocked``: a person whose title the source
        gives one way and the translation another ("习近平总书记" as "President Xi") is
        named all the same."""
        words = [t.word for t in tokens]
        for title in self.titles:
            for start in range(len(words) - len(title)):
                end = start + len(title)
                name = tokens[end]
                if (
                    tuple(words[start:end]) == title
                    and en[name.start : name.start + 1].isupper()
                    and not is_function_word(name.word)
                    and all(i not in blocked for i in range(start, end + 1))
                ):
                    return start, end
        return None

    def others_in(
        self, tokens: list[Token], own: Collection[str], explained: Collection[int] = ()
    ) -> list[tuple[int, int]]:
        """Spans of the translation that are another entry's rendering of two content words
        or more: an entry not among ``own`` (the sentence's terms), standing outside
        ``explained`` (the tokens the sentence's own terms' renderings cover)."""
        words = [t.word for t in tokens]
        spans: list[tuple[int, int]] = []
        for start, word in enumerate(words):
            for length in self.lengths.get(word, ()):
                end = start + length
                ids = self.phrases.get(tuple(words[start:end])) if end <= len(words) else None
                if ids is None or not ids.isdisjoint(own):
                    continue
                if all(i not in explained for i in range(start, end)):
                    spans.append((start, end - 1))
        return spans


def _named(entry: TermEntry, zh_text: str) -> bool:
    """Whether the term stands in the source with a name before its title (习近平总书记,
    中共中央总书记 for 总书记): a written form longer than the canonical title that ends
    with it. (全国政协委员, whose variant 政协委员 it ends with, is the title itself.)"""
    return zh_text.endswith(entry.zh) and len(zh_text) - len(entry.zh) >= 2


def _traces(forms: Iterable[str], tokens: list[Token]) -> set[int]:
    """Positions of the tokens that carry a dictionary gloss word of one of the term's
    words (the English counterpart of some part of the term, if it is there at all)."""
    found: set[int] = set()
    for zh in dict.fromkeys(forms):
        for unit in term_units(zh):
            if unit.number is None and not unit.keys:
                continue
            found.update(i for i, t in enumerate(tokens) if unit.covered_by(t))
    return found


Finder = Callable[[set[int]], tuple[int, int] | None]
"""A search for evidence of a term in the tokens, given the token indices it must skip."""


def check_terms(
    en: str,
    entries: Iterable[tuple[TermEntry, str]],
    approved: str = "approved",
    elided: Collection[str] = (),
    word_counts: dict[str, int] | None = None,
    renderings: RenderingIndex | None = None,
) -> list[TermProblem]:
    """Check the translation ``en`` for each (entry, zh text as found) of its source.

    ``elided`` names entries that end a list sharing their head (``elided_conjuncts``):
    their rendering's words may stand anywhere in the translation. ``word_counts``
    (``rendering_word_counts`` of the whole glossary) lets a term whose rendering's
    distinctive word the translation keeps count as rendered in other words.
    ``renderings`` (every approved rendering of the glossary) lets a term with no trace in
    the translation and no other term standing in its place count as left out
    (``omitted``) rather than missing.
    """
    tokens: list = []  # tokenized on first need
    # Most translations carry a rendering word for word: a substring test on the folded
    # text settles those without the grammar-aware search (kept for forbidden renderings,
    # where the exact span matters).
    plain = f" {_plain(en)} "
    problems: list[TermProblem] = []
    seen: set[str] = set()
    entries = list(entries)
    zh_forms = {entry.zh for entry, _ in entries}
    jointly: set[str] | None = None  # computed on first need
    explained: dict[str, set[int]] | None = None  # computed on first need
    claimed: dict[str, set[int]] | None = None  # likewise

    def explained_spans() -> dict[str, set[int]]:
        """The tokens each of the sentence's terms' renderings cover, per entry id."""
        nonlocal explained
        if explained is None:
            explained = _rendering_spans(entries, tokens)
        return explained

    def claimed_spans() -> dict[str, set[int]]:
        """The tokens that are each term's own, as no other term's evidence, per entry id."""
        nonlocal claimed
        if claimed is None:
            claimed = _rendering_spans(entries, tokens, claims=True)
        return claimed

    def unexplained(find: Finder, blocked: set[int], entry_id: str) -> tuple[int, int] | None:
        """What ``find`` takes as evidence of a term, looked for again with the English of
        the sentence's other terms blocked too: English that renders another term is no
        evidence that this one is there ("CPC Central Committee" is 中共中央's, not a
        rendering of 中共中央总书记). Only when some evidence turns up: the other terms'
        spans are costly, and most missing terms have none. (A descriptive entry's
        English claims less: ``_rendering_spans``.)"""
        span = find(blocked)
        if span is None:
            return None
        others = set().union(*(s for i, s in claimed_spans().items() if i != entry_id))
        return find(blocked | others) if others else span

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
        # A stretch that is a forbidden rendering word for word is that rendering, even
        # where an acceptable one matches it by stems ("Ministry of Ecological Environment"
        # holds the stems of "Ministry of Ecology and Environment").
        verbatim = {_plain_rendering(f) for f in entry.en_forbidden}
        for rendering in acceptable:
            span = find_phrase(rendering, tokens)
            skipped: set[int] = set()
            while span is not None:
                stretch = en[tokens[span[0]].start : tokens[span[1]].end]
                if verbatim and _plain(stretch) in verbatim:
                    skipped.update(range(span[0], span[1] + 1))
                else:
                    present = True
                    blocked.update(range(span[0], span[1] + 1))
                span = find_phrase(rendering, tokens, blocked | skipped)
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
        if _found(acceptable, tokens):
            continue
        if entry.id in elided and any(find_scattered(r, tokens) for r in acceptable):
            continue
        if jointly is None:
            jointly = _jointly_rendered(zh_forms, tokens)
        if entry.zh in jointly:
            continue
        if _core_found(acceptable, tokens):
            continue
        # Evidence that the term is there in other words, strongest kind first; each kind
        # is checked by ``unexplained``: English that renders another term of the sentence
        # does not count for this one. The first kind found makes a "nonstandard" problem.
        category = getattr(entry, "category", "")
        forms = [entry.zh, *getattr(entry, "zh_variants", ()), zh_text]
        evidence = unexplained(
            functools.partial(_partly_rendered, acceptable, tokens, category), blocked, entry.id
        )
        if evidence is None:
            # The name without its head noun ("the Belt and Road Forum", "build the Belt
            # and Road"): the term named in passing, or as the thing itself.
            evidence = unexplained(
                functools.partial(_name_kept, acceptable, en, tokens), blocked, entry.id
            )
        if evidence is None:
            # The name's acronym ("the CIIE" for "China International Import Expo").
            evidence = unexplained(
                functools.partial(_acronym_kept, acceptable, en, tokens), blocked, entry.id
            )
        if evidence is None:
            evidence = unexplained(
                functools.partial(rendered_otherwise, forms, tokens), blocked, entry.id
            )
        if evidence is None:
            near = [v for r in acceptable for v in near_renderings(r)]
            swapped = next((s for v in near if (s := find_loose(v, tokens)) is not None), None)
            if swapped is not None and blocked.isdisjoint(range(swapped[0], swapped[1] + 1)):
                evidence = swapped
        if evidence is None and word_counts:
            evidence = unexplained(
                functools.partial(_distinctive_kept, acceptable, tokens, word_counts),
                blocked,
                entry.id,
            )
        if (
            evidence is None
            and category == "title"
            and renderings is not None
            and _named(entry, zh_text)
        ):
            evidence = unexplained(
                functools.partial(renderings.named_title, en, tokens), blocked, entry.id
            )
        if evidence is None:
            # A body named by its role, as news English does ("China's top legislature",
            # "the cabinet"): the body is there, not by its name.
            evidence = unexplained(
                functools.partial(_referred_by_role, entry.zh, tokens), blocked, entry.id
            )
        if evidence is None:
            # Two names sharing one plural head ("the general offices of the CPC Central
            # Committee and the State Council"): the term is there, factored with another.
            evidence = unexplained(
                functools.partial(_shared_head, acceptable, tokens), blocked, entry.id
            )
        if evidence is None:
            # The sentence refers to the term by its head alone ("the system", "the
            # initiative"): a translation that names a policy once, or takes it as known
            # from the context, and then says "the campaign".
            evidence = unexplained(
                functools.partial(_head_referred_back, acceptable, tokens), blocked, entry.id
            )
        if evidence is not None:
            found = describe_span(en, tokens, evidence)
            problems.append(
                TermProblem("nonstandard", entry.id, zh_text, entry.en, found, level, acceptable)
            )
            continue
        closest = closest_stretch(acceptable, en, tokens)
        kind = "missing"
        if renderings is not None and closest is None:
            # Nothing of the term is there, not even a dictionary word of it (English of
            # the sentence's other terms aside): if no other entry's English stands in the
            # sentence either, the term was left out, not replaced by a wrong one.
            traces = _traces(forms, tokens)
            if traces:
                traces -= set().union(*(s for i, s in explained_spans().items() if i != entry.id))
            own = {e.id for e, _ in entries}
            replaced = [] if traces else renderings.others_in(tokens, own)
            if replaced:  # only English the sentence's own terms do not explain counts
                replaced = renderings.others_in(
                    tokens, own, set().union(*explained_spans().values())
                )
            if not traces and not replaced:
                kind = "omitted"
        problems.append(
            TermProblem(kind, entry.id, zh_text, entry.en, None, level, acceptable, closest)
        )
    return problems
