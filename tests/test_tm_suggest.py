"""TM suggestions in tasks, learning from pulls, and the ML backend (real Label Studio)."""

from __future__ import annotations

from pathlib import Path

import pytest
from labelstudio_fixtures import annotation_result, write_test_corpus

from workbench.config import load_config
from workbench.labelstudio.ml_backend import create_ml_app
from workbench.labelstudio.project import find_project
from workbench.labelstudio.sync import pull_snapshot, push_corpus
from workbench.models import SnapshotTask
from workbench.tm.store import TmPair, TranslationMemory, tm_path
from workbench.tm.suggest import TaskSuggester, came_from_tm, learn_from_records

STORED = "到2020年稳定实现农村贫困人口两不愁三保障。"
STORED_EN = "By 2020, rural poor people will reliably have the two assurances and three guarantees."
SIMILAR = "到2020年稳定实现城镇贫困人口两不愁三保障。"  # two characters differ


def _config(tmp_path: Path, **tm: object):
    return load_config(overrides={"paths": {"work_dir": str(tmp_path / "work")}, "tm": tm})


def _store(config, pairs: list[TmPair]) -> None:
    with TranslationMemory(tm_path(config)) as tm:
        tm.add_pairs(pairs)


def test_the_best_match_and_further_ones_are_offered(tmp_path: Path) -> None:
    config = _config(tmp_path, suggest_min_score=0.8, hint_matches=1)
    _store(config, [TmPair(STORED, STORED_EN), TmPair(SIMILAR[:-1] + "！", "Other.")])
    suggester = TaskSuggester.from_config(config)
    assert suggester is not None
    suggestion = suggester.suggest(SIMILAR)
    suggester.close()
    assert suggestion.best is not None and suggestion.best.pair.en == "Other."
    assert [m.pair.en for m in suggestion.others] == [STORED_EN]
    assert not suggestion.propagate


def test_no_tm_or_suggest_off_means_no_suggester(tmp_path: Path) -> None:
    assert TaskSuggester.from_config(_config(tmp_path)) is None
    config = _config(tmp_path, suggest=False)
    _store(config, [TmPair(STORED, STORED_EN)])
    assert TaskSuggester.from_config(config) is None


def test_only_an_exact_repeat_of_a_final_translation_is_propagated(tmp_path: Path) -> None:
    config = _config(tmp_path, propagate_exact=True)
    _store(config, [TmPair(STORED, STORED_EN, origin="annotated"), TmPair(SIMILAR, "x.")])
    suggester = TaskSuggester.from_config(config)
    assert suggester is not None
    assert suggester.suggest(STORED).propagate
    assert not suggester.suggest(SIMILAR).propagate  # imported, not a final annotation
    suggester.close()


def test_learning_takes_final_annotations_only(tmp_path: Path) -> None:
    def annotation(translation: str, status: str, cancelled: bool = False) -> dict:
        return {"translation": translation, "status": status, "was_cancelled": cancelled}

    records = [
        {"text": STORED, "doc_id": "d", "annotations": [annotation(STORED_EN, "final")]},
        {"text": SIMILAR, "annotations": [annotation("Draft.", "draft")]},
        {"text": "各地要压实责任。", "annotations": [annotation("Cancelled.", "final", True)]},
        {"text": "全面推进乡村振兴。", "annotations": [annotation("", "final")]},
    ]
    records = [SnapshotTask.from_dict(record) for record in records]
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        assert learn_from_records(tm, records, "snap-1") == 1
        assert learn_from_records(tm, records, "snap-2") == 0  # re-pulling adds nothing
        [pair] = tm.pairs()
    assert (pair.zh, pair.en, pair.origin) == (STORED, STORED_EN, "annotated")
    assert pair.provenance == {"doc_id": "d", "source_file": "snap-1"}


def test_came_from_tm_compares_the_submitted_translation_with_the_offer() -> None:
    offer = {"id": "tm-1", "score": 0.9, "suggestion": STORED_EN}
    assert came_from_tm({"translation": STORED_EN}, offer) is True
    assert came_from_tm({"translation": "Changed."}, offer) is False
    assert came_from_tm({"translation": STORED_EN}, None) is None


