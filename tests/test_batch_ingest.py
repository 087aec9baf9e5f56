"""Parallel ingest on the batch engine: same corpus whatever runs it, failures kept apart.

The cluster tests start real ``distributed`` clusters on loopback (a LocalCluster of two
worker processes, and a separately started ``dask scheduler`` with two ``dask worker``
processes) and compare the corpus files byte for byte with a run in one process.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_web_helpers import free_port

from workbench.batch.engine import DASK_SETTINGS, EngineSettings, PartitionRunner
from workbench.cli import cli
from workbench.config import Config, load_config
from workbench.corpus import (
    corpus_partitions,
    read_documents,
    read_manifest,
    read_sentences,
    write_corpus,
)
from workbench.ingest.pipeline import (
    FileResult,
    Ingester,
    IngestIncomplete,
    IngestJob,
    ingest_partition,
    ingest_paths,
    run_serially,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PARTITION_FILES = 4
# No dashboard, and the bare HTTP server on a random loopback port (not 8787).
NO_DASHBOARD = ["--no-dashboard", "--dashboard-address", "127.0.0.1:0"]


def make_crawl(folder: Path) -> Path:
    """A small crawl: the seeds, each seed paragraph run as its own page, one bad file."""
    folder.mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
        lines = seed.read_text(encoding="utf-8").splitlines()
        paragraphs = [p for p in lines if len(p) > 40 and "。" in p]
        for number, paragraph in enumerate(paragraphs[:3]):
            (folder / f"{seed.stem}-p{number}.txt").write_text(paragraph + "\n", encoding="utf-8")
    (folder / "zz-binary.txt").write_bytes(bytes(range(256)) * 4)
    return folder


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_crawl(tmp_path_factory.mktemp("crawl") / "pages")


def config_for(work_dir: Path) -> Config:
    return load_config(overrides={"paths": {"work_dir": str(work_dir)}})


def corpus_files(work_dir: Path) -> dict[str, bytes]:
    """Every file of a corpus by relative path; the manifest without its time stamp."""
    corpus = work_dir / "corpus"
    files = {}
    for path in sorted(corpus.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.name == "manifest.json":
                manifest = json.loads(data)
                manifest.pop("created")
                data = json.dumps(manifest, sort_keys=True).encode()
            files[path.relative_to(corpus).as_posix()] = data
    return files


@pytest.fixture(scope="module")
def serial_corpus(crawl: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The corpus of the crawl ingested in this process, without any engine."""
    work = tmp_path_factory.mktemp("serial")
    report = ingest_paths([crawl], config_for(work), partition_files=PARTITION_FILES)
    assert report.manifest is not None and len(report.failed) == 1
    return corpus_files(work)


def test_the_crawl_is_cut_into_partitions_read_back_in_input_order(crawl, tmp_path):
    seen: list[FileResult] = []
    report = ingest_paths(
        [crawl], config_for(tmp_path), progress=seen.append, partition_files=PARTITION_FILES
    )
    corpus = tmp_path / "corpus"
    manifest = read_manifest(corpus)
    good = [r.doc_id for r in seen if r.ok]
    # 21 files in partitions of 4: six, but the last holds only the binary file and is
    # left out of the corpus rather than kept empty.
    assert len(seen) == report.files == 21 and not seen[-1].ok
    assert report.failed == [seen[-1]] and report.documents == 20
    assert [p.name for p in corpus_partitions(corpus)] == [f"part-0000{i}" for i in range(5)]
    in_input_order = [p.stem for p in sorted(crawl.iterdir()) if p.stem != "zz-binary"]
    assert [d.id for d in read_documents(corpus)] == good == in_input_order
    sentences = list(read_sentences(corpus))
    assert (
        manifest["sentences"]
        == len(sentences)
        == sum(p["sentences"] for p in manifest["partitions"])
    )
    runs = [
        s.doc_id for i, s in enumerate(sentences) if i == 0 or sentences[i - 1].doc_id != s.doc_id
    ]
    assert runs == good  # each document's sentences together, documents in corpus order


def test_one_and_two_workers_write_byte_identical_corpora(crawl, tmp_path, serial_corpus):
    for workers in (1, 2):
        work = tmp_path / f"w{workers}"
        runner = PartitionRunner(EngineSettings(workers=workers), progress=False)
        report = ingest_paths(
            [crawl], config_for(work), runner=runner, partition_files=PARTITION_FILES
        )
        assert report.manifest is not None
        assert runner.last is not None
        expected_where = "in process" if workers == 1 else "local cluster of 2 workers"
        assert runner.last.where == expected_where
        assert corpus_files(work) == serial_corpus, f"{workers} worker(s) differ"


