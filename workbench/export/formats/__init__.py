"""Output formats of an export, one module each, by the name used in ``[export] formats``."""

from __future__ import annotations

from workbench.errors import ConfigError
from workbench.export.formats.base import FormatWriter, WriterOptions, WrittenFile
from workbench.export.formats.bio import BioWriter
from workbench.export.formats.jsonl import JsonlWriter
from workbench.export.formats.moses import MosesWriter
from workbench.export.formats.spans import SpansWriter
from workbench.export.formats.table import CsvWriter, ParquetWriter, TsvWriter
from workbench.export.formats.terms import TermsWriter
from workbench.export.formats.tmx import TmxWriter
from workbench.export.formats.variants import VariantWriter

FORMATS: dict[str, type[FormatWriter]] = {
    writer.name: writer
    for writer in (
        TmxWriter,
        JsonlWriter,
        MosesWriter,
        CsvWriter,
        TsvWriter,
        ParquetWriter,
        BioWriter,
        SpansWriter,
        TermsWriter,
    )
}

__all__ = [
    "FORMATS",
    "FormatWriter",
    "VariantWriter",
    "WriterOptions",
    "WrittenFile",
    "check_formats",
]


def check_formats(names: list[str]) -> list[str]:
    """Return ``names`` if each is a known format, else a ConfigError listing them."""
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise ConfigError(
            f"[export] formats: unknown {', '.join(unknown)}; known: {', '.join(FORMATS)}"
        )
    return list(names)
