"""Issue 14 in a real headless Chromium against the real ``workbench serve`` process:
the corpus page's findings lead to their task, a task's proposal link fills the form, the
curator is greeted once. Screenshots: test-artifacts/web-corpus-findings.png,
web-propose-from-task.png, web-curator-signed-in.png."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from test_web_helpers import TOKEN, make_config, sample_corpus, serve_process
from test_web_ux import LS_URL, annotated_task, write_export_of

from workbench.snapshot import write_snapshot

pytest_plugins = ["test_web_helpers"]

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ZH = "全省建档立卡贫困户全部脱贫。"
EN = "All registered poor households in the province were lifted out of poverty."


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site-ux")
    config = make_config(root)
    sample_corpus(config)
    snapshot = write_snapshot(
        config.work_dir,
        [annotated_task(12, "doc-a-p0-s1", ZH, EN)],
        {"labelstudio_url": LS_URL, "project_id": 5},
    )
    write_export_of(
        config,
        snapshot,
        [
            {
                "sentence_id": "doc-a-p0-s1",
                "check": "terminology",
                "severity": "warning",
                "message": "建档立卡贫困户 is rendered without 'registered'",
            }
        ],
    )
    with serve_process(config, root / "serve.log") as url:
        yield url


def test_a_qa_finding_links_to_its_task_and_shows_the_pair(site, page, artifacts_dir):
    page.goto(f"{site}/corpus")
    finding = page.locator("li.finding").first
    link = finding.locator("a.id")
    assert link.get_attribute("href") == f"{LS_URL}/projects/5/data?task=12"
    assert link.inner_text().startswith("doc-a-p0-s1")
    pair = finding.locator("dl.pair")
    assert pair.locator("dd").nth(0).inner_text() == ZH
    assert pair.locator("dd").nth(1).inner_text() == EN
    finding.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "web-corpus-findings.png"), full_page=True)


def test_a_tasks_proposal_link_fills_the_form_and_the_proposal_keeps_the_sentence(
    site, page, artifacts_dir
):
    sentence = "发展农民专业合作社联合社，带动贫困户增收。"
    query = urlencode({"context": sentence, "sentence_id": "jl:0a1b2c3d4e5f"})
    page.goto(f"{site}/suggestions?{query}#propose")
    form = page.locator("section.propose form")
    assert sentence in form.locator("p.context").inner_text()
    assert form.locator("textarea[name=comment]").input_value() == sentence
    zh = form.locator("input[name=zh]")
    assert zh.get_attribute("placeholder") == "copy the term from the sentence above"
    zh.fill("联合社")
    form.locator("input[name=en]").fill("federation of cooperatives")
    page.screenshot(path=str(artifacts_dir / "web-propose-from-task.png"), full_page=True)
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=stored; a curator will review it")
    stored = page.locator("li.proposal", has_text="联合社").first
    assert "jl:0a1b2c3d4e5f" in stored.inner_text() and sentence in stored.inner_text()


def test_the_curator_is_greeted_once(site, page, artifacts_dir):
    page.goto(f"{site}/suggestions")
    page.fill("form.signin input[name=token]", TOKEN)
    page.click("form.signin button")
    page.wait_for_selector("text=Curator token accepted")
    assert page.get_by_text("Signed in as curator").count() == 1
    page.screenshot(path=str(artifacts_dir / "web-curator-signed-in.png"), full_page=True)
