"""The team page and /api/team: agreement, the review queue and progress from a snapshot."""

from __future__ import annotations

from test_team import AGREE, DISAGREE, annotation, task

from workbench.snapshot import write_snapshot

pytest_plugins = ["test_web_helpers"]


def _snapshot(config, records):
    manifest = {"project_id": 7, "labelstudio_url": "http://127.0.0.1:8080"}
    return write_snapshot(config.work_dir, records, manifest)


def test_team_api_and_page_before_any_pull(web_client):
    assert web_client.get("/api/team").get_json() == {
        "snapshot": None,
        "agreement": None,
        "review": [],
        "progress": None,
    }
    page = web_client.get("/team").get_data(as_text=True)
    assert "workbench pull" in page


def test_team_api_reports_agreement_queue_and_progress(web_config, web_client):
    evil = task(5, annotation(9, "x@y.org", "<script>alert(1)</script>", status="needs_review"))
    _snapshot(web_config, [AGREE, DISAGREE, evil])
    data = web_client.get("/api/team").get_json()
    assert data["agreement"]["overall"]["tasks_compared"] == 2
    assert [item["task_id"] for item in data["review"]] == [2, 5]
    names = [row["annotator"] for row in data["progress"]["annotators"]]
    assert names == ["a@x.org", "b@x.org", "x@y.org"]

    page = web_client.get("/team").get_data(as_text=True)
    assert "a@x.org × b@x.org" in page
    assert "http://127.0.0.1:8080/projects/7/data?task=2" in page  # the queue links to LS
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    corpus = web_client.get("/corpus").get_data(as_text=True)
    assert "Annotators" in corpus and "b@x.org" in corpus


def test_team_page_follows_a_new_pull(web_config, web_client):
    _snapshot(web_config, [AGREE])
    assert web_client.get("/api/team").get_json()["review"] == []
    import time

    time.sleep(1.1)  # snapshot folders are named by the second
    _snapshot(web_config, [AGREE, DISAGREE])
    assert [i["task_id"] for i in web_client.get("/api/team").get_json()["review"]] == [2]
