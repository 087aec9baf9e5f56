"""The Label Studio commands as a user runs them: real processes, real server, one-line errors."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from labelstudio_fixtures import write_test_corpus

from workbench.config import load_config
from workbench.corpus import corpus_dir, read_manifest
from workbench.labelstudio.auth import (
    Credentials,
    ensure_api_access,
    load_credentials,
    mask,
    secrets_file,
)
from workbench.labelstudio.project import find_project
from workbench.labelstudio.server import (
    RunState,
    free_port,
    read_run_state,
    write_run_state,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def run_workbench(*args: str, env: dict[str, str] | None = None, timeout: float = 300):
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=PROJECT_ROOT,
        timeout=timeout,
        check=False,
    )


def assert_one_line_error(done: subprocess.CompletedProcess, *fragments: str) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in done.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def config_for(work_dir: Path, **labelstudio: object):
    return load_config(
        overrides={"paths": {"work_dir": str(work_dir)}, "labelstudio": labelstudio},
        environ={},
    )


def test_generated_credentials_are_kept_owner_only_and_reused(tmp_path):
    config = config_for(tmp_path, password="", token="")

    first = load_credentials(config)
    second = load_credentials(config)

    path = secrets_file(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert first == second
    assert len(first.token) == 40 and int(first.token, 16) >= 0
    assert len(first.password) >= 16


def test_credentials_from_config_win_over_the_secrets_file(tmp_path):
    load_credentials(config_for(tmp_path, password="", token=""))

    chosen = load_credentials(config_for(tmp_path, password="pw-from-env-123", token="ab" * 20))

    assert (chosen.password, chosen.token) == ("pw-from-env-123", "ab" * 20)


def test_mask_never_shows_the_whole_secret():
    secret = "0123456789abcdef0123456789abcdef01234567"
    shown = mask(secret)
    assert secret not in shown
    assert shown.startswith("0123")


def test_pull_with_server_down_is_one_clear_error_line(tmp_path):
    port = free_port()

    done = run_workbench(
        "pull", "--work-dir", str(tmp_path), "--ls-url", f"http://127.0.0.1:{port}", timeout=60
    )

    assert_one_line_error(done, f"127.0.0.1:{port}", "not reachable")


def test_push_to_a_stopped_workspace_server_is_one_clear_error_line(tmp_path):
    # what 'workbench up' recorded, after that server went away
    port = free_port()
    write_run_state(
        tmp_path,
        RunState("labelstudio", 2**22 + 1, f"http://127.0.0.1:{port}", "server.log", "now"),
    )
    write_test_corpus(tmp_path, {"d": ["各地要压实责任。"]})

    done = run_workbench("push", "--work-dir", str(tmp_path), timeout=60)

    assert_one_line_error(done, "not reachable", "workbench up")


def test_down_forgets_a_server_that_is_no_longer_running(tmp_path):
    write_run_state(
        tmp_path, RunState("labelstudio", 2**22 + 1, "http://127.0.0.1:1", "server.log", "now")
    )

    done = run_workbench("down", "--work-dir", str(tmp_path), timeout=60)

    assert done.returncode == 0, done.stderr
    assert "was not running" in done.stdout
    assert read_run_state(tmp_path, "labelstudio") is None


@pytest.mark.labelstudio
@pytest.mark.slow
def test_bad_credential_is_one_clear_error_line(labelstudio_server, tmp_path):
    done = run_workbench(
        "pull",
        "--work-dir",
        str(tmp_path),
        "--ls-url",
        labelstudio_server.url,
        env={"WORKBENCH_LABELSTUDIO_TOKEN": "f" * 40},
        timeout=60,
    )

    assert_one_line_error(done, "refused the API token", "ffff…")
    assert "f" * 40 not in done.stderr


@pytest.mark.labelstudio
@pytest.mark.slow
def test_push_status_and_pull_commands_against_real_server(labelstudio_server, ls_config):
    write_test_corpus(ls_config.work_dir, {"d": ["坚持精准扶贫。", "全面推进乡村振兴。"]})
    env = {
        "WORKBENCH_LABELSTUDIO_TOKEN": labelstudio_server.token,
        "WORKBENCH_LABELSTUDIO_PROJECT_TITLE": ls_config.labelstudio.project_title,
    }
    common = ["--work-dir", str(ls_config.work_dir), "--ls-url", labelstudio_server.url]

    pushed = run_workbench("push", *common, env=env)
    again = run_workbench("push", *common, env=env)
    status = run_workbench("status", "--json", *common, env=env)
    pulled = run_workbench("pull", *common, env=env)

    assert pushed.returncode == 0, pushed.stderr
    assert "2 added, 0 updated, 0 unchanged, 0 conflicts" in pushed.stdout
    assert "0 added, 0 updated, 2 unchanged, 0 conflicts" in again.stdout
    project = json.loads(status.stdout)["project"]
    assert (project["tasks"], project["tasks_annotated"]) == (2, 0)
    assert pulled.returncode == 0, pulled.stderr
    assert "2 tasks, 0 annotations" in pulled.stdout
    assert labelstudio_server.token not in pushed.stdout + status.stdout + pulled.stdout


@pytest.mark.labelstudio
@pytest.mark.slow
def test_api_access_is_repaired_when_the_stored_token_is_wrong(labelstudio_server):
    wrong = Credentials(labelstudio_server.username, labelstudio_server.password, "0" * 40)

    repaired = ensure_api_access(labelstudio_server.url, wrong)

    assert repaired.token == labelstudio_server.token


@pytest.mark.labelstudio
@pytest.mark.slow
def test_api_access_switches_legacy_tokens_back_on_for_an_existing_organisation(
    labelstudio_server,
):
    from workbench.labelstudio.auth import check_token, login_session

    url = labelstudio_server.url
    session = login_session(url, labelstudio_server.username, labelstudio_server.password)
    credentials = Credentials(
        labelstudio_server.username, labelstudio_server.password, labelstudio_server.token
    )
    try:
        session.post(f"{url}/api/jwt/settings", json={"legacy_api_tokens_enabled": False})
        status, body = check_token(url, credentials.token)
        assert status == 401 and "legacy" in body.lower()  # the trap is really set

        ensure_api_access(url, credentials)

        assert check_token(url, credentials.token)[0] == 200
    finally:
        session.post(f"{url}/api/jwt/settings", json={"legacy_api_tokens_enabled": True})


@pytest.mark.labelstudio
@pytest.mark.slow
def test_up_brings_every_seed_sentence_as_task_and_stops_on_signal(
    labelstudio_server, ls_config, project_root
):
    work_dir = ls_config.work_dir
    title = ls_config.labelstudio.project_title
    ml_port = free_port()
    env = {
        **os.environ,
        "WORKBENCH_LABELSTUDIO_TOKEN": labelstudio_server.token,
        "WORKBENCH_LABELSTUDIO_PASSWORD": labelstudio_server.password,
        "WORKBENCH_LABELSTUDIO_PROJECT_TITLE": title,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "workbench",
            "up",
            "--no-service",
            "--ml-port",
            str(ml_port),
            "--work-dir",
            str(work_dir),
            "--ls-url",
            labelstudio_server.url,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=project_root,
    )
    output = []
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output.append(line)
            if "Press Ctrl-C" in line:
                break
        text = "".join(output)
        assert "Press Ctrl-C" in text, text
        assert "password        as set in WORKBENCH_LABELSTUDIO_PASSWORD" in text
        assert labelstudio_server.password not in text
        sentences = read_manifest(corpus_dir(work_dir))["sentences"]
        assert sentences > 100
        assert f"Tasks waiting     {sentences} of {sentences}" in text
        project = find_project(labelstudio_server.client, title)
        assert project is not None
        assert project.model_version.startswith("glossary-")
        [backend] = labelstudio_server.client.ml.list(project=project.id)
        assert backend.url.rstrip("/") == f"http://127.0.0.1:{ml_port}"
        assert read_run_state(work_dir, "ml_backend").url == backend.url.rstrip("/")
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C
        rest, _ = process.communicate(timeout=60)
    assert process.returncode == 0, rest
    assert "Stopped what 'workbench up' started." in rest
    assert read_run_state(work_dir, "ml_backend") is None  # stopped and forgotten


@pytest.mark.labelstudio
@pytest.mark.slow
def test_labelstudio_install_is_quick_no_op_when_pinned_version_is_there(labelstudio_server):
    done = run_workbench("labelstudio", "install", timeout=120)

    assert done.returncode == 0, done.stderr
    version = load_config().labelstudio.version
    assert f"label-studio {version} already installed" in done.stdout


@pytest.mark.labelstudio
@pytest.mark.slow
def test_second_up_in_same_work_folder_reuses_the_running_server(labelstudio_server):
    from workbench.workspace import start_labelstudio

    config = load_config(
        overrides={
            "paths": {"work_dir": str(labelstudio_server.work_dir)},
            "labelstudio": {"url": ""},
        }
    )

    handle = start_labelstudio(config, echo=lambda _m: None)

    assert handle.reused == "running"
    assert handle.process is None  # nothing new was started, so nothing to stop later
    assert handle.url == labelstudio_server.url
    assert handle.credentials.token == labelstudio_server.token


def test_down_leaves_alone_a_process_that_reused_the_recorded_pid(tmp_path):
    stranger = subprocess.Popen(["sleep", "60"])
    try:
        write_run_state(
            tmp_path,
            RunState("labelstudio", stranger.pid, "http://127.0.0.1:1", "server.log", "now"),
        )

        done = run_workbench("down", "--work-dir", str(tmp_path), timeout=60)

        assert done.returncode == 0, done.stderr
        assert "was not running" in done.stdout
        assert stranger.poll() is None  # still alive
    finally:
        stranger.kill()
        stranger.wait()


@pytest.mark.labelstudio
@pytest.mark.slow
def test_pull_without_any_token_says_how_to_get_one(labelstudio_server, tmp_path):
    done = run_workbench(
        "pull",
        "--work-dir",
        str(tmp_path),
        "--ls-url",
        labelstudio_server.url,
        env={"WORKBENCH_LABELSTUDIO_TOKEN": ""},
        timeout=60,
    )

    assert_one_line_error(done, "no API token", "WORKBENCH_LABELSTUDIO_TOKEN")
