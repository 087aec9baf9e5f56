"""``workbench import-bilingual``: aligned official translations become stored pairs.

Each document pair is aligned and every bead goes into the translation memory with its
provenance (publication, URL, date, aligner, model, score). A bead scoring at least
``[align] review_threshold`` with both sides present is ``accepted`` (it goes to the next
export with origin ``aligned``); every other bead, 1–0 and 0–1 included, is stored as
``needs_review`` and can be sent to Label Studio for an annotator to confirm, so nothing
is lost and nothing doubtful is exported unreviewed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.align.aligner import Aligner, AlignerSettings
from workbench.align.documents import (
    AlignedDocument,
    align_sides,
    find_document_pairs,
    read_interleaved,
    read_pair,
)
from workbench.config import Config
from workbench.errors import ConfigError
from workbench.ingest.pipeline import Ingester
from workbench.tm.store import TmPair, open_tm


@dataclass
class DocumentImport:
    """What happened to one document pair."""

    doc_id: str
    beads: int
    accepted: int
    review: int
    added: int
    present: int
    publication: str | None = None


@dataclass
class ImportReport:
    """Per-document results of an import and the pairs sent for review."""

    documents: list[DocumentImport] = field(default_factory=list)
    review_pairs: list[TmPair] = field(default_factory=list)


def review_threshold(config: Config, given: float | None = None) -> float:
    """The score below which a bead needs review (``[align] review_threshold``)."""
    value = float(given if given is not None else config.align.review_threshold)
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"[align] review_threshold = {value} must be between 0 and 1")
    return value


def provenance_of(
    document: AlignedDocument, settings: AlignerSettings, given: dict[str, str | None]
) -> dict[str, Any]:
    """Provenance of a document's pairs: options first, then what ingest read from it."""
    meta = document.metadata
    return {
        "publication": given.get("publication") or meta.get("title") or document.doc_id,
        "url": given.get("url") or meta.get("url") or meta.get("source_url") or meta.get("链接"),
        "published": given.get("published") or meta.get("published"),
        "aligner": settings.aligner_name,
        "model": settings.model_name,
        "doc_id": f"aligned-{document.doc_id}",
        "source_file": " + ".join(document.source_files),
    }


def pairs_of(
    document: AlignedDocument, provenance: dict[str, Any], threshold: float
) -> list[TmPair]:
    """Turn a document's beads into TM pairs with status by score."""
    pairs = []
    for position, bead in enumerate(document.beads):
        complete = bool(bead.zh.strip() and bead.en.strip())
        pairs.append(
            TmPair(
                zh=bead.zh,
                en=bead.en,
                origin="aligned",
                status="accepted" if complete and bead.score >= threshold else "needs_review",
                score=round(bead.score, 4),
                provenance=provenance,
                zh_sentences=bead.zh_sentences,
                en_sentences=bead.en_sentences,
                position=position,
            )
        )
    return pairs


def import_bilingual(
    config: Config,
    paths: list[Path],
    interleaved: bool = False,
    given: dict[str, str | None] | None = None,
    threshold: float | None = None,
    aligner: Aligner | None = None,
    glossary: Any = None,
    progress: Callable[[DocumentImport], None] | None = None,
) -> ImportReport:
    """Align every document pair in ``paths`` and store the beads in the TM."""
    settings = aligner.settings if aligner else AlignerSettings.from_config(config)
    aligner = aligner or Aligner(settings, glossary)
    limit = review_threshold(config, threshold)
    ingester = Ingester(config)
    jobs: Sequence[tuple[str, Path, Path | None]]
    if interleaved:
        jobs = [(Path(p).stem, Path(p), None) for p in paths]
    else:
        jobs = find_document_pairs(list(paths))
    report = ImportReport()
    with open_tm(config) as tm:
        for doc_id, first, second in jobs:
            if second is None:
                zh, en = read_interleaved(first, ingester)
                files = [str(first)]
            else:
                zh, en = read_pair(first, second, ingester)
                files = [str(first), str(second)]
            document = align_sides(aligner, zh, en, doc_id, files)
            provenance = provenance_of(document, settings, given or {})
            pairs = pairs_of(document, provenance, limit)
            counts = tm.add_pairs(pairs)
            review = [p for p in pairs if p.status == "needs_review"]
            report.review_pairs.extend(review)
            result = DocumentImport(
                doc_id,
                len(pairs),
                len(pairs) - len(review),
                len(review),
                counts.added,
                counts.present,
                provenance["publication"],
            )
            report.documents.append(result)
            if progress:
                progress(result)
    return report
