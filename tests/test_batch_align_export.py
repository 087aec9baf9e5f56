"""Alignment and export on the batch engine give what a single process gives, in order."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from test_export_pipeline import make_config, standard_tasks, write_corpus_for

from workbench.align.importer import import_bilingual
from workbench.batch.engine import EngineSettings, PartitionRunner, map_in_order
from workbench.config import Config
from workbench.corpus import corpus_dir, corpus_partitions, read_documents, read_sentences
from workbench.corpus import write_corpus as write_corpus_folder
from workbench.errors import WorkbenchError
from workbench.export.run import export_dataset
from workbench.snapshot import write_snapshot
from workbench.tm.store import open_tm

ALIGN_DEV = Path(__file__).parent / "data" / "align-dev"
PAIRS = 4


@pytest.fixture
def publications(tmp_path: Path) -> Path:
    """Four document pairs: the dev pair, and the dev pair with its first lines cut away."""
    folder = tmp_path / "bilingual"
    folder.mkdir()
    zh = (ALIGN_DEV / "dev-poverty.zh.txt").read_text("utf-8").splitlines(keepends=True)
    en = (ALIGN_DEV / "dev-poverty.en.txt").read_text("utf-8").splitlines(keepends=True)
    for number in range(PAIRS):
        (folder / f"doc{number}.zh.txt").write_text("".join(zh[number * 3 :]), "utf-8")
        (folder / f"doc{number}.en.txt").write_text("".join(en[number * 3 :]), "utf-8")
    return folder


def without_time(path: Path) -> bytes:
    """A file's bytes with the export's own time stamp and name blanked out."""
    data = path.read_bytes()
    data = re.sub(rb'<header (.*?) creationdate="[0-9TZ]+"', rb"<header \\1", data, count=1)
    data = re.sub(rb"20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.+]+(Z|\+00:00)?", b"TIME", data)
    return data.replace(b"exports/engine", b"exports/alone").replace(b"engine", b"alone")


def stored_pairs(config: Config) -> list[tuple]:
    with open_tm(config) as tm:
        return [
            (p.zh, p.en, p.status, p.score, p.provenance.get("doc_id"), p.position)
            for p in tm.pairs()
        ]


def test_pairs_aligned_on_two_workers_fill_the_tm_as_one_process_does(
    tmp_path: Path, project_root: Path, publications: Path
) -> None:
    serial = make_config(tmp_path / "serial", project_root)
    first = import_bilingual(serial, [publications], threshold=0.5)
    parallel = make_config(tmp_path / "parallel", project_root)
    runner = PartitionRunner(EngineSettings(workers=2), progress=False)
    seen: list[str] = []
    second = import_bilingual(
        parallel,
        [publications],
        threshold=0.5,
        runner=runner,
        progress=lambda result: seen.append(result.doc_id),
    )
    assert runner.last is not None and runner.last.where == "local cluster of 2 workers"
    assert seen == [f"doc{n}" for n in range(PAIRS)]  # reported and stored in input order
    assert [d.doc_id for d in second.documents] == [d.doc_id for d in first.documents]
    assert stored_pairs(parallel) == stored_pairs(serial)
    assert sum(d.beads for d in second.documents) > 3 * 20
    # The TM keeps the first copy of a pair repeated across documents; stored in input
    # order, whichever worker finished first, so the documents follow each other in order.
    origins = [pair[4] for pair in stored_pairs(parallel)]
    assert origins == sorted(origins) and origins[0] == "aligned-doc0"


def test_export_reading_partitions_on_the_engine_writes_the_same_files(
    tmp_path: Path, project_root: Path
) -> None:
    config = make_config(tmp_path, project_root)
    tasks = standard_tasks()
    write_corpus_for(config, tasks)
    corpus = corpus_dir(config.work_dir)
    documents = list(read_documents(corpus))
    sentences = list(read_sentences(corpus))
    items = [(d, [s for s in sentences if s.doc_id == d.id]) for d in documents]
    write_corpus_folder(corpus, items, partition_documents=1)  # one document per partition
    assert len(corpus_partitions(corpus)) == len(documents) >= 4
    write_snapshot(config.work_dir, tasks, {"project_id": 1})

    alone = export_dataset(config, name="alone")
    mapper = map_in_order(EngineSettings(workers=2), min_parallel=1)
    engine = export_dataset(config, mapper=mapper, name="engine")
    files = sorted(p.relative_to(alone.path) for p in alone.path.rglob("*") if p.is_file())
    assert files == sorted(
        p.relative_to(engine.path) for p in engine.path.rglob("*") if p.is_file()
    )
    assert alone.manifest["counts"] == engine.manifest["counts"]
    for name in files:
        assert without_time(alone.path / name) == without_time(engine.path / name), name
    shutil.rmtree(alone.path)


def test_a_pair_failing_on_every_attempt_is_named_and_the_others_stored(
    tmp_path: Path, project_root: Path, publications: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import workbench.align.importer as importer

    real_align = importer.align_sides
    attempts: list[str] = []

    def crash_on_doc1(aligner, zh, en, doc_id, files):  # a bug, not a bad file
        if doc_id == "doc1":
            attempts.append(doc_id)
            raise RuntimeError("encoder crashed")
        return real_align(aligner, zh, en, doc_id, files)

    monkeypatch.setattr(importer, "align_sides", crash_on_doc1)
    config = make_config(tmp_path, project_root)
    seen: list[str] = []
    runner = PartitionRunner(EngineSettings(workers=1, retries=2), progress=False)
    with pytest.raises(WorkbenchError, match=r"aligning 00001-doc1 failed: RuntimeError"):
        import_bilingual(
            config, [publications], runner=runner, progress=lambda r: seen.append(r.doc_id)
        )
    assert attempts == ["doc1"] * 3  # the first try and two retries
    assert seen == ["doc0", "doc2", "doc3"]  # the others stored, in order
    origins = {pair[4] for pair in stored_pairs(config)}
    assert "aligned-doc1" not in origins and "aligned-doc3" in origins
