"""Commands of the Label Studio stage: ``labelstudio install``, ``up``, ``down``,
``status``, ``push`` and ``pull``.

Every host, port, URL and folder is a flag that also reads the environment variable the
config layer uses (``WORKBENCH_<SECTION>_<KEY>``), so ``--help`` shows it and scripts can
run two workspaces side by side.
"""

from __future__ import annotations

import functools
import json
import shlex
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from workbench.config import (
    Config,
    LabelStudioConfig,
    PathsConfig,
    ServiceConfig,
    load_config,
)

HOST_ENV = "WORKBENCH_LABELSTUDIO_HOST"


def _config_options(func: Callable) -> Callable:
    """Add the options that say which workspace a command acts on."""

    @click.option(
        "--work-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="WORKBENCH_PATHS_WORK_DIR",
        show_envvar=True,
        help="Work folder (corpus, Label Studio data, secrets, snapshots). "
        f"[default: {PathsConfig.work_dir}]",
    )
    @click.option(
        "--ls-url",
        envvar="WORKBENCH_LABELSTUDIO_URL",
        show_envvar=True,
        help="Use this running Label Studio instead of the workspace's own.",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, work_dir: Path | None, ls_url: str | None, **kwargs: Any) -> Any:
        overrides: dict[str, dict[str, Any]] = {
            "paths": {"work_dir": str(work_dir) if work_dir else None},
            "labelstudio": {"url": ls_url},
        }
        return func(*args, overrides=overrides, **kwargs)

    return wrapper


def _load(overrides: dict[str, dict[str, Any]], **extra: dict[str, Any]) -> Config:
    for section, values in extra.items():
        overrides.setdefault(section, {}).update(values)
    return load_config(overrides=overrides)


@click.group("labelstudio")
def labelstudio_group() -> None:
    """Manage the Label Studio installation the workspace runs."""


@labelstudio_group.command("install")
def install_command() -> None:
    """Install the pinned Label Studio into its own venv (quick when already there)."""
    from workbench.labelstudio.install import (
        ensure_installed,
        ensure_postgres_driver,
        installed_version,
        venv_dir,
    )

    config = load_config()
    wanted = config.labelstudio.version
    before = installed_version(config)
    executable = ensure_installed(config, echo=click.echo)
    ensure_postgres_driver(config, echo=click.echo)  # team mode runs it on PostgreSQL
    state = "already installed" if before == wanted else "installed"
    click.echo(f"label-studio {wanted} {state} in {venv_dir(config)} ({executable.name})")


