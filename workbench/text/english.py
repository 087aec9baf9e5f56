"""English phrase matching that follows English grammar, for the terminology check.

A glossary rendering ("lift out of poverty", "poverty-stricken county") should be found in
a translation that inflects it ("lifted", "counties"), adds or drops determiners ("the
poor population"), hyphenates or closes it differently ("poverty stricken", "healthcare"),
spells it the British or American way ("programme", "program"), or lightly reorders it
("relocation for poverty alleviation"). Each word is reduced to a set of keys: its Snowball
English stem (PyStemmer), the stem of its American spelling (breame's British/American
word lists) and the stems of its irregular noun and verb lemmas (lemminflect: "shook" →
shake, "children" → child). Two words match when their key sets meet. All three libraries
ship their data inside the package; nothing is downloaded.

Matching has two strengths. A *phrase* match finds the rendering's content words in order,
with only function words (determiners, prepositions, pronouns: ``data/english.toml``)
between them; it is what forbidden renderings need, so leniency never hides one. A *loose*
match accepts the content words in any order within one clause and with few other words
among them, for the reordering translators rightly do ("find_loose" says how few).

For a rendering found neither way, the last part of this module says what a translation
may keep of it: its core without light words (``core_rendering``), the head of a name
(``head_phrase``), most of its words with the head noun (``find_partial``), the object of
a verb phrase (``verb_object``) and a reference back to a document
(``find_generic_reference``).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import tomllib
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import Stemmer
from breame.spelling import get_american_spelling
from lemminflect import getAllLemmas

# Words of letters and digits; an apostrophe inside a word (China's) stays with it.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_STEMMER = Stemmer.Stemmer("english")
# Irregular forms are nouns and verbs in our texts ("people", "shook"); adjective lemmas
# would make "better" match "well", which no translator means.
_LEMMA_POS = ("NOUN", "VERB")


@functools.cache
def _word_lists() -> dict[str, frozenset[str]]:
    data = terminology_rules()
    return {
        "function": frozenset(data["function_words"]),
        "particles": frozenset(data["particles"]),
    }


@functools.cache
def terminology_rules() -> dict[str, Any]:
    text = resources.files("workbench.text").joinpath("data/english.toml").read_text("utf-8")
    return tomllib.loads(text)


@functools.cache
def _same_words() -> dict[str, str]:
    """Each interchangeable word mapped to its group's first word."""
    return {word: group[0] for group in terminology_rules().get("same_words", []) for word in group}


@functools.cache
def _abbreviations() -> dict[str, str]:
    return dict(terminology_rules().get("abbreviations", {}))


@functools.cache
def _same_phrases() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Each group of interchangeable phrases, every phrase as its folded words."""
    return tuple(
        tuple(tuple(t.word for t in tokenize(phrase)) for phrase in group)
        for group in terminology_rules().get("same_phrases", [])
    )


def _swap_phrases(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Return ``words`` with the first member of each phrase group it holds replaced by
    every other member (members are compared by word keys, so inflected forms count)."""
    results = [words]
    for group in _same_phrases():
        for text in list(results):
            for member in group:
                start = _find_words(text, member)
                if start is None:
                    continue
                head, tail = text[:start], text[start + len(member) :]
                results += [head + other + tail for other in group if other != member]
                break
    return results


def _find_words(words: tuple[str, ...], phrase: tuple[str, ...]) -> int | None:
    for start in range(len(words) - len(phrase) + 1):
        if all(
            not word_keys(words[start + i]).isdisjoint(word_keys(w)) for i, w in enumerate(phrase)
        ):
            return start
    return None


