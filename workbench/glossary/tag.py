"""Add glossary matches to every sentence of the segmented corpus.

The corpus folder is rewritten whole (``write_corpus`` swaps it in atomically) with each
``Sentence.terms`` replaced, not appended to, so tagging twice gives the same corpus; the
manifest records which glossary version produced the terms.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

from workbench.config import Config
from workbench.corpus import corpus_dir, read_documents, read_manifest, read_sentences, write_corpus
from workbench.errors import InputError
from workbench.glossary.matcher import Matcher
from workbench.glossary.termbase import Glossary, load_glossary
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


def tag_corpus(config: Config, glossary: Glossary | None = None) -> dict[str, Any]:
    """Fill ``terms`` of every corpus sentence with the glossary's matches; return a summary."""
    glossary = glossary or load_glossary(config=config)
    matcher = glossary.matcher()
    path = corpus_dir(config.work_dir)
    manifest = read_manifest(path)
    stats = {"sentences": 0, "sentences_with_terms": 0, "matches": 0}
    matched_ids: set[str] = set()

    def tagged(sentences: Iterator[Sentence]) -> Iterator[Sentence]:
        while batch := list(islice(sentences, _BATCH)):
            tag_sentences(matcher, batch)
            for sentence in batch:
                stats["sentences"] += 1
                stats["matches"] += len(sentence.terms)
                stats["sentences_with_terms"] += bool(sentence.terms)
                matched_ids.update(m.entry_id for m in sentence.terms)
            yield from batch

    extra = {k: v for k, v in manifest.items() if k not in _OWN_MANIFEST_KEYS}
    extra["glossary_version"] = glossary.version
    written = write_corpus(
        path, _by_document(read_documents(path), tagged(read_sentences(path))), extra
    )
    return {
        "corpus": str(path),
        "glossary_version": glossary.version,
        "documents": written["documents"],
        **stats,
        "entries_matched": len(matched_ids),
    }


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
