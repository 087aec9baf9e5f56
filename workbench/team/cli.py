"""Team commands: ``users add|list``, ``agreement`` and ``review``.

``users`` talks to Label Studio; ``agreement`` and ``review`` read the latest pulled
snapshot (``workbench pull`` first), so they work while Label Studio is down.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import click

from workbench.config import Config, PathsConfig, load_config
from workbench.models import SnapshotTask


def _config(work_dir: Path | None) -> Config:
    return load_config(overrides={"paths": {"work_dir": str(work_dir) if work_dir else None}})


_work_dir_option = click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="WORKBENCH_PATHS_WORK_DIR",
    show_envvar=True,
    help=f"Work folder (secrets, snapshots). [default: {PathsConfig.work_dir}]",
)


@click.group("users")
def users_group() -> None:
    """Create and list the team's Label Studio accounts (annotators and reviewers)."""


@users_group.command("add")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice(["annotator", "reviewer"]),
    default="annotator",
    show_default=True,
    help="Reviewers settle disagreements; export --selection reviewed takes their decisions.",
)
@_work_dir_option
def users_add_command(email: str, role: str, work_dir: Path | None) -> None:
    """Create a Label Studio account for EMAIL with a generated password (printed once).

    Run again with another --role to change a member's role. The password is kept in
    <work_dir>/secrets/team.json (readable by its owner only) and never printed again.
    """
    from workbench.labelstudio.client import configured_url
    from workbench.labelstudio.users import add_user, roster_path

    config = _config(work_dir)
    member, created = add_user(config, email, role)
    if created:
        url = configured_url(config)
        click.echo(f"Created {member.email} ({member.role}, Label Studio user {member.user_id}).")
        click.echo(f"  sign in at   {url}/user/login/")
        click.echo(f"  password     {member.password}")
        click.echo(f"  (shown once; kept owner-only in {roster_path(config.work_dir)})")
    else:
        click.echo(f"{member.email} already has an account; role set to {member.role}.")


@users_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_work_dir_option
def users_list_command(as_json: bool, work_dir: Path | None) -> None:
    """List every account of the workspace's Label Studio with its team role."""
    from workbench.labelstudio.users import list_users

    rows = list_users(_config(work_dir))
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(f"{row['email']:<40} {row['role']:<16} id {row['user_id']}")


def _snapshot_records(config: Config, snapshot: str | None) -> tuple[Path, list[SnapshotTask]]:
    from workbench.snapshot import read_snapshot, resolve_snapshot

    path = resolve_snapshot(config.work_dir, snapshot)
    return path, list(read_snapshot(path))


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from workbench.fileio import atomic_write

    with atomic_write(output) as handle:
        handle.write(text)
    click.echo(f"Wrote {output}", err=True)


def _csv(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                for k, v in row.items()
            }
        )
    return buffer.getvalue()


@click.command("agreement")
@click.option("--snapshot", help="Snapshot name or folder. [default: the latest]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv", "pairs-csv"]),
    default="text",
    show_default=True,
    help="json: everything; csv: one row per task; pairs-csv: one row per annotator pair.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@_work_dir_option
def agreement_command(
    snapshot: str | None, fmt: str, output: Path | None, work_dir: Path | None
) -> None:
    """Report how far annotators agree: chrF and exact translations, entity F1 and alpha."""
    from workbench.team.agreement import compute_agreement

    config = _config(work_dir)
    path, records = _snapshot_records(config, snapshot)
    report = compute_agreement(records)
    if fmt == "json":
        payload = {"snapshot": path.name, **report.to_json()}
        _write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", output)
        return
    if fmt == "csv":
        _write(_csv([t.row() for t in report.tasks]), output)
        return
    if fmt == "pairs-csv":
        _write(_csv(report.pairwise), output)
        return
    overall = report.overall
    lines = [
        f"Snapshot {path.name}: {overall['tasks_compared']} task(s) with two or more annotators",
        f"  translation chrF (mean)   {_fmt(overall['chrf_mean'])}",
        f"  exact after normalising   {_fmt(overall['exact_rate'])}",
        f"  entity span F1 (mean)     {_fmt(overall['entity_f1_mean'])}",
        f"  entity Krippendorff alpha {_fmt(overall['entity_alpha'])}",
    ]
    if report.pairwise:
        lines.append("  per annotator pair:")
        for row in report.pairwise:
            lines.append(
                f"    {row['first']} × {row['second']}: {row['tasks']} task(s), "
                f"chrF {_fmt(row['chrf_mean'])}, exact {_fmt(row['exact_rate'])}, "
                f"entity F1 {_fmt(row['entity_f1_mean'])}"
            )
    _write("\n".join(lines) + "\n", output)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


@click.command("review")
@click.option("--snapshot", help="Snapshot name or folder. [default: the latest]")
@click.option("--all", "show_all", is_flag=True, help="Also list tasks already settled.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_work_dir_option
def review_command(
    snapshot: str | None, show_all: bool, as_json: bool, work_dir: Path | None
) -> None:
    """List the review queue: tasks whose annotators disagree or that need review."""
    from workbench.labelstudio.client import configured_url
    from workbench.team.review import review_queue

    config = _config(work_dir)
    path, records = _snapshot_records(config, snapshot)
    items = review_queue(
        records,
        config.team.review_chrf_below,
        config.team.review_entity_f1_below,
    )
    shown = [i for i in items if show_all or not i.settled]
    if as_json:
        click.echo(json.dumps([i.row() for i in shown], ensure_ascii=False, indent=2))
        return
    url = configured_url(config)
    project = _project_id(path)
    open_items = sum(1 for i in items if not i.settled)
    click.echo(f"Snapshot {path.name}: {open_items} open, {len(items) - open_items} settled")
    for item in shown:
        state = f"settled by {item.decision.annotator}" if item.decision else "open"
        link = f"{url}/projects/{project}/data?task={item.task_id}" if project else ""
        click.echo(f"task {item.task_id} [{state}] {item.text[:60]}")
        click.echo(f"  {'; '.join(item.reasons)}  {link}")
        for name, text in item.translations.items():
            click.echo(f"    {name}: {text}")


def _project_id(path: Path) -> int | None:
    from workbench.snapshot import read_snapshot_manifest

    return read_snapshot_manifest(path).get("project_id")


commands: list[click.Command] = [users_group, agreement_command, review_command]
