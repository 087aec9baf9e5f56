"""Benchmark: peak memory and time of ``workbench ingest`` on one huge single-line file.

Run from the repository root:  .venv/bin/python benchmarks/ingest_memory.py  [--mb 50]

A scraped page that lost its line breaks arrives as one paragraph of millions of
characters; every per-character Python object the pipeline makes for it costs tens of
bytes. The input is the five seeds with their line breaks removed, repeated to ``--mb``
megabytes of UTF-8 (cut at a character boundary). Each measurement runs in its own
child process, so its maximum resident set size (``ru_maxrss``) is its own:

- ``workbench ingest FILE`` (decode, clean, normalise, structure, segment, write the corpus);
- the floor any ingester pays: read the file and decode it to a ``str``.

Printed: peak memory and wall time of each, peak memory per input byte, and the ratio of
the ingest's peak to the floor's. The output corpus is written to a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR = (
    "import sys, resource\n"
    "data = open(sys.argv[1], 'rb').read()\n"
    "text = data.decode('utf-8')\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
)
INGEST = (
    "import sys, resource\n"
    "from workbench.cli import cli\n"
    "try:\n"
    "    cli.main(['ingest', '-q', sys.argv[1], '--work-dir', sys.argv[2]], "
    "standalone_mode=False)\n"
    "finally:\n"
    "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
)


def make_input(path: Path, megabytes: float) -> int:
    """Write the seeds without line breaks, repeated to ``megabytes``; return the bytes."""
    seeds = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")))
    unit = "".join(seeds.split("\n")).encode("utf-8")
    size = int(megabytes * 1_000_000)
    data = (unit * (size // len(unit) + 1))[:size]
    path.write_text(data.decode("utf-8", errors="ignore"), encoding="utf-8")
    return path.stat().st_size


def measure(script: str, *args: str) -> tuple[int, float]:
    """Run ``script`` in a child Python; return its peak RSS (KB) and wall time (s)."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "WORKBENCH_INGEST_MAX_FILE_MB": "100000"},
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{result.stderr}")
    return int(result.stdout.strip().splitlines()[-1]), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="input size in megabytes")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ingest-memory-") as tmp:
        source = Path(tmp) / "one-line.txt"
        size = make_input(source, options.mb)
        floor_kb, floor_s = measure(FLOOR, str(source))
        ingest_kb, ingest_s = measure(INGEST, str(source), str(Path(tmp) / "work"))
    print(f"input: {size:,} bytes on one line ({options.mb:g} MB)")
    print(f"{'step':<34}{'peak RSS (KB)':>16}{'bytes/input byte':>18}{'wall s':>9}")
    for name, kb, seconds in (
        ("read + decode (the floor)", floor_kb, floor_s),
        ("workbench ingest", ingest_kb, ingest_s),
    ):
        print(f"{name:<34}{kb:>16,}{kb * 1024 / size:>18.1f}{seconds:>9.1f}")
    print(f"\nratio workbench ingest / floor (peak memory): {ingest_kb / floor_kb:.1f}x")


if __name__ == "__main__":
    main()
