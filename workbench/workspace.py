"""``workbench up``/``down``/``status``: the annotator workspace as one unit.

``up`` installs Label Studio if needed, starts it (or uses a configured, reachable one),
ingests and tags the texts, creates or updates the project, pushes the tasks and starts
the glossary lookup service beside it. What it started is recorded under
``<work_dir>/run/`` so another shell can stop or inspect it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from label_studio_sdk import LabelStudio

from workbench.config import Config
from workbench.errors import LabelStudioError, WorkbenchError
from workbench.glossary import tag_corpus
from workbench.ingest.pipeline import ingest_paths
from workbench.labelstudio.auth import (
    Credentials,
    ensure_api_access,
    load_credentials,
    secrets_file,
)
from workbench.labelstudio.client import api_errors, configured_url, connect, make_client
from workbench.labelstudio.install import ensure_installed, ensure_postgres_driver
from workbench.labelstudio.postgres import (
    POSTGRES,
    database_environment,
    database_kind,
    describe_database,
    record_database,
    stop_recorded_postgres,
)
from workbench.labelstudio.project import find_project
from workbench.labelstudio.server import (
    RunState,
    clear_run_state,
    is_healthy,
    now_iso,
    pid_alive,
    port_in_use,
    process_command,
    read_run_state,
    run_dir,
    server_environment,
    start_server,
    stop_process,
    write_run_state,
)
from workbench.labelstudio.sync import PushReport, push_corpus
from workbench.models import ProjectStatus, ServerStatus, WorkspaceStatus

Echo = Callable[[str], None]
LABELSTUDIO = "labelstudio"
SERVICE = "service"
ML_BACKEND = "ml_backend"
SERVICE_START_TIMEOUT = 60
STOP_MARK = "stop-requested"  # written by `down`, so `up` reads the stop as requested


@dataclass
class LabelStudioHandle:
    """A reachable Label Studio and whether this process started it."""

    url: str
    credentials: Credentials
    process: subprocess.Popen | None = None
    log: Path | None = None
    reused: str = ""  # why no server was started: "configured" | "running"


@dataclass
class Workspace:
    """Everything ``up`` brought up."""

    labelstudio: LabelStudioHandle
    push: PushReport | None = None
    service_url: str | None = None
    service_process: subprocess.Popen | None = None
    ml_url: str | None = None
    ml_process: subprocess.Popen | None = None
    notes: list[str] = field(default_factory=list)


def start_labelstudio(config: Config, echo: Echo = print) -> LabelStudioHandle:
    """Return a reachable Label Studio with a working API token, starting one if needed."""
    configured = config.labelstudio.url.rstrip("/")
    work_dir = config.work_dir
    if configured:
        if not is_healthy(configured):
            raise LabelStudioError(
                f"the configured Label Studio {configured} is not reachable; start it, or unset "
                "[labelstudio] url / WORKBENCH_LABELSTUDIO_URL to let the workbench start one"
            )
        credentials = ensure_api_access(
            configured, load_credentials(config, create=False), secrets_file(work_dir)
        )
        return LabelStudioHandle(configured, credentials, reused="configured")

    state = read_run_state(work_dir, LABELSTUDIO)
    if state is not None and pid_alive(state.pid) and is_healthy(state.url):
        credentials = ensure_api_access(state.url, load_credentials(config), secrets_file(work_dir))
        return LabelStudioHandle(state.url, credentials, log=Path(state.log), reused="running")
    if state is not None:
        clear_run_state(work_dir, LABELSTUDIO)

    executable = ensure_installed(config, echo)
    credentials = load_credentials(config)
    host = config.labelstudio.host
    port = config.labelstudio.port
    data_dir = work_dir / "labelstudio"
    if database_kind(config) == POSTGRES:
        ensure_postgres_driver(config, echo)
    database_env, database = database_environment(config, echo)
    echo(f"Starting Label Studio on http://{host}:{port} (data in {data_dir}; {database}) ...")
    env = server_environment(
        data_dir,
        credentials.username,
        credentials.password,
        credentials.token,
        allow_loopback=bool(config.labelstudio.ml_port),
    )
    env.update(database_env)
    started = start_server(executable, data_dir, host, port, env, config.labelstudio.start_timeout)
    write_run_state(
        work_dir,
        RunState(LABELSTUDIO, started.process.pid, started.url, str(started.log), now_iso()),
    )
    record_database(config, database_kind(config))
    try:
        credentials = ensure_api_access(started.url, credentials, secrets_file(work_dir))
    except BaseException:
        stop_labelstudio_process(work_dir, started.process)
        raise
    return LabelStudioHandle(started.url, credentials, started.process, started.log)


def stop_labelstudio_process(work_dir: Path, process: subprocess.Popen) -> None:
    """Stop a Label Studio this process started and forget it."""
    stop_process(process.pid)
    clear_run_state(work_dir, LABELSTUDIO)


def stop_workspace_database(config: Config) -> None:
    """Stop the PostgreSQL cluster this workspace started for Label Studio, if any."""
    stop_recorded_postgres(config)


def prepare_corpus(config: Config, paths: list[Path], echo: Echo = print) -> None:
    """Ingest, segment and glossary-tag ``paths`` into the work folder's corpus."""
    echo(f"Ingesting and segmenting {', '.join(str(p) for p in paths)} ...")
    report = ingest_paths(paths, config)
    manifest = getattr(report, "manifest", None) or {}
    if manifest:
        echo(f"  {manifest.get('documents')} documents, {manifest.get('sentences')} sentences")
    for failure in list(getattr(report, "failed", []) or []):
        echo(f"  skipped {failure.path}: {failure.error}")
    echo("Tagging glossary terms ...")
    tag_corpus(config)
    # A fresh ingest undoes merges and splits reviewers asked for: apply them again.
    resegmented = apply_segmentation_flags(config)
    if resegmented.changed:
        echo(f"  re-applied {len(resegmented.edits)} reviewed merge/split edit(s)")


