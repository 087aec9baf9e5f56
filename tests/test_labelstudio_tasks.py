"""Sentence → task conversion and annotation → snapshot record parsing (no server)."""

from __future__ import annotations

import pytest

from workbench.labelstudio.results import annotation_record, parse_result
from workbench.labelstudio.tasks import (
    build_task,
    build_tasks,
    context_html,
    glossary_hints,
    model_version_for,
    prediction_result,
)
from workbench.models import Document, Sentence, TermMatch

TERM_FP = TermMatch(2, 6, "精準扶貧", "e1", "精准扶贫", "targeted poverty alleviation")


def sentence(
    sid: str, text: str, doc: str = "d1", terms: list[TermMatch] | None = None
) -> Sentence:
    return Sentence(
        id=sid,
        doc_id=doc,
        paragraph=0,
        index=0,
        text=text,
        source_text=text,
        start=0,
        end=len(text),
        terms=terms or [],
    )


def document(doc_id: str, title: str | None) -> Document:
    return Document(
        id=doc_id,
        source_path=f"{doc_id}.txt",
        sha256="",
        encoding="utf-8",
        original="",
        title=title,
    )


def test_prediction_regions_slice_the_task_text_even_in_traditional_script():
    s = sentence("s1", "堅持精準扶貧方略。", terms=[TERM_FP])

    [region, rendering] = prediction_result(s)

    value = region["value"]
    assert s.text[value["start"] : value["end"]] == value["text"] == "精準扶貧"
    assert value["labels"] == ["POLICY_TERM"]
    assert (region["from_name"], region["to_name"], region["type"]) == (
        "entities",
        "text",
        "labels",
    )
    assert rendering["id"] == region["id"]
    assert rendering["from_name"] == "rendering"
    assert rendering["value"]["text"] == ["targeted poverty alleviation"]


def test_prediction_regions_of_repeated_term_have_distinct_ids():
    text = "扶贫先扶志，扶贫必扶智。"
    terms = [TermMatch(0, 2, "扶贫", "e", "扶贫", "x"), TermMatch(5, 7, "扶贫", "e", "扶贫", "x")]

    result = prediction_result(sentence("s", text, terms=terms))

    ids = {r["id"] for r in result if r["type"] == "labels"}
    assert len(ids) == 2


def test_glossary_hints_list_each_term_once_in_order_of_appearance():
    terms = [
        TermMatch(0, 2, "扶贫", "e1", "扶贫", "poverty alleviation"),
        TermMatch(3, 7, "乡村振兴", "e2", "乡村振兴", "rural revitalization"),
        TermMatch(8, 10, "扶贫", "e1", "扶贫", "poverty alleviation"),
    ]

    assert glossary_hints(terms) == "扶贫 → poverty alleviation\n乡村振兴 → rural revitalization"


def test_glossary_hints_show_the_written_form_then_the_head_form_of_a_variant():
    terms = [
        TermMatch(0, 3, "合作社", "e3", "农民合作社", "farmers' cooperative"),
        TermMatch(4, 8, "精準扶貧", "e1", "精准扶贫", "targeted poverty alleviation"),
        TermMatch(9, 11, "扶贫", "e2", "扶贫", "poverty alleviation"),
    ]

    assert glossary_hints(terms).splitlines() == [
        "合作社 (head form 农民合作社) → farmers' cooperative",
        "精準扶貧 (head form 精准扶贫) → targeted poverty alleviation",
        "扶贫 → poverty alleviation",
    ]


def test_context_rows_are_labelled_escaped_and_empty_ones_left_out():
    html = context_html([("Speaker", None), ("Previous sentence", "<b>甲</b>"), ("Next", "")])

    assert "Speaker" not in html and "Next" not in html
    assert '<span class="wb-label">Previous sentence</span>' in html
    assert "&lt;b&gt;甲&lt;/b&gt;" in html and "<b>" not in html
    assert context_html([("Speaker", ""), ("Previous sentence", None)]) == ""


def test_heading_task_has_no_context_above_and_a_labelled_next_row():
    heading = sentence("h", "一、主要工作成效")
    body = sentence("b", "全省脱贫。")
    body.speaker = "杨春霆"

    tasks = {t.sentence_id: t.data for t in build_tasks([heading, body], {}, "m")}

    assert tasks["h"]["context_before"] == ""
    assert "Next sentence" in tasks["h"]["context_after"]
    assert "全省脱贫。" in tasks["h"]["context_after"]
    assert "Speaker" in tasks["b"]["context_before"]
    assert "杨春霆" in tasks["b"]["context_before"]
    assert "Previous sentence" in tasks["b"]["context_before"]
    assert tasks["b"]["context_after"] == ""