@functools.lru_cache(maxsize=16384)
def rendering_variants(rendering: str, expand: bool = True) -> tuple[str, ...]:
    """Return the rendering and its forms with interchangeable phrases and abbreviations
    swapped in or out (``same_phrases`` and ``abbreviations`` in ``data/english.toml``);
    with ``expand`` false, abbreviations are only swapped in (a partial match counts
    content words, and "Communist Party of China" for "CPC" would add three).

    "Central Committee of the Communist Party of China" also gives "Central Committee of
    the CPC" and the other way round, so a translation using the short form of a name
    inside a longer term ("the 19th CPC Central Committee") still carries the term;
    "areas that have shaken off poverty" also gives "areas that have been lifted out of
    poverty".
    """
    words = tuple(t.word for t in tokenize(rendering))
    variants = [rendering] + [" ".join(v) for v in _swap_phrases(words)[1:]]
    for short, long in _abbreviations().items():
        for text in list(variants):
            folded = " ".join(fold_word(w) for w in _WORD.findall(text))
            if f" {long} " in f" {folded} ":
                variants.append(f" {folded} ".replace(f" {long} ", f" {short} ").strip())
            elif expand and f" {short} " in f" {folded} ":
                variants.append(f" {folded} ".replace(f" {short} ", f" {long} ").strip())
    return tuple(dict.fromkeys(variants))


def is_function_word(word: str) -> bool:
    """Whether ``word`` (folded) is a word a rendering may lose or gain in a sentence."""
    return word in _word_lists()["function"]


def fold_word(word: str) -> str:
    """Return a word folded for comparison: NFKC, lower case, typographic apostrophe as '."""
    return unicodedata.normalize("NFKC", word).replace("’", "'").casefold()


@functools.lru_cache(maxsize=65536)
def word_keys(word: str) -> frozenset[str]:
    """Return the comparison keys of one folded word (stems of its spellings and lemmas)."""
    base = word.removesuffix("'s")
    forms = {base, get_american_spelling(base) or base}
    lemmas = getAllLemmas(base)
    for pos in _LEMMA_POS:
        forms.update(lemmas.get(pos, ()))
    same = _same_words()
    forms.update(same[form] for form in list(forms) if form in same)
    stems = set(_STEMMER.stemWords(sorted(forms)))
    # Snowball keeps the t of a Latinate -ion noun that its verb lacks (reduction → reduct,
    # reduce → reduc; consumption → consumpt): that stem also stands for the verb's.
    stems.update(s[:-1] for s in list(stems) if len(s) > 5 and s.endswith(("ct", "pt")))
    return frozenset(stems)


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: where it is, its folded form and its comparison keys."""

    start: int
    end: int
    word: str
    keys: frozenset[str]
    clause: int = 0  # which clause of the text (split at . ; : ! ?) the word is in

    @property
    def function(self) -> bool:
        return is_function_word(self.word)

    @property
    def filler(self) -> bool:
        """Whether the word may stand inside a reordered term without counting: a function
        word or a number ("lifting 10 million residents out of poverty")."""
        return self.function or self.word[:1].isdigit() or self.word in _NUMBER_WORDS


_CLAUSE_END = re.compile(r"[.;:!?。；：！？]")
_NUMBER_WORDS = frozenset(["hundred", "thousand", "million", "billion", "trillion", "plus"])


class TokenList(list[Token]):
    """The tokens of one text, with an index from comparison key to positions (built on
    first use), so a rendering is looked for only where its first word occurs."""

    _index: dict[str, list[int]] | None = None

    def positions(self, keys: frozenset[str]) -> list[int]:
        """Return the sorted positions of tokens sharing a key with ``keys``."""
        if self._index is None:
            index: dict[str, list[int]] = {}
            for position, token in enumerate(self):
                for key in token.keys:
                    index.setdefault(key, []).append(position)
            self._index = index
        found: set[int] = set()
        for key in keys:
            found.update(self._index.get(key, ()))
        return sorted(found)


def tokenize(text: str) -> TokenList:
    """Split English into words (hyphens and slashes separate them), offsets into ``text``."""
    tokens = TokenList()
    clause = 0
    previous_end = 0
    for match in _WORD.finditer(text):
        if _CLAUSE_END.search(text, previous_end, match.start()):
            clause += 1
        previous_end = match.end()
        word = fold_word(match.group(0))
        tokens.append(Token(match.start(), match.end(), word, word_keys(word), clause))
    return tokens


@dataclass(frozen=True, slots=True)
class Rendering:
    """A glossary rendering prepared for matching: its content words' keys, in order."""

    text: str
    words: tuple[str, ...]  # every folded word, function words included
    content: tuple[frozenset[str], ...]  # keys of each content word
    joined: tuple[str, ...]  # each content word and the next written closed ("healthcare")


