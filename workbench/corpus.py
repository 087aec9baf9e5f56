"""The segmented corpus on disk: a versioned folder of partitions of JSON Lines files.

Layout of ``<work_dir>/corpus/`` (``CORPUS_FORMAT`` version 2)::

    manifest.json          {"format", "version", "created", "documents", "sentences",
                            "partitions": [{"name", "documents", "sentences"}, ...],
                            "glossary_version" (after tagging), "workbench"}
    part-00000/
        documents.jsonl    one Document per line (see workbench.models.Document)
        sentences.jsonl    one Sentence per line, in document then reading order
    part-00001/ ...

A partition holds a run of whole documents; reading the partitions in the order the
manifest lists them gives the documents and sentences in corpus order. Partitions let
the batch engine (``workbench.batch``) have each worker write its own share of an ingest
in parallel, and let readers stream the corpus one partition at a time.

Partitions are JSON Lines, not Parquet: every record (a Document with its original text
and removal list, a Sentence with offsets and term matches) is nested, one record per line
is what the rest of the workbench already reads and writes, a partition is written by one
worker in one streaming pass with no schema to agree on, and the bytes depend only on the
records, so the same input gives byte-identical files whatever the number of workers.

Version 1 corpora (``documents.jsonl`` and ``sentences.jsonl`` directly in the folder)
are still read: they are one partition, the folder itself.

The folder is always replaced whole (``atomic_directory``), so readers never see a mix
of two runs, and everything streams: memory does not grow with corpus size.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from workbench import __version__
from workbench.errors import InputError
from workbench.fileio import atomic_directory, read_jsonl, recover_directory, write_jsonl
from workbench.models import Document, Sentence

CORPUS_FORMAT = "workbench-corpus"
CORPUS_VERSION = 2
READABLE_VERSIONS = (1, 2)
DOCUMENTS_FILE = "documents.jsonl"
SENTENCES_FILE = "sentences.jsonl"
# Documents per partition when a corpus is rewritten in one process (tag, resegment).
PARTITION_DOCUMENTS = 1000
# Manifest keys the writer sets itself; a caller's extra keys never override them.
OWN_MANIFEST_KEYS = frozenset(
    {"format", "version", "created", "workbench", "documents", "sentences", "partitions"}
)

T = TypeVar("T")
# Runs a function over partition folders and returns the results in input order.
PartitionMapper = Callable[[Callable[[Path], Any], list[Path]], Iterable[Any]]


def corpus_dir(work_dir: Path) -> Path:
    """Return where the corpus lives under a work folder."""
    return Path(work_dir) / "corpus"


def partition_name(index: int) -> str:
    """Return the folder name of the ``index``-th partition (``part-00000``)."""
    return f"part-{index:05d}"


def write_partition(
    folder: Path, items: Iterable[tuple[Document, Iterable[Sentence]]]
) -> dict[str, Any]:
    """Write (document, sentences) pairs into one partition folder; return its counts.

    Called by each batch worker for its own partition inside the staging folder of
    ``write_corpus_partitions``, or by ``write_corpus`` in one process.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    n_documents = n_sentences = 0
    with (
        open(folder / DOCUMENTS_FILE, "w", encoding="utf-8") as docs,
        open(folder / SENTENCES_FILE, "w", encoding="utf-8") as sents,
    ):
        for document, sentences in items:
            n_sentences += write_jsonl(sents, (s.to_dict() for s in sentences))
            write_jsonl(docs, [document.to_dict()])
            n_documents += 1
    return {"name": folder.name, "documents": n_documents, "sentences": n_sentences}