def test_propose_link_opens_the_service_form_with_the_sentence_as_context():
    from html import unescape
    from urllib.parse import parse_qs, urlsplit

    s = sentence("d1:abc", "发展<农民>专业合作社&联合社。")
    task = build_task(s, None, None, None, "m", service_url="http://127.0.0.1:5005/")
    without = build_task(s, None, None, None, "m")

    href = unescape(task.data["propose_link"].split('href="')[1].split('"')[0])
    parts = urlsplit(href)
    assert (parts.netloc, parts.path, parts.fragment) == (
        "127.0.0.1:5005",
        "/suggestions",
        "propose",
    )
    assert parse_qs(parts.query) == {"context": [s.text], "sentence_id": ["d1:abc"]}
    assert "<农民>" not in task.data["propose_link"]  # escaped in the HTML
    assert without.data["propose_link"] == ""


@pytest.mark.parametrize(
    ("glossary_version", "expected"),
    [("abc123", "glossary-abc123"), (None, "glossary-none"), ("", "glossary-none")],
)
def test_model_version_is_named_after_glossary_version(glossary_version, expected):
    assert model_version_for(glossary_version) == expected


def test_build_tasks_gives_context_within_a_document_only():
    sentences = [
        sentence("a0", "甲一。", "a"),
        sentence("a1", "甲二。", "a"),
        sentence("b0", "乙一。", "b"),
        sentence("b1", "乙二。", "b"),
        sentence("b2", "乙三。", "b"),
    ]
    docs = {"a": document("a", "文件甲"), "b": document("b", None)}

    tasks = {t.sentence_id: t.data for t in build_tasks(iter(sentences), docs, "glossary-x")}

    assert list(tasks) == ["a0", "a1", "b0", "b1", "b2"]
    assert (tasks["a0"]["prev"], tasks["a0"]["next"]) == ("", "甲二。")
    assert (tasks["a1"]["prev"], tasks["a1"]["next"]) == ("甲一。", "")
    assert (tasks["b0"]["prev"], tasks["b0"]["next"]) == ("", "乙二。")
    assert (tasks["b1"]["prev"], tasks["b1"]["next"]) == ("乙一。", "乙三。")
    assert (tasks["b2"]["prev"], tasks["b2"]["next"]) == ("乙二。", "")
    assert tasks["a0"]["doc_title"] == "文件甲"
    assert tasks["b0"]["doc_title"] == "b"  # no title: the document id stands in


@pytest.mark.parametrize("count", [1, 2, 3])
def test_build_tasks_emits_every_sentence_of_short_documents(count):
    sentences = [sentence(f"s{i}", f"第{i}句。") for i in range(count)]

    tasks = list(build_tasks(iter(sentences), {}, "m"))

    assert [t.sentence_id for t in tasks] == [s.id for s in sentences]


def test_content_hash_changes_with_text_context_or_glossary_version_only():
    s = sentence("s1", "堅持精準扶貧方略。", terms=[TERM_FP])
    base = build_task(s, None, None, None, "glossary-1").content_hash

    assert build_task(s, None, None, None, "glossary-1").content_hash == base
    assert build_task(s, None, None, None, "glossary-2").content_hash != base
    nxt = sentence("s2", "下一句。")
    assert build_task(s, None, None, nxt, "glossary-1").content_hash != base
    edited = sentence("s1", "堅持精準扶貧基本方略。", terms=[TERM_FP])
    assert build_task(edited, None, None, None, "glossary-1").content_hash != base


def test_task_import_carries_prediction_only_when_terms_matched():
    with_terms = build_task(
        sentence("s1", "堅持精準扶貧。", terms=[TERM_FP]), None, None, None, "m"
    )
    without = build_task(sentence("s2", "各地要压实责任。"), None, None, None, "m")

    assert with_terms.to_import()["predictions"][0]["model_version"] == "m"
    assert "predictions" not in without.to_import()
    assert without.data["glossary_hints"]  # says there is no term rather than staying blank


