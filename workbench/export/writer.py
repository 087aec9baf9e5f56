"""Fan pairs out to every format's writer of their split, streaming.

Writers are opened lazily, the first time a split receives a pair, and closed together;
on a failure every open file is closed so the staging folder can be removed whole.
"""

from __future__ import annotations

from pathlib import Path

from workbench.export.formats import (
    FORMATS,
    FormatWriter,
    VariantWriter,
    WriterOptions,
    WrittenFile,
)
from workbench.models import SentencePair


class SplitWriters:
    """Every (format, split) writer of one export."""

    def __init__(
        self,
        folder: Path,
        formats: list[str],
        options: WriterOptions,
        scripts: list[str] | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.formats = list(formats)
        self.options = options
        self.scripts = list(scripts or [])
        self._open: dict[tuple[str, str], FormatWriter] = {}

    def _writers(self, split: str) -> list[FormatWriter]:
        writers = []
        for name in self.formats:
            key = (name, split)
            if key not in self._open:
                self._open[key] = FORMATS[name](self.folder, split, self.options)
            writers.append(self._open[key])
        for script in self.scripts:
            key = (f"variants:{script}", split)
            if key not in self._open:
                options = WriterOptions(**{**vars(self.options), "script": script})
                self._open[key] = VariantWriter(self.folder, split, options)
            writers.append(self._open[key])
        return writers

    def write(self, pair: SentencePair) -> None:
        """Write a pair (whose ``split`` is set) to every format."""
        for writer in self._writers(pair.split or "train"):
            writer.write(pair)

    def opened(self, name: str) -> list[FormatWriter]:
        """Return the writers of format ``name`` that received pairs, one per split."""
        return [writer for (fmt, _split), writer in self._open.items() if fmt == name]

    def close(self) -> list[WrittenFile]:
        """Finish every file; return what was written."""
        written: list[WrittenFile] = []
        for writer in self._open.values():
            written.extend(writer.close())
        return written

    def abort(self) -> None:
        """Close every file after a failure."""
        for writer in self._open.values():
            writer.abort()
