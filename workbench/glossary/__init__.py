"""The policy glossary: term base, checker, matcher, corpus tagging, TBX/CSV, term mining.

Public API (other stages and the web service use exactly these names)::

    load_glossary(path=None, config=None) -> Glossary
    Glossary.entries / .version / .get(id) / .by_zh(form) / .matcher()
    Matcher.find(text) -> list[TermMatch]
    check_glossary(path) -> list[Problem]
    tag_corpus(config) -> dict
    save_entries(path, entries); add_entry(glossary_dir, entry, file_name)
"""

from workbench.glossary.check import check_glossary
from workbench.glossary.matcher import Matcher
from workbench.glossary.model import Entry, Problem
from workbench.glossary.tag import tag_corpus
from workbench.glossary.termbase import Glossary, add_entry, load_glossary, save_entries

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
