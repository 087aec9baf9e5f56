"""``workbench import-bilingual``: aligned official translations become stored pairs.

Each document pair is aligned and every bead goes into the translation memory with its
provenance (publication, URL, date, aligner, model, score). A bead scoring at least
``[align] review_threshold`` with both sides present is ``accepted`` (it goes to the next
export with origin ``aligned``); every other bead, 1–0 and 0–1 included, is stored as
``needs_review`` and can be sent to Label Studio for an annotator to confirm, so nothing
is lost and nothing doubtful is exported unreviewed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
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
from workbench.errors import ConfigError, InputError, WorkbenchError
from workbench.ingest.pipeline import Ingester
from workbench.tm.store import TmPair, open_tm

# Fewer document pairs than this are aligned in this process: loading the encoder in every
# worker of a new cluster costs more than it saves.
SMALL_IMPORT = 4


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


@dataclass(frozen=True)
class AlignJob:
    """One document pair to align in a batch worker."""

    doc_id: str
    first: str
    second: str | None  # None: ``first`` is an interleaved page
    config: Config
    settings: AlignerSettings
    with_glossary: bool  # the client could load the glossary: workers use its terms too
    threshold: float
    given: tuple[tuple[str, str | None], ...]


@dataclass
class AlignOutcome:
    """A worker's result for one pair: the TM pairs, or the one-line reason it had none."""

    pairs: list[TmPair]
    publication: str | None = None
    error: str | None = None
    skipped: bool = False  # its worker failed on every attempt: nothing to store


# One aligner per worker process and settings: the sentence encoder (hundreds of MB,
# seconds to load) is loaded once per worker, not once per document.
_ALIGNERS: dict[str, tuple[Aligner, Ingester]] = {}


def _aligner_key(config: Config, settings: AlignerSettings, with_glossary: bool) -> str:
    return json.dumps(
        [str(config.root), asdict(config), asdict(settings), with_glossary],
        sort_keys=True,
        default=str,
    )


def _aligner_for(job: AlignJob) -> tuple[Aligner, Ingester]:
    key = _aligner_key(job.config, job.settings, job.with_glossary)
    if key not in _ALIGNERS:
        from workbench.glossary import load_glossary

        glossary = load_glossary(config=job.config) if job.with_glossary else None
        _ALIGNERS.clear()
        _ALIGNERS[key] = (Aligner(job.settings, glossary), Ingester(job.config))
    return _ALIGNERS[key]


def align_document(job: AlignJob) -> AlignOutcome:
    """Read and align one document pair (runs in a batch worker; the TM is not touched).

    A pair that cannot be read or aligned (WorkbenchError) comes back with its reason, for
    the client to report in input order; any other exception fails the task, which the
    engine retries.
    """
    aligner, ingester = _aligner_for(job)
    try:
        if job.second is None:
            zh, en = read_interleaved(Path(job.first), ingester)
            files = [job.first]
        else:
            zh, en = read_pair(Path(job.first), Path(job.second), ingester)
            files = [job.first, job.second]
        document = align_sides(aligner, zh, en, job.doc_id, files)
    except WorkbenchError as exc:
        return AlignOutcome([], error=str(exc))
    provenance = provenance_of(document, job.settings, dict(job.given))
    return AlignOutcome(pairs_of(document, provenance, job.threshold), provenance["publication"])


def run_in_order(
    function: Callable[[AlignJob], AlignOutcome],
    partitions: list[AlignJob],
    names: list[str],
    small: bool,
    on_result: Callable[[str, AlignOutcome], None],
) -> tuple[dict[str, AlignOutcome], dict[str, str]]:
    """The runner without an engine: each pair here, one after another."""
    results: dict[str, AlignOutcome] = {}
    for name, job in zip(names, partitions, strict=True):
        results[name] = function(job)
        on_result(name, results[name])
    return results, {}


def import_bilingual(
    config: Config,
    paths: list[Path],
    interleaved: bool = False,
    given: dict[str, str | None] | None = None,
    threshold: float | None = None,
    aligner: Aligner | None = None,
    glossary: Any = None,
    progress: Callable[[DocumentImport], None] | None = None,
    runner: Callable[..., tuple[dict[str, AlignOutcome], dict[str, str]]] | None = None,
) -> ImportReport:
    """Align every document pair in ``paths`` and store the beads in the TM.

    ``runner`` (the batch engine's ``PartitionRunner``) aligns the pairs in parallel, one
    aligner per worker, built from ``aligner.settings`` and, when ``aligner`` uses glossary
    terms, the configured glossary (``[paths] glossary_dir``, as the CLI loads it); the
    beads are still stored in the TM here, in input order, so the TM is the same whatever
    the number of workers. Without a runner every pair is aligned in this process with
    ``aligner``. A pair that cannot be read stops the import with its InputError after the
    pairs before it are stored (as a re-run skips stored pairs, fixing it and re-running is
    safe); a pair whose worker failed on every attempt is named in a WorkbenchError after
    all the others are stored.
    """
    settings = aligner.settings if aligner else AlignerSettings.from_config(config)
    aligner = aligner or Aligner(settings, glossary)
    limit = review_threshold(config, threshold)
    if interleaved:
        found: list[tuple[str, Path, Path | None]] = [(Path(p).stem, Path(p), None) for p in paths]
    else:
        found = list(find_document_pairs(list(paths)))
    with_glossary = aligner.terms is not None
    jobs = [
        AlignJob(
            doc_id,
            str(first),
            None if second is None else str(second),
            config,
            settings,
            with_glossary,
            limit,
            tuple(sorted((given or {}).items())),
        )
        for doc_id, first, second in found
    ]
    names = [f"{index:05d}-{job.doc_id}" for index, job in enumerate(jobs)]
    # The aligner already built here serves in-process runs: never load the encoder twice.
    _ALIGNERS.clear()
    _ALIGNERS[_aligner_key(config, settings, with_glossary)] = (aligner, Ingester(config))
    report = ImportReport()
    waiting: dict[str, AlignOutcome] = {}
    stored = 0

    with open_tm(config) as tm:

        def flush() -> None:
            """Store finished pairs in input order: the next expected one and any after it."""
            nonlocal stored
            while stored < len(names) and names[stored] in waiting:
                ready = waiting.pop(names[stored])
                stored += 1
                if ready.skipped:
                    continue
                if ready.error is not None:
                    raise InputError(ready.error)
                counts = tm.add_pairs(ready.pairs)
                review = [p for p in ready.pairs if p.status == "needs_review"]
                report.review_pairs.extend(review)
                result = DocumentImport(
                    jobs[stored - 1].doc_id,
                    len(ready.pairs),
                    len(ready.pairs) - len(review),
                    len(review),
                    counts.added,
                    counts.present,
                    ready.publication,
                )
                report.documents.append(result)
                if progress:
                    progress(result)

        def store_ready(name: str, outcome: AlignOutcome) -> None:
            waiting[name] = outcome
            flush()

        _results, failures = (runner or run_in_order)(
            align_document, jobs, names, len(jobs) < SMALL_IMPORT, store_ready
        )
        if failures:  # store what finished after the failed pairs, then name them
            waiting.update({name: AlignOutcome([], skipped=True) for name in failures})
            flush()
            raise WorkbenchError(
                "; ".join(f"aligning {name} failed: {error}" for name, error in failures.items())
                + ". The other pairs are stored in the TM; fix the cause and run the same "
                "command again (pairs already stored are not added twice)"
            )
    return report
