"""Benchmark: a national crawl on one machine and on a Dask cluster (issue 15).

Run from the repository root:  .venv/bin/python benchmarks/scale.py  [--docs 100000]

1. **Crawl.** ``--docs`` synthetic pages (default 100,000, about 1 GB) are generated from
   the sentences of the five seeds and the glossary's terms: each page is a title and
   paragraphs of seed sentences drawn at random, one in three carrying a glossary term
   spliced in, about 10 KB of UTF-8 each, in folders of 1,000. The crawl is kept under
   ``--data`` (default ``work/scale-benchmark``, git-ignored) and reused by later runs of
   the same size.
2. **Ingest + segment + tag** of the whole crawl at 1 worker (in process: what the engine
   does with one worker) and at 2 workers (a local Dask cluster of two single-threaded
   worker processes), alternated over ``--rounds`` rounds (1-2, 2-1: a shared machine's
   speed drifts between runs, and alternating spreads a slow stretch over both sides):
   documents/s and MB/s of every run, the speed-up ratio (total time at 1 worker / total
   at 2, and per round), and the corpus files of all runs compared byte for byte. Also the
   CPU seconds of all processes of each run (client, local scheduler, workers): their
   ratio is the engine's overhead per document, which a busy shared machine distorts less
   than it distorts wall time.
3. **Peak memory per worker** (``ru_maxrss`` of each worker process, from a fresh cluster
   per run) for the first tenth of the crawl and for all of it, at 2 workers: it must not
   grow with the corpus.
4. **Export** of the result: a snapshot with one final annotation for each of the first
   ``--export-tasks`` sentences, then ``workbench export`` (corpus partitions read on the
   engine, every format), timed.
5. **The machine's ceiling**: the same per-document work (the seeds ingested in memory,
   no engine) in one process, then in two at once: how much faster two processes do twice
   the work. 2.0 on two idle cores; it is the most any 2-worker speed-up can reach on the
   machine at that moment, and what the engine's speed-up is to be read against.
6. **The same ingest + tag on a separately started ``dask scheduler`` and two ``dask
   worker`` processes** on loopback (random ports), to show the cluster path is the same
   code: documents/s, and the corpus compared with the local 2-worker run.

Every run is a child process, so peak memory is its own. Numbers depend on the machine;
on a shared one, run it when it is quiet.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FILES_PER_FOLDER = 1000
PAGE_BYTES = 10_000  # target size of one page in UTF-8
CRAWL_SEED = 15
# No dashboard, and the bare HTTP server on a random loopback port (not 8787).
NO_DASHBOARD = ["--no-dashboard", "--dashboard-address", "127.0.0.1:0"]


# -- the synthetic crawl ----------------------------------------------------------------


def sentence_pool() -> tuple[list[str], list[str]]:
    """Return the seeds' sentences and the glossary's Chinese terms."""
    sys.path.insert(0, str(ROOT))
    from workbench.config import load_config
    from workbench.glossary import load_glossary
    from workbench.ingest.pipeline import Ingester

    config = load_config(root=ROOT)
    ingester = Ingester(config)
    sentences: list[str] = []
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        _, found = ingester.read_file(seed, seed.stem)
        sentences.extend(s.text for s in found if s.kind == "body" and len(s.text) >= 8)
    terms = [entry.zh for entry in load_glossary(config=config).entries if entry.zh]
    return sentences, terms


def make_page(rng: random.Random, sentences: list[str], terms: list[str], number: int) -> str:
    """One synthetic page: a title line, then paragraphs of 2–6 sentences."""
    lines = [f"关于{rng.choice(terms)}工作情况的报告（第{number}号）"]
    size = len(lines[0].encode())
    while size < PAGE_BYTES:
        paragraph = []
        for _ in range(rng.randint(2, 6)):
            sentence = rng.choice(sentences)
            if rng.random() < 1 / 3:
                cut = rng.randrange(len(sentence))
                sentence = sentence[:cut] + rng.choice(terms) + sentence[cut:]
            paragraph.append(sentence)
        line = "".join(paragraph)
        lines.append(line)
        size += len(line.encode()) + 1
    return "\n".join(lines) + "\n"


def make_crawl(folder: Path, docs: int) -> int:
    """Write (or reuse) ``docs`` pages under ``folder``; return their total bytes."""
    stamp = folder / "crawl.json"
    if stamp.is_file():
        known = json.loads(stamp.read_text())
        if known.get("docs") == docs and known.get("page_bytes") == PAGE_BYTES:
            return int(known["bytes"])
    shutil.rmtree(folder, ignore_errors=True)
    sentences, terms = sentence_pool()
    rng = random.Random(CRAWL_SEED)
    total = 0
    started = time.perf_counter()
    for number in range(docs):
        sub = folder / f"{number // FILES_PER_FOLDER:03d}"
        if number % FILES_PER_FOLDER == 0:
            sub.mkdir(parents=True, exist_ok=True)
        data = make_page(rng, sentences, terms, number).encode("utf-8")
        (sub / f"page-{number:07d}.txt").write_bytes(data)
        total += len(data)
    stamp.write_text(json.dumps({"docs": docs, "page_bytes": PAGE_BYTES, "bytes": total}))
    log(f"crawl: {docs:,} pages, {total / 1e6:,.0f} MB in {time.perf_counter() - started:.0f} s")
    return total


# -- one measured run, in a child process -----------------------------------------------


def child_ingest_and_tag(spec: dict[str, Any]) -> dict[str, Any]:
    """Ingest the given folders and tag the corpus on the engine; return timings and memory."""
    from workbench.batch.engine import EngineSettings, PartitionRunner
    from workbench.config import load_config
    from workbench.glossary.tag import tag_corpus
    from workbench.ingest.pipeline import ingest_paths

    config = load_config(root=ROOT, overrides={"paths": {"work_dir": spec["work"]}})
    engine = EngineSettings(workers=spec["workers"], scheduler=spec.get("scheduler"))
    runner = PartitionRunner(engine, progress=False)
    started = time.perf_counter()
    report = ingest_paths(
        [Path(p) for p in spec["paths"]],
        config,
        runner=runner,
        partition_files=spec["partition_files"],
        in_process_below_bytes=0,
    )
    ingested = time.perf_counter()
    assert report.manifest is not None and not report.failed, "ingest failed"
    ingest_peaks = runner.last.peak_rss_mb if runner.last else []
    ingest_cpu = runner.last.cpu_s if runner.last else 0.0
    where = runner.last.where if runner.last else "in process"
    tag_runner = PartitionRunner(engine, progress=False)
    summary = tag_corpus(config, runner=tag_runner)
    tagged = time.perf_counter()
    tag_peaks = tag_runner.last.peak_rss_mb if tag_runner.last else []
    tag_cpu = tag_runner.last.cpu_s if tag_runner.last else 0.0
    return {
        "cpu_s": ingest_cpu + tag_cpu,
        "where": where,
        "documents": report.manifest["documents"],
        "sentences": report.manifest["sentences"],
        "matches": summary["matches"],
        "ingest_s": ingested - started,
        "tag_s": tagged - ingested,
        "worker_peak_mb": [max(a, b) for a, b in zip(ingest_peaks, tag_peaks, strict=False)]
        or ingest_peaks,
    }


def child_export(spec: dict[str, Any]) -> dict[str, Any]:
    """Snapshot the first sentences as annotated, then time the export."""
    from workbench.batch.engine import EngineSettings, map_in_order
    from workbench.config import load_config
    from workbench.corpus import corpus_dir, read_sentences
    from workbench.export.run import export_dataset
    from workbench.snapshot import write_snapshot

    config = load_config(
        root=ROOT,
        overrides={
            "paths": {"work_dir": spec["work"], "exports_dir": str(Path(spec["work"]) / "exports")}
        },
    )

    def tasks() -> Any:
        for number, sentence in enumerate(read_sentences(corpus_dir(config.work_dir))):
            if number >= spec["tasks"]:
                return
            english = " ".join(m.en for m in sentence.terms) or "the policy was carried out"
            yield {
                "task_id": number + 1,
                "sentence_id": sentence.id,
                "doc_id": sentence.doc_id,
                "doc_title": None,
                "speaker": None,
                "text": sentence.text,
                "terms": [],
                "annotations": [
                    {
                        "id": number + 1,
                        "annotator": "bench@example.org",
                        "created_at": "2026-01-01T10:00:00Z",
                        "updated_at": "2026-01-01T10:00:00Z",
                        "lead_time": 1.0,
                        "was_cancelled": False,
                        "ground_truth": False,
                        "translation": f"Sentence {number}: {english}.",
                        "status": "final",
                        "segmentation": "ok",
                        "entities": [],
                        "result": [],
                    }
                ],
            }

    write_snapshot(config.work_dir, tasks(), {"project_id": 1})
    timings = {}
    for workers in (1, spec["workers"]):
        mapper = map_in_order(EngineSettings(workers=workers), min_parallel=2)
        started = time.perf_counter()
        result = export_dataset(config, mapper=mapper, name=f"scale-{workers}")
        timings[str(workers)] = time.perf_counter() - started
    return {"export_s": timings, "pairs": result.manifest["counts"]["pairs"]}


def child_ceiling(spec: dict[str, Any]) -> dict[str, Any]:
    """A fixed amount of per-document work in one process (no engine): the seeds ingested
    ``spec["rounds"]`` times in memory."""
    from workbench.config import load_config
    from workbench.ingest.pipeline import Ingester

    ingester = Ingester(load_config(root=ROOT))
    seeds = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    started = time.perf_counter()
    for _ in range(spec["rounds"]):
        for number, data in enumerate(seeds):
            ingester.read_bytes(data, f"seed{number}.txt", f"seed{number}")
    return {"seconds": time.perf_counter() - started, "cpu_s": time.process_time()}


def machine_ceiling(rounds: int) -> float:
    """Return how much faster two processes do twice the work than one does it once.

    The same per-document work, with no engine: the most any two-worker run can gain on
    this machine now (2.0 on two idle cores; less when the cores are shared or are
    hyperthreads of one core).
    """
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "ceiling"]
    spec = json.dumps({"rounds": rounds})
    started = time.perf_counter()
    subprocess.run([*command, spec], cwd=ROOT, check=True, capture_output=True)
    alone = time.perf_counter() - started
    started = time.perf_counter()
    pair = [subprocess.Popen([*command, spec], cwd=ROOT, stdout=subprocess.DEVNULL) for _ in "ab"]
    for process in pair:
        process.wait()
    together = time.perf_counter() - started
    return 2 * alone / together


def run_child(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Run one measurement in a fresh Python; return what it printed (JSON) and its peak."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, json.dumps(spec)]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"benchmark step {kind} failed:\n{result.stderr[-4000:]}")
    record: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    record["wall_s"] = time.perf_counter() - started
    return record


def child_main(kind: str, spec_json: str) -> None:
    import resource

    spec = json.loads(spec_json)
    children = {"ingest": child_ingest_and_tag, "export": child_export, "ceiling": child_ceiling}
    record = children[kind](spec)
    record["main_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if kind == "ingest":  # CPU of every process: this one (client, local scheduler) + workers
        record["cpu_s"] = time.process_time() + (
            record["cpu_s"] if record["where"] != "in process" else 0.0
        )
    print(json.dumps(record))


# -- a separately started cluster -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_cluster(workers: int, logs: Path) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """Start ``dask scheduler`` and ``workers`` ``dask worker`` processes on loopback."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs.mkdir(parents=True, exist_ok=True)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
             "--port", str(port), *NO_DASHBOARD],
            stdout=subprocess.DEVNULL,
            stderr=open(logs / "scheduler.log", "wb"),  # noqa: SIM115 (kept open while it runs)
        )
    ]  # fmt: skip
    for number in range(workers):
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads",
                 "1", "--host", "127.0.0.1", *NO_DASHBOARD],
                stdout=subprocess.DEVNULL,
                stderr=open(logs / f"worker{number}.log", "wb"),  # noqa: SIM115
            )
        )  # fmt: skip
    from distributed import Client

    with Client(address, timeout="60s") as client:
        client.wait_for_workers(workers, timeout=120)
    return address, processes


