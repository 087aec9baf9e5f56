"""The terminology benchmark's ``--align-dev`` halves stay put when dev documents are added.

QA rules are tuned on half A of the aligner's dev documents and accepted only if half B,
which nobody reads, gains too. Halves drawn from the current name order moved read
documents into the unread half every time the alignment work added documents; the
benchmark now keeps the first documents' halves frozen and gives later ones a half from
their id alone.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "align-dev"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "terminology_bench", ROOT / "benchmarks" / "terminology.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def halves_by_document(records: list[dict]) -> dict[str, str]:
    out: dict[str, str] = {}
    for record in records:
        assert out.setdefault(record["source_url"], record["half"]) == record["half"]
    return out


def test_frozen_halves_name_existing_documents_and_alternate_by_name() -> None:
    halves = json.loads((DEV / "qa_halves.json").read_text("utf-8"))
    listed = sorted(halves["A"] + halves["B"])
    assert len(set(listed)) == len(listed)
    for ident in listed:
        assert (DEV / f"{ident}.gold.jsonl").exists(), ident
    assert halves["A"] == listed[0::2] and halves["B"] == listed[1::2]


def test_adding_documents_moves_no_document_between_halves(bench, tmp_path: Path) -> None:
    before = halves_by_document(bench.read_align_dev(DEV))
    folder = tmp_path / "align-dev"
    shutil.copytree(DEV, folder, ignore=shutil.ignore_patterns("sources", "*.py", "*.md"))
    # New documents whose names sort first and in between shift every later position.
    for name in ("aaa-new", "gwr2008a-new", "zzz-new"):
        for suffix in ("zh.txt", "en.txt", "gold.jsonl"):
            shutil.copy(DEV / f"gwr2008.{suffix}", folder / f"{name}.{suffix}")
    after = halves_by_document(bench.read_align_dev(folder))
    assert {k: after[k] for k in before} == before
    assert set(after) - set(before) == {"aaa-new", "gwr2008a-new", "zzz-new"}


def test_documents_added_later_fall_in_both_halves(bench) -> None:
    halves = json.loads((DEV / "qa_halves.json").read_text("utf-8"))
    frozen = {i for half in ("A", "B") for i in halves[half]}
    later = halves_by_document(
        [r for r in bench.read_align_dev(DEV) if r["source_url"] not in frozen]
    )
    assert later, "documents were added after the halves were frozen"
    assert set(later.values()) == {"A", "B"}
