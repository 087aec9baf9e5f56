"""Fuzzy lookup in the translation memory: scored matches, their differences, numbers.

The score is OmegaT's: ``1 - edit distance / length of the longer text``, counted in
characters (OmegaT tokenises Chinese one character per token), on the normalised Chinese
of both sides (``normalise_zh``: either script, width and case folded, spaces dropped),
so 「實現脫貧」 finds 实现脱贫 at 1.0.

Candidates come from the bigram index (``workbench.tm.index``), never from a scan: a pair
can only reach ``min_score`` if it shares enough of the query's bigrams and its length is
within ``min_score`` of the query's; the best-sharing few are scored with rapidfuzz. A
pair sharing no bigram at all is never found: only short texts can score 0.5 that way
(22 against 23), and a suggestion that shares no two characters in a row is no help.

When the only difference between the query and a match is one or more Arabic numbers,
the English gets the query's numbers in place of the match's (as OmegaT does), and the
result is kept only if the QA number check finds nothing missing that it did not already
miss in the stored pair.
"""

from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz.distance import Levenshtein

from workbench.tm import index as tm_index
from workbench.tm.store import TmPair, TranslationMemory, _from_row, normalise_zh

# How many of the best-sharing candidates are scored exactly (per requested match).
CANDIDATES_PER_MATCH = 24
MIN_CANDIDATES = 96
# Rowids read from the index per lookup at most (beyond the rarest bigram's).
POSTINGS_BUDGET = 30_000
_ORIGIN_RANK = {"annotated": 0, "imported": 1, "aligned": 2}

_ZH_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_EN_NUMBER = re.compile(
    r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?(?![\w]|[.,]\d)"
)


@dataclass(slots=True)
class Stretch:
    """One differing stretch: what the query has where the match has something else."""

    op: str  # replace | insert (only in the query) | delete (only in the match)
    query_start: int
    query_end: int
    match_start: int
    match_end: int
    query_text: str
    match_text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "op": self.op,
            "query": [self.query_start, self.query_end],
            "match": [self.match_start, self.match_end],
            "query_text": self.query_text,
            "match_text": self.match_text,
        }


@dataclass(slots=True)
class TmMatch:
    """A scored TM pair for a query, with the differences and the suggested English."""

    score: float
    pair: TmPair
    query_norm: str
    match_norm: str
    differences: list[Stretch] = field(default_factory=list)
    suggestion: str = ""  # the English to offer (numbers substituted when that applied)
    substituted: list[tuple[str, str]] = field(default_factory=list)  # (match's, query's)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``tm lookup --json``, the ML backend, the service)."""
        record = self.pair.to_dict()
        return {
            "score": round(self.score, 4),
            "id": self.pair.id,
            "zh": self.pair.zh,
            "en": self.pair.en,
            "suggestion": self.suggestion,
            "numbers_substituted": [list(s) for s in self.substituted],
            "origin": self.pair.origin,
            "status": self.pair.status,
            "provenance": {k: v for k, v in record.items() if k in _PROVENANCE_KEYS and v},
            "query_norm": self.query_norm,
            "match_norm": self.match_norm,
            "differences": [d.to_dict() for d in self.differences],
        }


_PROVENANCE_KEYS = ("publication", "url", "published", "aligner", "model", "doc_id", "source_file")


def similarity(a_norm: str, b_norm: str) -> float:
    """OmegaT-style character similarity of two normalised texts (0–1)."""
    return Levenshtein.normalized_similarity(a_norm, b_norm)


def differences(query_norm: str, match_norm: str) -> list[Stretch]:
    """Return the stretches where the two normalised texts differ (Levenshtein opcodes)."""
    stretches = []
    for op in Levenshtein.opcodes(query_norm, match_norm):
        if op.tag == "equal":
            continue
        stretches.append(
            Stretch(
                op.tag,
                op.src_start,
                op.src_end,
                op.dest_start,
                op.dest_end,
                query_norm[op.src_start : op.src_end],
                match_norm[op.dest_start : op.dest_end],
            )
        )
    return stretches


