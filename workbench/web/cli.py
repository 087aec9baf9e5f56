"""Commands of the web stage (filled in as the stage lands)."""

import click

commands: list[click.Command] = []
