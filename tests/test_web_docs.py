"""The service's user documentation names every setting, option and endpoint it has."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.config import section_defaults
from workbench.web.cli import serve_command
from workbench.web.openapi import openapi_document

DOC = Path(__file__).resolve().parent.parent / "docs" / "service.md"


@pytest.mark.parametrize("key", sorted(section_defaults("service")))
def test_every_service_setting_is_documented(key):
    assert f"`{key}`" in DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("option", [p.opts[0] for p in serve_command.params])
def test_every_serve_option_is_documented(option):
    assert option in DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted(openapi_document()["paths"]))
def test_every_endpoint_is_documented(path):
    written = path.replace("{entry_id}", "<id>").replace("{suggestion_id}", "<n>")
    assert written in DOC.read_text(encoding="utf-8")
