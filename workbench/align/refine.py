"""Re-score the doubtful stretches of a bead path with embeddings of the joined text.

The search prices a span of several sentences by the normalised *sum* of their vectors, so
that no window is encoded twice. For multilingual USE that sum is a poor stand-in for the
embedding of the joined text exactly where it matters: a short sentence the English splits
off a long Chinese one ("These efforts have achieved positive results.") pulls the summed
vector away from its zh sentence (cosine 0.54 on the dev set) while the joined text stays
close to it (0.69), and a zh sentence wrongly merged into its neighbour's bead looks
better summed (0.63) than joined (0.53). Encoding every window of both documents would
cost two to three times the encoding time, so only the stretches where the path is in
doubt — where boundary errors live — are searched again:

1. a *doubtful* bead is a merge (any shape but 1–1) costing at least ``SURE_COST``, or a
   sentence left out (1–0 / 0–1) that is not a title line (a heading left out is the
   heading term's decision, and joined text is not used for title lines, below); it and
   ``context`` beads on each side form a *region* (overlapping regions are joined);
2. every window of 2 to ``max_side`` full sentences inside a region is encoded as one
   text; a window holding a title line keeps its summed vector ("目录前言一、…" joined
   reads as one heading and pairs with the en heading whole, where each line is its own);
3. inside each region the cheapest monotone path is searched again over the same bead
   shapes (up to ``max_side`` sentences a side), each span priced with its joined
   embedding by ``EmbeddingScorer.costs``, with the member term weighted
   ``refine_member`` instead of ``member`` and each member's charge scaled by its
   length relative to the side's mean (``refine_member_length`` as a power): the joined
   text averages a stray sentence away less than a sum does, so a short sentence the
   English splits off needs less guarding, while a long untranslated paragraph (a study
   page's extra English) must stay out;
4. a region's beads are replaced when the new path is cheaper under the same pricing.

Outside the regions the path is unchanged, so the pass encodes in proportion to the
doubtful beads, not to the document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from workbench.align.dp import BEAD_TYPES, PathBead, skip_costs
from workbench.align.scoring import EmbeddingScorer

Encode = Callable[[list[str]], np.ndarray]

# A merged bead cheaper than this (score above 1 − 1.0 / (2 × skip) ≈ 0.47) is sure
# enough not to re-search; 0.5–1.2 give the same dev F1, and each step down re-encodes
# more (a 2,400-sentence dev pair: +42% characters encoded at 1.2, +74% at 0.8).
SURE_COST = 1.0


def _regions(
    path: Sequence[PathBead], scorer: EmbeddingScorer, context: int, max_side: int
) -> list[tuple[int, int]]:
    """Inclusive bead index ranges around every doubtful bead (joined when they overlap
    or touch); a region holding a bead larger than ``max_side`` is left alone."""
    spans: list[list[int]] = []
    for k, bead in enumerate(path):
        a, b = bead.zh_end - bead.zh_start, bead.en_end - bead.en_start
        if (a, b) == (1, 1) or (a and b and bead.cost < SURE_COST):
            continue
        if a == 0 or b == 0:
            titles = scorer.en.titles if a == 0 else scorer.zh.titles
            start, end = (bead.en_start, bead.en_end) if a == 0 else (bead.zh_start, bead.zh_end)
            if titles is not None and titles[start:end].all():
                continue
        first, last = max(0, k - context), min(len(path) - 1, k + context)
        if spans and first <= spans[-1][1] + 1:
            spans[-1][1] = max(spans[-1][1], last)
        else:
            spans.append([first, last])
    return [
        (first, last)
        for first, last in spans
        if all(
            b.zh_end - b.zh_start <= max_side and b.en_end - b.en_start <= max_side
            for b in path[first : last + 1]
        )
    ]


def refine_path(
    path: list[PathBead],
    scorer: EmbeddingScorer,
    zh: Sequence[str],
    en: Sequence[str],
    encode: Encode,
    context: int = 1,
    max_side: int = 3,
) -> list[PathBead]:
    """The path with each doubtful region searched again using joined-text embeddings."""
    regions = _regions(path, scorer, context, max_side)
    if not regions:
        return path
    saved = dict(scorer.weights)
    scorer.weights["member"] = scorer.weights["refine_member"]
    scorer.weights["member_length"] = scorer.weights["refine_member_length"]
    try:
        return _refine(path, regions, scorer, zh, en, encode, max_side)
    finally:
        scorer.weights.clear()
        scorer.weights.update(saved)


def _refine(
    path: list[PathBead],
    regions: list[tuple[int, int]],
    scorer: EmbeddingScorer,
    zh: Sequence[str],
    en: Sequence[str],
    encode: Encode,
    max_side: int,
) -> list[PathBead]:
    bounds = [
        (path[f].zh_start, path[t].zh_end, path[f].en_start, path[t].en_end) for f, t in regions
    ]
    # Vectors of every window of 2..max_side sentences inside a region: the joined text
    # encoded (once per window), or the summed vector where the window holds a title.
    joined: dict[str, dict[tuple[int, int], np.ndarray]] = {}
    for side, texts, glue in (("zh", zh, ""), ("en", en, " ")):
        features = scorer.zh if side == "zh" else scorer.en
        titles = features.titles if features.titles is not None else np.zeros(len(texts))
        windows = sorted(
            {
                (start, k)
                for z0, z1, e0, e1 in bounds
                for k in range(2, max_side + 1)
                for start in (range(z0, z1 - k + 1) if side == "zh" else range(e0, e1 - k + 1))
            }
        )
        plain = [w for w in windows if not titles[w[0] : w[0] + w[1]].any()]
        joined[side] = {w: features.span(w[1])[0][w[0]] for w in windows}
        if plain:
            rows = np.asarray(encode([glue.join(texts[s : s + k]) for s, k in plain]), np.float32)
            rows = rows.reshape(len(plain), -1)
            rows = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)
            joined[side].update(zip(plain, rows, strict=True))
    shapes = [(a, b) for a, b in BEAD_TYPES if 1 <= a <= max_side and 1 <= b <= max_side]
    # Every candidate bead inside a region, priced per shape in one vector call.
    cost: dict[tuple[int, int, int, int], float] = {}
    for a, b in shapes:
        ends = [
            (i, j)
            for z0, z1, e0, e1 in bounds
            for i in range(z0 + a, z1 + 1)
            for j in range(e0 + b, e1 + 1)
        ]
        if not ends:
            continue
        i = np.array([e[0] for e in ends], dtype=np.int64)
        j = np.array([e[1] for e in ends], dtype=np.int64)
        zv = (
            scorer.zh.vectors[i - 1]
            if a == 1
            else np.stack([joined["zh"][(int(x) - a, a)] for x in i])
        )
        ev = (
            scorer.en.vectors[j - 1]
            if b == 1
            else np.stack([joined["en"][(int(y) - b, b)] for y in j])
        )
        values = scorer.costs(a, b, i, j, zv, ev)
        for x, y, v in zip(i.tolist(), j.tolist(), values.tolist(), strict=True):
            cost[(a, b, x, y)] = v
    zh_skip, en_skip = skip_costs(scorer)
    refined: list[PathBead] = []
    done = 0
    for (first, last), (z0, z1, e0, e1) in zip(regions, bounds, strict=True):
        refined.extend(path[done:first])
        old = path[first : last + 1]
        new = _search(z0, z1, e0, e1, shapes, cost, zh_skip, en_skip)
        old_cost = sum(_bead_cost(p, cost, zh_skip, en_skip) for p in old)
        new_cost = sum(p.cost for p in new)
        refined.extend(new if new_cost < old_cost - 1e-9 else old)
        done = last + 1
    refined.extend(path[done:])
    return refined


def _bead_cost(
    bead: PathBead,
    cost: dict[tuple[int, int, int, int], float],
    zh_skip: np.ndarray,
    en_skip: np.ndarray,
) -> float:
    """A path bead's cost under the joined-text pricing (skips as the search priced them)."""
    a, b = bead.zh_end - bead.zh_start, bead.en_end - bead.en_start
    if b == 0:
        return float(zh_skip[bead.zh_start : bead.zh_end].sum())
    if a == 0:
        return float(en_skip[bead.en_start : bead.en_end].sum())
    return cost.get((a, b, bead.zh_end, bead.en_end), bead.cost)


