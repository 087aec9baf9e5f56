"""Aligned zh–en pairs built from a snapshot's chosen annotations and the corpus.

``SentencePair`` is the one record every output format writes, so formats agree pair for
pair by construction: text is cleaned once here (line breaks and control characters that
would break Moses line alignment, TSV columns or XML are folded to spaces), never per format.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.corpus import read_documents
from workbench.export.select import Selection, select_annotation

# C0/C1 controls, line and paragraph separators, lone surrogates (left by a bad JSON
# escape) and the two XML-illegal non-characters.
_BREAKING = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]"
)
_SPACE = re.compile(r"[ \t\r\n\u00a0]+")


def clean_text(text: str | None) -> str:
    """Fold line breaks, tabs and control characters to single spaces and trim."""
    if not text:
        return ""
    return _SPACE.sub(" ", _BREAKING.sub(" ", text)).strip()


@dataclass(slots=True)
class Entity:
    """A labelled span of the zh sentence, with the English rendering the annotator gave."""

    start: int
    end: int
    text: str
    label: str
    rendering: str | None = None


@dataclass(slots=True)
class SentencePair:
    """One translated sentence, ready for every output format."""

    id: str  # the corpus sentence id
    doc_id: str
    zh: str
    en: str
    doc_title: str | None = None
    annotator: str | None = None
    status: str | None = None
    annotation_id: int | None = None
    task_id: int | None = None
    updated_at: str | None = None
    entities: list[Entity] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)  # glossary pre-annotations
    split: str | None = None
    origin: str = "annotated"  # annotated (Label Studio) | aligned (import-bilingual)
    score: float | None = None  # the aligner's confidence, for aligned pairs

    def to_dict(self) -> dict[str, Any]:
        # By hand rather than dataclasses.asdict, which deep-copies and is 5x slower.
        data = {name: getattr(self, name) for name in self.__slots__}
        data["entities"] = [
            {
                "start": e.start,
                "end": e.end,
                "text": e.text,
                "label": e.label,
                "rendering": e.rendering,
            }
            for e in self.entities
        ]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SentencePair:
        values = dict(data)
        values["entities"] = [Entity(**e) for e in values.get("entities") or []]
        return cls(**values)


@dataclass
class PairStats:
    """What happened to the tasks of a snapshot on the way to pairs."""

    tasks: int = 0
    selected: int = 0
    left_out: dict[str, int] = field(default_factory=dict)
    entities_dropped: int = 0  # spans whose offsets do not slice the sentence text

    def leave_out(self, reason: str) -> None:
        self.left_out[reason] = self.left_out.get(reason, 0) + 1


def load_document_titles(corpus_path: Path) -> dict[str, str | None]:
    """Return doc id → title from the corpus (documents only; sentences are not held)."""
    if not (Path(corpus_path) / "manifest.json").is_file():
        return {}
    return {doc.id: doc.title for doc in read_documents(corpus_path)}


def _entities(zh: str, raw: list[dict[str, Any]], stats: PairStats) -> list[Entity]:
    """Keep the spans that slice the sentence; re-anchor one whose offsets drifted."""
    kept: list[Entity] = []
    for item in raw or []:
        start, end, text = item.get("start"), item.get("end"), item.get("text") or ""
        label = item.get("label")
        if not label or not isinstance(start, int) or not isinstance(end, int):
            stats.entities_dropped += 1
            continue
        if zh[start:end] != text and text:
            # Label Studio counts UTF-16 units; outside the BMP offsets drift: find the text.
            found = zh.find(text, max(0, start - 4))
            if found < 0:
                stats.entities_dropped += 1
                continue
            start, end = found, found + len(text)
        if not 0 <= start < end <= len(zh):
            stats.entities_dropped += 1
            continue
        kept.append(Entity(start, end, zh[start:end], label, clean_text(item.get("rendering"))))
    kept.sort(key=lambda e: (e.start, -e.end))
    return kept


def pair_from_task(
    task: dict[str, Any], selection: Selection, titles: dict[str, str | None] | None = None
) -> SentencePair:
    """Build the pair of a task from its chosen annotation."""
    annotation = selection.annotation or {}
    zh = task.get("text") or ""
    doc_id = str(task.get("doc_id") or "")
    title = (titles or {}).get(doc_id) or task.get("doc_title")
    return SentencePair(
        id=str(task.get("sentence_id") or task.get("task_id")),
        doc_id=doc_id,
        zh=clean_text(zh),
        en=clean_text(annotation.get("translation")),
        doc_title=title,
        annotator=annotation.get("annotator"),
        status=annotation.get("status"),
        annotation_id=annotation.get("id"),
        task_id=task.get("task_id"),
        updated_at=annotation.get("updated_at") or annotation.get("created_at"),
        terms=list(task.get("terms") or []),
    )


def iter_pairs(
    tasks: Iterator[dict[str, Any]],
    mode: str,
    stats: PairStats,
    agreement_min: int = 2,
    titles: dict[str, str | None] | None = None,
    on_left_out=None,
) -> Iterator[SentencePair]:
    """Yield a pair for every task whose chosen annotation counts, counting the rest.

    ``on_left_out(task, selection)`` is called for each task left out (QA reports
    annotated-but-empty translations through it).
    """
    for task in tasks:
        stats.tasks += 1
        selection = select_annotation(task.get("annotations"), mode, agreement_min)
        if selection.annotation is None:
            stats.leave_out(selection.reason or "unknown")
            if on_left_out is not None:
                on_left_out(task, selection)
            continue
        pair = pair_from_task(task, selection, titles)
        # Entities are offsets into the text annotators saw, before cleaning; cleaning only
        # trims or folds whitespace, so re-anchor against the cleaned text by content.
        pair.entities = _entities(pair.zh, selection.annotation.get("entities") or [], stats)
        stats.selected += 1
        yield pair
