"""Benchmark: start-up of ``workbench --help`` with lazy command imports vs the alternative.

Every run is a fresh interpreter (``python -c``), timed wall-clock, ``--runs`` times each,
interleaved so machine load hits both sides alike; prints the median of each and the ratio.

The alternative is, by default, the same CLI with the command implementations imported
eagerly (what the command modules did before issue 13: the export writers with pyarrow,
the ingest pipeline, the glossary matcher, the TM store with numpy, Label Studio's auth).
With ``--baseline DIR`` it is instead ``workbench --help`` of another checkout, e.g. one of
the main branch, which measures before/after directly.

Run: ``.venv/bin/python benchmarks/cli_startup.py [--runs 10] [--baseline ../main]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HELP = (
    "import sys, contextlib, io\n"
    "{prelude}\n"
    "from workbench.cli import cli\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    cli.main(['--help'], prog_name='workbench', standalone_mode=False)\n"
)
# What the command modules imported at start-up before they imported lazily.
EAGER = (
    "import workbench.export.formats, workbench.export.run, workbench.ingest.pipeline, "
    "workbench.glossary.matcher, workbench.glossary.termbase, workbench.tm.formats, "
    "workbench.tm.store, workbench.tm.fuzzy, workbench.labelstudio.auth, numpy, pyarrow"
)


def time_child(code: str, cwd: Path | None = None) -> float:
    """Seconds for one fresh interpreter to run ``code``."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=cwd)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--baseline", type=Path, help="Another checkout to compare against.")
    args = parser.parse_args()

    lazy = HELP.format(prelude="")
    if args.baseline:
        root = args.baseline.resolve()
        other = HELP.format(prelude=f"sys.path.insert(0, {str(root)!r})")
        label = f"baseline checkout {args.baseline}"
    else:
        other = HELP.format(prelude=EAGER)
        label = "eager command imports"
    time_child(lazy)  # warm the file cache and the bytecode of both sides
    time_child(other)
    ours, theirs = [], []
    for _ in range(args.runs):
        ours.append(time_child(lazy))
        theirs.append(time_child(other))
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"workbench --help, lazy imports : {a * 1000:7.0f} ms (median of {args.runs})")
    print(f"workbench --help, {label:13}: {b * 1000:7.0f} ms (median of {args.runs})")
    print(f"ratio: {b / a:.1f}x faster")


if __name__ == "__main__":
    main()
