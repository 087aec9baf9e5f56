"""What the pages show about the corpus: documents, example sentences, progress, QA findings.

Each source is read lazily and cached until it changes on disk (the corpus folder is
swapped whole by ingest, snapshots are new folders, QA files are replaced atomically), so a
page view costs a few ``stat`` calls, not a corpus scan. Every source may be missing: the
pages then say what to run instead of failing.

Example sentences come from the corpus's stored term matches when it was tagged with the
glossary version being served; otherwise the served matcher is run over the sentences, so
a term accepted a minute ago already shows its examples.

The matcher is leftmost-longest, so a term inside a longer entry (精准扶贫 in
精准扶贫精准脱贫基本方略) is reported only as the longer entry. The entry page must still
list those sentences, so the index also searches every match's span for the forms of the
other entries (both scripts, through the glossary's folding) and records such a sentence as
"inside a longer entry". Only the matched spans are searched, once per distinct span text,
while the index is built; a page view stays a dictionary lookup.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick_rs

from workbench.config import Config
from workbench.corpus import corpus_dir, read_documents, read_manifest, read_sentences
from workbench.errors import WorkbenchError
from workbench.glossary.fold import FoldedText, term_keys
from workbench.glossary.matcher import Matcher
from workbench.labelstudio.links import TaskLink, task_links
from workbench.models import Sentence, TermMatch
from workbench.snapshot import (
    list_snapshots,
    read_snapshot,
    read_snapshot_manifest,
    snapshots_dir,
)
from workbench.web.reload import LoadedGlossary

log = logging.getLogger(__name__)

EXAMPLES_KEPT = 20  # per entry; the page shows fewer, the count is exact
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True, slots=True)
class Example:
    """A corpus sentence cut into plain text and highlighted term spans, for the template."""

    sentence_id: str
    doc_id: str
    doc_title: str
    parts: list[tuple[str, bool]]  # (text, is the term)
    # Longer entries (their Chinese headword) the term was found inside, when the matcher
    # reported those instead of the term; empty when the term itself was matched.
    inside: tuple[str, ...] = ()


@dataclass
class DocumentRow:
    """One document's line on the overview page."""

    id: str
    title: str
    source_path: str
    published: str | None
    sentences: int = 0
    terms: int = 0
    tasks: int = 0
    annotated: int = 0
    statuses: Counter = field(default_factory=Counter)

    @property
    def percent(self) -> int:
        """Share of the document's sentences with at least one annotation, in percent."""
        return round(100 * self.annotated / self.sentences) if self.sentences else 0


@dataclass
class CorpusIndex:
    """Everything derived from one corpus version and one glossary version."""

    manifest: dict[str, Any]
    documents: dict[str, DocumentRow]
    examples: dict[str, list[Example]]
    counts: Counter  # sentences per entry, those where it sits inside a longer entry included
    live_matched: bool  # True when examples came from the served matcher, not stored tags
    nested_counts: Counter = field(default_factory=Counter)  # of ``counts``: inside only


@dataclass
class Progress:
    """Annotation progress from one snapshot."""

    name: str
    manifest: dict[str, Any]
    by_doc: dict[str, dict[str, Any]]


def _start(match: TermMatch) -> int:
    return match.start


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def split_for_highlight(
    text: str, matches: list[TermMatch], entry_id: str
) -> list[tuple[str, bool]]:
    """Cut a sentence into (text, highlighted) parts around one entry's matches."""
    parts: list[tuple[str, bool]] = []
    position = 0
    for match in matches:
        if match.entry_id != entry_id or match.start < position:
            continue
        if match.start > position:
            parts.append((text[position : match.start], False))
        parts.append((text[match.start : match.end], True))
        position = match.end
    if position < len(text):
        parts.append((text[position:], False))
    return parts


