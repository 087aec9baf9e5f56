"""An export of real published zh–en pairs, headings included, with default settings.

``tests/data/qa/*.jsonl`` hold pairs from official bilingual publications (see its
README): headings such as 三、实施精准扶贫方略, Traditional-script pairs, paragraphs kept
whole, decimal points printed as 。. Each publication page is one document.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_export_formats import assert_formats_agree
from test_export_pipeline import annotation, task, write_corpus_for

from workbench.config import load_config
from workbench.export.run import export_dataset
from workbench.snapshot import write_snapshot

DATA = Path(__file__).parent / "data" / "qa"


def published_pairs() -> list[dict]:
    return [
        json.loads(line)
        for path in sorted(DATA.glob("*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, project_root: Path):
    tmp_path = tmp_path_factory.mktemp("real")
    config = load_config(  # the project's settings and glossary; only the folders move
        root=project_root,
        overrides={
            "paths": {
                "work_dir": str(tmp_path / "work"),
                "exports_dir": str(tmp_path / "exports"),
            }
        },
        environ={},
    )
    records = published_pairs()
    tasks = [
        task(r["id"], r["source_url"], r["zh"], [annotation(r["en"], id=n)], n)
        for n, r in enumerate(records, start=1)
    ]
    write_corpus_for(config, tasks)
    write_snapshot(config.work_dir, tasks, {"project_id": 1})
    return records, export_dataset(config)


def exported_pairs(folder: Path) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for path in sorted((folder / "parallel").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            record = json.loads(line)
            assert record["id"] not in found
            found[record["id"]] = record
    return found


def test_every_published_pair_is_exported_once_with_default_settings(exported) -> None:
    records, result = exported
    counts = result.manifest["counts"]
    assert counts["selected"] == len(records) > 70
    removed = counts["duplicates"]["exact"] + counts["duplicates"]["near"]
    assert removed == 0  # distinct publications: nothing is a duplicate
    found = exported_pairs(result.path)
    assert sorted(found) == sorted(r["id"] for r in records)
    assert assert_formats_agree(result.path) == len(records)
    for record in records:
        assert found[record["id"]]["translation"]["zh"] == record["zh"]


def test_headings_are_exported_like_sentences(exported) -> None:
    records, result = exported
    headings = [r for r in records if "、" in r["zh"][:3] and len(r["zh"]) < 20]
    assert len(headings) >= 3  # 三、实施精准扶贫方略 and the like
    found = exported_pairs(result.path)
    for heading in headings:
        assert found[heading["id"]]["translation"]["en"] == heading["en"]


def test_splits_of_real_pairs_never_share_a_publication(exported) -> None:
    _records, result = exported
    split_of: dict[str, str] = {}
    for record in exported_pairs(result.path).values():
        assert split_of.setdefault(record["doc_id"], record["split"]) == record["split"]
    assert set(split_of.values()) == {"train", "dev", "test"}
