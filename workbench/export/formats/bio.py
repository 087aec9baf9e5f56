"""Character-level BIO in CoNLL layout for Chinese NER (the MSRA / Weibo NER convention).

One character and its tag per line (``字<TAB>B-ORG``), a blank line between sentences.
Chinese NER is tagged per character because there are no spaces to tokenise on; whitespace
characters are left out (a CoNLL token cannot be blank). BIO cannot nest, so where
annotated spans overlap the earlier (then longer) one wins; the spans JSONL keeps all.
"""

from __future__ import annotations

import re

from workbench.export.formats.base import FormatWriter, WrittenFile
from workbench.models import Entity, SentencePair

_SPACE = re.compile(r"\s+")


def kept_spans(entities: list[Entity]) -> list[Entity]:
    """Return the spans BIO can hold: in order, the first (then longest) of overlapping ones."""
    kept: list[Entity] = []
    end = 0
    for entity in sorted(entities, key=lambda e: (e.start, -e.end)):
        if entity.start >= end:
            kept.append(entity)
            end = entity.end
    return kept


def bio_tags(text: str, entities: list[Entity]) -> list[str]:
    """Return one BIO tag per character of ``text`` (overlapping spans: first one wins)."""
    tags = ["O"] * len(text)
    for entity in kept_spans(entities):
        tags[entity.start] = f"B-{entity.label}"
        for i in range(entity.start + 1, entity.end):
            tags[i] = f"I-{entity.label}"
    return tags


def _o_run(chars: str) -> str:
    """Return CoNLL lines tagging every non-space character of ``chars`` as O."""
    if not chars:
        return ""
    if _SPACE.search(chars):
        chars = _SPACE.sub("", chars)
        if not chars:
            return ""
    return "\tO\n".join(chars) + "\tO\n"


class BioWriter(FormatWriter):
    """Write ``entities/<split>.bio``."""

    name = "bio"

    def __init__(self, folder, split, options) -> None:
        super().__init__(folder, split, options)
        self.path = self._file(f"entities/{split}.bio")
        self._handle = self._open(self.path)

    def write(self, pair: SentencePair) -> None:
        text = pair.zh
        # Walk the kept spans, not the characters: runs of O are joined in one C call.
        parts: list[str] = []
        position = 0
        for entity in kept_spans(pair.entities):
            parts.append(_o_run(text[position : entity.start]))
            # B- goes to the first character that is written (a span may start on a space).
            chars = [c for c in text[entity.start : entity.end] if not c.isspace()]
            parts.extend(
                f"{char}\t{'I' if i else 'B'}-{entity.label}\n" for i, char in enumerate(chars)
            )
            position = entity.end
        parts.append(_o_run(text[position:]))
        self._handle.write("".join(parts) + "\n")
        self.records += 1

    def close(self) -> list[WrittenFile]:
        self._handle.close()
        return self._written(self.path)
