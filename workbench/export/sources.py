"""Where the source texts of an export come from: publisher, URL and date per document.

Trainers and anyone redistributing a corpus need to know whose texts the Chinese side is
and where to find them; ingest already keeps each document's metadata (来源 as
``Document.source``, other fields such as a URL in ``Document.metadata``). This module
reads it back for the dataset card's sources section and the table formats' columns.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from workbench.corpus import PartitionMapper, map_partitions, read_partition_documents
from workbench.fileio import recover_directory

# Metadata fields that may hold a document's address, in order of preference.
URL_FIELDS = ("url", "source_url", "link")


@dataclass(frozen=True, slots=True)
class DocumentSource:
    """One document's provenance as shown in the card."""

    doc_id: str
    title: str | None
    publisher: str | None
    url: str | None
    published: str | None
    source_path: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def document_url(metadata: dict[str, str]) -> str | None:
    """Return the first http(s) address among the metadata fields that may hold one."""
    for key in URL_FIELDS:
        value = (metadata.get(key) or "").strip()
        if value.startswith(("http://", "https://")):
            return value
    return None


def document_sources_of(partition: Path) -> list[DocumentSource]:
    """Return the provenance of every document of one corpus partition, in order.

    Module-level so the batch engine can run it in a worker: the worker parses the heavy
    document records (original text included) and sends back only these few fields.
    """
    return [
        DocumentSource(
            doc_id=doc.id,
            title=doc.title,
            publisher=(doc.source or "").strip() or None,
            url=document_url(doc.metadata or {}),
            published=doc.published,
            source_path=doc.source_path,
        )
        for doc in read_partition_documents(partition)
    ]


def load_document_sources(
    corpus_path: Path, mapper: PartitionMapper | None = None
) -> dict[str, DocumentSource]:
    """Return doc id → provenance from a corpus folder (empty when there is no corpus).

    ``mapper`` reads the partitions in parallel (the batch engine's ``map_in_order``);
    results are merged in corpus order either way, so the export does not depend on it.
    """
    if not (Path(corpus_path) / "manifest.json").is_file():
        recover_directory(Path(corpus_path))  # an ingest killed mid-swap
    if not (Path(corpus_path) / "manifest.json").is_file():
        return {}
    return {
        source.doc_id: source
        for chunk in map_partitions(corpus_path, document_sources_of, mapper)
        for source in chunk
    }
