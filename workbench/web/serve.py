"""Run the lookup service under waitress, a production WSGI server (not Flask's dev server).

waitress serves each request on one of ``[service] threads`` worker threads; the app keeps
no per-request global state, the glossary swap is one reference assignment, and the
proposal store opens a connection per operation, so more threads only add concurrency.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable

from waitress import create_server

from workbench.config import Config
from workbench.errors import ConfigError
from workbench.web.app import create_app, services
from workbench.web.curator import token_file

log = logging.getLogger(__name__)


def build_server(config: Config, host: str | None = None, port: int | None = None):
    """Create (but do not start) the waitress server for the configured app."""
    app = create_app(config)
    host = host or str(config.get("service", "host"))
    port = int(port if port is not None else config.get("service", "port"))
    try:
        server = _create_server(app, config, host, port)
    except OSError as exc:
        raise ConfigError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); stop what uses it or "
            "choose another address with --host/--port (or [service] host/port)"
        ) from None
    return app, server


def _create_server(app, config: Config, host: str, port: int):
    return create_server(
        app,
        host=host,
        port=port,
        threads=int(config.get("service", "threads")),
        ident="workbench",
        clear_untrusted_proxy_headers=True,
        # The app answers oversize bodies with a JSON 413; waitress buffers a body before the
        # app sees it, so it only cuts off uploads far beyond the limit (plain-text 413).
        max_request_body_size=max(2**20, 16 * int(config.get("service", "max_body_bytes"))),
        channel_timeout=30,
    )


def serve(
    config: Config,
    host: str | None = None,
    port: int | None = None,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM), then close the listening socket."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" noise
    app, server = build_server(config, host, port)
    with app.app_context():
        svc = services()
        status = svc.glossary.status()
        configured = bool(str(config.get("service", "curator_token") or "").strip())
    url = f"http://{server.effective_host}:{server.effective_port}"
    announce(f"Glossary service on {url}/ (API: {url}/api/openapi.json)")
    announce(f"Glossary version {status['version']}: {status['entries']} entries")
    announce(
        "Curator token: from [service] curator_token"
        if configured
        else f"Curator token: in {token_file(config)}"
    )
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    try:
        server.run()
    except KeyboardInterrupt:
        pass  # Ctrl-C, or SIGTERM turned into one: a normal way to stop
    finally:
        server.close()
        announce("Glossary service stopped.")


def _raise_keyboard_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