@functools.lru_cache(maxsize=16384)
def prepare(rendering: str) -> Rendering:
    """Return the rendering's words and keys (cached: the glossary is fixed during a run)."""
    words = tuple(t.word for t in tokenize(rendering))
    content_words = [w for w in words if not is_function_word(w)] or list(words)
    content = tuple(word_keys(w) for w in content_words)
    # "health care" also matches "healthcare"
    joined = tuple(a + b for a, b in itertools.pairwise(content_words))
    return Rendering(rendering, words, content, joined)


def _same(token: Token, keys: frozenset[str]) -> bool:
    return not token.keys.isdisjoint(keys)


def find_phrase(
    rendering: str, tokens: list[Token], blocked: set[int] | frozenset[int] = frozenset()
) -> tuple[int, int] | None:
    """Return the token span [first, last] of the rendering's content words in order.

    Between two content words only function words may stand (at most two: "poverty of the
    rural population" is not "rural poverty"). A content word written closed in the text
    where the rendering has two ("healthcare" for "health care") counts as both. Tokens in
    ``blocked`` (already used by another match) are never part of a match.
    """
    prepared = prepare(rendering)
    wanted = prepared.content
    if not wanted:
        return None
    if isinstance(tokens, TokenList):  # only where it can begin
        starts: Iterable[int] = tokens.positions(wanted[0])
        if prepared.joined:
            closed = [i for i, t in enumerate(tokens) if t.word == prepared.joined[0]]
            starts = sorted({*starts, *closed})
    else:
        starts = range(len(tokens))
    for first in starts:
        if first in blocked or not _same(tokens[first], wanted[0]):
            if first not in blocked and _closed_match(tokens[first], prepared, 0):
                end = _continue(tokens, first + 1, prepared, 2, blocked)
                if end is not None:
                    return first, end
            continue
        end = _continue(tokens, first + 1, prepared, 1, blocked)
        if end is not None:
            return first, end if len(wanted) > 1 else first
    return None


def _closed_match(token: Token, prepared: Rendering, index: int) -> bool:
    return index < len(prepared.joined) and token.word == prepared.joined[index]


def _continue(
    tokens: list[Token],
    position: int,
    prepared: Rendering,
    index: int,
    blocked: set[int] | frozenset[int],
) -> int | None:
    """Match content words ``index…`` from ``position``; return the last token used."""
    wanted = prepared.content
    last = position - 1
    while index < len(wanted):
        gap = 0
        while (
            position < len(tokens)
            and tokens[position].function
            and position not in blocked
            and not _same(tokens[position], wanted[index])
        ):
            position += 1
            gap += 1
        if position >= len(tokens) or position in blocked or gap > 2:
            return None
        token = tokens[position]
        if _closed_match(token, prepared, index):
            index += 2
        elif _same(token, wanted[index]):
            index += 1
        else:
            return None
        last = position
        position += 1
    return last


def find_loose(rendering: str, tokens: list[Token]) -> tuple[int, int] | None:
    """Return the token span holding all the rendering's content words in any order.

    The words must sit in one clause, and the span may hold few other content words: one
    fewer than the rendering has, at least two — room for a noun a phrase wraps around
    ("poor residents who are to be relocated" for "relocating the poor", "areas of
    extreme poverty" for "poor areas") or the object a verb takes, but not for a list
    ("rural roads, schools and clinics were revitalized" is not "rural revitalization").
    Function words and numbers do not count. A verb with a particle ("lift out of
    poverty") may take an object of any length between them, within the clause.
    """
    prepared = prepare(rendering)
    wanted = prepared.content
    if not wanted:
        return None
    split = _phrasal_verb(rendering, tokens)
    if split is not None:
        return split
    return _clause_window(tokens, wanted, need=len(wanted))


