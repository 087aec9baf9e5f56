"""The ``workbench`` command line: a thin shell over the pipeline modules.

Each pipeline area keeps its commands in its own ``cli`` module; this file only gathers
them and turns library errors into one-line messages (no tracebacks for user errors).
"""

from __future__ import annotations

import sys

import click

from workbench import __version__
from workbench.align.cli import commands as align_commands
from workbench.errors import WorkbenchError
from workbench.export.cli import commands as export_commands
from workbench.glossary.cli import commands as glossary_commands
from workbench.ingest.cli import commands as ingest_commands
from workbench.labelstudio.cli import commands as labelstudio_commands
from workbench.team.cli import commands as team_commands
from workbench.tm.cli import commands as tm_commands
from workbench.web.cli import commands as web_commands


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="workbench")
def cli() -> None:
    """Annotation and translation workbench for Chinese policy texts (zh→en).

    Pipeline: ingest → segment → glossary → Label Studio (up/push/pull) → export.
    Settings come from config/workbench.toml, overridable by WORKBENCH_<SECTION>_<KEY>
    environment variables.
    """


for command in (
    *ingest_commands,
    *glossary_commands,
    *labelstudio_commands,
    *web_commands,
    *export_commands,
    *team_commands,
    *align_commands,
    *tm_commands,
):
    cli.add_command(command)


def main() -> None:
    """Run the CLI, reporting workbench errors as one line on stderr with exit status 1."""
    try:
        # Without standalone mode click returns (not raises) the code of ctx.exit(n).
        status = cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except WorkbenchError as exc:
        click.echo(f"Error: {exc}", err=True)
        for problem in getattr(exc, "problems", [])[:200]:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    if isinstance(status, int) and status:
        sys.exit(status)