def write_manifest(
    staging: Path, partitions: list[dict[str, Any]], extra_manifest: dict[str, Any] | None
) -> dict[str, Any]:
    """Write ``manifest.json`` listing ``partitions`` (in corpus order); return it."""
    manifest = {
        "format": CORPUS_FORMAT,
        "version": CORPUS_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "workbench": __version__,
        **{k: v for k, v in (extra_manifest or {}).items() if k not in OWN_MANIFEST_KEYS},
        "documents": sum(p["documents"] for p in partitions),
        "sentences": sum(p["sentences"] for p in partitions),
        "partitions": partitions,
    }
    (staging / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return manifest


def write_corpus(
    path: Path,
    items: Iterable[tuple[Document, Iterable[Sentence]]],
    extra_manifest: dict[str, Any] | None = None,
    partition_documents: int = PARTITION_DOCUMENTS,
) -> dict[str, Any]:
    """Stream (document, sentences) pairs into a corpus folder swapped in atomically.

    Documents are cut into partitions of ``partition_documents``. Returns the manifest.
    """
    if partition_documents < 1:
        raise ValueError("partition_documents must be at least 1")
    iterator = iter(items)
    partitions: list[dict[str, Any]] = []
    with atomic_directory(Path(path)) as staging:
        while True:
            first = next(iterator, None)
            if first is None:
                break
            chunk = _take(iterator, first, partition_documents)
            partitions.append(write_partition(staging / partition_name(len(partitions)), chunk))
        if not partitions:  # an empty corpus still has its one (empty) partition
            partitions.append(write_partition(staging / partition_name(0), []))
        manifest = write_manifest(staging, partitions, extra_manifest)
    return manifest


def _take(iterator: Iterator[T], first: T, count: int) -> Iterator[T]:
    """Yield ``first`` then up to ``count - 1`` more items of ``iterator``."""
    yield first
    for _ in range(count - 1):
        item = next(iterator, None)
        if item is None:
            return
        yield item


def read_manifest(path: Path) -> dict[str, Any]:
    """Return a corpus folder's manifest, checking format and version."""
    manifest_file = Path(path) / "manifest.json"
    if not manifest_file.is_file():
        recover_directory(Path(path))  # an ingest killed mid-swap left it in .corpus.old
    if not manifest_file.is_file():
        raise InputError(f"no corpus at {path}; run 'workbench ingest' first")
    manifest: dict[str, Any] = json.loads(manifest_file.read_text(encoding="utf-8"))
    if manifest.get("format") != CORPUS_FORMAT or manifest.get("version") not in READABLE_VERSIONS:
        raise InputError(
            f"{manifest_file}: corpus format {manifest.get('format')} "
            f"v{manifest.get('version')} is not {CORPUS_FORMAT} v{CORPUS_VERSION}; re-run ingest"
        )
    return manifest


def corpus_partitions(path: Path) -> list[Path]:
    """Return the partition folders of a corpus in corpus order.

    A version 1 corpus is one partition: the corpus folder itself.
    """
    manifest = read_manifest(path)
    if manifest.get("version") == 1:
        return [Path(path)]
    return [Path(path) / str(p["name"]) for p in manifest.get("partitions") or []]


def read_partition_documents(partition: Path) -> Iterator[Document]:
    """Stream the documents of one partition folder."""
    for record in read_jsonl(Path(partition) / DOCUMENTS_FILE):
        yield Document.from_dict(record, str(Path(partition) / DOCUMENTS_FILE))


def read_partition_sentences(partition: Path) -> Iterator[Sentence]:
    """Stream the sentences of one partition folder in reading order."""
    for record in read_jsonl(Path(partition) / SENTENCES_FILE):
        yield Sentence.from_dict(record, str(Path(partition) / SENTENCES_FILE))


def read_documents(path: Path) -> Iterator[Document]:
    """Stream the documents of a corpus folder, partition by partition."""
    for partition in corpus_partitions(path):
        yield from read_partition_documents(partition)


def read_sentences(path: Path) -> Iterator[Sentence]:
    """Stream the sentences of a corpus folder in reading order, partition by partition."""
    for partition in corpus_partitions(path):
        yield from read_partition_sentences(partition)


def map_partitions(
    path: Path,
    function: Callable[[Path], T],
    mapper: PartitionMapper | None = None,
) -> list[T]:
    """Apply ``function`` to every partition folder; return the results in corpus order.

    ``mapper`` runs the calls (the batch engine passes one that spreads them over its
    workers and returns results in input order); by default they run one after another.
    ``function`` must be a module-level function so it can be sent to other processes.
    """
    partitions = corpus_partitions(path)
    if mapper is None:
        return [function(p) for p in partitions]
    return list(mapper(function, partitions))
