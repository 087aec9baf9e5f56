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
from bisect import bisect_right
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


class _KeyText:
    """All keys of one kind joined into one string, so a query is a few ``str.find`` calls
    (C speed) instead of a Python loop over every key of every entry."""

    def __init__(self, keyed: list[tuple[int, str]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.rows: list[int] = []
        position = 0
        for row, key in keyed:
            self.starts.append(position)
            self.ends.append(position + len(key))
            self.rows.append(row)
            position += len(key) + 1
        # Keys hold no line breaks (search keys are letters and digits, English keys are
        # space-collapsed), so a needle found here never spans two keys.
        self.text = "\n".join(key for _, key in keyed)

    def ranks(self, needle: str) -> dict[int, int]:
        """Return the best rank of ``needle`` per row: EXACT, PREFIX or SUBSTRING."""
        found: dict[int, int] = {}
        if not needle or "\n" in needle:
            return found
        find, size = self.text.find, len(needle)
        position = find(needle)
        while position != -1:
            k = bisect_right(self.starts, position) - 1
            if position == self.starts[k]:
                rank = EXACT if position + size == self.ends[k] else PREFIX
            else:
                rank = SUBSTRING
            row = self.rows[k]
            if rank < found.get(row, SUBSTRING + 1):
                found[row] = rank
            position = find(needle, position + 1)
        return found


class TermIndex:
    """Search keys of every entry of one glossary version, built once per load."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = list(entries)
        self._by_id = {entry.id: row for row, entry in enumerate(self.entries)}
        zh_keyed: list[tuple[int, str]] = []
        en_keyed: list[tuple[int, str]] = []
        for row, entry in enumerate(self.entries):
            zh_keyed += [(row, k) for k in dict.fromkeys(map(search_key, entry.zh_forms)) if k]
            english = [entry.en, *entry.en_alternatives]
            en_keyed += [(row, k) for k in dict.fromkeys(map(english_key, english)) if k]
        self._zh = _KeyText(zh_keyed)
        self._en = _KeyText(en_keyed)

    def __len__(self) -> int:
        return len(self.entries)

    def search(
        self,
        query: str = "",
        category: str | None = None,
        status: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchPage:
        """Return one page of entries matching ``query`` (all entries when it is empty)."""
        en = english_key(query)
        if not en:
            ranks = dict.fromkeys(range(len(self.entries)), EXACT)
        else:
            ranks = self._zh.ranks(search_key(query))
            for row, rank in self._en.ranks(en).items():
                if rank < ranks.get(row, SUBSTRING + 1):
                    ranks[row] = rank
            exact_id = self._by_id.get(query.strip())
            if exact_id is not None:
                ranks[exact_id] = EXACT
        ranked = []
        for row, rank in ranks.items():
            entry = self.entries[row]
            if (category and entry.category != category) or (status and entry.status != status):
                continue
            ranked.append((rank, len(entry.zh), entry.id, entry))
        ranked.sort(key=lambda item: item[:3])
        return SearchPage([item[3] for item in ranked[offset : offset + limit]], len(ranked))
