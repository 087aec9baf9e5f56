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

from dataclasses import dataclass
from typing import Protocol

import numpy as np

# Bead shapes searched: (zh sentences, en sentences). 0–1 is handled within a row.
# Every shape that occurs in the gold set's official translations (2–3, 3–2 and 1–4 do).
BEAD_TYPES: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 0), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3), (2, 3), (3, 2), (1, 4), (4, 1),
)  # fmt: skip
# At coarse levels both sides are cut into the same number of blocks, so the path stays
# near the diagonal; big merges there would let it jump over whole passages that look
# alike (a repeated section), which the fine band could not undo.
COARSE_BEAD_TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (2, 1), (1, 2), (2, 2))
_INSERT = 127  # back-pointer code of a 0–1 bead


class BeadScorer(Protocol):
    """Prices beads; lower is better. Implemented by the embedding and length scorers."""

    n: int  # zh sentences
    m: int  # en sentences
    skip_cost: float  # cost of a 1–0 or 0–1 bead
    bead_types: tuple[tuple[int, int], ...]  # shapes searched (BEAD_TYPES or the coarse set)

    def costs(self, a: int, b: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Cost of the beads covering zh ``[i-a, i)`` and en ``[j-b, j)`` for each pair of
        bead ends ``(i[k], j[k])`` (all with ``i >= a`` and ``j >= b``, ``b >= 1``)."""

    def coarsen(self, zh_starts: np.ndarray, en_starts: np.ndarray) -> BeadScorer:
        """A scorer whose units are blocks of consecutive sentences, block ``k`` of a side
        starting at sentence ``starts[k]``."""


def skip_costs(scorer: BeadScorer) -> tuple[np.ndarray, np.ndarray]:
    """Cost of leaving each zh and each en sentence unaligned (a 1–0 / 0–1 bead).

    A scorer may price deletions per sentence (``sentence_skip_costs()``: leaving out a
    two-word salutation is a smaller loss than leaving out a paragraph-long sentence, as
    in Gale–Church, where a deletion's cost grows with its length); otherwise every
    sentence costs ``skip_cost``.
    """
    per_sentence = getattr(scorer, "sentence_skip_costs", None)
    if per_sentence is not None:
        zh, en = per_sentence()
        return np.asarray(zh, dtype=np.float64), np.asarray(en, dtype=np.float64)
    return np.full(scorer.n, float(scorer.skip_cost)), np.full(scorer.m, float(scorer.skip_cost))


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


COARSE_FACTOR = 4  # sentences per block, per level of coarsening


def align_path(
    scorer: BeadScorer, max_full: int = 250, buffer: int = 8, factor: int = COARSE_FACTOR
) -> list[PathBead]:
    """Return the cheapest monotone bead path from (0, 0) to (n, m).

    Documents whose longer side has at most ``max_full`` sentences are searched whole.
    Longer ones are first aligned at a coarser level (recursively, each level about
    ``factor`` times shorter) and then searched within ``buffer`` sentences plus one block
    of the coarse path. Both sides are cut into the *same number* of blocks, so blocks
    cover about the same stretch of content and the coarse path stays near its diagonal
    (equal-size blocks would drift apart when one side has more, shorter sentences, and the
    coarse search would absorb the drift in long runs of skipped blocks). The band's width
    does not depend on the length, so time and memory grow linearly with it.
    """
    n, m = scorer.n, scorer.m
    if max(n, m) <= max_full:
        lo, hi = full_band(n, m)
    else:
        blocks = -(-max(n, m) // factor)
        zh_starts = block_starts(n, blocks)
        en_starts = block_starts(m, blocks)
        coarse = align_path(scorer.coarsen(zh_starts, en_starts), max_full, buffer, factor)
        lo, hi = band_from_coarse(coarse, zh_starts, en_starts, n, m, buffer + factor)
    return search_band(scorer, lo, hi)


def block_starts(count: int, blocks: int) -> np.ndarray:
    """Start indices of ``blocks`` near-equal blocks of ``count`` items (fewer if
    ``count < blocks``: no block is empty)."""
    return np.unique((np.arange(blocks) * count) // blocks).astype(np.int64)


def band_from_coarse(
    coarse: list[PathBead],
    zh_starts: np.ndarray,
    en_starts: np.ndarray,
    n: int,
    m: int,
    width: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Turn a block-level path into per-row en ranges ``[lo[i], hi[i]]`` for rows 0..n."""
    zh_bounds = np.append(zh_starts, n)
    en_bounds = np.append(en_starts, m)
    lo: np.ndarray = np.full(n + 1, m, dtype=np.int64)
    hi: np.ndarray = np.zeros(n + 1, dtype=np.int64)
    for bead in coarse:
        rows = slice(int(zh_bounds[bead.zh_start]), int(zh_bounds[bead.zh_end]) + 1)
        first = int(en_bounds[bead.en_start])
        last = int(en_bounds[bead.en_end])
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


_CHUNK_CELLS = 8192  # band cells priced per scorer call (bounds the gathered vectors)


def bead_costs(scorer: BeadScorer, lo: np.ndarray, hi: np.ndarray, width: int) -> list[np.ndarray]:
    """Price every bead type at every band cell: ``costs[t][i, k]`` is the cost of the
    bead of type ``t`` ending at zh ``i``, en ``lo[i] + k`` (inf outside the band)."""
    n = len(lo) - 1
    prepare = getattr(scorer, "prepare_band", None)
    if prepare is not None:  # per-band tables a scorer shares between bead shapes
        prepare(lo, hi)
    rows_per_chunk = max(1, _CHUNK_CELLS // width)
    ks = np.arange(width)
    zh_skip = np.concatenate([[0.0], np.cumsum(skip_costs(scorer)[0])])
    out = []
    for a, b in scorer.bead_types:
        table = np.full((n + 1, width), np.inf)
        for first in range(a, n + 1, rows_per_chunk):
            rows = np.arange(first, min(n + 1, first + rows_per_chunk))
            js = lo[rows, None] + ks[None, :]
            ok = (js <= hi[rows, None]) & (js >= b)
            r_idx, k_idx = np.nonzero(ok)
            if not len(r_idx):
                continue
            i_flat, j_flat = rows[r_idx], js[r_idx, k_idx]
            if b == 0:
                values = zh_skip[i_flat] - zh_skip[i_flat - a]
            else:
                values = scorer.costs(a, b, i_flat, j_flat)
            table[i_flat, k_idx] = values
        out.append(table)
    return out


def search_band(scorer: BeadScorer, lo: np.ndarray, hi: np.ndarray) -> list[PathBead]:
    """Fill the DP inside the band row by row and trace the best path back.

    Rows are stored at a fixed width with row ``i`` starting at en position ``lo[i]``, so
    the cell a bead comes from is a constant shift of the row before: each row is a few
    slice operations per bead type, whatever its width.
    """
    n, m = scorer.n, scorer.m
    widths = (hi - lo + 1).astype(np.int64)
    width = int(widths.max())
    costs = bead_costs(scorer, lo, hi, width)
    total = np.full((n + 1, width), np.inf)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    en_skip = skip_costs(scorer)[1]
    # Cumulative cost of skipping en sentences 0..j-1, padded past the end of the side.
    en_cum = np.concatenate([[0.0], np.cumsum(en_skip), np.zeros(width)])
    en_cum[m + 1 :] = en_cum[m]
    ks = np.arange(width)
    for i in range(n + 1):
        best = np.full(width, np.inf)
        choice = back[i]
        if i == 0:
            best[0 - lo[0]] = 0.0
        for code, (a, b) in enumerate(scorer.bead_types):
            if a > i:
                continue
            shift = int(lo[i] - lo[i - a]) - b  # column k of row i comes from k + shift
            k0, k1 = max(0, -shift), min(width, width - shift)
            if k0 >= k1:
                continue
            candidate = total[i - a, k0 + shift : k1 + shift] + costs[code][i, k0:k1]
            segment = best[k0:k1]
            better = candidate < segment
            segment[better] = candidate[better]
            choice[k0:k1][better] = code
        # 0–1 beads chain along the row: D[k] = min(X[k], D[k-1] + skip[k]) is a running
        # minimum of X[k] - S[k], shifted back by S[k] (S: cumulative en skip costs).
        offsets = en_cum[lo[i] + ks]
        chained = np.minimum.accumulate(best - offsets) + offsets
        chained[widths[i] :] = np.inf
        choice[chained < best - 1e-12] = _INSERT
        total[i] = chained
    return _trace(total, back, costs, en_skip, lo, n, m, scorer.bead_types)


def _trace(
    total: np.ndarray,
    back: np.ndarray,
    costs: list[np.ndarray],
    en_skip: np.ndarray,
    lo: np.ndarray,
    n: int,
    m: int,
    types: tuple[tuple[int, int], ...],
) -> list[PathBead]:
    if not np.isfinite(total[n, m - lo[n]]):
        raise ValueError("no path through the band; widen it")  # cannot happen: band is connected
    beads: list[PathBead] = []
    i, j = n, m
    while i > 0 or j > 0:
        k = j - int(lo[i])
        code = int(back[i, k])
        if code == _INSERT:
            a, b, cost = 0, 1, float(en_skip[j - 1])
        else:
            a, b = types[code]
            cost = float(costs[code][i, k])
        beads.append(PathBead(i - a, i, j - b, j, cost))
        i, j = i - a, j - b
    beads.reverse()
    return beads
