"""The annotator sees a TM suggestion in the translation box, in real Chromium and Label Studio."""

from __future__ import annotations

import re

import pytest
from labelstudio_fixtures import write_test_corpus
from test_labelstudio_browser import UI_TIMEOUT, log_in

from workbench.labelstudio.sync import pull_snapshot, push_corpus
from workbench.snapshot import read_snapshot
from workbench.tm.store import TmPair, TranslationMemory, tm_path

pytestmark = [pytest.mark.labelstudio, pytest.mark.browser, pytest.mark.slow]

STORED = "到2020年稳定实现农村贫困人口两不愁三保障。"
STORED_EN = "By 2020, rural poor people will reliably have the two assurances and three guarantees."
SIMILAR = "到2020年稳定实现城镇贫困人口两不愁三保障。"


def test_fuzzy_match_prefills_the_translation_and_an_unchanged_submit_is_recorded_as_tm(
    labelstudio_server, ls_config, page, artifacts_dir
):
    with TranslationMemory(tm_path(ls_config)) as tm:
        tm.add_pairs([TmPair(STORED, STORED_EN, origin="aligned", score=0.9)])
    write_test_corpus(ls_config.work_dir, {"doc-t": [SIMILAR]})
    report = push_corpus(ls_config)
    client = labelstudio_server.client
    [task] = list(client.tasks.list(project=report.project_id, page_size=10))
    score = f"{1 - 2 / len(SIMILAR):.0%}"

    log_in(page, labelstudio_server)
    page.goto(f"{labelstudio_server.url}/projects/{report.project_id}/data")
    page.get_by_text("doc-t-p0-s0", exact=True).click()

    page.locator(".wb-sentence").get_by_text("两不愁三保障").first.wait_for(timeout=UI_TIMEOUT)
    # the suggestion is the translation box's value, and the TM block shows its score
    suggestion = page.locator(f":text-is('{STORED_EN}')")
    suggestion.first.wait_for(timeout=UI_TIMEOUT)
    assert page.locator('textarea[name="translation"]').count() == 0  # box already filled
    tm_block = page.locator(".wb-tm").inner_text()
    assert f"In the translation box: {score} aligned: {STORED_EN}" in tm_block
    page.screenshot(path=str(artifacts_dir / "tm-suggestion.png"), full_page=True)

    with page.expect_response(
        lambda r: (
            r.request.method == "POST"
            and re.search(rf"/api/tasks/{task.id}/annotations", r.url) is not None
        ),
        timeout=UI_TIMEOUT,
    ) as posted:
        page.locator('[data-testid="bottombar-submit-button"]').click()
    assert posted.value.status == 201

    [record] = [task.to_dict() for task in read_snapshot(pull_snapshot(ls_config))]
    [annotation] = record["annotations"]
    assert annotation["translation"] == STORED_EN
    assert annotation["translation_from_tm"] is True
    assert record["tm_match"]["score"] == pytest.approx(1 - 2 / len(SIMILAR), abs=1e-4)
