"""Add glossary matches to every sentence of the segmented corpus.

The corpus folder is rewritten whole (swapped in atomically), partition by partition, with each
``Sentence.terms`` replaced, not appended to, so tagging twice gives the same corpus; the
manifest records which glossary version produced the terms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from workbench.config import Config
from workbench.corpus import (
    SENTENCES_FILE,
    corpus_dir,
    corpus_partitions,
    partition_name,
    read_manifest,
    read_partition_documents,
    read_partition_sentences,
    write_manifest,
    write_partition,
)
from workbench.errors import GlossaryError, InputError
from workbench.fileio import atomic_directory
from workbench.glossary.matcher import Matcher
from workbench.glossary.termbase import Glossary, glossary_path, load_glossary
from workbench.models import Document, Sentence

# Manifest keys write_corpus sets itself; everything else is carried over.
_OWN_MANIFEST_KEYS = {"format", "version", "created", "workbench", "documents", "sentences"}
# Sentences matched per bulk scan: large enough that the scan's fixed costs vanish, small
# enough that the batch's text and columns stay a few megabytes.
_BATCH = 20_000


def tag_sentences(matcher: Matcher, sentences: Sequence[Sentence]) -> None:
    """Set ``terms`` of each sentence to its matches, with one bulk scan for all of them."""
    texts = [sentence.text for sentence in sentences]
    found = matcher.term_matches(texts, matcher.find_bulk(texts))
    for sentence, terms in zip(sentences, found, strict=True):
        sentence.terms = terms


@dataclass(frozen=True)
class TagJob:
    """One corpus partition to tag in a batch worker."""

    source: str  # the partition folder of the current corpus
    target: str  # the partition folder inside the staging corpus
    glossary_source: str  # file or folder the worker loads the glossary from
    glossary_version: str


@dataclass
class TagOutcome:
    """Counts of one tagged partition."""

    documents: int
    sentences: int
    sentences_with_terms: int
    matches: int
    entries_matched: set[str] = field(default_factory=set)


# One glossary matcher per worker process (keyed by glossary version).
_MATCHERS: dict[str, Any] = {}


def _matcher_for(job: TagJob) -> Any:
    if job.glossary_version not in _MATCHERS:
        glossary = load_glossary(Path(job.glossary_source))
        if glossary.version != job.glossary_version:
            raise GlossaryError(
                f"glossary {job.glossary_source} changed during tagging "
                f"({glossary.version}, not {job.glossary_version}); run 'workbench glossary tag' "
                "again"
            )
        _MATCHERS.clear()
        _MATCHERS[glossary.version] = glossary.matcher()
    return _MATCHERS[job.glossary_version]


def tag_partition(job: TagJob) -> TagOutcome:
    """Tag the sentences of one partition into its new folder (runs in a batch worker)."""
    return _tag_into(Path(job.source), Path(job.target), _matcher_for(job))


def _tag_into(source: Path, target: Path, matcher: Matcher) -> TagOutcome:
    outcome = TagOutcome(0, 0, 0, 0)

    def tagged(sentences: Iterator[Sentence]) -> Iterator[Sentence]:
        while batch := list(islice(sentences, _BATCH)):
            tag_sentences(matcher, batch)
            for sentence in batch:
                outcome.sentences += 1
                outcome.matches += len(sentence.terms)
                outcome.sentences_with_terms += bool(sentence.terms)
                outcome.entries_matched.update(m.entry_id for m in sentence.terms)
            yield from batch

    items = _by_document(read_partition_documents(source), tagged(read_partition_sentences(source)))
    info = write_partition(target, items)
    outcome.documents = info["documents"]
    return outcome


def tag_corpus(
    config: Config,
    glossary: Glossary | None = None,
    runner: Callable[..., tuple[dict[str, TagOutcome], dict[str, str]]] | None = None,
    glossary_source: Path | None = None,
    in_process_below_bytes: int = 0,
) -> dict[str, Any]:
    """Fill ``terms`` of every corpus sentence with the glossary's matches; return a summary.

    Each partition is tagged into a new corpus folder swapped in at the end. ``runner``
    (the batch engine) tags the partitions in parallel, each worker loading the glossary
    from ``glossary_source`` (default ``[paths] glossary_dir``) once; without one they are
    tagged here, as they are when the corpus's sentence files are smaller than
    ``in_process_below_bytes`` (not worth starting a cluster for). A partition that fails
    leaves the corpus as it was.
    """
    glossary = glossary or load_glossary(glossary_source, config=config)
    path = corpus_dir(config.work_dir)
    manifest = read_manifest(path)
    partitions = corpus_partitions(path)
    names = [partition_name(i) for i in range(len(partitions))]
    extra = {k: v for k, v in manifest.items() if k not in _OWN_MANIFEST_KEYS}
    extra["glossary_version"] = glossary.version
    outcomes: dict[str, TagOutcome] = {}
    matched: set[str] = set()

    def fold(name: str, outcome: TagOutcome) -> None:
        # One set of matched entries for the run, not one per partition kept to the end.
        matched.update(outcome.entries_matched)
        outcome.entries_matched = set()

    with atomic_directory(path) as staging:
        if runner is None:
            matcher = glossary.matcher()
            for name, source in zip(names, partitions, strict=True):
                outcomes[name] = _tag_into(source, staging / name, matcher)
                fold(name, outcomes[name])
        else:
            source_of_glossary = str(glossary_path(glossary_source, config))
            jobs = [
                TagJob(str(source), str(staging / name), source_of_glossary, glossary.version)
                for name, source in zip(names, partitions, strict=True)
            ]
            small = _sentence_bytes(partitions) < in_process_below_bytes
            outcomes, failures = runner(tag_partition, jobs, names, small, fold)
            if failures:
                raise GlossaryError(
                    "; ".join(f"tagging {n} failed: {e}" for n, e in sorted(failures.items()))
                    + ". The corpus was left as it was; fix the cause and tag again"
                )
        written = write_manifest(
            staging,
            [
                {"name": n, "documents": outcomes[n].documents, "sentences": outcomes[n].sentences}
                for n in names
            ],
            extra,
        )
    return {
        "corpus": str(path),
        "glossary_version": glossary.version,
        "documents": written["documents"],
        "sentences": sum(o.sentences for o in outcomes.values()),
        "sentences_with_terms": sum(o.sentences_with_terms for o in outcomes.values()),
        "matches": sum(o.matches for o in outcomes.values()),
        "entries_matched": len(matched),
    }


def _sentence_bytes(partitions: list[Path]) -> int:
    return sum(
        (p / SENTENCES_FILE).stat().st_size for p in partitions if (p / SENTENCES_FILE).is_file()
    )


def _by_document(
    documents: Iterator[Document], sentences: Iterator[Sentence]
) -> Iterator[tuple[Document, list[Sentence]]]:
    """Pair each document with its sentences (both streams are in document order)."""
    pending: Sentence | None = next(sentences, None)
    for document in documents:
        own = []
        while pending is not None and pending.doc_id == document.id:
            own.append(pending)
            pending = next(sentences, None)
        yield document, own
    if pending is not None:
        raise InputError(
            f"corpus sentence {pending.id} belongs to no document in order "
            f"(doc_id {pending.doc_id}); re-run 'workbench ingest'"
        )