def _clause_window(
    tokens: list[Token],
    wanted: tuple[frozenset[str], ...],
    need: int,
    head: int | None = None,
    blocked: set[int] | frozenset[int] = frozenset(),
) -> tuple[int, int] | None:
    """The first span of one clause holding ``need`` of the ``wanted`` words (the ``head``
    word among them when given), with at most ``max(2, len(wanted) - 1)`` other content
    words inside; tokens in ``blocked`` never count. Shared by ``find_loose`` (all words)
    and ``find_partial`` (most of them)."""
    size = len(wanted)
    allowed = max(2, size - 1)
    if isinstance(tokens, TokenList):
        starts: Iterable[int] = tokens.positions(frozenset().union(*wanted))
    else:
        starts = (i for i, t in enumerate(tokens) if any(_same(t, k) for k in wanted))
    for first in starts:
        if first in blocked:
            continue
        clause = tokens[first].clause
        open_words = set(range(size))
        extra = 0
        for last in range(first, len(tokens)):
            current = tokens[last]
            if current.clause != clause:
                break
            hit = None
            if last not in blocked:
                hit = next((i for i in sorted(open_words) if _same(current, wanted[i])), None)
            if hit is not None:
                open_words.discard(hit)
                if size - len(open_words) >= need and (head is None or head not in open_words):
                    return first, last
            elif not current.filler:
                extra += 1
                if extra > allowed:
                    break
    return None


def find_scattered(rendering: str, tokens: list[Token]) -> bool:
    """Whether every content word of the rendering occurs somewhere in the text.

    Only for a term whose Chinese shares its head with a list before it ("产业、教育、健康
    扶贫" is three programmes of 扶贫): translators factor the head out once ("poverty
    alleviation through industry, education and better healthcare"), so the words of
    one programme's rendering stand apart across the sentence.
    """
    wanted = prepare(rendering).content
    return bool(wanted) and all(any(_same(t, keys) for t in tokens) for keys in wanted)


def _phrasal_verb(rendering: str, tokens: list[Token]) -> tuple[int, int] | None:
    """Find "<verb> … <particle> <rest>" for a rendering "<verb> <particle> <rest>"."""
    words = [w for w in prepare(rendering).words if not is_function_word(w)]
    if len(words) < 2 or words[1] not in _word_lists()["particles"]:
        return None
    tail = find_phrase(" ".join(words[1:]), tokens)
    if tail is None:
        return None
    verb = word_keys(words[0])
    clause = tokens[tail[0]].clause
    for position in range(tail[0] - 1, -1, -1):
        if tokens[position].clause != clause:
            break
        if not tokens[position].keys.isdisjoint(verb):
            return position, tail[1]
    return None


def closest_stretch(renderings: list[str], text: str, tokens: list[Token]) -> str | None:
    """Return the stretch of ``text`` that comes closest to any of the renderings.

    For a missing term this is what the translator probably wrote instead ("emerged from
    poverty" where "shake off poverty" was expected). Each word the translation shares
    with a rendering anchors a window laid out as the rendering is around that word
    ("poverty" last, so the two words before it), kept within the clause; the window
    sharing the most content words wins, ties going to the one whose letters are most
    alike. None when the translation shares no content word with any rendering.
    """
    best: tuple[int, float, Token, Token] | None = None
    for rendering in renderings:
        prepared = prepare(rendering)
        words = list(prepared.words)
        target = " ".join(words)
        for anchor, token in enumerate(tokens):
            for index, word in enumerate(words):
                if is_function_word(word) or token.keys.isdisjoint(word_keys(word)):
                    continue
                first = max(0, anchor - index)
                last = min(len(tokens), anchor + len(words) - index) - 1
                # Also one word longer on either side: a hyphenated word counts as two.
                for low, high in ((first, last), (first - 1, last), (first, last + 1)):
                    window = _trim(tokens, max(0, low), min(len(tokens) - 1, high), anchor)
                    shared = sum(any(_same(t, k) for t in window) for k in prepared.content)
                    likeness = letter_likeness(target, " ".join(t.word for t in window))
                    candidate = (shared, likeness, window[0], window[-1])
                    if best is None or candidate[:2] > best[:2]:
                        best = candidate
    if best is None:
        return None
    return text[best[2].start : best[3].end]


