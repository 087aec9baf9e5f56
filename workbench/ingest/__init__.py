"""Ingest stage: raw scraped files → decoded, cleaned, normalised, structured, segmented.

Public API: ``workbench.ingest.pipeline.ingest_paths(paths, config) -> IngestReport``
(writes the corpus to ``corpus_dir(config.work_dir)``); normalisation is
``workbench.text.normalize.normalize``. This package module imports nothing, so that
``workbench ingest --help`` does not load the pipeline's parsers.
"""
