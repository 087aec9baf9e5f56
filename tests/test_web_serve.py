"""The real ``workbench serve`` process under waitress: lookups, durability, reload, limits."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import pytest
import requests
from test_web_helpers import (
    PROJECT_ROOT,
    TOKEN,
    free_port,
    make_config,
    serve_process,
    server_env,
)

pytest_plugins = ["test_web_helpers"]

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path):
    config = make_config(tmp_path)
    with serve_process(config, tmp_path / "serve.log") as url:
        yield url, config


@pytest.mark.parametrize(
    "query", ["两不愁三保障", "兩不愁三保障", "“兩不愁、三保障”", "Assurances and Three"]
)
def test_served_lookups_work_in_either_script_and_in_english(server, query):
    url, _ = server
    response = requests.get(f"{url}/api/terms", params={"q": query}, timeout=10)
    assert response.status_code == 200
    assert response.json()["items"][0]["id"] == "pov-003"


def test_served_annotate_handles_traditional_text(server):
    url, _ = server
    text = "落實“兩不愁、三保障”，推進精準扶貧。"
    body = requests.post(f"{url}/api/annotate", json={"text": text}, timeout=10).json()
    assert [(m["entry_id"], text[m["start"] : m["end"]]) for m in body["matches"]] == [
        ("pov-003", "兩不愁、三保障"),
        ("pov-001", "精準扶貧"),
    ]


def test_the_server_is_waitress_not_the_flask_development_server(server):
    url, _ = server
    assert requests.get(f"{url}/healthz", timeout=10).headers["Server"] == "workbench"


def test_a_proposal_survives_a_restart_of_the_server(tmp_path):
    config = make_config(tmp_path)
    proposal = {"kind": "term", "zh": "产业扶贫", "en": "industrial poverty alleviation"}
    with serve_process(config, tmp_path / "first.log") as url:
        created = requests.post(f"{url}/api/suggestions", json=proposal, timeout=10)
        assert created.status_code == 201
        suggestion_id = created.json()["id"]
    with serve_process(config, tmp_path / "second.log") as url:
        again = requests.get(f"{url}/api/suggestions/{suggestion_id}", timeout=10)
        assert again.status_code == 200
        assert again.json()["proposal"]["zh"] == "产业扶贫"
        accepted = requests.post(
            f"{url}/api/suggestions/{suggestion_id}/accept",
            headers={"Authorization": f"Bearer {TOKEN}"},
            json={"status": "proposed"},
            timeout=30,
        )
        assert accepted.status_code == 200, accepted.text
        entry_id = accepted.json()["entry"]["id"]
        assert requests.get(f"{url}/api/terms/{entry_id}", timeout=10).status_code == 200


def test_concurrent_posts_to_the_server_all_land(server):
    url, _ = server
    failures: list[str] = []

    def post(worker: int) -> None:
        with requests.Session() as session:
            for n in range(20):
                body = {"kind": "term", "zh": f"并发{worker}术语{n}", "en": f"c {worker} {n}"}
                response = session.post(f"{url}/api/suggestions", json=body, timeout=30)
                if response.status_code != 201:
                    failures.append(response.text)

    threads = [threading.Thread(target=post, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    health = requests.get(f"{url}/api/health", timeout=10).json()
    assert health["suggestions"]["pending"] == 120


def test_the_running_server_serves_a_glossary_edit_without_failing_requests(server):
    url, config = server
    path = config.paths.glossary_dir / "terms.tsv"
    failures: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        with requests.Session() as session:
            while not stop.is_set():
                response = session.post(
                    f"{url}/api/annotate", json={"text": "精准扶贫"}, timeout=30
                )
                if response.status_code != 200:
                    failures.append(response.status_code)

    workers = [threading.Thread(target=hammer) for _ in range(3)]
    for worker in workers:
        worker.start()
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(
                "pov-020\t扶贫车间\t\tpoverty alleviation workshop\t\t\t"
                "institution\t\tXinhua, 2019\t\tapproved\n"
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            found = requests.get(f"{url}/api/terms", params={"q": "扶貧車間"}, timeout=10).json()
            if found["total"]:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the edit was not served within 20 s")
    finally:
        stop.set()
        for worker in workers:
            worker.join()
    assert failures == []


def test_an_oversize_body_gets_413_in_the_error_shape(server):
    url, _ = server
    response = requests.post(f"{url}/api/annotate", json={"text": "扶" * 100_000}, timeout=30)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


def test_serve_refuses_to_start_on_a_broken_glossary_naming_the_problem(tmp_path):
    config = make_config(tmp_path)
    path = config.paths.glossary_dir / "terms.tsv"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("bad-1\t扶贫\t\tx\t\t\tnonsense\t\t\t\tproposed\n")
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "serve", "--port", "0"],
        cwd=PROJECT_ROOT,
        env=server_env(config),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ")
    assert "terms.tsv:11" in result.stderr and "nonsense" in result.stderr


def test_serve_on_a_busy_port_fails_with_a_one_line_error(tmp_path):
    config = make_config(tmp_path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "workbench", "serve", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=server_env(config),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in result.stderr


def test_sigterm_stops_the_server_cleanly(tmp_path):
    config = make_config(tmp_path)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench", "serve", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env=server_env(config),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        process.terminate()
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, output
    assert "Glossary service stopped." in output


def test_the_work_dir_option_chooses_where_proposals_are_kept(tmp_path):
    config = make_config(tmp_path)
    env = server_env(config)
    del env["WORKBENCH_PATHS_WORK_DIR"]
    chosen = tmp_path / "chosen-work"
    args = ("--work-dir", str(chosen))
    with serve_process(config, tmp_path / "serve.log", args, env) as url:
        body = {"kind": "term", "zh": "产业扶贫", "en": "industrial poverty alleviation"}
        assert requests.post(f"{url}/api/suggestions", json=body, timeout=10).status_code == 201
    assert (chosen / "service" / "suggestions.sqlite3").is_file()
    assert not config.work_dir.exists()
