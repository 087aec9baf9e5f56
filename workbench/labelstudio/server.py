"""Start, watch and stop a Label Studio server, and remember it between shells.

A started server is recorded in ``<work_dir>/run/labelstudio.json`` (pid, url, log file)
so ``workbench down`` and ``workbench status`` work from another shell. The server runs
in its own process group, stopped by that group's id only.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests

from workbench.errors import LabelStudioError
from workbench.fileio import atomic_write

HEALTH_TIMEOUT = 5


@dataclass
class RunState:
    """What ``workbench up`` started: enough for another shell to find and stop it."""

    name: str
    pid: int
    url: str
    log: str
    started: str

    def to_dict(self) -> dict:
        return asdict(self)


def run_dir(work_dir: Path) -> Path:
    """Return the folder holding run-state files of started processes."""
    return Path(work_dir) / "run"


def write_run_state(work_dir: Path, state: RunState) -> Path:
    """Record a started process under ``<work_dir>/run/<name>.json``."""
    path = run_dir(work_dir) / f"{state.name}.json"
    with atomic_write(path) as handle:
        handle.write(json.dumps(state.to_dict(), indent=2) + "\n")
    return path


def read_run_state(work_dir: Path, name: str) -> RunState | None:
    """Return the recorded process ``name``, or None when none is recorded."""
    path = run_dir(work_dir) / f"{name}.json"
    if not path.is_file():
        return None
    try:
        return RunState(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError):
        return None


def clear_run_state(work_dir: Path, name: str) -> None:
    """Forget a recorded process."""
    (run_dir(work_dir) / f"{name}.json").unlink(missing_ok=True)


def pid_alive(pid: int) -> bool:
    """Tell whether a process id is running (and not a zombie we could reap)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def process_command(pid: int) -> str:
    """Return a process's command line ("" when unknown), to check a recorded pid."""
    try:
        return (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return ""


def is_healthy(url: str) -> bool:
    """Return True when ``GET <url>/health`` answers 200."""
    try:
        return requests.get(f"{url}/health", timeout=HEALTH_TIMEOUT).status_code == 200
    except requests.RequestException:
        return False


def port_in_use(host: str, port: int) -> bool:
    """Return True when something accepts connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port nobody listens on right now (for tests and benchmarks)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


# Label Studio 1.23's default SSRF block list (label_studio/core/utils/io.py) without the
# loopback nets, so it may call the glossary ML backend on 127.0.0.1 and nothing else new.
BANNED_SUBNETS_BUT_LOOPBACK = (
    "0.0.0.0/8,10.0.0.0/8,100.64.0.0/10,169.254.0.0/16,172.16.0.0/12,192.0.0.0/24,"
    "192.0.2.0/24,192.88.99.0/24,192.168.0.0/16,198.18.0.0/15,198.51.100.0/24,"
    "203.0.113.0/24,224.0.0.0/4,233.252.0.0/24,240.0.0.0/4,255.255.255.255/32,::/128,"
    "::ffff:0:0/96,::ffff:0:0:0/96,64:ff9b::/96,64:ff9b:1::/48,100::/64,2001:0000::/32,"
    "2001:20::/28,2001:db8::/32,2002::/16,fc00::/7,fe80::/10,ff00::/8"
)


def server_environment(
    data_dir: Path, username: str, password: str, token: str, allow_loopback: bool = False
) -> dict:
    """Return the environment that makes Label Studio bootstrap itself with no hand steps.

    ``allow_loopback`` lifts Label Studio's block on 127.0.0.1 URLs (and only that one), so
    a local ML backend can be connected.
    """
    loopback = (
        {
            "USE_DEFAULT_BANNED_SUBNETS": "false",
            "USER_ADDITIONAL_BANNED_SUBNETS": BANNED_SUBNETS_BUT_LOOPBACK,
        }
        if allow_loopback
        else {}
    )
    return {
        **loopback,
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_USERNAME": username,
        "LABEL_STUDIO_PASSWORD": password,
        "LABEL_STUDIO_USER_TOKEN": token,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        "COLLECT_ANALYTICS": "false",
        "LATEST_VERSION_CHECK": "false",  # no call to pypi.org at every start
        "PYTHONUNBUFFERED": "1",
    }


@dataclass
class StartedServer:
    """A Label Studio process this program started."""

    process: subprocess.Popen
    url: str
    log: Path


def start_server(
    executable: Path,
    data_dir: Path,
    host: str,
    port: int,
    env: dict,
    timeout: float,
) -> StartedServer:
    """Start ``label-studio`` and wait until /health answers; stop it again on failure."""
    url = f"http://{host}:{port}"
    if port_in_use(host, port):
        raise LabelStudioError(
            f"port {port} on {host} is already in use; pick another with --ls-port or "
            "WORKBENCH_LABELSTUDIO_PORT, or run 'workbench down'"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir / "server.log"
    with open(log, "ab") as log_handle:
        process = subprocess.Popen(
            [
                str(executable),
                "start",
                "--no-browser",
                "--host",
                host,
                "--port",
                str(port),
                "--data-dir",
                str(data_dir),
            ],
            stdout=log_handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=data_dir,
            start_new_session=True,
        )
    started = StartedServer(process, url, log)
    try:
        wait_healthy(url, timeout, process, log)
    except BaseException:
        stop_process(process.pid)
        raise
    return started


def wait_healthy(url: str, timeout: float, process: subprocess.Popen | None, log: Path) -> None:
    """Poll ``/health`` until it answers or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_healthy(url):
            return
        if process is not None and process.poll() is not None:
            raise LabelStudioError(
                f"Label Studio exited with status {process.returncode} before it was ready; "
                f"see the end of {log}"
            )
        time.sleep(1)
    raise LabelStudioError(
        f"Label Studio at {url} was not healthy after {timeout:.0f} s; see the end of {log} "
        "(raise [labelstudio] start_timeout on a slow machine)"
    )


def stop_process(pid: int, timeout: float = 20) -> bool:
    """Stop a process we started (its whole session group); return True if it was running."""
    if not pid_alive(pid):
        return False
    try:
        group = os.getpgid(pid)
    except ProcessLookupError:
        return False
    target = group if group == pid else None  # only a group we created (start_new_session)
    _signal(pid, target, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _reap(pid)
        if not pid_alive(pid):
            return True
        time.sleep(0.2)
    _signal(pid, target, signal.SIGKILL)
    _reap(pid)
    return True


def _signal(pid: int, group: int | None, sig: int) -> None:
    try:
        if group is not None:
            os.killpg(group, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _reap(pid: int) -> None:
    """Collect our own child's exit status so it does not linger as a zombie."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