@click.command("up")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--host",
    envvar=HOST_ENV,
    show_envvar=True,
    help="Address Label Studio and the glossary service bind to. "
    f"[default: {LabelStudioConfig.host}]",
)
@click.option(
    "--ls-port",
    "--port",
    "ls_port",
    type=int,
    envvar="WORKBENCH_LABELSTUDIO_PORT",
    show_envvar=True,
    help=f"Label Studio port. [default: {LabelStudioConfig.port}]",
)
@click.option(
    "--service-port",
    type=int,
    envvar="WORKBENCH_SERVICE_PORT",
    show_envvar=True,
    help=f"Glossary lookup service port. [default: {ServiceConfig.port}]",
)
@click.option("--no-service", is_flag=True, help="Do not start the glossary lookup service.")
@click.option(
    "--ml-port",
    type=int,
    envvar="WORKBENCH_LABELSTUDIO_ML_PORT",
    show_envvar=True,
    help="Port of the glossary ML backend (pre-annotates tasks added in the UI). "
    f"[default: {LabelStudioConfig.ml_port}]",
)
@click.option("--no-ml-backend", is_flag=True, help="Do not start the glossary ML backend.")
@click.option(
    "--db",
    "database",
    type=click.Choice(["sqlite", "postgres"]),
    envvar="WORKBENCH_LABELSTUDIO_DATABASE",
    show_envvar=True,
    help="Label Studio's database: embedded SQLite, or PostgreSQL for a team "
    "([labelstudio] postgres_dsn, else a cluster run in the work folder). "
    f"[default: {LabelStudioConfig.database}]",
)
@_config_options
def up_command(
    paths: tuple[Path, ...],
    host: str | None,
    ls_port: int | None,
    service_port: int | None,
    no_service: bool,
    ml_port: int | None,
    no_ml_backend: bool,
    database: str | None,
    overrides: dict[str, dict[str, Any]],
) -> None:
    """Bring up the annotator workspace and wait until Ctrl-C.

    Installs Label Studio if needed, starts it (unless --ls-url/[labelstudio] url names a
    reachable one), ingests and segments PATHS (default: the seeds folder), tags them
    with the glossary, creates or updates the project and pushes every sentence as a
    pre-annotated task, then starts the glossary lookup service. Ctrl-C stops what this
    command started; 'workbench down' does the same from another shell.
    """
    from workbench.workspace import shutdown, up, wait_until_interrupted

    config = _load(
        overrides,
        labelstudio={"host": host, "port": ls_port, "ml_port": ml_port, "database": database},
        service={"host": host, "port": service_port},
    )
    inputs = list(paths) or [config.paths.seeds_dir]
    # SIGINT explicitly too: a shell that starts us in the background ignores it otherwise
    stops = (signal.SIGTERM, signal.SIGINT)
    previous = {sig: signal.signal(sig, _terminate) for sig in stops}
    try:
        workspace = up(
            config,
            inputs,
            service_host=config.service.host,
            service_port=config.service.port,
            with_service=not no_service,
            echo=click.echo,
            ml_port=None if no_ml_backend else config.labelstudio.ml_port or None,
        )
        try:
            _print_workspace(config, workspace)
            wait_until_interrupted(workspace, echo=click.echo, work_dir=config.work_dir)
        except KeyboardInterrupt:
            click.echo("\nStopping ...")
        finally:
            shutdown(config, workspace)
        click.echo("Stopped what 'workbench up' started.")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _terminate(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the workspace the same way Ctrl-C does


def _print_workspace(config: Config, workspace: Any) -> None:
    from workbench.labelstudio.auth import mask, secrets_file
    from workbench.workspace import status

    handle = workspace.labelstudio
    how = {
        "configured": "configured server",
        "running": "already running",
    }.get(handle.reused, f"started, pid {handle.process.pid if handle.process else '?'}")
    push = workspace.push
    click.echo("")
    click.echo(f"Label Studio      {handle.url}  ({how})")
    if push is not None:
        click.echo(
            f"  project         {push.project_title}: {handle.url}/projects/{push.project_id}/"
        )
    click.echo(f"  login           {handle.credentials.username}")
    if config.labelstudio.password:
        click.echo("  password        as set in WORKBENCH_LABELSTUDIO_PASSWORD / config")
    else:
        path = secrets_file(config.work_dir)
        click.echo(f"  password        kept in {path} ({mask(handle.credentials.password)})")
        click.echo(f"  show it with    {show_password_command(path)}")
    if push is not None:
        _print_push(push)
        project = status(config).project
        if project is not None and project.exists:
            click.echo(f"Tasks waiting     {project.tasks_waiting} of {project.tasks}")
    if workspace.service_url:
        click.echo(f"Glossary service  {workspace.service_url}")
        if config.service.curator_token.strip():
            click.echo("  curator token   as set in WORKBENCH_SERVICE_CURATOR_TOKEN / config")
        else:
            from workbench.web.curator import token_file

            path = token_file(config)
            click.echo(f"  curator token   kept in {path}")
            click.echo(f"  show it with    {show_file_command(path)}")
    if workspace.ml_url:
        click.echo(f"ML backend        {workspace.ml_url} (glossary pre-annotations for new tasks)")
    for note in workspace.notes:
        click.echo(f"Note: {note}")
    click.echo("Press Ctrl-C to stop (or run 'workbench down' from another shell).")


def show_password_command(path: Path) -> str:
    """Return a one-line shell command that prints the password kept in ``path``.

    The workbench prints where a secret is and how to read it, never the secret itself,
    so it does not end up in terminal scroll-back or in the log of a background ``up``.
    """
    script = 'import json,sys; print(json.load(open(sys.argv[1]))["password"])'
    return f"python3 -c {shlex.quote(script)} {shlex.quote(str(path))}"


def show_file_command(path: Path) -> str:
    """Return a one-line shell command that prints a secret kept alone in a file."""
    return f"cat {shlex.quote(str(path))}"


def _print_push(report: Any) -> None:
    click.echo(
        f"Pushed            {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.conflicts)} conflicts "
        f"(model version {report.model_version})"
    )
    if report.refreshed:
        click.echo(
            f"  {report.refreshed} annotated task(s) got renewed context, hints or links "
            "(same sentence; annotations untouched)"
        )
    if report.conflicts:
        shown = ", ".join(report.conflicts[:10])
        more = f" and {len(report.conflicts) - 10} more" if len(report.conflicts) > 10 else ""
        click.echo(f"  annotated tasks whose sentence changed, left as they are: {shown}{more}")
    if report.stale:
        click.echo(
            f"  {len(report.stale)} task(s) whose sentence is no longer in the corpus (kept)"
        )


@click.command("down")
@_config_options
def down_command(overrides: dict[str, dict[str, Any]]) -> None:
    """Stop the Label Studio and glossary service that 'workbench up' started."""
    from workbench.workspace import down

    done = down(_load(overrides))
    for line in done or ["nothing recorded as running in this work folder"]:
        click.echo(line)


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@_config_options
def status_command(as_json: bool, overrides: dict[str, dict[str, Any]]) -> None:
    """Report whether the workspace's servers run and how many tasks the project holds."""
    from workbench.workspace import status

    report = status(_load(overrides))
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
        return
    ls = report.labelstudio
    pid = (
        f"pid {ls.pid} {'running' if ls.pid_alive else 'not running'}"
        if ls.pid
        else "not started here"
    )
    reachable = "reachable" if ls.reachable else "NOT reachable"
    click.echo(f"Label Studio      {ls.url}: {reachable} ({pid})")
    database = report.database
    if database.get("kind") == "postgres":
        where = f"{database.get('host')}:{database.get('port')}"
        how = "workbench-managed" if database.get("managed") else "external (postgres_dsn)"
        running = (
            ""
            if not database.get("managed")
            else (", running" if database.get("running") else ", NOT running")
        )
        click.echo(f"  database        PostgreSQL {where} ({how}{running})")
    elif database:
        click.echo("  database        SQLite (embedded)")
    project = report.project
    if project and project.exists:
        click.echo(
            f"  project         {project.title} (id {project.id}): {project.tasks} tasks, "
            f"{project.tasks_annotated} annotated, {project.annotations} annotations, "
            f"model version {project.model_version}"
        )
    elif project and project.error:
        click.echo(f"  project         {project.title}: cannot be read: {project.error}")
    elif project:
        click.echo(f"  project         {project.title}: not created yet (run 'workbench push')")
    service = report.service
    if service.recorded:
        state = "reachable" if service.reachable else "NOT reachable"
        click.echo(f"Glossary service  {service.url}: {state} (pid {service.pid})")
    else:
        click.echo("Glossary service  not started by 'workbench up'")
    backend = report.ml_backend
    if backend.recorded:
        state = "reachable" if backend.reachable else "NOT reachable"
        click.echo(f"ML backend        {backend.url}: {state} (pid {backend.pid})")
    _print_progress(report.progress)


def _print_progress(progress: dict[str, Any] | None) -> None:
    if not progress:
        click.echo("Progress          no snapshot yet (run 'workbench pull')")
        return
    click.echo(f"Progress          from snapshot {progress['snapshot']}")
    for row in progress["annotators"]:
        median = f"{row['median_seconds']} s" if row["median_seconds"] is not None else "n/a"
        role = f" ({row['role']})" if row.get("role") else ""
        click.echo(
            f"  {row['annotator']}{role}: {row['tasks_done']} tasks, {row['words']} words, "
            f"median {median} per task"
        )
    for row in progress["documents"]:
        click.echo(
            f"  document {row['doc_id']}: {row['done']} of {row['tasks']} tasks annotated, "
            f"{row['words']} words"
        )


@click.command("push")
@_config_options
def push_command(overrides: dict[str, dict[str, Any]]) -> None:
    """Send the corpus to Label Studio: add new sentences, update unannotated changed ones.

    Idempotent: running it again adds nothing. Annotated tasks are never touched; if their
    sentence changed they are listed as conflicts.
    """
    from workbench.labelstudio.sync import push_corpus

    _print_push(push_corpus(_load(overrides)))


@click.command("pull")
@_config_options
def pull_command(overrides: dict[str, dict[str, Any]]) -> None:
    """Fetch every annotation into a new dated snapshot under the work folder."""
    from workbench.labelstudio.sync import pull_snapshot
    from workbench.snapshot import read_snapshot_manifest

    path = pull_snapshot(_load(overrides))
    manifest = read_snapshot_manifest(path)
    click.echo(f"Snapshot {path}: {manifest['tasks']} tasks, {manifest['annotations']} annotations")


@click.command("resegment")
@click.option("--snapshot", help="Snapshot folder name or path. [default: the latest]")
@click.option("--push", "then_push", is_flag=True, help="Push the corpus to Label Studio after.")
@_config_options
def resegment_command(
    snapshot: str | None, then_push: bool, overrides: dict[str, dict[str, Any]]
) -> None:
    """Apply reviewed merge/split flags (status final) from a snapshot to the corpus.

    Only flagged sentences change; every other sentence keeps its id. Tasks of replaced
    sentences stay in Label Studio with their annotations. Run 'workbench pull' first so
    the snapshot holds the latest flags; re-running changes nothing.
    """
    from workbench.workspace import apply_segmentation_flags

    config = _load(overrides)
    report = apply_segmentation_flags(config, snapshot)
    for edit in report.edits:
        click.echo(f"{edit['kind']:<6} {' + '.join(edit['from'])} -> {' + '.join(edit['to'])}")
    for sentence_id, why in report.skipped:
        click.echo(f"not applied {sentence_id}: {why}")
    click.echo(
        f"{len(report.edits)} edit(s): {report.sentences_before} sentences -> "
        f"{report.sentences_after}; {len(report.skipped)} flag(s) not applied, "
        f"{report.applied_before} applied earlier"
    )
    if then_push:
        from workbench.labelstudio.sync import push_corpus

        _print_push(push_corpus(config))
    elif report.changed:
        click.echo("Run 'workbench push' to send the new sentences to Label Studio.")


commands: list[click.Command] = [
    labelstudio_group,
    up_command,
    down_command,
    status_command,
    push_command,
    pull_command,
    resegment_command,
]
