"""Export writers against the obvious alternatives: speed and peak memory, one run.

Each measurement runs in its own child process (peak memory is that child's ru_maxrss, so
runs do not pollute each other), writing synthetic zh–en pairs generated on the fly:

- TMX: workbench's streaming writer vs translate-toolkit's ``tmxfile`` (builds the whole
  document in memory; run on fewer pairs, ``--baseline-pairs``, and compared per pair);
- JSONL: workbench's writer vs ``json.dumps`` per line;
- Parquet: workbench's row-group writer vs ``pandas.DataFrame(...).to_parquet`` of the
  whole frame;
- memory flatness: every workbench format at ``--small`` and at ``--pairs`` pairs.

Rates are pairs per CPU second of the child (wall seconds are printed too): on a shared
machine wall time measures the neighbours as much as the code.

Usage: ``.venv/bin/python benchmarks/export.py [--pairs 1000000] [--baseline-pairs 200000]
[--small 100000] [--tmx-only]``. Prints one line per run and the ratios.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.export.formats import FORMATS, WriterOptions  # noqa: E402
from workbench.export.formats.base import row  # noqa: E402
from workbench.export.formats.jsonl import hf_record  # noqa: E402
from workbench.export.formats.table import COLUMNS  # noqa: E402
from workbench.models import Entity, SentencePair  # noqa: E402

PLACES = ["吉林省", "青海省", "柳州市", "遂宁市", "贵州省", "甘肃省", "云南省", "四川省"]


POOL = 4096


def _make_pair(i: int) -> SentencePair:
    place = PLACES[i % len(PLACES)]
    zh = (
        f"{place}第{i}号文件：全省农村贫困人口减少{i % 997}.{i % 10}万人，"
        f"贫困发生率下降到{i % 13}.{i % 100}%，坚持精准扶贫、精准脱贫基本方略。"
    )
    en = (
        f"Document {i} of {place}: the rural poor population fell by {i % 997}{i % 10}000 "
        f"and the poverty headcount ratio to {i % 13}.{i % 100} percent; targeted poverty "
        f'alleviation & elimination <strategy> "stays".'
    )
    return SentencePair(
        id=f"s{i:07d}",
        doc_id=f"doc{i // 40}",
        zh=zh,
        en=en,
        doc_title=f"{place}文件",
        annotator="annotator@example.org",
        status="final",
        annotation_id=i,
        task_id=i,
        updated_at="2026-01-01T10:00:00Z",
        split="train",
        entities=[Entity(0, 3, place, "LOC", None)],
    )


def synthetic_pairs(n: int) -> Iterator[SentencePair]:
    """Yield ``n`` realistic-length pairs (XML-special characters included).

    They cycle through a pool of 4,096 distinct pairs built up front, so the measurement
    is of the writers, not of string formatting in this generator; the pool's memory is
    the same at every size.
    """
    pool = [_make_pair(i) for i in range(POOL)]
    for i in range(n):
        yield pool[i % POOL]


def run_workbench(fmt: str, n: int, out: Path) -> None:
    writer = FORMATS[fmt](out, "train", WriterOptions())
    for pair in synthetic_pairs(n):
        writer.write(pair)
    writer.close()


def run_toolkit_tmx(n: int, out: Path) -> None:
    from translate.storage.tmx import tmxfile

    store = tmxfile(sourcelanguage="zh-CN", targetlanguage="en")
    for pair in synthetic_pairs(n):
        store.addtranslation(pair.zh, "zh-CN", pair.en, "en")
    store.savefile(str(out / "toolkit.tmx"))


def run_json_dumps(n: int, out: Path) -> None:
    with open(out / "plain.jsonl", "w", encoding="utf-8") as handle:
        for pair in synthetic_pairs(n):
            handle.write(json.dumps(hf_record(pair), ensure_ascii=False) + "\n")


def run_pandas_parquet(n: int, out: Path) -> None:
    import pandas as pd

    rows = [dict(zip(COLUMNS, row(p), strict=True)) for p in synthetic_pairs(n)]
    pd.DataFrame(rows).to_parquet(out / "pandas.parquet")


def prepare_pipeline(n: int, out: Path):
    """Write a snapshot of ``n`` annotated tasks; return the export to time.

    Every sentence differs in its words, not only its numbers, so near-duplicate removal
    keeps them; QA runs against the project's real glossary.
    """
    from workbench.config import load_config
    from workbench.export.run import export_dataset
    from workbench.snapshot import write_snapshot

    config = load_config(
        ROOT,
        overrides={"paths": {"work_dir": str(out / "work"), "exports_dir": str(out / "x")}},
        environ={},
    )
    verbs = ["完成", "实现", "推进", "落实", "巩固", "加快", "扩大", "深化", "统筹", "支持"]
    things = ["精准扶贫", "易地扶贫搬迁", "产业扶贫", "教育扶贫", "健康扶贫", "乡村振兴"]

    def tasks():
        for i in range(n):
            pair = _make_pair(i)
            zh = f"{verbs[i % 10]}{things[(i // 10) % 6]}第{i}项：{pair.zh}"
            yield {
                "task_id": i,
                "sentence_id": pair.id,
                "doc_id": pair.doc_id,
                "doc_title": pair.doc_title,
                "speaker": None,
                "text": zh,
                "terms": [],
                "annotations": [
                    {
                        "id": i,
                        "annotator": pair.annotator,
                        "created_at": pair.updated_at,
                        "updated_at": pair.updated_at,
                        "lead_time": 1.0,
                        "was_cancelled": False,
                        "ground_truth": False,
                        "translation": f"Task {i} ({i % 7}): {pair.en}",
                        "status": "final",
                        "segmentation": "ok",
                        "entities": [
                            {
                                "start": 0,
                                "end": 2,
                                "text": zh[:2],
                                "label": "POLICY_TERM",
                                "rendering": None,
                            }
                        ],
                        "result": [],
                    }
                ],
            }

    write_snapshot(config.work_dir, tasks(), {"project_id": 1})
    return lambda: export_dataset(config)


def run_generate_only(n: int, out: Path) -> None:
    for _pair in synthetic_pairs(n):
        pass


def child(kind: str, fmt: str, n: int) -> None:
    """Run one measurement and print its JSON result (called in a subprocess)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        pipeline = prepare_pipeline(n, out) if kind == "pipeline" else None
        start = time.perf_counter()
        cpu_start = time.process_time()
        if pipeline is not None:
            pipeline()
        elif kind == "workbench":
            run_workbench(fmt, n, out)
        elif kind == "toolkit":
            run_toolkit_tmx(n, out)
        elif kind == "json.dumps":
            run_json_dumps(n, out)
        elif kind == "pandas":
            run_pandas_parquet(n, out)
        else:
            run_generate_only(n, out)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "bytes": size}))


