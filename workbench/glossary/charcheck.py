"""Characters no term-base text may hold: controls, invisible format marks, line separators.

A NUL byte cannot go into XML at all (``glossary export --format tbx`` breaks on it), a
right-to-left override (U+202E) makes a rendering display reversed while it is stored
forwards, and zero-width marks make two identical-looking forms different strings that
no matcher finds. None has a place in a term, a rendering, a note or a source, so the
glossary check and the service's proposal forms refuse them with the same message.

Refused: in the Basic Multilingual Plane, Unicode categories Cc (controls; line breaks
only where a field allows them), Cf (format: bidi controls, zero-width space/joiners, the
byte-order mark, soft hyphen), Co (private use, where undecodable bytes and legacy-font
glyphs land), Zl/Zp (U+2028, U+2029) and the noncharacters XML forbids (U+FDD0–U+FDEF,
U+FFFE, U+FFFF); beyond it, the invisible tag characters (U+E0000–U+E007F). The few
other supplementary format characters (Egyptian hieroglyph and musical-notation
controls) and the private-use planes 15–16 are left alone: each extra range in the
schema's character class makes the API fuzz tests much slower, for text no policy
glossary holds. The set is written out as code-point ranges (Unicode 14, Python 3.11's
tables; a test re-derives it from the categories) so that the service's OpenAPI schema
carries the very same character class in its ``pattern``s. Lone surrogates cannot reach
a field at all (UTF-8 decoding and the API's body check refuse them), and no JSON Schema
regex engine accepts them in a class.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

# Inclusive code-point ranges of every refused character.
REFUSED_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x001F), (0x007F, 0x009F), (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C),
    (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E),
    (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F), (0xE000, 0xF8FF),
    (0xFDD0, 0xFDEF), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0xFFFE, 0xFFFF),
    (0xE0000, 0xE007F),  # tag characters: invisible
)  # fmt: skip
_LINE_BREAKS = (0x0A, 0x0D)
_KINDS = {
    "Cc": "a control character",
    "Cf": "an invisible format character",
    "Co": "a private-use character",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}


def _escape(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def refused_class(allow_line_breaks: bool = False) -> str:
    """The body of a regex character class (no brackets) matching every refused character.

    Written with ``\\uXXXX`` escapes, so it can be pasted into a JSON Schema ``pattern``.
    """
    ranges: list[tuple[int, int]] = []
    for low, high in REFUSED_RANGES:
        if allow_line_breaks and low <= min(_LINE_BREAKS) and max(_LINE_BREAKS) <= high:
            cuts = [low - 1, *_LINE_BREAKS, high + 1]
            ranges.extend((a + 1, b - 1) for a, b in itertools.pairwise(cuts) if a + 1 <= b - 1)
        else:
            ranges.append((low, high))
    return "".join(
        _escape(low) if low == high else f"{_escape(low)}-{_escape(high)}" for low, high in ranges
    )


_REFUSED = {
    False: re.compile(f"[{refused_class(False)}]"),
    True: re.compile(f"[{refused_class(True)}]"),
}


@dataclass(frozen=True, slots=True)
class UnsafeCharacter:
    """One refused character: where it is, which it is and what kind."""

    position: int
    char: str
    kind: str

    def describe(self) -> str:
        """Name the character as a person can find it: code point, name, position."""
        name = unicodedata.name(self.char, "")
        code = f"U+{ord(self.char):04X}" + (f" {name}" if name else "")
        return f"{code} ({self.kind}) at character {self.position + 1}"


def unsafe_characters(text: str, allow_line_breaks: bool = False) -> list[UnsafeCharacter]:
    """Return every character of ``text`` a term-base field may not hold, in order."""
    return [
        UnsafeCharacter(
            m.start(),
            m.group(),
            _KINDS.get(unicodedata.category(m.group()), "a noncharacter"),
        )
        for m in _REFUSED[allow_line_breaks].finditer(text)
    ]


def describe_unsafe(field: str, text: str, allow_line_breaks: bool = False) -> str | None:
    """Return a one-line problem for ``field`` if ``text`` holds refused characters, else None."""
    found = unsafe_characters(text, allow_line_breaks)
    if not found:
        return None
    more = f" and {len(found) - 1} more" if len(found) > 1 else ""
    return (
        f"{field} contains {found[0].describe()}{more}; remove it (retype the text, or paste "
        "it as plain text)"
    )