def apply_segmentation_flags(config: Config, snapshot: str | None = None) -> Any:
    """Apply a snapshot's reviewed merge/split flags to the corpus and re-tag it.

    Returns the ``ResegmentReport``. With no snapshot named, the latest is used, and a
    work folder without any snapshot has nothing to apply (an empty report).
    """
    from workbench.labelstudio.resegment import ResegmentReport, resegment_corpus
    from workbench.snapshot import list_snapshots, resolve_snapshot

    if snapshot is None and not list_snapshots(config.work_dir):
        return ResegmentReport()
    report = resegment_corpus(config.work_dir, resolve_snapshot(config.work_dir, snapshot))
    if report.changed:
        tag_corpus(config)
    return report


def start_helper(
    config: Config, name: str, label: str, command: list[str], host: str, port: int, flag: str
) -> subprocess.Popen:
    """Start a helper server as a child process and wait until its port answers."""
    if port_in_use(host, port):
        raise WorkbenchError(f"port {port} on {host} is already in use; pick another with {flag}")
    log = config.work_dir / "run" / f"{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as handle:
        process = subprocess.Popen(
            [*command, "--host", host, "--port", str(port)],
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=config.root,
            start_new_session=True,
            # A --work-dir given as a flag must reach the child too, or it would serve
            # the default work folder's corpus and proposals.
            env={
                **os.environ,
                "WORKBENCH_ROOT": str(config.root),
                "WORKBENCH_PATHS_WORK_DIR": str(config.work_dir),
            },
        )
    url = f"http://{host}:{port}"
    deadline = time.monotonic() + SERVICE_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise WorkbenchError(f"the {label} exited with status {process.returncode}; see {log}")
        if port_in_use(host, port):
            write_run_state(config.work_dir, RunState(name, process.pid, url, str(log), now_iso()))
            return process
        time.sleep(0.5)
    stop_process(process.pid)
    raise WorkbenchError(f"the {label} did not answer on {url}; see {log}")


def start_service(config: Config, host: str, port: int) -> subprocess.Popen:
    """Start the glossary lookup service (``workbench serve``)."""
    command = [sys.executable, "-m", "workbench", "serve"]
    flag = "--service-port or WORKBENCH_SERVICE_PORT"
    return start_helper(config, SERVICE, "glossary service", command, host, port, flag)


