"""Aligned zh–en pairs built from a snapshot's chosen annotations and the corpus.

``SentencePair`` is the one record every output format writes, so formats agree pair for
pair by construction: text is cleaned once here (line breaks and control characters that
would break Moses line alignment, TSV columns or XML are folded to spaces), never per format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.export.select import (
    NO_SOURCE,
    UNTRANSLATED,
    Selection,
    select_annotation,
)
from workbench.models import Entity, SentencePair, SnapshotAnnotation, SnapshotTask, TermMatch
from workbench.text.compare import normalise_translation

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


@dataclass
class PairStats:
    """What happened to the tasks of a snapshot on the way to pairs."""

    tasks: int = 0
    selected: int = 0
    left_out: dict[str, int] = field(default_factory=dict)
    entities_dropped: int = 0  # spans whose offsets do not slice the sentence text

    def leave_out(self, reason: str) -> None:
        self.left_out[reason] = self.left_out.get(reason, 0) + 1


def load_replaced_sentences(corpus_path: Path) -> set[str]:
    """Return the ids of sentences that ``workbench resegment`` merged or split away.

    Their Label Studio tasks (and annotations) stay, so the annotation is never lost, but
    the sentence itself is no longer in the corpus: the new sentences are new tasks. An
    export that took the old tasks too would hold the same text twice, cut two ways.
    """
    manifest_file = Path(corpus_path) / "manifest.json"
    if not manifest_file.is_file():
        return set()
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    replaced: set[str] = set()
    kept: set[str] = set()
    for edit in manifest.get("resegmented") or []:
        replaced.update(edit.get("from") or [])
        kept.update(edit.get("to") or [])
    return replaced - kept


_RENDERING = "rendering"  # the per-region TextArea of config/labeling.xml


def prefilled_renderings(
    terms: list[TermMatch], result: list[dict[str, Any]] | None
) -> tuple[dict[str, set[str]], set[tuple[int, int]]]:
    """Return what a task came pre-filled with: renderings by zh span text, and the spans
    whose rendering box Label Studio still marks as an untouched prediction."""
    by_text: dict[str, set[str]] = {}
    for term in terms or []:
        if term.text and term.en:
            by_text.setdefault(term.text, set()).add(normalise_translation(term.en))
    untouched: set[tuple[int, int]] = set()
    for item in result or []:
        if item.get("from_name") == _RENDERING and item.get("origin") == "prediction":
            value = item.get("value") or {}
            if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
                untouched.add((value["start"], value["end"]))
    return by_text, untouched


def _annotator_rendering(
    raw: str | None, prefilled: set[str], untouched: bool
) -> tuple[str | None, bool]:
    """Return the rendering an annotator gave in a region's box, and whether it is only
    the pre-filled one.

    The box holds lines (a Label Studio TextArea); a line the annotator added or typed
    over the pre-filled rendering wins over it.
    """
    lines = [clean_text(line) for line in (raw or "").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return None, False
    own = [line for line in lines if normalise_translation(line) not in prefilled]
    if own and not untouched:
        return own[-1], False
    return lines[-1], True


def _entities(
    zh: str,
    raw: list[dict[str, Any]],
    stats: PairStats,
    prefilled: tuple[dict[str, set[str]], set[tuple[int, int]]] = ({}, set()),
) -> list[Entity]:
    """Keep the spans that slice the sentence; re-anchor one whose offsets drifted."""
    by_text, untouched = prefilled
    kept: list[Entity] = []
    for item in raw or []:
        start, end, text = item.get("start"), item.get("end"), item.get("text") or ""
        label = item.get("label")
        if not label or not isinstance(start, int) or not isinstance(end, int):
            stats.entities_dropped += 1
            continue
        was_untouched = (start, end) in untouched
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
        rendering, only_prefilled = _annotator_rendering(
            item.get("rendering"), by_text.get(zh[start:end], set()), was_untouched
        )
        kept.append(Entity(start, end, zh[start:end], label, rendering, only_prefilled))
    kept.sort(key=lambda e: (e.start, -e.end))
    return kept


def pair_from_task(
    task: SnapshotTask, selection: Selection, titles: dict[str, str | None] | None = None
) -> SentencePair:
    """Build the pair of a task from its chosen annotation."""
    annotation = selection.annotation or SnapshotAnnotation()
    zh = task.text or ""
    doc_id = str(task.doc_id or "")
    title = (titles or {}).get(doc_id) or task.doc_title
    return SentencePair(
        id=str(task.sentence_id or task.task_id),
        doc_id=doc_id,
        zh=clean_text(zh),
        en=clean_text(annotation.translation),
        doc_title=title,
        annotator=annotation.annotator,
        status=annotation.status,
        annotation_id=annotation.id,
        task_id=task.task_id,
        updated_at=annotation.updated_at or annotation.created_at,
        terms=list(task.terms),
    )


def iter_pairs(
    tasks: Iterable[SnapshotTask],
    mode: str,
    stats: PairStats,
    agreement_min: int = 2,
    titles: dict[str, str | None] | None = None,
    on_left_out: Callable[[SnapshotTask, Selection], object] | None = None,
) -> Iterator[SentencePair]:
    """Yield a pair for every task whose chosen annotation counts, counting the rest.

    ``on_left_out(task, selection)`` is called for each task left out (QA reports
    annotated-but-empty translations through it).
    """
    for task in tasks:
        stats.tasks += 1
        selection = select_annotation(task.annotations, mode, agreement_min)
        if selection.annotation is None:
            stats.leave_out(selection.reason or "unknown")
            if on_left_out is not None:
                on_left_out(task, selection)
            continue
        pair = pair_from_task(task, selection, titles)
        if not pair.zh or not pair.en:
            # Blank once cleaned (control characters only): no line of any format can hold
            # it, so it is left out like an untranslated task, not written half-empty.
            reason = NO_SOURCE if not pair.zh else UNTRANSLATED
            stats.leave_out(reason)
            if on_left_out is not None:
                on_left_out(task, Selection(None, reason))
            continue
        # Entities are offsets into the text annotators saw, before cleaning; cleaning only
        # trims or folds whitespace, so re-anchor against the cleaned text by content.
        prefilled = prefilled_renderings(task.terms, selection.annotation.result)
        pair.entities = _entities(pair.zh, selection.annotation.entities, stats, prefilled)
        stats.selected += 1
        yield pair
