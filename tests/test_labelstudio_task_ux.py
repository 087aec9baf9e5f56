"""What a new annotator sees in a task, checked in real headless Chromium (issue 14).

One project with a heading (no speaker, no previous sentence), a spoken sentence whose
glossary regions touch and whose term is written as a variant, and a closing sentence.
The task is opened from the Data Manager by clicking the sentence itself, which only
works when the sentence is a visible column.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from test_labelstudio_browser import UI_TIMEOUT, log_in

from workbench.corpus import corpus_dir, write_corpus
from workbench.glossary.mine import Candidate
from workbench.glossary.termbase import render_tsv
from workbench.labelstudio.sync import push_corpus
from workbench.models import Document, Sentence, TermMatch

pytestmark = [pytest.mark.labelstudio, pytest.mark.browser, pytest.mark.slow]

HEADING = "一、主要工作成效"
SPOKEN = "全省建档立卡贫困人口脱贫，合作社带动增收。"
CLOSING = "感谢大家。"
# 建档立卡贫困人口 and 脱贫 touch; 合作社 is a variant of the head form 农民合作社
TERMS = [
    TermMatch(2, 10, "建档立卡贫困人口", "t-1", "建档立卡贫困人口", "registered poor population"),
    TermMatch(10, 12, "脱贫", "t-2", "脱贫", "be lifted out of poverty"),
    TermMatch(13, 16, "合作社", "t-3", "农民合作社", "farmers' cooperative"),
]


def write_corpus_with_speaker(work_dir) -> None:
    texts = [HEADING, SPOKEN, CLOSING]
    original = "\n".join(texts)
    document = Document(
        id="jl",
        source_path="jl.txt",
        sha256="0" * 64,
        encoding="utf-8",
        original=original,
        title="吉林精准脱贫攻坚战新闻发布会",
        source="吉林省",
        paragraphs=3,
        sentences=3,
    )
    sentences, offset = [], 0
    for number, text in enumerate(texts):
        sentences.append(
            Sentence(
                id=f"jl-{number}",
                doc_id="jl",
                paragraph=number,
                index=0,
                text=text,
                source_text=text,
                start=offset,
                end=offset + len(text),
                speaker=None if number == 0 else "杨春霆",
                kind="heading" if number == 0 else "body",
                terms=TERMS if text == SPOKEN else [],
            )
        )
        offset += len(text) + 1
    write_corpus(corpus_dir(work_dir), [(document, sentences)], {"glossary_version": "ux1"})


def open_task_by_sentence(page, server, project_id: int, text: str, shot=None) -> None:
    page.goto(f"{server.url}/projects/{project_id}/data")
    page.get_by_text(text, exact=True).first.wait_for(timeout=UI_TIMEOUT)
    if shot is not None:
        # the Sentences tab: the sentence is a column, the HTML context rows are not
        assert page.get_by_text("text", exact=True).count() >= 1  # the column header
        for hidden in ("context_before", "context_after", "glossary_hints", "propose_link"):
            assert page.get_by_text(hidden, exact=True).count() == 0, hidden
        assert page.get_by_text("Sentences", exact=True).count() >= 1
        page.screenshot(path=str(shot), full_page=True)
    # the sentence is a Data Manager column: a translator finds the task by its text
    page.get_by_text(text, exact=True).first.click(timeout=UI_TIMEOUT)
    page.locator(".wb-sentence", has_text=text).first.wait_for(timeout=UI_TIMEOUT)


def test_task_labels_context_shows_variant_hints_separate_regions_radios_and_propose_link(
    labelstudio_server, ls_config, page, artifacts_dir
):
    write_corpus_with_speaker(ls_config.work_dir)
    queue = ls_config.work_dir / "glossary" / "mined.tsv"  # as `workbench glossary mine` writes
    queue.parent.mkdir(parents=True)
    queue.write_text(render_tsv([Candidate("带动增收").to_entry()]), encoding="utf-8")
    report = push_corpus(ls_config)
    log_in(page, labelstudio_server)

    dm_shot = artifacts_dir / "labelstudio-data-manager.png"
    open_task_by_sentence(page, labelstudio_server, report.project_id, SPOKEN, dm_shot)
    sentence = page.locator(".wb-sentence")
    regions = sentence.locator(".htx-highlight")
    regions.first.wait_for(timeout=UI_TIMEOUT)

    # labelled context rows
    before = page.locator(".wb-context").first.inner_text()
    after = page.locator(".wb-context").nth(1).inner_text()
    assert "SPEAKER" in before.upper() and "杨春霆" in before
    assert "PREVIOUS SENTENCE" in before.upper() and HEADING in before
    assert "NEXT SENTENCE" in after.upper() and CLOSING in after

    # the hint shows the form as written, then the head form
    hints = page.locator(".wb-hints").inner_text()
    assert "合作社 (head form 农民合作社) → farmers' cooperative" in hints

    # touching regions are drawn apart: a gap between their boxes, and an outline each
    boxes = {}
    for region in regions.all():
        text = region.inner_text()
        if text in ("建档立卡贫困人口", "脱贫"):
            boxes[text] = region.bounding_box()
    assert set(boxes) == {"建档立卡贫困人口", "脱贫"}, boxes
    left, right = boxes["建档立卡贫困人口"], boxes["脱贫"]
    assert right["x"] - (left["x"] + left["width"]) >= 1, (left, right)
    shadow = regions.first.evaluate("el => getComputedStyle(el).boxShadow")
    assert shadow and shadow != "none"

    # single-choice Status and Segmentation are radio buttons
    choices = page.locator(".lsf-choices")
    assert choices.locator('input[type="radio"]').count() == 6
    assert choices.locator('input[type="checkbox"]').count() == 0

    # the proposal link opens the service form with the sentence as context
    link = page.locator("a.wb-propose")
    href = link.get_attribute("href")
    query = parse_qs(urlsplit(href).query)
    assert href.startswith("http://127.0.0.1:")
    assert query["context"] == [SPOKEN] and query["sentence_id"] == ["jl-1"]
    candidate = page.locator("a.wb-propose-term")
    assert candidate.inner_text() == "带动增收"
    assert parse_qs(urlsplit(candidate.get_attribute("href")).query)["zh"] == ["带动增收"]
    page.screenshot(path=str(artifacts_dir / "labelstudio-task-ux.png"), full_page=True)

    page.get_by_label("final").check()
    assert page.get_by_label("final").is_checked()

    # a heading task: no speaker and no previous sentence, so nothing above the sentence
    open_task_by_sentence(page, labelstudio_server, report.project_id, HEADING)
    before = page.locator(".wb-context").first
    assert before.inner_text().strip() == ""
    assert before.bounding_box()["height"] < 4
    assert "NEXT SENTENCE" in page.locator(".wb-context").nth(1).inner_text().upper()
    page.screenshot(path=str(artifacts_dir / "labelstudio-task-heading.png"), full_page=True)