def test_ml_backend_prefills_the_translation_with_the_tm_score(tmp_path: Path) -> None:
    config = _config(tmp_path)
    write_test_corpus(config.work_dir, {"d": ["x"]}, glossary_version="mltm1")
    _store(config, [TmPair(STORED, STORED_EN)])
    app = create_ml_app(config, glossary=_NoGlossary())
    response = app.test_client().post("/predict", json={"tasks": [{"data": {"text": SIMILAR}}]})
    [result] = response.get_json()["results"]
    [item] = [r for r in result["result"] if r["from_name"] == "translation"]
    assert item["value"]["text"] == [STORED_EN]
    assert result["score"] == pytest.approx(1 - 2 / len(SIMILAR), abs=1e-4)
    assert result["model_version"].startswith("glossary-none+tm-")


class _NoGlossary:
    version = None

    def matcher(self):
        return self

    def find(self, text: str) -> list:
        return []


@pytest.mark.labelstudio
@pytest.mark.slow
def test_a_final_annotation_pulled_is_suggested_on_a_similar_task_after_push(
    labelstudio_server, ls_config
):
    write_test_corpus(ls_config.work_dir, {"d": [STORED, SIMILAR, "各地要压实责任。"]})
    first = push_corpus(ls_config)
    assert "+tm-" not in first.model_version  # no TM yet
    client = labelstudio_server.client
    tasks = {t.data["sentence_id"]: t for t in client.tasks.list(project=first.project_id)}
    assert tasks["d-p1-s0"].data["tm_suggestions"] == "(no translation-memory match)"
    client.annotations.create(id=tasks["d-p0-s0"].id, result=annotation_result(STORED_EN, "final"))

    pull_snapshot(ls_config)  # the final translation enters the TM
    second = push_corpus(ls_config)

    assert second.model_version.startswith(first.model_version + "+tm-")
    assert second.conflicts == []  # the annotated task's own TM change is no conflict
    project = find_project(client, ls_config.labelstudio.project_title)
    assert project is not None and project.model_version == second.model_version
    tasks = {
        t.data["sentence_id"]: t for t in client.tasks.list(project=first.project_id, fields="all")
    }
    similar = tasks["d-p1-s0"]
    assert similar.data["tm_match"]["suggestion"] == STORED_EN
    assert f"{1 - 2 / len(SIMILAR):.0%} annotated: {STORED_EN}" in similar.data["tm_suggestions"]
    [prediction] = [p for p in similar.predictions if p.model_version == second.model_version]
    [item] = [r for r in prediction.result if r["from_name"] == "translation"]
    assert item["value"]["text"] == [STORED_EN]
    assert prediction.score == pytest.approx(similar.data["tm_match"]["score"])
    assert push_corpus(ls_config).unchanged == 3  # nothing changed since: nothing updated


@pytest.mark.labelstudio
@pytest.mark.slow
def test_an_exact_repeat_of_a_final_translation_arrives_annotated_and_marked(
    labelstudio_server, tmp_path
):
    config = load_config(
        overrides={
            "paths": {"work_dir": str(tmp_path / "work")},
            "labelstudio": {
                "url": labelstudio_server.url,
                "token": labelstudio_server.token,
                "project_title": f"test-tm-{tmp_path.name[-10:]}",
            },
            "tm": {"propagate_exact": True},
        }
    )
    _store(config, [TmPair(STORED, STORED_EN, origin="annotated")])
    write_test_corpus(
        config.work_dir, {"d": ["確保到2020年穩定實現農村貧困人口兩不愁三保障。", STORED]}
    )
    report = push_corpus(config)
    client = labelstudio_server.client
    tasks = {
        t.data["sentence_id"]: t for t in client.tasks.list(project=report.project_id, fields="all")
    }
    repeat = tasks["d-p1-s0"]
    assert repeat.data["tm_propagated"].startswith("tm-")
    [annotation] = client.annotations.list(id=repeat.id)
    by_name = {item["from_name"]: item for item in annotation.result}
    assert by_name["translation"]["value"]["text"] == [STORED_EN]
    assert by_name["status"]["value"]["choices"] == ["final"]
    assert not client.annotations.list(id=tasks["d-p0-s0"].id)  # a fuzzy match is not