def start_ml_backend(
    config: Config, client: LabelStudio, project_id: int, host: str, port: int, url: str
) -> subprocess.Popen:
    """Start the glossary ML backend and connect it to the project (once)."""
    command = [sys.executable, "-m", "workbench.labelstudio.ml_backend"]
    flag = "--ml-port or WORKBENCH_LABELSTUDIO_ML_PORT"
    process = start_helper(config, ML_BACKEND, "glossary ML backend", command, host, port, flag)
    backend_url = f"http://{host}:{port}"
    try:
        with api_errors(url, "connect the glossary ML backend to the project"):
            known = {b.url.rstrip("/") for b in client.ml.list(project=project_id)}
            if backend_url not in known:
                client.ml.create(project=project_id, url=backend_url, title="glossary")
    except BaseException:
        stop_process(process.pid)
        clear_run_state(config.work_dir, ML_BACKEND)
        raise
    return process


def up(
    config: Config,
    paths: list[Path],
    service_host: str,
    service_port: int,
    with_service: bool = True,
    echo: Echo = print,
    ml_port: int | None = None,
) -> Workspace:
    """Bring the workspace up (see the module docstring); stop what was started on error."""
    stop_mark(config.work_dir).unlink(missing_ok=True)  # left by an earlier `down`, not ours
    handle = start_labelstudio(config, echo)
    workspace = Workspace(labelstudio=handle)
    try:
        prepare_corpus(config, paths, echo)
        echo("Pushing sentences to Label Studio ...")
        client = make_client(handle.url, handle.credentials.token)
        workspace.push = push_corpus(config, client)
        if with_service:
            echo(f"Starting the glossary service on http://{service_host}:{service_port} ...")
            workspace.service_process = start_service(config, service_host, service_port)
            workspace.service_url = f"http://{service_host}:{service_port}"
        if ml_port:
            echo(f"Starting the glossary ML backend on http://{service_host}:{ml_port} ...")
            workspace.ml_process = start_ml_backend(
                config, client, workspace.push.project_id, service_host, ml_port, handle.url
            )
            workspace.ml_url = f"http://{service_host}:{ml_port}"
    except BaseException:
        shutdown(config, workspace)
        raise
    return workspace


def shutdown(config: Config, workspace: Workspace) -> None:
    """Stop whatever this ``up`` started (not servers it merely reused)."""
    if workspace.ml_process is not None:
        stop_process(workspace.ml_process.pid)
        clear_run_state(config.work_dir, ML_BACKEND)
    if workspace.service_process is not None:
        stop_process(workspace.service_process.pid)
        clear_run_state(config.work_dir, SERVICE)
    if workspace.labelstudio.process is not None:
        stop_labelstudio_process(config.work_dir, workspace.labelstudio.process)
        stop_workspace_database(config)


def stop_mark(work_dir: Path) -> Path:
    """Return the file ``down`` writes before stopping what ``up`` started."""
    return run_dir(work_dir) / STOP_MARK


def describe_exit(label: str, returncode: int, requested: bool, log: Path | None) -> str:
    """Say why a server ``up`` started is gone: a requested stop, a signal, or a failure."""
    if requested:
        return f"{label} was stopped by 'workbench down'."
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"{label} was stopped by {name} from outside 'workbench up'; see {log}"
    return f"{label} exited unexpectedly (status {returncode}); see {log}"


def wait_until_interrupted(
    workspace: Workspace, echo: Echo = print, work_dir: Path | None = None
) -> None:
    """Block until Ctrl-C, ``workbench down`` or a started server dying (then say which)."""
    mark = stop_mark(work_dir) if work_dir is not None else None
    while True:
        time.sleep(1)
        if mark is not None and mark.exists():
            mark.unlink(missing_ok=True)
            echo("Stop requested by 'workbench down'.")
            return
        process = workspace.labelstudio.process
        if process is not None and process.poll() is not None:
            requested = mark is not None and mark.exists()
            echo(
                describe_exit(
                    "Label Studio", process.returncode, requested, workspace.labelstudio.log
                )
            )
            return
        service = workspace.service_process
        if service is not None and service.poll() is not None:
            echo(
                f"The glossary service exited (status {service.returncode}); Label Studio stays up"
            )
            workspace.service_process = None