def stop_cluster(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in reversed(processes):
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- comparing corpora ------------------------------------------------------------------


def corpus_digest(work: Path) -> str:
    """SHA-256 over every corpus partition file (not the manifest's time stamp)."""
    digest = hashlib.sha256()
    corpus = work / "corpus"
    for path in sorted(corpus.rglob("*.jsonl")):
        digest.update(path.relative_to(corpus).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def print_memory(
    docs: int,
    tenth_docs: int,
    tenth: tuple[Path, dict[str, Any]],
    whole: tuple[Path, dict[str, Any]],
) -> None:
    """Print the peak memory of each worker and of the client for a tenth and for all."""
    print()
    print("peak memory (MB, ru_maxrss; 2 workers, a fresh local cluster per stage, ingest + tag):")
    for (_, record), count in ((tenth, tenth_docs), (whole, docs)):
        print(
            f"  {count:>9,} docs: workers {record['worker_peak_mb']}  "
            f"client {record['main_peak_mb']:.0f} (with the local scheduler)"
        )
    shutil.rmtree(tenth[0], ignore_errors=True)
    grown = max(whole[1]["worker_peak_mb"] or [0]) - max(tenth[1]["worker_peak_mb"] or [0])
    print(
        f"  growth from a tenth to all: workers {grown:+.1f} MB, client "
        f"{whole[1]['main_peak_mb'] - tenth[1]['main_peak_mb']:+.1f} MB (goal: flat)"
    )


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000, help="pages in the crawl")
    parser.add_argument(
        "--data",
        type=Path,
        default=ROOT / "work" / "scale-benchmark",
        help="crawl and work folders",
    )
    parser.add_argument("--partition-files", type=int, default=250, help="files per partition")
    parser.add_argument(
        "--export-tasks", type=int, default=200_000, help="annotated sentences to export"
    )
    parser.add_argument("--no-cluster", action="store_true", help="skip the dask-scheduler run")
    parser.add_argument(
        "--memory-only",
        action="store_true",
        help="only the peak-memory runs (2 workers, a tenth of the crawl and all of it)",
    )
    parser.add_argument(
        "--ceiling-rounds", type=int, default=60, help="seed rounds of the machine-ceiling run"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=2,
        help="rounds of the 1- and 2-worker runs, alternated 1-2, 2-1, … (default 2)",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child_main(*options.child)
        return

    crawl = options.data / f"crawl-{options.docs}"
    size = make_crawl(crawl, options.docs)
    folders = sorted(p for p in crawl.iterdir() if p.is_dir())
    tenth = folders[: max(1, len(folders) // 10)]
    tenth_docs = sum(1 for folder in tenth for _ in folder.iterdir())
    mb = size / 1e6
    print(
        f"crawl: {options.docs:,} pages, {mb:,.1f} MB, {len(folders)} folders "
        f"(partitions of {options.partition_files} files); machine: {os.cpu_count()} cores"
    )

    def ingest(name: str, paths: list[Path], workers: int, scheduler: str | None = None):
        work = options.data / f"work-{options.docs}-{name}"
        shutil.rmtree(work, ignore_errors=True)
        log(f"ingest + tag: {name} …")
        spec = {
            "work": str(work),
            "paths": [str(p) for p in paths],
            "workers": workers,
            "scheduler": scheduler,
            "partition_files": options.partition_files,
        }
        return work, run_child("ingest", spec)

    if options.memory_only:
        small = ingest("w2-tenth", tenth, 2)
        whole = ingest("w2", [crawl], 2)
        print_memory(options.docs, tenth_docs, small, whole)
        shutil.rmtree(whole[0], ignore_errors=True)
        return
    # 1 and 2 workers alternate, 1-2-2-1 for two rounds: a shared machine's speed drifts
    # by 10-30 % over the minutes one run takes, and a slow stretch would otherwise land
    # on one side only. The speed-up is total time at 1 worker / total time at 2.
    order = [
        workers for r in range(options.rounds) for workers in ((1, 2) if r % 2 == 0 else (2, 1))
    ]
    timed: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
    digests: set[str] = set()
    runs: dict[str, tuple[Path, dict[str, Any]]] = {}
    for workers in order:
        label = "1 worker" if workers == 1 else f"{workers} workers"
        runs[label] = ingest(f"w{workers}", [crawl], workers)
        timed[workers].append(runs[label][1])
        digests.add(corpus_digest(runs[label][0]))
    print()
    print(f"{'ingest + segment + tag':<26}{'where':<30}{'docs/s':>9}{'MB/s':>8}{'ingest s':>10}"
          f"{'tag s':>8}{'sentences':>12}{'CPU s':>14}{'docs/CPU s':>12}")  # fmt: skip
    seen = {1: 0, 2: 0}
    for workers in order:
        record = timed[workers][seen[workers]]
        seen[workers] += 1
        seconds = record["ingest_s"] + record["tag_s"]
        name = f"{'1 worker' if workers == 1 else '2 workers'}, run {seen[workers]}"
        print(
            f"{name:<26}{record['where']:<30}{record['documents'] / seconds:>9.0f}"
            f"{mb / seconds:>8.2f}{record['ingest_s']:>10.1f}{record['tag_s']:>8.1f}"
            f"{record['sentences']:>12,}{record['cpu_s']:>14.1f}"
            f"{record['documents'] / max(record['cpu_s'], 1e-9):>12.1f}"
        )
    one, two = (sum(r["ingest_s"] + r["tag_s"] for r in timed[w]) for w in (1, 2))
    stages = {
        stage: sum(r[f"{stage}_s"] for r in timed[1]) / sum(r[f"{stage}_s"] for r in timed[2])
        for stage in ("ingest", "tag")
    }
    pairs = ", ".join(
        f"{(a['ingest_s'] + a['tag_s']) / (b['ingest_s'] + b['tag_s']):.2f}x"
        for a, b in zip(timed[1], timed[2], strict=True)
    )
    print(f"speed-up 2 workers / 1 worker: {one / two:.2f}x over {options.rounds} round(s) "
          f"(goal >= 1.8x; each round: {pairs}; ingest {stages['ingest']:.2f}x, "
          f"tag {stages['tag']:.2f}x); corpus byte-identical in all {len(order)} runs: "
          f"{len(digests) == 1}")  # fmt: skip
    log("machine ceiling …")
    print(
        f"machine ceiling now: two processes doing the same ingest work with no engine run "
        f"{machine_ceiling(options.ceiling_rounds):.2f}x as fast as one (2.00 on two idle cores)"
    )
    cpu_one, cpu_two = (sum(r["cpu_s"] for r in timed[w]) for w in (1, 2))
    print(
        f"work per document, 2 workers / 1 worker (CPU s): {cpu_two / max(cpu_one, 1e-9):.2f}x "
        "(the engine's overhead; on an idle machine the speed-up is about 2 / this)"
    )

    print_memory(options.docs, tenth_docs, ingest("w2-tenth", tenth, 2), runs["2 workers"])
    print(
        f"  1 worker in process, {options.docs:,} docs: {runs['1 worker'][1]['main_peak_mb']:.0f}"
    )

    log("export …")
    exported = run_child(
        "export",
        {"work": str(runs["2 workers"][0]), "tasks": options.export_tasks, "workers": 2},
    )
    print()
    alone, parallel = exported["export_s"]["1"], exported["export_s"]["2"]
    print(
        f"export: {exported['pairs']:,} pairs (first {options.export_tasks:,} sentences "
        f"annotated) of a {options.docs:,}-document corpus: {alone:.1f} s with the corpus "
        f"read in process, {parallel:.1f} s with its partitions read on 2 workers "
        f"({alone / parallel:.2f}x)"
    )

    if not options.no_cluster:
        log("dask scheduler + 2 workers on loopback …")
        address, processes = start_cluster(2, options.data / "cluster-logs")
        try:
            work, record = ingest("cluster", [crawl], 2, scheduler=address)
        finally:
            stop_cluster(processes)
        seconds = record["ingest_s"] + record["tag_s"]
        same = corpus_digest(work) == corpus_digest(runs["2 workers"][0])
        print()
        print(
            f"separate dask scheduler + 2 workers ({record['where']}): "
            f"{record['documents'] / seconds:.0f} docs/s, {mb / seconds:.2f} MB/s "
            f"(local cluster: {len(timed[2]) * runs['2 workers'][1]['documents'] / two:.0f} "
            "docs/s); "
            f"corpus identical to the local run: {same}; peak per worker "
            f"{record['worker_peak_mb']} MB, client {record['main_peak_mb']:.0f} MB"
        )
        shutil.rmtree(work, ignore_errors=True)
    for work, _ in runs.values():
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
