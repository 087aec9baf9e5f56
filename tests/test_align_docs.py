"""docs/align.md names every setting and option of the align, import-bilingual and tm commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.align.cli import align_command, import_bilingual_command
from workbench.config import section_defaults
from workbench.tm.cli import tm_export, tm_import

DOC = (Path(__file__).resolve().parent.parent / "docs" / "align.md").read_text("utf-8")


@pytest.mark.parametrize(
    "key",
    sorted(section_defaults("align")) + sorted(section_defaults("tm")),
)
def test_every_align_and_tm_setting_is_documented(key: str) -> None:
    assert f"`{key}`" in DOC


@pytest.mark.parametrize(
    "option",
    sorted(
        {
            p.opts[0]
            for command in (align_command, import_bilingual_command, tm_import, tm_export)
            for p in command.params
            if p.opts[0].startswith("-")
        }
    ),
)
def test_every_option_is_documented(option: str) -> None:
    assert option in DOC