def down(config: Config) -> list[str]:
    """Stop the servers ``up`` recorded in the work folder; return what was done.

    A mark file tells the waiting ``up`` that the stop was asked for, so its log says so
    instead of reporting Label Studio's exit status as a failure.
    """
    done = []
    names = (ML_BACKEND, SERVICE, LABELSTUDIO)
    if any(read_run_state(config.work_dir, name) is not None for name in names):
        mark = stop_mark(config.work_dir)
        mark.parent.mkdir(parents=True, exist_ok=True)
        # written before anything is stopped: `up` checks it before the processes
        mark.write_text(now_iso() + "\n", encoding="utf-8")
    helpers = (
        (ML_BACKEND, "glossary ML backend"),
        (SERVICE, "glossary service"),
        (LABELSTUDIO, "Label Studio"),
    )
    for name, label in helpers:
        state = read_run_state(config.work_dir, name)
        if state is None:
            continue
        command = process_command(state.pid)
        if pid_alive(state.pid) and command and not _started_by_up(command):
            # the recorded process is gone and its pid now belongs to something else
            done.append(f"{label} (pid {state.pid}) was not running")
        elif stop_process(state.pid):
            done.append(f"stopped {label} (pid {state.pid}, {state.url})")
        else:
            done.append(f"{label} (pid {state.pid}) was not running")
        clear_run_state(config.work_dir, name)
    if stop_recorded_postgres(config):
        done.append("stopped the workspace's PostgreSQL")
    return done


def _started_by_up(command: str) -> bool:
    return any(mark in command for mark in ("label-studio", "workbench"))


def _server_status(work_dir: Path, name: str, url: str | None = None) -> ServerStatus:
    """What ``up`` recorded for one server; ``url`` (Label Studio's) overrides the record."""
    state = read_run_state(work_dir, name)
    url = url if url is not None else (state.url if state else None)
    if name == LABELSTUDIO:
        reachable: bool | None = is_healthy(url) if url else False
    else:
        reachable = _service_reachable(url) if url else None
    return ServerStatus(
        recorded=state is not None,
        pid=state.pid if state else None,
        pid_alive=pid_alive(state.pid) if state else False,
        url=url,
        reachable=reachable,
    )


def _project_status(config: Config, url: str) -> ProjectStatus:
    title = config.labelstudio.project_title
    try:
        connection = connect(config)
    except LabelStudioError as exc:
        return ProjectStatus(title, exists=None, error=str(exc))
    project = find_project(connection.client, title, url)
    if project is None:
        return ProjectStatus(title, exists=False)
    with api_errors(url, "read project counts"):
        project = connection.client.projects.get(id=project.id)
    return ProjectStatus(
        title,
        exists=True,
        id=project.id,
        tasks=project.task_number,
        tasks_annotated=project.num_tasks_with_annotations,
        annotations=project.total_annotations_number,
        model_version=project.model_version,
    )


def status(config: Config) -> WorkspaceStatus:
    """Report the recorded servers, the database, the project's counts and the progress."""
    url = configured_url(config)
    labelstudio = _server_status(config.work_dir, LABELSTUDIO, url)
    return WorkspaceStatus(
        labelstudio=labelstudio,
        service=_server_status(config.work_dir, SERVICE),
        ml_backend=_server_status(config.work_dir, ML_BACKEND),
        database=describe_database(config),
        progress=snapshot_progress(config.work_dir),
        project=_project_status(config, url) if labelstudio.reachable else None,
    )


def snapshot_progress(work_dir: Path) -> dict[str, Any] | None:
    """Return per-annotator and per-document progress from the latest pulled snapshot."""
    from workbench.snapshot import list_snapshots, read_snapshot
    from workbench.team.progress import compute_progress

    snapshots = list_snapshots(work_dir)
    if not snapshots:
        return None
    return {"snapshot": snapshots[-1].name, **compute_progress(read_snapshot(snapshots[-1]))}


def _service_reachable(url: str) -> bool:
    host, _, port = url.removeprefix("http://").rpartition(":")
    try:
        return port_in_use(host, int(port))
    except ValueError:
        return False
