"""Turn the bytes of a scraped file into text, or say plainly why they are not text.

Chinese web text arrives as UTF-8 (with or without a byte order mark), GB18030/GBK from
mainland sites, Big5 from Taiwan and Hong Kong, now and then UTF-16. Strict UTF-8 is
tried first because it almost never decodes anything else by accident; a declared HTML
charset is tried next; then charset-normalizer chooses among the legacy encodings by
how coherent the decoded text is (GB18030 decodes nearly any byte string, so "it
decodes" alone says nothing). For texts too short for that to be reliable we fall back
to an ordered try with a plausibility check. Binary files are recognised by NUL and
control bytes and reported by name; they are never guessed into text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

from workbench.errors import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Encodings charset-normalizer may choose among, and the ordered fallback.
CANDIDATES = ("gb18030", "big5", "cp950", "big5hkscs")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
# Control characters that never occur in text (tab, newlines, form feed are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and the name of the encoding it was read with."""

    text: str
    encoding: str


def _plausible(text: str) -> bool:
    """True when decoded text looks like text: few controls, no replacement characters."""
    if not text:
        return True
    bad = len(_CONTROL.findall(text)) + text.count("\ufffd") + text.count("\ue000")
    return bad / len(text) < 0.01


def _plausible_utf8(data: bytes, text: str) -> bool:
    """``_plausible(text)`` for ``text`` decoded from ``data`` as UTF-8, faster.

    In UTF-8 a byte below 0x80 only ever encodes that ASCII character, so control
    characters can be looked for in the bytes, one ``memchr`` per control byte, and
    counted only when one is there: the regex scan over the text cost as much as
    decoding it (issue 15). The bytes are asked for integers (iterating ``bytes`` gives
    them): ``bytes in bytes`` first tries the needle as an integer, formats a
    ``TypeError`` and drops it, then searches; ``int in bytes`` goes straight to
    ``memchr``.
    """
    if not text:
        return True
    controls = 0
    if any(map(data.__contains__, _CONTROL_BYTES)):
        controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    # Counted only when present: "in" finds U+FFFD with memchr, a count walks every
    # character, and nearly every text holds none.
    bad = controls + text.count("\ue000")
    if "\ufffd" in text:
        bad += text.count("\ufffd")
    return bad / len(text) < 0.01


def _han_share(text: str) -> float:
    """Share of the Han characters that GB2312 or Big5 can both hold, i.e. common ones."""
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        return 0.0
    common = 0
    for ch in han:
        try:
            ch.encode("gb2312")
            common += 1
            continue
        except UnicodeEncodeError:
            pass
        try:
            ch.encode("big5")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(han)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes, name: str = "<bytes>") -> Decoded:
    """Decode a text file's bytes; raise InputError naming ``name`` if they are not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data, encoding)
            if text is None or not _plausible(text):
                raise InputError(
                    f"{name}: starts with a {encoding} byte order mark but does not decode "
                    f"as {encoding}; re-save it as UTF-8"
                )
            return Decoded(text, encoding)
    if not data:
        raise InputError(f"{name}: file is empty; nothing to ingest")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: binary file (contains NUL bytes), not text; skipped")

    text = _strict(data, "utf-8")
    if text is not None:
        if not _plausible_utf8(data, text):
            raise InputError(f"{name}: binary file (control characters), not text; skipped")
        return Decoded(text, "utf-8")

    declared = _META_CHARSET.search(data[:4096])
    if declared:
        encoding = declared.group(1).decode("ascii").lower()
        encoding = {"gb2312": "gb18030", "gbk": "gb18030"}.get(encoding, encoding)
        text = _strict(data, encoding)
        if text is not None and _plausible(text):
            return Decoded(text, encoding)

    best = charset_normalizer.from_bytes(data, cp_isolation=list(CANDIDATES)).best()
    if best is not None and best.encoding and len(data) >= 64:
        text = _strict(data, best.encoding)
        if text is not None and _plausible(text):
            return Decoded(text, _canonical(best.encoding))

    # Short texts: decode with each candidate, keep the one with the most common Han.
    scored = []
    for encoding in CANDIDATES:
        text = _strict(data, encoding)
        if text is not None and _plausible(text):
            scored.append((_han_share(text), -CANDIDATES.index(encoding), encoding, text))
    if scored:
        _share, _order, encoding, text = max(scored)
        return Decoded(text, encoding)
    raise InputError(
        f"{name}: not valid UTF-8, GB18030 or Big5 text (binary or an unknown encoding); "
        "convert it to UTF-8 and ingest again"
    )


def _canonical(encoding: str) -> str:
    """Python codec names as people write them (gb18030, big5, utf-8)."""
    return codecs.lookup(encoding).name.replace("_", "-")
