"""Push and pull against a real Label Studio (started once per session by the fixture)."""

from __future__ import annotations

import json

import pytest
from labelstudio_fixtures import annotation_result, write_test_corpus

from workbench.labelstudio.project import find_project
from workbench.labelstudio.sync import pull_snapshot, push_corpus
from workbench.snapshot import read_snapshot, read_snapshot_manifest

pytestmark = [pytest.mark.labelstudio, pytest.mark.slow]

DOCS = {
    "d1": [
        "坚持精准扶贫、精准脱贫基本方略。",
        "到2020年稳定实现农村贫困人口两不愁三保障。",
        "各地要压实责任。",
    ],
    "d2": ["全面推进乡村振兴。", "巩固拓展脱贫攻坚成果。"],
}


def project_tasks(server, config) -> dict[str, object]:
    title = config.labelstudio.project_title
    project = find_project(server.client, title)
    assert project is not None
    return {
        t.data["sentence_id"]: t
        for t in server.client.tasks.list(project=project.id, fields="all", page_size=1000)
    }


def annotate(server, task_id: int, translation: str, status: str = "final") -> None:
    server.client.annotations.create(id=task_id, result=annotation_result(translation, status))


def test_push_creates_one_task_per_sentence_with_glossary_predictions(
    labelstudio_server, ls_config
):
    write_test_corpus(ls_config.work_dir, DOCS, glossary_version="v1")

    report = push_corpus(ls_config)

    assert (report.added, report.updated, report.unchanged) == (5, 0, 0)
    assert report.requests == 1  # 5 tasks, one batch
    tasks = project_tasks(labelstudio_server, ls_config)
    assert sorted(tasks) == sorted(
        f"{d}-p{i}-s0" for d, texts in DOCS.items() for i in range(len(texts))
    )
    second = tasks["d1-p1-s0"]
    assert second.data["prev"] == DOCS["d1"][0]
    assert second.data["next"] == DOCS["d1"][2]
    assert "两不愁三保障 → two assurances and three guarantees" in second.data["glossary_hints"]
    [prediction] = second.predictions
    assert prediction.model_version == "glossary-v1"
    [region] = [r for r in prediction.result if r["type"] == "labels"]
    text = second.data["text"]
    assert text[region["value"]["start"] : region["value"]["end"]] == "两不愁三保障"
    assert region["value"]["labels"] == ["POLICY_TERM"]
    [rendering] = [r for r in prediction.result if r["from_name"] == "rendering"]
    assert rendering["id"] == region["id"]
    assert rendering["value"]["text"] == ["two assurances and three guarantees"]
    # context does not leak across documents
    assert tasks["d2-p0-s0"].data["prev"] == ""


def test_push_again_adds_nothing(labelstudio_server, ls_config):
    write_test_corpus(ls_config.work_dir, DOCS)
    push_corpus(ls_config)

    again = push_corpus(ls_config)

    assert (again.added, again.updated, again.unchanged, again.conflicts) == (0, 0, 5, [])
    assert again.requests == 0
    assert len(project_tasks(labelstudio_server, ls_config)) == 5


def test_push_after_edit_updates_unannotated_and_reports_annotated_as_conflict(
    labelstudio_server, ls_config
):
    write_test_corpus(ls_config.work_dir, DOCS)
    push_corpus(ls_config)
    tasks = project_tasks(labelstudio_server, ls_config)
    annotate(labelstudio_server, tasks["d1-p0-s0"].id, "Adhere to targeted poverty alleviation.")

    edited = {
        "d1": [
            "坚持精准扶贫方略。",
            "到2020年稳定实现农村贫困人口两不愁三保障。",
            "各地要压实乡村振兴责任。",
        ],
        "d2": DOCS["d2"] + ["新增一句。"],
    }
    write_test_corpus(ls_config.work_dir, edited)
    report = push_corpus(ls_config)

    # d1-p0 annotated and edited → conflict; d1-p1 (its next changed) and d1-p2 edited →
    # updated; d2-p1 got a next sentence → updated; d2-p2 new
    assert report.conflicts == ["d1-p0-s0"]
    assert report.added == 1
    assert report.updated == 3
    assert report.unchanged == 1
    after = project_tasks(labelstudio_server, ls_config)
    assert len(after) == 6
    assert after["d1-p0-s0"].data["text"] == DOCS["d1"][0]  # annotated task untouched
    updated = after["d1-p2-s0"]
    assert updated.data["text"] == "各地要压实乡村振兴责任。"
    [prediction] = updated.predictions
    [region] = [r for r in prediction.result if r["type"] == "labels"]
    assert updated.data["text"][region["value"]["start"] : region["value"]["end"]] == "乡村振兴"
    assert push_corpus(ls_config).updated == 0  # and now it is settled


def test_new_glossary_version_updates_project_model_version(labelstudio_server, ls_config):
    write_test_corpus(ls_config.work_dir, DOCS, glossary_version="v1")
    push_corpus(ls_config)
    write_test_corpus(ls_config.work_dir, DOCS, glossary_version="v2")

    report = push_corpus(ls_config)

    assert report.updated == 5
    project = find_project(labelstudio_server.client, ls_config.labelstudio.project_title)
    assert project.model_version == "glossary-v2"
    tasks = project_tasks(labelstudio_server, ls_config)
    assert {p.model_version for t in tasks.values() for p in t.predictions} == {"glossary-v2"}


def test_pull_writes_snapshot_with_annotations(labelstudio_server, ls_config):
    write_test_corpus(ls_config.work_dir, DOCS, glossary_version="v7")
    push_corpus(ls_config)
    tasks = project_tasks(labelstudio_server, ls_config)
    annotate(labelstudio_server, tasks["d2-p0-s0"].id, "Fully advance rural revitalization.")
    labelstudio_server.client.annotations.create(
        id=tasks["d1-p2-s0"].id, result=[], was_cancelled=True
    )  # the annotator skipped it

    path = pull_snapshot(ls_config)

    manifest = read_snapshot_manifest(path)
    assert manifest["tasks"] == 5
    assert manifest["annotations"] == 2
    assert manifest["glossary_version"] == "v7"
    records = {r.sentence_id: r.to_dict() for r in read_snapshot(path)}
    record = records["d2-p0-s0"]
    [annotation] = record["annotations"]
    assert annotation["translation"] == "Fully advance rural revitalization."
    assert annotation["status"] == "final"
    assert annotation["annotator"] == labelstudio_server.username
    assert annotation["created_at"]
    assert record["terms"][0]["entry_id"] == "test-0003"
    assert records["d1-p0-s0"]["annotations"] == []
    [skipped] = records["d1-p2-s0"]["annotations"]
    assert skipped["was_cancelled"] is True
    assert skipped["translation"] is None
    json.dumps(record)  # plain JSON all the way down
