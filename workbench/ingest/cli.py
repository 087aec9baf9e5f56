"""Commands of the ingest stage (filled in as the stage lands)."""

import click

commands: list[click.Command] = []
