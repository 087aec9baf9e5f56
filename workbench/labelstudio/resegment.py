"""Apply reviewed ``merge``/``split`` segmentation flags from annotations to the corpus.

An annotator flags a sentence ``merge`` (it belongs with the next one) or ``split`` (it
holds two). A flag counts once it is reviewed: it is on the latest non-skipped annotation
of the task and that annotation's status is ``final``. Applying the flags rewrites only
the flagged sentences:

- ``merge`` joins the sentence with the next one of the same document (a chain of
  ``merge`` flags joins a run of sentences);
- ``split`` cuts the sentence at the clause boundary nearest its middle, preferring
  ``；`` over ``：`` over ``，`` (a flag on a sentence with none of them is reported,
  not guessed).

Every other sentence keeps its id, offsets and terms. New sentences get ids the way
ingest makes them (``<doc id>:<hash of text and occurrence>``), never one already in use.
Nothing is deleted in Label Studio: the tasks of the replaced sentences keep their
annotations and show up in ``push`` as tasks whose sentence left the corpus. Re-running is
safe: a flag whose sentence is no longer in the corpus has been applied already.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.corpus import corpus_dir, read_documents, read_manifest, read_sentences, write_corpus
from workbench.ingest.pipeline import sentence_id
from workbench.models import Document, Sentence, SnapshotTask
from workbench.snapshot import read_snapshot

MERGE = "merge"
SPLIT = "split"
# Clause boundaries a flagged sentence may be split after, strongest first.
SPLIT_MARKS = ("；", ";", "：", "，", ",")
_OWN_MANIFEST_KEYS = {"format", "version", "created", "workbench", "documents", "sentences"}


@dataclass(frozen=True, slots=True)
class SegmentationFlag:
    """A reviewed flag on one sentence, and the annotation it came from."""

    sentence_id: str
    flag: str
    task_id: int | None = None
    annotation_id: int | None = None


@dataclass
class ResegmentReport:
    """What applying the flags did: each edit, and the flags left alone with the reason."""

    edits: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (sentence id, why)
    applied_before: int = 0  # flags whose sentence is gone: applied by an earlier run
    sentences_before: int = 0
    sentences_after: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.edits)


def reviewed_flags(tasks: Iterable[SnapshotTask]) -> dict[str, SegmentationFlag]:
    """Return sentence id → reviewed ``merge``/``split`` flag from snapshot task records."""
    flags: dict[str, SegmentationFlag] = {}
    for task in tasks:
        annotations = [a for a in task.annotations if not a.was_cancelled]
        if not annotations or not task.sentence_id:
            continue
        latest = max(
            annotations,
            key=lambda a: (str(a.updated_at or a.created_at or ""), a.id or 0),
        )
        if latest.status == "final" and latest.segmentation in (MERGE, SPLIT):
            flags[str(task.sentence_id)] = SegmentationFlag(
                str(task.sentence_id),
                latest.segmentation,
                task.task_id,
                latest.id,
            )
    return flags


def split_point(text: str) -> int | None:
    """Return where to cut a sentence flagged ``split`` (after a clause mark), or None.

    The strongest mark present wins; among its occurrences, the one nearest the middle.
    A mark at the very end is not a place to split.
    """
    body = text.rstrip()
    for mark in SPLIT_MARKS:
        cuts = [i + 1 for i, ch in enumerate(body) if ch == mark and 0 < i + 1 < len(body)]
        if cuts:
            return min(cuts, key=lambda cut: abs(len(body) / 2 - cut))
    return None


def _offsets(
    document: Document, start: int, end: int, positions: list[int], length: int
) -> list[int] | None:
    """Return ``Sentence.offsets`` for a new sentence (None when it aligns one to one)."""
    relative = [p - start for p in positions]
    if length == end - start and relative == list(range(length)):
        return None
    return relative


def merge_sentences(document: Document, run: list[Sentence]) -> Sentence:
    """Join consecutive sentences of one document into one (the id is set by the caller)."""
    first, last = run[0], run[-1]
    text = "".join(s.text for s in run)
    positions = [s.source_offset(i) for s in run for i in range(len(s.text))]
    start, end = first.start, last.end
    return Sentence(
        id="",
        doc_id=first.doc_id,
        paragraph=first.paragraph,
        index=first.index,
        text=text,
        source_text=document.original[start:end],
        start=start,
        end=end,
        speaker=first.speaker,
        kind=first.kind,
        label=first.label,
        offsets=_offsets(document, start, end, positions, len(text)),
    )


def split_sentence(document: Document, sentence: Sentence, cut: int) -> list[Sentence]:
    """Cut one sentence into two at ``cut`` (an offset into its text)."""
    middle = sentence.source_offset(cut)
    parts = []
    for number, (lo, hi, start, end) in enumerate(
        ((0, cut, sentence.start, middle), (cut, len(sentence.text), middle, sentence.end))
    ):
        text = sentence.text[lo:hi]
        positions = [sentence.source_offset(i) for i in range(lo, hi)]
        parts.append(
            Sentence(
                id="",
                doc_id=sentence.doc_id,
                paragraph=sentence.paragraph,
                index=sentence.index,
                text=text,
                source_text=document.original[start:end],
                start=start,
                end=end,
                speaker=sentence.speaker,
                kind=sentence.kind,
                label=sentence.label if number == 0 else None,
                offsets=_offsets(document, start, end, positions, len(text)),
            )
        )
    return parts


def _new_id(doc_id: str, text: str, taken: set[str]) -> str:
    occurrence = 0
    while (candidate := sentence_id(doc_id, text, occurrence)) in taken:
        occurrence += 1
    taken.add(candidate)
    return candidate


def apply_to_document(
    document: Document,
    sentences: list[Sentence],
    flags: dict[str, SegmentationFlag],
    taken: set[str],
    report: ResegmentReport,
) -> list[Sentence]:
    """Return a document's sentences with its flags applied; record edits in ``report``."""
    out: list[Sentence] = []
    i = 0
    while i < len(sentences):
        sentence = sentences[i]
        flag = flags.get(sentence.id)
        if flag is not None and flag.flag == MERGE:
            j = i
            while j + 1 < len(sentences) and (
                j == i or (flags.get(sentences[j].id) or SegmentationFlag("", "")).flag == MERGE
            ):
                j += 1
            if j == i:
                report.skipped.append(
                    (sentence.id, "merge: it is the last sentence of its document")
                )
                out.append(sentence)
                i += 1
                continue
            run = sentences[i : j + 1]
            merged = merge_sentences(document, run)
            merged.id = _new_id(document.id, merged.text, taken)
            out.append(merged)
            report.edits.append(_edit(MERGE, run, [merged], flags))
            i = j + 1
            continue
        if flag is not None and flag.flag == SPLIT:
            cut = split_point(sentence.text)
            if cut is None:
                report.skipped.append((sentence.id, "split: no ；：， inside to split at"))
                out.append(sentence)
            else:
                parts = split_sentence(document, sentence, cut)
                for part in parts:
                    part.id = _new_id(document.id, part.text, taken)
                out.extend(parts)
                report.edits.append(_edit(SPLIT, [sentence], parts, flags))
            i += 1
            continue
        out.append(sentence)
        i += 1
    _renumber(out)
    return out


