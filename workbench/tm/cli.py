"""``workbench tm import`` and ``workbench tm export``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workbench.config import load_config
from workbench.tm.names import FORMATS, ORIGINS, STATUSES


@click.group("tm")
def tm_group() -> None:
    """The translation memory (work/tm.sqlite3): import and export pairs."""


@tm_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="[default: from the extension]")
@click.option(
    "--origin",
    type=click.Choice(ORIGINS),
    default="imported",
    show_default=True,
    help="Origin of records that do not name one.",
)
def tm_import(files, fmt, origin) -> None:
    """Add the pairs of TMX 1.4b, TSV (zh, en[, score]) or JSONL files; re-runs add nothing."""
    from workbench.tm.formats import read_columns
    from workbench.tm.store import open_tm

    config = load_config()
    with open_tm(config) as tm:
        for path in files:
            # Read the whole file first: a bad record stops it before anything is stored.
            counts = tm.add_columns(read_columns(path, fmt, origin))
            click.echo(
                f"{path}: {counts.added} pairs added, {counts.present} already in the TM"
                + (f", {len(counts.refused)} refused" if counts.refused else "")
            )
            for reason in counts.refused[:20]:
                click.echo(f"  refused: {reason}", err=True)
        click.echo(f"the TM at {tm.path} holds {tm.count()} pairs")


@tm_group.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="tmx", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here, not stdout.")
@click.option("--origin", type=click.Choice(ORIGINS), help="Only pairs of this origin.")
@click.option("--status", type=click.Choice(STATUSES), help="Only pairs of this status.")
def tm_export(fmt, output, origin, status) -> None:
    """Write the TM (default TMX 1.4b, with origin, score and provenance as props)."""
    from workbench.fileio import atomic_write
    from workbench.tm.formats import WRITERS
    from workbench.tm.store import open_tm

    config = load_config()
    with open_tm(config) as tm:
        records = (pair.to_dict() for pair in tm.pairs(origin, status))
        if output:
            with atomic_write(output) as handle:
                count = WRITERS[fmt](handle, records)
            click.echo(f"{count} pairs written to {output}", err=True)
        else:
            WRITERS[fmt](sys.stdout, records)


commands: list[click.Command] = [tm_group]


def _register_lookup() -> None:
    from workbench.tm.lookup_cli import lookup_command

    tm_group.add_command(lookup_command)


_register_lookup()
