"""Commands of the web stage: ``workbench serve``."""

from __future__ import annotations

import click

from workbench.config import load_config


@click.command("serve")
@click.option("--host", default=None, help="Address to bind (default [service] host, 127.0.0.1).")
@click.option(
    "--port", default=None, type=click.IntRange(0, 65535), help="Port (default [service] port)."
)
@click.option("--threads", default=None, type=click.IntRange(1, 256), help="waitress threads.")
def serve_command(host: str | None, port: int | None, threads: int | None) -> None:
    """Run the glossary lookup service: JSON API under /api and pages at /.

    Served by waitress. Lookups need no credentials; accepting or rejecting proposals
    needs the curator token. Settings: [service] in config/workbench.toml, or
    WORKBENCH_SERVICE_HOST / _PORT / _THREADS / _CURATOR_TOKEN.
    """
    from workbench.web.serve import serve

    overrides = {"service": {"host": host, "port": port, "threads": threads}}
    serve(load_config(overrides=overrides), announce=lambda line: click.echo(line))


commands: list[click.Command] = [serve_command]
