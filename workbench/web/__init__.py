"""The glossary lookup service: JSON API, pages, proposal queue (``workbench serve``).

Public API: ``create_app(config) -> Flask`` (also ``workbench.web.app.create_app``).
Imported lazily so that every other ``workbench`` command starts without loading Flask.
"""

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from workbench.web.app import create_app

        return create_app
    raise AttributeError(f"module 'workbench.web' has no attribute {name!r}")
