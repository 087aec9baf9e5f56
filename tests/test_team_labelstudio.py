"""Team mode on a real Label Studio: accounts made headlessly, two annotators on one task,
agreement, the review queue, a reviewer's decision in the export, and the same in a browser.

Runs on the session's server; with WORKBENCH_TEST_DATABASE=postgres that server runs on a
PostgreSQL cluster the workbench started itself.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from labelstudio_fixtures import annotation_result, write_test_corpus

from workbench.cli import cli
from workbench.config import Config, with_overrides
from workbench.errors import InputError
from workbench.export.run import export_dataset
from workbench.labelstudio.client import make_client
from workbench.labelstudio.postgres import describe_database
from workbench.labelstudio.sync import pull_snapshot, push_corpus
from workbench.labelstudio.users import (
    add_user,
    check_member,
    list_users,
    member_token,
    read_roster,
)
from workbench.snapshot import read_snapshot
from workbench.team.agreement import compute_agreement
from workbench.team.review import review_queue

pytestmark = [pytest.mark.labelstudio, pytest.mark.slow]

SENTENCE = "坚持精准扶贫，实现两不愁三保障。"
DOCS = {"doc-t": ["全面推进乡村振兴。", SENTENCE]}
FIRST = "We will adhere to targeted poverty alleviation and ensure the two assurances."
SECOND = "Counties must report monthly figures to the provincial office."
REVIEWED = "We will stick to targeted poverty alleviation and deliver the two assurances."
UI_TIMEOUT = 60_000


def _email(role: str) -> str:
    return f"{role}-{uuid.uuid4().hex[:8]}@team.test"


def _team_config(ls_config: Config, tmp_path: Path) -> Config:
    """The session's settings with overlap 2 and exports under ``tmp_path``."""
    return with_overrides(
        ls_config, paths={"exports_dir": str(tmp_path / "exports")}, team={"overlap": 2}
    )


def _team_task(ls_config: Config, labelstudio_server) -> tuple[int, int]:
    """Push the two-sentence corpus with overlap 2; return (project id, task id)."""
    assert ls_config.team.overlap == 2  # see _team_config
    write_test_corpus(ls_config.work_dir, DOCS, glossary_version="team1")
    report = push_corpus(ls_config)
    client = labelstudio_server.client
    project = client.projects.get(id=report.project_id)
    assert project.maximum_annotations == 2  # the overlap setting reached Label Studio
    [task] = [
        t
        for t in client.tasks.list(project=report.project_id, page_size=100)
        if t.data["text"] == SENTENCE
    ]
    return report.project_id, task.id


def _annotate_as(url: str, email: str, password: str, task_id: int, text: str) -> None:
    client = make_client(url, member_token(url, email, password))
    client.annotations.create(id=task_id, result=annotation_result(text, "final"))


def test_member_checks_reject_bad_emails_and_roles():
    assert check_member(" Ann@Example.ORG ", "reviewer") == ("ann@example.org", "reviewer")
    with pytest.raises(InputError, match="e-mail"):
        check_member("not-an-address", "annotator")
    with pytest.raises(InputError, match="role"):
        check_member("a@b.org", "admin")


