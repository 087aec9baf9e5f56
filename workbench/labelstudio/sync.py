"""Push corpus sentences to Label Studio as tasks, and pull annotations into snapshots.

Push is idempotent by ``sentence_id``: it lists what the project already holds (paged),
then imports only new sentences in batches of ``[labelstudio] batch_size`` (one request
per batch, not per task), updates changed tasks that nobody annotated yet (data PATCH, old
predictions removed in one Data Manager action, new ones imported in one request per
batch). An annotated task whose sentence text changed is left alone and reported as a
conflict; one whose text is the same but whose surroundings changed (context rows, hints,
links) gets its data renewed, never its annotations or predictions.

Pull reads every task with its annotations and writes a dated snapshot atomically
(``workbench.snapshot.write_snapshot``), the only form the exporter reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from label_studio_sdk import LabelStudio

from workbench.config import Config
from workbench.corpus import (
    corpus_dir,
    corpus_partitions,
    read_manifest,
    read_partition_documents,
    read_partition_sentences,
)
from workbench.errors import LabelStudioError
from workbench.labelstudio.client import api_errors, configured_url, connect
from workbench.labelstudio.project import (
    ProjectInfo,
    ensure_project,
    ensure_sentence_view,
    find_project,
    set_model_version,
)
from workbench.labelstudio.results import annotation_record
from workbench.labelstudio.tasks import (
    HASH_KEY,
    DeriveFunction,
    TaskPayload,
    build_tasks,
    model_version_for,
)
from workbench.labelstudio.users import team_roles
from workbench.models import SnapshotTask
from workbench.snapshot import write_snapshot
from workbench.tm.suggest import (
    TM_HASH,
    TM_MATCH,
    TM_PROPAGATED,
    came_from_tm,
    combined_model_version,
    glossary_part,
    import_record,
    learn_from_snapshot,
    open_suggester,
    with_suggestions,
    without_suggestions,
)

LIST_PAGE_SIZE = 1000
TASK_SUMMARY_FIELDS = "id,data,total_annotations,cancelled_annotations"


@dataclass
class ExistingTask:
    """What push needs to know about a task already in the project."""

    id: int
    content_hash: str | None
    annotations: int
    text: str | None = None
    tm_hash: str | None = None  # hash of the TM suggestion part (workbench.tm.suggest)


@dataclass
class PushReport:
    """Outcome of one push: counts per kind and the sentence ids of conflicts."""

    project_id: int
    project_title: str
    model_version: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    refreshed: int = 0  # annotated, same sentence: only what is shown around it was renewed
    stale: list[str] = field(default_factory=list)  # in Label Studio, gone from the corpus
    requests: int = 0  # import/update requests sent (not counting listing)
    project_created: bool = False

    @property
    def total(self) -> int:
        return self.added + self.updated + self.refreshed + self.unchanged + len(self.conflicts)


def _resolve_client(config: Config, client: LabelStudio | None) -> tuple[LabelStudio, str]:
    if client is not None:
        return client, configured_url(config)
    connection = connect(config)
    return connection.client, connection.url


def iter_project_tasks(
    client: LabelStudio, project_id: int, url: str, include: str, fields: str = "task_only"
) -> Iterator[Any]:
    """Yield every task of a project, paged, with only the ``include``d fields.

    Naming the fields matters: the full task serialisation costs the server about ten
    times as long per task, which dominates a re-push of a large project.
    """
    with api_errors(url, f"list the tasks of project {project_id}"):
        yield from client.tasks.list(
            project=project_id, fields=fields, include=include, page_size=LIST_PAGE_SIZE
        )


def existing_tasks(client: LabelStudio, project_id: int, url: str) -> dict[str, ExistingTask]:
    """Map sentence_id → task for every task of the project that carries one."""
    found: dict[str, ExistingTask] = {}
    for task in iter_project_tasks(client, project_id, url, TASK_SUMMARY_FIELDS):
        data = task.data or {}
        sentence_id = data.get("sentence_id")
        if not sentence_id:
            continue
        annotations = (task.total_annotations or 0) + (task.cancelled_annotations or 0)
        known = found.get(sentence_id)
        if known is None or annotations > known.annotations:
            found[sentence_id] = ExistingTask(
                task.id, data.get(HASH_KEY), annotations, data.get("text"), data.get(TM_HASH)
            )
    return found


def proposal_service_url(config: Config) -> str:
    """Return the glossary service URL tasks link to for term proposals ("" = no link).

    ``[labelstudio] service_url`` wins; empty means the service ``workbench up`` starts,
    at ``[service] host``/``port`` (a wildcard bind address is reached via loopback).
    """
    explicit = config.labelstudio.service_url.strip()
    if explicit:
        return explicit.rstrip("/")
    service = config.service
    if not service.port:
        return ""
    host = service.host or "127.0.0.1"
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://{host}:{service.port}"


def mined_candidates(config: Config) -> list[str]:
    """Return the zh of the mined review queue (``workbench glossary mine``), if there is one.

    Only the default queue ``<work_dir>/glossary/mined.tsv`` is read; a missing or
    unreadable file means no candidate links, never a failed push.
    """
    path = config.work_dir / "glossary" / "mined.tsv"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    if not rows or "zh" not in rows[0]:
        return []
    column = rows[0].index("zh")
    return [row[column].strip() for row in rows[1:] if len(row) > column and row[column].strip()]


def derived_compounds(config: Config) -> DeriveFunction | None:
    """The derived-compound finder tasks use, or None when ``[glossary] derived_compounds``
    is off. It works on the glossary matches the corpus already holds (``terms``)."""
    if not config.glossary.derived_compounds:
        return None
    from workbench.glossary.compound import CompoundRecogniser

    recogniser = CompoundRecogniser()
    return lambda sentence: recogniser.find(sentence.text, sentence.terms)


def corpus_tasks(config: Config) -> tuple[list[TaskPayload], str]:
    """Build the tasks of the current corpus; return them and the glossary model version."""
    corpus = corpus_dir(config.work_dir)
    manifest = read_manifest(corpus)
    model_version = model_version_for(manifest.get("glossary_version"))
    service_url = proposal_service_url(config)
    candidates = mined_candidates(config)
    derive = derived_compounds(config)
    payloads: list[TaskPayload] = []
    # Partition by partition: a document and its sentences never span two, so only one
    # partition's documents (original texts included) are held at a time.
    for partition in corpus_partitions(corpus):
        documents = {doc.id: doc for doc in read_partition_documents(partition)}
        payloads.extend(
            build_tasks(
                read_partition_sentences(partition),
                documents,
                model_version,
                service_url,
                candidates,
                derive,
            )
        )
    suggester = open_suggester(config)
    if suggester is None:
        payloads = without_suggestions(payloads)
    else:  # TM suggestions in the translation box (issue #11)
        try:
            payloads = with_suggestions(payloads, suggester, model_version)
            model_version = combined_model_version(model_version, suggester.version)
        finally:
            suggester.close()
    return payloads, model_version


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def push_tasks(
    client: LabelStudio,
    project: ProjectInfo,
    payloads: list[TaskPayload],
    model_version: str,
    batch_size: int,
    url: str = "",
) -> PushReport:
    """Send tasks to a project idempotently (see the module docstring)."""
    report = PushReport(project.id, project.title, model_version, project_created=project.created)
    existing = existing_tasks(client, project.id, url)
    new: list[TaskPayload] = []
    changed: list[tuple[int, TaskPayload]] = []
    refresh: list[tuple[int, TaskPayload]] = []
    seen: set[str] = set()
    for payload in payloads:
        if payload.sentence_id in seen:
            raise LabelStudioError(
                f"sentence id {payload.sentence_id} occurs twice in the corpus; re-run ingest"
            )
        seen.add(payload.sentence_id)
        task = existing.get(payload.sentence_id)
        if task is None:
            new.append(payload)
        elif task.content_hash == payload.content_hash and (
            task.annotations or task.tm_hash == payload.data.get(TM_HASH)
        ):
            report.unchanged += 1  # an annotated task's TM suggestion is not worth a conflict
        elif task.annotations and task.text == payload.data["text"]:
            # The sentence the annotation's offsets point into is the same; only its
            # context rows, hints or links changed. Renew those, leave the annotation
            # and the predictions alone.
            refresh.append((task.id, payload))
        elif task.annotations:
            report.conflicts.append(payload.sentence_id)
        else:
            changed.append((task.id, payload))
    report.stale = sorted(set(existing) - seen)

    size = max(1, int(batch_size))
    for batch in _batches(new, size):
        with api_errors(url, f"import {len(batch)} tasks"):
            records: Any = [import_record(p) for p in batch]  # the SDK accepts plain dicts
            client.projects.import_tasks(id=project.id, request=records)
        report.requests += 1
        report.added += len(batch)

    for task_id, payload in refresh:
        with api_errors(url, f"refresh the data of annotated task {task_id}"):
            client.tasks.update(id=str(task_id), data=payload.data)
        report.requests += 1
        report.refreshed += 1

    for batch in _batches(changed, size):
        ids = [task_id for task_id, _ in batch]
        for task_id, payload in batch:
            with api_errors(url, f"update task {task_id}"):
                client.tasks.update(id=str(task_id), data=payload.data)
            report.requests += 1
        with api_errors(url, f"remove old predictions of {len(ids)} tasks"):
            client.actions.create(
                id="delete_tasks_predictions",
                project=project.id,
                selected_items={"all": False, "included": ids},
            )
        predictions = [
            {
                "task": task_id,
                "model_version": model_version,
                "result": payload.prediction,
                **_tm_score(payload),
            }
            for task_id, payload in batch
            if payload.prediction
        ]
        if predictions:
            with api_errors(url, f"import predictions for {len(predictions)} tasks"):
                client.projects.import_predictions(id=project.id, request=cast(Any, predictions))
            report.requests += 1
        report.requests += 1
        report.updated += len(batch)
    return report


def _tm_score(payload: TaskPayload) -> dict[str, float]:
    match = payload.data.get(TM_MATCH)
    return {"score": match["score"]} if match else {}


def push_corpus(config: Config, client: LabelStudio | None = None) -> PushReport:
    """Push the work folder's corpus to the configured project; see ``push_tasks``."""
    payloads, model_version = corpus_tasks(config)
    client, url = _resolve_client(config, client)
    project = ensure_project(client, config, model_version, url)
    report = push_tasks(
        client,
        project,
        payloads,
        model_version,
        config.labelstudio.batch_size,
        url,
    )
    set_model_version(client, project.id, model_version, url)
    ensure_sentence_view(client, project.id, url)
    return report


