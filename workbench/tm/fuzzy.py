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
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from workbench.tm import index as tm_index
from workbench.tm.store import TmPair, TranslationMemory, _from_row, normalise_zh

# How many of the most promising candidates are scored at most (per requested match):
# the score bound stops earlier when it can; the cap bounds a lookup's time when many
# pairs share the query's common words (formulaic clauses) and none scores. On the
# benchmark's 1M TM, top-match recall was 104/104 with caps down to 20 for 5 matches.
CANDIDATES_PER_MATCH = 8
MIN_CANDIDATES = 32
# Rowids read from the index per lookup at most (beyond the rarest bigram's). On the
# benchmark's 1M TM top-match recall was 104/104 for budgets from 7,500 to 30,000
# (103/104 at 5,000); the lookup's time grows with it (merging is a sort).
POSTINGS_BUDGET = 12_000
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
    """Looks up a TM through its bigram index; keep one for many lookups.

    The decoded index lives in the TM object (``TranslationMemory.lookup_cache``), so
    every matcher of one open TM shares it and a long-lived TM reads each posting list
    from SQLite once.
    """

    def __init__(self, tm: TranslationMemory) -> None:
        self.tm = tm
        self.db: sqlite3.Connection = tm.db
        if not isinstance(tm.lookup_cache, tm_index.IndexCache):
            tm.lookup_cache = tm_index.IndexCache(tm.db)
        self.cache: tm_index.IndexCache = tm.lookup_cache

    def refresh(self) -> None:
        """Index pairs added since the index was written (another process may have)."""
        tm_index.update_index_if_stale(self.db)

    def candidates(
        self, query_norm: str, min_score: float, wanted: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return rowids of the pairs worth scoring and the best score each can reach.

        Most promising first (see the ranking below). Bigrams are read
        rarest first until ``POSTINGS_BUDGET`` rowids are read; the very common ones left
        over (in tens of thousands of pairs) say little about which pair is closest and
        would cost most of the time. The bound (the q-gram lemma): an edit removes at
        most two of the query's bigram positions, so a pair at edit distance ``d`` shares
        at least ``G - 2d`` of the query's ``G`` distinct bigrams; each bigram left
        unread may be one it shares; and ``d`` is at least the difference in length. A
        pair whose bound is below ``min_score`` cannot reach it and is dropped; the
        length filter (a pair scoring ``min_score`` is between ``n * min_score`` and
        ``n / min_score`` long) is applied to each posting list before counting.
        """
        nothing = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        cache = self.cache
        n = len(query_norm)
        grams = tm_index.query_grams(query_norm)
        sizes = cache.sizes(grams)
        if not sizes:
            return nothing
        chosen: list[int] = []
        budget = POSTINGS_BUDGET
        for gram in sorted(sizes, key=sizes.__getitem__):
            if chosen and sizes[gram] > budget:
                break
            chosen.append(gram)
            budget -= sizes[gram]
        unread = len(sizes) - len(chosen)
        s = max(min_score, 0.01)
        shortest = math.ceil(n * s - 1e-9)
        longest = min(math.floor(n / s + 1e-9), 65535)
        window = np.array((shortest, longest + 1), dtype=np.uint64) << np.uint64(32)
        parts = []
        for keys in cache.lists(chosen):
            first, last = keys.searchsorted(window)
            parts.append(keys[first:last])
        merged = np.concatenate(parts)
        if not len(merged):
            return nothing
        merged.sort()  # slices of sorted runs: each pair's occurrences end up together
        starts = np.flatnonzero(merged[1:] != merged[:-1])
        starts += 1
        shared = np.diff(starts, prepend=0, append=len(merged))
        keys = merged[np.concatenate(([0], starts))]
        length = (keys >> np.uint64(32)).astype(np.int64)
        # Fewest bigrams a pair of each length in the window must share to reach the
        # score: G - unread - 2 * (most edits a pair of that length may have).
        lengths = np.arange(shortest, longest + 1)
        most_edits = np.floor((1 - s) * np.maximum(lengths, n) + 1e-9).astype(np.int64)
        need = len(grams) - unread - 2 * most_edits
        keep = shared >= need[length - shortest]
        keys, length, shared = keys[keep], length[keep], shared[keep]
        fewest_edits = np.maximum(np.abs(length - n), (len(grams) - unread - shared + 1) // 2)
        bound = 1.0 - fewest_edits / np.maximum(length, n)
        # Scored in the order of shared bigrams over the larger bigram count (a Dice-like
        # estimate, the pair's count scaled to the share of the query's bigrams read):
        # unlike the bound, it sees the bigrams a longer pair has and the query has not.
        share = len(chosen) / len(grams)
        rank = shared / np.maximum(len(chosen), np.maximum(length - 1, 1) * share)
        if len(keys) > wanted:
            top = np.argpartition(-rank, wanted)[:wanted]
            keys, rank, bound = keys[top], rank[top], bound[top]
        order = np.lexsort((-bound, -rank))
        return (keys[order] & np.uint64(0xFFFFFFFF)).astype(np.int64), bound[order]

    def lookup(self, text: str, min_score: float = 0.7, limit: int = 5) -> list[TmMatch]:
        """Return up to ``limit`` matches scoring at least ``min_score``, best first.

        Candidates are scored most promising first, in growing batches, until no
        candidate left can reach the ``limit``-th best score found: none can enter the
        result (one whose bound equals that score may, by the tie order, so is scored).
        """
        query_norm = normalise_zh(text)
        if not query_norm or limit <= 0:
            return []
        self.cache.sync()
        wanted = max(MIN_CANDIDATES, CANDIDATES_PER_MATCH * limit)
        rowids, bounds = self.candidates(query_norm, min_score, wanted)
        # The best any candidate from here on can reach (to know when to stop).
        bounds = np.maximum.accumulate(bounds[::-1])[::-1]
        scored: list[tuple[float, int]] = []  # (-score, rowid), best first
        at, batch = 0, max(32, 2 * limit)
        while at < len(rowids):
            if len(scored) >= limit and bounds[at] < -scored[limit - 1][0] - 1e-9:
                break
            chunk = rowids[at : at + batch].tolist()
            at += batch
            batch *= 2
            rows = self.cache.texts(chunk)
            for _, score, k in process.extract(
                query_norm,
                [text for _, text in rows],
                scorer=Levenshtein.normalized_similarity,
                score_cutoff=min_score,
                limit=None,
            ):
                if score > 0:
                    scored.append((-score, rows[k][0]))
            scored.sort()
        if len(scored) > limit:  # keep the ties of the last one kept: the tie order decides
            scored = [item for item in scored if item[0] <= scored[limit - 1][0]]
        if scored:
            marks = ",".join("?" * len(scored))
            order = {
                rowid: (_ORIGIN_RANK.get(origin, 3), _neg(updated))
                for rowid, origin, updated in self.db.execute(
                    f"SELECT rowid, origin, updated_at FROM pairs WHERE rowid IN ({marks})",
                    [item[1] for item in scored],
                )
            }
            scored.sort(key=lambda item: (item[0], *order[item[1]], item[1]))
        best = [item[1] for item in scored[:limit]]
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
