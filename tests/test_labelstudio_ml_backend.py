"""The glossary ML backend: protocol answers, and a real Label Studio using it."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from workbench.labelstudio.ml_backend import create_ml_app
from workbench.labelstudio.project import ensure_project
from workbench.models import TermMatch

TERMS = {"精准扶贫": "targeted poverty alleviation", "乡村振兴": "rural revitalization"}


class FakeGlossaryMatcher:
    """A two-term matcher so the protocol tests need no glossary files."""

    def find(self, text: str) -> list[TermMatch]:
        found = []
        for zh, en in TERMS.items():
            start = text.find(zh)
            if start >= 0:
                found.append(TermMatch(start, start + len(zh), zh, "t", zh, en))
        return sorted(found, key=lambda t: t.start)


class SmallGlossary:
    version = "mltest1"

    def matcher(self) -> FakeGlossaryMatcher:
        return FakeGlossaryMatcher()


@pytest.fixture
def ml_app():
    return create_ml_app(glossary=SmallGlossary())


def test_predict_answers_one_result_per_task_in_order(ml_app):
    tasks = [
        {"id": 1, "data": {"text": "坚持精准扶贫。"}},
        {"id": 2, "data": {"text": "各地要压实责任。"}},
        {"id": 3, "data": {"text": "全面推进乡村振兴，坚持精准扶贫。"}},
    ]

    response = ml_app.test_client().post("/predict", json={"tasks": tasks})

    assert response.status_code == 200
    results = response.get_json()["results"]
    assert len(results) == 3
    assert {r["model_version"] for r in results} == {"glossary-mltest1"}
    assert results[1]["result"] == []
    spans = [
        (r["value"]["start"], r["value"]["end"], r["value"]["text"])
        for r in results[2]["result"]
        if r["type"] == "labels"
    ]
    assert spans == [(4, 8, "乡村振兴"), (11, 15, "精准扶贫")]
    renderings = [r["value"]["text"] for r in results[2]["result"] if r["type"] == "textarea"]
    assert renderings == [["rural revitalization"], ["targeted poverty alleviation"]]


def test_health_and_setup_name_the_glossary_model_version(ml_app):
    client = ml_app.test_client()

    assert client.get("/health").get_json()["status"] == "UP"
    assert client.post("/setup", json={}).get_json()["model_version"] == "glossary-mltest1"


@pytest.fixture
def ml_server(ml_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, ml_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.mark.labelstudio
@pytest.mark.slow
def test_task_added_in_label_studio_gets_glossary_prediction_from_backend(
    labelstudio_server, ls_config, ml_server
):
    client = labelstudio_server.client
    project = ensure_project(client, ls_config, "glossary-mltest1")
    client.ml.create(project=project.id, url=ml_server, title="glossary")
    text = "坚持精准扶贫，全面推进乡村振兴。"
    task = client.tasks.create(
        project=project.id,
        data={"text": text, "doc_title": "", "context_before": "", "context_after": ""}
        | {"glossary_hints": "", "propose_link": "", "tm_suggestions": ""},
    )  # as if an annotator had imported it in the UI: no prediction

    assert list(client.predictions.list(task=task.id)) == []

    client.tasks.get(id=str(task.id))  # what the labeling page does when the task opens

    [prediction] = client.predictions.list(task=task.id)
    assert prediction.model_version == "glossary-mltest1"
    regions = sorted(
        text[r["value"]["start"] : r["value"]["end"]]
        for r in prediction.result
        if r["type"] == "labels"
    )
    assert regions == ["乡村振兴", "精准扶贫"]
