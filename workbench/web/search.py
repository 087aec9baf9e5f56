"""Term search for the lookup service: Chinese in either script, any variant, or English.

A translator types what they have in front of them: a Traditional form, a variant with
quotation marks or an enumeration comma (“两不愁、三保障”), the first characters of a
term, or an English phrase. Every Chinese form is reduced once to a *search key* (the
glossary's own ``fold`` — Traditional→Simplified, width, case — then punctuation and
spaces removed) and each query the same way, so all of these meet. Ranking is exact, then
prefix, then substring; ties go to the shorter term, then the id.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from workbench.glossary.fold import fold
from workbench.glossary.model import Entry

EXACT, PREFIX, SUBSTRING = 0, 1, 2


@cache
def _is_kept(char: str) -> bool:
    # Letters, marks and digits make a term; punctuation, symbols and spaces only decorate it.
    return unicodedata.category(char)[0] in "LMN"


def search_key(text: str) -> str:
    """Return the script-, width-, case- and punctuation-insensitive key of a zh form."""
    return "".join(char for char in fold(text) if _is_kept(char))


def english_key(text: str) -> str:
    """Return the case-insensitive, space-collapsed key of an English rendering."""
    return " ".join(text.casefold().split())


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results plus the total number of entries that matched."""

    entries: list[Entry]
    total: int


class TermIndex:
    """Search keys of every entry of one glossary version, built once per load."""

    def __init__(self, entries: list[Entry]) -> None:
        self._rows: list[tuple[Entry, tuple[str, ...], tuple[str, ...]]] = []
        for entry in entries:
            zh_keys = tuple(dict.fromkeys(k for k in map(search_key, entry.zh_forms) if k))
            en_keys = tuple(
                dict.fromkeys(k for k in map(english_key, [entry.en, *entry.en_alternatives]) if k)
            )
            self._rows.append((entry, zh_keys, en_keys))

    def __len__(self) -> int:
        return len(self._rows)

    def search(
        self,
        query: str = "",
        category: str | None = None,
        status: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchPage:
        """Return one page of entries matching ``query`` (all entries when it is empty)."""
        zh = search_key(query)
        en = english_key(query)
        ident = query.strip()
        ranked: list[tuple[int, int, str, Entry]] = []
        for entry, zh_keys, en_keys in self._rows:
            if category and entry.category != category:
                continue
            if status and entry.status != status:
                continue
            if not en:
                rank = EXACT
            else:
                rank = _rank(zh, zh_keys) if zh else None
                en_rank = _rank(en, en_keys)
                if en_rank is not None and (rank is None or en_rank < rank):
                    rank = en_rank
                if entry.id == ident:
                    rank = EXACT
                if rank is None:
                    continue
            ranked.append((rank, len(entry.zh), entry.id, entry))
        ranked.sort(key=lambda row: row[:3])
        return SearchPage([row[3] for row in ranked[offset : offset + limit]], len(ranked))


def _rank(needle: str, keys: tuple[str, ...]) -> int | None:
    best = None
    for key in keys:
        if key == needle:
            return EXACT
        if key.startswith(needle):
            best = PREFIX
        elif best is None and needle in key:
            best = SUBSTRING
    return best
