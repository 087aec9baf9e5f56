"""Concordance: the TM pairs containing a phrase, with the phrase marked on both sides.

A Chinese phrase (either script) is looked for in ``zh_norm``: the bigram index narrows
the pairs to those holding every bigram of the phrase (postings intersected rarest first),
then a substring test confirms. An English phrase is a case-insensitive substring of
``en`` (an SQL ``LIKE``, a scan: the index is of Chinese). A one-character Chinese phrase
has no bigram and is also found by ``LIKE``.

The phrase is marked where it occurs; on the other side, the glossary's approved
renderings (or Chinese forms, for an English query) of an entry the phrase matches are
marked too, which is what a translator checking usage wants to see.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from workbench.tm import index as tm_index
from workbench.tm.store import TmPair, TranslationMemory, _from_row, normalise_zh

_MAX_IN = 20_000  # rowids passed as SQL parameters at most (SQLite allows 32,766)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class ConcordanceLine:
    """One pair holding the phrase, with the spans to highlight on each side."""

    pair: TmPair
    zh_spans: list[tuple[int, int]] = field(default_factory=list)
    en_spans: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        record = self.pair.to_dict()
        return {
            "id": self.pair.id,
            "zh": self.pair.zh,
            "en": self.pair.en,
            "origin": self.pair.origin,
            "status": self.pair.status,
            "score": self.pair.score,
            "provenance": {
                k: v
                for k, v in record.items()
                if k in ("publication", "url", "doc_id", "source_file") and v
            },
            "zh_spans": [list(s) for s in self.zh_spans],
            "en_spans": [list(s) for s in self.en_spans],
        }


def is_chinese(query: str) -> bool:
    """Whether a query is searched on the Chinese side (it holds a CJK character)."""
    return bool(_CJK.search(query))


def zh_spans(text: str, phrase_norm: str) -> list[tuple[int, int]]:
    """Spans of ``text`` whose normalised form is ``phrase_norm`` (offsets in ``text``)."""
    if not phrase_norm:
        return []
    norm_chars: list[str] = []
    origin: list[int] = []  # normalised position -> position in text
    for at, char in enumerate(text):
        for folded in normalise_zh(char):
            norm_chars.append(folded)
            origin.append(at)
    norm = "".join(norm_chars)
    spans, start = [], norm.find(phrase_norm)
    while start >= 0:
        end = start + len(phrase_norm)
        spans.append((origin[start], origin[end - 1] + 1))
        start = norm.find(phrase_norm, end)
    return spans


def en_spans(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    """Case-insensitive occurrences of any of ``phrases`` in ``text``, sorted, no overlap."""
    found = []
    for phrase in {p.strip() for p in phrases if p and p.strip()}:
        pattern = re.compile(re.escape(phrase), re.IGNORECASE)
        found += [(m.start(), m.end()) for m in pattern.finditer(text)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _zh_rowids(tm: TranslationMemory, phrase_norm: str) -> np.ndarray | None:
    """Rowids holding every bigram of the phrase (None: the phrase has no bigram)."""
    if len(phrase_norm) < 2:
        return None
    tm_index.update_index_if_stale(tm.db)
    grams = tm_index.query_grams(phrase_norm)
    sizes = tm_index.posting_sizes(tm.db, grams)
    if len(sizes) < len(grams):
        return np.zeros(0, dtype=np.int64)
    rowids: np.ndarray | None = None
    for gram in sorted(sizes, key=sizes.__getitem__):
        ids = tm_index.postings(tm.db, [gram])[gram]
        rowids = ids if rowids is None else np.intersect1d(rowids, ids, assume_unique=True)
        if not len(rowids):
            break
    return rowids


def search(
    tm: TranslationMemory,
    query: str,
    limit: int = 20,
    offset: int = 0,
    other_side: Iterable[str] = (),
) -> tuple[int, list[ConcordanceLine]]:
    """Return (number of pairs holding ``query``, one page of them, newest first).

    ``other_side``: phrases to mark on the other side (glossary renderings or forms).
    """
    query = query.strip()
    if not query:
        return 0, []
    other = list(other_side)
    if is_chinese(query):
        phrase = normalise_zh(query)
        rowids = _zh_rowids(tm, phrase)
        if rowids is None or len(rowids) > _MAX_IN:  # no bigram, or a very common phrase
            sql, args = "zh_norm LIKE ? ESCAPE '\\'", [f"%{_escape(phrase)}%"]
        else:
            sql, args = _rowid_clause(rowids)
            sql += " AND instr(zh_norm, ?) > 0"
            args.append(phrase)
    else:
        sql, args = "en LIKE ? ESCAPE '\\'", [f"%{_escape(query)}%"]
    sql += " AND en != ''"
    total = tm.db.execute(f"SELECT COUNT(*) FROM pairs WHERE {sql}", args).fetchone()[0]
    rows = tm.db.execute(
        f"SELECT * FROM pairs WHERE {sql} ORDER BY (origin = 'annotated') DESC, rowid DESC "
        "LIMIT ? OFFSET ?",
        [*args, limit, offset],
    ).fetchall()
    lines = []
    for row in rows:
        pair = _from_row(row)
        if is_chinese(query):
            line = ConcordanceLine(pair, zh_spans(pair.zh, phrase), en_spans(pair.en, other))
        else:
            spans = [s for form in other for s in zh_spans(pair.zh, normalise_zh(form))]
            line = ConcordanceLine(pair, sorted(set(spans)), en_spans(pair.en, [query]))
        lines.append(line)
    return total, lines


def _rowid_clause(rowids: np.ndarray) -> tuple[str, list[Any]]:
    ids = rowids.tolist()
    if not ids:
        return "0", []
    return f"rowid IN ({','.join('?' * len(ids))})", ids


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def english_for(tm: TranslationMemory, sentences: Iterable[str]) -> dict[str, str]:
    """Map each sentence the TM holds exactly (normalised) to its English, best pair first."""
    found: dict[str, str] = {}
    for sentence in sentences:
        rows = tm.db.execute(
            "SELECT en FROM pairs WHERE zh_norm = ? AND en != '' "
            "ORDER BY (origin = 'annotated') DESC, (status = 'accepted') DESC, rowid DESC LIMIT 1",
            (normalise_zh(sentence),),
        ).fetchone()
        if rows:
            found[sentence] = rows[0]
    return found
