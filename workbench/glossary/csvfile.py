"""CSV interchange for spreadsheets: every TSV column (``enforcement`` too), UTF-8 with a BOM
(so Excel shows Chinese correctly), multi-valued cells joined with `` | `` as in the term
files. Reading accepts a CSV without the optional trailing columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from workbench.errors import InputError
from workbench.fileio import atomic_write
from workbench.glossary.model import Entry, columns, load_schema, required_columns, split_multi


def csv_text(entries: Iterable[Entry]) -> str:
    """Return the entries as CSV text (header first, CRLF rows as RFC 4180 has them)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns())
    for entry in entries:
        writer.writerow(entry.row())
    return buffer.getvalue()


def write_csv(path: Path, entries: Iterable[Entry]) -> None:
    """Write the entries as CSV with a BOM (for spreadsheets), atomically."""
    with atomic_write(Path(path), "w", encoding="utf-8-sig") as handle:
        handle.write(csv_text(entries))


def read_csv(path: Path) -> list[Entry]:
    """Read entries from a CSV with the glossary columns (any order, BOM or not)."""
    path = Path(path)
    multi = set(load_schema()["files"]["multi_valued"])
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            present = set(reader.fieldnames or [])
            missing = set(required_columns()) - present
            if missing:
                raise InputError(
                    f"{path}:1: missing column(s) {', '.join(sorted(missing))}; "
                    f"expected {', '.join(columns())} (the last ones optional)"
                )
            names = [name for name in columns() if name in present]
            entries = []
            for row in reader:
                values: dict[str, Any] = {k: (row[k] or "").strip() for k in names}
                for key in multi:
                    values[key] = [v for v in split_multi(values[key]) if v]
                entries.append(Entry(**values, file=str(path), line=reader.line_num))
            return entries
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 ({exc.reason}); save the CSV as UTF-8") from None
