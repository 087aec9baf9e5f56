"""Shared fixtures: a real headless Chromium, a folder for test artifacts, isolated configs.

Label Studio fixtures live in ``labelstudio_fixtures.py`` (a real server, started once
per test session); they are imported here so every test module can ask for them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from labelstudio_fixtures import *  # noqa: F403 (pytest discovers the fixtures by name)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("WORKBENCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository root (where config/ and seeds/ live)."""
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where browser screenshots and other evidence are kept after the run."""
    path = PROJECT_ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A real headless Debian Chromium driven by Playwright, shared by the session."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; run scripts/install-browser.sh")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh browser page (own context: no cookies shared between tests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()
