"""JSON Lines in the Hugging Face translation shape, loadable by ``datasets``.

``{"translation": {"zh": …, "en": …}, "id": …, "doc_id": …, …}`` is what
``load_dataset("json", …)`` and the translation examples of ``transformers`` expect.
Encoded by orjson (UTF-8, compact), several times faster than ``json.dumps``.
"""

from __future__ import annotations

import orjson

from workbench.export.formats.base import FormatWriter, WrittenFile
from workbench.models import SentencePair

_BATCH = 2000


def hf_record(pair: SentencePair, zh_key: str = "zh", zh: str | None = None) -> dict:
    """Return the Hugging Face translation record of a pair."""
    return {
        "id": pair.id,
        "translation": {zh_key: pair.zh if zh is None else zh, "en": pair.en},
        "doc_id": pair.doc_id,
        "doc_title": pair.doc_title or "",
        "split": pair.split or "",
        "annotator": pair.annotator or "",
        "status": pair.status or "",
        "origin": pair.origin,
        "score": pair.score,
    }


class JsonlWriter(FormatWriter):
    """Write ``parallel/<split>.jsonl``."""

    name = "jsonl"
    relative = "parallel/{split}.jsonl"

    def __init__(self, folder, split, options) -> None:
        super().__init__(folder, split, options)
        self.path = self._file(self.relative.format(split=split, script=options.script))
        self._handle = self._open_binary(self.path)
        self._buffer: list[bytes] = []

    def record(self, pair: SentencePair) -> dict:
        return hf_record(pair)

    def write(self, pair: SentencePair) -> None:
        self._buffer.append(orjson.dumps(self.record(pair)))
        self.records += 1
        if len(self._buffer) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._handle.write(b"\n".join(self._buffer))
            self._handle.write(b"\n")
            self._buffer.clear()

    def close(self) -> list[WrittenFile]:
        self._flush()
        self._handle.close()
        return self._written(self.path)
