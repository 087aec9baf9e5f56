"""Run the lookup service under waitress, a production WSGI server (not Flask's dev server).

waitress serves each request on one of ``[service] threads`` worker threads; the app keeps
no per-request global state, the glossary swap is one reference assignment, and the
proposal store opens a connection per operation, so more threads only add concurrency.

Requests waitress refuses before the app sees them (a malformed request line or header:
400; headers over ``max_request_header_size``: 431; a body far beyond the limit: 413) get
the API's one JSON error shape too, through our own error task. Idle or slow clients are
cut off after ``[service] idle_timeout`` seconds, and up to ``connection_limit``
connections are held open, so a crowd of idle connections cannot shut out ``/healthz``.
"""

from __future__ import annotations

import json
import logging
import resource
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from waitress import create_server
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask

from workbench.config import Config
from workbench.errors import ConfigError
from workbench.web.app import create_app
from workbench.web.curator import token_file
from workbench.web.errors import error_body
from workbench.web.services import services

log = logging.getLogger(__name__)


def build_server(config: Config, host: str | None = None, port: int | None = None):
    """Create (but do not start) the waitress server for the configured app."""
    app = create_app(config)
    host = host or config.service.host
    port = int(port if port is not None else config.service.port)
    try:
        server = _create_server(app, config, host, port)
    except OSError as exc:
        raise ConfigError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc}); stop what uses it or "
            "choose another address with --host/--port (or [service] host/port)"
        ) from None
    return app, server


# waitress's own error reasons → our stable codes and what the client should do.
_WAITRESS_ERRORS = {
    400: ("bad_request", "the request is not valid HTTP; fix the request line and headers"),
    413: ("body_too_large", "the request body is far too large; send a smaller body"),
    431: ("headers_too_large", "the request headers are too large; send fewer or shorter"),
    501: ("not_implemented", "this transfer encoding is not supported; send Content-Length"),
}


class JsonErrorTask(ErrorTask):
    """waitress's answer to a request it refused, in the API's JSON error shape."""

    def execute(self) -> None:
        error = self.request.error
        status = int(error.code)
        code, advice = _WAITRESS_ERRORS.get(status, ("internal_error", "try again later"))
        detail = str(error.body or "").strip().rstrip(".")
        message = f"{advice} ({detail})" if detail and status < 500 else advice
        body = json.dumps(error_body(status, code, message), ensure_ascii=False).encode()
        self.status = f"{status} {error.reason}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class JsonErrorChannel(HTTPChannel):
    """An HTTP channel whose protocol errors are answered by ``JsonErrorTask``."""

    error_task_class = JsonErrorTask


def _use_json_errors(server) -> None:
    """Make every listening socket of ``server`` answer protocol errors in JSON."""
    listeners = [server] if isinstance(server, BaseWSGIServer) else server.map.values()
    for listener in listeners:
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = JsonErrorChannel


class IdleEvictingServerMixin:
    """Close the longest-idle connections when the connection limit is reached.

    waitress stops accepting at ``connection_limit`` and frees idle connections only at
    its periodic sweep after ``channel_timeout``; a crowd of clients that connect and
    send nothing (or a byte at a time) would hold every slot until then. When the limit
    is reached, connections with no request being served that have been silent for
    ``EVICT_AFTER`` seconds are closed, longest-silent first, down to 90 % of the limit.
    """

    EVICT_AFTER = 1.0
    active_channels: dict[int, Any]  # waitress's server keeps its channels here

    def readable(self):
        limit = self.adj.connection_limit
        if len(self._map) >= limit:
            self.evict_idle(len(self._map) - int(limit * 0.9))
        return super().readable()

    def evict_idle(self, count: int) -> int:
        """Mark up to ``count`` idle connections for closing; return how many."""
        cutoff = time.time() - self.EVICT_AFTER
        idle = sorted(
            (
                channel
                for channel in self.active_channels.values()
                if not channel.requests
                and not channel.will_close
                and channel.last_activity < cutoff
            ),
            key=lambda channel: channel.last_activity,
        )[: max(0, count)]
        for channel in idle:
            channel.will_close = True
        if idle:
            log.warning("connection limit reached: closed %d idle connections", len(idle))
        return len(idle)


def _evict_idle_connections(server) -> None:
    """Give every listening socket of ``server`` the idle-eviction behaviour."""
    listeners = [server] if isinstance(server, BaseWSGIServer) else server.map.values()
    for listener in listeners:
        if isinstance(listener, BaseWSGIServer) and not isinstance(
            listener, IdleEvictingServerMixin
        ):
            # waitress builds its server objects itself; give this one our subclass
            listener.__class__ = type(
                f"IdleEvicting{type(listener).__name__}",
                (IdleEvictingServerMixin, type(listener)),
                {},
            )


def _connection_limit(config: Config) -> int:
    """The configured limit, raising the open-files limit to hold it where we may."""
    wanted = config.service.connection_limit
    spare = 64  # glossary files, the database, log files, the listening socket
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted + spare:
        target = wanted + spare if hard == resource.RLIM_INFINITY else min(hard, wanted + spare)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
        if soft < wanted + spare:
            log.warning(
                "open-files limit %d allows only %d connections ([service] connection_limit "
                "is %d); raise it with 'ulimit -n'",
                soft,
                soft - spare,
                wanted,
            )
            return max(8, soft - spare)
    return wanted


def _create_server(app, config: Config, host: str, port: int):
    idle = config.service.idle_timeout
    server = create_server(
        app,
        host=host,
        port=port,
        threads=config.service.threads,
        ident="workbench",
        clear_untrusted_proxy_headers=True,
        # The app answers oversize bodies with a JSON 413; waitress buffers a body before the
        # app sees it, so it only cuts off uploads far beyond the limit.
        max_request_body_size=max(2**20, 16 * config.service.max_body_bytes),
        max_request_header_size=config.service.max_header_bytes,
        connection_limit=_connection_limit(config),
        # A connection silent for idle_timeout seconds (idle keep-alive, or a client that
        # sends its request a byte at a time) is closed at the next sweep.
        channel_timeout=idle,
        cleanup_interval=max(1, min(idle, 5)),
    )
    _use_json_errors(server)
    _evict_idle_connections(server)
    return server


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
        configured = bool(config.service.curator_token.strip())
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
