"""Character-level BIO in CoNLL layout for Chinese NER (the MSRA / Weibo NER convention).

One character and its tag per line (``字<TAB>B-ORG``), a blank line between sentences.
Chinese NER is tagged per character because there are no spaces to tokenise on; whitespace
characters are left out (a CoNLL token cannot be blank). BIO cannot nest, so where
annotated spans overlap the earlier (then longer) one wins; the spans JSONL keeps all.
"""

from __future__ import annotations

from workbench.export.formats.base import FormatWriter, WrittenFile
from workbench.export.pairs import Entity, SentencePair


def bio_tags(text: str, entities: list[Entity]) -> list[str]:
    """Return one BIO tag per character of ``text`` (overlapping spans: first one wins)."""
    tags = ["O"] * len(text)
    for entity in sorted(entities, key=lambda e: (e.start, -e.end)):
        if any(tag != "O" for tag in tags[entity.start : entity.end]):
            continue
        tags[entity.start] = f"B-{entity.label}"
        for i in range(entity.start + 1, entity.end):
            tags[i] = f"I-{entity.label}"
    return tags


class BioWriter(FormatWriter):
    """Write ``entities/<split>.bio``."""

    name = "bio"

    def __init__(self, folder, split, options) -> None:
        super().__init__(folder, split, options)
        self.path = self._file(f"entities/{split}.bio")
        self._handle = self._open(self.path)

    def write(self, pair: SentencePair) -> None:
        tags = bio_tags(pair.zh, pair.entities)
        lines = [f"{char}\t{tag}" for char, tag in zip(pair.zh, tags, strict=True)]
        lines = [line for line, char in zip(lines, pair.zh, strict=True) if not char.isspace()]
        # An entity starting on a dropped space would lose its B-; spans never start on one.
        self._handle.write("\n".join(lines) + "\n\n")
        self.records += 1

    def close(self) -> list[WrittenFile]:
        self._handle.close()
        return self._written(self.path)
