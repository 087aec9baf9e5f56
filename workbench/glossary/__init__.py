"""glossary stage of the workbench pipeline."""
