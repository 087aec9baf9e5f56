"""Create or update the Label Studio project from ``config/``.

The project is found by title (``[labelstudio] project_title``); its labeling interface
is the XML file named by ``[labelstudio] label_config``. ``model_version`` is kept equal to
the glossary prediction's, because Label Studio pre-fills the annotator's editor only with
predictions of the project's current model version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError

from workbench.config import Config
from workbench.errors import ConfigError, LabelStudioError
from workbench.labelstudio.client import api_errors

SENTENCE_VIEW = "Sentences"
# Data Manager columns a translator does not scan: the labelled-HTML context rows, the
# hint box and link, and bookkeeping keys. What stays is the id, the sentence, the
# document title and the annotation counts.
_HIDDEN_DATA = (
    "context_before",
    "context_after",
    "glossary_hints",
    "propose_link",
    "doc_id",
    "speaker",
    "prev",
    "next",
    "terms",
    "content_hash",
)
_HIDDEN_TASK = (
    "inner_id",
    "annotations_results",
    "annotations_ids",
    "predictions_score",
    "predictions_model_versions",
    "predictions_results",
    "file_upload",
    "storage_filename",
    "created_at",
    "updated_at",
    "updated_by",
    "avg_lead_time",
    "draft_exists",
)

PROJECT_DESCRIPTION = (
    "Chinese policy sentences to tag and translate. Glossary terms arrive pre-annotated; "
    "the approved renderings are listed under each sentence."
)


@dataclass
class ProjectInfo:
    """The project ``ensure_project`` found or made."""

    id: int
    title: str
    created: bool
    updated: list[str]


def read_label_config(config: Config) -> str:
    """Return the labeling interface XML, checking it exists and is not empty."""
    path = config.labelstudio.label_config
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"labeling config {path} cannot be read ({exc.strerror}); "
            "restore config/labeling.xml or fix [labelstudio] label_config"
        ) from None
    if "<View" not in text:
        raise ConfigError(f"{path} is not a Label Studio labeling config (no <View>)")
    return text


def find_project(client: LabelStudio, title: str, url: str = "") -> Any | None:
    """Return the first project whose title is exactly ``title``, or None."""
    with api_errors(url, "list projects"):
        project: Any
        for project in client.projects.list(title=title):
            if project.title == title:
                return project
    return None


def ensure_project(
    client: LabelStudio, config: Config, model_version: str, url: str = ""
) -> ProjectInfo:
    """Create the project, or bring an existing one's settings in line with ``config/``."""
    title = config.labelstudio.project_title
    label_config = read_label_config(config)
    project = find_project(client, title, url)
    # model_version is set by set_model_version once predictions of it exist: Label
    # Studio refuses a version that no prediction carries yet.
    wanted = {
        "label_config": label_config,
        "show_collab_predictions": True,
        **overlap_settings(config),
    }
    if project is None:
        with api_errors(url, f"create project {title!r}"):
            created = client.projects.create(
                title=title,
                description=PROJECT_DESCRIPTION,
                model_version=model_version,
                **wanted,
            )
        if created.id is None:
            raise LabelStudioError(f"Label Studio at {url} created project {title!r} without an id")
        return ProjectInfo(id=created.id, title=title, created=True, updated=[])
    changed = {
        key: value
        for key, value in wanted.items()
        if _normalise(getattr(project, key, None)) != _normalise(value)
    }
    if changed:
        with api_errors(url, f"update project {title!r} ({', '.join(changed)})"):
            client.projects.update(id=project.id, **changed)
    return ProjectInfo(id=project.id, title=title, created=False, updated=sorted(changed))


def overlap_settings(config: Config) -> dict[str, Any]:
    """Return Label Studio's overlap settings from ``[team] overlap`` and ``overlap_share``.

    ``overlap`` annotators see each task of a sampled share (``overlap_share``, 0–1) of the
    tasks; the rest get one annotator. Label Studio's community edition implements both
    (``maximum_annotations``, ``overlap_cohort_percentage``) in its task queue.
    """
    overlap = config.team.overlap
    share = config.team.overlap_share
    if overlap < 1:
        raise ConfigError(f"[team] overlap = {overlap} must be 1 or more (annotators per task)")
    if not 0.0 <= share <= 1.0:
        raise ConfigError(f"[team] overlap_share = {share} must be between 0 and 1")
    return {"maximum_annotations": overlap, "overlap_cohort_percentage": round(share * 100)}


def set_model_version(
    client: LabelStudio, project_id: int, model_version: str, url: str = ""
) -> bool:
    """Point the project at ``model_version`` so the editor pre-fills those predictions.

    Returns False when no prediction of that version exists yet (a corpus without any
    glossary match), which Label Studio refuses and which is harmless.
    """
    with api_errors(url, f"read project {project_id}"):
        project = client.projects.get(id=project_id)
    if project.model_version == model_version:
        return True
    try:
        client.projects.update(id=project_id, model_version=model_version)
    except ApiError as exc:
        if exc.status_code == 400 and "model_version" in str(exc.body):
            return False
        with api_errors(url, f"set the model version of project {project_id}"):
            raise
    return True


def _normalise(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def sentence_view_data() -> dict[str, Any]:
    """Return the Data Manager tab that shows the sentence first and hides the HTML rows."""
    hidden = [f"tasks:data.{key}" for key in _HIDDEN_DATA] + [
        f"tasks:{key}" for key in _HIDDEN_TASK
    ]
    return {
        "title": SENTENCE_VIEW,
        "type": "list",
        "target": "tasks",
        "hiddenColumns": {"explore": hidden, "labeling": hidden},
        "columnsWidth": {"tasks:data.text": 560},
    }


def ensure_sentence_view(client: LabelStudio, project_id: int, url: str = "") -> bool:
    """Give the project a "Sentences" Data Manager tab unless it has one; True if made.

    Label Studio derives the default columns from the labeling config's object tags, in
    order, so without this tab the first columns are the context rows, not the sentence.
    The SDK's view type drops ``hiddenColumns``, so this talks to ``/api/dm/views``.
    """
    http = client._client_wrapper.httpx_client
    with api_errors(url, f"list the Data Manager tabs of project {project_id}"):
        response = http.request("api/dm/views", method="GET", params={"project": project_id})
        response.raise_for_status()
    views = response.json() or []
    if any((view.get("data") or {}).get("title") == SENTENCE_VIEW for view in views):
        return False
    body = {"project": project_id, "data": sentence_view_data()}
    with api_errors(url, f"create the {SENTENCE_VIEW} tab of project {project_id}"):
        http.request("api/dm/views", method="POST", json=body).raise_for_status()
    return True
