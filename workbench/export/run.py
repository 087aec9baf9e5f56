"""``workbench export`` end to end: snapshot → selection → QA → dedup → splits → formats.

Two streaming passes inside one staging folder: the first selects, checks and de-duplicates
pairs into a spool file while counting pairs per document; splits are then assigned by
document; the second reads the spool and fans each pair out to every format. The staging
folder replaces ``exports/<name>/`` only when everything, card and manifest included, is
written (``atomic_directory``), so a crash at any point leaves the previous export as it was.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from workbench import __version__
from workbench.config import Config, ExportConfig
from workbench.corpus import PartitionMapper, corpus_dir
from workbench.errors import ConfigError, ExportError, GlossaryError, InputError
from workbench.export.card import render_card
from workbench.export.dedup import Deduplicator
from workbench.export.formats import FORMATS, WriterOptions, WrittenFile, check_formats
from workbench.export.formats.variants import check_scripts
from workbench.export.pairs import (
    PairStats,
    iter_pairs,
    load_replaced_sentences,
)
from workbench.export.select import RESEGMENTED, UNTRANSLATED, Selection, check_mode
from workbench.export.sources import DocumentSource, load_document_sources
from workbench.export.splits import SPLITS, all_in_train, assign_splits
from workbench.export.tm_source import aligned_pairs
from workbench.export.writer import SplitWriters
from workbench.fileio import atomic_directory
from workbench.glossary import load_glossary
from workbench.models import SentencePair, SnapshotTask
from workbench.qa import Finding, GlossaryView, PairChecker, QaReport, load_rules
from workbench.snapshot import read_snapshot, read_snapshot_manifest, resolve_snapshot

EXPORT_FORMAT = "workbench-export"
EXPORT_VERSION = 1
SPOOL = ".pairs.jsonl"
QA_SPOOL = ".qa.jsonl"
HELD_BACK = "held_back.jsonl"
# ``hold_back``: the least severe QA finding that keeps a pair out of the export.
HOLD_BACK_LEVELS = {"never": (), "error": ("error",), "warning": ("error", "warning")}


@dataclass
class ExportSettings:
    """Everything that decides an export's content (recorded in its manifest)."""

    name: str = ExportConfig.name
    snapshot: str | None = None
    selection: str = ExportConfig.selection
    agreement_min: int = ExportConfig.agreement_min
    seed: int = ExportConfig.split_seed
    dev_fraction: float = ExportConfig.dev_fraction
    test_fraction: float = ExportConfig.test_fraction
    scripts: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=lambda: list(FORMATS))
    near_duplicate_bits: int = ExportConfig.near_duplicate_bits
    licence: str = ExportConfig.licence
    parquet_row_group: int = ExportConfig.parquet_row_group
    hold_back: str = ExportConfig.hold_back  # never | error | warning
    # below this many pairs everything is train (with a warning)
    min_split_pairs: int = ExportConfig.min_split_pairs

    @classmethod
    def from_config(cls, config: Config, **overrides: Any) -> ExportSettings:
        """Read ``[export]`` settings, then apply non-None overrides (CLI flags)."""
        section = config.export
        values: dict[str, Any] = {
            "name": section.name,
            "selection": section.selection,
            "agreement_min": section.agreement_min,
            "seed": section.split_seed,
            "dev_fraction": section.dev_fraction,
            "test_fraction": section.test_fraction,
            "scripts": list(section.scripts),
            "formats": list(section.formats),
            "near_duplicate_bits": section.near_duplicate_bits,
            "licence": section.licence,
            "parquet_row_group": section.parquet_row_group,
            "hold_back": section.hold_back,
            "min_split_pairs": section.min_split_pairs,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        check_mode(settings.selection)
        check_formats(settings.formats or [])
        check_scripts(settings.scripts)
        if not -1 <= int(settings.near_duplicate_bits) <= 15:
            raise ConfigError(
                f"[export] near_duplicate_bits = {settings.near_duplicate_bits} must be between "
                "-1 (off) and 15; 3 is a good default"
            )
        if not (0 <= settings.dev_fraction < 1 and 0 <= settings.test_fraction < 1) or (
            settings.dev_fraction + settings.test_fraction >= 1
        ):
            raise ConfigError(
                "[export] dev_fraction and test_fraction must be in [0, 1) and leave room for "
                f"train (now {settings.dev_fraction} and {settings.test_fraction})"
            )
        if settings.hold_back not in HOLD_BACK_LEVELS:
            raise ConfigError(
                f"[export] hold_back = {settings.hold_back!r} is unknown; use one of "
                f"{', '.join(HOLD_BACK_LEVELS)} (the QA severity that keeps a pair out)"
            )
        if not settings.name or "/" in settings.name or settings.name.startswith("."):
            raise ConfigError(f"export name {settings.name!r} must be a plain folder name")
        return settings


@dataclass
class ExportResult:
    """What an export wrote and why pairs were left out."""

    path: Path
    manifest: dict[str, Any]
    qa: dict[str, Any]


def load_glossary_view(config: Config) -> tuple[GlossaryView | None, str | None, str | None]:
    """Return the glossary for QA, its version, and why terms cannot be checked (or None).

    A broken or missing glossary does not stop an export (the pairs are still good), but
    the reason is recorded in the manifest and printed, so terminology is never skipped
    silently.
    """
    try:
        glossary = load_glossary(config=config)
    except (GlossaryError, InputError, ConfigError, FileNotFoundError) as exc:
        return None, None, f"glossary could not be loaded: {exc}"
    if not len(glossary.entries):
        return None, glossary.version, "the glossary has no entries"
    return GlossaryView.of(glossary), glossary.version, None


def empty_translation_finding(task: SnapshotTask, selection: Selection) -> list[Finding]:
    """Report an annotation chosen for a task that has no translation (it is left out)."""
    if selection.reason != UNTRANSLATED:
        return []
    return [
        Finding(
            str(task.sentence_id or task.task_id),
            "empty",
            "error",
            "the chosen annotation has no translation; the sentence is left out",
            task.doc_id,
        )
    ]


def export_dataset(
    config: Config, mapper: PartitionMapper | None = None, **overrides: Any
) -> ExportResult:
    """Write ``exports/<name>/`` from the latest (or a named) snapshot; return its manifest.

    Overrides are ``ExportSettings`` fields (``name``, ``snapshot``, ``selection``, ``seed``,
    ``scripts``, ``formats``...). ``mapper`` reads the corpus partitions in parallel (the
    batch engine); the export is the same without it. Raises ExportError, leaving any
    previous export intact, when anything fails.
    """
    settings = ExportSettings.from_config(config, **overrides)
    snapshot_path = resolve_snapshot(config.work_dir, settings.snapshot)
    snapshot_manifest = read_snapshot_manifest(snapshot_path)
    replaced = load_replaced_sentences(corpus_dir(config.work_dir))
    # One pass over the corpus documents, partitions read in parallel, merged in order.
    sources = load_document_sources(corpus_dir(config.work_dir), mapper)
    titles = {doc_id: source.title for doc_id, source in sources.items()}
    glossary, glossary_version, glossary_problem = load_glossary_view(config)
    rules = load_rules(config.export.qa_rules)
    created = datetime.now(UTC)
    target = config.paths.exports_dir / settings.name

    try:
        with atomic_directory(target) as staging:
            manifest, qa = _write_export(
                glossary_problem,
                staging,
                settings,
                snapshot_path,
                snapshot_manifest,
                titles,
                glossary,
                glossary_version,
                rules,
                created,
                sources,
                extra_pairs=aligned_pairs(config),
                replaced=replaced,
            )
    except OSError as exc:
        raise ExportError(
            f"could not write export {target}: {exc}; the previous export is unchanged"
        ) from exc
    return ExportResult(target, manifest, qa)


def _current_tasks(
    tasks: Iterator[SnapshotTask], replaced: set[str] | frozenset[str], stats: PairStats
) -> Iterator[SnapshotTask]:
    """Pass on the tasks whose sentence is still in the corpus; count the others."""
    for task in tasks:
        if replaced and task.sentence_id in replaced:
            stats.tasks += 1
            stats.leave_out(RESEGMENTED)
            continue
        yield task


def _read_spool(path: Path) -> Iterator[dict[str, Any]]:
    """Stream the pairs spooled by pass 1 (our own file, so no per-line error handling)."""
    with open(path, "rb") as handle:
        for line in handle:
            yield orjson.loads(line)


def _write_export(
    glossary_problem: str | None,
    staging: Path,
    settings: ExportSettings,
    snapshot_path: Path,
    snapshot_manifest: dict[str, Any],
    titles: dict[str, str | None],
    glossary: GlossaryView | None,
    glossary_version: str | None,
    rules: dict[str, Any],
    created: datetime,
    sources: dict[str, DocumentSource] | None = None,
    extra_pairs: Iterable[SentencePair] = (),
    replaced: set[str] | frozenset[str] = frozenset(),
) -> tuple[dict[str, Any], dict[str, Any]]:
    stats = PairStats()
    report = QaReport(staging / QA_SPOOL)
    checker = PairChecker(glossary, rules)
    dedup = Deduplicator(settings.near_duplicate_bits)
    per_doc: Counter[str] = Counter()
    annotators: Counter[str] = Counter()
    hold_back = HOLD_BACK_LEVELS[settings.hold_back]
    held_back: Counter[str] = Counter()  # pairs held back, by check that held them
    held_pairs = 0
    origins: Counter[str] = Counter()

    # Pass 1: select, check, de-duplicate; spool the survivors.
    spool = staging / SPOOL
    with open(spool, "wb") as handle, open(staging / HELD_BACK, "wb") as held_handle:
        pairs = iter_pairs(
            _current_tasks(read_snapshot(snapshot_path), replaced, stats),
            settings.selection,
            stats,
            settings.agreement_min,
            titles,
            on_left_out=lambda task, sel: report.add(empty_translation_finding(task, sel)),
        )
        for pair in itertools.chain(pairs, extra_pairs):  # extra: the TM's aligned pairs
            findings = checker.check(pair)
            report.add_pair(findings)
            blocking = sorted({f.check for f in findings if f.severity in hold_back})
            if blocking:
                # Kept aside with the reasons, for the translators to fix; not in any split.
                held_pairs += 1
                held_back.update(blocking)
                record = {**pair.to_dict(), "held_back_for": blocking}
                held_handle.write(orjson.dumps(record) + b"\n")
                continue
            if dedup.check(pair.zh, pair.en) is not None:
                continue
            per_doc[pair.doc_id] += 1
            annotators[pair.annotator or "unknown"] += 1
            origins[pair.origin] += 1
            handle.write(orjson.dumps(pair.to_dict()) + b"\n")

    # Splits by document, then pass 2: every format.
    sources = sources or {}
    warnings: list[str] = []
    too_small = all_in_train(per_doc, int(settings.min_split_pairs))
    if too_small:
        warnings.append(too_small)
        assignment = dict.fromkeys(per_doc, "train")
    else:
        assignment = assign_splits(
            per_doc, settings.dev_fraction, settings.test_fraction, settings.seed
        )
    options = WriterOptions(created=created, parquet_row_group=settings.parquet_row_group)
    writers = SplitWriters(staging, settings.formats, options, settings.scripts)
    split_counts: Counter[str] = Counter()
    split_docs: dict[str, set[str]] = {s: set() for s in SPLITS}
    try:
        for record in _read_spool(spool):
            pair = SentencePair.from_dict(record)
            pair.split = assignment[pair.doc_id]
            origin = sources.get(pair.doc_id)
            if origin is not None:
                pair.source, pair.source_url = origin.publisher, origin.url
            split_counts[pair.split] += 1
            split_docs[pair.split].add(pair.doc_id)
            writers.write(pair)
        files = writers.close()
        unconfirmed = sum(getattr(w, "unconfirmed", 0) for w in writers.opened("terms"))
    except BaseException:
        writers.abort()
        raise
    spool.unlink()
    if not held_pairs:
        (staging / HELD_BACK).unlink()
    else:
        files.append(WrittenFile(HELD_BACK, "held_back", "", held_pairs))

    n_findings = report.write_json(staging / "qa.json")
    (staging / QA_SPOOL).unlink(missing_ok=True)
    qa = {
        **report.summary(),
        "findings": n_findings,
        "terminology": f"not checked: {glossary_problem}" if glossary_problem else "checked",
    }
    manifest = _manifest(
        settings,
        snapshot_path,
        snapshot_manifest,
        glossary_version,
        created,
        stats,
        dedup,
        split_counts,
        split_docs,
        annotators,
        files,
        qa,
        {"pairs": held_pairs, "by_check": dict(sorted(held_back.items()))},
        unconfirmed,
    )
    manifest["warnings"] = warnings
    manifest["sources"] = [
        {**sources[doc].to_dict(), "pairs": n} if doc in sources else {"doc_id": doc, "pairs": n}
        for doc, n in sorted(per_doc.items())
    ]
    manifest["counts"]["origins"] = dict(sorted(origins.items()))
    (staging / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (staging / "README.md").write_text(render_card(manifest, report), encoding="utf-8")
    return manifest, qa


def _manifest(
    settings: ExportSettings,
    snapshot_path: Path,
    snapshot_manifest: dict[str, Any],
    glossary_version: str | None,
    created: datetime,
    stats: PairStats,
    dedup: Deduplicator,
    split_counts: Counter[str],
    split_docs: dict[str, set[str]],
    annotators: Counter[str],
    files: list[WrittenFile],
    qa: dict[str, Any],
    held_back: dict[str, Any],
    terms_unconfirmed: int = 0,
) -> dict[str, Any]:
    """Return the provenance signature of an export (what produced it, from what)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "name": settings.name,
        "created": created.isoformat(timespec="seconds"),
        "workbench": __version__,
        "snapshot": {
            "name": snapshot_path.name,
            "created": snapshot_manifest.get("created"),
            "project_id": snapshot_manifest.get("project_id"),
            "project_title": snapshot_manifest.get("project_title"),
            "tasks": snapshot_manifest.get("tasks"),
            "annotations": snapshot_manifest.get("annotations"),
            "glossary_version": snapshot_manifest.get("glossary_version"),
        },
        "glossary_version": glossary_version,
        "settings": {k: v for k, v in asdict(settings).items() if k not in ("name", "snapshot")},
        "counts": {
            "tasks": stats.tasks,
            "selected": stats.selected,
            "left_out": dict(sorted(stats.left_out.items())),
            "duplicates": {"exact": dedup.exact_removed, "near": dedup.near_removed},
            "held_back": held_back,
            "entities_dropped": stats.entities_dropped,
            # Pre-filled term renderings neither confirmed in the box nor in the translation.
            "terms_unconfirmed": terms_unconfirmed,
            "pairs": sum(split_counts.values()),
            "splits": {s: split_counts.get(s, 0) for s in SPLITS},
            "documents": {s: len(split_docs[s]) for s in SPLITS},
        },
        "annotators": dict(sorted(annotators.items())),
        "agreement": snapshot_agreement(snapshot_path),
        "files": [asdict(f) for f in files],
        "qa": qa,
    }


def snapshot_agreement(snapshot_path: Path) -> dict[str, Any]:
    """Return inter-annotator agreement over the snapshot's tasks with two or more annotators."""
    from workbench.team.agreement import compute_agreement

    report = compute_agreement(read_snapshot(snapshot_path))
    return {**report.overall, "pairwise": report.pairwise}
