"""web stage of the workbench pipeline."""