def user_emails(client: LabelStudio, url: str) -> dict[int, str]:
    """Map Label Studio user ids to e-mail addresses (annotators in snapshots)."""
    with api_errors(url, "list users"):
        return {
            user.id: user.email or user.username or str(user.id) for user in client.users.list()
        }


def snapshot_record(task: Any, annotations: list[Any], users: dict[int, str]) -> dict[str, Any]:
    """Return one snapshot task record (see workbench.snapshot) for a listed task."""
    data = task.data or {}
    records = [annotation_record(_as_dict(annotation), users) for annotation in annotations]
    for record in records:
        record["translation_from_tm"] = came_from_tm(record, data.get(TM_MATCH))
    records.sort(key=lambda a: a["id"] or 0)
    return {
        "task_id": task.id,
        "sentence_id": data.get("sentence_id"),
        "doc_id": data.get("doc_id"),
        "doc_title": data.get("doc_title"),
        "speaker": data.get("speaker") or None,
        "text": data.get("text"),
        "terms": data.get("terms") or [],
        "annotations": records,
        "tm_match": data.get(TM_MATCH),
        "tm_propagated": data.get(TM_PROPAGATED),
    }


def _as_dict(item: Any) -> dict[str, Any]:
    if isinstance(item, dict):
        return item
    return item.model_dump() if hasattr(item, "model_dump") else dict(item)


