"""The policy glossary: term base, checker, matcher, corpus tagging, TBX/CSV, term mining.

Public API (other stages and the web service use exactly these names)::

    load_glossary(path=None, config=None) -> Glossary
    Glossary.entries / .version / .get(id) / .by_zh(form) / .matcher()
    Matcher.find(text) -> list[TermMatch]
    check_glossary(path) -> list[Problem]
    tag_corpus(config) -> dict
    save_entries(path, entries); add_entry(glossary_dir, entry, file_name)

The names are loaded on first use (PEP 562), so that ``workbench glossary --help`` and the
other commands of this package start without building the matcher's dependencies.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.glossary.check import check_glossary
    from workbench.glossary.matcher import Matcher
    from workbench.glossary.model import Entry, Problem
    from workbench.glossary.tag import tag_corpus
    from workbench.glossary.termbase import Glossary, add_entry, load_glossary, save_entries

# Public name → the module that defines it.
_HOMES = {
    "check_glossary": "workbench.glossary.check",
    "Matcher": "workbench.glossary.matcher",
    "Entry": "workbench.glossary.model",
    "Problem": "workbench.glossary.model",
    "tag_corpus": "workbench.glossary.tag",
    "Glossary": "workbench.glossary.termbase",
    "add_entry": "workbench.glossary.termbase",
    "load_glossary": "workbench.glossary.termbase",
    "save_entries": "workbench.glossary.termbase",
}

__all__ = [
    "Entry",
    "Glossary",
    "Matcher",
    "Problem",
    "add_entry",
    "check_glossary",
    "load_glossary",
    "save_entries",
    "tag_corpus",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'workbench.glossary' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
