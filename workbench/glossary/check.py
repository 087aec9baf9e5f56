"""Validate term-base files: every defect found, each with file and line, nothing fixed.

Parsing and checking are one pass so that loading (``termbase.load_glossary``) and the
``glossary check`` command can never disagree: a file that checks clean loads, and a file
with any problem does not load at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from workbench.glossary.charcheck import describe_unsafe
from workbench.glossary.fold import term_keys
from workbench.glossary.model import (
    Entry,
    Problem,
    columns,
    enforcement_levels,
    load_schema,
    required_columns,
    split_multi,
)

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def glossary_files(path: Path) -> list[Path]:
    """Return the ``*.tsv`` files of a glossary folder (or the one file given), sorted."""
    path = Path(path)
    if path.is_file():
        return [path]
    return sorted(p for p in path.glob("*.tsv") if p.is_file())


def decode_file(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """Decode a file as UTF-8 without BOM; report where decoding fails."""
    problems = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(
            Problem(name, 1, "starts with a byte-order mark (BOM); save as UTF-8 without BOM")
        )
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(name, line, f"not valid UTF-8 (byte {raw[exc.start]:#04x}); save as UTF-8")
        )
        return None, problems
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.append(Problem(name, line, "has Windows/Mac line endings; use LF only"))
    return text, problems


def file_columns(header: list[str]) -> list[str] | None:
    """Return the columns a file's header declares, or None when it is not a valid header.

    A header is the required columns, optionally followed by a leading run of the
    optional ones (``enforcement``), so files written before a column existed still load.
    """
    required = required_columns()
    full = columns()
    if header[: len(required)] != required or len(header) > len(full):
        return None
    return header if header == full[: len(header)] else None


def parse_rows(text: str, name: str) -> tuple[list[Entry], list[Problem]]:
    """Parse one file's text into entries, checking each row on its own."""
    schema = load_schema()["files"]
    problems: list[Problem] = []
    entries: list[Entry] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    expected = file_columns(lines[0].split("\t")) if lines else None
    if expected is None:
        optional = " ".join(columns()[len(required_columns()) :])
        problems.append(
            Problem(
                name,
                1,
                "header must be exactly these tab-separated columns: "
                + " ".join(required_columns())
                + (f" (optionally followed by: {optional})" if optional else ""),
            )
        )
        return entries, problems
    id_pattern = re.compile(schema["id_pattern"])
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != len(expected):
            problems.append(
                Problem(
                    name,
                    number,
                    f"has {len(cells)} columns, expected {len(expected)}; "
                    "check for a missing or extra tab",
                )
            )
            continue
        row = dict(zip(expected, cells, strict=True))
        row_problems = _check_cells(row, id_pattern, schema)
        problems.extend(Problem(name, number, message) for message in row_problems)
        values: dict = {k: v.strip() for k, v in row.items()}
        for key in schema["multi_valued"]:
            values[key] = [v for v in split_multi(row[key]) if v]
        entries.append(Entry(**values, file=name, line=number))
    return entries, problems


