"""``workbench --help`` and every ``workbench COMMAND --help`` start without heavy imports.

Checked in a fresh interpreter (a subprocess), since this test process has long imported
everything: after printing each help text the child reports which of the heavy libraries
are in ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import click
import opencc
import pytest

from workbench.cli import cli
from workbench.export.formats import FORMATS
from workbench.export.formats.variants import check_scripts
from workbench.export.names import FORMAT_NAMES

# The libraries issue 13 names (0.1–0.6 s each), and the matcher's and parsers' natives.
HEAVY = ("pyarrow", "pandas", "label_studio_sdk", "flask", "numpy", "lxml", "ahocorasick_rs")

_CHILD = """
import contextlib, io, json, sys
{preload}
from workbench.cli import cli

HEAVY = {heavy!r}
found = {{}}
for argv in {argvs!r}:
    with contextlib.redirect_stdout(io.StringIO()) as out:
        try:
            cli.main(argv, prog_name="workbench", standalone_mode=False)
        except SystemExit:
            pass
    assert "Usage:" in out.getvalue(), (argv, out.getvalue()[:200])
    found[" ".join(argv)] = [name for name in HEAVY if name in sys.modules]
print(json.dumps(found))
"""


def help_invocations() -> list[list[str]]:
    """``--help`` for the top level, every command and every command of every group."""
    argvs = [["--help"]]
    for name, command in sorted(cli.commands.items()):
        argvs.append([name, "--help"])
        if isinstance(command, click.Group):
            argvs.extend([name, sub, "--help"] for sub in sorted(command.commands))
    return argvs


def heavy_modules_after(argvs: list[list[str]], preload: str = "") -> dict[str, list[str]]:
    """Run the help invocations in a fresh interpreter; the heavy libraries loaded after each."""
    child = _CHILD.format(heavy=HEAVY, argvs=argvs, preload=preload)
    result = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_top_level_help_imports_no_heavy_library() -> None:
    assert heavy_modules_after([["--help"]]) == {"--help": []}


def test_every_command_help_imports_no_heavy_library() -> None:
    argvs = help_invocations()
    assert len(argvs) > 20  # every command and group member is listed, not just a few
    found = heavy_modules_after(argvs)
    assert {argv: names for argv, names in found.items() if names} == {}


@pytest.mark.parametrize("library", ["pyarrow", "label_studio_sdk"])
def test_the_check_reports_a_library_that_was_imported(library: str) -> None:
    """The child's report is real: a library loaded before the help shows up in it."""
    assert library in heavy_modules_after([["--help"]], preload=f"import {library}")["--help"]


def test_the_option_choices_name_the_real_writers() -> None:
    """The light name lists the CLI offers match the registries they stand for."""
    assert tuple(FORMATS) == FORMAT_NAMES
    command = cli.commands["export"]
    options = {param.name: param for param in command.params}
    assert tuple(options["formats"].type.choices) == tuple(FORMATS)  # type: ignore[attr-defined]
    for script in options["scripts"].type.choices:  # type: ignore[attr-defined]
        assert check_scripts([script]) == [script]
        opencc.OpenCC(script)  # the variant writer can build each offered conversion