class NestedFinder:
    """Find the entries whose forms occur inside a longer matched span.

    One overlapping Aho-Corasick automaton over the same folded keys as the matcher; a
    span's text is folded the same way, so Traditional or punctuated spellings count too.
    Results are remembered per span text (a long entry repeats across the corpus).
    """

    def __init__(self, matcher: Matcher) -> None:
        keys: dict[str, str] = {}
        for entry in matcher.entries:
            for key in sorted(term_keys(entry.zh_forms)):
                keys.setdefault(key, entry.id)
        self._keys = list(keys)
        self._ids = list(keys.values())
        self._automaton = (
            ahocorasick_rs.AhoCorasick(self._keys, matchkind=ahocorasick_rs.MatchKind.Standard)
            if self._keys
            else None
        )
        self._seen: dict[tuple[str, str], list[tuple[int, int, str]]] = {}

    def inside(self, match: TermMatch) -> list[tuple[int, int, str]]:
        """Return (start, end, entry id) of other entries strictly inside ``match``'s span,
        offsets relative to the span."""
        key = (match.text, match.entry_id)
        found = self._seen.get(key)
        if found is not None:
            return found
        found = []
        if self._automaton is not None and len(match.text) > 1:
            folded = FoldedText.of(match.text)
            hits = self._automaton.find_matches_as_indexes(folded.folded, overlapping=True)
            seen: set[tuple[int, int, str]] = set()
            for pattern, start, end in hits:
                entry_id = self._ids[pattern]
                if entry_id == match.entry_id:
                    continue
                start, end = folded.span(start, end)
                if end - start >= len(match.text):
                    continue  # the whole span: another spelling of the same text
                if (start, end, entry_id) not in seen:
                    seen.add((start, end, entry_id))
                    found.append((start, end, entry_id))
        self._seen[key] = found
        return found