def _check_cells(row: dict[str, str], id_pattern: re.Pattern[str], schema: dict) -> list[str]:
    """Return the problems of one row that need no other row to see."""
    messages = []
    for key, value in row.items():
        if value != value.strip():
            messages.append(f"{key} {value!r} has spaces at its start or end; remove them")
        unsafe = describe_unsafe(key, value)
        if unsafe:
            messages.append(unsafe)
    if not id_pattern.match(row["id"].strip()):
        messages.append(
            f"id {row['id']!r} must start with a letter and use only letters, digits, . _ -"
        )
    if not row["zh"].strip():
        messages.append("zh is empty; give the canonical Chinese term")
    elif not _CJK.search(row["zh"]):
        messages.append(f"zh {row['zh']!r} has no Chinese character")
    if not row["en"].strip():
        messages.append("en is empty; give the approved English rendering")
    for key in schema["multi_valued"]:
        if row[key].strip() and any(not v for v in split_multi(row[key])):
            messages.append(f"{key} has an empty value between separators '|'")
    if row["category"].strip() not in schema["categories"]:
        messages.append(
            f"category {row['category']!r} is not one of: " + ", ".join(schema["categories"])
        )
    status = row["status"].strip()
    if status not in schema["statuses"]:
        messages.append(f"status {status!r} is not one of: " + ", ".join(schema["statuses"]))
    elif status in schema["source_required_for"] and not row["source"].strip():
        messages.append(
            f"status is {status} but source is empty; name the publication the rendering "
            "comes from, or set status to proposed"
        )
    enforcement = row.get("enforcement", "").strip()
    if enforcement and enforcement not in enforcement_levels():
        messages.append(
            f"enforcement {enforcement!r} is not one of: "
            + ", ".join(enforcement_levels())
            + " (or empty for the category's default)"
        )
    url = row["source_url"].strip()
    if url and not re.match(r"^https?://\S+$", url):
        messages.append(f"source_url {url!r} is not an http(s) address")
    en_norm = _norm_en(row["en"])
    alternatives = {_norm_en(v) for v in split_multi(row["en_alternatives"])}
    for forbidden in split_multi(row["en_forbidden"]):
        if forbidden and _norm_en(forbidden) == en_norm:
            messages.append(f"forbidden rendering {forbidden!r} equals the approved en")
        elif forbidden and _norm_en(forbidden) in alternatives:
            messages.append(f"forbidden rendering {forbidden!r} is also listed as an alternative")
    for alternative in split_multi(row["en_alternatives"]):
        # Case matters here: a title-case alternative is a legitimate second spelling.
        if alternative and " ".join(alternative.split()) == " ".join(row["en"].split()):
            messages.append(f"alternative {alternative!r} repeats the approved en")
    return messages


def _norm_en(value: str) -> str:
    return " ".join(value.casefold().split())


def check_entries(entries: Iterable[Entry]) -> list[Problem]:
    """Return problems between entries: duplicate ids, a zh form claimed by two concepts."""
    problems: list[Problem] = []
    ids: dict[str, Entry] = {}
    owners: dict[str, Entry] = {}
    reported: set[tuple[int, int]] = set()  # (entry, owner) pairs already reported
    for entry in entries:
        if entry.id in ids:
            first = ids[entry.id]
            problems.append(
                Problem(
                    entry.file,
                    entry.line,
                    f"duplicate id {entry.id!r} (first at {first.file}:{first.line}); "
                    "give each concept its own id",
                )
            )
        else:
            ids[entry.id] = entry
        for form in entry.zh_forms:
            keys = term_keys([form])
            if not keys:
                problems.append(
                    Problem(entry.file, entry.line, f"zh form {form!r} is only punctuation")
                )
            for key in keys:
                owner = owners.setdefault(key, entry)
                pair = (id(entry), id(owner))
                if owner is not entry and owner.id != entry.id and pair not in reported:
                    reported.add(pair)
                    problems.append(
                        Problem(
                            entry.file,
                            entry.line,
                            f"zh form {form!r} ({entry.id}) is also a form of {owner.id!r} "
                            f"at {owner.file}:{owner.line}; one form names one concept — "
                            "merge the rows or drop the form from one of them",
                        )
                    )
                    break
    return problems


def check_texts(texts: dict[str, bytes]) -> tuple[list[Entry], list[Problem]]:
    """Parse and check files given as ``{name: raw bytes}``; return entries and problems."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    for name, raw in texts.items():
        text, decode_problems = decode_file(raw, name)
        problems.extend(decode_problems)
        if text is None:
            continue
        file_entries, row_problems = parse_rows(text.removeprefix("\ufeff"), name)
        entries.extend(file_entries)
        problems.extend(row_problems)
    problems.extend(check_entries(entries))
    problems.sort(key=lambda p: (p.file, p.line))
    return entries, problems


def check_glossary(path: Path) -> list[Problem]:
    """Check a glossary folder (every ``*.tsv``) or one file; return all problems found."""
    path = Path(path)
    if not path.exists():
        return [Problem(str(path), 0, "does not exist; give a glossary folder or .tsv file")]
    files = glossary_files(path)
    if not files:
        return [Problem(str(path), 0, "holds no *.tsv files; add term files there")]
    _, problems = check_texts({display_name(f): f.read_bytes() for f in files})
    return problems


def display_name(path: Path) -> str:
    """Name a file relative to the current folder when inside it (as editors see it)."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
