"""``workbench glossary …``: check, look up, match, tag, mine, export and import terms.

Output formats here are an interface (other tools and checks call these commands):
``match`` prints one JSON object per line with start, end, text, id, zh, en, category;
``lookup --json`` prints ``Entry.to_dict()``; ``check`` prints ``file:line: message``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from workbench.config import load_config
from workbench.errors import GlossaryError


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


@click.group("glossary")
def glossary() -> None:
    """Policy glossary: check the term files, find terms, tag the corpus, mine, interchange."""


@glossary.command("check")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per problem.")
def check_command(path: Path | None, as_json: bool) -> None:
    """Validate the term files (default: every glossary/*.tsv); exit 1 on any problem."""
    from workbench.glossary.check import check_glossary, glossary_files
    from workbench.glossary.termbase import glossary_path, load_glossary

    path = glossary_path(path, None if path else load_config())
    problems = check_glossary(path)
    for problem in problems:
        click.echo(_dump(problem.to_dict()) if as_json else str(problem))
    if problems:
        # An exception, not click's Exit: workbench.cli.main turns it into exit status 1.
        raise GlossaryError(f"{len(problems)} problem(s) in {path}; fix them and re-run")
    glossary = load_glossary(path)
    approved = sum(entry.status == "approved" for entry in glossary.entries)
    click.echo(
        f"ok: {len(glossary)} entries ({approved} approved, {len(glossary) - approved} "
        f"proposed) in {len(glossary_files(path))} file(s), version {glossary.version}"
    )


@glossary.command("lookup")
@click.argument("term")
@click.option("--json", "as_json", is_flag=True, help="Print the entry as one JSON object.")
@click.option("--glossary", "path", type=click.Path(path_type=Path), help="Glossary folder.")
def lookup_command(term: str, as_json: bool, path: Path | None) -> None:
    """Print the entry for a Chinese term (any script or variant), an id or an English rendering."""
    from workbench.glossary.termbase import load_glossary

    glossary = load_glossary(path, None if path else load_config())
    entry = glossary.by_zh(term) or glossary.get(term.strip()) or glossary.by_en(term)
    if entry is None:
        near = glossary.search(term)
        hint = "; similar: " + ", ".join(f"{e.zh} ({e.id})" for e in near) if near else ""
        raise GlossaryError(f"{term!r} is not in the glossary{hint}")
    if as_json:
        from workbench.glossary.fold import script_forms

        written = entry.zh_forms
        generated = [f for form in written for f in script_forms(form) if f not in written]
        record = {
            **entry.to_dict(),
            "enforcement": entry.level,  # as QA applies it
            "enforcement_from": "entry" if entry.enforcement else "category",
            "generated_forms": list(dict.fromkeys(generated)),  # Traditional, by OpenCC
            "glossary_version": glossary.version,
        }
        click.echo(_dump(record))
        return
    rows = [
        ("id", entry.id),
        ("zh", entry.zh),
        ("variants", " | ".join(entry.zh_variants)),
        ("en", entry.en),
        ("alternatives", " | ".join(entry.en_alternatives)),
        ("forbidden", " | ".join(entry.en_forbidden)),
        ("category", entry.category),
        ("status", entry.status),
        ("enforcement", entry.level + ("" if entry.enforcement else " (category default)")),
        ("note", entry.note),
        ("source", entry.source),
        ("url", entry.source_url),
        ("file", f"{entry.file}:{entry.line}"),
    ]
    for label, value in rows:
        if value:
            click.echo(f"{label:<13}{value}")


@glossary.command("match")
@click.argument("file", default="-", type=click.File("r", encoding="utf-8-sig"))
@click.option("--glossary", "path", type=click.Path(path_type=Path), help="Glossary folder.")
@click.option(
    "--derived",
    is_flag=True,
    help="Also print derived compounds (glossary terms + generic heads/modifiers), kind 'derived'.",
)
@click.option(
    "--queue",
    is_flag=True,
    help="With --derived: add each derived compound, with its sentence, to the curator queue.",
)
def match_command(file, path: Path | None, derived: bool, queue: bool) -> None:
    """Print one JSON object per glossary term found in FILE (or standard input).

    Keys: start, end (code-point offsets into the text as read, BOM excluded), text,
    entry_id, zh, en (approved rendering), category: a TermMatch record plus the category.
    With --derived, one more object per derived compound follows the matches: kind
    "derived", start, end, text, zh, en (a SUGGESTED English composed from the parts,
    never an approved rendering) and parts.
    """
    from workbench.glossary.termbase import load_glossary

    if queue and not derived:
        raise click.UsageError(
            "--queue sends derived compounds to the curator queue; add --derived"
        )
    config = load_config()
    glossary = load_glossary(path, None if path else config)
    matcher = glossary.matcher()
    text = file.read()
    out = sys.stdout
    matches = matcher.find(text)
    for match in matches:
        entry = matcher.entry(match)
        record = {**match.to_dict(), "category": entry.category if entry else None}
        out.write(_dump(record) + "\n")
    if not derived:
        return
    from workbench.glossary.compound import CompoundRecogniser, queue_compounds, sentence_around

    compounds = CompoundRecogniser(matcher).find(text, matches)
    for compound in compounds:
        out.write(_dump(compound.to_dict()) + "\n")
    if queue:
        from workbench.web.suggestions import SuggestionStore, store_path

        store = SuggestionStore(store_path(config.work_dir))
        added, known = queue_compounds(
            store, ((c, sentence_around(text, c.start, c.end), "") for c in compounds)
        )
        click.echo(f"{added} new proposal(s) in the curator queue, {known} already there", err=True)


@glossary.command("tag")
@click.option("--glossary", "path", type=click.Path(path_type=Path), help="Glossary folder.")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="Worker processes tagging corpus partitions (1 = in this process). "
    "[default: [batch] workers, 0 = every core]",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Tag on a running Dask scheduler. [default: [batch] scheduler]",
)
def tag_command(path: Path | None, workers: int | None, scheduler: str | None) -> None:
    """Add glossary matches to every sentence of the segmented corpus (re-run safe)."""
    from workbench.batch.engine import PartitionRunner
    from workbench.batch.settings import batch_settings
    from workbench.glossary.tag import tag_corpus
    from workbench.glossary.termbase import load_glossary

    config = load_config()
    batch = batch_settings(config, workers=workers, scheduler=scheduler)
    summary = tag_corpus(
        config,
        load_glossary(path, config),
        runner=PartitionRunner(batch.engine, progress=False, description="tag"),
        glossary_source=path,
        in_process_below_bytes=int(batch.in_process_below_mb * 1024 * 1024),
    )
    click.echo(
        f"tagged {summary['sentences']} sentences in {summary['documents']} documents: "
        f"{summary['matches']} matches of {summary['entries_matched']} entries "
        f"(glossary {summary['glossary_version']})"
    )


@glossary.command("mine")
@click.argument("sources", nargs=-1)
@click.option("--top", default=100, show_default=True, help="How many candidates to keep.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Review queue to write (default: <work_dir>/glossary/mined.tsv; .jsonl for JSON).",
)
@click.option("--glossary", "path", type=click.Path(path_type=Path), help="Glossary folder.")
def mine_command(
    sources: tuple[str, ...], top: int, output: Path | None, path: Path | None
) -> None:
    """Propose terms the glossary lacks from SOURCES (text/HTML files or folders, read as
    ingest reads them, or 'corpus' for the segmented corpus; default: corpus), ranked, as
    proposed rows."""
    from workbench.fileio import atomic_write, write_jsonl
    from workbench.glossary.mine import mine_terms, sentences_from_corpus, sentences_from_files
    from workbench.glossary.termbase import load_glossary, render_tsv
    from workbench.ingest.pipeline import Ingester

    config = load_config()
    sources = sources or ("corpus",)
    sentences: list[str] = []
    ingester = None
    for source in sources:
        if source == "corpus":
            sentences.extend(sentences_from_corpus(config))
        elif Path(source).exists():
            # Files are read as `workbench ingest` reads them, with the same settings.
            ingester = ingester or Ingester(config)
            sentences.extend(sentences_from_files([Path(source)], ingester))
        else:
            raise GlossaryError(f"{source} does not exist; give text files, folders or 'corpus'")
    candidates = mine_terms(sentences, load_glossary(path, config), top=top)
    output = output or config.work_dir / "glossary" / "mined.tsv"
    with atomic_write(output, "w") as handle:
        if output.suffix == ".jsonl":
            write_jsonl(handle, (c.to_dict() for c in candidates))
        else:
            handle.write(render_tsv(c.to_entry() for c in candidates))
    for rank, candidate in enumerate(candidates, start=1):
        click.echo(f"{rank:>4}  {candidate.frequency:>5}  {candidate.kind:<18}{candidate.zh}")
    click.echo(f"wrote {len(candidates)} proposed rows to {output}", err=True)


@glossary.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["tbx", "csv"]), default="tbx", show_default=True
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File (default: stdout).")
@click.option("--glossary", "path", type=click.Path(path_type=Path), help="Glossary folder.")
def export_command(fmt: str, output: Path | None, path: Path | None) -> None:
    """Export the term base as TBX-Basic (ISO 30042:2008) or CSV for CAT tools/spreadsheets."""
    from workbench.glossary.csvfile import csv_text, write_csv
    from workbench.glossary.tbx import glossary_tbx, write_tbx
    from workbench.glossary.termbase import load_glossary

    glossary = load_glossary(path, None if path else load_config())
    if output is None:
        if fmt == "tbx":
            sys.stdout.buffer.write(glossary_tbx(glossary.entries, glossary.version))
        else:
            sys.stdout.write(csv_text(glossary.entries))
        return
    if fmt == "tbx":
        write_tbx(output, glossary.entries, glossary.version)
    else:
        write_csv(output, glossary.entries)
    click.echo(f"wrote {len(glossary)} entries to {output}", err=True)


@glossary.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--into",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Term file to merge into (default: <glossary_dir>/imported.tsv).",
)
@click.option("--format", "fmt", type=click.Choice(["tbx", "csv"]), help="Default: by suffix.")
def import_command(file: Path, into: Path | None, fmt: str | None) -> None:
    """Merge entries from a TBX or CSV file into a term file (same id = replaced).

    The whole resulting glossary is checked first; on any problem nothing is written.
    """
    from workbench.glossary.csvfile import read_csv
    from workbench.glossary.tbx import read_tbx
    from workbench.glossary.termbase import glossary_lock, load_glossary, write_checked

    fmt = fmt or ("csv" if file.suffix.lower() == ".csv" else "tbx")
    incoming = read_csv(file) if fmt == "csv" else read_tbx(file)
    if into is None:
        into = load_config().paths.glossary_dir / "imported.tsv"
    if into.suffix != ".tsv":
        raise GlossaryError(f"--into {into} must be a .tsv file (the loader reads *.tsv)")
    with glossary_lock(into.parent):
        existing = load_glossary(into).entries if into.exists() else []
        positions = {entry.id: i for i, entry in enumerate(existing)}
        merged = list(existing)
        replaced = 0
        for entry in incoming:
            if entry.id in positions:
                merged[positions[entry.id]] = entry
                replaced += 1
            else:
                positions[entry.id] = len(merged)
                merged.append(entry)
        result = write_checked(into.parent, into, merged)
    click.echo(
        f"imported {len(incoming)} entries into {into} ({replaced} replaced, "
        f"{len(incoming) - replaced} new); glossary version {result.version}"
    )


commands: list[click.Command] = [glossary]


@glossary.command("renderings")
@click.argument("pairs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--measure",
    type=click.Choice(["llr", "dice"]),
    default="llr",
    show_default=True,
    help="Association: log-likelihood ratio (G²) or Dice.",
)
@click.option("--top", default=3, show_default=True, help="Candidates kept per entry.")
@click.option(
    "--min-pairs", default=2, show_default=True, help="Pairs that must hold term and n-gram."
)
@click.option("--examples", default=3, show_default=True, help="Example pairs per candidate.")
@click.option(
    "--queue/--no-queue",
    default=True,
    show_default=True,
    help="Add the candidates to the curator queue as rendering proposals.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the candidates to FILE (.jsonl with examples, else TSV).",
)
@click.option("--glossary", "path", type=click.Path(path_type=Path), help="Glossary folder.")
def renderings_command(
    pairs: tuple[Path, ...],
    measure: str,
    top: int,
    min_pairs: int,
    examples: int,
    queue: bool,
    output: Path | None,
    path: Path | None,
) -> None:
    """Propose English renderings for glossary entries from aligned PAIRS (.jsonl, .tsv, .tmx).

    Ranks, per entry, the English n-grams that co-occur with its zh forms across the
    pairs, leaves out what its renderings already cover, and adds the best to the curator
    queue (the service's proposal store) with example pairs. Re-running adds nothing twice.
    """
    from workbench.fileio import atomic_write, write_jsonl
    from workbench.glossary.renderings import propose_renderings, read_pairs
    from workbench.glossary.termbase import load_glossary
    from workbench.web.suggestions import SuggestionStore, store_path

    config = load_config()
    aligned = [pair for source in pairs for pair in read_pairs(source)]
    candidates = propose_renderings(
        aligned,
        load_glossary(path, config),
        measure=measure,
        top=top,
        min_pairs=min_pairs,
        examples=examples,
    )
    if output:
        with atomic_write(output, "w") as handle:
            if output.suffix == ".jsonl":
                write_jsonl(handle, (c.to_dict() for c in candidates))
            else:
                handle.write("entry_id\tzh\ten\tcandidate\tscore\ttogether\tentry_pairs\n")
                for c in candidates:
                    handle.write(
                        f"{c.entry_id}\t{c.zh}\t{c.current_en}\t{c.en}\t{c.score}\t"
                        f"{c.together}\t{c.entry_pairs}\n"
                    )
    for c in candidates:
        click.echo(
            f"{c.entry_id:<10} {c.zh}  {c.en!r}  ({measure} {c.score}, "
            f"{c.together}/{c.entry_pairs} pairs; now {c.current_en!r})"
        )
    added = known = 0
    if queue and candidates:
        store = SuggestionStore(store_path(config.work_dir))
        seen = {
            (s.proposal.get("entry_id"), str(s.proposal.get("en", "")).casefold())
            for s in store.list(None, 1_000_000, 0)[0]
            if s.kind == "rendering"
        }
        for candidate in candidates:
            key = (candidate.entry_id, candidate.en.casefold())
            if key in seen:
                known += 1
                continue
            store.add("rendering", candidate.proposal())
            seen.add(key)
            added += 1
    entries = len({c.entry_id for c in candidates})
    where = (
        f"; {added} new proposal(s) in the curator queue, {known} already there" if queue else ""
    )
    click.echo(
        f"{len(candidates)} candidate(s) for {entries} entries from {len(aligned)} pairs{where}"
    )


@glossary.command("harvest")
@click.argument("aligned", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--publication",
    multiple=True,
    help="Publication of pairs whose file records none (once for all files, or once per file).",
)
@click.option("--url", multiple=True, help="Address of that publication (once, or once per file).")
@click.option(
    "--min-pairs", default=2, show_default=True, help="Pairs that must hold term and English."
)
@click.option("--top", default=0, help="Keep only the best N candidates (0: all).")
@click.option("--examples", default=3, show_default=True, help="Example pairs per candidate.")
@click.option(
    "--queue/--no-queue",
    default=True,
    show_default=True,
    help="Add the candidates to the curator queue as new-term proposals.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write FILE: .tsv as proposed glossary rows, .jsonl with examples.",
)
@click.option("--glossary", "path", type=click.Path(path_type=Path), help="Glossary folder.")
def harvest_command(
    aligned: tuple[Path, ...],
    publication: tuple[str, ...],
    url: tuple[str, ...],
    min_pairs: int,
    top: int,
    examples: int,
    queue: bool,
    output: Path | None,
    path: Path | None,
) -> None:
    """Propose NEW terms with their published English from ALIGNED pairs (.jsonl, .tsv, .tmx).

    Finds recurring zh expressions of policy language the glossary does not match, gives
    each the English n-gram most associated with it across the pairs, and adds them to
    the curator queue (re-running adds nothing twice) with example pairs and provenance.
    """
    from workbench.fileio import atomic_write, write_jsonl
    from workbench.glossary.harvest import harvest_terms, queue_candidates, read_sourced_pairs
    from workbench.glossary.termbase import load_glossary, render_tsv

    config = load_config()

    def per_file(values: tuple[str, ...], name: str) -> list[str | None]:
        if len(values) in (0, 1):
            return [values[0] if values else None] * len(aligned)
        if len(values) != len(aligned):
            raise GlossaryError(
                f"{len(values)} --{name} values for {len(aligned)} files; give one for all "
                "files or one per file, in the same order"
            )
        return list(values)

    publications, urls = per_file(publication, "publication"), per_file(url, "url")
    pairs = [
        pair
        for source, pub, address in zip(aligned, publications, urls, strict=True)
        for pair in read_sourced_pairs(source, pub, address)
    ]
    candidates = harvest_terms(
        pairs,
        load_glossary(path, config),
        min_pairs=min_pairs,
        top=top or None,
        examples=examples,
    )
    if output:
        with atomic_write(output, "w") as handle:
            if output.suffix == ".jsonl":
                write_jsonl(handle, (c.to_dict() for c in candidates))
            else:
                handle.write(render_tsv(c.to_entry() for c in candidates))
    for c in candidates:
        click.echo(f"{c.id}  {c.zh}  {c.en!r}  ({c.category}; {c.together}/{c.pairs} pairs)")
    added = known = 0
    if queue and candidates:
        from workbench.web.suggestions import SuggestionStore, store_path

        store = SuggestionStore(store_path(config.work_dir))
        added, known = queue_candidates(store, candidates)
    where = f"; {added} new proposal(s) in the curator queue, {known} already there"
    click.echo(f"{len(candidates)} new term(s) from {len(pairs)} pairs{where if queue else ''}")
