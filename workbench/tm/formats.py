"""Read and write translation-memory files: TMX 1.4b, TSV and our JSONL.

TMX is what CAT tools exchange (OmegaT, Trados, memoQ read it): one ``<tu>`` per pair,
a ``<tuv xml:lang>`` per language, and our fields as ``<prop type="x-…">`` so a round
trip keeps origin, score and provenance. Reading streams with ``iterparse`` and clears
each unit, so a large memory is never held as a tree.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from workbench import __version__
from workbench.errors import InputError
from workbench.tm.store import PROVENANCE, PairColumns, TmPair

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Props carried per unit besides the provenance fields.
_PROPS = ("origin", "status", "score", "zh_sentences", "en_sentences")


def format_of(path: Path, given: str | None = None) -> str:
    """The format of a file: ``given``, else from its extension; unknown is an InputError."""
    if given:
        return given
    suffix = Path(path).suffix.lower().lstrip(".")
    aliases = {"tmx": "tmx", "tsv": "tsv", "txt": "tsv", "jsonl": "jsonl", "json": "jsonl"}
    if suffix not in aliases:
        raise InputError(f"{path}: cannot tell the format from the extension; pass --format")
    return aliases[suffix]


def read_pairs(path: Path, fmt: str | None = None, origin: str = "imported") -> Iterator[TmPair]:
    """Stream the pairs of a TMX, TSV or JSONL file (``origin`` when a record has none)."""
    for fields in _read_fields(path, fmt, origin):
        yield TmPair(*fields)


def read_columns(path: Path, fmt: str | None = None, origin: str = "imported") -> PairColumns:
    """Read a whole TMX, TSV or JSONL file as columns for ``TranslationMemory.add_columns``.

    The same records as ``read_pairs``, without a ``TmPair`` per record (which would
    normalise and hash each one on creation): the bulk import hashes them all at once.
    """
    rows = list(_read_fields(path, fmt, origin))
    if not rows:
        return PairColumns([], [])
    zh, en, origins, statuses, scores, provenances, zh_sentences, en_sentences = map(
        list, zip(*rows, strict=True)
    )
    named = {key for given in provenances if given for key in given}
    return PairColumns(
        zh=zh,
        en=en,
        origin=origins,
        status=statuses,
        score=scores,
        provenance={key: [given.get(key) for given in provenances] for key in named},
        zh_sentences=zh_sentences,
        en_sentences=en_sentences,
    )


def _read_fields(path: Path, fmt: str | None, origin: str) -> Iterator[_Fields]:
    fmt = format_of(path, fmt)
    if not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    reader = {"tmx": _read_tmx, "tsv": _read_tsv, "jsonl": _read_jsonl}[fmt]
    yield from reader(Path(path), origin)


# zh, en, origin, status, score, provenance, zh_sentences, en_sentences: TmPair's order
_Fields = tuple[
    str, str, str, str, float | None, dict[str, Any], list[int] | None, list[int] | None
]


def _fields_from(record: dict[str, Any], origin: str, where: str) -> _Fields:
    zh, en = record.get("zh"), record.get("en")
    if not isinstance(zh, str) or not isinstance(en, str):
        raise InputError(f"{where}: needs string fields zh and en")
    score = record.get("score")
    try:
        score = None if score in (None, "") else float(score)
    except (TypeError, ValueError):
        raise InputError(f"{where}: score {score!r} is not a number") from None
    status = record.get("status") or ("accepted" if zh.strip() and en.strip() else "needs_review")
    return (
        zh.strip(),
        en.strip(),
        record.get("origin") or origin,
        status,
        score,
        {k: str(record[k]) for k in PROVENANCE if record.get(k) not in (None, "")},
        _index_list(record.get("zh_sentences")),
        _index_list(record.get("en_sentences")),
    )


def _index_list(value: Any) -> list[int] | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = json.loads(value)
    return [int(v) for v in value]


def _read_jsonl(path: Path, origin: str) -> Iterator[_Fields]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
            if not isinstance(record, dict):
                raise InputError(f"{path}:{number}: each line must be a JSON object")
            yield _fields_from(record, origin, f"{path}:{number}")


def _read_tsv(path: Path, origin: str) -> Iterator[_Fields]:
    """Columns zh, en[, score]; a first row naming ``zh`` and ``en`` is a header."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header: list[str] | None = None
        for number, row in enumerate(rows, start=1):
            if not any(cell.strip() for cell in row):
                continue
            if number == 1 and {"zh", "en"} <= {c.strip().lower() for c in row}:
                header = [c.strip().lower() for c in row]
                continue
            names = header or ["zh", "en", "score"]
            if len(row) < 2:
                raise InputError(f"{path}:{number}: needs at least two tab-separated columns")
            record = dict(zip(names, row, strict=False))
            yield _fields_from(record, origin, f"{path}:{number}")


