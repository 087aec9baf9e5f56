"""Entity spans as JSON Lines: the sentence and its labelled character offsets.

The lossless twin of the BIO file (overlaps kept), shaped like spaCy / Prodigy span data:
``{"id", "text", "spans": [{"start", "end", "label", "text"}], …}``.
"""

from __future__ import annotations

import orjson

from workbench.export.formats.base import FormatWriter, WrittenFile
from workbench.models import SentencePair


class SpansWriter(FormatWriter):
    """Write ``entities/<split>.spans.jsonl``."""

    name = "spans"

    def __init__(self, folder, split, options) -> None:
        super().__init__(folder, split, options)
        self.path = self._file(f"entities/{split}.spans.jsonl")
        self._handle = self._open_binary(self.path)

    def write(self, pair: SentencePair) -> None:
        record = {
            "id": pair.id,
            "doc_id": pair.doc_id,
            "split": pair.split or "",
            "text": pair.zh,
            "spans": [
                {"start": e.start, "end": e.end, "label": e.label, "text": e.text}
                for e in pair.entities
            ],
        }
        self._handle.write(orjson.dumps(record) + b"\n")
        self.records += 1

    def close(self) -> list[WrittenFile]:
        self._handle.close()
        return self._written(self.path)