def _search(
    z0: int,
    z1: int,
    e0: int,
    e1: int,
    shapes: list[tuple[int, int]],
    cost: dict[tuple[int, int, int, int], float],
    zh_skip: np.ndarray,
    en_skip: np.ndarray,
) -> list[PathBead]:
    """Cheapest monotone bead path from (z0, e0) to (z1, e1) with the given prices."""
    Step = tuple[int, int, float]  # (zh sentences, en sentences, cost) of the last bead
    best: dict[tuple[int, int], tuple[float, Step | None]] = {(z0, e0): (0.0, None)}
    moves = [(1, 0), (0, 1), *shapes]
    for i in range(z0, z1 + 1):
        for j in range(e0, e1 + 1):
            if (i, j) == (z0, e0):
                continue
            top: tuple[float, Step | None] = (np.inf, None)
            for a, b in moves:
                pi, pj = i - a, j - b
                if pi < z0 or pj < e0 or (pi, pj) not in best:
                    continue
                if b == 0:
                    c = float(zh_skip[pi])
                elif a == 0:
                    c = float(en_skip[pj])
                else:
                    c = cost[(a, b, i, j)]
                total = best[(pi, pj)][0] + c
                if total < top[0]:
                    top = (total, (a, b, c))
            best[(i, j)] = top
    beads: list[PathBead] = []
    i, j = z1, e1
    while (i, j) != (z0, e0):
        step = best[(i, j)][1]
        assert step is not None
        a, b, c = step
        beads.append(PathBead(i - a, i, j - b, j, c))
        i, j = i - a, j - b
    beads.reverse()
    return beads
