"""The translation memory's vocabularies: file formats, pair origins and statuses.

Plain constants in a module of their own, so the command line can offer them as choices
without importing the store or the format readers (``workbench --help`` stays fast).
"""

from __future__ import annotations

FORMATS = ("tmx", "tsv", "jsonl")
ORIGINS = ("aligned", "annotated", "imported")
STATUSES = ("accepted", "needs_review")
