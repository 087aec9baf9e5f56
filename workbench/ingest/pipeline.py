"""Ingest raw scraped files into the segmented corpus.

For each file: decode the bytes (``decode``), extract text from HTML (``html_text``),
remove boilerplate and read metadata (``clean``), normalise each paragraph
(``normalize``), recognise numbering and speaker turns (``structure``) and split the
paragraph into sentences (``workbench.segment``). Every sentence keeps offsets into
``Document.original`` — the decoded file, or for HTML the extracted text — and a stable id.

Sentence ids are ``<doc id>:<12 hex>``, the hex being a SHA-1 of the document id, the
normalised sentence text and how many times that same text occurred before it in the
document. The same input gives the same ids on every run and machine, and editing one
paragraph leaves the ids of all other sentences unchanged. The document id is the file
name without its extension (``seeds/000_23cb1597154dda57.txt`` → ``000_23cb1597154dda57``);
when two inputs share a stem the later one keeps its extension (``report.html``).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.config import Config
from workbench.corpus import corpus_dir, write_corpus
from workbench.errors import InputError, WorkbenchError
from workbench.ingest.clean import CleaningRules, Line, clean_text, read_cleaning_rules
from workbench.ingest.decode import decode_bytes
from workbench.ingest.files import input_limit, read_input_file
from workbench.ingest.html_text import html_to_text, looks_like_html
from workbench.ingest.structure import (
    StructureRules,
    decide_speakers,
    find_label,
    find_numbering,
    read_structure_rules,
)
from workbench.models import Document, Sentence
from workbench.segment import Segmenter, load_rules
from workbench.text.normalize import Normalized, normalize

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
DOCUMENT_FIELDS = ("title", "published", "source", "author", "editor")


@dataclass
class FileResult:
    """What happened to one input file."""

    path: str
    doc_id: str | None = None
    error: str | None = None
    encoding: str | None = None
    paragraphs: int = 0
    sentences: int = 0
    removed: Counter[str] = field(default_factory=Counter)
    metadata: dict[str, str] = field(default_factory=dict)
    speakers: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class IngestReport:
    """Per-file results and the manifest of the corpus written (None if none was)."""

    results: list[FileResult]
    corpus: Path
    manifest: dict[str, Any] | None = None

    @property
    def failed(self) -> list[FileResult]:
        """The files that could not be ingested, each with its reason."""
        return [r for r in self.results if not r.ok]

    @property
    def documents(self) -> int:
        return sum(1 for r in self.results if r.ok)


class Ingester:
    """Turns one file's bytes into a Document and its Sentences, by the configured rules."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.root = config.root
        self.opencc_config = config.ingest.opencc_config
        self.cleaning: CleaningRules = read_cleaning_rules(config.ingest.cleaning_rules)
        self.structure: StructureRules = read_structure_rules(config.ingest.structure_rules)
        self.segmenter = Segmenter(load_rules(config.segment))
        self.max_bytes = input_limit(config.ingest.max_file_mb)

    def settings(self) -> dict[str, Any]:
        """The settings that shaped the corpus, recorded in its manifest."""
        return {
            "opencc_config": self.opencc_config,
            "split_at_semicolon": self.segmenter.rules.split_at_semicolon,
            "rules": {
                "cleaning": _rules_digest(self.cleaning.source),
                "structure": _rules_digest(self.structure.source),
                "segmentation": _rules_digest(self.segmenter.rules.source),
            },
        }

    def read_file(self, path: Path, doc_id: str) -> tuple[Document, list[Sentence]]:
        """Ingest one file from disk; InputError says why it cannot be.

        Only regular files up to ``[ingest] max_file_mb`` are read (``files.py``): pipes,
        devices, folders and symbolic-link loops are refused with one line each.
        """
        data = read_input_file(Path(path), self.max_bytes)
        return self.read_bytes(data, self._display_path(path), doc_id)

    def read_bytes(
        self, data: bytes, source_path: str, doc_id: str
    ) -> tuple[Document, list[Sentence]]:
        """Ingest the bytes of one file (``source_path`` is only recorded and reported)."""
        decoded = decode_bytes(data, source_path)
        if not decoded.text.strip():
            raise InputError(f"{source_path}: holds only whitespace; nothing to ingest")
        text, encoding, extra = decoded.text, decoded.encoding, {}
        if source_path.lower().endswith(HTML_SUFFIXES) or looks_like_html(text):
            page = html_to_text(text)
            text = page.text
            extra["format"] = "html"
            if page.title:
                extra["html_title"] = page.title
        document = Document(
            id=doc_id,
            source_path=source_path,
            sha256=hashlib.sha256(data).hexdigest(),
            encoding=encoding,
            original=text,
        )
        cleaned = clean_text(text, self.cleaning, self.opencc_config)
        document.removed = list(cleaned.removed)
        fields = dict(cleaned.fields)
        if cleaned.title and "title" not in fields:
            fields["title"] = cleaned.title
        if "title" not in fields and extra.get("html_title"):
            fields["title"] = extra["html_title"]
        for name in DOCUMENT_FIELDS:
            if name in fields:
                setattr(document, name, fields.pop(name))
        document.metadata = {**fields, **extra}
        sentences = self.sentences_of(document, cleaned.lines)
        if not sentences:
            removed = len(document.removed)
            raise InputError(
                f"{source_path}: no text left to ingest"
                + (
                    f" after cleaning ({removed} line(s) removed as boilerplate or metadata)"
                    if removed
                    else " (the page has no body text)"
                )
            )
        document.sentences = len(sentences)
        document.paragraphs = len({s.paragraph for s in sentences})
        return document, sentences

    def sentences_of(
        self, document: Document, lines: list[Line], structure: bool = True
    ) -> list[Sentence]:
        """Normalise, structure and segment the kept lines of one document.

        With ``structure=False`` no speaker label or numbering is recognised: every
        character of every line belongs to some sentence.
        """
        original = document.original
        normalized = [
            ln.normalized or normalize(original[ln.start : ln.end], self.opencc_config)
            for ln in lines
        ]
        labels = [
            None if ln.title or not structure else find_label(n.text, self.structure)
            for ln, n in zip(lines, normalized, strict=True)
        ]
        candidates = [c for c in labels if c is not None]
        speakers = (
            decide_speakers(candidates, "\n".join(n.text for n in normalized), self.structure)
            if candidates
            else set()
        )
        numbers = _numbering_start(self.structure.numbering)
        sentences: list[Sentence] = []
        seen: dict[str, int] = {}
        speaker: str | None = None
        paragraph = 0
        # First what each paragraph is (speaker, heading, item) and where its body starts,
        # then all bodies split in one pass, then the sentences.
        bodies: list[tuple[Line, Normalized, int, str, str | None, str | None]] = []
        for line, norm, candidate in zip(lines, normalized, labels, strict=True):
            text = norm.text
            body_start = 0
            if candidate is not None and candidate.label in speakers:
                speaker = candidate.label
                body_start = candidate.body_start
                label_end = line.start + (
                    norm.offsets[body_start] if body_start < len(text) else line.end - line.start
                )
                document.removed.append(
                    {
                        "start": line.start,
                        "end": label_end,
                        "text": original[line.start : label_end],
                        "rule": "speaker-label",
                    }
                )
                if candidate.own_line:
                    continue
            kind, label = "body", None
            if line.title:
                kind = "heading"
            elif structure and (numbers is None or numbers.match(text[body_start:])):
                numbering = find_numbering(text[body_start:], self.structure)
                if numbering is not None:
                    kind, label = numbering.kind, numbering.label
                    body_start += numbering.body_start
            bodies.append((line, norm, body_start, kind, label, speaker))
        split = self.segmenter.split_lines([b[1].text[b[2] :] for b in bodies])
        for (line, norm, body_start, kind, label, speaker), spans in zip(
            bodies, split, strict=True
        ):
            if not spans:
                continue
            text = norm.text
            # Each sentence: its span in the original, its offset map (None when it
            # aligns one to one) and its id. Inline, as this runs once per sentence.
            line_start = line.start
            line_length = line.end - line_start
            source_offsets = norm.offsets
            # Nothing in the line changed length (normalize's map is 0, 1, 2, …): the
            # sentence maps one to one unless trailing whitespace was cut from its source.
            one_to_one = type(source_offsets) is range
            length = len(text)
            doc_id = document.id
            for index, (a, b) in enumerate(spans):
                a += body_start
                b += body_start
                sentence_text = text[a:b]
                start = line_start + source_offsets[a]
                end = line_start + (source_offsets[b] if b < length else line_length)
                while end > start and original[end - 1].isspace():
                    end -= 1
                offsets: list[int] | None
                if one_to_one:
                    offsets = None if end - start == b - a else list(range(b - a))
                else:
                    offsets = [line_start + o - start for o in source_offsets[a:b]]
                    if end - start == b - a and offsets == list(range(b - a)):
                        offsets = None
                occurrence = seen.get(sentence_text, 0)
                seen[sentence_text] = occurrence + 1
                sentences.append(
                    Sentence(
                        sentence_id(doc_id, sentence_text, occurrence),
                        doc_id,
                        paragraph,
                        index,
                        sentence_text,
                        original[start:end],
                        start,
                        end,
                        speaker,
                        kind,
                        label if index == 0 else None,
                        offsets,
                    )
                )
            paragraph += 1
        return sentences

    def _display_path(self, path: Path) -> str:
        """The path as recorded: relative to the project root when inside it."""
        try:
            resolved = Path(path).resolve()
        except (OSError, RuntimeError):  # a symbolic link loop: reported by read_file
            return str(path)
        try:
            return resolved.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


