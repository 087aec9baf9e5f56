"""``workbench align`` and ``workbench import-bilingual``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from workbench.config import Config, load_config
from workbench.errors import ConfigError, GlossaryError, InputError
from workbench.tm.names import FORMATS

_ALIGNER_OPTIONS = [
    click.option(
        "--method",
        type=click.Choice(["embedding", "gale-church"]),
        help="Aligner: embeddings + lengths + numbers + terms, or the length-only baseline.",
    ),
    click.option("--encoder", type=click.Choice(["use", "e5"]), help="Sentence encoder."),
]


def aligner_options(function):
    """Attach the options shared by the two commands."""
    for option in reversed(_ALIGNER_OPTIONS):
        function = option(function)
    return function


def make_aligner(config: Config, method: str | None, encoder: str | None) -> Any:
    """Build the configured aligner; a broken glossary only switches term evidence off."""
    from workbench.align.aligner import Aligner, AlignerSettings
    from workbench.glossary import load_glossary

    settings = AlignerSettings.from_config(config, method=method, encoder=encoder)
    glossary = None
    if settings.use_glossary and settings.method == "embedding":
        try:
            glossary = load_glossary(config=config)
        except (GlossaryError, InputError, ConfigError) as exc:
            click.echo(f"warning: aligning without glossary terms: {exc}", err=True)
    return Aligner(settings, glossary)


@click.command("align")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--interleaved",
    is_flag=True,
    help="FILES is one page whose paragraphs alternate Chinese and English.",
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
    help="Output format.",
)  # fmt: skip
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here, not stdout.")
@aligner_options
def align_command(files, interleaved, fmt, output, method, encoder) -> None:
    """Align a Chinese document with its English translation, one bead per line.

    Give ZH_FILE EN_FILE, or --interleaved FILE. Every sentence of both sides appears in
    exactly one bead; sentences the other side leaves out are 1–0 / 0–1 beads with score 0.
    """
    from workbench.align.documents import align_sides, read_interleaved, read_pair
    from workbench.fileio import atomic_write
    from workbench.ingest.pipeline import Ingester
    from workbench.tm.formats import WRITERS

    if interleaved and len(files) != 1:
        raise click.UsageError("--interleaved takes exactly one FILE")
    if not interleaved and len(files) != 2:
        raise click.UsageError("give two files, ZH_FILE EN_FILE (or --interleaved FILE)")
    config = load_config()
    ingester = Ingester(config)
    if interleaved:
        zh, en = read_interleaved(files[0], ingester)
    else:
        zh, en = read_pair(files[0], files[1], ingester)
    aligner = make_aligner(config, method, encoder)
    document = align_sides(aligner, zh, en, Path(files[0]).stem, [str(f) for f in files])
    records = [bead.to_dict() for bead in document.beads]
    if output:
        with atomic_write(output) as handle:
            WRITERS[fmt](handle, records)
        click.echo(
            f"{len(records)} beads ({document.zh_sentences} zh, {document.en_sentences} en "
            f"sentences) written to {output}",
            err=True,
        )
    else:
        WRITERS[fmt](sys.stdout, records)


@click.command("import-bilingual")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--interleaved", is_flag=True, help="Each file alternates zh and en paragraphs.")
@click.option("--publication", help="Publication title. [default: the zh document's title]")
@click.option("--url", help="Address of the publication.")
@click.option("--date", "published", help="Publication date (ISO 8601).")
@click.option(
    "--threshold",
    type=float,
    help="Beads scoring below this need review. [default: [align] review_threshold]",
)
@click.option(
    "--review/--no-review",
    default=False,
    help="Also send beads that need review to Label Studio, English pre-filled.",
)
@aligner_options
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="Worker processes aligning pairs in parallel (1 = in this process). "
    "[default: [batch] workers, 0 = every core]",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Align on a running Dask scheduler, e.g. tcp://10.0.0.5:8786. "
    "[default: [batch] scheduler]",
)
def import_bilingual_command(
    paths,
    interleaved,
    publication,
    url,
    published,
    threshold,
    review,
    method,
    encoder,
    workers,
    scheduler,
) -> None:
    """Align official bilingual publications and store their pairs in the TM.

    PATHS are NAME.zh.txt / NAME.en.txt pairs (.html too) or folders holding them, or with
    --interleaved pages alternating zh and en paragraphs. Accepted pairs go to the next
    export with origin 'aligned' and their score; the rest are kept for review.
    """
    from workbench.align.importer import import_bilingual
    from workbench.batch.engine import PartitionRunner
    from workbench.batch.settings import batch_settings

    config = load_config()
    aligner = make_aligner(config, method, encoder)
    runner = PartitionRunner(  # the line printed per document is the progress
        batch_settings(config, workers=workers, scheduler=scheduler).engine, progress=False
    )

    def progress(result) -> None:
        click.echo(
            f"{result.doc_id}: {result.beads} beads, {result.accepted} accepted, "
            f"{result.review} to review; {result.added} new in the TM, "
            f"{result.present} already there"
        )

    report = import_bilingual(
        config,
        list(paths),
        interleaved,
        {"publication": publication, "url": url, "published": published},
        threshold,
        aligner=aligner,
        progress=progress,
        runner=runner,
    )
    if review:
        from workbench.labelstudio.align_review import push_review_tasks

        pushed = push_review_tasks(config, report.review_pairs)
        click.echo(
            f"review: {pushed.added} new tasks, {pushed.unchanged} unchanged in Label Studio "
            f"project {pushed.project_id}"
        )


commands: list[click.Command] = [align_command, import_bilingual_command]
