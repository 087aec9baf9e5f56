"""Flat tables of pairs: CSV (RFC 4180, for spreadsheets), TSV and Parquet (for pandas).

TSV is written without quoting: ``pairs.clean_text`` removed tabs and line breaks, so a
plain ``split("\\t")`` reads it (``pandas.read_csv(sep="\\t", quoting=csv.QUOTE_NONE)``).
Parquet is written by pyarrow one row group at a time, so memory holds one group only.
"""

from __future__ import annotations

import csv
import functools
from typing import TYPE_CHECKING, Any

from workbench.export.formats.base import COLUMNS, FormatWriter, WrittenFile, row
from workbench.models import SentencePair

if TYPE_CHECKING:
    import pyarrow as pa


class CsvWriter(FormatWriter):
    """Write ``parallel/<split>.csv`` with a header row, UTF-8."""

    name = "csv"

    def __init__(self, folder, split, options) -> None:
        super().__init__(folder, split, options)
        self.path = self._file(f"parallel/{split}.csv")
        self._handle = self._open(self.path, newline="")
        self._csv = csv.writer(self._handle)
        self._csv.writerow(COLUMNS)

    def write(self, pair: SentencePair) -> None:
        self._csv.writerow(row(pair))
        self.records += 1

    def close(self) -> list[WrittenFile]:
        self._handle.close()
        return self._written(self.path)


class TsvWriter(FormatWriter):
    """Write ``parallel/<split>.tsv`` with a header row and no quoting."""

    name = "tsv"

    def __init__(self, folder, split, options) -> None:
        super().__init__(folder, split, options)
        self.path = self._file(f"parallel/{split}.tsv")
        self._handle = self._open(self.path)
        self._handle.write("\t".join(COLUMNS) + "\n")

    def write(self, pair: SentencePair) -> None:
        self._handle.write("\t".join(row(pair)) + "\n")
        self.records += 1

    def close(self) -> list[WrittenFile]:
        self._handle.close()
        return self._written(self.path)


@functools.cache
def _pyarrow() -> tuple[Any, Any, pa.Schema]:
    """pyarrow, its parquet module and the table schema, imported on the first Parquet file.

    pyarrow takes about 0.1 s to import; loading it here rather than at module level keeps
    every other command (and ``workbench --help``) from paying for it.
    """
    import pyarrow
    import pyarrow.parquet

    return pyarrow, pyarrow.parquet, pyarrow.schema([(name, pyarrow.string()) for name in COLUMNS])


class ParquetWriter(FormatWriter):
    """Write ``parallel/<split>.parquet`` in row groups of ``parquet_row_group`` rows."""

    name = "parquet"

    def __init__(self, folder, split, options) -> None:
        super().__init__(folder, split, options)
        self.path = self._file(f"parallel/{split}.parquet")
        pa, pq, self._schema = _pyarrow()
        self._pa = pa
        self._writer = pq.ParquetWriter(self.path, self._schema, compression="zstd")
        self._rows: list[tuple[str, ...]] = []
        self._group = max(1, int(options.parquet_row_group))

    def write(self, pair: SentencePair) -> None:
        self._rows.append(row(pair))
        self.records += 1
        if len(self._rows) >= self._group:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            pa = self._pa
            columns = [pa.array(column, pa.string()) for column in zip(*self._rows, strict=True)]
            self._writer.write_batch(pa.record_batch(columns, schema=self._schema))
            self._rows = []

    def abort(self) -> None:
        self._writer.close()

    def close(self) -> list[WrittenFile]:
        self._flush()
        self._writer.close()
        return self._written(self.path)
