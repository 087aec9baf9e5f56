"""Domain records passed between pipeline stages.

Data flows one way: ingest makes ``Document``s and ``Sentence``s, the glossary matcher adds
``TermMatch``es, Label Studio tasks carry sentences out and snapshots bring annotations
back. Each record knows how to turn itself into the plain dict stored in JSON Lines, and
has exactly one JSON shape: ``from_dict`` refuses keys it does not know (the files are ours,
so an unknown key means a newer writer or a bug), and fills keys that older versions did not
write with their defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from workbench.errors import InputError

_FIELD_NAMES: dict[type, frozenset[str]] = {}


def check_keys(cls: type, data: Mapping[str, Any], what: str = "") -> None:
    """Raise InputError when ``data`` has a key that is not a field of ``cls``."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
    unknown = data.keys() - names
    if unknown:
        where = f"{what}: " if what else ""
        raise InputError(
            f"{where}unknown key(s) {', '.join(sorted(unknown))} in a {cls.__name__} record; "
            "it was written by a newer workbench or edited by hand"
        )


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
        """The one JSON shape of a match: start, end, text, entry_id, zh, en."""
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
    def from_dict(cls, data: Mapping[str, Any]) -> TermMatch:
        """Read a match; ``id`` for ``entry_id`` is the shape ``glossary match`` printed
        before version 0.2, still accepted so saved outputs stay readable."""
        if "id" in data and "entry_id" not in data:
            data = {("entry_id" if k == "id" else k): v for k, v in data.items()}
        check_keys(cls, data)
        return cls(
            data["start"], data["end"], data["text"], data["entry_id"], data["zh"], data["en"]
        )


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
    def from_dict(cls, data: Mapping[str, Any], what: str = "") -> Sentence:
        """Read a corpus sentence; unknown keys are an InputError naming ``what``."""
        check_keys(cls, data, what)
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
    def from_dict(cls, data: Mapping[str, Any], what: str = "") -> Document:
        """Read a corpus document; unknown keys are an InputError naming ``what``."""
        check_keys(cls, data, what)
        return cls(**data)


@dataclass(slots=True)
class Entity:
    """A labelled span of the zh sentence, with the English rendering the annotator gave."""

    start: int
    end: int
    text: str
    label: str
    rendering: str | None = None
    # The rendering is the one the task came pre-filled with (a glossary prediction the
    # annotator left as it was), not one they wrote: it counts only if the translation
    # carries it (see formats/terms.py).
    prefilled: bool = False


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
    terms: list[TermMatch] = field(default_factory=list)  # glossary pre-annotations
    split: str | None = None
    source: str | None = None  # the document's publisher (来源), see export.sources
    source_url: str | None = None
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
                "prefilled": e.prefilled,
            }
            for e in self.entities
        ]
        data["terms"] = [t.to_dict() for t in self.terms]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SentencePair:
        """Read a pair (an export's spool or held-back line); unknown keys are an error."""
        check_keys(cls, data)
        values = dict(data)
        values["entities"] = [Entity(**e) for e in values.get("entities") or []]
        values["terms"] = [TermMatch.from_dict(t) for t in values.get("terms") or []]
        return cls(**values)


@dataclass(frozen=True, slots=True)
class SnapshotAnnotation:
    """One Label Studio annotation as a pulled snapshot keeps it (see workbench.snapshot).

    ``translation``, ``status``, ``segmentation`` and ``entities`` are parsed from
    ``result`` (Label Studio's raw items, kept as they came); ``role`` is the annotator's
    team role at pull time (None outside team mode).
    """

    id: int | None = None
    annotator: str | None = None
    role: str | None = None  # annotator | reviewer | None
    created_at: str | None = None
    updated_at: str | None = None
    lead_time: float | None = None
    was_cancelled: bool = False
    ground_truth: bool = False
    translation: str | None = None
    status: str | None = None  # draft | final | needs_review | None
    segmentation: str | None = None  # ok | merge | split | None
    entities: list[dict[str, Any]] = field(default_factory=list)
    result: list[dict[str, Any]] = field(default_factory=list)
    translation_from_tm: bool | None = None  # the TM suggestion kept as it was

    @property
    def is_reviewer_decision(self) -> bool:
        """A reviewer's annotation, or one marked ground truth in Label Studio."""
        return self.role == "reviewer" or self.ground_truth

    def to_dict(self) -> dict[str, Any]:
        """The snapshot JSON shape (every field, in declaration order)."""
        return {name: getattr(self, name) for name in _ANNOTATION_FIELDS}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], what: str = "") -> SnapshotAnnotation:
        """Read one annotation record; unknown keys are an InputError naming ``what``."""
        check_keys(cls, data, what)
        values = dict(data)
        values["was_cancelled"] = bool(values.get("was_cancelled"))
        values["ground_truth"] = bool(values.get("ground_truth"))
        values["entities"] = list(values.get("entities") or [])
        values["result"] = list(values.get("result") or [])
        return cls(**values)


