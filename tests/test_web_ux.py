"""Issue 14 on the service pages: QA findings lead to their task, the proposal form takes
a sentence from a Label Studio task, the curator is greeted once."""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path

from test_web_helpers import TOKEN, post_form, sample_corpus, sample_qa

from workbench.labelstudio.links import task_links, task_url
from workbench.snapshot import write_snapshot
from workbench.web.app import create_app

pytest_plugins = ["test_web_helpers"]

LS_URL = "http://127.0.0.1:8080"


def annotated_task(task_id: int, sentence_id: str, text: str, translation: str, **extra) -> dict:
    annotation = {
        "id": task_id,
        "status": extra.pop("status", "final"),
        "translation": translation,
        "updated_at": extra.pop("updated_at", "2026-01-01T00:00:00"),
    }
    return {
        "task_id": task_id,
        "sentence_id": sentence_id,
        "doc_id": "doc-a",
        "text": text,
        "terms": [],
        "annotations": [annotation, *extra.pop("more", [])],
    }


def write_export_of(config, snapshot: Path, findings: list[dict], **settings) -> None:
    qa = sample_qa(config, findings)
    manifest = {
        "snapshot": {"name": snapshot.name},
        "settings": {"selection": "latest", "agreement_min": 2, **settings},
    }
    (qa.parent / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_task_url_opens_the_task_in_the_labeling_view():
    assert task_url(LS_URL + "/", 3, 41) == f"{LS_URL}/projects/3/data?task=41"
    assert task_url(None, 3, 41) is None
    assert task_url(LS_URL, 3, None) is None


def test_task_links_carry_the_pair_the_selection_rule_chose(tmp_path):
    older = {"id": 9, "status": "final", "translation": "Old.", "updated_at": "2025-01-01"}
    tasks = [
        annotated_task(7, "s1", "全省脱贫。", "The province is out of poverty.", more=[older]),
        annotated_task(8, "s2", "本句。", "Draft.", status="draft"),
    ]
    snapshot = write_snapshot(tmp_path, tasks, {"labelstudio_url": LS_URL, "project_id": 3})

    latest = task_links(snapshot)
    final = task_links(snapshot, {"s2"}, selection="final")

    assert latest["s1"].url == f"{LS_URL}/projects/3/data?task=7"
    assert (latest["s1"].zh, latest["s1"].en) == ("全省脱贫。", "The province is out of poverty.")
    assert latest["s2"].en == "Draft."
    assert list(final) == ["s2"] and final["s2"].en is None  # no final annotation


def test_corpus_page_links_each_finding_to_its_task_and_shows_the_pair(web_config):
    sample_corpus(web_config)
    tasks = [annotated_task(12, "doc-a-p0-s1", "全省建档立卡贫困户全部脱贫。", "All <b>poor</b>.")]
    snapshot = write_snapshot(
        web_config.work_dir, tasks, {"labelstudio_url": LS_URL, "project_id": 5}
    )
    findings = [
        {"sentence_id": "doc-a-p0-s1", "check": "terminology", "severity": "error", "message": "m"},
        {"sentence_id": "gone", "check": "empty", "severity": "error", "message": "n"},
    ]
    write_export_of(web_config, snapshot, findings)

    page = create_app(web_config).test_client().get("/corpus").get_data(as_text=True)

    assert f'href="{LS_URL}/projects/5/data?task=12"' in page
    assert "全省建档立卡贫困户全部脱贫。" in page
    assert "All &lt;b&gt;poor&lt;/b&gt;." in page  # the translation is escaped
    assert '<span class="id">gone</span>' in page  # a finding without a task stays plain


def test_corpus_page_without_the_exports_snapshot_still_lists_findings(web_config):
    write_export_of(
        web_config,
        web_config.work_dir / "snapshots" / "20990101T000000Z",
        [{"sentence_id": "s", "check": "empty", "severity": "error", "message": "no text"}],
    )
    page = create_app(web_config).test_client().get("/corpus").get_data(as_text=True)
    assert "no text" in page and "/projects/" not in page


def test_proposal_form_is_prefilled_from_a_task_link(web_client):
    sentence = "发展农民专业合作社<联合社>。"
    page = web_client.get(
        "/suggestions",
        query_string={"context": sentence, "sentence_id": "d1:abc", "zh": "联合社"},
    ).get_data(as_text=True)

    assert 'name="sentence_id" value="d1:abc"' in page
    assert 'name="zh" required maxlength="300" lang="zh-Hans" value="联合社"' in page
    assert "发展农民专业合作社&lt;联合社&gt;。" in page and "<联合社>" not in page
    assert "Seen in" in page

    stored = post_form(
        web_client,
        "/suggestions",
        {
            "kind": "term",
            "zh": "联合社",
            "en": "federation of cooperatives",
            "sentence_id": "d1:abc",
            "comment": sentence,
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Proposal 1 stored" in stored
    queue = unescape(stored)
    assert "d1:abc" in queue and sentence in queue


def test_proposal_form_without_a_link_has_no_context_block(web_client):
    page = web_client.get("/suggestions").get_data(as_text=True)
    assert "Seen in" not in page and 'name="sentence_id"' not in page


def test_the_curator_is_greeted_once_after_signing_in(web_client):
    page = post_form(
        web_client, "/curator/sign-in", {"token": TOKEN}, follow_redirects=True
    ).get_data(as_text=True)
    assert page.count("Signed in as curator") == 1
    assert "Curator token accepted" in page
