"""ingest stage of the workbench pipeline."""
