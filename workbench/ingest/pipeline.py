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
import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from workbench.config import Config
from workbench.corpus import corpus_dir, partition_name, write_manifest, write_partition
from workbench.errors import InputError, WorkbenchError
from workbench.fileio import atomic_directory, atomic_write, read_jsonl, write_jsonl
from workbench.ingest.clean import CleaningRules, Line, clean_text, read_cleaning_rules
from workbench.ingest.decode import decode_bytes
from workbench.ingest.files import input_limit, read_input_file
from workbench.ingest.html_text import html_to_text, looks_like_html
from workbench.ingest.structure import (
    StructureRules,
    decide_speakers,
    find_label,
    find_numbering,
    numbering_at,
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
    """The files that failed, how many were read, and the manifest written (None if none was).

    Only the failures are kept, not one FileResult per file: a national crawl has millions
    of files, and keeping every result made the client's memory grow with the corpus
    (issue 15). Each file's result goes to ``ingest_paths``'s ``progress`` as it arrives.
    """

    failed: list[FileResult]
    corpus: Path
    manifest: dict[str, Any] | None = None
    files: int = 0  # input files read, ingested or not

    @property
    def documents(self) -> int:
        return self.files - len(self.failed)


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
        self._numbering_for: tuple[re.Pattern[str], ...] | None = None
        self._numbering: re.Pattern[str] | None = None

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
        if not decoded.text or decoded.text.isspace():  # no stripped copy of the text
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
        # Paragraphs are numbered 0, 1, 2, … in order, each holding a sentence.
        document.paragraphs = sentences[-1].paragraph + 1
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
        # A label ends with a colon: most lines hold none, and skip the call.
        labels = [
            find_label(n.text, self.structure)
            if structure and not ln.title and (":" in n.text or "：" in n.text)
            else None
            for ln, n in zip(lines, normalized, strict=True)
        ]
        candidates = list(filter(None, labels))  # a LabelCandidate is a non-empty tuple
        speakers = (
            decide_speakers(candidates, "\n".join([n.text for n in normalized]), self.structure)
            if candidates
            else set()
        )
        numbers = self._numbering_filter()
        doc_id = document.id
        # sentence_id's hash, its document part taken once: copying a started SHA-1 costs
        # less than starting one (OpenSSL looks the algorithm up each time), here too.
        id_prefix = _SHA1.copy()
        id_prefix.update(f"{doc_id}\x1f".encode())
        sentences: list[Sentence] = []
        append = sentences.append
        new_sentence = object.__new__
        seen: dict[str, int] = {}
        first_occurrence = _OCCURRENCE[0]
        speaker: str | None = None
        paragraph = 0
        # First what each paragraph is (speaker, heading, item) and where its body starts,
        # then all bodies split in one pass, then the sentences.
        bodies: list[tuple[Line, Normalized, int, str, str | None, str | None]] = []
        texts: list[str] = []  # each body, as the segmenter gets it
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
            elif structure:
                numbering = None
                if numbers is None:
                    numbering = find_numbering(text[body_start:], self.structure)
                else:
                    # Which pattern matches first, from the joined pattern's marker group.
                    rest = text[body_start:]  # text itself when body_start is 0
                    found = numbers.match(rest)
                    if found is not None:
                        # The first pattern that matches is the one that matched: its end
                        # is the joined match's (the marker group is empty), so it is not
                        # matched again. Only when it takes the whole paragraph are the
                        # later patterns tried, as find_numbering does.
                        end = found.end()
                        if end < len(rest):
                            numbering = numbering_at(rest, end, self.structure)
                        else:
                            first = int(found.lastgroup[2:]) if found.lastgroup else 0
                            numbering = find_numbering(rest, self.structure, first)
                if numbering is not None:
                    kind, label = numbering.kind, numbering.label
                    body_start += numbering.body_start
            bodies.append((line, norm, body_start, kind, label, speaker))
            texts.append(text[body_start:])
        split = self.segmenter.split_lines(texts)
        id_head = f"{doc_id}:"
        for (line, norm, body_start, kind, label, speaker), body, spans in zip(
            bodies, texts, split, strict=True
        ):
            if not spans:
                continue
            # Each sentence: its span in the original, its offset map (None when it
            # aligns one to one) and its id. Inline, as this runs once per sentence.
            line_start = line.start
            source_offsets = norm.offsets
            # Nothing in the line changed length (normalize's map is 0, 1, 2, …): the
            # sentence maps one to one unless trailing whitespace was cut from its source,
            # and its offsets in the body are those in the original, shifted by ``base``.
            one_to_one = type(source_offsets) is range
            # A one-to-one line is printable (normalize maps it by ``range`` only then),
            # so its only whitespace is the ASCII space, which stands for whitespace in
            # the original and nothing else: without one in the body, no sentence's
            # source ends in whitespace and none needs its end looked at (most bodies).
            plain = one_to_one and " " not in body
            base = line_start + body_start
            for index, (a, b) in enumerate(spans):
                sentence_text = body[a:b]
                offsets: list[int] | None
                if plain:
                    start = base + a
                    end = base + b
                    offsets = None
                elif one_to_one:  # source_offsets is range(len(text)), as long as the line
                    start = base + a
                    end = base + b
                    while end > start and original[end - 1].isspace():
                        end -= 1
                    offsets = None if end - start == b - a else list(range(b - a))
                else:
                    a += body_start
                    b += body_start
                    start = line_start + source_offsets[a]
                    end = line_start + source_offsets[b] if b < len(source_offsets) else line.end
                    while end > start and original[end - 1].isspace():
                        end -= 1
                    offsets = [line_start + o - start for o in source_offsets[a:b]]
                    if end - start == b - a and offsets == list(range(b - a)):
                        offsets = None
                digest = id_prefix.copy()
                digest.update(sentence_text.encode())
                # ``\x1f<occurrence>``, encoded once for the first occurrences. Most texts
                # occur once: a membership test and a store, without ``seen.get``'s call.
                if sentence_text in seen:
                    occurrence = seen[sentence_text]
                    seen[sentence_text] = occurrence + 1
                    digest.update(
                        _OCCURRENCE[occurrence]
                        if occurrence < _OCCURRENCES
                        else f"\x1f{occurrence}".encode()
                    )
                else:
                    seen[sentence_text] = 1
                    digest.update(first_occurrence)
                # Sentence(…) with every field given, without calling its __init__: the
                # call from the class costs more than the thirteen slot stores it makes.
                sentence = new_sentence(Sentence)
                sentence.id = id_head + digest.digest()[:6].hex()  # = sentence_id(…)
                sentence.doc_id = doc_id
                sentence.paragraph = paragraph
                sentence.index = index
                sentence.text = sentence_text
                sentence.source_text = original[start:end]
                sentence.start = start
                sentence.end = end
                sentence.speaker = speaker
                sentence.kind = kind
                sentence.label = None
                sentence.offsets = offsets
                sentence.terms = []
                append(sentence)
            sentences[-len(spans)].label = label  # the paragraph's first sentence
            paragraph += 1
        return sentences

    def _numbering_filter(self) -> re.Pattern[str] | None:
        """``_numbering_start`` of the structure rules, worked out once per rules.

        Through its cache it hashed the compiled patterns (their whole code) for every
        document.
        """
        patterns = self.structure.numbering
        if self._numbering_for is not patterns:
            self._numbering = _numbering_start(patterns)
            self._numbering_for = patterns
        return self._numbering

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


# A SHA-1 started once, copied for each document's sentence ids.
_SHA1 = hashlib.sha1()
# The end of a sentence id's hashed text, ``\x1f<occurrence>``, encoded once for the
# occurrences that matter: building and encoding one string per sentence (the text and
# its suffix together) cost about a tenth of the id; two updates hash the same bytes.
_OCCURRENCES = 64
_OCCURRENCE = tuple(f"\x1f{occurrence}".encode() for occurrence in range(_OCCURRENCES))


@functools.lru_cache(maxsize=8)
def _numbering_start(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One regex matching where any numbering pattern matches, to skip most paragraphs.

    Only a filter: a paragraph it matches still goes through ``find_numbering``, from
    the pattern that matched (the alternatives are tried in order, so the first pattern
    that matches is the one whose empty marker group ``_n<i>`` closes last). None (no
    filter) when the patterns cannot be joined faithfully: flags, back-references or
    group names that would clash or renumber.
    """
    if not patterns or any(p.flags != re.UNICODE for p in patterns):
        return None
    sources = [p.pattern for p in patterns]
    if any(re.search(r"\\[1-9]|\(\?P[=<]|\(\?[aiLmsux]", source) for source in sources):
        return None
    try:
        return re.compile(
            "|".join(f"(?:{source})(?P<_n{number}>)" for number, source in enumerate(sources))
        )
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
    return [Path(p) for p in iter_inputs(paths)]


def iter_inputs(paths: Iterable[Path | str]) -> Iterator[str]:
    """Yield the input files as ``discover_inputs`` lists them, as strings, one at a time.

    A folder is walked in sorted order, one directory listing at a time, which gives the
    order of ``sorted(folder.rglob("*"))`` (paths compare by their parts, and a folder's
    files are contiguous) without a Path object per file: for a 100,000-file crawl those
    cost ingest's client about 45 MB before the first partition ran (issue 15).
    As with ``rglob``: links to folders are not followed, an unreadable folder is skipped,
    and anything that is not a folder (a file, a pipe, a broken link) named ``*.txt`` or
    ``*.html`` is an input, to be reported if it cannot be read.
    """
    for path in paths:
        name = str(Path(path))
        if os.path.isdir(name):
            yield from _walk_sorted(name)
        else:
            yield name


def _walk_sorted(folder: str) -> Iterator[str]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except PermissionError:
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not entry.is_symlink():
                yield from _walk_sorted(entry.path)
        elif _is_input_name(entry.name):
            yield entry.path


def _is_input_name(name: str) -> bool:
    """``Path(name).suffix`` is a text or HTML suffix, and the name is not hidden."""
    dot = name.rfind(".")
    suffix = name[dot:] if 0 < dot < len(name) - 1 else ""
    return suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES and not name.startswith(".")


def assign_doc_ids(paths: Sequence[Path | str]) -> list[str]:
    """Document id per path: the file stem, or the file name when stems collide."""
    ids: list[str] = []
    taken: set[str] = set()
    for item in paths:
        path = Path(item)
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


# Input files per partition when the caller does not say ([batch] partition_files).
PARTITION_FILES = 250
# Finished partitions of a run in which another partition failed, kept for the next run.
INCOMPLETE_SUFFIX = ".incomplete"
RESUME_FILE = "resume.json"
# Inside the staging corpus while it is built: each finished partition's file results
# (removed before the swap; kept beside the finished partitions when a run fails).
RESULTS_DIR = ".results"


class _NothingIngested(Exception):
    """Raised inside the corpus writer so a run with no good file keeps the old corpus."""


@dataclass(frozen=True)
class IngestJob:
    """One partition of an ingest: its files, where to write it, the settings to use."""

    name: str
    files: tuple[tuple[str, str], ...]  # (path, document id), in corpus order
    folder: str  # the partition folder inside the staging corpus
    config: Config
    results_file: str  # where the partition's file results go, one JSON line per file


@dataclass
class PartitionOutcome:
    """What a partition sends back: counts and the files that failed, not every file.

    The result of every file is in the partition's results file, written by whoever ran
    it. Sending every FileResult back made the client unpickle and re-encode 250 records
    per partition: on two cores that client work ran beside the workers and slowed them
    (issue 15). The client reads the file only when someone asked for per-file progress.
    """

    documents: int
    sentences: int
    files: int
    failed: list[FileResult]


class PartitionRunner(Protocol):
    """Runs a module-level function over partitions (``workbench.batch`` provides one).

    Returns the results of the partitions that succeeded by name and, for the others,
    name → one-line error. ``small`` says the job is too small to start a cluster for;
    ``on_result`` is called as each partition finishes. With ``keep_results=False`` the
    results are only passed to ``on_result`` and not returned (nor held until the end).
    """

    def __call__(
        self,
        function: Callable[[IngestJob], PartitionOutcome],
        partitions: list[IngestJob],
        names: list[str],
        small: bool,
        on_result: Callable[[str, PartitionOutcome], None],
        *,
        keep_results: bool = True,
    ) -> tuple[dict[str, PartitionOutcome], dict[str, str]]: ...


def run_serially(
    function: Callable[[IngestJob], PartitionOutcome],
    partitions: list[IngestJob],
    names: list[str],
    small: bool,
    on_result: Callable[[str, PartitionOutcome], None],
    *,
    keep_results: bool = True,
) -> tuple[dict[str, PartitionOutcome], dict[str, str]]:
    """The runner without an engine: every partition here, one after another."""
    results: dict[str, PartitionOutcome] = {}
    failures: dict[str, str] = {}
    for name, job in zip(names, partitions, strict=True):
        try:
            result = function(job)
        except Exception as exc:  # reported by name; the others go on
            failures[name] = f"{type(exc).__name__}: {exc}"
            continue
        if keep_results:
            results[name] = result
        on_result(name, result)
    return results, failures


class IngestIncomplete(WorkbenchError):
    """Some partitions failed on every attempt; the corpus was not replaced."""


# One Ingester per worker process and settings: rules and OpenCC are loaded once, not
# once per partition.
_INGESTERS: dict[str, Ingester] = {}


def _ingester_for(config: Config) -> Ingester:
    key = json.dumps([str(config.root), asdict(config)], sort_keys=True, default=str)
    if key not in _INGESTERS:
        _INGESTERS.clear()
        _INGESTERS[key] = Ingester(config)
    return _INGESTERS[key]


def ingest_partition(job: IngestJob) -> PartitionOutcome:
    """Ingest the files of one partition and write them to ``job.folder``.

    Runs in a batch worker. A file that cannot be ingested (WorkbenchError) is reported in
    its FileResult and skipped, as in a single-process run; any other exception fails the
    partition, which the engine retries. A partition left with no document is removed.
    """
    ingester = _ingester_for(job.config)
    results: list[FileResult] = []
    items: list[tuple[Document, list[Sentence]]] = []
    for path, doc_id in job.files:
        result = FileResult(path=ingester._display_path(Path(path)), doc_id=doc_id)
        try:
            document, sentences = ingester.read_file(Path(path), doc_id)
        except WorkbenchError as exc:
            result.error = str(exc)
            result.doc_id = None
            results.append(result)
            continue
        _describe_result(result, document, sentences)
        results.append(result)
        items.append((document, sentences))
    folder = Path(job.folder)
    if items:
        info = write_partition(folder, items)
    else:
        shutil.rmtree(folder, ignore_errors=True)
        info = {"documents": 0, "sentences": 0}
    _write_results(Path(job.results_file), results)  # atomic: a retry replaces it whole
    failed = [r for r in results if not r.ok]
    return PartitionOutcome(info["documents"], info["sentences"], len(results), failed)


def _describe_result(result: FileResult, document: Document, sentences: list[Sentence]) -> None:
    """Fill a file's result line from the document ingested."""
    result.encoding = document.encoding
    result.paragraphs = document.paragraphs
    result.sentences = document.sentences
    result.removed = Counter(r["rule"] for r in document.removed)
    result.metadata = {
        **{k: getattr(document, k) for k in DOCUMENT_FIELDS if getattr(document, k)},
        **document.metadata,
    }
    result.speakers = sorted({s.speaker for s in sentences if s.speaker})


def ingest_paths(
    paths: list[Path],
    config: Config,
    progress: Callable[[FileResult], None] | None = None,
    runner: PartitionRunner | None = None,
    partition_files: int = PARTITION_FILES,
    in_process_below_bytes: int = 0,
) -> IngestReport:
    """Ingest files and folders into ``corpus_dir(config.work_dir)``, replacing it whole.

    The inputs are cut into partitions of ``partition_files`` files in input order (never
    by the number of workers, so the corpus is the same whatever runs it); ``runner``
    runs ``ingest_partition`` over them (the batch engine: every core, or a Dask
    scheduler) and each partition is written by whoever ingests it, into the staging
    folder that replaces the corpus atomically at the end. Without a runner, or when the
    inputs are smaller than ``in_process_below_bytes``, everything runs here.

    Files that cannot be read are reported in ``IngestReport.failed`` with the reason and
    skipped; the rest are still ingested. When no file could be ingested the previous
    corpus is left as it was. When a partition fails on every attempt, the others still
    finish, the corpus is not replaced, the finished partitions are kept beside it
    (``corpus.incomplete``) and reused by the next run with the same inputs and settings,
    and IngestIncomplete names the partition, its files and the error.
    """
    if partition_files < 1:
        raise InputError(f"partition_files = {partition_files} must be at least 1")
    inputs = list(iter_inputs(paths))
    if not inputs:
        raise InputError(
            "no .txt or .html files found in "
            + ", ".join(str(p) for p in paths)
            + "; give files or folders that hold them"
        )
    ingester = Ingester(config)
    settings = ingester.settings()
    files = list(zip(inputs, assign_doc_ids(inputs), strict=True))
    input_bytes = _input_bytes(inputs)
    del inputs
    chunks = [tuple(files[i : i + partition_files]) for i in range(0, len(files), partition_files)]
    names = [partition_name(i) for i in range(len(chunks))]
    target = corpus_dir(config.work_dir)
    leftover = target.with_name(target.name + INCOMPLETE_SUFFIX)
    kept = _read_kept(leftover)
    fingerprinted = {**settings, "max_bytes": ingester.max_bytes}
    fingerprints = {
        name: _fingerprint(chunk, fingerprinted) for name, chunk in zip(names, chunks, strict=True)
    }
    finished: dict[str, PartitionOutcome] = {}

    try:
        with atomic_directory(target) as staging:
            # Each partition's file results go to a file, written by whoever ingests it,
            # so that a failed run can keep them for the next one and this process never
            # holds them all.
            results_log = staging / RESULTS_DIR
            results_log.mkdir()

            def report(name: str, outcome: PartitionOutcome) -> None:
                if progress:
                    for result in _read_results(results_log / f"{name}.jsonl"):
                        progress(result)
                finished[name] = outcome

            jobs: list[IngestJob] = []
            for name, chunk in zip(names, chunks, strict=True):
                results_file = results_log / f"{name}.jsonl"
                reused = _reuse(kept, leftover, name, fingerprints[name], staging, results_file)
                if reused is not None:
                    report(name, reused)
                else:
                    jobs.append(
                        IngestJob(name, chunk, str(staging / name), config, str(results_file))
                    )
            small = input_bytes < in_process_below_bytes
            # Every finished partition goes through report(); the runner keeps none.
            _, failures = (runner or run_serially)(
                ingest_partition, jobs, [j.name for j in jobs], small, report, keep_results=False
            )
            if failures:
                _keep_finished(staging, leftover, finished, fingerprints)
                raise IngestIncomplete(
                    _failure_message(failures, chunks, names, len(finished), leftover)
                )
            if not any(finished[n].documents for n in names):
                raise _NothingIngested
            partitions = [
                {"name": n, "documents": finished[n].documents, "sentences": finished[n].sentences}
                for n in names
                if finished[n].documents
            ]
            shutil.rmtree(results_log)
            manifest = write_manifest(staging, partitions, {"ingest": settings})
    except _NothingIngested:
        return _report(finished, names, target, None)
    shutil.rmtree(leftover, ignore_errors=True)
    return _report(finished, names, target, manifest)


def _report(
    finished: dict[str, PartitionOutcome],
    names: list[str],
    corpus: Path,
    manifest: dict[str, Any] | None,
) -> IngestReport:
    failed = [r for n in names if n in finished for r in finished[n].failed]
    files = sum(finished[n].files for n in names if n in finished)
    return IngestReport(failed, corpus, manifest, files)


def _write_results(path: Path, results: list[FileResult]) -> None:
    # vars(), not asdict(): the records are flat and asdict's deep copy was most of the cost.
    with atomic_write(path) as handle:
        write_jsonl(handle, ({**vars(r), "removed": dict(r.removed)} for r in results))


def _read_results(path: Path) -> list[FileResult]:
    return [_file_result(record) for record in read_jsonl(path)]


def _input_bytes(inputs: list[str]) -> int:
    total = 0
    for path in inputs:
        try:
            total += os.stat(path).st_size
        except OSError:
            continue  # reported by the partition that reads it
    return total


def _fingerprint(chunk: tuple[tuple[str, str], ...], settings: dict[str, Any]) -> str:
    """What a partition's output depends on: its files (path, size, mtime) and settings."""
    parts: list[Any] = [settings]
    for path, doc_id in chunk:
        try:
            stat = os.stat(path)
            parts.append([path, doc_id, stat.st_size, stat.st_mtime_ns])
        except OSError:
            parts.append([path, doc_id, None, None])
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _read_kept(leftover: Path) -> dict[str, Any]:
    try:
        kept: dict[str, Any] = json.loads((leftover / RESUME_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return kept


def _reuse(
    kept: dict[str, Any],
    leftover: Path,
    name: str,
    fingerprint: str,
    staging: Path,
    results_file: Path,
) -> PartitionOutcome | None:
    """Move a partition finished by an earlier, failed run into staging if still valid."""
    entry = kept.get(name)
    if not entry or entry.get("fingerprint") != fingerprint:
        return None
    kept_results = leftover / f"{name}.results.jsonl"
    if "results" in entry:  # written by an older version
        results = [_file_result(r) for r in entry["results"]]
    else:
        try:
            results = _read_results(kept_results)
        except (OSError, ValueError, InputError):
            return None
    if entry["documents"]:
        if not (leftover / name).is_dir():
            return None
        os.replace(leftover / name, staging / name)
    if "results" in entry:
        _write_results(results_file, results)
    else:
        os.replace(kept_results, results_file)
    failed = [r for r in results if not r.ok]
    return PartitionOutcome(entry["documents"], entry["sentences"], len(results), failed)


def _keep_finished(
    staging: Path,
    leftover: Path,
    finished: dict[str, PartitionOutcome],
    fingerprints: dict[str, str],
) -> None:
    """Move the finished partitions (and their file results) out of staging so the next
    run can reuse them."""
    shutil.rmtree(leftover, ignore_errors=True)
    leftover.mkdir(parents=True)
    entries: dict[str, Any] = {}
    for name, done in finished.items():
        if done.documents:
            os.replace(staging / name, leftover / name)
        os.replace(staging / RESULTS_DIR / f"{name}.jsonl", leftover / f"{name}.results.jsonl")
        entries[name] = {
            "fingerprint": fingerprints[name],
            "documents": done.documents,
            "sentences": done.sentences,
        }
    with atomic_write(leftover / RESUME_FILE) as handle:
        json.dump(entries, handle, ensure_ascii=False, indent=1)


def _file_result(record: dict[str, Any]) -> FileResult:
    return FileResult(**{**record, "removed": Counter(record.get("removed") or {})})


def _failure_message(
    failures: dict[str, str],
    chunks: list[tuple[tuple[str, str], ...]],
    names: list[str],
    finished: int,
    leftover: Path,
) -> str:
    parts = []
    for name, error in sorted(failures.items()):
        chunk = chunks[names.index(name)]
        span = chunk[0][0] if len(chunk) == 1 else f"{chunk[0][0]} … {chunk[-1][0]}"
        parts.append(f"partition {name} ({len(chunk)} files: {span}) failed: {error}")
    return (
        "; ".join(parts)
        + f". The corpus was not replaced; the {finished} finished partition(s) are kept in "
        f"{leftover}: fix the cause (or move the files named away) and run the same "
        "command again, which reuses them instead of ingesting them again"
    )
