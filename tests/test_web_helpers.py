"""Shared fixtures and helpers of the web service tests (imported by the test_web_* modules).

Each test gets its own copy of a small glossary (tests/data/web/glossary), its own work
folder and a known curator token, so tests never touch the project's real files. Real
server tests start ``workbench serve`` as a subprocess on a free loopback port.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from workbench.config import Config, load_config
from workbench.corpus import corpus_dir, write_corpus
from workbench.models import Document, Sentence
from workbench.snapshot import write_snapshot

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURE_GLOSSARY = PROJECT_ROOT / "tests" / "data" / "web" / "glossary"
# A fresh curator token per test run: no fixed secret-looking value in the repo.
TOKEN = secrets.token_urlsafe(24)


def make_config(root: Path, **service: object) -> Config:
    """Return settings pointing at a fresh copy of the fixture glossary under ``root``."""
    glossary = root / "glossary"
    if not glossary.exists():
        shutil.copytree(FIXTURE_GLOSSARY, glossary)
    overrides = {
        "paths": {
            "work_dir": str(root / "work"),
            "glossary_dir": str(glossary),
            "exports_dir": str(root / "exports"),
        },
        "service": {"curator_token": TOKEN, "reload_interval": 0.0, **service},
    }
    return load_config(root=PROJECT_ROOT, overrides=overrides, environ={})


def server_env(config: Config) -> dict[str, str]:
    """Environment that makes a ``workbench serve`` subprocess use ``config``'s paths."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env.update(
        {
            "WORKBENCH_ROOT": str(PROJECT_ROOT),
            "WORKBENCH_PATHS_WORK_DIR": str(config.work_dir),
            "WORKBENCH_PATHS_GLOSSARY_DIR": str(config.paths.glossary_dir),
            "WORKBENCH_PATHS_EXPORTS_DIR": str(config.paths.exports_dir),
            "WORKBENCH_SERVICE_CURATOR_TOKEN": str(config.service.curator_token),
            "WORKBENCH_SERVICE_RELOAD_INTERVAL": "0.2",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def free_port() -> int:
    """Return a loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve_process(
    config: Config, log_path: Path, args: tuple[str, ...] = (), env: dict | None = None
) -> Iterator[str]:
    """Run the real ``workbench serve`` CLI on a free port; yield its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "workbench", "serve", "--host", "127.0.0.1"]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port), *args],
            cwd=PROJECT_ROOT,
            env=env or server_env(config),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"workbench serve exited with {process.returncode}: {log_path.read_text()}"
                )
            try:
                if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"workbench serve did not answer within 60 s: {log_path.read_text()}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def add_corpus(config: Config, documents: list[tuple[Document, list[Sentence]]], **manifest):
    """Write a corpus folder under the config's work folder."""
    return write_corpus(corpus_dir(config.work_dir), documents, manifest)


def sample_corpus(config: Config) -> None:
    """Two small documents, one with markup in its text, untagged (the service matches)."""
    texts = {
        "doc-a": [
            "坚持精准扶贫，确保贫困人口实现“两不愁、三保障”。",
            "全省建档立卡贫困户全部脱贫。",
            "第一书记<script>alert('sentence')</script>驻村帮扶。",
        ],
        "doc-b": ["易地扶贫搬迁群众稳得住、能致富。", "本句没有术语。"],
    }
    items = []
    for doc_id, sentences in texts.items():
        original = "".join(sentences)
        document = Document(
            id=doc_id,
            source_path=f"seeds/{doc_id}.txt",
            sha256="0" * 64,
            encoding="utf-8",
            original=original,
            title=f"标题 {doc_id} <i>markup</i>",
            published="2018-01-30",
            paragraphs=1,
            sentences=len(sentences),
        )
        rows, position = [], 0
        for index, text in enumerate(sentences):
            rows.append(
                Sentence(
                    id=f"{doc_id}-p0-s{index}",
                    doc_id=doc_id,
                    paragraph=0,
                    index=index,
                    text=text,
                    source_text=text,
                    start=position,
                    end=position + len(text),
                )
            )
            position += len(text)
        items.append((document, rows))
    add_corpus(config, items)


def sample_snapshot(config: Config) -> Path:
    """A pulled snapshot: doc-a has two of three sentences annotated, one of them final."""
    tasks = [
        {
            "task_id": 1,
            "sentence_id": "doc-a-p0-s0",
            "doc_id": "doc-a",
            "doc_title": "a",
            "text": "…",
            "terms": [],
            "annotations": [{"id": 1, "status": "final", "updated_at": "2026-01-01T00:00:00"}],
        },
        {
            "task_id": 2,
            "sentence_id": "doc-a-p0-s1",
            "doc_id": "doc-a",
            "doc_title": "a",
            "text": "…",
            "terms": [],
            "annotations": [{"id": 2, "status": "needs_review", "updated_at": "2026-01-01"}],
        },
        {
            "task_id": 3,
            "sentence_id": "doc-a-p0-s2",
            "doc_id": "doc-a",
            "doc_title": "a",
            "text": "…",
            "terms": [],
            "annotations": [],
        },
    ]
    return write_snapshot(config.work_dir, tasks, {"project_id": 1})


def sample_qa(config: Config, findings: list[dict]) -> Path:
    """Write a QA report where the export stage will write it."""
    path = config.paths.exports_dir / str(config.export.name) / "qa.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"findings": findings}, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def web_config(tmp_path: Path) -> Config:
    return make_config(tmp_path)


@pytest.fixture
def web_app(web_config: Config):
    from workbench.web.app import create_app

    return create_app(web_config)


@pytest.fixture
def web_client(web_app):
    return web_app.test_client()


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def form_token(client, path: str = "/suggestions") -> str:
    """Return the CSRF token a page of this client's browser session carries in its forms."""
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, f"no form token on {path}"
    return found.group(1)


def post_form(client, url: str, data: dict | None = None, **kwargs):
    """Post a page form as the browser would: with this session's CSRF token."""
    return client.post(url, data={**(data or {}), "csrf_token": form_token(client)}, **kwargs)