def _read_tmx(path: Path, origin: str) -> Iterator[_Fields]:
    try:
        for _, unit in etree.iterparse(str(path), tag="tu", resolve_entities=False, huge_tree=True):
            record: dict[str, Any] = {}
            for prop in unit.findall("prop"):
                kind = (prop.get("type") or "").removeprefix("x-")
                record[kind] = prop.text or ""
            for variant in unit.findall("tuv"):
                lang = (variant.get(XML_LANG) or variant.get("lang") or "").lower()
                seg = variant.find("seg")
                text = "".join(seg.itertext()) if seg is not None else ""
                if lang.startswith("zh"):
                    record["zh"] = text
                elif lang.startswith("en"):
                    record["en"] = text
            line = unit.sourceline
            unit.clear()
            if "zh" in record and "en" in record:
                yield _fields_from(record, origin, f"{path}:{line}")
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{path}: not well-formed TMX ({exc})") from None


def write_tmx(handle: IO[str], records: Iterable[dict[str, Any]], tool: str = "workbench") -> int:
    """Write TMX 1.4b, one ``<tu>`` per record (keys zh, en and optional props)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    handle.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n')
    handle.write(
        f'  <header creationtool={quoteattr(tool)} creationtoolversion="{__version__}" '
        'datatype="plaintext" segtype="sentence" adminlang="en" srclang="zh-CN" '
        f'o-tmf="workbench" creationdate="{stamp}"/>\n  <body>\n'
    )
    count = 0
    for record in records:
        tuid = f" tuid={quoteattr(str(record['id']))}" if record.get("id") else ""
        handle.write(f"    <tu{tuid}>\n")
        for key in (*_PROPS, *PROVENANCE):
            value = record.get(key)
            if value in (None, "", []):
                continue
            if isinstance(value, list):
                value = json.dumps(value)
            handle.write(f'      <prop type="x-{key}">{escape(_xml_safe(str(value)))}</prop>\n')
        for lang, key in (("zh-CN", "zh"), ("en", "en")):
            text = escape(_xml_safe(record.get(key) or ""))
            handle.write(f'      <tuv xml:lang="{lang}"><seg>{text}</seg></tuv>\n')
        handle.write("    </tu>\n")
        count += 1
    handle.write("  </body>\n</tmx>\n")
    return count


def _xml_safe(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (C0 controls other than tab and line breaks)."""
    return "".join(c for c in text if c >= " " or c in "\t\n\r")


def _one_line(text: Any) -> str:
    return " ".join(str(text or "").split())


def write_tsv(handle: IO[str], records: Iterable[dict[str, Any]]) -> int:
    """Write ``zh, en, score, zh_sentences, en_sentences`` with a header row."""
    handle.write("zh\ten\tscore\tzh_sentences\ten_sentences\n")
    count = 0
    for r in records:
        score = "" if r.get("score") is None else f"{float(r['score']):.4f}"
        cells = [
            _one_line(r.get("zh")),
            _one_line(r.get("en")),
            score,
            json.dumps(r.get("zh_sentences") or []),
            json.dumps(r.get("en_sentences") or []),
        ]
        handle.write("\t".join(cells) + "\n")
        count += 1
    return count


def write_jsonl(handle: IO[str], records: Iterable[dict[str, Any]]) -> int:
    """Write one JSON object per line, keys as given."""
    count = 0
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


WRITERS = {"tmx": write_tmx, "tsv": write_tsv, "jsonl": write_jsonl}


def render(records: Iterable[dict[str, Any]], fmt: str) -> str:
    """Return the text of ``records`` in ``fmt`` (for small outputs printed to stdout)."""
    buffer = io.StringIO()
    WRITERS[fmt](buffer, records)
    return buffer.getvalue()
