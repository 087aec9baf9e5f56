"""TMX 1.4b, the exchange format of translation memories (CAT tools, Okapi, OmegaT).

Written by hand with explicit escaping rather than through an XML tree: the markup per
unit is fixed, text was already cleaned of XML-illegal characters in ``pairs.clean_text``,
and string joins stream at several hundred thousand units a second. Units are put
together as UTF-8 bytes: each text column of a batch is encoded and escaped in one call,
and the ASCII markup around it is never encoded at all (encoding the finished units, which
hold Chinese, costs as much as building them). Tests validate the output against the TMX
1.4b DTD and read it with translate-toolkit.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from operator import attrgetter

from workbench.export.formats.base import FormatWriter, WrittenFile
from workbench.models import SentencePair

_BATCH = 500  # units per write; 2,000 made glibc's heap creep up (measured), 500 stays flat
# The fields a unit shows, read for a whole batch with one C-level attrgetter per pair.
_FIELDS = attrgetter(
    "id", "updated_at", "doc_id", "doc_title", "annotator", "status", "origin", "score", "zh", "en"
)


def escape_text(text: str) -> str:
    """Escape character data (chained ``str.replace`` is C-fast; ``translate`` is not)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def escape_attr(text: str) -> str:
    """Escape an attribute value written between double quotes."""
    text = escape_text(text)
    return text.replace('"', "&quot;") if '"' in text else text


def escape_bytes(data: bytes, quotes: bool = False) -> bytes:
    """``escape_text`` (or with ``quotes``, ``escape_attr``) on UTF-8 bytes."""
    if b"&" in data:
        data = data.replace(b"&", b"&amp;")
    if b"<" in data:
        data = data.replace(b"<", b"&lt;")
    if b">" in data:
        data = data.replace(b">", b"&gt;")
    if quotes and b'"' in data:
        data = data.replace(b'"', b"&quot;")
    return data


def _column(values: tuple[str, ...], quotes: bool = False) -> list[bytes]:
    """Encode and escape a batch's column in one call each (cleaned text holds no NUL)."""
    return escape_bytes("\x00".join(values).encode(), quotes).split(b"\x00")


def tmx_date(value: datetime | str | None, default: str) -> str:
    """Return a TMX date (``YYYYMMDDThhmmssZ``, UTC) from a datetime or ISO 8601 string."""
    if isinstance(value, str) and value:
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return default
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.strftime("%Y%m%dT%H%M%SZ")
    return default


class TmxWriter(FormatWriter):
    """Write ``parallel/<split>.tmx``: one ``<tu>`` per pair with provenance ``<prop>``s."""

    name = "tmx"

    def __init__(self, folder, split, options) -> None:
        super().__init__(folder, split, options)
        self.path = self._file(f"parallel/{split}.tmx")
        # Binary, encoded a batch at a time: a text wrapper's write costs a third more.
        self._handle = self._open_binary(self.path)
        self._now = tmx_date(options.created, "")
        self._src = escape_attr(options.source_lang)
        self._tgt = escape_attr(options.target_lang)
        self._buffer: list[SentencePair] = []
        self._caches: dict[str, dict[str | float | None, bytes]] = {}
        self._unit = (
            '<tu tuid="%s" creationdate="%s"%s><prop type="x-sentence-id">%s</prop>%s%s%s%s%s%s'
            f'<tuv xml:lang="{self._src.replace("%", "%%")}"><seg>%s</seg></tuv>'
            f'<tuv xml:lang="{self._tgt.replace("%", "%%")}"><seg>%s</seg></tuv></tu>\n'
        ).encode()
        self._handle.write(
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
                '<tmx version="1.4">\n'
                f'<header creationtool="workbench" creationtoolversion="{options.tool_version}" '
                f'segtype="sentence" o-tmf="workbench-snapshot" adminlang="en" '
                f'srclang="{self._src}" datatype="plaintext" creationdate="{self._now}">\n'
                f'<prop type="x-split">{split}</prop>\n'
                "</header>\n<body>\n"
            ).encode()
        )

    def write(self, pair: SentencePair) -> None:
        buffer = self._buffer
        buffer.append(pair)
        if len(buffer) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        """Write the buffered units, escaping each field for the whole batch at once."""
        pairs = self._buffer
        if not pairs:
            return
        self.records += len(pairs)

        ids, updated, doc_ids, doc_titles, annotators, statuses, origins, scores, zhs, ens = zip(
            *map(_FIELDS, pairs), strict=True
        )
        escaped_ids = _column(ids, quotes=True)
        # Document, annotator and status repeat across units: their markup is built once
        # per distinct value and looked up after that.
        creators = self._lookup("creationid", annotators)
        # One %-format of the unit template repeated for the batch runs in C; the values are
        # already escaped (and any "%" in them is data, not a directive, as % only reads
        # the template).
        values = itertools.chain.from_iterable(
            zip(
                escaped_ids,
                self._dates(updated),
                creators,
                escaped_ids,
                self._lookup("x-doc-id", doc_ids),
                self._lookup("x-document", doc_titles),
                self._lookup("x-annotator", annotators),
                self._lookup("x-status", statuses),
                self._lookup("x-origin", origins),
                self._lookup("x-score", scores),
                # Element content: quotes need no escaping, one pass fewer per column.
                _column(zhs),
                _column(ens),
                strict=True,
            )
        )
        self._handle.write((self._unit * len(pairs)) % tuple(values))
        self._buffer = []

    def _dates(self, values: tuple[str | None, ...]) -> list[bytes]:
        """Return the TMX date of each ISO timestamp (annotations share few distinct ones)."""
        cache = self._caches.setdefault("date", {})
        if len(cache) > 10_000:
            cache.clear()
        for value in set(values) - cache.keys():
            cache[value] = tmx_date(value, self._now).encode()
        return list(map(cache.__getitem__, values))

    def _lookup(self, kind: str, values: tuple[str | float | None, ...]) -> list[bytes]:
        """Return the markup of each value: a ``<prop type=kind>`` or a ``creationid``."""
        cache = self._caches.setdefault(kind, {})
        if len(cache) > 10_000:  # many distinct documents: keep memory bounded
            cache.clear()
        for value in set(values) - cache.keys():
            if isinstance(value, float):  # a score
                markup = f'<prop type="{kind}">{value:.4f}</prop>'
            elif not value:
                markup = ""
            elif kind == "creationid":
                markup = f' creationid="{escape_attr(value)}"'
            else:
                markup = f'<prop type="{kind}">{escape_text(value)}</prop>'
            cache[value] = markup.encode()
        return list(map(cache.__getitem__, values))

    def close(self) -> list[WrittenFile]:
        self._flush()
        self._handle.write(b"</body>\n</tmx>\n")
        self._handle.close()
        return self._written(self.path)
