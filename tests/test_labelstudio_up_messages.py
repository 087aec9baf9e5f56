"""What `workbench up` tells a new user: where secrets are and how to read them (never
the secrets), and a `workbench down` that reads as a requested stop in up's log."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from workbench.config import load_config
from workbench.labelstudio.auth import Credentials
from workbench.labelstudio.cli import _print_workspace
from workbench.labelstudio.server import RunState, now_iso, write_run_state
from workbench.workspace import (
    LabelStudioHandle,
    Workspace,
    describe_exit,
    down,
    wait_until_interrupted,
)

PASSWORD = "pw-Secret-4711-xyz"
CURATOR = "curator-Secret-0815-abc"


def config_for(tmp_path: Path, **labelstudio):
    return load_config(
        overrides={
            "paths": {"work_dir": str(tmp_path / "work")},
            "labelstudio": {"password": "", **labelstudio},
            "service": {"curator_token": ""},
        },
        environ={},
    )


def printed_workspace(config, workspace) -> str:
    @click.command()
    def show() -> None:
        _print_workspace(config, workspace)

    result = CliRunner().invoke(show)
    assert result.exit_code == 0, result.output
    return result.output


def command_after(label: str, text: str) -> str:
    [line] = [line for line in text.splitlines() if line.strip().startswith(label)]
    return line.split(label, 1)[1].strip()


def test_up_prints_where_secrets_are_and_commands_that_show_them_but_not_the_secrets(
    tmp_path,
):
    config = config_for(tmp_path)
    secrets = config.work_dir / "secrets"
    secrets.mkdir(parents=True)
    (secrets / "labelstudio.json").write_text(
        json.dumps({"password": PASSWORD, "token": "ab" * 20}), encoding="utf-8"
    )
    (secrets / "curator_token").write_text(CURATOR + "\n", encoding="utf-8")
    handle = LabelStudioHandle(
        "http://127.0.0.1:1", Credentials("admin@workbench.local", PASSWORD, "ab" * 20)
    )
    workspace = Workspace(labelstudio=handle, service_url="http://127.0.0.1:2")

    text = printed_workspace(config, workspace)

    assert PASSWORD not in text and CURATOR not in text
    assert str(secrets / "labelstudio.json") in text
    assert str(secrets / "curator_token") in text
    commands = [line for line in text.splitlines() if "show it with" in line]
    assert len(commands) == 2
    shown = [
        subprocess.run(
            line.split("show it with", 1)[1].strip(),
            shell=True,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for line in commands
    ]
    assert shown == [PASSWORD, CURATOR]  # each one-liner really prints its secret


def test_up_with_configured_secrets_names_their_settings(tmp_path):
    config = load_config(
        overrides={
            "paths": {"work_dir": str(tmp_path / "work")},
            "labelstudio": {"password": PASSWORD},
            "service": {"curator_token": CURATOR},
        },
        environ={},
    )
    handle = LabelStudioHandle("http://x", Credentials("admin", PASSWORD, "ab" * 20))
    text = printed_workspace(config, Workspace(labelstudio=handle, service_url="http://y"))
    assert PASSWORD not in text and CURATOR not in text
    assert "WORKBENCH_SERVICE_CURATOR_TOKEN" in text
    assert "show it with" not in text


def stand_in_server() -> subprocess.Popen:
    """A real child process that looks like one `up` started (its command names us)."""
    return subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(120)", "workbench-stand-in"],
        start_new_session=True,
    )


def test_down_reads_as_a_requested_stop_in_ups_log(tmp_path):
    config = config_for(tmp_path)
    server = stand_in_server()
    try:
        write_run_state(
            config.work_dir,
            RunState("labelstudio", server.pid, "http://127.0.0.1:1", "ls.log", now_iso()),
        )
        workspace = Workspace(
            labelstudio=LabelStudioHandle("http://127.0.0.1:1", Credentials("a", "b", "c"), server)
        )
        log: list[str] = []
        waiter = threading.Thread(
            target=wait_until_interrupted, args=(workspace, log.append, config.work_dir)
        )
        waiter.start()

        done = down(config)
        waiter.join(timeout=30)

        assert not waiter.is_alive()
        assert any("stopped Label Studio" in line for line in done)
        assert log == ["Stop requested by 'workbench down'."]
        assert server.poll() is not None  # it really was stopped
    finally:
        server.kill()
        server.wait()


@pytest.mark.parametrize(
    ("returncode", "requested", "expected"),
    [
        (-15, True, "Label Studio was stopped by 'workbench down'."),
        (-15, False, "Label Studio was stopped by SIGTERM from outside 'workbench up'"),
        (-9, False, "Label Studio was stopped by SIGKILL"),
        (3, False, "Label Studio exited unexpectedly (status 3)"),
    ],
)
def test_a_servers_exit_is_described_by_its_cause(returncode, requested, expected):
    assert describe_exit("Label Studio", returncode, requested, Path("ls.log")).startswith(expected)


def test_a_server_killed_from_outside_is_not_called_a_requested_stop(tmp_path):
    server = stand_in_server()
    workspace = Workspace(
        labelstudio=LabelStudioHandle(
            "http://127.0.0.1:1", Credentials("a", "b", "c"), server, log=Path("ls.log")
        )
    )
    server.terminate()
    log: list[str] = []

    wait_until_interrupted(workspace, log.append, tmp_path / "work")

    assert log == ["Label Studio was stopped by SIGTERM from outside 'workbench up'; see ls.log"]
