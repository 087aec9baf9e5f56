"""The term base's records: one ``Entry`` per concept and one ``Problem`` per defect found.

The file schema (column order, categories, statuses) is data in ``schema.toml`` so that the
checker, the writer, TBX/CSV interchange and the README all agree on one definition.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).with_name("schema.toml")


@cache
def load_schema() -> dict[str, Any]:
    """Return the parsed ``schema.toml`` (read once per process)."""
    with open(SCHEMA_FILE, "rb") as handle:
        return tomllib.load(handle)


def columns() -> list[str]:
    """Every TSV column, in file order: the required ones, then the optional trailing ones."""
    files = load_schema()["files"]
    return [*files["columns"], *files.get("optional_columns", [])]


def required_columns() -> list[str]:
    """The columns every file must have (a file may stop after these)."""
    return list(load_schema()["files"]["columns"])


def enforcement_levels() -> list[str]:
    """The enforcement levels, strictest first."""
    return list(load_schema()["enforcement"]["levels"])


def default_enforcement(category: str) -> str:
    """The enforcement level an entry of ``category`` has when its file gives none."""
    defaults = load_schema()["enforcement"]["default_by_category"]
    return defaults.get(category, "preferred")


def categories() -> list[str]:
    return list(load_schema()["files"]["categories"])


def statuses() -> list[str]:
    return list(load_schema()["files"]["statuses"])


@dataclass(slots=True)
class Entry:
    """One concept of the term base: its Chinese forms and its English renderings.

    ``zh`` is the canonical Simplified term; ``zh_variants`` are other ways it is written
    (with punctuation, quotation marks, abbreviations). Traditional forms are not stored:
    the matcher generates them. ``file`` and ``line`` say where the row lives (for error
    messages and for writing it back); they are empty for entries not yet saved.
    """

    id: str
    zh: str
    en: str
    zh_variants: list[str] = field(default_factory=list)
    en_alternatives: list[str] = field(default_factory=list)
    en_forbidden: list[str] = field(default_factory=list)
    category: str = "concept"
    note: str = ""
    source: str = ""
    source_url: str = ""
    status: str = "proposed"
    enforcement: str = ""  # as written in the file; "" = the category's default
    file: str = ""
    line: int = 0

    @property
    def level(self) -> str:
        """The enforcement level QA applies: the entry's own, else its category's default."""
        return self.enforcement or default_enforcement(self.category)

    @property
    def zh_forms(self) -> list[str]:
        """The canonical term then its variants, as written in the term base."""
        return [self.zh, *self.zh_variants]

    def to_dict(self) -> dict[str, Any]:
        """Every field, lists as lists (the JSON shape of ``glossary lookup --json``)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        """Build an entry from ``to_dict()`` output (unknown keys are ignored)."""
        known = set(cls.__dataclass_fields__)
        values = {k: v for k, v in data.items() if k in known}
        for key in load_schema()["files"]["multi_valued"]:
            value = values.get(key)
            if isinstance(value, str):
                values[key] = split_multi(value)
        return cls(**values)

    def row(self, names: list[str] | None = None) -> list[str]:
        """The entry as TSV cells in column order (``names``: only these columns)."""
        multi = set(load_schema()["files"]["multi_valued"])
        cells = []
        for name in names or columns():
            value = getattr(self, name)
            cells.append(join_multi(value) if name in multi else str(value))
        return cells

    def content(self) -> dict[str, Any]:
        """The fields that make up the concept (without where it is stored)."""
        data = self.to_dict()
        data.pop("file")
        data.pop("line")
        return data


def split_multi(cell: str) -> list[str]:
    """Split a multi-valued cell on ``|``; surrounding spaces are not part of a value."""
    if not cell.strip():
        return []
    return [part.strip() for part in cell.split(load_schema()["files"]["separator"])]


def join_multi(values: list[str]) -> str:
    return f" {load_schema()['files']['separator']} ".join(values)


@dataclass(frozen=True, slots=True)
class Problem:
    """One defect in a glossary file, located so an editor can go straight to it."""

    file: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.message}"
            if self.line
            else f"{self.file}: {self.message}"
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
