"""Term pairs: each zh span an annotator gave an English rendering, one per line.

Trainers use these for terminology-constrained decoding and glossary curators to mine new
entries; each line says whether the span is a glossary term and what the glossary says.
"""

from __future__ import annotations

import orjson

from workbench.export.formats.base import FormatWriter, WrittenFile
from workbench.export.pairs import SentencePair


class TermsWriter(FormatWriter):
    """Write ``entities/<split>.terms.jsonl``: ``{"zh", "en", "label", "sentence_id", …}``."""

    name = "terms"

    def __init__(self, folder, split, options) -> None:
        super().__init__(folder, split, options)
        self.path = self._file(f"entities/{split}.terms.jsonl")
        self._handle = self._open_binary(self.path)

    def write(self, pair: SentencePair) -> None:
        glossary = {(t.get("start"), t.get("end")): t for t in pair.terms}
        for entity in pair.entities:
            if not entity.rendering:
                continue
            term = glossary.get((entity.start, entity.end)) or {}
            record = {
                "zh": entity.text,
                "en": entity.rendering,
                "label": entity.label,
                "sentence_id": pair.id,
                "doc_id": pair.doc_id,
                "entry_id": term.get("entry_id"),
                "glossary_en": term.get("en"),
            }
            self._handle.write(orjson.dumps(record) + b"\n")
            self.records += 1

    def close(self) -> list[WrittenFile]:
        self._handle.close()
        return self._written(self.path)
