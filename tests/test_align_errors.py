"""The dev error listing of the aligner (benchmarks/align_errors.py): stretches, comparison."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "align_errors", ROOT / "benchmarks" / "align_errors.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["align_errors"] = module
    spec.loader.exec_module(module)
    return module


errors = _load()


def test_a_stretch_joins_the_wrong_beads_and_the_gold_beads_they_overlap() -> None:
    gold = [([0], [0]), ([1], [1, 2]), ([2], []), ([3], [3]), ([4], [4])]
    # 1–2 found as 1–1 + 0–1; the zh-only line 2 merged into line 3's bead; 4 right.
    found = [([0], [0]), ([1], [1]), ([], [2]), ([2, 3], [3]), ([4], [4])]
    stretches = errors.error_stretches(gold, found)
    assert stretches == [
        ([([1], [1, 2])], [([1], [1]), ([], [2])]),
        ([([2], []), ([3], [3])], [([2, 3], [3])]),
    ]
    assert errors.error_stretches(gold, gold) == []


def test_right_beads_are_the_exact_matches_only() -> None:
    gold = [([0], [0]), ([1, 2], [1])]
    found = [([0], [0]), ([1], [1]), ([2], [])]
    assert errors.right_beads(gold, found) == {((0,), (0,))}


class _Fold:
    def __init__(self, doc_id: str, beads: list) -> None:
        self.id, self.beads = doc_id, beads


class _Harness:
    def __init__(self) -> None:
        self.a = _Fold("a", [([0], [0]), ([1], [1])])
        self.b = _Fold("b", [([0], [0, 1])])
        self.docs = [self.a, self.b]
        self.folds = {"A": [self.a], "B": [self.b]}


def test_compare_flags_any_document_that_loses_a_bead(capsys: pytest.CaptureFixture) -> None:
    harness = _Harness()
    good = {"a": [([0], [0]), ([1], [1])], "b": [([0], [0]), ([], [1])]}
    better = {"a": good["a"], "b": [([0], [0, 1])]}
    worse = {"a": [([0, 1], [0, 1])], "b": better["b"]}
    before = {"on": good, "off": good}
    assert errors.compare(harness, before, {"on": better, "off": better})
    out = capsys.readouterr().out
    assert "glossary on: b (fold B) +1 right beads (0 → 1)" in out
    # fold B rises, but a document of fold A loses: not kept.
    assert not errors.compare(harness, before, {"on": worse, "off": better})
    assert "glossary on: a (fold A) -2 right beads (2 → 0)" in capsys.readouterr().out


def test_the_listing_refuses_the_held_out_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        sys, "argv", ["align_errors.py", "--dev", str(ROOT / "tests" / "data" / "align")]
    )
    with pytest.raises(SystemExit, match="held-out"):
        errors.main()