def _trim(tokens: list[Token], first: int, last: int, anchor: int) -> list[Token]:
    """The tokens first..last kept to the anchor's clause, without function words at
    either end."""
    clause = tokens[anchor].clause
    while first < anchor and (tokens[first].clause != clause or tokens[first].function):
        first += 1
    while last > anchor and (tokens[last].clause != clause or tokens[last].function):
        last -= 1
    return tokens[first : last + 1]


def letter_likeness(first: str, second: str) -> float:
    """Dice coefficient of the two strings' letter bigrams (0 to 1): cheap and enough to
    prefer "shake off poverty" over "poverty line" as near "shook off poverty"."""
    a = {first[i : i + 2] for i in range(len(first) - 1)}
    b = {second[i : i + 2] for i in range(len(second) - 1)}
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


# -- partial renderings: what official translators keep of a long term ---------------------


@functools.cache
def _coverage() -> dict[str, Any]:
    return dict(terminology_rules().get("coverage", {}))


@functools.cache
def _light_words() -> tuple[frozenset[str], frozenset[str]]:
    """The administrative units a name may lose, and the generic heads a term may lose."""
    rules = _coverage()
    return frozenset(rules.get("after_name", ())), frozenset(rules.get("generic_heads", ()))


@functools.cache
def _head_prepositions() -> frozenset[str]:
    return frozenset(_coverage().get("head_prepositions", ()))


@functools.lru_cache(maxsize=16384)
def core_rendering(rendering: str) -> str | None:
    """Return the rendering without its light words, or None when it has none to lose.

    Light words (``[coverage]`` in ``data/english.toml``) are an administrative unit right
    after a name ("Guizhou province" → "Guizhou"; not "poverty-stricken county") and a
    generic head ending a rendering of three content words or more (制度, 机制, 工作: "system",
    "mechanism", "work"), which English leaves implicit when the sentence already says it
    ("the eco-compensation mechanism" becomes "ecological compensation").
    """
    after_name, generic_heads = _light_words()
    words = _WORD.findall(rendering)
    kept = [
        w
        for i, w in enumerate(words)
        if not (i > 0 and words[i - 1][:1].isupper() and fold_word(w) in after_name)
    ]
    content = [w for w in kept if not is_function_word(fold_word(w))]
    if len(content) >= 3 and fold_word(kept[-1]) in generic_heads:
        kept = kept[:-1]
    if len(kept) == len(words):
        return None
    return " ".join(kept)


@functools.cache
def _name_heads() -> frozenset[str]:
    return frozenset(_coverage().get("name_heads", ()))


def find_name_core(
    rendering: str, text: str, tokens: list[Token], blocked: Collection[int] = ()
) -> tuple[int, int] | None:
    """Return the span of a proper name standing without the head noun its rendering ends
    with (``[coverage] name_heads``), or None; tokens in ``blocked`` are skipped.

    一带一路 is the "Belt and Road Initiative" as a programme, but the name alone inside
    another name or as the thing itself ("the Belt and Road Forum for International
    Cooperation", "build the Belt and Road"). Only a name counts: the rest of the rendering
    must be two capitalised content words or more, and the translation must show them as
    a phrase (in order, only function words between), capitalised too, so the scattered
    words of "the Silk Road Economic Belt" or a common "global development" are no match.
    """
    words = _WORD.findall(rendering)
    if len(words) < 3 or fold_word(words[-1]) not in _name_heads():
        return None
    rest = words[:-1]
    content = [w for w in rest if not is_function_word(fold_word(w))]
    if len(content) < 2 or not all(w[:1].isupper() for w in content):
        return None
    name = " ".join(rest)
    skipped = set(blocked)
    span = find_phrase(name, tokens, skipped)
    while span is not None:
        first, last = span
        if all(
            text[tokens[i].start : tokens[i].start + 1].isupper()
            for i in range(first, last + 1)
            if not is_function_word(tokens[i].word)
        ):
            return span
        skipped.update(range(first, last + 1))
        span = find_phrase(name, tokens, skipped)
    return None


