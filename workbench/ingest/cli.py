"""Commands of the ingest stage: ``workbench ingest`` and ``workbench segment``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbench.batch.engine import IN_PROCESS
from workbench.config import load_config
from workbench.errors import InputError

if TYPE_CHECKING:
    from workbench.ingest.pipeline import FileResult

PROGRESS_FROM = 20  # files; shorter runs print their summary lines only


def _overrides(work_dir: Path | None, opencc: str | None, semicolon: bool | None) -> dict:
    return {
        "paths": {"work_dir": str(work_dir) if work_dir else None},
        "ingest": {"opencc_config": opencc},
        "segment": {"split_at_semicolon": semicolon},
    }


def _summary(result: FileResult) -> str:
    """One line per file: encoding, counts, what cleaning removed, metadata found."""
    if not result.ok:
        return f"FAILED {result.error}"
    removed = ", ".join(f"{rule} {n}" for rule, n in sorted(result.removed.items())) or "none"
    found = ", ".join(sorted(result.metadata)) or "none"
    line = (
        f"{result.path} → {result.doc_id}: {result.encoding}, "
        f"{result.paragraphs} paragraphs, {result.sentences} sentences; "
        f"removed: {removed}; metadata: {found}"
    )
    if result.speakers:
        line += f"; speakers: {', '.join(result.speakers)}"
    return line


@click.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--work-dir", type=click.Path(path_type=Path), help="Override [paths] work_dir.")
@click.option("--opencc", help="OpenCC conversion, e.g. t2s, tw2s, hk2s, none.")
@click.option(
    "--split-at-semicolon/--no-split-at-semicolon",
    default=None,
    help="End sentences at ；/; (default: [segment] split_at_semicolon).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the total.")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="Worker processes (1 = in this process). [default: [batch] workers, 0 = every core]",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run on a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (its workers must see "
    "the same files). [default: [batch] scheduler]",
)
def ingest_command(
    paths: tuple[Path, ...],
    work_dir: Path | None,
    opencc: str | None,
    split_at_semicolon: bool | None,
    quiet: bool,
    workers: int | None,
    scheduler: str | None,
) -> None:
    """Ingest text and HTML files (default: seeds/) into the segmented corpus.

    Large inputs are cut into partitions ingested in parallel on every core (or on the
    Dask scheduler given); the corpus is the same whatever the number of workers.
    """
    from tqdm import tqdm

    from workbench.batch.engine import PartitionRunner
    from workbench.batch.settings import batch_settings
    from workbench.ingest.pipeline import ingest_paths, iter_inputs

    config = load_config(overrides=_overrides(work_dir, opencc, split_at_semicolon))
    batch = batch_settings(config, workers=workers, scheduler=scheduler)
    inputs = list(paths) or [config.paths.seeds_dir]
    total = sum(1 for _ in iter_inputs(inputs))
    # The bar counts files; it moves as each partition of files finishes.
    runner = PartitionRunner(batch.engine, progress=False, description="ingest")
    with tqdm(
        total=total, unit="file", disable=total < PROGRESS_FROM, file=sys.stderr, leave=False
    ) as bar:

        def progress(result: FileResult) -> None:
            if not quiet or not result.ok:
                bar.write(_summary(result), file=sys.stdout if result.ok else sys.stderr)
            bar.update(1)

        report = ingest_paths(
            inputs,
            config,
            progress=progress,
            runner=runner,
            partition_files=batch.partition_files,
            in_process_below_bytes=int(batch.in_process_below_mb * 1024 * 1024),
        )
    if runner.last is not None and runner.last.where != IN_PROCESS:
        partitions = len(report.manifest["partitions"]) if report.manifest else 0
        click.echo(f"{partitions} partitions ingested on {runner.last.where}", err=True)
    if report.manifest is not None:
        click.echo(
            f"corpus: {report.manifest['documents']} documents, "
            f"{report.manifest['sentences']} sentences → {report.corpus}"
        )
    if report.failed:
        raise InputError(
            f"{len(report.failed)} of {report.files} files could not be ingested "
            f"({', '.join(r.path for r in report.failed)}); see the reasons above"
            + ("" if report.manifest else "; the previous corpus was left as it was")
        )


@click.command("segment")
@click.argument("source", default="-", type=click.Path(allow_dash=True, path_type=Path))
@click.option("--opencc", help="OpenCC conversion, e.g. t2s, tw2s, hk2s, none.")
@click.option(
    "--split-at-semicolon/--no-split-at-semicolon",
    default=None,
    help="End sentences at ；/; (default: [segment] split_at_semicolon).",
)
@click.option(
    "--structure/--no-structure",
    default=True,
    help="Recognise speaker labels and numbering (as ingest does); off: every line is text.",
)
def segment_command(
    source: Path, opencc: str | None, split_at_semicolon: bool | None, structure: bool
) -> None:
    """Split a plain text (FILE or - for stdin; lines are paragraphs) into JSON sentences.

    Prints one JSON object per line: text (as in the input), start and end (code-point
    offsets into the input), paragraph, index, normalized, speaker, kind, label, id.
    """
    from workbench.ingest.clean import split_lines
    from workbench.ingest.decode import decode_bytes
    from workbench.ingest.files import input_limit, read_input_file, read_limited
    from workbench.ingest.pipeline import Ingester
    from workbench.models import Document

    config = load_config(overrides=_overrides(None, opencc, split_at_semicolon))
    limit = input_limit(config.ingest.max_file_mb)
    if str(source) == "-":
        data = read_limited(sys.stdin.buffer, "<stdin>", limit)
        name, doc_id = "<stdin>", "stdin"
    else:
        data = read_input_file(source, limit)
        name, doc_id = str(source), source.stem
    text = decode_bytes(data, name).text if data else ""
    ingester = Ingester(config)
    document = Document(id=doc_id, source_path=name, sha256="", encoding="", original=text)
    lines = split_lines(text)
    sentences = ingester.sentences_of(document, lines, structure=structure)
    out = sys.stdout
    for s in sentences:
        record = {
            "text": s.source_text,
            "start": s.start,
            "end": s.end,
            "paragraph": s.paragraph,
            "index": s.index,
            "normalized": s.text,
            "speaker": s.speaker,
            "kind": s.kind,
            "label": s.label,
            "id": s.id,
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


commands: list[click.Command] = [ingest_command, segment_command]
