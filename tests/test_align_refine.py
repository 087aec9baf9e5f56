"""The re-search of doubtful stretches with joined-text embeddings (workbench.align.refine)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from workbench.align.aligner import Aligner, AlignerSettings
from workbench.align.dp import PathBead
from workbench.align.evaluate import read_gold_folder
from workbench.align.refine import SURE_COST, _regions, _search, refine_path
from workbench.align.scoring import EmbeddingScorer, side_features

DEV = Path(__file__).parent / "data" / "align-dev"


def toy_scorer(zh: list[str], en: list[str]) -> EmbeddingScorer:
    """Sentence i of each side gets basis vector i: only equal indices match."""
    dim = max(len(zh), len(en)) + 2
    basis = np.eye(dim, dtype=np.float32)
    return EmbeddingScorer(side_features(basis[: len(zh)], zh), side_features(basis[: len(en)], en))


def test_regions_take_doubtful_beads_with_one_bead_of_context() -> None:
    s = toy_scorer(["一。"] * 6 + ["目录"], ["a."] * 7)
    path = [
        PathBead(0, 1, 0, 1, 0.1),  # 1–1
        PathBead(1, 2, 1, 3, SURE_COST + 0.5),  # doubtful 1–2
        PathBead(2, 3, 3, 4, 0.1),
        PathBead(3, 4, 4, 5, 0.1),
        PathBead(4, 5, 5, 6, SURE_COST - 0.5),  # a sure 1–1: not doubtful
        PathBead(5, 6, 6, 7, 0.1),
        PathBead(6, 7, 7, 7, 0.95),  # 1–0 of a title line: the heading term's call
    ]
    assert _regions(path, s, context=1, max_side=3) == [(0, 2)]
    path[4] = PathBead(4, 6, 5, 6, SURE_COST + 0.1)  # a doubtful 2–1 next to the region
    path[5] = PathBead(6, 6, 6, 7, 0.95)  # an en sentence left out: doubtful
    assert _regions(path, s, context=1, max_side=3) == [(0, 6)]  # touching: joined
    assert _regions(path, s, context=1, max_side=1) == []  # beads larger than 1 a side


def test_search_finds_the_cheapest_path_of_a_region() -> None:
    shapes = [(1, 1), (1, 2), (2, 1)]
    cost = {(a, b, i, j): 1.0 for a, b in shapes for i in range(3) for j in range(4)}
    cost[(1, 2, 1, 2)] = 0.2  # zh 0 = en 0 + en 1
    cost[(1, 1, 2, 3)] = 0.1  # zh 1 = en 2
    skips = np.full(4, 0.95)
    beads = _search(0, 2, 0, 3, shapes, cost, skips, skips)
    assert [(b.zh_start, b.zh_end, b.en_start, b.en_end) for b in beads] == [
        (0, 1, 0, 2),
        (1, 2, 2, 3),
    ]
    assert sum(b.cost for b in beads) == pytest.approx(0.3)


def test_refine_encodes_only_full_sentence_windows_of_the_regions() -> None:
    zh = ["一。", "二。", "三。", "四。", "五。", "六。"]
    en = ["A.", "B.", "C.", "D.", "E.", "F."]
    s = toy_scorer(zh, en)
    path = [PathBead(i, i + 1, i, i + 1, 0.1) for i in range(6)]
    asked: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:
        asked.append(texts)
        return np.ones((len(texts), s.zh.vectors.shape[1]), dtype=np.float32)

    assert refine_path(path, s, zh, en, encode) == path  # nothing doubtful: no encoding
    assert not asked
    path[3] = PathBead(3, 4, 3, 3, 0.95)  # zh 3 left out
    path[4:] = [PathBead(4, 5, 3, 4, 2.0), PathBead(5, 6, 4, 6, 2.0)]
    refine_path(path, s, zh, en, encode)
    texts = [t for batch in asked for t in batch]
    # Region: beads 2..5 = zh 2..5, en 2..5; windows of 2 and 3 sentences only.
    assert "三。四。" in texts and "C. D. E." in texts
    assert not any(t in texts for t in ["一。二。", "A. B.", "四。"])
    assert s.weights["member"] == 2.0  # restored after the pass


@pytest.mark.parametrize(
    ("doc_id", "bead"),
    [
        # "These efforts have achieved positive results." splits off the long zh sentence.
        ("wpclimate2021", ((14,), (10, 11))),
        # "Here, we will introduce…" is the second half of the zh sentence.
        ("sciodefense2019", ((6,), (3, 4))),
    ],
)
def test_joined_text_keeps_a_sentence_the_english_splits_off(
    doc_id: str, bead: tuple[tuple[int, ...], tuple[int, ...]]
) -> None:
    doc = next(d for d in read_gold_folder(DEV) if d.id == doc_id)
    found = {
        (tuple(b.zh_sentences), tuple(b.en_sentences))
        for b in Aligner(AlignerSettings(use_glossary=False)).align(doc.zh, doc.en)
    }
    assert bead in found
    without = {
        (tuple(b.zh_sentences), tuple(b.en_sentences))
        for b in Aligner(AlignerSettings(use_glossary=False, refine=False)).align(doc.zh, doc.en)
    }
    assert bead not in without
