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

from workbench.corpus import read_documents

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


def load_document_sources(corpus_path: Path) -> dict[str, DocumentSource]:
    """Return doc id → provenance from a corpus folder (empty when there is no corpus)."""
    if not (Path(corpus_path) / "manifest.json").is_file():
        return {}
    return {
        doc.id: DocumentSource(
            doc_id=doc.id,
            title=doc.title,
            publisher=(doc.source or "").strip() or None,
            url=document_url(doc.metadata or {}),
            published=doc.published,
            source_path=doc.source_path,
        )
        for doc in read_documents(corpus_path)
    }