def test_two_annotators_disagree_and_the_reviewers_decision_is_exported(
    labelstudio_server, ls_config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    ls_config = _team_config(ls_config, tmp_path)
    _project_id, task_id = _team_task(ls_config, labelstudio_server)
    url = labelstudio_server.url
    database = describe_database(labelstudio_server.config)  # what `workbench status` shows
    assert database["kind"] == labelstudio_server.database
    if database["kind"] == "postgres":
        assert database["managed"] and database["running"]
    # the first annotator is made with the command, as a project lead would
    monkeypatch.setenv("WORKBENCH_PATHS_WORK_DIR", str(ls_config.work_dir))
    monkeypatch.setenv("WORKBENCH_LABELSTUDIO_URL", url)
    monkeypatch.setenv("WORKBENCH_LABELSTUDIO_TOKEN", labelstudio_server.token)
    email = _email("ann")
    done = CliRunner().invoke(cli, ["users", "add", email])
    assert done.exit_code == 0, done.output
    printed = re.search(r"password\s+(\S+)", done.output)
    assert printed is not None and f"{url}/user/login/" in done.output
    [first] = [m for m in read_roster(ls_config.work_dir) if m.email == email]
    assert first.password == printed.group(1) and len(first.password) >= 12
    second, created = add_user(ls_config, _email("ann"), "annotator")
    assert created
    reviewer, _ = add_user(ls_config, _email("rev"), "reviewer")
    again, created_again = add_user(ls_config, first.email, "annotator")
    assert not created_again and again.password == first.password  # no second account

    roster = (ls_config.work_dir / "secrets" / "team.json").stat().st_mode & 0o777
    assert roster == 0o600
    roles = {row["email"]: row["role"] for row in list_users(ls_config)}
    assert roles[first.email] == "annotator" and roles[reviewer.email] == "reviewer"
    assert roles[labelstudio_server.username] == "admin"

    _annotate_as(url, first.email, first.password, task_id, FIRST)
    _annotate_as(url, second.email, second.password, task_id, SECOND)
    records = list(read_snapshot(pull_snapshot(ls_config)))
    [record] = [r for r in records if r.task_id == task_id]
    assert {a.annotator: a.role for a in record.annotations} == {
        first.email: "annotator",
        second.email: "annotator",
    }
    report = compute_agreement(records)
    [disagreement] = report.tasks
    assert disagreement.chrf_min is not None and disagreement.chrf_min < 0.5
    assert report.pairwise[0]["tasks"] == 1

    # the CLI reads the same snapshot
    done = CliRunner().invoke(cli, ["agreement", "--format", "json"])
    assert done.exit_code == 0, done.output
    payload = json.loads(done.output)
    assert payload["tasks"][0]["task_id"] == task_id and payload["tasks"][0]["exact"] is False
    done = CliRunner().invoke(cli, ["review"])
    assert done.exit_code == 0, done.output
    assert f"task {task_id} [open]" in done.output and "translations disagree" in done.output

    _annotate_as(url, reviewer.email, reviewer.password, task_id, REVIEWED)
    records = list(read_snapshot(pull_snapshot(ls_config)))
    [item] = review_queue(records, 0.5, 0.8)
    assert item.settled and item.row()["settled_by"] == reviewer.email

    result = export_dataset(ls_config, selection="reviewed", name="reviewed")
    lines = []
    for path in sorted(result.path.glob("parallel/*.jsonl")):
        lines += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    english = {json.dumps(line, ensure_ascii=False) for line in lines}
    assert any(REVIEWED in text for text in english), english
    assert not any(FIRST in text or SECOND in text for text in english)
    assert result.manifest["counts"]["selected"] == 1


@pytest.mark.browser
def test_reviewer_signs_in_and_settles_a_disagreement(
    labelstudio_server, ls_config: Config, page, artifacts_dir, tmp_path: Path
):
    ls_config = _team_config(ls_config, tmp_path)
    project_id, task_id = _team_task(ls_config, labelstudio_server)
    url = labelstudio_server.url
    first, _ = add_user(ls_config, _email("ann"), "annotator")
    second, _ = add_user(ls_config, _email("ann"), "annotator")
    reviewer, _ = add_user(ls_config, _email("rev"), "reviewer")
    _annotate_as(url, first.email, first.password, task_id, FIRST)
    _annotate_as(url, second.email, second.password, task_id, SECOND)
    [open_item] = review_queue(list(read_snapshot(pull_snapshot(ls_config))), 0.5, 0.8)
    assert not open_item.settled

    page.goto(f"{url}/user/login/")
    page.fill("input#email", reviewer.email)
    page.fill("input#password", reviewer.password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda u: "/user/login" not in u, timeout=UI_TIMEOUT)
    # the review queue links each task by URL (predictions do not matter to a reviewer)
    page.goto(f"{url}/projects/{project_id}/data?task={task_id}")
    try:
        page.locator(".wb-sentence").get_by_text(SENTENCE).first.wait_for(timeout=UI_TIMEOUT)
    finally:
        page.screenshot(path=str(artifacts_dir / "team-reviewer-opened.png"), full_page=True)
    # the annotators' work shows as tabs; the reviewer writes the decision as their own
    page.locator('[aria-label="Create an annotation"]').click()
    page.locator('textarea[name="translation"]').wait_for(timeout=UI_TIMEOUT)
    page.screenshot(path=str(artifacts_dir / "team-reviewer-task.png"), full_page=True)
    page.fill('textarea[name="translation"]', REVIEWED)
    page.locator('[data-testid="textarea-add-button"]').first.click()
    with page.expect_response(
        lambda r: (
            r.request.method == "POST"
            and re.search(rf"/api/tasks/{task_id}/annotations", r.url) is not None
        ),
        timeout=UI_TIMEOUT,
    ) as posted:
        page.locator('[data-testid="bottombar-submit-button"]').click()
    assert posted.value.status == 201
    page.screenshot(path=str(artifacts_dir / "team-reviewer-settled.png"), full_page=True)

    [item] = review_queue(list(read_snapshot(pull_snapshot(ls_config))), 0.5, 0.8)
    assert item.settled and item.decision is not None
    assert item.decision.annotator == reviewer.email
    assert item.decision.translation == REVIEWED
    result = export_dataset(ls_config, selection="reviewed", name="reviewed")
    assert result.manifest["counts"]["selected"] == 1
    text = "".join(p.read_text(encoding="utf-8") for p in result.path.glob("parallel/*.jsonl"))
    assert REVIEWED in text and FIRST not in text