def _en_value(token: str) -> float:
    return float(token.replace(",", ""))


def substitute_numbers(
    query: str, match_zh: str, match_en: str
) -> tuple[str, list[tuple[str, str]]]:
    """Put the query's numbers into ``match_en`` when numbers are all that differ.

    Returns the English (unchanged when substitution does not apply or is unsafe) and the
    (old, new) numbers replaced. Unsafe: the match's number is not written exactly once
    in the English, or the QA number check then misses more than it did for the pair.
    """
    query_norm, match_norm = normalise_zh(query), normalise_zh(match_zh)
    q_numbers = _ZH_NUMBER.findall(query_norm)
    m_numbers = _ZH_NUMBER.findall(match_norm)
    if q_numbers == m_numbers or len(q_numbers) != len(m_numbers):
        return match_en, []
    if _ZH_NUMBER.sub("#", query_norm) != _ZH_NUMBER.sub("#", match_norm):
        return match_en, []
    en = match_en
    done: list[tuple[str, str]] = []
    for old, new in zip(m_numbers, q_numbers, strict=True):
        if old == new:
            continue
        try:
            value = _en_value(old)
        except ValueError:
            return match_en, []
        hits = [m for m in _EN_NUMBER.finditer(en) if _en_value(m.group()) == value]
        if len(hits) != 1:
            return match_en, []
        hit = hits[0]
        written = new
        if "," in hit.group() and "," not in new and "." not in new and len(new) > 3:
            written = f"{int(new):,}"
        en = en[: hit.start()] + written + en[hit.end() :]
        done.append((old, new))
    from workbench.text.numbers import missing_numbers

    if len(missing_numbers(query, en)) > len(missing_numbers(match_zh, match_en)):
        return match_en, []
    return en, done


