"""An in-memory Label Studio for the unit tier: just the SDK calls ``push_tasks`` makes.

``FakeLabelStudio`` answers ``tasks.list``, ``tasks.update``, ``projects.import_tasks``,
``projects.import_predictions`` and ``actions.create("delete_tasks_predictions")`` the way
the server does (tasks get increasing ids, a data update replaces the data, listing returns
the annotation counts), and records every write so tests can count requests. It also plays
the people around the project: ``annotate`` and ``cancel`` add an annotation as an annotator
would, ``edit_upstream`` changes a task's data as an admin might in the web interface, and
``fail_next`` makes the next call of one method answer with an HTTP error.

Anything else raises ``AttributeError``: a push that starts using another call fails here
first, and the real-server tests (``-m labelstudio``) stay the judge of the real behaviour.
"""

from __future__ import annotations

import copy
import itertools
from collections import deque
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from label_studio_sdk.core.api_error import ApiError


@dataclass
class FakeTask:
    """One task as the server holds it."""

    id: int
    project: int
    data: dict[str, Any]
    predictions: list[dict[str, Any]] = field(default_factory=list)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    cancelled: int = 0


class FakeLabelStudio:
    """Stand-in for ``label_studio_sdk.LabelStudio`` (see the module docstring)."""

    def __init__(self) -> None:
        self.store: dict[int, FakeTask] = {}
        self.writes: list[tuple[str, Any]] = []  # (method, task ids or project) per request
        self._ids = itertools.count(1)
        self._failures: dict[str, deque[int]] = {}
        self.tasks = _Tasks(self)
        self.projects = _Projects(self)
        self.actions = _Actions(self)

    # -- the people around the project -------------------------------------------------

    def annotate(self, task_id: int, translation: str = "a translation") -> None:
        """Submit an annotation of ``task_id``, as an annotator would."""
        self.store[task_id].annotations.append({"result": [{"value": {"text": [translation]}}]})

    def cancel(self, task_id: int) -> None:
        """Skip ``task_id`` (a cancelled annotation), as an annotator would."""
        self.store[task_id].cancelled += 1

    def edit_upstream(self, task_id: int, **changes: Any) -> None:
        """Change a task's data in Label Studio itself, behind the workbench's back."""
        self.store[task_id].data.update(changes)

    def fail_next(self, method: str, status: int = 500) -> None:
        """Make the next call of ``method`` (e.g. ``"import_tasks"``) answer ``status``."""
        self._failures.setdefault(method, deque()).append(status)

    # -- views for assertions ----------------------------------------------------------

    def project_tasks(self, project: int) -> list[FakeTask]:
        return [task for task in self.store.values() if task.project == project]

    def by_sentence(self, project: int) -> dict[str, FakeTask]:
        return {task.data["sentence_id"]: task for task in self.project_tasks(project)}

    def _maybe_fail(self, method: str) -> None:
        pending = self._failures.get(method)
        if pending:
            raise ApiError(status_code=pending.popleft(), body=f"fake failure of {method}")

    def _task(self, task_id: Any) -> FakeTask:
        if not isinstance(task_id, str | int):
            raise TypeError(f"task id must be a string or an integer, not {type(task_id)}")
        task = self.store.get(int(task_id))
        if task is None:
            raise ApiError(status_code=404, body=f"no task {task_id}")
        return task


class _Tasks:
    def __init__(self, server: FakeLabelStudio) -> None:
        self._server = server

    def list(
        self, *, project: int, fields: str = "task_only", include: str = "", page_size: int = 100
    ) -> list[Any]:
        self._server._maybe_fail("list")
        assert page_size > 0
        return [
            SimpleNamespace(
                id=task.id,
                data=copy.deepcopy(task.data),
                total_annotations=len(task.annotations),
                cancelled_annotations=task.cancelled,
            )
            for task in sorted(self._server.project_tasks(project), key=lambda t: t.id)
        ]

    def update(self, *, id: str, data: dict[str, Any]) -> Any:
        self._server._maybe_fail("update")
        task = self._server._task(id)
        task.data = copy.deepcopy(data)  # PATCH of the data field replaces it whole
        self._server.writes.append(("update", task.id))
        return SimpleNamespace(id=task.id, data=copy.deepcopy(task.data))


class _Projects:
    def __init__(self, server: FakeLabelStudio) -> None:
        self._server = server

    def import_tasks(self, *, id: int, request: list[dict[str, Any]]) -> Any:
        self._server._maybe_fail("import_tasks")
        created = []
        for record in request:
            task = FakeTask(
                next(self._server._ids),
                id,
                copy.deepcopy(record["data"]),
                copy.deepcopy(record.get("predictions") or []),
                copy.deepcopy(record.get("annotations") or []),
            )
            self._server.store[task.id] = task
            created.append(task.id)
        self._server.writes.append(("import_tasks", created))
        return SimpleNamespace(task_count=len(created), task_ids=created)

    def import_predictions(self, *, id: int, request: list[dict[str, Any]]) -> Any:
        self._server._maybe_fail("import_predictions")
        for record in request:
            task = self._server._task(record["task"])
            if task.project != id:
                raise ApiError(status_code=400, body=f"task {task.id} is not in project {id}")
            task.predictions.append({k: v for k, v in record.items() if k != "task"})
        self._server.writes.append(("import_predictions", [r["task"] for r in request]))
        return SimpleNamespace(created=len(request))


class _Actions:
    def __init__(self, server: FakeLabelStudio) -> None:
        self._server = server

    def create(self, *, id: str, project: int, selected_items: dict[str, Any]) -> Any:
        self._server._maybe_fail("actions")
        if id != "delete_tasks_predictions":
            raise ApiError(status_code=400, body=f"the fake knows no action {id!r}")
        assert selected_items.get("all") is False
        for task_id in selected_items["included"]:
            task = self._server._task(task_id)
            if task.project == project:
                task.predictions = []
        self._server.writes.append(("delete_tasks_predictions", list(selected_items["included"])))
        return SimpleNamespace(detail="ok")
