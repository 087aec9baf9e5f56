"""The Flask application factory: one ``Services`` object shared by the API and the pages.

``create_app`` loads the settings, the glossary (refusing to start on a broken one: there is
no last good version yet), the proposal store and the curator token, and registers the
blueprints. Nothing is global: tests build as many isolated apps as they like.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from workbench import __version__
from workbench.config import Config
from workbench.web.api import api
from workbench.web.concordance import concordance
from workbench.web.csrf import protect
from workbench.web.curator import curator_token, session_key
from workbench.web.errors import register_error_handlers
from workbench.web.overview import CorpusView
from workbench.web.pages import pages
from workbench.web.reload import GlossaryReloader
from workbench.web.services import Services
from workbench.web.sessions import CuratorSessions
from workbench.web.suggestions import SuggestionStore, store_path
from workbench.web.team import team


def create_app(config: Config) -> Flask:
    """Build the lookup service: JSON API under ``/api``, pages at ``/``."""
    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=config.service.max_body_bytes,
        JSON_SORT_KEYS=False,
        # Signs the session cookie (flash messages, the form token); kept under secrets/.
        SECRET_KEY=session_key(config),
        SESSION_COOKIE_NAME="workbench_session",
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
    )
    # Flask's default provider has these attributes (the abstract JSONProvider does not).
    app.json.ensure_ascii = False  # type: ignore[attr-defined]  # Chinese stays readable
    app.json.sort_keys = False  # type: ignore[attr-defined]
    glossary_dir = config.paths.glossary_dir
    app.extensions["workbench"] = Services(
        config=config,
        glossary=GlossaryReloader(
            glossary_dir,
            config.service.reload_interval,
            max_drop_share=config.service.reload_max_drop,
        ),
        suggestions=(store := SuggestionStore(store_path(config.work_dir))),
        sessions=CuratorSessions(store.path, timedelta(hours=config.service.curator_session_hours)),
        corpus=CorpusView(config),
        curator_token=curator_token(config),
        glossary_dir=glossary_dir,
        accept_file=config.service.accept_file,
    )

    app.register_blueprint(api)
    app.register_blueprint(pages)
    app.register_blueprint(team)
    app.register_blueprint(concordance)  # the translation memory (issue #11)
    register_error_handlers(app)
    protect(app, list(config.service.trusted_origins))

    @app.context_processor
    def inject_version() -> dict:
        return {"workbench_version": __version__}

    @app.after_request
    def security_headers(response):
        # Pages use no scripts at all; forbid them outright as a second line behind escaping.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app
