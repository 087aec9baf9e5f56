"""Banded dynamic programming over many-to-many beads (the search half of the aligner).

Vecalign's insight is that a document alignment is a monotone path through a grid of zh
positions × en positions whose steps are beads (1–1, 1–2, 2–1, 2–2, 1–3, 3–1, 1–0, 0–1).
A full grid costs memory and time in the product of the lengths, so, like Vecalign, we
first align a coarse version of both documents (consecutive sentences merged into blocks),
then search the fine grid only in a band around the coarse path. The coarse pass is the
same function one level up, so each level is banded and memory grows with
``length × band`` rather than ``length²``.

The DP knows nothing about embeddings or lengths: a ``BeadScorer`` prices each bead and
knows how to make a coarser copy of itself. ``workbench.align.scoring`` has the embedding
scorer and ``workbench.align.galechurch`` the length-only baseline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np

# Bead shapes searched: (zh sentences, en sentences). 0–1 is handled within a row.
BEAD_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3))
_INSERT = len(BEAD_TYPES)  # back-pointer code of a 0–1 bead


class BeadScorer(Protocol):
    """Prices beads; lower is better. Implemented by the embedding and length scorers."""

    n: int  # zh sentences
    m: int  # en sentences
    skip_cost: float  # cost of a 1–0 or 0–1 bead

    def costs(self, a: int, b: int, i: int, js: np.ndarray) -> np.ndarray:
        """Cost of the bead covering zh ``[i-a, i)`` and en ``[j-b, j)`` for each ``j``
        in ``js`` (all with ``j >= b``)."""

    def coarsen(self, factor: int) -> BeadScorer:
        """A scorer over blocks of ``factor`` consecutive sentences on each side."""


@dataclass(frozen=True, slots=True)
class PathBead:
    """One bead of the best path: half-open sentence ranges and the bead's cost."""

    zh_start: int
    zh_end: int
    en_start: int
    en_end: int
    cost: float


def full_band(n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Band that allows every cell (for documents small enough to search whole)."""
    return np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)


def align_path(
    scorer: BeadScorer, max_full: int = 250, buffer: int = 8, coarse_factor: int = 0
) -> list[PathBead]:
    """Return the cheapest monotone bead path from (0, 0) to (n, m).

    Documents whose longer side has at most ``max_full`` sentences are searched whole;
    longer ones are first aligned at block level (blocks of ``coarse_factor`` sentences,
    chosen so the coarse level fits ``max_full``) and then searched within ``buffer``
    sentences (plus one block) of the coarse path.
    """
    n, m = scorer.n, scorer.m
    if max(n, m) <= max_full:
        lo, hi = full_band(n, m)
    else:
        factor = coarse_factor or max(2, math.ceil(max(n, m) / max_full))
        coarse = align_path(scorer.coarsen(factor), max_full, buffer)
        lo, hi = band_from_coarse(coarse, factor, n, m, buffer + factor)
    return search_band(scorer, lo, hi)


def band_from_coarse(
    coarse: list[PathBead], factor: int, n: int, m: int, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Turn a block-level path into per-row en ranges ``[lo[i], hi[i]]`` for rows 0..n."""
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for bead in coarse:
        rows = slice(bead.zh_start * factor, min(n, bead.zh_end * factor) + 1)
        first = min(m, bead.en_start * factor)
        last = min(m, bead.en_end * factor)
        lo[rows] = np.minimum(lo[rows], first)
        hi[rows] = np.maximum(hi[rows], last)
    lo = np.clip(lo - width, 0, m)
    hi = np.clip(hi + width, 0, m)
    # Monotone edges, the corners included, and every row reachable from the one before.
    lo = np.maximum.accumulate(lo)
    hi = np.minimum.accumulate(hi[::-1])[::-1]
    lo[0], hi[-1] = 0, m
    for i in range(1, n + 1):
        if lo[i] > hi[i - 1]:
            lo[i] = hi[i - 1]
        if hi[i] < lo[i]:
            hi[i] = lo[i]
    return lo, hi


def _from_row(
    row: np.ndarray, row_lo: int, cols: np.ndarray, out_of_band: float = np.inf
) -> np.ndarray:
    """Values of a stored band row at columns ``cols`` (inf where outside the band)."""
    idx = cols - row_lo
    ok = (idx >= 0) & (idx < len(row))
    values = np.full(len(cols), out_of_band)
    values[ok] = row[idx[ok]]
    return values


def search_band(scorer: BeadScorer, lo: np.ndarray, hi: np.ndarray) -> list[PathBead]:
    """Fill the DP inside the band row by row and trace the best path back."""
    n, m, skip = scorer.n, scorer.m, float(scorer.skip_cost)
    rows: list[np.ndarray] = []
    back: list[np.ndarray] = []
    step: list[np.ndarray] = []  # the cost of the bead chosen at each cell
    for i in range(n + 1):
        js = np.arange(lo[i], hi[i] + 1, dtype=np.int64)
        best = np.full(len(js), np.inf)
        choice = np.full(len(js), -1, dtype=np.int8)
        bead_cost = np.zeros(len(js))
        if i == 0:
            best[js == 0] = 0.0
        for code, (a, b) in enumerate(BEAD_TYPES):
            if a > i:
                continue
            ok = js >= b
            if not ok.any():
                continue
            cols = js[ok]
            prev = _from_row(rows[i - a], int(lo[i - a]), cols - b)
            cost = np.full(len(cols), skip * a) if b == 0 else scorer.costs(a, b, i, cols)
            total = prev + cost
            target = np.flatnonzero(ok)
            better = total < best[target]
            best[target[better]] = total[better]
            choice[target[better]] = code
            bead_cost[target[better]] = cost[better]
        # 0–1 beads chain along the row: D[j] = min(X[j], D[j-1] + skip) is a running
        # minimum of X[k] - k·skip, shifted back by j·skip.
        offsets = np.arange(len(js)) * skip
        chained = np.minimum.accumulate(best - offsets) + offsets
        inserted = chained < best - 1e-12
        choice[inserted] = _INSERT
        bead_cost[inserted] = skip
        rows.append(chained)
        back.append(choice)
        step.append(bead_cost)
    return _trace(rows, back, step, lo, n, m)


def _trace(
    rows: list[np.ndarray],
    back: list[np.ndarray],
    step: list[np.ndarray],
    lo: np.ndarray,
    n: int,
    m: int,
) -> list[PathBead]:
    if not np.isfinite(rows[n][m - lo[n]]):
        raise ValueError("no path through the band; widen it")  # cannot happen: band is connected
    beads: list[PathBead] = []
    i, j = n, m
    while i > 0 or j > 0:
        k = j - int(lo[i])
        code = int(back[i][k])
        a, b = (0, 1) if code == _INSERT else BEAD_TYPES[code]
        beads.append(PathBead(i - a, i, j - b, j, float(step[i][k])))
        i, j = i - a, j - b
    beads.reverse()
    return beads
