"""The aligner's search and scoring without a model: banded DP, Gale–Church, bead F1."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.align.dp import (
    BEAD_TYPES,
    COARSE_BEAD_TYPES,
    align_path,
    band_from_coarse,
    full_band,
    search_band,
)
from workbench.align.evaluate import score_alignments
from workbench.align.galechurch import GaleChurchScorer
from workbench.align.scoring import number_mask, significant_digits

SHAPES = [(1, 1)] * 8 + [(2, 1), (1, 2), (1, 0), (0, 1), (2, 2), (3, 1), (1, 3), (2, 3), (1, 4)]


@st.composite
def gold_alignments(draw, max_beads: int = 400):
    """A random partition of two documents into beads of the searched shapes."""
    shapes = draw(st.lists(st.sampled_from(SHAPES), min_size=1, max_size=max_beads))
    beads, i, j = [], 0, 0
    for a, b in shapes:
        beads.append((list(range(i, i + a)), list(range(j, j + b))))
        i, j = i + a, j + b
    return beads, i, j


class OracleScorer:
    """Prices a bead 0 when it is in the gold and 1 per sentence otherwise: the best path
    is the gold, so any search that misses it has cut it out of its band."""

    def __init__(self, beads, n: int, m: int) -> None:
        self.n, self.m = n, m
        self.gold = {(z[0] if z else None, len(z), e[0] if e else None, len(e)) for z, e in beads}
        self.zh_end = {z[-1] + 1: (z, e) for z, e in beads if z}
        self.skip_cost = 0.6
        self.bead_types = BEAD_TYPES

    def costs(self, a, b, i, j):
        out = np.full(len(j), float(a + b))
        for k, (row, col) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
            zh, en = self.zh_end.get(row, (None, None))
            if zh is not None and len(zh) == a and len(en) == b and en and col == en[-1] + 1:
                out[k] = 0.0
        return out

    def coarsen(self, zh_starts, en_starts):
        return BlockScorer(self, zh_starts, en_starts)


class BlockScorer:
    """Coarse version of the oracle: a block bead is cheap when the gold path crosses it."""

    def __init__(self, oracle: OracleScorer, zh_starts, en_starts) -> None:
        self.n, self.m = len(zh_starts), len(en_starts)
        self.skip_cost = 0.6
        self.bead_types = COARSE_BEAD_TYPES
        points = [(0, 0)]  # the gold path's corners (zh position, en position)
        for zh_end, (_zh, en) in sorted(oracle.zh_end.items()):
            points.append((zh_end, (en[-1] + 1) if en else points[-1][1]))
        zh_pos = np.array([p[0] for p in points])
        en_pos = np.array([p[1] for p in points])
        zh_bounds = np.append(zh_starts, oracle.n)
        en_bounds = np.append(en_starts, oracle.m)
        # For each coarse row, the en block where the gold path is at that zh position.
        at = en_pos[np.searchsorted(zh_pos, zh_bounds, side="right") - 1]
        self.target = np.searchsorted(en_bounds, at).astype(float)

    def costs(self, a, b, i, j):
        return np.abs(j - self.target[i]) + 0.1 * (a + b)

    def coarsen(self, zh_starts, en_starts):
        raise AssertionError("one coarse level is enough here")


def test_full_search_finds_a_known_alignment() -> None:
    beads = [([0], [0]), ([1, 2], [1]), ([3], []), ([4], [2, 3]), ([], [4]), ([5], [5])]
    scorer = OracleScorer(beads, 6, 6)
    lo, hi = full_band(6, 6)
    path = search_band(scorer, lo, hi)
    found = [(list(range(p.zh_start, p.zh_end)), list(range(p.en_start, p.en_end))) for p in path]
    assert found == beads


@settings(max_examples=40, deadline=None)
@given(gold_alignments())
def test_banded_search_recovers_the_gold_path_and_covers_every_sentence(case) -> None:
    beads, n, m = case
    scorer = OracleScorer(beads, n, m)
    path = align_path(scorer, max_full=40, buffer=4)
    found = [(list(range(p.zh_start, p.zh_end)), list(range(p.en_start, p.en_end))) for p in path]
    assert [i for z, _ in found for i in z] == list(range(n))
    assert [j for _, e in found for j in e] == list(range(m))

    # Adjacent 1–0 and 0–1 beads may come in either order at equal cost: compare the
    # two-sided beads, and the sentences left out on each side.
    def two_sided(alignment):
        return sorted((tuple(z), tuple(e)) for z, e in alignment if z and e)

    def left_out(alignment):
        return sorted((tuple(z), tuple(e)) for z, e in alignment if not (z and e))

    assert two_sided(found) == two_sided(beads)
    assert left_out(found) == left_out(beads)


def test_the_band_grows_linearly_with_document_length() -> None:
    def cells(n: int) -> int:
        coarse_factor = 10
        beads = [
            type("B", (), {"zh_start": k, "zh_end": k + 1, "en_start": k, "en_end": k + 1})
            for k in range(n // coarse_factor)
        ]
        starts = np.arange(0, n, coarse_factor)
        lo, hi = band_from_coarse(beads, starts, starts, n, n, 18)
        return int((hi - lo + 1).sum())

    small, large = cells(1000), cells(8000)
    assert large / small < 8.5  # linear (×8), where a full grid would grow ×64
    assert large < 8000 * 8000 / 50


def test_gale_church_prefers_the_length_consistent_merge() -> None:
    # zh lengths 10, 10, 20; en lengths 60, 60 (ratio 3): 2–1 then 1–1 fits best.
    scorer = GaleChurchScorer([10, 10, 20], [60, 60])
    path = align_path(scorer)
    assert [(p.zh_end - p.zh_start, p.en_end - p.en_start) for p in path] == [(2, 1), (1, 1)]


SAME_NUMBERS = [
    ("9899万", "98.99 million"),
    ("12.8万", "128,000"),
    ("832个", "All 832"),
    ("25.5万", "255,000"),
]


def test_numbers_agree_across_scripts_of_writing() -> None:
    for zh, en in SAME_NUMBERS:
        assert number_mask(zh) == number_mask(en) != 0, (zh, en)
    assert significant_digits("10,000") == "1"
    assert number_mask("第5章") == 0  # a lone digit is too common to count as evidence


@st.composite
def hypothesis_alignments(draw):
    beads, _n, _m = draw(gold_alignments(max_beads=30))
    # A hypothesis alignment: the gold with some neighbouring beads merged.
    flat_z = [i for z, _ in beads for i in z]
    flat_e = [j for _, e in beads for j in e]
    cuts = draw(st.lists(st.integers(0, max(1, len(beads))), max_size=8))
    test = []
    for k, (z, e) in enumerate(beads):
        if k in cuts and test:
            pz, pe = test.pop()
            test.append((pz + z, pe + e))
        else:
            test.append((list(z), list(e)))
    assert [i for z, _ in test for i in z] == flat_z and [j for _, e in test for j in e] == flat_e
    return beads, test


@settings(max_examples=60, deadline=None)
@given(st.lists(hypothesis_alignments(), min_size=1, max_size=3))
def test_bead_f1_matches_the_vecalign_reference_implementation(cases) -> None:
    from sentalign.score import score_multiple

    golds = [gold for gold, _ in cases]
    tests = [test for _, test in cases]
    ours = score_alignments(golds, tests)
    reference = score_multiple(golds, tests)
    for key, value in reference.items():
        assert abs(ours[key] - value) < 1e-9, key


sentences = st.lists(st.text(max_size=30), max_size=25)


@settings(max_examples=60, deadline=None)
@given(sentences, sentences)
def test_every_sentence_lands_in_exactly_one_bead_whatever_the_input(zh, en) -> None:
    from workbench.align.aligner import Aligner, AlignerSettings

    beads = Aligner(AlignerSettings(method="gale-church", max_full=10)).align(zh, en)
    assert [i for b in beads for i in b.zh_sentences] == list(range(len(zh)))
    assert [j for b in beads for j in b.en_sentences] == list(range(len(en)))
    for bead in beads:
        assert 0.0 <= bead.score <= 1.0
        assert bool(bead.zh_sentences and bead.en_sentences) or bead.score == 0.0
        assert bead.zh == "".join(zh[i] for i in bead.zh_sentences)