RESULT = [
    {"id": "r1", "from_name": "entities", "to_name": "text", "type": "labels",
     "value": {"start": 5, "end": 9, "text": "精准扶贫", "labels": ["POLICY_TERM"]}},
    {"id": "r1", "from_name": "rendering", "to_name": "text", "type": "textarea",
     "value": {"start": 5, "end": 9, "text": ["targeted poverty alleviation"]}},
    {"id": "r0", "from_name": "entities", "to_name": "text", "type": "labels",
     "value": {"start": 0, "end": 3, "text": "国务院", "labels": ["ORG"]}},
    {"id": "t", "from_name": "translation", "to_name": "text", "type": "textarea",
     "value": {"text": ["The State Council ", "adheres to it."]}},
    {"id": "s", "from_name": "status", "to_name": "text", "type": "choices",
     "value": {"choices": ["needs_review"]}},
    {"id": "g", "from_name": "segmentation", "to_name": "text", "type": "choices",
     "value": {"choices": ["merge"]}},
]  # fmt: skip


def test_parse_result_names_every_field_and_ties_renderings_to_regions():
    fields = parse_result(RESULT)

    assert fields["translation"] == "The State Council \nadheres to it."
    assert fields["status"] == "needs_review"
    assert fields["segmentation"] == "merge"
    assert fields["entities"] == [
        {"start": 0, "end": 3, "text": "国务院", "label": "ORG", "rendering": None},
        {
            "start": 5,
            "end": 9,
            "text": "精准扶贫",
            "label": "POLICY_TERM",
            "rendering": "targeted poverty alleviation",
        },
    ]


def test_parse_result_of_empty_annotation_has_no_values():
    assert parse_result([]) == {
        "translation": None,
        "status": None,
        "segmentation": None,
        "entities": [],
    }


@pytest.mark.parametrize(
    ("completed_by", "expected"),
    [(7, "ann@example.org"), ({"id": 7, "email": "x@example.org"}, "x@example.org"), (99, "99")],
)
def test_annotation_record_names_the_annotator(completed_by, expected):
    annotation = {
        "id": 3,
        "completed_by": completed_by,
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:01:00Z",
        "lead_time": 12.5,
        "was_cancelled": False,
        "result": RESULT,
    }

    record = annotation_record(annotation, {7: "ann@example.org"})

    assert record["annotator"] == expected
    assert record["lead_time"] == 12.5
    assert record["status"] == "needs_review"
    assert record["result"] == RESULT


def test_mined_candidates_written_in_the_sentence_get_one_click_proposal_links():
    from html import unescape
    from urllib.parse import parse_qs, urlsplit

    from workbench.labelstudio.tasks import candidates_in

    text = "发展农民专业合作社联合社，带动建档立卡户增收。"
    glossary_term = TermMatch(4, 9, "专业合作社", "e", "专业合作社", "specialized cooperative")
    candidates = ["建档立卡户", "联合社", "专业合作社", "不在句中"]

    found = candidates_in(text, [glossary_term], candidates)
    task = build_task(
        sentence("s", text, terms=[glossary_term]),
        None,
        None,
        None,
        "m",
        service_url="http://127.0.0.1:5005",
        candidates=candidates,
    )

    assert found == ["联合社", "建档立卡户"]  # in sentence order; the glossary's own left out
    hrefs = [unescape(part.split('"')[0]) for part in task.data["propose_link"].split('href="')[1:]]
    prefilled = [parse_qs(urlsplit(href).query).get("zh") for href in hrefs]
    assert prefilled == [None, ["联合社"], ["建档立卡户"]]
    assert all(parse_qs(urlsplit(h).query)["context"] == [text] for h in hrefs)


def test_push_reads_the_mined_review_queue_for_candidate_links(tmp_path):
    from workbench.config import load_config
    from workbench.glossary.mine import Candidate
    from workbench.glossary.termbase import render_tsv
    from workbench.labelstudio.sync import mined_candidates

    config = load_config(overrides={"paths": {"work_dir": str(tmp_path)}}, environ={})
    assert mined_candidates(config) == []  # no queue: no links, no error
    queue = tmp_path / "glossary" / "mined.tsv"
    queue.parent.mkdir()
    rows = [Candidate("联合社", frequency=3), Candidate("建档立卡户", frequency=2)]
    queue.write_text(render_tsv(c.to_entry() for c in rows), encoding="utf-8")

    assert mined_candidates(config) == ["联合社", "建档立卡户"]
