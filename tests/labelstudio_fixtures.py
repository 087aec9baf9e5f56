"""Fixtures that start a real Label Studio server for the test session.

``labelstudio_server`` starts one server per session on a free port with its data in a
temporary folder (installing Label Studio into its venv first if needed) and stops it at
the end. ``ls_config`` gives each test a ``Config`` with a fresh work folder and its own
project title, pointed at that server, so push/pull run for real and tests do not see
each other's tasks.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from workbench.config import Config, load_config

__all__ = [
    "GLOSSARY_TERMS",
    "LabelStudioServer",
    "labelstudio_server",
    "ls_config",
    "write_test_corpus",
]


@dataclass
class LabelStudioServer:
    """A running Label Studio for tests: where it is and how to talk to it."""

    url: str
    token: str
    username: str
    password: str
    client: object  # label_studio_sdk.LabelStudio
    work_dir: Path
    database: str = "sqlite"
    config: Config | None = None


# WORKBENCH_TEST_DATABASE=postgres runs every Label Studio test against a PostgreSQL
# cluster the workbench initialises and starts itself (scripts/test.sh does a second run).
TEST_DATABASE = os.environ.get("WORKBENCH_TEST_DATABASE", "sqlite")


@pytest.fixture(scope="session")
def labelstudio_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabelStudioServer]:
    """Start a real Label Studio once per test session; stop it when the session ends."""
    from workbench.labelstudio.client import make_client
    from workbench.labelstudio.server import free_port
    from workbench.workspace import start_labelstudio, stop_labelstudio_process

    work_dir = tmp_path_factory.mktemp("labelstudio-session")
    labelstudio: dict[str, object] = {"url": "", "host": "127.0.0.1", "port": free_port()}
    cluster = None
    if TEST_DATABASE == "postgres":
        # pytest's temporary folders are closed to other accounts; PostgreSQL may run as
        # the postgres account (when tests run as root), so its folder sits in /tmp.
        cluster = Path(tempfile.mkdtemp(prefix="workbench-test-pg-"))
        labelstudio.update(
            database="postgres", postgres_dir=str(cluster), postgres_port=free_port()
        )
    config = load_config(
        overrides={"paths": {"work_dir": str(work_dir)}, "labelstudio": labelstudio}
    )
    handle = start_labelstudio(config, echo=lambda _msg: None)
    try:
        yield LabelStudioServer(
            url=handle.url,
            token=handle.credentials.token,
            username=handle.credentials.username,
            password=handle.credentials.password,
            client=make_client(handle.url, handle.credentials.token),
            work_dir=work_dir,
            database=TEST_DATABASE,
            config=config,
        )
    finally:
        if handle.process is not None:
            stop_labelstudio_process(work_dir, handle.process)
        if cluster is not None:
            from workbench.labelstudio.postgres import stop_postgres

            stop_postgres(config)
            shutil.rmtree(cluster, ignore_errors=True)


@pytest.fixture
def ls_config(labelstudio_server: LabelStudioServer, tmp_path: Path) -> Config:
    """A config with a fresh work folder and its own project on the session's server."""
    return load_config(
        overrides={
            "paths": {"work_dir": str(tmp_path / "work")},
            "labelstudio": {
                "url": labelstudio_server.url,
                "token": labelstudio_server.token,
                "password": labelstudio_server.password,
                "username": labelstudio_server.username,
                "project_title": f"test-{uuid.uuid4().hex[:10]}",
            },
        }
    )


GLOSSARY_TERMS = {
    # zh → (entry id, approved English): a few real terms so tests need no glossary stage
    "精准扶贫": ("test-0001", "targeted poverty alleviation"),
    "两不愁三保障": ("test-0002", "two assurances and three guarantees"),
    "乡村振兴": ("test-0003", "rural revitalization"),
}


def write_test_corpus(
    work_dir: Path,
    documents: dict[str, list[str]],
    glossary_version: str = "test1",
    titles: dict[str, str] | None = None,
) -> Path:
    """Write a small tagged corpus (doc id → sentences) into ``work_dir``; return its folder.

    Terms of ``GLOSSARY_TERMS`` are matched by plain search, which is enough for tests of
    the Label Studio stage without depending on the glossary matcher.
    """
    from workbench.corpus import corpus_dir, write_corpus
    from workbench.models import Document, Sentence, TermMatch

    items = []
    for doc_id, texts in documents.items():
        original = "\n".join(texts)
        document = Document(
            id=doc_id,
            source_path=f"{doc_id}.txt",
            sha256="0" * 64,
            encoding="utf-8",
            original=original,
            title=(titles or {}).get(doc_id, f"文件 {doc_id}"),
            paragraphs=len(texts),
            sentences=len(texts),
        )
        sentences = []
        offset = 0
        for number, text in enumerate(texts):
            terms = []
            for zh, (entry_id, en) in GLOSSARY_TERMS.items():
                start = text.find(zh)
                while start >= 0:
                    terms.append(TermMatch(start, start + len(zh), zh, entry_id, zh, en))
                    start = text.find(zh, start + len(zh))
            sentences.append(
                Sentence(
                    id=f"{doc_id}-p{number}-s0",
                    doc_id=doc_id,
                    paragraph=number,
                    index=0,
                    text=text,
                    source_text=text,
                    start=offset,
                    end=offset + len(text),
                    terms=sorted(terms, key=lambda t: t.start),
                )
            )
            offset += len(text) + 1
        items.append((document, sentences))
    path = corpus_dir(work_dir)
    write_corpus(path, items, {"glossary_version": glossary_version})
    return path


def annotation_result(translation: str, status: str, entities=()) -> list[dict]:
    """A Label Studio result: translation, status, and labelled regions with renderings."""
    items = [
        {
            "from_name": "translation",
            "to_name": "text",
            "type": "textarea",
            "value": {"text": [translation]},
        },
        {
            "from_name": "status",
            "to_name": "text",
            "type": "choices",
            "value": {"choices": [status]},
        },
    ]
    for n, (start, end, text, label, rendering) in enumerate(entities):
        region = f"r{n}"
        items.append(
            {
                "id": region,
                "from_name": "entities",
                "to_name": "text",
                "type": "labels",
                "value": {"start": start, "end": end, "text": text, "labels": [label]},
            }
        )
        items.append(
            {
                "id": region,
                "from_name": "rendering",
                "to_name": "text",
                "type": "textarea",
                "value": {"start": start, "end": end, "text": [rendering]},
            }
        )
    return items
