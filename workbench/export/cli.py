"""``workbench export`` and ``workbench qa``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from workbench.config import Config, load_config
from workbench.errors import ExportError
from workbench.export.names import FORMAT_NAMES, SCRIPT_TAGS
from workbench.export.select import SELECTION_MODES


def _documents_bytes(config: Config) -> int:
    """Size of the corpus's document files (0 without a corpus)."""
    from workbench.corpus import corpus_dir

    corpus = corpus_dir(config.work_dir)
    return sum(p.stat().st_size for p in corpus.glob("**/documents.jsonl") if p.is_file())


@click.command("export")
@click.option("--name", help="Folder under exports/ to (re)write. [default: [export] name]")
@click.option("--snapshot", help="Snapshot folder name or path. [default: the latest]")
@click.option(
    "--selection",
    type=click.Choice(SELECTION_MODES),
    help="Which annotation counts per task. [default: [export] selection]",
)
@click.option("--seed", type=int, help="Seed of the train/dev/test split by document.")
@click.option(
    "--script",
    "scripts",
    multiple=True,
    type=click.Choice(sorted(SCRIPT_TAGS)),
    help="Also write a Traditional-script copy of the zh side (repeatable).",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMAT_NAMES),
    help="Write only these formats (repeatable). [default: [export] formats]",
)
@click.option(
    "--hold-back",
    type=click.Choice(["never", "error", "warning"]),
    help="Keep pairs with a QA finding this severe (or worse) out of every split; they go "
    "to held_back.jsonl. [default: [export] hold_back]",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="Worker processes reading the corpus partitions (1 = in this process). "
    "[default: [batch] workers, 0 = every core]",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Read the corpus on a running Dask scheduler. [default: [batch] scheduler]",
)
def export_command(
    name, snapshot, selection, seed, scripts, formats, hold_back, workers, scheduler
) -> None:
    """Write parallel corpora, entity data, QA report and dataset card to exports/<name>/."""
    from workbench.batch.engine import map_in_order
    from workbench.batch.settings import batch_settings
    from workbench.export.run import export_dataset

    config = load_config()
    batch = batch_settings(config, workers=workers, scheduler=scheduler)
    # Reading a small corpus here is quicker than starting a cluster to read it.
    small = _documents_bytes(config) < batch.in_process_below_mb * 1024 * 1024
    mapper = None
    if batch.engine.scheduler or not small:
        mapper = map_in_order(batch.engine, description="corpus partition")
    result = export_dataset(
        config,
        mapper=mapper,
        name=name,
        snapshot=snapshot,
        selection=selection,
        seed=seed,
        scripts=list(scripts) or None,
        formats=list(formats) or None,
        hold_back=hold_back,
    )
    counts = result.manifest["counts"]
    splits = ", ".join(f"{n} {s}" for s, n in counts["splits"].items())
    left_out = ", ".join(f"{n} {r}" for r, n in counts["left_out"].items()) or "none"
    dups = counts["duplicates"]
    qa = result.qa["by_severity"]
    click.echo(f"exported {counts['pairs']} pairs ({splits}) to {result.path}")
    click.echo(
        f"left out: {left_out}; duplicates removed: {dups['exact']} exact, {dups['near']} near"
    )
    held = counts["held_back"]
    if held["pairs"]:
        reasons = ", ".join(f"{n} {check}" for check, n in held["by_check"].items())
        click.echo(
            f"held back by QA: {held['pairs']} pairs ({reasons}); "
            f"see {result.path / 'held_back.jsonl'}"
        )
    click.echo(
        f"qa: {qa['error']} errors, {qa['warning']} warnings, {qa['info']} info "
        f"(see {result.path / 'qa.json'})"
    )
    if result.qa["terminology"] != "checked":
        click.echo(f"warning: terminology {result.qa['terminology']}", err=True)
    for warning in result.manifest.get("warnings", []):
        click.echo(f"warning: {warning}", err=True)


@click.command("qa")
@click.option("--snapshot", help="Snapshot folder name or path. [default: the latest]")
@click.option("--selection", type=click.Choice(SELECTION_MODES), help="Which annotation counts.")
@click.option("--json", "json_path", type=click.Path(path_type=Path), help="Write findings here.")
@click.option("--limit", default=50, show_default=True, help="Findings to print (0: none).")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="never",
    show_default=True,
    help="Exit with status 1 when a finding of this severity (or worse) exists.",
)
def qa_command(snapshot, selection, json_path, limit, fail_on) -> None:
    """Check the translations of a snapshot: terms, numbers, script, length, consistency."""
    from workbench.export.qa_run import run_qa

    config = load_config()
    report = run_qa(config, snapshot=snapshot, selection=selection)
    shown = []
    for n, finding in enumerate(report.iter_findings()):
        if n >= limit:
            break
        shown.append(finding)
    links = _task_links(config, snapshot, selection, shown)
    for finding in shown:
        click.echo(
            f"{finding['sentence_id']}\t{finding['severity']}\t{finding['check']}\t"
            f"{finding['message']}"
        )
        link = links.get(str(finding["sentence_id"]))
        if link is not None:
            click.echo(f"  zh: {link.zh}")
            click.echo(f"  en: {link.en or '(no translation)'}")
            if link.url:
                click.echo(f"  task: {link.url}")
    total = sum(report.by_check.values())
    if total > len(shown) and limit:
        click.echo(f"… {total - len(shown)} more")
    summary = report.summary()
    click.echo(json.dumps(summary, ensure_ascii=False))
    if report.terminology != "checked":
        click.echo(f"warning: terminology {report.terminology}", err=True)
    if json_path:
        report.write_json(json_path)
    worst = summary["by_severity"]
    failing = {"error": worst["error"], "warning": worst["error"] + worst["warning"]}
    if fail_on != "never" and failing[fail_on]:
        raise ExportError(f"QA found {failing[fail_on]} finding(s) at {fail_on} or worse")


def _task_links(config, snapshot, selection, findings) -> dict:
    """Return the Label Studio task and zh/en pair of each printed finding's sentence."""
    from workbench.export.run import ExportSettings
    from workbench.labelstudio.links import task_links
    from workbench.snapshot import resolve_snapshot

    if not findings:
        return {}
    settings = ExportSettings.from_config(config, snapshot=snapshot, selection=selection)
    return task_links(
        resolve_snapshot(config.work_dir, settings.snapshot),
        {str(f["sentence_id"]) for f in findings},
        settings.selection,
        settings.agreement_min,
    )


commands: list[click.Command] = [export_command, qa_command]
