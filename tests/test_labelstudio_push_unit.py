"""Push's conflict logic on an in-memory Label Studio (``tests/fake_labelstudio.py``).

What push does with each task it finds — new, unchanged, changed before anyone annotated
it, annotated with its sentence changed, annotated with only its surroundings changed,
gone from the corpus — checked without a server, so the unit tier covers every branch. The
real-server tests in ``test_labelstudio_sync.py`` check the same against Label Studio.
"""

from __future__ import annotations

import math
from typing import cast

import pytest
from fake_labelstudio import FakeLabelStudio
from hypothesis import given, settings
from hypothesis import strategies as st
from label_studio_sdk import LabelStudio

from workbench.errors import LabelStudioError
from workbench.labelstudio.project import ProjectInfo
from workbench.labelstudio.sync import PushReport, push_tasks
from workbench.labelstudio.tasks import HASH_KEY, TaskPayload, build_tasks
from workbench.models import Document, Sentence, TermMatch
from workbench.tm.suggest import TM_HASH, without_suggestions

MODEL = "glossary-unit"
PROJECT = ProjectInfo(id=7, title="unit", created=False, updated=[])
TERM = TermMatch(0, 4, "精准扶贫", "g-1", "精准扶贫", "targeted poverty alleviation")


def corpus_payloads(
    texts: dict[str, str], title: str = "Document", terms: bool = True
) -> list[TaskPayload]:
    """Tasks for sentences ``{sentence id: text}`` of one document, built as push builds them."""
    document = Document(id="d", source_path="d.txt", sha256="", encoding="utf-8", original="")
    document.title = title
    sentences = []
    for index, (sentence_id, text) in enumerate(texts.items()):
        sentence = Sentence(sentence_id, "d", 0, index, text, text, 0, len(text))
        if terms and text.startswith("精准扶贫"):
            sentence.terms = [TERM]
        sentences.append(sentence)
    return without_suggestions(list(build_tasks(sentences, {"d": document}, MODEL)))


def push(server: FakeLabelStudio, payloads: list[TaskPayload], batch_size: int = 100) -> PushReport:
    # The fake implements only the calls push makes, not the SDK's whole type.
    return push_tasks(cast(LabelStudio, server), PROJECT, payloads, MODEL, batch_size)


TEXTS = {"s1": "精准扶贫是基本方略。", "s2": "坚决打赢脱贫攻坚战。", "s3": "巩固拓展脱贫成果。"}


def test_new_sentences_are_imported_in_batches_with_their_predictions():
    server = FakeLabelStudio()
    texts = {f"s{n}": f"第{n}句。" for n in range(25)}
    report = push(server, corpus_payloads(texts), batch_size=10)
    assert (report.added, report.requests) == (25, math.ceil(25 / 10))
    assert [w[0] for w in server.writes] == ["import_tasks"] * 3
    tasks = server.by_sentence(PROJECT.id)
    assert {sid: t.data["text"] for sid, t in tasks.items()} == texts
    with_terms = push(FakeLabelStudio(), corpus_payloads(TEXTS))
    assert with_terms.added == 3


def test_a_second_push_of_the_same_corpus_sends_nothing():
    server = FakeLabelStudio()
    push(server, corpus_payloads(TEXTS))
    server.writes.clear()
    report = push(server, corpus_payloads(TEXTS))
    assert (report.unchanged, report.added, report.updated, report.requests) == (3, 0, 0, 0)
    assert server.writes == []


def test_an_unannotated_task_whose_sentence_changed_is_updated_with_new_predictions():
    server = FakeLabelStudio()
    push(server, corpus_payloads(TEXTS))
    task = server.by_sentence(PROJECT.id)["s2"]
    changed = {**TEXTS, "s2": "精准扶贫，坚决打赢脱贫攻坚战。"}
    server.writes.clear()
    report = push(server, corpus_payloads(changed))
    # s1 and s3 show s2 as their context: they change too, none is annotated.
    assert (report.updated, report.unchanged, report.conflicts) == (3, 0, [])
    assert task.data["text"] == changed["s2"]
    assert len(task.predictions) == 1  # the old prediction removed, the new one imported
    assert task.predictions[0]["result"] and task.predictions[0]["model_version"] == MODEL
    assert [w[0] for w in server.writes] == [
        *["update"] * 3,
        "delete_tasks_predictions",
        "import_predictions",
    ]
    assert report.requests == 3 + 1 + 1


def test_an_annotated_task_whose_sentence_changed_is_a_conflict_left_alone():
    server = FakeLabelStudio()
    push(server, corpus_payloads(TEXTS))
    task = server.by_sentence(PROJECT.id)["s1"]
    server.annotate(task.id)
    before = (dict(task.data), list(task.predictions), list(task.annotations))
    report = push(server, corpus_payloads({**TEXTS, "s1": "精准扶贫是根本方略。"}))
    assert report.conflicts == ["s1"]
    assert report.updated == 1  # s2, unannotated, shows the new s1 as its context
    assert (task.data, task.predictions, task.annotations) == before


def test_a_skipped_task_counts_as_annotated():
    server = FakeLabelStudio()
    push(server, corpus_payloads(TEXTS))
    server.cancel(server.by_sentence(PROJECT.id)["s3"].id)
    report = push(server, corpus_payloads({**TEXTS, "s3": "巩固脱贫成果。"}))
    assert report.conflicts == ["s3"]


