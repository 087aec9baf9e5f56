"""Commands of the web stage: ``workbench serve``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from workbench.config import ServiceConfig, load_config


@click.command("serve")
@click.option(
    "--host", default=None, help=f"Address to bind (default [service] host, {ServiceConfig.host})."
)
@click.option(
    "--port", default=None, type=click.IntRange(0, 65535), help="Port (default [service] port)."
)
@click.option("--threads", default=None, type=click.IntRange(1, 256), help="waitress threads.")
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Work folder (proposals, corpus, snapshots, secrets). [default: [paths] work_dir]",
)
def serve_command(
    host: str | None, port: int | None, threads: int | None, work_dir: Path | None
) -> None:
    """Run the glossary lookup service: JSON API under /api and pages at /.

    Served by waitress. Lookups need no credentials; accepting or rejecting proposals
    needs the curator token. Settings: [service] in config/workbench.toml, or
    WORKBENCH_SERVICE_HOST / _PORT / _THREADS / _CURATOR_TOKEN.
    """
    from workbench.web.serve import serve

    overrides: dict[str, dict[str, Any]] = {
        "service": {"host": host, "port": port, "threads": threads},
        "paths": {"work_dir": str(work_dir) if work_dir else None},
    }
    serve(load_config(overrides=overrides), announce=lambda line: click.echo(line))


commands: list[click.Command] = [serve_command]
