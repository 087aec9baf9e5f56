"""Term pairs: each zh span and the English the annotation gives it, one per line.

Trainers use these for terminology-constrained decoding and glossary curators to mine new
entries, so the English must be what the translator chose, not what the task was
pre-filled with: a rendering typed in the region's box counts (``"source": "region"``);
a pre-filled rendering the annotator left alone counts only when the translation carries
it (``"source": "translation"``), and so does the glossary rendering of an annotated
span whose box is empty. Anything else is left out and counted as unconfirmed. Each line
also says whether the span is a glossary term and what the glossary says.
"""

from __future__ import annotations

import orjson

from workbench.export.formats.base import FormatWriter, WrittenFile
from workbench.models import SentencePair
from workbench.text.english import Token, find_loose, find_phrase, tokenize


def translation_carries(rendering: str, tokens: list[Token]) -> bool:
    """Whether a translation (its tokens) carries ``rendering``, as the QA check reads it:
    word for word up to inflection and spelling, or its content words in one clause."""
    return find_phrase(rendering, tokens) is not None or find_loose(rendering, tokens) is not None


class TermsWriter(FormatWriter):
    """Write ``entities/<split>.terms.jsonl``: ``{"zh", "en", "source", "label", …}``."""

    name = "terms"

    def __init__(self, folder, split, options) -> None:
        super().__init__(folder, split, options)
        self.path = self._file(f"entities/{split}.terms.jsonl")
        self._handle = self._open_binary(self.path)
        self.unconfirmed = 0  # pre-filled renderings the translation does not carry

    def write(self, pair: SentencePair) -> None:
        if not pair.entities:
            return
        by_span = {(t.start, t.end): t for t in pair.terms}
        by_text = {t.text: t for t in pair.terms}
        tokens: list[Token] | None = None  # of the translation, computed once if needed
        for entity in pair.entities:
            term = by_span.get((entity.start, entity.end)) or by_text.get(entity.text)
            rendering, source = entity.rendering, "region"
            candidates = []
            if rendering and entity.prefilled:
                candidates.append(rendering)
                rendering = None
            elif not rendering and term is not None and term.en:
                candidates.append(term.en)
            for candidate in candidates:
                if tokens is None:
                    tokens = tokenize(pair.en)
                if translation_carries(candidate, tokens):
                    rendering, source = candidate, "translation"
                    break
            if not rendering:
                if entity.prefilled:
                    self.unconfirmed += 1
                continue
            record = {
                "zh": entity.text,
                "en": rendering,
                "source": source,
                "label": entity.label,
                "sentence_id": pair.id,
                "doc_id": pair.doc_id,
                "entry_id": term.entry_id if term is not None else None,
                "glossary_en": term.en if term is not None else None,
            }
            self._handle.write(orjson.dumps(record) + b"\n")
            self.records += 1

    def close(self) -> list[WrittenFile]:
        self._handle.close()
        return self._written(self.path)
