"""The per-app ``Services`` object and the accessor request handlers use.

Apart from ``app.py`` so that the blueprints (API, pages, concordance, team) can reach the
services without importing the application factory that registers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from workbench.config import Config
from workbench.web.overview import CorpusView
from workbench.web.reload import GlossaryReloader
from workbench.web.sessions import CuratorSessions
from workbench.web.suggestions import SuggestionStore


@dataclass
class Services:
    """Everything a request handler needs, built once per app."""

    config: Config
    glossary: GlossaryReloader
    suggestions: SuggestionStore
    sessions: CuratorSessions
    corpus: CorpusView
    curator_token: str
    glossary_dir: Path
    accept_file: str


def services() -> Services:
    """Return the services of the app handling the current request."""
    return current_app.extensions["workbench"]
