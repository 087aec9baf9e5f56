"""The segmented corpus on disk: a versioned folder of JSON Lines files.

Layout of ``<work_dir>/corpus/`` (``CORPUS_FORMAT`` version 1)::

    manifest.json      {"format", "version", "created", "documents", "sentences",
                        "glossary_version" (after tagging), "workbench"}
    documents.jsonl    one Document per line (see workbench.models.Document)
    sentences.jsonl    one Sentence per line, in document then reading order

The folder is always replaced whole (``atomic_directory``), so readers never see a mix
of two runs, and everything streams: memory does not grow with corpus size.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workbench import __version__
from workbench.errors import InputError
from workbench.fileio import atomic_directory, read_jsonl, recover_directory, write_jsonl
from workbench.models import Document, Sentence

CORPUS_FORMAT = "workbench-corpus"
CORPUS_VERSION = 1


def corpus_dir(work_dir: Path) -> Path:
    """Return where the corpus lives under a work folder."""
    return Path(work_dir) / "corpus"


def write_corpus(
    path: Path,
    items: Iterable[tuple[Document, Iterable[Sentence]]],
    extra_manifest: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Stream (document, sentences) pairs into a corpus folder swapped in atomically.

    Returns the manifest written.
    """
    n_documents = n_sentences = 0
    with atomic_directory(Path(path)) as staging:
        with (
            open(staging / "documents.jsonl", "w", encoding="utf-8") as docs,
            open(staging / "sentences.jsonl", "w", encoding="utf-8") as sents,
        ):
            for document, sentences in items:
                n_sentences += write_jsonl(sents, (s.to_dict() for s in sentences))
                write_jsonl(docs, [document.to_dict()])
                n_documents += 1
        manifest = {
            "format": CORPUS_FORMAT,
            "version": CORPUS_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "workbench": __version__,
            "documents": n_documents,
            "sentences": n_sentences,
            **(extra_manifest or {}),
        }
        (staging / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    return manifest


def read_manifest(path: Path) -> dict[str, Any]:
    """Return a corpus folder's manifest, checking format and version."""
    manifest_file = Path(path) / "manifest.json"
    if not manifest_file.is_file():
        recover_directory(Path(path))  # an ingest killed mid-swap left it in .corpus.old
    if not manifest_file.is_file():
        raise InputError(f"no corpus at {path}; run 'workbench ingest' first")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    if manifest.get("format") != CORPUS_FORMAT or manifest.get("version") != CORPUS_VERSION:
        raise InputError(
            f"{manifest_file}: corpus format {manifest.get('format')} "
            f"v{manifest.get('version')} is not {CORPUS_FORMAT} v{CORPUS_VERSION}; re-run ingest"
        )
    return manifest


def read_documents(path: Path) -> Iterator[Document]:
    """Stream the documents of a corpus folder."""
    read_manifest(path)
    file = Path(path) / "documents.jsonl"
    for record in read_jsonl(file):
        yield Document.from_dict(record, str(file))


def read_sentences(path: Path) -> Iterator[Sentence]:
    """Stream the sentences of a corpus folder in reading order."""
    read_manifest(path)
    file = Path(path) / "sentences.jsonl"
    for record in read_jsonl(file):
        yield Sentence.from_dict(record, str(file))