def _edit(
    kind: str, before: list[Sentence], after: list[Sentence], flags: dict[str, SegmentationFlag]
) -> dict[str, Any]:
    return {
        "kind": kind,
        "doc_id": before[0].doc_id,
        "from": [s.id for s in before],
        "to": [s.id for s in after],
        "annotations": [
            flags[s.id].annotation_id for s in before if s.id in flags and flags[s.id].flag == kind
        ],
    }


def _renumber(sentences: list[Sentence]) -> None:
    """Set ``index`` to the position within the paragraph again (ids do not depend on it)."""
    position: dict[int, int] = {}
    for sentence in sentences:
        sentence.index = position.get(sentence.paragraph, 0)
        position[sentence.paragraph] = sentence.index + 1


def _by_document(
    documents: Iterator[Document], sentences: list[Sentence]
) -> list[tuple[Document, list[Sentence]]]:
    grouped: dict[str, list[Sentence]] = {}
    for sentence in sentences:
        grouped.setdefault(sentence.doc_id, []).append(sentence)
    return [(document, grouped.get(document.id, [])) for document in documents]


def resegment_corpus(work_dir: Path, snapshot: Path) -> ResegmentReport:
    """Apply the reviewed flags of ``snapshot`` to the corpus under ``work_dir``.

    The corpus folder is rewritten atomically only when something changes; the edits are
    appended to the manifest's ``resegmented`` list, so the corpus says how it came to be.
    New sentences carry no glossary terms yet: tag the corpus afterwards.
    """
    path = corpus_dir(work_dir)
    manifest = read_manifest(path)
    flags = reviewed_flags(read_snapshot(snapshot))
    sentences = list(read_sentences(path))
    report = ResegmentReport(sentences_before=len(sentences))
    present = {s.id for s in sentences}
    report.applied_before = sum(1 for sid in flags if sid not in present)
    taken = set(present)
    documents = list(read_documents(path))
    items = []
    for document, own in _by_document(iter(documents), sentences):
        edited = apply_to_document(document, own, flags, taken, report)
        document.sentences = len(edited)
        document.paragraphs = len({s.paragraph for s in edited})
        items.append((document, edited))
    report.sentences_after = sum(len(own) for _, own in items)
    if report.changed:
        extra = {k: v for k, v in manifest.items() if k not in _OWN_MANIFEST_KEYS}
        extra["resegmented"] = [*manifest.get("resegmented", []), *report.edits]
        write_corpus(path, items, extra)
    return report
