"""The cost-constant fit of the aligner (benchmarks/align_fit.py): search, caching, folds."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from workbench.align import scoring
from workbench.align.aligner import Aligner, AlignerSettings
from workbench.align.evaluate import read_gold_folder, score_alignments

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "align-dev"


def _load_fit():  # the benchmark is a script, not a package module
    spec = importlib.util.spec_from_file_location("align_fit", ROOT / "benchmarks" / "align_fit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["align_fit"] = module
    spec.loader.exec_module(module)
    return module


fit = _load_fit()


def test_every_grid_holds_the_current_value_and_names_a_real_constant() -> None:
    """ "No change" must be a candidate of every step, and every name must be one the
    scorer reads (a constant renamed in scoring.py would silently be searched for nothing)."""
    current = fit.current_values()
    for param in fit.PARAMS:
        module = fit.CONSTANT_MODULES.get(param.name, scoring)
        assert param.name in scoring.DEFAULT_WEIGHTS or hasattr(module, param.name)
        assert current[param.name] in param.grid, param.name
        assert list(param.grid) == sorted(set(param.grid)), param.name


def test_fine_grids_step_five_percent_around_the_current_value() -> None:
    current = fit.current_values()
    for param in fit.fine_params(fit.PARAMS, current):
        assert current[param.name] in param.grid, param.name
        assert min(param.grid) == pytest.approx(0.8 * current[param.name], abs=1e-4)
        assert max(param.grid) == pytest.approx(1.2 * current[param.name], abs=1e-4)
        assert len(param.grid) == len(fit.FINE_STEPS)


def test_coordinate_search_finds_the_peak_and_ties_keep_the_current_value() -> None:
    params = [fit.Param("x", (0.0, 1.0, 2.0, 3.0)), fit.Param("y", (0.0, 1.0, 2.0))]
    # x has a peak at 2; y is flat, so it must stay where it started.
    values, best = fit.coordinate_search(
        lambda v: -((v["x"] - 2.0) ** 2), params, {"x": 0.0, "y": 1.0}
    )
    assert values == {"x": 2.0, "y": 1.0}
    assert best == 0.0


def test_coordinate_search_needs_more_than_one_pass_for_coupled_constants() -> None:
    params = [fit.Param("x", (0.0, 1.0, 2.0)), fit.Param("y", (0.0, 1.0, 2.0))]

    def objective(v: dict[str, float]) -> float:  # y only pays once x has moved
        return v["x"] + (2 * v["y"] if v["x"] == 2.0 else -v["y"])

    once, _ = fit.coordinate_search(objective, params, {"x": 0.0, "y": 0.0}, rounds=1)
    twice, best = fit.coordinate_search(objective, params, {"x": 0.0, "y": 0.0}, rounds=2)
    assert once == {"x": 2.0, "y": 2.0}  # x first, then y in the same pass
    assert twice == once and best == 6.0


def test_random_search_only_climbs_and_repeats_with_its_seed() -> None:
    params = [fit.Param(n, (0.0, 1.0, 2.0, 3.0)) for n in "abcd"]
    start = {n: 0.0 for n in "abcd"}
    seen: list[float] = []

    def objective(v: dict[str, float]) -> float:
        value = -sum((v[n] - i) ** 2 for i, n in enumerate("abcd"))
        seen.append(value)
        return value

    values, best = fit.random_search(objective, params, start, trials=200, seed=3)
    assert best == objective(values) == max(seen)
    assert best > objective(start)
    again, _ = fit.random_search(objective, params, start, trials=200, seed=3)
    assert again == values


def test_applied_patches_constants_and_weights_and_restores_them() -> None:
    aligner = Aligner(AlignerSettings(method="gale-church"))
    question, skip = scoring.QUESTION, aligner.settings.weights.get("skip")
    with pytest.raises(RuntimeError), fit.applied(aligner, {"QUESTION": 7.0, "skip": 0.5}):
        assert scoring.QUESTION == 7.0
        assert aligner.settings.weights["skip"] == 0.5
        raise RuntimeError("a trial failed")
    assert question == scoring.QUESTION
    assert aligner.settings.weights.get("skip") == skip
    with pytest.raises(KeyError), fit.applied(aligner, {"no_such_constant": 1.0}):
        pass


def test_applied_patches_the_refine_threshold_and_keeps_counts_whole() -> None:
    """``SURE_COST`` lives in the refine pass, ``ECHO_WINDOW`` is a count of sentences
    (``range`` needs an int): both must reach the module that reads them, and go back."""
    from workbench.align import refine

    aligner = Aligner(AlignerSettings(method="gale-church"))
    sure, window = refine.SURE_COST, scoring.ECHO_WINDOW
    with fit.applied(aligner, {"SURE_COST": 0.6, "ECHO_WINDOW": 5.0}):
        assert refine.SURE_COST == 0.6
        assert scoring.ECHO_WINDOW == 5 and isinstance(scoring.ECHO_WINDOW, int)
    assert (sure, window) == (refine.SURE_COST, scoring.ECHO_WINDOW)


def test_cached_encoder_encodes_each_text_once_and_keeps_them_in_a_file(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def encode(texts: list[str]) -> np.ndarray:  # one bag-of-characters row per text
        calls.append(list(texts))
        return np.array([[t.count(c) for c in "abc中"] for t in texts], dtype=np.float32)

    cache = fit.CachedEncoder(encode, tmp_path / "vectors.npz")
    first = cache.encode(["ab", "c", "ab"])
    second = cache.encode(["c", "中文"])
    assert calls == [["ab", "c"], ["中文"]] and cache.encoded == 3
    assert first.tolist() == [[1, 1, 0, 0], [0, 0, 1, 0], [1, 1, 0, 0]]
    assert second[1].tolist() == [0, 0, 0, 1]
    cache.save()
    reread = fit.CachedEncoder(encode, tmp_path / "vectors.npz")
    assert reread.encode(["中文", "ab"]).tolist() == [[0, 0, 0, 1], [1, 1, 0, 0]]
    assert len(calls) == 2 and reread.encoded == 0


def test_the_fit_refuses_the_held_out_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        sys, "argv", ["align_fit.py", "--dev", str(ROOT / "tests" / "data" / "align")]
    )
    with pytest.raises(SystemExit, match="held-out"):
        fit.main()


def test_evaluator_scores_as_a_fresh_aligner_does_and_aligns_each_document_once() -> None:
    docs = [d for d in read_gold_folder(DEV) if d.id in {"gwr2012hl", "wpdefense2019"}]
    assert len(docs) == 2
    fresh = Aligner(AlignerSettings(encoder="use", use_glossary=False))
    expected = score_alignments(
        [d.beads for d in docs],
        [[(b.zh_sentences, b.en_sentences) for b in fresh.align(d.zh, d.en)] for d in docs],
    )["f1_strict"]
    aligner = Aligner(AlignerSettings(encoder="use", use_glossary=False))
    assert aligner.encoder is not None
    aligner.encoder = fit.CachedEncoder(aligner.encoder.encode)  # type: ignore[assignment]
    evaluate = fit.Evaluator(aligner, docs)
    current = fit.current_values()
    assert evaluate.f1(current, docs) == expected
    assert evaluate.f1(current, docs[:1]) <= 1.0 and evaluate.trials == 2  # memoised
    # Without the question and unrelated charges wpdefense2019's question pairs again.
    worse = {**current, "QUESTION": 0.0, "UNRELATED": 0.0}
    assert evaluate.f1(worse, docs) < expected
    assert current["QUESTION"] == scoring.QUESTION


def test_long_pair_repeats_the_documents_with_their_beads_shifted() -> None:
    docs = [d for d in read_gold_folder(DEV) if d.id in {"gwr2012hl", "wpdefense2019"}]
    pair = fit.long_pair(docs, 60)
    assert len(pair.zh) >= 60
    next_zh = next_en = 0
    for zh, en in pair.beads:  # every sentence in one bead, in order
        assert zh == list(range(next_zh, next_zh + len(zh)))
        assert en == list(range(next_en, next_en + len(en)))
        next_zh, next_en = next_zh + len(zh), next_en + len(en)
    assert (next_zh, next_en) == (len(pair.zh), len(pair.en))
    first = next(d for d in docs if d.zh[0] == pair.zh[0])
    assert pair.beads[: len(first.beads)] == first.beads


def test_evaluator_names_the_documents_a_change_wins_or_loses() -> None:
    docs = [d for d in read_gold_folder(DEV) if d.id in {"gwr2012hl", "wpdefense2019"}]
    aligner = Aligner(AlignerSettings(encoder="use", use_glossary=False))
    assert aligner.encoder is not None
    aligner.encoder = fit.CachedEncoder(aligner.encoder.encode)  # type: ignore[assignment]
    evaluate = fit.Evaluator(aligner, docs)
    current = fit.current_values()
    worse = {**current, "QUESTION": 0.0, "UNRELATED": 0.0}
    assert evaluate.changed(current, current, docs) == []
    moved = dict(evaluate.changed(worse, current, docs))
    assert list(moved) == ["wpdefense2019"] and moved["wpdefense2019"] < 0
