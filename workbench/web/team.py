"""The team page and ``/api/team``: agreement, the review queue and progress per person.

All three come from the latest pulled snapshot, computed once per snapshot and cached (a
page view costs a ``stat``), so the page shows exactly what ``workbench agreement``,
``workbench review`` and the export of that snapshot see. The page only reads; reviewers
settle tasks in Label Studio (each queue item links to its task there).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, jsonify, render_template

from workbench.config import Config
from workbench.errors import WorkbenchError
from workbench.snapshot import list_snapshots, read_snapshot, read_snapshot_manifest
from workbench.team.agreement import compute_agreement
from workbench.team.progress import compute_progress
from workbench.team.review import review_queue
from workbench.web.services import services

log = logging.getLogger(__name__)

team = Blueprint("team", __name__)


@dataclass(frozen=True)
class TeamSummary:
    """Agreement, review queue and progress of one snapshot."""

    snapshot: str
    manifest: dict[str, Any]
    agreement: dict[str, Any]
    review: list[dict[str, Any]]
    progress: dict[str, list[dict[str, Any]]]
    task_url: str  # Label Studio task link with {task_id} left to fill

    def to_json(self) -> dict[str, Any]:
        return {
            "snapshot": self.snapshot,
            "agreement": self.agreement,
            "review": self.review,
            "progress": self.progress,
        }


class TeamView:
    """Builds and caches the team summary of the latest snapshot."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._key: tuple[str, float] | None = None
        self._summary: TeamSummary | None = None
        self._lock = threading.Lock()

    def summary(self) -> TeamSummary | None:
        """Return the summary of the latest snapshot, or None when nothing was pulled."""
        snapshots = list_snapshots(self.config.work_dir)
        if not snapshots:
            return None
        latest = snapshots[-1]
        try:
            key = (latest.name, (latest / "manifest.json").stat().st_mtime)
        except OSError:
            return None
        with self._lock:
            if key != self._key:
                try:
                    self._summary = self._build(latest)
                except (WorkbenchError, OSError, ValueError) as exc:
                    log.warning("snapshot %s not readable: %s", latest, exc)
                    return None
                self._key = key
            return self._summary

    def _build(self, path: Path) -> TeamSummary:
        manifest = read_snapshot_manifest(path)
        records = list(read_snapshot(path))
        report = compute_agreement(records)
        queue = review_queue(
            records,
            self.config.team.review_chrf_below,
            self.config.team.review_entity_f1_below,
        )
        url = str(manifest.get("labelstudio_url") or "").rstrip("/")
        project = manifest.get("project_id")
        task_url = f"{url}/projects/{project}/data?task={{task_id}}" if url and project else ""
        return TeamSummary(
            snapshot=path.name,
            manifest=manifest,
            agreement={"overall": report.overall, "pairwise": report.pairwise},
            review=[item.row() for item in queue],
            progress=compute_progress(records),
            task_url=task_url,
        )


def _view() -> TeamView:
    svc = services()
    view = getattr(svc, "_team_view", None)
    if view is None:
        view = TeamView(svc.config)
        svc._team_view = view  # type: ignore[attr-defined]
    return view


@team.app_template_global("team_summary")
def team_summary() -> TeamSummary | None:
    """Give any page (the corpus page shows progress per annotator) the team summary."""
    return _view().summary()


@team.get("/team")
def team_page():
    """Agreement between annotators, the review queue and progress per person."""
    return render_template("team.html", team=_view().summary())


@team.get("/api/team")
def team_api():
    """The same as JSON: ``{"snapshot", "agreement", "review", "progress"}``."""
    summary = _view().summary()
    if summary is None:
        return jsonify({"snapshot": None, "agreement": None, "review": [], "progress": None})
    return jsonify(summary.to_json())
