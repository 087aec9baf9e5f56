"""Ingest stage: raw scraped files → decoded, cleaned, normalised, structured, segmented.

Public API: ``ingest_paths(paths, config) -> IngestReport`` (writes the corpus to
``corpus_dir(config.work_dir)``); normalisation is ``workbench.ingest.normalize.normalize``.
Names are loaded on first use so that ``workbench.segment`` and this package can import
each other's modules without a cycle.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FileResult", "IngestReport", "Ingester", "ingest_paths"]


def __getattr__(name: str) -> Any:
    if name in {"FileResult", "Ingester", "IngestReport", "ingest_paths"}:
        from workbench.ingest import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'workbench.ingest' has no attribute {name!r}")
