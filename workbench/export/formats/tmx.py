"""TMX 1.4b, the exchange format of translation memories (CAT tools, Okapi, OmegaT).

Written by hand with explicit escaping rather than through an XML tree: the markup per
unit is fixed, text was already cleaned of XML-illegal characters in ``pairs.clean_text``,
and string joins stream at several hundred thousand units a second. Tests validate the
output against the TMX 1.4b DTD and read it with translate-toolkit.
"""

from __future__ import annotations

from datetime import UTC, datetime

from workbench.export.formats.base import FormatWriter, WrittenFile
from workbench.export.pairs import SentencePair

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_BATCH = 2000


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
        self._handle = self._open(self.path)
        self._now = tmx_date(options.created, "")
        self._src = options.source_lang.translate(_ATTR)
        self._tgt = options.target_lang.translate(_ATTR)
        self._buffer: list[str] = []
        self._handle.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
            '<tmx version="1.4">\n'
            f'<header creationtool="workbench" creationtoolversion="{options.tool_version}" '
            f'segtype="sentence" o-tmf="workbench-snapshot" adminlang="en" '
            f'srclang="{self._src}" datatype="plaintext" creationdate="{self._now}">\n'
            f'<prop type="x-split">{split}</prop>\n'
            "</header>\n<body>\n"
        )

    def write(self, pair: SentencePair) -> None:
        props = [
            f'<prop type="x-sentence-id">{pair.id.translate(_TEXT)}</prop>',
            f'<prop type="x-doc-id">{pair.doc_id.translate(_TEXT)}</prop>',
        ]
        if pair.doc_title:
            props.append(f'<prop type="x-document">{pair.doc_title.translate(_TEXT)}</prop>')
        if pair.annotator:
            props.append(f'<prop type="x-annotator">{pair.annotator.translate(_TEXT)}</prop>')
        if pair.status:
            props.append(f'<prop type="x-status">{pair.status.translate(_TEXT)}</prop>')
        creationid = f' creationid="{pair.annotator.translate(_ATTR)}"' if pair.annotator else ""
        self._buffer.append(
            f'<tu tuid="{pair.id.translate(_ATTR)}" '
            f'creationdate="{tmx_date(pair.updated_at, self._now)}"{creationid}>'
            + "".join(props)
            + f'<tuv xml:lang="{self._src}"><seg>{pair.zh.translate(_TEXT)}</seg></tuv>'
            f'<tuv xml:lang="{self._tgt}"><seg>{pair.en.translate(_TEXT)}</seg></tuv></tu>\n'
        )
        self.records += 1
        if len(self._buffer) >= _BATCH:
            self._handle.write("".join(self._buffer))
            self._buffer.clear()

    def close(self) -> list[WrittenFile]:
        self._handle.write("".join(self._buffer))
        self._buffer.clear()
        self._handle.write("</body>\n</tmx>\n")
        self._handle.close()
        return self._written(self.path)