class CorpusView:
    """Cached, change-aware views of the corpus, the latest snapshot and QA findings."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.corpus_path = corpus_dir(config.work_dir)
        self._lock = threading.Lock()
        self._index_key: tuple | None = None
        self._index: CorpusIndex | None = None
        self._progress_key: tuple | None = None
        self._progress: Progress | None = None
        self._qa_key: tuple | None = None
        self._qa: tuple[Path, list[dict[str, Any]]] | None = None
        self._links_key: tuple | None = None
        self._links: dict[str, TaskLink] = {}
        self.corpus_error: str | None = None  # why an existing corpus could not be read
        self._failed_key: tuple | None = None  # don't re-read a damaged corpus per request

    # -- corpus -------------------------------------------------------------------------

    def index(self, loaded: LoadedGlossary) -> CorpusIndex | None:
        """Return the corpus index for the served glossary, or None when there is no corpus."""
        stamp = _stamp(self.corpus_path / "manifest.json")
        if stamp is None:
            return None
        key = (stamp, loaded.version)
        if key == self._index_key and self._index is not None:
            return self._index
        if key == self._failed_key:
            return None
        with self._lock:
            if key != self._index_key or self._index is None:
                try:
                    self._index = self._build_index(loaded)
                except (WorkbenchError, OSError, ValueError, TypeError) as exc:
                    log.warning("corpus at %s not readable: %s", self.corpus_path, exc)
                    self.corpus_error = str(exc)
                    self._failed_key = key
                    return None
                self._index_key = key
                self.corpus_error = None
                self._failed_key = None
        return self._index

    def _build_index(self, loaded: LoadedGlossary) -> CorpusIndex:
        manifest = read_manifest(self.corpus_path)
        live = manifest.get("glossary_version") != loaded.version
        documents: dict[str, DocumentRow] = {}
        for document in read_documents(self.corpus_path):
            documents[document.id] = DocumentRow(
                id=document.id,
                title=document.title or Path(document.source_path).name,
                source_path=document.source_path,
                published=document.published,
            )
        examples: dict[str, list[Example]] = defaultdict(list)
        counts: Counter = Counter()
        nested_counts: Counter = Counter()
        find = loaded.matcher.find
        nested = NestedFinder(loaded.matcher)
        for sentence in read_sentences(self.corpus_path):
            row = documents.get(sentence.doc_id)
            if row is not None:
                row.sentences += 1
            matches = find(sentence.text) if live else sentence.terms
            if row is not None:
                row.terms += len(matches)
            direct = dict.fromkeys(m.entry_id for m in matches)
            # entry id -> (its spans inside longer matches, the longer entries' headwords)
            inner: dict[str, tuple[list[TermMatch], dict[str, None]]] = {}
            for match in matches:
                for start, end, entry_id in nested.inside(match):
                    spans, covering = inner.setdefault(entry_id, ([], {}))
                    begin = match.start + start
                    stop = match.start + end
                    spans.append(
                        TermMatch(begin, stop, sentence.text[begin:stop], entry_id, "", "")
                    )
                    covering[match.zh] = None
            for entry_id in direct:
                counts[entry_id] += 1
                if len(examples[entry_id]) < EXAMPLES_KEPT:
                    spans, covering = inner.get(entry_id, ([], {}))
                    hits = sorted([*matches, *spans], key=_start) if spans else matches
                    examples[entry_id].append(
                        self._example(sentence, hits, entry_id, row, tuple(covering))
                    )
            for entry_id, (spans, covering) in inner.items():
                if entry_id in direct:
                    continue
                counts[entry_id] += 1
                nested_counts[entry_id] += 1
                if len(examples[entry_id]) < EXAMPLES_KEPT:
                    spans.sort(key=_start)
                    examples[entry_id].append(
                        self._example(sentence, spans, entry_id, row, tuple(covering))
                    )
        return CorpusIndex(manifest, documents, dict(examples), counts, live, nested_counts)

    @staticmethod
    def _example(
        sentence: Sentence,
        matches: list[TermMatch],
        entry_id: str,
        row: DocumentRow | None,
        inside: tuple[str, ...] = (),
    ) -> Example:
        return Example(
            sentence_id=sentence.id,
            doc_id=sentence.doc_id,
            doc_title=row.title if row else sentence.doc_id,
            parts=split_for_highlight(sentence.text, matches, entry_id),
            inside=inside,
        )

    # -- annotation progress ------------------------------------------------------------

    def progress(self) -> Progress | None:
        """Return per-document progress from the latest snapshot, or None without one."""
        snapshots = list_snapshots(self.config.work_dir)
        if not snapshots:
            return None
        latest = snapshots[-1]
        key = (latest.name, _stamp(latest / "manifest.json"))
        if key == self._progress_key and self._progress is not None:
            return self._progress
        try:
            progress = self._build_progress(latest)
        except (WorkbenchError, OSError, ValueError) as exc:
            log.warning("snapshot %s not readable: %s", latest, exc)
            return None
        self._progress_key, self._progress = key, progress
        return progress

    @staticmethod
    def _build_progress(path: Path) -> Progress:
        manifest = read_snapshot_manifest(path)
        by_doc: dict[str, dict[str, Any]] = {}
        for task in read_snapshot(path):
            doc = by_doc.setdefault(
                str(task.doc_id),
                {"tasks": 0, "annotated": 0, "statuses": Counter(), "title": task.doc_title},
            )
            doc["tasks"] += 1
            annotations = [a for a in task.annotations if not a.was_cancelled]
            if annotations:
                doc["annotated"] += 1
                latest = max(annotations, key=lambda a: str(a.updated_at or ""))
                doc["statuses"][latest.status or "unset"] += 1
        return Progress(path.name, manifest, by_doc)

    # -- QA findings --------------------------------------------------------------------

    def qa_findings(self) -> tuple[Path, list[dict[str, Any]]] | None:
        """Return the QA findings of the configured export, or None when there are none yet."""
        exports = self.config.paths.exports_dir
        path = exports / self.config.export.name / "qa.json"
        stamp = _stamp(path)
        if stamp is None:
            return None
        if stamp == self._qa_key and self._qa is not None:
            return self._qa
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("QA file %s not readable: %s", path, exc)
            return path, []
        findings = data.get("findings", []) if isinstance(data, dict) else data
        if not isinstance(findings, list):
            findings = []
        kept = [f for f in findings if isinstance(f, dict)]
        kept.sort(key=lambda f: SEVERITY_ORDER.get(str(f.get("severity")), len(SEVERITY_ORDER)))
        self._qa_key, self._qa = stamp, (path, kept)
        return self._qa

    def finding_links(self, qa_path: Path, findings: list[dict[str, Any]]) -> dict[str, TaskLink]:
        """Return sentence id → Label Studio task and zh/en pair for the shown findings.

        The export's manifest (next to ``qa.json``) names the snapshot and selection rule
        the findings came from; that snapshot gives the task ids and the chosen English.
        Nothing is shown (an empty map) when the snapshot is gone or unreadable.
        """
        key = (_stamp(qa_path), len(findings))
        if key == self._links_key:
            return self._links
        links: dict[str, TaskLink] = {}
        try:
            manifest = json.loads((qa_path.parent / "manifest.json").read_text(encoding="utf-8"))
            settings = manifest.get("settings") or {}
            snapshot = snapshots_dir(self.config.work_dir) / str(manifest["snapshot"]["name"])
            ids = {str(f.get("sentence_id")) for f in findings}
            links = task_links(
                snapshot,
                ids,
                str(settings.get("selection") or "latest"),
                int(settings.get("agreement_min") or 2),
            )
        except (OSError, ValueError, KeyError, TypeError, WorkbenchError) as exc:
            log.warning("no task links for %s: %s", qa_path, exc)
        self._links_key, self._links = key, links
        return links
