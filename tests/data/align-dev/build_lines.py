"""Make ``ID.zh.txt`` / ``ID.en.txt`` from ``sources/ID.*.raw.txt`` the way the gold set is made.

Run from the repository root: ``.venv/bin/python tests/data/align-dev/build_lines.py ID...``

zh: ``workbench segment`` of the raw paragraphs, each line label + normalised text; en:
pysbd 0.3.4 (``language="en", clean=False``) on each paragraph, a bare Roman label
(``II.``) joined back to its heading. The bead file is written by hand afterwards.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pysbd
from click.testing import CliRunner

from workbench.cli import cli

HERE = Path(__file__).resolve().parent
ROMAN_LABEL = re.compile(r"^[IVX]+\.$")


def zh_lines(path: Path) -> list[str]:
    """Our segmenter's sentences, numbering labels kept in front."""
    result = CliRunner().invoke(cli, ["segment", str(path)])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    records = [json.loads(line) for line in result.output.splitlines()]
    return [(r["label"] or "") + r["normalized"] for r in records]


def en_lines(path: Path) -> list[str]:
    """pysbd sentences of every paragraph, a split-off Roman label joined back."""
    splitter = pysbd.Segmenter(language="en", clean=False)
    out: list[str] = []
    for paragraph in path.read_text(encoding="utf-8").splitlines():
        for sentence in (s.strip() for s in splitter.segment(paragraph)):
            if out and ROMAN_LABEL.match(out[-1]):
                out[-1] += " " + sentence
            elif sentence:
                out.append(sentence)
    return out


def main(ids: list[str]) -> None:
    for doc_id in ids:
        for lang, make in (("zh", zh_lines), ("en", en_lines)):
            lines = make(HERE / "sources" / f"{doc_id}.{lang}.raw.txt")
            (HERE / f"{doc_id}.{lang}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
