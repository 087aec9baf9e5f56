"""labelstudio stage of the workbench pipeline."""
