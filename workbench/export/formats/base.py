"""What every output format implements: open per split, write pairs in order, close.

Writers stream: each holds at most one buffered batch, never the corpus. They write into
the export's staging folder, which ``atomic_directory`` swaps in only when all are closed,
so a writer needs no atomicity of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from workbench import __version__
from workbench.models import SentencePair

# The columns of the flat formats (CSV, TSV, Parquet), in order.
COLUMNS = (
    "id",
    "doc_id",
    "doc_title",
    "split",
    "zh",
    "en",
    "annotator",
    "status",
    "source",  # the document's publisher (来源)
    "source_url",
    "origin",
    "score",
)


@dataclass
class WriterOptions:
    """Settings shared by the writers of one export."""

    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    tool_version: str = __version__
    source_lang: str = "zh-CN"
    target_lang: str = "en"
    parquet_row_group: int = 20_000
    script: str | None = None  # OpenCC config of a script-variant writer


@dataclass
class WrittenFile:
    """One file an export wrote, for the manifest and the card."""

    path: str  # relative to the export folder
    format: str
    split: str
    records: int


class FormatWriter:
    """Base of the writers: subclasses set ``name`` and implement ``write`` and ``close``."""

    name = ""

    def __init__(self, folder: Path, split: str, options: WriterOptions) -> None:
        self.folder = Path(folder)
        self.split = split
        self.options = options
        self.records = 0
        self._handles: list[IO] = []

    def write(self, pair: SentencePair) -> None:
        raise NotImplementedError

    def close(self) -> list[WrittenFile]:
        raise NotImplementedError

    def _file(self, relative: str) -> Path:
        path = self.folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def _open(self, path: Path, newline: str = "\n") -> IO[str]:
        """Open a UTF-8 text file that ``abort`` closes if the export fails midway."""
        handle = open(path, "w", encoding="utf-8", newline=newline)  # noqa: SIM115
        self._handles.append(handle)
        return handle

    def _open_binary(self, path: Path) -> IO[bytes]:
        """Open a binary file (for writers that encode JSON with orjson)."""
        handle = open(path, "wb")  # noqa: SIM115
        self._handles.append(handle)
        return handle

    def abort(self) -> None:
        """Close open files after a failure (the staging folder is then deleted whole)."""
        for handle in self._handles:
            handle.close()

    def _written(self, *paths: Path) -> list[WrittenFile]:
        return [
            WrittenFile(p.relative_to(self.folder).as_posix(), self.name, self.split, self.records)
            for p in paths
        ]


def row(pair: SentencePair) -> tuple[str, ...]:
    """Return a pair as the flat columns of ``COLUMNS``."""
    return (
        pair.id,
        pair.doc_id,
        pair.doc_title or "",
        pair.split or "",
        pair.zh,
        pair.en,
        pair.annotator or "",
        pair.status or "",
        pair.source or "",
        pair.source_url or "",
        pair.origin,
        "" if pair.score is None else f"{pair.score:.4f}",
    )
