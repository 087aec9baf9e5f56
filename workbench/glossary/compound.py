"""Derived compound terms: unseen policy compounds built from known terms (issue 16).

Policy texts keep coining long compounds out of terms the glossary knows and a small set
of generic words: 教育扶贫 + 工程, 返贫 + 风险, 农村 + 低收入人口 + 常态化 + 帮扶 + 机制. No term
base lists them all, so besides the glossary's own matches we recognise them: a
*derived compound* is a maximal run, written with nothing between its parts, of

    modifier* term (term | modifier | head)* head*

where every ``term`` is a glossary match, ``head`` a generic policy head (工程 计划 行动
体系 机制 制度 政策 战略 工作 试点 示范区 …) and ``modifier`` a generic modifier (农村 城乡
全面 新型 常态化 …). The run must hold at least one glossary term and be more than that
term alone; it never crosses punctuation, because its parts must touch. The heads and
modifiers, with their English and the glossary rows that attest that English, are data
in ``compound.toml``.

Each compound gets a SUGGESTED English composed from its parts' approved renderings
("programme for poverty alleviation through education"), following head-final order
for short groups and "head for X" for long ones. It is a distinct kind (``derived``),
never an approved rendering: QA never checks it (a missing derived rendering is never a
warning), tasks show it as a suggestion, and ``proposal`` turns it into a curator-queue
proposal with the sentence it came from, so a curator can approve it into the glossary.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from workbench.glossary.fold import converter
from workbench.glossary.matcher import Matcher
from workbench.glossary.model import Entry
from workbench.glossary.queue import ProposalStore, queue_terms
from workbench.models import TermMatch

VOCABULARY_FILE = Path(__file__).with_name("compound.toml")
KIND = "derived"
PROPOSER = "workbench derived compounds"
TERM, HEAD, MODIFIER = "term", "head", "modifier"
# A compound never holds these (a term written with one, such as 两不愁，三保障, is left
# out of compounds rather than letting a compound reach across a clause).
SENTENCE_PUNCTUATION = frozenset("。！？!?；;：:，,…\n\r")
# English words that make a group "long" for a head's word order ("plan for X of Y").
_PREPOSITIONS = frozenset(
    ["of", "for", "to", "in", "on", "through", "against", "with", "by", "from", "into", "and"]
)
_SHORT_WORDS = 3
# Written right before a compound that ends in a head, these mean the head is shared
# with what stands before them.
_CONJUNCTIONS = frozenset("、和与及或跟同")


@dataclass(frozen=True, slots=True)
class Word:
    """A generic head or modifier of ``compound.toml`` with its English."""

    zh: str
    role: str  # HEAD or MODIFIER
    en: str
    pre: str = ""  # heads: "{x} programme"
    post: str = ""  # heads: "programme for {x}"
    category: str = "concept"  # heads: the category of a compound ending in it
    evidence: tuple[str, ...] = ()
    evidence_key: str = ""


@dataclass(frozen=True)
class Vocabulary:
    """The heads and modifiers compounds are built with (``compound.toml``)."""

    words: tuple[Word, ...]

    @classmethod
    def load(cls, path: Path | None = None) -> Vocabulary:
        """Read a vocabulary file (default: the packaged ``compound.toml``)."""
        with open(path or VOCABULARY_FILE, "rb") as handle:
            data = tomllib.load(handle)
        words = [
            Word(
                zh=item["zh"],
                role=role,
                en=item["en"],
                pre=item.get("pre", ""),
                post=item.get("post", ""),
                category=item.get("category", "concept"),
                evidence=tuple(item.get("evidence", ())),
                evidence_key=item.get("evidence_key", ""),
            )
            for key, role in (("head", HEAD), ("modifier", MODIFIER))
            for item in data.get(key, [])
        ]
        return cls(tuple(words))

    @property
    def by_zh(self) -> dict[str, Word]:
        return {word.zh: word for word in self.words}


@cache
def default_vocabulary() -> Vocabulary:
    """The packaged vocabulary, read once per process."""
    return Vocabulary.load()


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a derived compound: a glossary term, a head or a modifier."""

    start: int
    end: int
    text: str  # as written in the text
    role: str  # TERM, HEAD or MODIFIER
    en: str  # the term's approved rendering, or the word's English
    entry_id: str = ""  # glossary entry of a TERM part
    category: str = ""  # a HEAD's category (compound.toml)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "role": self.role,
            "en": self.en,
        }
        if self.entry_id:
            data["entry_id"] = self.entry_id
        return data


