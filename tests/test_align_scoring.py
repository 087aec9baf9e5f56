"""The embedding scorer's member term: a merge must not hide a sentence that has no
counterpart on the other side (issue 10, accuracy)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from workbench.align.aligner import Aligner, AlignerSettings
from workbench.align.evaluate import read_gold_folder
from workbench.align.scoring import EmbeddingScorer, side_features

DEV = Path(__file__).parent / "data" / "align-dev"


def unit(*parts: np.ndarray) -> np.ndarray:
    vector = np.sum(parts, axis=0)
    return vector / np.linalg.norm(vector)


def scorer(member: float) -> EmbeddingScorer:
    """zh 0 is rendered by en 0 + en 1 (a real 1–2 split); en 2 is unrelated to it."""
    basis = np.eye(8, dtype=np.float32)
    zh = np.stack([unit(basis[0], basis[1]), basis[3], basis[4]])
    en = np.stack([basis[0], basis[1], basis[2], basis[3], basis[4]])
    return EmbeddingScorer(
        side_features(zh, ["一二三四五六七八九十"] * 3),
        side_features(en, ["a" * 12] * 5),
        {"member": member},
    )


def bead_cost(s: EmbeddingScorer, a: int, b: int, zh_end: int, en_end: int) -> float:
    return float(s.costs(a, b, np.array([zh_end]), np.array([en_end]))[0])


def test_member_term_charges_a_merge_that_holds_an_unrelated_sentence() -> None:
    without, with_member = scorer(0.0), scorer(1.0)
    # 1–3 bead zh[0] ~ en[0:3]: en 2 has nothing to do with zh 0.
    assert bead_cost(with_member, 1, 3, 1, 3) > bead_cost(without, 1, 3, 1, 3) + 0.1
    # The true 1–2 bead: both en sentences are close to the zh one, no charge.
    assert bead_cost(with_member, 1, 2, 1, 2) == pytest.approx(bead_cost(without, 1, 2, 1, 2))
    # 1–1 beads are never charged.
    assert bead_cost(with_member, 1, 1, 2, 4) == pytest.approx(bead_cost(without, 1, 1, 2, 4))


def test_untranslated_english_lines_stay_out_of_the_neighbouring_beads() -> None:
    """Xi's 2021 New Year address as a study site prints it: some English paragraphs have
    no Chinese on the page; the one after "面对突如其来的…" (two English sentences) must not
    be merged into that sentence's bead. (The scorer without the member term makes it 1–3.)"""
    doc = next(d for d in read_gold_folder(DEV) if d.id == "xinewyear2021")
    beads = Aligner(AlignerSettings(use_glossary=False)).align(doc.zh, doc.en)
    found = {(tuple(b.zh_sentences), tuple(b.en_sentences)) for b in beads}
    assert ((2,), (4, 5)) in found
    assert not any(6 in b.en_sentences and 5 in b.en_sentences for b in beads)