def test_sentence_ids_are_the_single_file_ingesters(crawl, tmp_path):
    ingest_paths([crawl], config_for(tmp_path), partition_files=3)
    ingester = Ingester(config_for(tmp_path))
    seed = sorted(SEEDS.glob("*.txt"))[2]
    _, sentences = ingester.read_file(seed, seed.stem)
    stored = [s.id for s in read_sentences(tmp_path / "corpus") if s.doc_id == seed.stem]
    assert stored == [s.id for s in sentences]


@pytest.fixture
def dask_cluster(tmp_path: Path) -> Iterator[str]:
    """A separately started dask scheduler and two single-threaded workers on loopback."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    names = ("scheduler.log", "worker1.log", "worker2.log")
    logs = [open(tmp_path / name, "w") for name in names]  # noqa: SIM115 (closed below)
    scheduler_cmd = [
        sys.executable, "-m", "distributed.cli.dask_scheduler",
        "--host", "127.0.0.1", "--port", str(port), *NO_DASHBOARD,
    ]  # fmt: skip
    processes = [subprocess.Popen(scheduler_cmd, stdout=logs[0], stderr=logs[0], env=env)]
    try:
        _wait_for_port(port, processes[0], tmp_path / "scheduler.log")
        for log in logs[1:]:
            worker_cmd = [
                sys.executable, "-m", "distributed.cli.dask_worker", address,
                "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1",
                *NO_DASHBOARD, "--no-nanny",
            ]  # fmt: skip
            processes.append(subprocess.Popen(worker_cmd, stdout=log, stderr=log, env=env))
        _wait_for_workers(address, 2)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    import socket

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dask scheduler exited: {log.read_text()[-2000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail("dask scheduler did not start within 60 s")


def _wait_for_workers(address: str, count: int) -> None:
    from distributed import Client

    with Client(address, timeout="30s") as client:
        client.wait_for_workers(count, timeout=120)


def test_ingest_on_a_running_scheduler_gives_the_same_corpus(
    crawl, tmp_path, serial_corpus, dask_cluster
):
    work = tmp_path / "cluster"
    result = CliRunner().invoke(
        cli,
        ["ingest", str(crawl), "--work-dir", str(work), "--scheduler", dask_cluster, "-q"],
        env={"WORKBENCH_BATCH_PARTITION_FILES": str(PARTITION_FILES)},
    )
    # One file of the crawl is binary: reported, exit status 1, the rest ingested.
    assert result.exit_code == 1, result.output
    assert "zz-binary.txt" in result.output and "corpus: " in result.output
    assert f"5 partitions ingested on scheduler {dask_cluster}" in result.output
    assert corpus_files(work) == serial_corpus
    # The run stopped each worker's statistical profiler, whose kept call trees made a
    # worker's memory grow with the length of the run, and cut its logs to the engine's
    # short lengths (issue 15).
    from distributed import Client

    with Client(dask_cluster, timeout="30s") as client:
        profiling = client.run(lambda dask_worker: "profile" in dask_worker.periodic_callbacks)
        lengths = client.run(
            lambda dask_worker: (
                dask_worker.state.log.maxlen,
                dask_worker.state.stimulus_log.maxlen,
                dask_worker.monitor.maxlen,
                dask_worker.periodic_callbacks["tick"].callback_time,
            )
        )
    assert len(profiling) == 2 and not any(profiling.values())
    short = DASK_SETTINGS["distributed.admin.low-level-log-length"]
    samples = DASK_SETTINGS["distributed.admin.system-monitor.log-length"]
    # Their event loops' health check no longer wakes every 20 ms (it took the GIL from
    # the partition running beside it), but at the engine's interval.
    assert set(lengths.values()) == {(short, short, samples, 1000.0)}


def test_an_unreachable_scheduler_is_a_one_line_error(crawl, tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"
    args = ["ingest", str(crawl), "--work-dir", str(tmp_path), "--scheduler", address]
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    result = subprocess.run(
        [sys.executable, "-m", "workbench", *args], capture_output=True, text=True, env=env
    )
    assert result.returncode == 1
    [line] = [ln for ln in result.stderr.splitlines() if ln.startswith("Error:")]
    assert f"could not reach the Dask scheduler at {address}" in line
    assert not (tmp_path / "corpus").exists()


def test_a_failing_partition_is_named_the_others_kept_and_reused(
    crawl, tmp_path, serial_corpus, monkeypatch
):
    config = config_for(tmp_path)
    ingest_paths([SEEDS / "000_23cb1597154dda57.txt"], config)  # the corpus before
    before = corpus_files(tmp_path)
    read_file = Ingester.read_file
    calls: list[str] = []

    def crash_on_one(self: Ingester, path: Path, doc_id: str):  # a bug, not bad input
        calls.append(doc_id)
        if doc_id == "002_40559a9bc9b5a4c6":
            raise RuntimeError("worker crashed")
        return read_file(self, path, doc_id)

    monkeypatch.setattr(Ingester, "read_file", crash_on_one)
    with pytest.raises(IngestIncomplete) as failure:
        ingest_paths([crawl], config, partition_files=PARTITION_FILES, runner=run_serially)
    message = str(failure.value)
    assert "partition part-00002" in message and "RuntimeError: worker crashed" in message
    assert "002_40559a9bc9b5a4c6.txt" in message and "run the same command again" in message
    assert corpus_files(tmp_path) == before  # the corpus was not swapped in
    kept = sorted(p.name for p in (tmp_path / "corpus.incomplete").iterdir() if p.is_dir())
    assert "part-00002" not in kept and len(kept) >= 3

    calls.clear()
    monkeypatch.setattr(
        Ingester,
        "read_file",
        lambda self, path, doc_id: (calls.append(doc_id), read_file(self, path, doc_id))[1],
    )
    seen: list[FileResult] = []
    report = ingest_paths(
        [crawl], config, progress=seen.append, partition_files=PARTITION_FILES, runner=run_serially
    )
    assert report.manifest is not None
    assert len(calls) == PARTITION_FILES  # only the failed partition was ingested again
    # reused ones still reported, file by file (before the partition ingested again)
    assert len(seen) == report.files == len(list(crawl.iterdir()))
    assert sorted(Path(r.path).name for r in seen) == sorted(p.name for p in crawl.iterdir())
    assert corpus_files(tmp_path) == serial_corpus
    assert not (tmp_path / "corpus.incomplete").exists()


def die_halfway_once(marker: str, job: IngestJob):
    """Inside a worker: the first time part-00001 runs, leave what a kill halfway leaves
    (half-written partition files, an atomic write's temporary file) and die at once."""
    if job.name == "part-00001" and not os.path.exists(marker):
        Path(marker).touch()
        folder = Path(job.folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("documents.jsonl", "sentences.jsonl"):
            (folder / name).write_text('{"half": ', encoding="utf-8")
        results = Path(job.results_file)
        (results.parent / f".{results.name}.killed.tmp").write_text('{"path": "x"}\n')
        os._exit(1)  # no cleanup, no exception: the process is gone
    return ingest_partition(job)


def test_a_worker_killed_halfway_is_replaced_and_the_corpus_is_whole(
    crawl, tmp_path, serial_corpus
):
    marker = tmp_path / "died"
    engine = PartitionRunner(EngineSettings(workers=2), progress=False)

    def runner(function, partitions, names, small, on_result, *, keep_results=True):
        assert function is ingest_partition
        return engine(
            functools.partial(die_halfway_once, str(marker)),
            partitions,
            names,
            small,
            on_result,
            keep_results=keep_results,
        )

    seen: list[FileResult] = []
    report = ingest_paths(
        [crawl],
        config_for(tmp_path),
        progress=seen.append,
        runner=runner,
        partition_files=PARTITION_FILES,
    )
    assert marker.exists()  # a worker did die in the middle of part-00001
    assert report.manifest is not None and engine.last is not None and engine.last.ok
    # every file reported once, not twice for the partition that ran again
    assert sorted(Path(r.path).name for r in seen) == sorted(p.name for p in crawl.iterdir())
    assert report.files == len(seen) and len(report.failed) == 1  # the binary file
    assert corpus_files(tmp_path) == serial_corpus  # nothing half-written left behind


def test_kept_partitions_are_not_reused_when_a_file_changed(crawl, tmp_path, monkeypatch):
    pages = tmp_path / "pages"
    shutil.copytree(crawl, pages)
    config = config_for(tmp_path / "work")
    read_file = Ingester.read_file

    def crash(self: Ingester, path: Path, doc_id: str):
        if doc_id == "zz-binary":
            raise RuntimeError("worker crashed")
        return read_file(self, path, doc_id)

    monkeypatch.setattr(Ingester, "read_file", crash)
    with pytest.raises(IngestIncomplete):
        ingest_paths([pages], config, partition_files=PARTITION_FILES)
    monkeypatch.setattr(Ingester, "read_file", read_file)
    first = sorted(pages.glob("*.txt"))[0]
    first.write_text("修改后的第一篇文章。内容不同。\n", encoding="utf-8")
    ingest_paths([pages], config, partition_files=PARTITION_FILES)
    [document] = [d for d in read_documents(tmp_path / "work" / "corpus") if d.id == first.stem]
    assert document.original == "修改后的第一篇文章。内容不同。\n"


def test_tagging_partitions_on_two_workers_gives_the_same_corpus(crawl, tmp_path):
    from workbench.glossary.tag import tag_corpus

    alone, engine = tmp_path / "alone", tmp_path / "engine"
    ingest_paths([crawl], config_for(alone), partition_files=PARTITION_FILES)
    shutil.copytree(alone / "corpus", engine / "corpus")
    summary = tag_corpus(config_for(alone))
    runner = PartitionRunner(EngineSettings(workers=2), progress=False)
    assert tag_corpus(config_for(engine), runner=runner) == {
        **summary,
        "corpus": str(engine / "corpus"),
    }
    assert runner.last is not None and runner.last.where == "local cluster of 2 workers"
    assert summary["matches"] > 100 and summary["documents"] == 20
    assert corpus_files(engine) == corpus_files(alone)
    assert len(corpus_partitions(engine / "corpus")) == 5


def test_push_builds_the_same_tasks_from_any_partitioning(crawl, tmp_path):
    from workbench.labelstudio.sync import corpus_tasks

    config = config_for(tmp_path)
    ingest_paths([crawl], config, partition_files=PARTITION_FILES)
    corpus = tmp_path / "corpus"
    many, version = corpus_tasks(config)
    documents = list(read_documents(corpus))
    sentences = list(read_sentences(corpus))
    items = [(d, [s for s in sentences if s.doc_id == d.id]) for d in documents]
    write_corpus(corpus, items, read_manifest(corpus), partition_documents=len(items))
    assert len(corpus_partitions(corpus)) == 1
    one, same_version = corpus_tasks(config)
    assert version == same_version
    assert [p.to_import() for p in many] == [p.to_import() for p in one]
    assert len(many) == len(sentences)


def test_ingest_uses_every_core_by_default_and_prints_where(crawl, tmp_path, serial_corpus):
    from workbench.batch.engine import available_cores

    result = CliRunner().invoke(
        cli,
        ["ingest", str(crawl), "--work-dir", str(tmp_path), "-q"],
        env={
            "WORKBENCH_BATCH_PARTITION_FILES": str(PARTITION_FILES),
            "WORKBENCH_BATCH_IN_PROCESS_BELOW_MB": "0",  # the crawl is small: force the engine
            "WORKBENCH_BATCH_WORKERS": "0",
        },
    )
    assert result.exit_code == 1, result.output  # the binary file
    workers = min(available_cores(), 6)  # six partitions of four files; one left empty
    if workers > 1:
        assert f"5 partitions ingested on local cluster of {workers} workers" in result.output
    assert corpus_files(tmp_path) == serial_corpus


def test_python_m_workbench_can_start_a_local_cluster(crawl, tmp_path, serial_corpus):
    env = {
        **os.environ,
        "WORKBENCH_BATCH_PARTITION_FILES": str(PARTITION_FILES),
        "WORKBENCH_BATCH_IN_PROCESS_BELOW_MB": "0",
    }
    args = ["ingest", str(crawl), "--work-dir", str(tmp_path), "--workers", "2", "-q"]
    result = subprocess.run(
        [sys.executable, "-m", "workbench", *args], capture_output=True, text=True, env=env
    )
    assert result.returncode == 1, result.stderr  # the binary file, nothing else
    assert "5 partitions ingested on local cluster of 2 workers" in result.stderr
    assert corpus_files(tmp_path) == serial_corpus
