"""The command line as a whole: help for every command, documentation, one-line errors."""

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from workbench.cli import cli

EXPECTED = {
    "ingest", "segment", "glossary", "labelstudio", "up", "down", "status", "push", "pull",
    "serve", "export", "qa",
    "align", "import-bilingual", "tm",
}


def walk(command: click.Command, prefix: str = "") -> list[tuple[str, click.Command]]:
    """Every command and subcommand with its full name."""
    found = []
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            full = f"{prefix} {name}".strip()
            found.append((full, sub))
            found.extend(walk(sub, full))
    return found


ALL_COMMANDS = walk(cli)


def test_every_planned_command_is_registered() -> None:
    assert set(cli.commands) >= EXPECTED


def test_top_level_help_lists_every_command_with_a_description() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    for name, command in cli.commands.items():
        assert name in result.output
        assert command.get_short_help_str().strip(), f"{name} has no one-line description"


@pytest.mark.parametrize("name", [name for name, _ in ALL_COMMANDS])
def test_every_command_has_help(name: str) -> None:
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


@pytest.mark.parametrize("name", [name for name, _ in ALL_COMMANDS])
def test_every_command_is_documented_in_the_readme(name: str, project_root: Path) -> None:
    readme = (project_root / "README.md").read_text(encoding="utf-8")
    assert f"workbench {name}" in readme, f"README does not mention 'workbench {name}'"


def test_ci_runs_the_readme_test_command(project_root: Path) -> None:
    readme = (project_root / "README.md").read_text(encoding="utf-8")
    ci = (project_root / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in readme
    assert "bash scripts/test.sh" in ci
    assert "bash scripts/up.sh" in readme