@functools.cache
def _scope_phrases() -> tuple[tuple[str, ...], ...]:
    """The scope phrases, longest first, each as its folded words."""
    phrases = [
        tuple(fold_word(w) for w in _WORD.findall(p)) for p in _coverage().get("scope_phrases", ())
    ]
    return tuple(sorted(phrases, key=len, reverse=True))


@functools.lru_cache(maxsize=16384)
def without_scope(rendering: str) -> str | None:
    """Return the rendering without the scope phrase that ends it ("rural revitalization"
    of "rural revitalization across the board", "common prosperity" of "common prosperity
    for everyone"), or None when it ends in none or nothing of two content words remains.
    ``[coverage] scope_phrases`` in ``data/english.toml`` lists them."""
    words = tuple(fold_word(w) for w in _WORD.findall(rendering))
    for phrase in _scope_phrases():
        if len(words) > len(phrase) and words[-len(phrase) :] == phrase:
            rest = words[: -len(phrase)]
            if sum(not is_function_word(w) for w in rest) >= 2:
                return " ".join(rest)
            return None
    return None


def head_phrase(rendering: str, min_words: int = 2) -> str | None:
    """Return the name before the rendering's first preposition when a modifier follows:
    "Political Bureau" of "Political Bureau of the CPC Central Committee". The head must be
    a name (its content words capitalised, ``min_words`` or more; one is enough for a
    title: "Premier" of "Premier of the State Council", as in "Premier Li"): a lower-case
    head is usually the generic part ("poverty alleviation" of "poverty alleviation in
    healthcare"). None otherwise."""
    words = _WORD.findall(rendering)
    prepositions = _head_prepositions()
    cut = next((i for i, w in enumerate(words) if i > 0 and fold_word(w) in prepositions), None)
    if cut is None:
        return None
    head = [w for w in words[:cut] if not is_function_word(fold_word(w))]
    tail = [w for w in words[cut:] if not is_function_word(fold_word(w))]
    if len(head) < min_words or not tail or not all(w[:1].isupper() for w in head):
        return None
    return " ".join(words[:cut])


_DETERMINERS = frozenset(["the", "a", "an", "our", "its", "their", "all"])


@functools.lru_cache(maxsize=16384)
def verb_object(rendering: str) -> str | None:
    """Return the object of a rendering that is a verb phrase ("absolute poverty" of
    "eliminate absolute poverty", "battle against poverty" of "win the battle against
    poverty"), None for any other rendering. Translators fit the verb to the sentence
    ("eradicated", "the fight … was won", "victory in the battle"); the object names the
    term. A verb phrase starts with a base-form verb that is no noun ("eliminate",
    "ensure") or with a verb followed by a determiner ("win the", "build a"); "key
    counties" and "targeted poverty alleviation" are noun phrases. The object must have
    two content words or more: one ("poverty") names nothing in particular."""
    words = [fold_word(w) for w in _WORD.findall(rendering)]
    if len(words) < 3 or is_function_word(words[0]) or words[1] in ("and", "or"):
        return None
    lemmas = getAllLemmas(words[0])
    if words[0] not in lemmas.get("VERB", ()):
        return None
    if "NOUN" in lemmas and words[1] not in _DETERMINERS:
        return None
    rest = words[1:]
    while rest and is_function_word(rest[0]):
        rest = rest[1:]
    if sum(not is_function_word(w) for w in rest) < 2 or rest[0] in _word_lists()["particles"]:
        return None
    return " ".join(rest)


