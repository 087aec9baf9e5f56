"""Domain records passed between pipeline stages.

Data flows one way: ingest makes ``Document``s and ``Sentence``s, the glossary matcher adds
``TermMatch``es, Label Studio tasks carry sentences out and snapshots bring annotations
back. Each record knows how to turn itself into the plain dict stored in JSON Lines.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True, unsafe_hash=True)
class TermMatch:
    """One glossary term found in a text.

    ``start``/``end`` are code-point offsets into the text that was given to the matcher
    (for a corpus sentence: ``Sentence.text``); ``text`` is that slice as it stands there,
    which may be Traditional script or carry punctuation inside a variant.
    Not frozen: the matcher builds one per match in its hot loop, and a frozen
    dataclass's ``__init__`` costs about twice as much; treat instances as read-only.
    """

    start: int
    end: int
    text: str
    entry_id: str
    zh: str  # the entry's canonical (Simplified) zh term
    en: str  # the entry's approved English rendering

    def to_dict(self) -> dict[str, Any]:
        # By hand: dataclasses.asdict recurses and copies, ~10x slower, once per match.
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "entry_id": self.entry_id,
            "zh": self.zh,
            "en": self.en,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TermMatch:
        return cls(**{k: data[k] for k in ("start", "end", "text", "entry_id", "zh", "en")})


@dataclass(slots=True)
class Sentence:
    """One segmented sentence with its address in the source document.

    ``text`` is the normalised sentence (Simplified script, typographic normalisation) that
    annotators translate; ``source_text`` is ``Document.original[start:end]`` exactly.
    ``offsets`` maps each code point of ``text`` to its offset in ``source_text`` and is
    ``None`` when the two align one to one (same length), which is the common case.
    """

    id: str
    doc_id: str
    paragraph: int  # index of the paragraph in the document, from 0
    index: int  # index of the sentence in its paragraph, from 0
    text: str
    source_text: str
    start: int  # code-point offset into Document.original
    end: int
    speaker: str | None = None
    kind: str = "body"  # body | heading | item
    label: str | None = None  # numbering of a heading or item as written: 一、 （一） 1. ——
    offsets: list[int] | None = None
    terms: list[TermMatch] = field(default_factory=list)

    def source_offset(self, i: int) -> int:
        """Map an offset into ``text`` to an offset into ``Document.original``."""
        if self.offsets is None:
            return self.start + i
        if i >= len(self.offsets):
            return self.end
        return self.start + self.offsets[i]

    def to_dict(self) -> dict[str, Any]:
        # By hand, in field order: dataclasses.asdict deep-copies every field and match,
        # and cost more than all of ingest (segmenting, normalising) for each sentence.
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "paragraph": self.paragraph,
            "index": self.index,
            "text": self.text,
            "source_text": self.source_text,
            "start": self.start,
            "end": self.end,
            "speaker": self.speaker,
            "kind": self.kind,
            "label": self.label,
            "offsets": None if self.offsets is None else list(self.offsets),
            "terms": [t.to_dict() for t in self.terms],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sentence:
        values = dict(data)
        values["terms"] = [TermMatch.from_dict(t) for t in values.get("terms") or []]
        return cls(**values)


@dataclass(slots=True)
class Document:
    """One ingested source file: its decoded original text, metadata and what was removed.

    ``original`` is the decoded file exactly (BOM stripped, line endings kept) so every
    offset in the corpus slices it; ``removed`` lists each boilerplate span cleaning dropped
    as ``{"start", "end", "text", "rule"}`` so nothing disappears silently.
    """

    id: str
    source_path: str  # as given, relative to the project root when inside it
    sha256: str  # of the raw bytes
    encoding: str
    original: str
    title: str | None = None
    published: str | None = None  # ISO 8601 date or date-time as found
    source: str | None = None  # publishing body (来源)
    author: str | None = None
    editor: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)  # any other fields found
    removed: list[dict[str, Any]] = field(default_factory=list)
    paragraphs: int = 0
    sentences: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        return cls(**data)
