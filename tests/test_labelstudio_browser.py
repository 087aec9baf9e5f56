"""The annotator's round trip in a real headless Chromium against a real Label Studio.

Opens the project's data list, clicks the task's row (opening a task by URL drops the
predictions now and then), checks what the annotator sees, translates, submits, and reads
the annotation back through the SDK and through ``pull_snapshot``.
"""

from __future__ import annotations

import re

import pytest
from labelstudio_fixtures import write_test_corpus

from workbench.labelstudio.sync import pull_snapshot, push_corpus
from workbench.snapshot import read_snapshot

pytestmark = [pytest.mark.labelstudio, pytest.mark.browser, pytest.mark.slow]

SENTENCE = "到2020年稳定实现农村贫困人口两不愁三保障，坚持精准扶贫。"
DOCS = {"doc-a": ["各地要压实责任。", SENTENCE, "全面推进乡村振兴。"]}
TRANSLATION = (
    "By 2020, rural poor people will reliably have the two assurances and three guarantees."
)
UI_TIMEOUT = 60_000


def log_in(page, server) -> None:
    page.goto(f"{server.url}/user/login/")
    page.fill("input#email", server.username)
    page.fill("input#password", server.password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/user/login" not in url, timeout=UI_TIMEOUT)


def test_annotator_translates_pre_annotated_sentence_and_pull_reads_it_back(
    labelstudio_server, ls_config, page, artifacts_dir
):
    write_test_corpus(ls_config.work_dir, DOCS, glossary_version="browser1")
    report = push_corpus(ls_config)
    client = labelstudio_server.client
    [task] = [
        t
        for t in client.tasks.list(project=report.project_id, page_size=100)
        if t.data["sentence_id"] == "doc-a-p1-s0"
    ]

    log_in(page, labelstudio_server)
    page.goto(f"{labelstudio_server.url}/projects/{report.project_id}/data")
    page.get_by_text(SENTENCE, exact=True).click()

    sentence = page.locator(".wb-sentence")
    sentence.get_by_text("两不愁三保障").first.wait_for(timeout=UI_TIMEOUT)
    assert SENTENCE in sentence.inner_text().replace("\n", "")
    # the glossary pre-annotations arrive as POLICY_TERM regions at the right offsets
    regions = sentence.locator(".htx-highlight")
    regions.first.wait_for(timeout=UI_TIMEOUT)
    found = {
        (r.get_attribute("data-label") or "", r.inner_text())
        for r in regions.all()
        if r.inner_text()
    }
    assert any("POLICY_TERM" in label and text == "两不愁三保障" for label, text in found), found
    assert any("POLICY_TERM" in label and text == "精准扶贫" for label, text in found), found
    hints = page.locator(".wb-hints").inner_text()
    assert "两不愁三保障 → two assurances and three guarantees" in hints
    assert "精准扶贫 → targeted poverty alleviation" in hints
    assert "各地要压实责任。" in page.locator(".wb-context").first.inner_text()
    page.screenshot(path=str(artifacts_dir / "labelstudio-task-opened.png"), full_page=True)

    page.fill('textarea[name="translation"]', TRANSLATION)
    page.locator('[data-testid="textarea-add-button"]').first.click()
    page.get_by_label("final").check()
    page.screenshot(path=str(artifacts_dir / "labelstudio-task-filled.png"), full_page=True)
    with page.expect_response(
        lambda r: (
            r.request.method == "POST"
            and re.search(rf"/api/tasks/{task.id}/annotations", r.url) is not None
        ),
        timeout=UI_TIMEOUT,
    ) as posted:
        page.locator('[data-testid="bottombar-submit-button"]').click()
    assert posted.value.status == 201
    page.screenshot(path=str(artifacts_dir / "labelstudio-task-submitted.png"), full_page=True)

    [annotation] = client.annotations.list(id=task.id)
    by_name = {item["from_name"]: item for item in annotation.result}
    assert by_name["translation"]["value"]["text"] == [TRANSLATION]
    assert by_name["status"]["value"]["choices"] == ["final"]
    submitted_terms = {
        item["value"]["text"] for item in annotation.result if item["from_name"] == "entities"
    }
    assert {"两不愁三保障", "精准扶贫"} <= submitted_terms  # the pre-annotations were kept

    records = {r.sentence_id: r.to_dict() for r in read_snapshot(pull_snapshot(ls_config))}
    [pulled] = records["doc-a-p1-s0"]["annotations"]
    assert pulled["translation"] == TRANSLATION
    assert pulled["status"] == "final"
    assert pulled["annotator"] == labelstudio_server.username
    assert pulled["lead_time"] is not None
    terms = {e["text"]: e for e in pulled["entities"]}
    assert terms["两不愁三保障"]["label"] == "POLICY_TERM"
    assert terms["两不愁三保障"]["rendering"] == "two assurances and three guarantees"


def test_annotator_queue_prefills_glossary_terms_with_their_renderings(
    labelstudio_server, ls_config, page, artifacts_dir
):
    write_test_corpus(ls_config.work_dir, {"doc-q": ["坚持精准扶贫，全面推进乡村振兴。"]})
    report = push_corpus(ls_config)

    log_in(page, labelstudio_server)
    page.goto(f"{labelstudio_server.url}/projects/{report.project_id}/data?labeling=1")

    regions = page.locator(".wb-sentence .htx-highlight")
    regions.first.wait_for(timeout=UI_TIMEOUT)
    texts = sorted(r.inner_text() for r in regions.all() if r.inner_text())
    assert texts == ["乡村振兴", "精准扶贫"]
    # the per-region rendering (not the hint line, which holds more text) shows only once
    # its region is selected, pre-filled with the approved English
    rendering = page.locator(":text-is('targeted poverty alleviation'):visible")
    assert rendering.count() == 0
    page.locator(".wb-sentence .htx-highlight", has_text="精准扶贫").first.click()
    rendering.first.wait_for(timeout=UI_TIMEOUT)
    page.get_by_text("English rendering used for the selected term").wait_for()
    page.screenshot(path=str(artifacts_dir / "labelstudio-queue-region.png"), full_page=True)