def test_an_annotated_task_whose_surroundings_changed_gets_new_data_only():
    server = FakeLabelStudio()
    push(server, corpus_payloads(TEXTS))
    task = server.by_sentence(PROJECT.id)["s1"]
    server.annotate(task.id, "Targeted poverty alleviation is the basic strategy.")
    predictions, annotations = list(task.predictions), list(task.annotations)
    server.writes.clear()
    report = push(server, corpus_payloads(TEXTS, title="A renamed document"))
    assert report.refreshed == 1 and report.updated == 2  # the others are unannotated
    assert task.data["doc_title"] == "A renamed document"
    assert (task.predictions, task.annotations) == (predictions, annotations)
    assert ("update", task.id) in server.writes
    deleted = [ids for name, ids in server.writes if name == "delete_tasks_predictions"]
    assert all(task.id not in ids for ids in deleted)


def test_a_new_tm_suggestion_updates_unannotated_tasks_but_not_annotated_ones():
    server = FakeLabelStudio()
    push(server, corpus_payloads(TEXTS))
    annotated = server.by_sentence(PROJECT.id)["s1"]
    server.annotate(annotated.id)
    payloads = corpus_payloads(TEXTS)
    for payload in payloads:
        payload.data[TM_HASH] = "another-tm"  # the TM changed; the glossary part did not
    report = push(server, payloads)
    assert (report.unchanged, report.updated, report.conflicts) == (1, 2, [])
    assert annotated.data[TM_HASH] != "another-tm"


def test_tasks_gone_from_the_corpus_are_reported_stale_and_kept():
    server = FakeLabelStudio()
    push(server, corpus_payloads(TEXTS))
    report = push(server, corpus_payloads({"s1": TEXTS["s1"]}))
    assert report.stale == ["s2", "s3"]
    assert len(server.project_tasks(PROJECT.id)) == 3


def test_a_task_edited_in_label_studio_is_put_back_unless_annotated():
    server = FakeLabelStudio()
    push(server, corpus_payloads(TEXTS))
    tasks = server.by_sentence(PROJECT.id)
    server.edit_upstream(tasks["s2"].id, text="管理员改过的句子。", **{HASH_KEY: "edited"})
    server.edit_upstream(tasks["s3"].id, text="也改过。", **{HASH_KEY: "edited"})
    server.annotate(tasks["s3"].id)
    report = push(server, corpus_payloads(TEXTS))
    assert tasks["s2"].data["text"] == TEXTS["s2"] and report.updated == 1
    assert report.conflicts == ["s3"] and tasks["s3"].data["text"] == "也改过。"


def test_of_duplicate_tasks_the_annotated_one_is_the_one_push_keeps():
    server = FakeLabelStudio()
    push(server, corpus_payloads(TEXTS))
    server.projects.import_tasks(id=PROJECT.id, request=[{"data": {"sentence_id": "s1"}}])
    copy = max(server.project_tasks(PROJECT.id), key=lambda t: t.id)
    server.annotate(copy.id)
    report = push(server, corpus_payloads(TEXTS))
    assert report.conflicts == ["s1"]  # judged against the annotated copy, not the other
    assert copy.data == {"sentence_id": "s1"}


def test_a_sentence_id_twice_in_the_corpus_is_refused_before_any_write():
    server = FakeLabelStudio()
    payloads = corpus_payloads(TEXTS)
    with pytest.raises(LabelStudioError, match="occurs twice"):
        push(server, [*payloads, payloads[0]])
    assert server.writes == []


@pytest.mark.parametrize("method", ["list", "import_tasks", "update", "import_predictions"])
def test_a_server_error_becomes_a_one_line_label_studio_error(method):
    server = FakeLabelStudio()
    push(server, corpus_payloads(TEXTS))
    server.fail_next(method, status=503)
    with pytest.raises(LabelStudioError, match="answered 503") as caught:
        push(
            server,
            corpus_payloads({**TEXTS, "s2": "精准扶贫，坚决打赢脱贫攻坚战。", "s4": "新句。"}),
        )
    assert "\n" not in str(caught.value)


# -- any sequence of corpus edits, annotations and pushes ---------------------------------

IDS = st.sampled_from(["s1", "s2", "s3", "s4"])
step = st.one_of(
    st.tuples(st.just("edit"), IDS, st.text("精准扶贫脱贫攻坚。", min_size=1, max_size=6)),
    st.tuples(st.just("drop"), IDS, st.just("")),
    st.tuples(st.just("annotate"), IDS, st.just("")),
    st.tuples(st.just("retitle"), st.just(""), st.text("文件标题", min_size=1, max_size=4)),
    st.tuples(st.just("push"), st.just(""), st.just("")),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(step, max_size=25))
def test_push_never_touches_an_annotation_and_leaves_unannotated_tasks_current(steps):
    server = FakeLabelStudio()
    texts = dict(TEXTS)
    title = "Document"
    push(server, corpus_payloads(texts, title))
    for action, sentence_id, value in steps:
        tasks = server.by_sentence(PROJECT.id)
        if action == "edit":
            texts[sentence_id] = value
        elif action == "drop":
            texts.pop(sentence_id, None)
        elif action == "retitle":
            title = value
        elif action == "annotate" and sentence_id in tasks:
            server.annotate(tasks[sentence_id].id)
        elif action == "push":
            annotated = {
                t.id: (t.data.get("text"), list(t.annotations))
                for t in server.project_tasks(PROJECT.id)
                if t.annotations
            }
            payloads = corpus_payloads(texts, title)
            report = push(server, payloads)
            assert report.total == len(payloads)
            for task in server.project_tasks(PROJECT.id):
                if task.id in annotated:  # the sentence an annotation points into stays
                    assert (task.data.get("text"), task.annotations) == annotated[task.id]
            current = server.by_sentence(PROJECT.id)
            for payload in payloads:
                task = current[payload.sentence_id]
                if payload.sentence_id not in report.conflicts and not task.annotations:
                    assert task.data == payload.data
            assert set(report.stale) == set(current) - set(texts)
