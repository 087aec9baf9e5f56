"""Time outside the encoder (issue 10, speed): each faster step must give exactly what the
step it replaced gave. Each test runs the new step and a plain reference of the old one
on dev documents embedded by the real encoder and compares them value for value."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest

from workbench.align import names
from workbench.align.aligner import TermSpotter
from workbench.align.dp import align_path, band_from_coarse, bead_costs, block_starts
from workbench.align.encoders import SentenceEncoder
from workbench.align.evaluate import GoldDocument, read_gold_folder
from workbench.align.scoring import EmbeddingScorer, side_features
from workbench.glossary import load_glossary

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "align-dev"
# Documents of several kinds: a report with lists, a press conference, a news page.
DOCS = ("gwr2014", "mfa2019", "cdaid2014", "bjreview2022")


@functools.cache
def documents() -> list[GoldDocument]:
    found = [d for d in read_gold_folder(DEV) if d.id in DOCS]
    assert len(found) >= 3, "dev documents renamed: update DOCS"
    return found


@functools.cache
def long_pair() -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """The documents concatenated (twice, in two orders): a pair long enough for the
    search to work in a band, with its sentences' vectors from the real encoder."""
    docs = documents()
    zh = [s for d in docs + docs[::-1] for s in d.zh]
    en = [s for d in docs + docs[::-1] for s in d.en]
    encoder = SentenceEncoder("use")
    return zh, en, encoder.encode(zh), encoder.encode(en)


def scorer() -> EmbeddingScorer:
    zh, en, zv, ev = long_pair()
    return EmbeddingScorer(side_features(zv, zh), side_features(ev, en))


def band(s: EmbeddingScorer) -> tuple[np.ndarray, np.ndarray]:
    """The band the search would use below a coarse pass (as ``align_path`` builds it)."""
    blocks = -(-max(s.n, s.m) // 4)
    zh_starts, en_starts = block_starts(s.n, blocks), block_starts(s.m, blocks)
    coarse = align_path(s.coarsen(zh_starts, en_starts), 20, 3)
    return band_from_coarse(coarse, zh_starts, en_starts, s.n, s.m, 3 + 4)


def test_member_tables_price_every_band_cell_as_the_direct_computation() -> None:
    """Bead costs with the band's member-cosine tables equal, bit for bit, those computed
    bead shape by bead shape (the scorer without ``prepare_band``)."""
    fast, direct = scorer(), scorer()
    direct.prepare_band = None  # type: ignore[assignment,method-assign]
    lo, hi = band(fast)
    width = int((hi - lo + 1).max())
    with_tables = bead_costs(fast, lo, hi, width)
    assert fast._members, "the tables were not built"
    reference = bead_costs(direct, lo, hi, width)
    assert not direct._members
    for (a, b), mine, theirs in zip(fast.bead_types, with_tables, reference, strict=True):
        assert np.array_equal(mine, theirs), f"{a}-{b} beads priced differently"


def test_long_pair_path_is_the_same_with_and_without_the_tables() -> None:
    """The banded search (three levels) finds the same path, bead costs included."""
    fast, direct = scorer(), scorer()
    direct.prepare_band = None  # type: ignore[assignment,method-assign]
    assert max(fast.n, fast.m) > 4 * 20  # two coarse levels above the fine one
    assert align_path(fast, 20, 3) == align_path(direct, 20, 3)


def test_cells_outside_the_tables_fall_back_to_the_direct_computation() -> None:
    """A scorer asked about beads outside the band it prepared (the title pass prices
    any pair of lines) still answers, with the direct values."""
    fast, direct = scorer(), scorer()
    fast.prepare_band(np.zeros(fast.n + 1, dtype=np.int64), np.full(fast.n + 1, 2))
    i = np.array([fast.n, fast.n - 1, 5])
    j = np.array([fast.m, fast.m - 2, 4])
    for a, b in ((2, 2), (3, 1), (1, 3)):
        assert np.array_equal(fast.costs(a, b, i, j), direct.costs(a, b, i, j))


def test_best_matches_of_both_sides_equal_one_pass_per_side() -> None:
    s = scorer()
    for side in ("zh", "en"):
        mine = (s.zh if side == "zh" else s.en).vectors
        other = (s.en if side == "zh" else s.zh).vectors
        # One product read along both axes: the same maxima as a product per side, up to
        # the last bits (a BLAS may sum A @ B.T and B @ A.T in different orders; OpenBLAS's
        # AVX2 kernels on an EPYC do).
        direct = (mine @ other.T).max(axis=1)
        assert np.abs(s.best_matches(side) - direct).max() < 1e-6


def reference_en_terms(spotter: TermSpotter, sentences: list[str], wanted: set[str]):
    """The English term search as it was: every rendering tried in every sentence that
    holds a key of its first content word."""
    from workbench.text.english import find_phrase, prepare, tokenize

    tokens = [tokenize(s) for s in sentences]
    found: list[set[str]] = [set() for _ in sentences]
    for entry_id in wanted:
        entry = spotter.entries[entry_id]
        for rendering in [entry.en, *entry.en_alternatives]:
            if not rendering or len(rendering) < 3:
                continue
            content = prepare(rendering).content
            if len(content) < names.TERM_MIN_WORDS:
                continue
            for index, sentence_tokens in enumerate(tokens):
                starts = any(not t.keys.isdisjoint(content[0]) for t in sentence_tokens)
                if starts and find_phrase(rendering, sentence_tokens) is not None:
                    found[index].add(entry_id)
    return found


@pytest.mark.slow
def test_en_terms_finds_what_trying_every_sentence_finds() -> None:
    spotter = TermSpotter(load_glossary(ROOT / "glossary"))
    zh, en, _, _ = long_pair()
    wanted = set().union(*spotter.zh_terms(zh))
    assert wanted
    found = spotter.en_terms(en, wanted)
    assert any(found), "no rendering found: the check would be empty"
    assert found == reference_en_terms(spotter, en, wanted)


def reference_zh_name_keys(sentence: str, wanted: set[str]) -> set[str]:
    """Pinyin keys grown character by character without remembering steps."""
    readings = names._readings()
    prefixes = {key[:i] for key in wanted for i in range(1, len(key) + 1)}
    keys: set[str] = set()
    for run in names._HAN_RUN.findall(sentence):
        for start in range(len(run) - 1):
            partial = [""]
            for length in range(1, min(names.MAX_CHARS, len(run) - start) + 1):
                options = readings.get(run[start + length - 1], ())
                partial = [p + r for p in partial for r in options][: names.MAX_READINGS]
                partial = [p for p in partial if p in prefixes]
                if not partial:
                    break
                if length >= 2:
                    keys.update(p for p in partial if len(p) >= names.MIN_LETTERS)
    return keys & wanted


def test_name_keys_with_remembered_steps_equal_growing_each_window() -> None:
    zh, en, _, _ = long_pair()
    wanted = set().union(*(names.en_name_keys(s) for s in en))
    steps: dict = {}
    found = [names.zh_name_keys(s, wanted, steps) for s in zh]
    assert steps and any(found)
    assert found == [reference_zh_name_keys(s, wanted) for s in zh]