_ANNOTATION_FIELDS = tuple(f.name for f in fields(SnapshotAnnotation))


@dataclass(frozen=True, slots=True)
class SnapshotTask:
    """One Label Studio task with its annotations, a line of a snapshot's ``tasks.jsonl``.

    The sentence fields are what the task carried when pushed (``text`` is the zh sentence
    as annotators saw it, ``terms`` the glossary pre-annotations); ``tm_match`` is the
    translation-memory suggestion the task offered, if any.
    """

    task_id: int | None = None
    sentence_id: str | None = None
    doc_id: str | None = None
    doc_title: str | None = None
    speaker: str | None = None
    text: str | None = None
    terms: list[TermMatch] = field(default_factory=list)
    annotations: list[SnapshotAnnotation] = field(default_factory=list)
    tm_match: dict[str, Any] | None = None
    tm_propagated: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """The snapshot JSON shape (see workbench.snapshot)."""
        data = {name: getattr(self, name) for name in _TASK_FIELDS}
        data["terms"] = [term.to_dict() for term in self.terms]
        data["annotations"] = [annotation.to_dict() for annotation in self.annotations]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], what: str = "") -> SnapshotTask:
        """Read one task record; unknown keys (here or in an annotation) are an InputError
        naming ``what`` (the file and line, say)."""
        check_keys(cls, data, what)
        values = dict(data)
        values["terms"] = [TermMatch.from_dict(t) for t in values.get("terms") or []]
        values["annotations"] = [
            SnapshotAnnotation.from_dict(a, what) for a in values.get("annotations") or []
        ]
        return cls(**values)


_TASK_FIELDS = tuple(f.name for f in fields(SnapshotTask))


@dataclass(frozen=True, slots=True)
class ServerStatus:
    """One server the workspace may run: what ``up`` recorded and whether it answers."""

    recorded: bool = False
    pid: int | None = None
    pid_alive: bool = False
    url: str | None = None
    reachable: bool | None = None  # None: not probed (no address known)

    def to_dict(self) -> dict[str, Any]:
        """The ``status --json`` shape: ``reachable`` only when it was probed."""
        data: dict[str, Any] = {
            "recorded": self.recorded,
            "pid": self.pid,
            "pid_alive": self.pid_alive,
            "url": self.url,
        }
        if self.reachable is not None:
            data["reachable"] = self.reachable
        return data


@dataclass(frozen=True, slots=True)
class ProjectStatus:
    """The Label Studio project's counts; ``exists`` is None when it could not be read."""

    title: str
    exists: bool | None
    error: str | None = None
    id: int | None = None
    tasks: int | None = None
    tasks_annotated: int | None = None
    annotations: int | None = None
    model_version: str | None = None

    @property
    def tasks_waiting(self) -> int:
        """Tasks with no annotation yet."""
        return (self.tasks or 0) - (self.tasks_annotated or 0)

    def to_dict(self) -> dict[str, Any]:
        """The ``status --json`` shape: counts only for a project that exists."""
        data: dict[str, Any] = {"title": self.title, "exists": self.exists}
        if self.error is not None:
            data["error"] = self.error
        if self.exists:
            data.update(
                id=self.id,
                tasks=self.tasks,
                tasks_annotated=self.tasks_annotated,
                annotations=self.annotations,
                model_version=self.model_version,
            )
        return data


@dataclass(frozen=True, slots=True)
class WorkspaceStatus:
    """What ``workbench status`` reports: servers, database, project and progress."""

    labelstudio: ServerStatus
    service: ServerStatus
    ml_backend: ServerStatus
    database: dict[str, Any] = field(default_factory=dict)
    progress: dict[str, Any] | None = None  # per annotator and document, latest snapshot
    project: ProjectStatus | None = None  # None when Label Studio is not reachable

    def to_dict(self) -> dict[str, Any]:
        """The ``status --json`` shape."""
        data: dict[str, Any] = {
            "labelstudio": self.labelstudio.to_dict(),
            "service": self.service.to_dict(),
            "ml_backend": self.ml_backend.to_dict(),
            "database": self.database,
            "progress": self.progress,
        }
        if self.project is not None:
            data["project"] = self.project.to_dict()
        return data