class FuzzyMatcher:
    """Looks up a TM through its bigram index; keep one for many lookups."""

    def __init__(self, tm: TranslationMemory) -> None:
        self.tm = tm
        self.db: sqlite3.Connection = tm.db
        self._lengths: np.ndarray | None = None
        self._lengths_at = -1
        self._counts: np.ndarray | None = None

    def refresh(self) -> None:
        """Index pairs added since the index was written (another process may have)."""
        tm_index.update_index_if_stale(self.db)

    def _length_table(self) -> np.ndarray:
        at = tm_index.indexed_rowid(self.db)
        if self._lengths is None or at != self._lengths_at:
            self._lengths = tm_index.load_lengths(self.db)
            self._lengths_at = at
        return self._lengths

    def candidates(self, query_norm: str, min_score: float, wanted: int) -> np.ndarray:
        """Return rowids of the pairs worth scoring for ``query_norm`` (best-sharing first).

        Bigrams are read rarest first until ``POSTINGS_BUDGET`` rowids are read; the very
        common ones left over (in tens of thousands of pairs) say little about which pair
        is closest and would cost most of the time. A pair must still share enough of the
        bigrams read: each edit removes at most two of the query's bigrams, a pair
        scoring ``min_score`` is at most ``n / min_score`` long, and each bigram left
        unread may be one it shares.
        """
        n = len(query_norm)
        grams = tm_index.query_grams(query_norm)
        sizes = tm_index.posting_sizes(self.db, grams)
        if not sizes:
            return np.zeros(0, dtype=np.int64)
        chosen: list[int] = []
        budget = POSTINGS_BUDGET
        for gram in sorted(sizes, key=sizes.__getitem__):
            if chosen and sizes[gram] > budget:
                break
            chosen.append(gram)
            budget -= sizes[gram]
        unread = len(sizes) - len(chosen)
        lists = tm_index.postings(self.db, chosen)
        s = max(min_score, 0.01)
        most_edits = math.floor((1 - s) * n / s + 1e-9)
        need = max(1, len(grams) - 2 * most_edits - unread)
        found, shared = self._count(list(lists.values()), need)
        lengths = self._length_table()
        inside = found < len(lengths)
        found, shared = found[inside], shared[inside]
        length = lengths[found].astype(np.int64)
        fits = (length >= math.ceil(n * s - 1e-9)) & (length <= math.floor(n / s + 1e-9))
        found, length, shared = found[fits], length[fits], shared[fits]
        if len(found) > wanted:
            # Rank by shared bigrams over the larger bigram count (a Dice-like estimate),
            # the candidate's count scaled to the share of the query's bigrams read.
            share = len(chosen) / len(grams)
            expected = np.maximum(len(chosen), np.maximum(length - 1, 1) * share)
            rank = shared / expected
            found = found[np.argpartition(-rank, wanted)[:wanted]]
        return found

    def _count(self, lists: list[np.ndarray], need: int) -> tuple[np.ndarray, np.ndarray]:
        """Return the rowids in at least ``need`` of ``lists`` and how many each is in.

        One counter per pair is kept between lookups and only the touched entries are
        reset, so a lookup costs the postings it reads, not the size of the TM.
        """
        size = max(int(ids.max()) for ids in lists) + 1
        if self._counts is None or len(self._counts) < size:
            self._counts = np.zeros(max(size, 1024), dtype=np.uint16)
        counts = self._counts
        firsts = []  # each rowid once, in the first list it occurs in (no sort needed)
        for ids in lists:  # no rowid repeats within one list, so += counts each once
            firsts.append(ids[counts[ids] == 0])
            counts[ids] += 1
        union = np.concatenate(firsts)
        shared = counts[union].astype(np.int64)
        counts[union] = 0
        keep = shared >= need
        return union[keep].astype(np.int64), shared[keep]

    def lookup(self, text: str, min_score: float = 0.7, limit: int = 5) -> list[TmMatch]:
        """Return up to ``limit`` matches scoring at least ``min_score``, best first."""
        query_norm = normalise_zh(text)
        if not query_norm or limit <= 0:
            return []
        wanted = max(MIN_CANDIDATES, CANDIDATES_PER_MATCH * limit)
        rowids = self.candidates(query_norm, min_score, wanted)
        if not len(rowids):
            return []
        marks = ",".join("?" * len(rowids))
        rows = self.db.execute(
            f"SELECT rowid, zh_norm, origin, updated_at FROM pairs WHERE rowid IN ({marks}) "
            "AND en != ''",
            rowids.tolist(),
        ).fetchall()
        scored = []
        for rowid, zh_norm, origin, updated in rows:
            score = Levenshtein.normalized_similarity(query_norm, zh_norm, score_cutoff=min_score)
            if score >= min_score and score > 0:
                scored.append((-score, _ORIGIN_RANK.get(origin, 3), _neg(updated), rowid))
        scored.sort()
        best = [item[3] for item in scored[:limit]]
        if not best:
            return []
        marks = ",".join("?" * len(best))
        full = {
            r["rowid"]: r
            for r in self.db.execute(f"SELECT rowid, * FROM pairs WHERE rowid IN ({marks})", best)
        }
        matches = []
        for rowid in best:
            pair = _from_row(full[rowid])
            match_norm = full[rowid]["zh_norm"]
            en, substituted = substitute_numbers(text, pair.zh, pair.en)
            matches.append(
                TmMatch(
                    score=similarity(query_norm, match_norm),
                    pair=pair,
                    query_norm=query_norm,
                    match_norm=match_norm,
                    differences=differences(query_norm, match_norm),
                    suggestion=en,
                    substituted=substituted,
                )
            )
        return matches


def _neg(timestamp: str | None) -> str:
    """Sort key putting newer ISO timestamps first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in (timestamp or ""))


def lookup(
    tm: TranslationMemory, text: str, min_score: float = 0.7, limit: int = 5
) -> list[TmMatch]:
    """One-off lookup (see ``FuzzyMatcher.lookup``)."""
    matcher = FuzzyMatcher(tm)
    matcher.refresh()
    return matcher.lookup(text, min_score, limit)
