"""export stage of the workbench pipeline."""
