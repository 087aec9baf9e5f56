"""Commands of the glossary stage (filled in as the stage lands)."""

import click

commands: list[click.Command] = []
