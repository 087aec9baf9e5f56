"""docs/tm.md names every [tm] setting of suggestions and learning, and every lookup option."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.config import section_defaults
from workbench.tm.lookup_cli import lookup_command

DOC = (Path(__file__).resolve().parent.parent / "docs" / "tm.md").read_text("utf-8")


@pytest.mark.parametrize(
    "key", sorted(set(section_defaults("tm")) - {"path"})
)  # path is documented with the store in docs/align.md
def test_every_tm_setting_is_documented(key: str) -> None:
    assert f"`{key}`" in DOC


@pytest.mark.parametrize(
    "option", [p.opts[0] for p in lookup_command.params if p.opts[0].startswith("-")]
)
def test_every_lookup_option_is_documented(option: str) -> None:
    assert f"`{option}`" in DOC