def _head_index(prepared: Rendering) -> int | None:
    """Index (among the content words) of the rendering's head noun: the last content word
    before its first preposition, or its last content word, passing over a participle that
    follows the noun ("counties designated for …"); None for a list or clause ("keep our
    skies blue, our waters clear …"), which has no single head."""
    if "and" in prepared.words or "," in prepared.text:
        return None
    prepositions = _head_prepositions()
    before: list[str] = []  # content words before the first preposition
    for word in prepared.words:
        if word in prepositions and before:
            break
        if not is_function_word(word):
            before.append(word)
    if not before:
        return None
    index = len(before) - 1
    while index > 0 and before[index].endswith(("ed", "ing")):
        index -= 1
    return index


def find_partial(
    rendering: str, tokens: list[Token], blocked: set[int] | frozenset[int] = frozenset()
) -> tuple[int, int] | None:
    """Return the token span of a clause holding most of a long rendering's content words.

    For renderings of four content words or more: at least ``[coverage] min_share`` of
    them (rounded up, and at least three) in one clause, with as few other content words
    among them as ``find_loose`` allows, and always the head noun ("key counties receiving
    national assistance for rural revitalization" for "national-level key counties
    designated for rural revitalization"). Shorter renderings are left alone: two words of
    three are often only the generic part ("poverty alleviation" of "targeted poverty
    alleviation"). What this finds is a rendering that kept the term's core and lost or
    changed a modifier: evidence the term is there, not proof the approved words are.
    Tokens in ``blocked`` (English of other terms) are never counted.
    """
    prepared = prepare(rendering)
    wanted = prepared.content
    size = len(wanted)
    if size < 4:
        return None
    need = max(3, math.ceil(float(_coverage().get("min_share", 0.75)) * size - 1e-9))
    head = _head_index(prepared)
    return _clause_window(tokens, wanted, need, head=head, blocked=blocked)


def find_generic_reference(
    nouns: Iterable[str],
    tokens: list[Token],
    blocked: Collection[int] = frozenset(),
    not_before: Collection[str] = frozenset(),
) -> tuple[int, int] | None:
    """Return the span of a definite generic reference ("the document", "the report") to a
    document the sentence names: a determiner or possessive right before one of ``nouns``.
    News translations name a document once and then refer to it so. Tokens in ``blocked``
    are never part of it. A noun followed by a word of ``not_before`` does not count ("the
    ministry" refers back, "the Ministry of Finance" begins another name)."""
    keys = [word_keys(fold_word(n)) for n in nouns]
    for position in range(1, len(tokens)):
        token = tokens[position]
        if position in blocked or position - 1 in blocked:
            continue
        if not_before and position + 1 < len(tokens) and tokens[position + 1].word in not_before:
            continue
        if tokens[position - 1].word in _DEFINITE and any(_same(token, k) for k in keys):
            return position - 1, position
    return None


_DEFINITE = frozenset(["the", "this", "its", "his", "her", "their", "that"])


def rendering_word_counts(renderings: Iterable[Iterable[str]]) -> dict[str, int]:
    """Return, per comparison key, how many term entries use it in one of their renderings.

    ``renderings`` holds one iterable of renderings per entry. A key many entries share
    ("poverty", "rural", "development") names the domain, not the term; a key few entries
    use ("relocation", "census", "COVID-19") is what tells one term from another
    (``find_distinctive``).
    """
    counts: dict[str, int] = {"": 0}  # "" (never a key): the number of entries
    for entry_renderings in renderings:
        counts[""] += 1
        keys: set[str] = set()
        for rendering in entry_renderings:
            for word_key_set in prepare(rendering).content:
                keys.update(word_key_set)
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    return counts


