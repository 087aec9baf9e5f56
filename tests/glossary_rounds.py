"""What the glossary round tests (test_glossary_round4.py, test_glossary_round5.py) share.

Each coverage round adds ``*N.tsv`` files and promises that no row cites a page a
measurement set uses and that no row adds a term marked in a recall passage file; the
readers of those sets live here once.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from workbench.glossary import load_glossary
from workbench.glossary.fold import fold
from workbench.glossary.model import Entry

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "glossary"
DATA = ROOT / "tests" / "data"
URL = re.compile(r"https?://[^\s)|>']+")


def entries_of(files: list[Path]) -> list[Entry]:
    """The entries of the given glossary files, read through the glossary's own loader."""
    names = {path.name for path in files}
    return [e for e in load_glossary(GLOSSARY).entries if Path(e.file).name in names]


def passages(path: Path) -> list[tuple[str, str, list[str]]]:
    """(header, passage, marked terms) of a recall_dev*.txt file."""
    lines = path.read_text("utf-8").splitlines()
    return [
        (line, lines[i + 1], [t for t in lines[i + 2].split("|") if t])
        for i, line in enumerate(lines)
        if line.startswith("## ")
    ]


def marked_terms(path: Path) -> set[str]:
    """The folded terms marked in a recall passage file."""
    return {fold(term) for _, _, terms in passages(path) for term in terms}


def measurement_addresses(recall_files: list[Path]) -> set[str]:
    """Every page a measurement set names: the QA pair files (their ``source_url`` fields),
    the alignment gold list and the given recall passage files."""
    addresses: set[str] = set()
    for path in (DATA / "qa").glob("*.jsonl"):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                addresses.update(
                    record[key] for key in ("source_url", "source_url_en") if record.get(key)
                )
    text = (DATA / "align" / "README.md").read_text("utf-8")
    text += "".join(path.read_text("utf-8") for path in recall_files)
    addresses.update(URL.findall(text))
    return {a.rstrip(".,;") for a in addresses}
