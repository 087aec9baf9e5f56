"""Benchmark: sentence segmentation throughput, workbench vs pySBD vs a bare regex split.

Run from the repository root:  .venv/bin/python benchmarks/segment.py  [--mb 10]

The corpus is the five seeds, normalised as ingest does, repeated as a stream of
paragraphs until it reaches ``--mb`` megabytes of UTF-8 (nothing but the five seeds is
held in memory). The same paragraphs go to

- workbench: ``Segmenter.split`` with every rule of config/segmentation.toml;
- pySBD 0.3.4, ``language="zh"``, one call per paragraph. It is about 150 times slower,
  so it runs on a sample of ``--pysbd-mb`` megabytes (default 0.5) and its rate is
  reported for that sample;
- a bare one-pass ``re.split`` on 。！？ — the floor: it knows no rule at all.

Each rate is the best of three runs, in CPU time. It prints MB/s and sentences/s for each, the
ratios, and the peak memory that tracemalloc sees while the workbench segmenter runs
over 1 MB and over the full corpus (flat when documents stream). Also reported, for
information: normalise + segment, and the whole ingest of one document (decode, clean,
normalise, structure, segment, ids).
"""

from __future__ import annotations

import argparse
import re
import resource
import sys
import time
import tracemalloc
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.config import load_config  # noqa: E402
from workbench.ingest.normalize import normalize  # noqa: E402
from workbench.ingest.pipeline import Ingester  # noqa: E402
from workbench.segment import load_segmenter  # noqa: E402

MB = 1_000_000
BARE_SPLIT = re.compile(r"(?<=[。！？])")


def seed_paragraphs(opencc_config: str) -> list[tuple[str, int]]:
    """Normalised non-blank lines of the seeds with their UTF-8 size."""
    paragraphs = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = normalize(path.read_text(encoding="utf-8"), opencc_config).text
        paragraphs.extend((line, len(line.encode())) for line in text.splitlines() if line)
    return paragraphs


def stream(paragraphs: list[tuple[str, int]], megabytes: float) -> Iterator[tuple[str, int]]:
    """Yield paragraphs round-robin until ``megabytes`` of UTF-8 have gone out."""
    budget = int(megabytes * MB)
    sent = 0
    while sent < budget:
        for paragraph, size in paragraphs:
            yield paragraph, size
            sent += size
            if sent >= budget:
                return


def measure(
    split: Callable[[str], list],
    paragraphs: list[tuple[str, int]],
    megabytes: float,
    repeat: int = 3,
) -> tuple[float, float, int, float]:
    """Return (MB/s, sentences/s, sentences, seconds) of ``split`` over the stream.

    Time is this process's CPU time and the best of ``repeat`` runs counts (as timeit
    does): the machine is shared, and waiting for a core is not the segmenter's work.
    Every method is measured the same way.
    """
    best = float("inf")
    size = sentences = 0
    for _ in range(repeat):
        size = sentences = 0
        start = time.process_time()
        for paragraph, n in stream(paragraphs, megabytes):
            sentences += len(split(paragraph))
            size += n
        best = min(best, time.process_time() - start)
    return size / MB / best, sentences / best, sentences, best


def peak_memory(split: Callable[[str], list], paragraphs, megabytes: float) -> float:
    """Peak traced allocation (MB) while ``split`` runs over the stream."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    for paragraph, _ in stream(paragraphs, megabytes):
        split(paragraph)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / MB


def pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns (CJK characters take two)."""
    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - columns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="corpus size (default 10)")
    parser.add_argument("--pysbd-mb", type=float, default=0.5, help="pySBD sample size")
    args = parser.parse_args()

    config = load_config(root=ROOT)
    opencc_config = str(config.get("ingest", "opencc_config"))
    paragraphs = seed_paragraphs(opencc_config)
    segmenter = load_segmenter(config)
    print(
        f"corpus: the 5 seeds normalised ({sum(n for _, n in paragraphs) / MB:.3f} MB, "
        f"{len(paragraphs)} paragraphs), streamed to {args.mb:g} MB of UTF-8"
    )

    rows = []
    wb = measure(segmenter.split, paragraphs, args.mb)
    rows.append(("workbench (all rules)", args.mb, *wb))
    floor = measure(BARE_SPLIT.split, paragraphs, args.mb)
    rows.append(("bare regex split 。！？", args.mb, *floor))
    try:
        import pysbd
    except ImportError:
        pysbd_row = None
        print("pysbd is not installed: pip install -e '.[bench]'")
    else:
        sbd = pysbd.Segmenter(language="zh", clean=False)
        pysbd_row = measure(sbd.segment, paragraphs, args.pysbd_mb)
        rows.append((f"pysbd zh (sample {args.pysbd_mb:g} MB)", args.pysbd_mb, *pysbd_row))

    def normalise_and_split(paragraph: str) -> list:
        return segmenter.split(normalize(paragraph, opencc_config).text)

    rows.append(("normalise + segment (info)", 2.0, *measure(normalise_and_split, paragraphs, 2.0)))

    print(f"\n{'method':<32}{'MB':>6}{'MB/s':>10}{'sentences/s':>14}{'sentences':>11}{'s':>8}")
    for name, mb, rate, sps, count, seconds in rows:
        print(f"{pad(name, 32)}{mb:>6g}{rate:>10.2f}{sps:>14,.0f}{count:>11,}{seconds:>8.2f}")

    ingester = Ingester(config)
    seed = (ROOT / "seeds" / "004_43a4c4d0f0703f6b.txt").read_bytes()
    start = time.process_time()
    repeats = 20
    for _ in range(repeats):
        ingester.read_bytes(seed, "seed.txt", "seed")
    seconds = time.process_time() - start
    print(
        f"{'full ingest of a seed (info)':<32}{len(seed) * repeats / MB:>6.2f}"
        f"{len(seed) * repeats / MB / seconds:>10.2f}"
    )

    print()
    if pysbd_row is not None:
        ratio = wb[0] / pysbd_row[0]
        verdict = "meets" if ratio >= 100 else "MISSES"
        print(f"ratio workbench / pysbd:      {ratio:8.1f}x  ({verdict} the 100x target)")
    print(f"ratio workbench / bare regex: {wb[0] / floor[0]:8.2f}x  (the regex knows no rules)")
    small = peak_memory(segmenter.split, paragraphs, 1.0)
    large = peak_memory(segmenter.split, paragraphs, args.mb)
    print(
        f"peak memory (tracemalloc) of the workbench segmenter: {small:.3f} MB over 1 MB, "
        f"{large:.3f} MB over {args.mb:g} MB (streamed: does not grow with the corpus)"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS (Python, OpenCC, pySBD loaded): {rss:.0f} MB")


if __name__ == "__main__":
    main()
