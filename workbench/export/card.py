"""The dataset card: ``README.md`` of an export, for the people who train on it.

Hugging Face reads the YAML front matter (licence, languages, task); the body says what
is in each split and format, who annotated, from which snapshot and glossary version,
what was left out and why, and what QA found.
"""

from __future__ import annotations

from typing import Any

from workbench.qa.report import QaReport

_LEFT_OUT = {
    "skipped": "skipped by the annotator",
    "needs_review": "marked needs review",
    "no_annotation": "not annotated",
    "untranslated": "annotated without a translation",
    "not_final": "no annotation marked final",
    "no_agreement": "annotators did not agree",
    "no_source": "sentence blank once cleaned",
    "not_reviewed": "no reviewer decision yet",
    "resegmented": "sentence merged or split since (its new sentences are new tasks)",
}


_HELD_SEVERITIES = {"error": ["error"], "warning": ["error", "warning"], "never": []}


def _size_category(n: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if n < limit:
            return label
    return "100K<n<1M" if n < 1_000_000 else "n>1M"


def _figure(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _agreement_lines(agreement: dict[str, Any]) -> list[str]:
    """Return the card's agreement section (inter-annotator figures of the snapshot)."""
    lines = ["", "## Agreement", ""]
    if not agreement.get("tasks_compared"):
        return [*lines, "No task of the snapshot had two or more annotators."]
    lines += [
        f"Over the {agreement['tasks_compared']} task(s) of the snapshot that two or more "
        "annotators worked on (each annotator's latest annotation):",
        "",
        "| figure | value |",
        "| --- | ---: |",
        f"| translation chrF, mean of annotator pairs | {_figure(agreement.get('chrf_mean'))} |",
        f"| exact translation after normalising | {_figure(agreement.get('exact_rate'))} |",
        f"| entity span F1, mean | {_figure(agreement.get('entity_f1_mean'))} |",
        f"| entity Krippendorff's alpha (nominal, per character) | "
        f"{_figure(agreement.get('entity_alpha'))} |",
    ]
    return lines


def _cell(value: Any) -> str:
    """Return a value fit for one Markdown table cell."""
    return str(value or "").replace("|", "\\|").replace("\n", " ").strip() or "–"


def _sources_section(sources: list[dict[str, Any]] | None, licence: str) -> list[str]:
    """Return the card's sources section: who published each document, and where."""
    if sources is None:
        return []
    lines = [
        "",
        "## Sources",
        "",
        "The Chinese side is taken from the documents below, as published; the publisher "
        "(来源) and address are those ingest found in each document. The licence above "
        f"({licence}) covers the annotations (translations, spans); the source texts remain "
        "the publishers' and their terms apply to them. The `source` and `source_url` "
        "columns of the CSV, TSV and Parquet files repeat this per pair.",
        "",
        "| document | title | publisher | published | URL | pairs |",
        "| --- | --- | --- | --- | --- | ---: |",
    ]
    for item in sources:
        url = item.get("url")
        lines.append(
            f"| `{item['doc_id']}` | {_cell(item.get('title'))} | {_cell(item.get('publisher'))} "
            f"| {_cell(item.get('published'))} | {f'<{url}>' if url else '–'} | {item['pairs']} |"
        )
    return lines


def render_card(manifest: dict[str, Any], report: QaReport) -> str:
    """Return the Markdown dataset card of an export."""
    counts = manifest["counts"]
    settings = manifest["settings"]
    snapshot = manifest["snapshot"]
    splits = counts["splits"]
    lines = [
        "---",
        f"license: {settings['licence'].lower()}",
        "language:",
        "- zh",
        "- en",
        "task_categories:",
        "- translation",
        "- token-classification",
        "size_categories:",
        f"- {_size_category(counts['pairs'])}",
        "---",
        "",
        f"# Chinese–English policy sentence pairs: {manifest['name']}",
        "",
        "Aligned Chinese→English sentence pairs from Chinese government policy texts",
        "(poverty alleviation), translated and annotated in Label Studio, with entity spans",
        "and glossary term pairs.",
        "",
        "| | |",
        "| --- | --- |",
        f"| created | {manifest['created']} |",
        f"| licence | {settings['licence']} |",
        f"| workbench | {manifest['workbench']} |",
        f"| snapshot | {snapshot['name']} ({snapshot.get('tasks')} tasks, "
        f"{snapshot.get('annotations')} annotations) |",
        f"| glossary version | {manifest.get('glossary_version') or 'none'} |",
        f"| selection | {settings['selection']} |",
        f"| split seed | {settings['seed']} (by document) |",
        "",
        "## Splits",
        "",
        "| split | pairs | documents |",
        "| --- | ---: | ---: |",
    ]
    for split, n in splits.items():
        lines.append(f"| {split} | {n} | {counts['documents'][split]} |")
    for warning in manifest.get("warnings", []):
        lines += ["", f"> **Warning:** {warning}."]
    lines += [
        "",
        "## Files",
        "",
        "| file | format | split | records |",
        "| --- | --- | --- | ---: |",
    ]
    for entry in manifest["files"]:
        lines.append(
            f"| `{entry['path']}` | {entry['format']} | {entry['split']} | {entry['records']} |"
        )
    lines += _sources_section(manifest.get("sources"), settings["licence"])
    lines += ["", "## Annotators", "", "| annotator | pairs |", "| --- | ---: |"]
    for annotator, n in manifest["annotators"].items():
        lines.append(f"| {annotator} | {n} |")
    lines += _agreement_lines(manifest.get("agreement") or {})
    lines += [
        "",
        "## Selection",
        "",
        f"{counts['tasks']} tasks in the snapshot, {counts['selected']} with an annotation "
        f"that counts; {counts['duplicates']['exact']} exact and "
        f"{counts['duplicates']['near']} near duplicates removed; {counts['pairs']} pairs "
        "exported.",
        "",
    ]
    if counts.get("terms_unconfirmed"):
        lines += [
            f"{counts['terms_unconfirmed']} pre-filled glossary renderings of annotated terms "
            "are not in `entities/*.terms.jsonl`: the annotator left the box as it was and "
            "the translation does not carry them, so what the translator chose is unknown.",
            "",
        ]
    if counts["left_out"]:
        lines += ["| left out | tasks |", "| --- | ---: |"]
        for reason, n in counts["left_out"].items():
            lines.append(f"| {_LEFT_OUT.get(reason, reason)} | {n} |")
        lines.append("")
    held = counts.get("held_back") or {}
    if held.get("pairs"):
        lines += [
            "## Held back by QA",
            "",
            f"{held['pairs']} pairs with a QA finding of severity "
            f"{' or '.join(_HELD_SEVERITIES[settings['hold_back']])} were held back "
            "(`hold_back = "
            f'"{settings["hold_back"]}"`): they are in no split, only in `held_back.jsonl` '
            "with their reasons, for the translators to fix. A pair may be held for several "
            "checks.",
            "",
            "| check | pairs held back |",
            "| --- | ---: |",
        ]
        lines += [f"| {check} | {n} |" for check, n in held["by_check"].items()]
        lines.append("")
    lines += ["## Quality checks", "", report.markdown()]
    terminology = manifest.get("qa", {}).get("terminology", "checked")
    if terminology != "checked":
        lines += [f"**Terminology {terminology}.**", ""]
    if report.examples:
        lines += ["First findings (all in `qa.json`):", ""]
        for finding in report.examples[:10]:
            lines.append(
                f"- `{finding.sentence_id}` {finding.check} ({finding.severity}): {finding.message}"
            )
        lines.append("")
    return "\n".join(lines)
