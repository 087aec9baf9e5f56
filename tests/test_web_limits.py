"""Hostile and malformed input against the service: every error is a 4xx in the JSON shape,
and idle connections cannot shut anyone out.

The app-level cases use Flask's test client; what waitress itself refuses (malformed HTTP,
oversize headers and bodies) and the connection limits are checked on the real served app
over loopback sockets.
"""

from __future__ import annotations

import json
import socket
import time

import pytest
import requests
from test_web_helpers import auth, make_config, serve_process, server_env

pytest_plugins = ["test_web_helpers"]

BIG = "1" * 5000
ERROR_KEYS = {"status", "code", "message", "details"}


def assert_json_error(status: int, body: bytes | str, expected: int, code: str) -> dict:
    assert status == expected, body
    error = json.loads(body)["error"]
    assert set(error) == ERROR_KEYS
    assert error["status"] == expected and error["code"] == code and error["message"]
    return error


# -- the app: numbers and constants JSON forbids ---------------------------------------

APP_CASES = [
    ("post", "/api/annotate", '{"text": "扶贫", "n": ' + BIG + "}", "bad_json"),
    ("post", "/api/suggestions", '{"kind": "term", "zh": "扶贫", "en": ' + BIG + "}", "bad_json"),
    ("post", "/api/suggestions/1/reject", '{"reason": ' + BIG + "}", "bad_json"),
    ("post", "/api/annotate", '{"text": NaN}', "bad_json"),
    ("post", "/api/annotate", '{"text": "x", "n": -Infinity}', "bad_json"),
    ("get", f"/api/terms?limit={BIG}", None, "bad_parameter"),
    ("get", f"/api/suggestions?offset=-{BIG}", None, "bad_parameter"),
    ("get", f"/api/suggestions/{BIG}", None, "not_found"),
]


@pytest.mark.parametrize(("method", "url", "data", "code"), APP_CASES)
def test_huge_numbers_and_nan_are_4xx_in_the_error_shape(web_client, method, url, data, code):
    kwargs = {"headers": auth()}
    if data is not None:
        kwargs.update(data=data, content_type="application/json")
    response = getattr(web_client, method)(url, **kwargs)
    assert 400 <= response.status_code < 500
    error = assert_json_error(response.status_code, response.get_data(), response.status_code, code)
    assert len(error["message"]) < 300  # one readable line, not the 5,000 digits


# -- the served app: what waitress refuses before the app sees it ----------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("limits")
    config = make_config(root)
    with serve_process(config, root / "serve.log") as url:
        yield url


def raw_request(url: str, data: bytes, timeout: float = 10) -> tuple[int, dict, bytes]:
    """Send bytes as they are; return the status, headers and body of the answer."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body


HEAD = b"HTTP/1.1\r\nHost: x\r\n"
WAITRESS_CASES = [
    ("malformed header line", b"GET /api/health " + HEAD + b"no colon here\r\n\r\n", 400,
     "bad_request"),
    ("bad content length", b"POST /api/annotate " + HEAD + b"Content-Length: lots\r\n\r\n",
     400, "bad_request"),
    ("headers too large", b"GET /healthz " + HEAD + b"X-Big: " + b"a" * 70_000 + b"\r\n\r\n",
     431, "headers_too_large"),
    ("body far too large",
     b"POST /api/annotate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
     b"Content-Length: 50000000\r\n\r\n{}", 413, "body_too_large"),
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("why", "data", "status", "code"), WAITRESS_CASES)
def test_requests_waitress_refuses_get_the_json_error_shape(served, why, data, status, code):
    got, headers, body = raw_request(served, data)
    assert headers["content-type"] == "application/json", why
    assert_json_error(got, body, status, code)


@pytest.mark.slow
def test_a_5000_digit_integer_on_the_served_app_is_a_400(served):
    response = requests.post(
        f"{served}/api/annotate",
        data='{"text": "x", "n": ' + BIG + "}",
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert_json_error(response.status_code, response.content, 400, "bad_json")


# -- idle connections -------------------------------------------------------------------


def open_idle(url: str, count: int, partial: bool) -> list[socket.socket]:
    """Open ``count`` connections that send nothing (or half a request line) and wait."""
    host, port = url.removeprefix("http://").split(":")
    sockets = []
    for _ in range(count):
        sock = socket.create_connection((host, int(port)), timeout=5)
        if partial:
            sock.sendall(b"GET /api/terms?q=")
        sockets.append(sock)
    return sockets


def healthz_within(url: str, seconds: float) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=seconds).status_code == 200
    except requests.RequestException:
        return False


@pytest.mark.slow
def test_a_hundred_idle_connections_do_not_starve_healthz(tmp_path):
    config = make_config(tmp_path)
    with serve_process(config, tmp_path / "serve.log") as url:
        idle = open_idle(url, 80, partial=False) + open_idle(url, 70, partial=True)
        try:
            time.sleep(0.5)  # let the server accept them all
            started = time.monotonic()
            assert healthz_within(url, 5), "healthz did not answer with 150 idle connections"
            assert time.monotonic() - started < 5
        finally:
            for sock in idle:
                sock.close()


@pytest.mark.slow
def test_idle_connections_beyond_the_limit_are_cut_off_after_the_idle_timeout(tmp_path):
    config = make_config(tmp_path)
    env_overrides = {
        "WORKBENCH_SERVICE_CONNECTION_LIMIT": "20",
        "WORKBENCH_SERVICE_IDLE_TIMEOUT": "1",
    }
    env = {**server_env(config), **env_overrides}
    with serve_process(config, tmp_path / "serve.log", env=env) as url:
        idle = open_idle(url, 40, partial=True)
        try:
            time.sleep(0.3)
            # the limit is full of silent clients; they are closed within about 1 + 1 s
            assert healthz_within(url, 8), "idle clients held every connection slot"
        finally:
            for sock in idle:
                sock.close()


@pytest.mark.slow
def test_at_the_connection_limit_the_longest_idle_connections_make_room(tmp_path):
    config = make_config(tmp_path)
    env = {
        **server_env(config),
        "WORKBENCH_SERVICE_CONNECTION_LIMIT": "20",
        "WORKBENCH_SERVICE_IDLE_TIMEOUT": "300",  # the periodic sweep cannot be what helps
    }
    with serve_process(config, tmp_path / "serve.log", env=env) as url:
        idle = open_idle(url, 15, partial=False) + open_idle(url, 25, partial=True)
        try:
            time.sleep(1.5)  # older than the eviction grace of one second
            assert healthz_within(url, 8), "idle clients held every connection slot"
        finally:
            for sock in idle:
                sock.close()
    assert (
        "closed" in (tmp_path / "serve.log").read_text()
        and "idle connections" in (tmp_path / "serve.log").read_text()
    )
