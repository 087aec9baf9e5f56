"""Gale–Church (1993): the length-only baseline the embedding aligner is measured against.

Each bead costs ``-log P(shape) - log P(length difference | match)``, the difference being
``(l_en - c·l_zh) / sqrt(l_zh · s²)`` with ``c`` the document's en/zh character ratio
(Gale and Church used c = 1 for related European languages; zh→en needs the real ratio) and
``s² = 6.8``. It runs on the same banded search as our aligner, so the benchmark compares
costs, not search strategies.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from workbench.align.dp import BEAD_TYPES, COARSE_BEAD_TYPES

# Prior probabilities of bead shapes, from Gale & Church's hand-aligned data.
PRIORS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2,
          (1, 2): 0.089 / 2, (2, 2): 0.011, (3, 1): 0.001, (1, 3): 0.001,
          # Shapes Gale–Church did not search; rarer than 3–1 in our gold set.
          (2, 3): 0.0005, (3, 2): 0.0005, (1, 4): 0.0005, (4, 1): 0.0005}  # fmt: skip
VARIANCE = 6.8


def _norm_sf(x: np.ndarray) -> np.ndarray:
    """Two-sided tail probability 2·(1 - Φ(|x|)), vectorised.

    Abramowitz & Stegun 26.2.17 (absolute error below 7.5e-8), the approximation Gale and
    Church's own program used; ``math.erfc`` per cell would be a Python call per bead.
    """
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.2316419 * z)
    poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978
            + t * 1.330274429))))  # fmt: skip
    return 2.0 * np.exp(-z * z / 2) / math.sqrt(2 * math.pi) * poly


class GaleChurchScorer:
    """Bead costs from character lengths only."""

    def __init__(
        self, zh_lengths: Sequence[float] | np.ndarray, en_lengths: Sequence[float] | np.ndarray
    ) -> None:
        self.zh = np.asarray(zh_lengths, dtype=np.float64)
        self.en = np.asarray(en_lengths, dtype=np.float64)
        self.n, self.m = len(self.zh), len(self.en)
        self.ratio = float(self.en.sum() / self.zh.sum()) if self.zh.sum() else 3.0
        self.skip_cost = -math.log(PRIORS[(1, 0)])
        self.bead_types = BEAD_TYPES
        self._zc = np.concatenate([[0.0], np.cumsum(self.zh)])
        self._ec = np.concatenate([[0.0], np.cumsum(self.en)])

    def costs(self, a: int, b: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        lz = self._zc[i] - self._zc[i - a]
        le = self._ec[j] - self._ec[j - b]
        mean = (lz + le / self.ratio) / 2  # Gale–Church use the mean of both lengths
        delta = (le / self.ratio - lz) / np.sqrt(np.maximum(mean, 1.0) * VARIANCE)
        p = np.maximum(_norm_sf(delta), 1e-12)
        return -math.log(PRIORS[(a, b)]) - np.log(p)

    def coarsen(self, zh_starts: np.ndarray, en_starts: np.ndarray) -> GaleChurchScorer:
        def blocks(lengths: np.ndarray, starts: np.ndarray) -> np.ndarray:
            return np.add.reduceat(lengths, starts) if len(lengths) else lengths

        coarse = GaleChurchScorer(blocks(self.zh, zh_starts), blocks(self.en, en_starts))
        coarse.bead_types = COARSE_BEAD_TYPES
        return coarse