@dataclass(frozen=True, slots=True)
class DerivedCompound:
    """A compound of glossary terms and generic words, with a suggested English."""

    start: int
    end: int
    text: str  # the span as written
    zh: str  # the span in Simplified script
    en: str  # the suggested English (never an approved rendering)
    parts: tuple[Part, ...] = field(default_factory=tuple)

    kind = KIND

    @property
    def entry_ids(self) -> list[str]:
        """The glossary entries the compound is built from."""
        return [p.entry_id for p in self.parts if p.role == TERM]

    @property
    def category(self) -> str:
        """The category a curator most likely files it under: its last head's."""
        heads = [p for p in self.parts if p.role == HEAD]
        return heads[-1].category if heads else "concept"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: like a glossary match, with ``kind`` and the parts."""
        return {
            "kind": KIND,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "zh": self.zh,
            "en": self.en,
            "parts": [p.to_dict() for p in self.parts],
        }

    def explain(self) -> str:
        """The parts and their English, e.g. ``农村 (rural) + 低收入人口 [pv-1] + 机制 (head)``."""
        shown = []
        for part in self.parts:
            if part.role == TERM:
                shown.append(f"{part.text} [{part.entry_id}: {part.en}]")
            else:
                shown.append(f"{part.text} ({part.role}: {part.en})")
        return " + ".join(shown)

    def proposal(self, sentence: str = "", sentence_id: str = "") -> dict[str, Any]:
        """The curator-queue proposal of this compound (the service's TermProposal shape)."""
        note = (
            f"derived compound: {self.explain()}; the English is composed from the parts' "
            "approved renderings — check it against a published translation"
        )
        proposal: dict[str, Any] = {
            "kind": "term",
            "zh": self.zh,
            "en": self.en,
            "category": self.category,
            "note": note[:2000],
            "proposer": PROPOSER,
            "comment": (f"seen in: {sentence}" if sentence else note)[:2000],
        }
        if sentence_id:
            proposal["sentence_id"] = sentence_id[:200]
        return proposal


@dataclass(frozen=True, slots=True)
class _Unit:
    """A glossary term, head or modifier found in the text (a part before it is kept)."""

    start: int
    end: int
    role: str
    en: str
    entry_id: str = ""
    word: Word | None = None


class CompoundRecogniser:
    """Find derived compounds in a text, on top of a glossary matcher's matches."""

    def __init__(
        self, matcher: Matcher | None = None, vocabulary: Vocabulary | None = None
    ) -> None:
        """``matcher`` finds the glossary terms when ``find`` is not given them; without
        one, callers pass the matches they have (a corpus sentence's ``terms``)."""
        self.matcher = matcher
        self.vocabulary = vocabulary or default_vocabulary()
        words = self.vocabulary.words
        self._words = list(words)
        # The heads' Simplified spellings by English, to tell whether a conjunct before a
        # compound already ends in a head of the same meaning (see ``_shares_head``).
        heads: dict[str, set[str]] = {}
        for w in words:
            if w.role == HEAD:
                heads.setdefault(w.en, set()).add(w.zh)
        self._heads = {en: frozenset(zh) for en, zh in heads.items()}
        # The vocabulary is matched as a small glossary of its own, so Traditional
        # spellings, widths and offsets are handled exactly as for terms.
        self._word_matcher = Matcher(
            [Entry(id=f"w{i}", zh=w.zh, en=w.en) for i, w in enumerate(words)]
        )

    def find(self, text: str, matches: Sequence[TermMatch] | None = None) -> list[DerivedCompound]:
        """Return the derived compounds of ``text``, left to right.

        ``matches`` are the glossary's matches in ``text`` if the caller has them already
        (the corpus's ``terms``); otherwise they are found here.
        """
        if matches is None:
            if self.matcher is None:
                raise ValueError("CompoundRecogniser without a matcher needs the text's matches")
            matches = self.matcher.find(text)
        units = self._units(text, matches)
        compounds: list[DerivedCompound] = []
        run: list[_Unit] = []
        for unit in units:
            if run and run[-1].end != unit.start:
                compounds.extend(self._compounds(text, run))
                run = []
            run.append(unit)
        compounds.extend(self._compounds(text, run))
        return compounds

    def _units(self, text: str, matches: Sequence[TermMatch]) -> list[_Unit]:
        """Glossary terms plus the heads and modifiers written in the gaps between them.

        The words are found in one scan of the whole text; a gap that a word hit crosses
        into or out of (a word overlapping a term) is scanned again on its own, so the
        result is what scanning each gap separately gives, at a fraction of the calls.
        """
        units: list[_Unit] = []
        ordered = sorted(matches, key=lambda m: m.start)
        gaps: list[tuple[int, int]] = []
        position = 0
        for match in ordered:
            if match.start > position:
                gaps.append((position, match.start))
            if not SENTENCE_PUNCTUATION.intersection(text[match.start : match.end]):
                units.append(_Unit(match.start, match.end, TERM, match.en, match.entry_id))
            position = max(position, match.end)
        if len(text) > position:
            gaps.append((position, len(text)))
        if not gaps:
            return units
        hits = [(h.start, h.end, h.entry_id) for h in self._word_matcher.find(text)]
        k = 0
        for gap_start, gap_end in gaps:
            while k < len(hits) and hits[k][1] <= gap_start:
                k += 1
            inside: list[tuple[int, int, str]] = []
            crossed = False
            while k < len(hits) and hits[k][0] < gap_end:
                start, end, word_id = hits[k]
                if start < gap_start or end > gap_end:
                    crossed = True
                    if end > gap_end:
                        break  # it may belong to the next gap's check too
                else:
                    inside.append(hits[k])
                k += 1
            if crossed:
                piece = self._word_matcher.find(text[gap_start:gap_end])
                inside = [(gap_start + h.start, gap_start + h.end, h.entry_id) for h in piece]
            for start, end, word_id in inside:
                word = self._words[int(word_id[1:])]
                units.append(_Unit(start, end, word.role, word.en, "", word))
        units.sort(key=lambda unit: unit.start)
        return units

    def _compounds(self, text: str, run: list[_Unit]) -> list[DerivedCompound]:
        """The compounds of one run of touching units (none, one or several)."""
        found: list[DerivedCompound] = []
        i = 0
        while i < len(run):
            # A compound starts at modifiers directly before a term; heads cannot start one.
            first_term = next((k for k in range(i, len(run)) if run[k].role == TERM), None)
            if first_term is None:
                break
            start = first_term
            while start > i and run[start - 1].role == MODIFIER:
                start -= 1
            # It runs over terms, modifiers and heads while a term or head still follows,
            # and ends at its last term or head (trailing modifiers belong to what follows).
            end = first_term
            for k in range(first_term + 1, len(run)):
                if run[k].role in (TERM, HEAD):
                    end = k
            # Two terms side by side (贫困人口 + 脱贫致富) are a compound only under a head
            # that follows them (…工程); otherwise they are usually two phrases of the
            # sentence (subject and predicate, or a noun and its complement).
            last_head = max((k for k in range(start, end + 1) if run[k].role == HEAD), default=-1)
            for k in range(start, end):
                if run[k].role == TERM and run[k + 1].role == TERM and k + 1 > last_head:
                    end = k
                    break
            parts = run[start : end + 1]
            if len(parts) > 1 and not _shares_head(text, parts, self._heads):
                found.append(self._compound(text, parts))
            i = end + 1
        return found

    def _compound(self, text: str, units: list[_Unit]) -> DerivedCompound:
        start, end = units[0].start, units[-1].end
        parts = tuple(
            Part(
                u.start,
                u.end,
                text[u.start : u.end],
                u.role,
                u.en,
                u.entry_id,
                u.word.category if u.word is not None and u.role == HEAD else "",
            )
            for u in units
        )
        written = text[start:end]
        return DerivedCompound(
            start=start,
            end=end,
            text=written,
            zh=converter("t2s").convert(written),
            en=compose_english(units),
            parts=parts,
        )


def _shares_head(
    text: str, parts: list[_Unit], heads: dict[str, frozenset[str]] | None = None
) -> bool:
    """True when the compound's head also serves a conjunct before it (产业扶贫、就业扶贫工作;
    基本医疗保障与大病保险工作): the span would be half of a coordinated phrase.

    A conjunct that already ends in a head of the same meaning (经济体制、社会保障制度, both
    "system"; 农村低保制度和特困人员救助供养制度) is a parallel noun phrase with its own head:
    the head after it is not distributed over it, so the compound stands. A conjunct ending
    in another head word (产业与就业扶贫工作: 产业 is "industries", not "work") still shares.
    ``heads``: the vocabulary's heads in Simplified script, by their English."""
    if parts[-1].role != HEAD or parts[0].start == 0:
        return False
    t2s = converter("t2s")
    # in either script: 與 is 与
    if t2s.convert(text[parts[0].start - 1]) not in _CONJUNCTIONS:
        return False
    same = (heads or {}).get(parts[-1].en, frozenset())
    longest = max(map(len, same), default=0)
    before = t2s.convert(text[max(0, parts[0].start - 1 - longest) : parts[0].start - 1])
    return not any(before.endswith(head) for head in same)


def _is_long(english: str) -> bool:
    words = english.split()
    return len(words) > _SHORT_WORDS or any(w.lower() in _PREPOSITIONS for w in words)


# A verb followed by one of these is read as a verb even when it can be a noun ("win the
# battle", not "a win").
_OBJECT_STARTS = frozenset(["the", "a", "an", "our", "their", "its", "people", "all"])


def nominal(english: str) -> str:
    """A term's English made fit to stand inside a noun phrase: a rendering that opens
    with a verb ("prevent people from falling back into poverty", "be lifted out of
    poverty") takes its -ing form ("preventing people …", "being lifted …"), so "monitoring
    of preventing people …" rather than "monitoring of prevent people …". Words that are
    also nouns stay unless an object follows ("fight against poverty" stays, "win the
    battle" becomes "winning the battle")."""
    from lemminflect import getAllLemmas, getInflection

    first, _, rest = english.partition(" ")
    lemmas = getAllLemmas(first)
    verb = lemmas.get("VERB", ()) or lemmas.get("AUX", ())
    if first.lower() != first or first not in verb:  # not a verb's base form
        return english
    if "NOUN" in lemmas and rest.split(" ", 1)[0] not in _OBJECT_STARTS:
        return english
    inflected = getInflection(first, "VBG")
    head = inflected[0] if inflected else first
    if rest.startswith("and "):  # "consolidate and expand …": both verbs
        return f"{head} and {nominal(rest[4:])}"
    return " ".join(filter(None, [head, rest]))


def compose_english(units: Iterable[_Unit]) -> str:
    """Compose the suggested English of a compound from its parts, left to right.

    Modifiers wait for the next term or head and go in front of it ("rural low-income
    population"); a term after earlier material takes that material as its complement
    ("regular assistance for rural low-income population"); a head wraps everything
    before it, in front when that is a short noun group ("poverty alleviation
    programme"), after it with its preposition when long ("mechanism for regular
    assistance for rural low-income population").
    """
    phrase = ""
    pending: list[str] = []
    previous: _Unit | None = None
    for unit in units:
        if unit.role == MODIFIER:
            pending.append(unit.en)
            continue
        if unit.role == TERM:
            own = " ".join([*pending, nominal(unit.en)])
            phrase = f"{own} for {phrase}" if phrase else own
        else:
            word = unit.word
            assert word is not None
            inner = " ".join([*pending, phrase]).strip()
            if previous is not None and previous.role == HEAD and previous.en == word.en:
                pass  # 制度 + 体系, both "system": one "system", not "system for system for X"
            elif not inner:
                phrase = word.en
            elif _is_long(inner):
                phrase = word.post.format(x=inner)
            else:
                phrase = word.pre.format(x=inner)
        pending = []
        previous = unit
    return " ".join([*pending, phrase]).strip()


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds ``[start, end)`` (for a proposal's context)."""
    ends = "。！？!?\n"
    left = max((text.rfind(mark, 0, start) for mark in ends), default=-1) + 1
    rights = [i for mark in ends if (i := text.find(mark, end)) >= 0]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip()


def queue_compounds(
    store: ProposalStore, found: Iterable[tuple[DerivedCompound, str, str]]
) -> tuple[int, int]:
    """Add each (compound, sentence, sentence id) as a ``term`` proposal unless its zh is
    already proposed (in any status): re-running never queues twice. Returns (added,
    already there)."""
    return queue_terms(store, (c.proposal(sentence, sid) for c, sentence, sid in found))