def _commonness(keys: frozenset[str], counts: dict[str, int]) -> int:
    return min((counts.get(k, 0) for k in keys), default=0)


def find_distinctive(
    rendering: str,
    tokens: list[Token],
    counts: dict[str, int],
    blocked: set[int] | frozenset[int] = frozenset(),
) -> tuple[int, int] | None:
    """Return the span of a clause that keeps the rendering's distinctive word.

    Translators who do not write a rendering whole keep the word that says which thing it
    is and drop or change the words the whole domain shares: "relocation" for "poverty
    alleviation relocation", "the severe epidemic" for "COVID-19 epidemic", "million urban
    jobs" for "new urban jobs". The distinctive word is the rendering's content word that
    the fewest glossary entries use (``counts``, from ``rendering_word_counts``), if few
    enough do (``[coverage] distinctive_max_share`` of all entries, in a glossary of at
    least ``distinctive_min_entries``) and it is neither a name (capitalised in the
    rendering) nor a generic head
    ("system", "mechanism"). A rendering of two or three content words needs that word
    alone; a longer one needs half of its content words (rounded up) in one clause, that
    word among them. Single-word renderings have nothing to keep. What this finds is
    evidence the term is there in other words (a non-standard finding), not proof.
    Tokens in ``blocked`` (English of the sentence's other terms) never count.
    """
    prepared = prepare(rendering)
    wanted = prepared.content
    size = len(wanted)
    if size < 2:
        return None
    coverage = _coverage()
    entries = counts.get("", 0)
    # a small glossary cannot tell the words its domain shares from the rare ones: in a
    # glossary of a dozen entries every word is "rare"
    if entries < int(coverage.get("distinctive_min_entries", 0)):
        return None
    limit = max(1.0, float(coverage.get("distinctive_max_share", 0.0)) * entries)
    generic = frozenset(word_keys(w) for w in coverage.get("generic_heads", ()))
    # A capitalised word of the rendering names something else the sentence may well name
    # on its own (the CPPCC of "CPPCC members", Xi Jinping of "General Secretary Xi
    # Jinping"): it is never the distinctive word.
    words = [w for w in _WORD.findall(rendering) if not is_function_word(fold_word(w))]
    names = [len(words) == size and w[:1].isupper() for w in words] or [False] * size
    common = [
        math.inf if names[i] or keys in generic else _commonness(keys, counts)
        for i, keys in enumerate(wanted)
    ]
    rarest = min(common)
    if rarest > limit:
        return None
    need = 1 if size <= 3 else math.ceil(size / 2)
    for index in range(size):
        if common[index] != rarest:
            continue
        span = _clause_window(tokens, wanted, need, head=index, blocked=blocked)
        if span is not None:
            return span
    return None


@functools.cache
def _near_words() -> dict[str, tuple[str, ...]]:
    """Each word of a ``[coverage] near_words`` group, mapped to the other words of it."""
    near: dict[str, tuple[str, ...]] = {}
    for group in _coverage().get("near_words", ()):
        for word in group:
            near[word] = tuple(w for w in group if w != word)
    return near


@functools.lru_cache(maxsize=16384)
def near_renderings(rendering: str) -> tuple[str, ...]:
    """Return the rendering with its head noun swapped for each near word of its group
    (``[coverage] near_words``: "rural residents" for "rural population", "plenary meeting"
    for "plenary session"). Translators pick among such nouns to fit the sentence; a
    rendering found so is the term in other words (a non-standard finding), never an
    accepted one, and forbidden renderings are never varied."""
    words = _WORD.findall(rendering)
    content = [i for i, w in enumerate(words) if not is_function_word(fold_word(w))]
    if len(content) < 2:
        return ()
    index = _head_index(prepare(rendering))
    if index is None:
        return ()
    position = content[index]
    swaps = _near_words().get(fold_word(words[position]), ())
    return tuple(" ".join([*words[:position], s, *words[position + 1 :]]) for s in swaps)