def measure(kind: str, fmt: str, n: int) -> dict:
    """Run ``child`` in a fresh interpreter and return its result."""
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, fmt, str(n)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result.update(kind=kind, format=fmt, pairs=n, rate=n / max(result["cpu"], 1e-9))
    print(
        f"{kind:>10} {fmt:<8} {n:>9,} pairs  {result['seconds']:7.2f} s wall "
        f"{result['cpu']:7.2f} s cpu  {result['rate']:>10,.0f} pairs/cpu-s  "
        f"peak {result['peak_mb']:7.1f} MB  "
        f"{result['bytes'] / 1e6:8.1f} MB written",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument(
        "--baseline-pairs",
        type=int,
        default=200_000,
        help="pairs for translate-toolkit (it holds the whole file in memory)",
    )
    parser.add_argument(
        "--small",
        type=int,
        default=100_000,
        help="the smaller size of the memory-flatness comparison",
    )
    parser.add_argument(
        "--pipeline", type=int, default=40_000, help="tasks for the whole-export run (0: skip)"
    )
    parser.add_argument("--formats", default="tmx,jsonl,moses,csv,tsv,parquet,bio,spans,terms")
    parser.add_argument(
        "--tmx-only", action="store_true", help="only TMX against translate-toolkit"
    )
    parser.add_argument("--child", nargs=3, metavar=("KIND", "FORMAT", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, fmt, n = args.child
        child(kind, fmt, int(n))
        return

    print(f"python {sys.version.split()[0]}; synthetic pairs generated in the child process")
    generate = measure("generate", "-", args.pairs)
    print(f"(generating the pairs alone: {generate['seconds']:.2f} s, included in every run)")

    ours_tmx = measure("workbench", "tmx", args.pairs)
    toolkit = measure("toolkit", "tmx", args.baseline_pairs)
    if args.tmx_only:
        print(
            f"  TMX     vs translate-toolkit tmxfile: {ours_tmx['rate'] / toolkit['rate']:6.1f}x "
            "(pairs per CPU second)"
        )
        return
    ours_jsonl = measure("workbench", "jsonl", args.pairs)
    dumps = measure("json.dumps", "jsonl", args.pairs)
    ours_parquet = measure("workbench", "parquet", args.pairs)
    pandas = measure("pandas", "parquet", args.pairs)

    small = {fmt: measure("workbench", fmt, args.small) for fmt in args.formats.split(",")}
    large = {"tmx": ours_tmx, "jsonl": ours_jsonl, "parquet": ours_parquet}
    for fmt in args.formats.split(","):
        if fmt not in large:
            large[fmt] = measure("workbench", fmt, args.pairs)

    print("\nspeed (pairs per CPU second, workbench / alternative; CPU time because the")
    print("machine is shared and wall time swings with the neighbours' load):")
    print(
        f"  TMX     vs translate-toolkit tmxfile: {ours_tmx['rate'] / toolkit['rate']:6.1f}x "
        f"(toolkit on {args.baseline_pairs:,} pairs; peak {toolkit['peak_mb']:.0f} MB "
        f"vs {ours_tmx['peak_mb']:.0f} MB at {args.pairs:,})"
    )
    print(
        f"  JSONL   vs json.dumps per line:       {ours_jsonl['rate'] / dumps['rate']:6.1f}x "
        f"(peak {ours_jsonl['peak_mb']:.0f} MB vs {dumps['peak_mb']:.0f} MB)"
    )
    print(
        f"  Parquet vs pandas to_parquet:         {ours_parquet['rate'] / pandas['rate']:6.1f}x "
        f"(peak {ours_parquet['peak_mb']:.0f} MB vs {pandas['peak_mb']:.0f} MB)"
    )
    if args.pipeline:
        print("\nthe whole export (selection, QA, dedup, splits, all nine formats):")
        small_run = measure("pipeline", "all", args.pipeline // 4)
        big_run = measure("pipeline", "all", args.pipeline)
        print(
            f"  {big_run['rate']:,.0f} pairs per CPU second; peak memory "
            f"{small_run['peak_mb']:.0f} MB at {args.pipeline // 4:,} → "
            f"{big_run['peak_mb']:.0f} MB at {args.pipeline:,} tasks "
            "(the duplicate and consistency indexes hold a few hashes per pair)"
        )
    print(f"\npeak memory, {args.small:,} → {args.pairs:,} pairs (flat means ratio near 1):")
    for fmt in args.formats.split(","):
        a, b = small[fmt]["peak_mb"], large[fmt]["peak_mb"]
        print(f"  {fmt:<8} {a:7.1f} MB → {b:7.1f} MB   ratio {b / a:4.2f}")


if __name__ == "__main__":
    main()
