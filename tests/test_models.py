"""The records that cross stage borders: one JSON shape each, round trips, old shapes read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import InputError
from workbench.models import (
    ProjectStatus,
    Sentence,
    SentencePair,
    ServerStatus,
    SnapshotAnnotation,
    SnapshotTask,
    TermMatch,
    WorkspaceStatus,
)
from workbench.snapshot import read_snapshot, write_snapshot

text = st.text(max_size=12)
maybe_text = st.none() | text
offsets = st.integers(min_value=0, max_value=10_000)

term_matches = st.builds(TermMatch, offsets, offsets, text, text, text, text)
annotations = st.builds(
    SnapshotAnnotation,
    id=st.none() | st.integers(0, 10**6),
    annotator=maybe_text,
    role=st.sampled_from([None, "annotator", "reviewer"]),
    updated_at=maybe_text,
    lead_time=st.none() | st.floats(0, 1e4),
    was_cancelled=st.booleans(),
    ground_truth=st.booleans(),
    translation=maybe_text,
    status=st.sampled_from([None, "draft", "final", "needs_review"]),
    entities=st.lists(st.fixed_dictionaries({"start": offsets, "end": offsets}), max_size=2),
    translation_from_tm=st.none() | st.booleans(),
)
tasks = st.builds(
    SnapshotTask,
    task_id=st.none() | st.integers(0, 10**6),
    sentence_id=maybe_text,
    doc_id=maybe_text,
    text=maybe_text,
    terms=st.lists(term_matches, max_size=3),
    annotations=st.lists(annotations, max_size=3),
    tm_propagated=st.none() | st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(tasks)
def test_snapshot_task_round_trips_through_json(task: SnapshotTask) -> None:
    assert SnapshotTask.from_dict(json.loads(json.dumps(task.to_dict()))) == task


@settings(max_examples=40, deadline=None)
@given(st.lists(term_matches, max_size=3))
def test_sentence_pair_round_trips_with_typed_terms(terms: list[TermMatch]) -> None:
    pair = SentencePair(id="s", doc_id="d", zh="中文", en="English", terms=terms)
    data = json.loads(json.dumps(pair.to_dict()))
    assert all(set(t) == {"start", "end", "text", "entry_id", "zh", "en"} for t in data["terms"])
    assert SentencePair.from_dict(data) == pair


def test_term_match_has_one_shape_and_still_reads_the_old_id_key() -> None:
    match = TermMatch(2, 6, "精準扶貧", "pov-001", "精准扶贫", "targeted poverty alleviation")
    assert list(match.to_dict()) == ["start", "end", "text", "entry_id", "zh", "en"]
    old = {**match.to_dict(), "id": "pov-001"}
    del old["entry_id"]
    assert TermMatch.from_dict(old) == match  # what `glossary match` printed before 0.2


def test_corpus_sentence_with_old_shaped_terms_is_read() -> None:
    data = {
        "id": "d-p0-s0",
        "doc_id": "d",
        "paragraph": 0,
        "index": 0,
        "text": "精准扶贫",
        "source_text": "精准扶贫",
        "start": 0,
        "end": 4,
        "terms": [
            {"start": 0, "end": 4, "text": "精准扶贫", "id": "p1", "zh": "精准扶贫", "en": "x"}
        ],
    }
    [term] = Sentence.from_dict(data).terms
    assert term.entry_id == "p1"


@pytest.mark.parametrize(
    ("record", "key"),
    [
        ({"task_id": 1, "txet": "错字"}, "txet"),
        ({"task_id": 1, "annotations": [{"id": 1, "translaton": "x"}]}, "translaton"),
    ],
)
def test_unknown_keys_in_a_snapshot_name_file_line_and_key(
    tmp_path: Path, record: dict, key: str
) -> None:
    path = write_snapshot(tmp_path, [{"task_id": 0}], {"project_id": 1})
    lines = path / "tasks.jsonl"
    lines.write_text(
        lines.read_text(encoding="utf-8") + json.dumps(record) + "\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=rf"tasks\.jsonl:2: unknown key\(s\) {key}"):
        list(read_snapshot(path))


def test_writing_a_snapshot_refuses_a_record_of_another_shape(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown key"):
        write_snapshot(tmp_path, [{"task_id": 1, "label": "x"}], {"project_id": 1})


def test_snapshot_written_before_tm_and_team_fields_reads_with_defaults(tmp_path: Path) -> None:
    old = {"task_id": 3, "sentence_id": "s", "text": "文本", "annotations": [{"id": 9}]}
    [task] = read_snapshot(write_snapshot(tmp_path, [old], {"project_id": 1}))
    [annotation] = task.annotations
    assert (task.tm_match, task.terms) == (None, [])
    assert (annotation.role, annotation.translation_from_tm, annotation.was_cancelled) == (
        None,
        None,
        False,
    )
    assert not annotation.is_reviewer_decision


def test_workspace_status_json_shape() -> None:
    down = WorkspaceStatus(
        labelstudio=ServerStatus(url="http://127.0.0.1:8080", reachable=False),
        service=ServerStatus(),
        ml_backend=ServerStatus(),
    )
    data = down.to_dict()
    assert list(data) == ["labelstudio", "service", "ml_backend", "database", "progress"]
    assert data["labelstudio"]["reachable"] is False
    assert "reachable" not in data["service"]  # not probed: no address recorded

    up = WorkspaceStatus(
        labelstudio=ServerStatus(True, 12, True, "http://127.0.0.1:8080", True),
        service=ServerStatus(True, 13, True, "http://127.0.0.1:5005", True),
        ml_backend=ServerStatus(),
        project=ProjectStatus("P", True, id=4, tasks=10, tasks_annotated=3, annotations=5),
    )
    project = up.to_dict()["project"]
    assert (project["tasks"], project["tasks_annotated"], project["model_version"]) == (10, 3, None)
    assert up.project is not None and up.project.tasks_waiting == 7
    missing = ProjectStatus("P", False).to_dict()
    assert missing == {"title": "P", "exists": False}
    broken = ProjectStatus("P", None, error="no token").to_dict()
    assert broken == {"title": "P", "exists": None, "error": "no token"}
