"""Ingest stage: raw scraped files → decoded, cleaned, normalised, structured, segmented.

Public API: ``ingest_paths(paths, config) -> IngestReport`` (writes the corpus to
``corpus_dir(config.work_dir)``); normalisation is ``workbench.text.normalize.normalize``.
"""

from __future__ import annotations

from workbench.ingest.pipeline import FileResult, Ingester, IngestReport, ingest_paths

__all__ = ["FileResult", "IngestReport", "Ingester", "ingest_paths"]