@functools.lru_cache(maxsize=8)
def _numbering_start(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One regex matching where any numbering pattern matches, to skip most paragraphs.

    Only a filter: a paragraph it matches still goes through ``find_numbering``. None
    (no filter) when the patterns cannot be joined faithfully: flags, back-references or
    group names that would clash or renumber.
    """
    if not patterns or any(p.flags != re.UNICODE for p in patterns):
        return None
    sources = [p.pattern for p in patterns]
    if any(re.search(r"\\[1-9]|\(\?P=|\(\?[aiLmsux]", source) for source in sources):
        return None
    try:
        return re.compile("|".join(f"(?:{source})" for source in sources))
    except re.error:
        return None


def sentence_id(doc_id: str, text: str, occurrence: int) -> str:
    """Return the stable id of the ``occurrence``-th sentence ``text`` of a document."""
    digest = hashlib.sha1(f"{doc_id}\x1f{text}\x1f{occurrence}".encode()).hexdigest()
    return f"{doc_id}:{digest[:12]}"


def _rules_digest(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    except OSError:
        return "unknown"


def discover_inputs(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their text and HTML files (sorted); keep files as given."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    # not is_file(): a pipe, device or link loop named *.txt is reported
                    if not p.is_dir()
                    and p.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES
                    and not p.name.startswith(".")
                )
            )
        else:
            found.append(path)
    return found


def assign_doc_ids(paths: list[Path]) -> list[str]:
    """Document id per path: the file stem, or the file name when stems collide."""
    ids: list[str] = []
    taken: set[str] = set()
    for path in paths:
        candidate = path.stem
        if candidate in taken:
            candidate = path.name
        base, n = candidate, 2
        while candidate in taken:
            candidate = f"{base}-{n}"
            n += 1
        taken.add(candidate)
        ids.append(candidate)
    return ids


class _NothingIngested(Exception):
    """Raised inside the corpus writer so a run with no good file keeps the old corpus."""


def ingest_paths(
    paths: list[Path],
    config: Config,
    progress: Callable[[FileResult], None] | None = None,
) -> IngestReport:
    """Ingest files and folders into ``corpus_dir(config.work_dir)``, replacing it whole.

    Files that cannot be read are reported in ``IngestReport.failed`` with the reason and
    skipped; the rest are still ingested. When no file could be ingested the previous
    corpus is left as it was.
    """
    inputs = discover_inputs(paths)
    if not inputs:
        raise InputError(
            "no .txt or .html files found in "
            + ", ".join(str(p) for p in paths)
            + "; give files or folders that hold them"
        )
    ingester = Ingester(config)
    results: list[FileResult] = []

    def documents() -> Iterator[tuple[Document, list[Sentence]]]:
        for path, doc_id in zip(inputs, assign_doc_ids(inputs), strict=True):
            result = FileResult(path=ingester._display_path(path), doc_id=doc_id)
            try:
                document, sentences = ingester.read_file(path, doc_id)
            except WorkbenchError as exc:
                result.error = str(exc)
                result.doc_id = None
                results.append(result)
                if progress:
                    progress(result)
                continue
            result.encoding = document.encoding
            result.paragraphs = document.paragraphs
            result.sentences = document.sentences
            result.removed = Counter(r["rule"] for r in document.removed)
            result.metadata = {
                **{k: getattr(document, k) for k in DOCUMENT_FIELDS if getattr(document, k)},
                **document.metadata,
            }
            result.speakers = sorted({s.speaker for s in sentences if s.speaker})
            results.append(result)
            if progress:
                progress(result)
            yield document, sentences
        if not any(r.ok for r in results):
            raise _NothingIngested

    target = corpus_dir(config.work_dir)
    try:
        manifest = write_corpus(target, documents(), {"ingest": ingester.settings()})
    except _NothingIngested:
        return IngestReport(results, target, None)
    return IngestReport(results, target, manifest)