def annotations_by_task(
    client: LabelStudio, project_id: int, tasks: list[Any], url: str
) -> dict[int, list[Any]]:
    """Return the full annotations of every annotated task, task id → annotations.

    Full task listings are slow, so only annotated tasks are listed in full; a task the
    filter missed (only cancelled annotations, say) is fetched on its own.
    """
    found: dict[int, list[Any]] = {}
    task: Any
    with api_errors(url, f"list the annotated tasks of project {project_id}"):
        for task in client.tasks.list(
            project=project_id, fields="all", only_annotated=True, page_size=LIST_PAGE_SIZE
        ):
            if task.annotations:
                found[task.id] = list(task.annotations)
    for task in tasks:
        expected = (task.total_annotations or 0) + (task.cancelled_annotations or 0)
        if expected and len(found.get(task.id, [])) < expected:
            with api_errors(url, f"list the annotations of task {task.id}"):
                found[task.id] = list(client.annotations.list(id=task.id))
    return found


def pull_snapshot(config: Config, client: LabelStudio | None = None) -> Path:
    """Fetch every task of the project with its annotations into a new dated snapshot."""
    client, url = _resolve_client(config, client)
    title = config.labelstudio.project_title
    project = find_project(client, title, url)
    if project is None:
        raise LabelStudioError(
            f"Label Studio at {url} has no project {title!r}; run 'workbench push' first"
        )
    users = user_emails(client, url)
    roles = team_roles(config.work_dir)
    tasks = list(iter_project_tasks(client, project.id, url, TASK_SUMMARY_FIELDS))
    annotations = annotations_by_task(client, project.id, tasks, url)
    records = [snapshot_record(task, annotations.get(task.id, []), users) for task in tasks]
    for record in records:
        for annotation in record["annotations"]:
            annotation["role"] = roles.get(str(annotation.get("annotator") or "").lower())
    records.sort(key=lambda r: r["task_id"])
    tasks_pulled = [SnapshotTask.from_dict(record) for record in records]  # one shape
    manifest = {
        "labelstudio_url": url,
        "project_id": project.id,
        "project_title": title,
        "glossary_version": _glossary_version(project.model_version),
        "roles": roles,
    }
    path = write_snapshot(config.work_dir, tasks_pulled, manifest)
    learn_from_snapshot(config, tasks_pulled, path.name)  # final translations enter the TM
    return path


def _glossary_version(model_version: str | None) -> str | None:
    model_version = glossary_part(model_version)
    if model_version and model_version.startswith("glossary-"):
        return model_version.removeprefix("glossary-")
    return model_version or None
