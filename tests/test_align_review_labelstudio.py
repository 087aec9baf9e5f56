"""Review tasks for doubtful aligned beads, pushed to a real Label Studio."""

from __future__ import annotations

import pytest

from workbench.labelstudio.align_review import push_review_tasks
from workbench.labelstudio.project import find_project
from workbench.tm.store import TmPair

pytestmark = [pytest.mark.labelstudio, pytest.mark.slow]

PROVENANCE = {"publication": "Dev white paper", "doc_id": "aligned-dev"}
PAIRS = [
    TmPair(
        "扶持对象精准，项目安排精准，资金使用精准。",
        "Poverty alleviation has targeted the right people, the right projects and the right "
        "use of funds.",
        origin="aligned",
        status="needs_review",
        score=0.31,
        provenance=PROVENANCE,
    ),
    TmPair("这是一项彪炳史册的人间奇迹。", "", origin="aligned", status="needs_review", score=0.0,
           provenance=PROVENANCE),
    TmPair("", "Safe drinking water has also been ensured.", origin="aligned",
           status="needs_review", score=0.0, provenance=PROVENANCE),
]  # fmt: skip


def test_review_tasks_arrive_prefilled_once(labelstudio_server, ls_config) -> None:
    report = push_review_tasks(ls_config, PAIRS)
    assert report.added == 2  # the 0–1 bead has nothing to translate: it stays in the TM

    project = find_project(labelstudio_server.client, ls_config.labelstudio.project_title)
    tasks = {
        t.data["sentence_id"]: t
        for t in labelstudio_server.client.tasks.list(project=project.id, fields="all")
    }
    task = tasks[PAIRS[0].id]
    assert task.data["text"] == PAIRS[0].zh and task.data["origin"] == "aligned"
    assert task.data["doc_title"] == "Dev white paper"
    [prediction] = task.predictions
    by_name = {r["from_name"]: r["value"] for r in prediction.result}
    assert by_name["translation"]["text"] == [PAIRS[0].en]
    assert by_name["status"]["choices"] == ["needs_review"]
    # The editor pre-fills predictions of the project's model version.
    shown = labelstudio_server.client.projects.get(id=project.id).model_version
    assert prediction.model_version == shown
    lonely = tasks[PAIRS[1].id].predictions[0].result
    assert [r["from_name"] for r in lonely] == ["status"]

    again = push_review_tasks(ls_config, PAIRS)
    assert (again.added, again.unchanged) == (0, 2)
