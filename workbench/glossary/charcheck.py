"""Characters no term-base text may hold: controls, invisible format marks, line separators.

A NUL byte cannot go into XML at all (``glossary export --format tbx`` breaks on it), a
right-to-left override (U+202E) makes a rendering display reversed while it is stored
forwards, and zero-width marks make two identical-looking forms different strings that
no matcher finds. None has a place in a term, a rendering, a note or a source, so the
glossary check and the service's proposal forms refuse them with the same message.

Refused: Unicode categories Cc (controls; line breaks only where a field allows them), Cf
(format: bidi controls, zero-width space/joiners, the byte-order mark, soft hyphen), Cs
(lone surrogates), Co (private use: what undecodable bytes often turn into), Cn
(unassigned code points and noncharacters), and Zl/Zp (U+2028, U+2029).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_REFUSED_CATEGORIES = {
    "Cc": "a control character",
    "Cf": "an invisible format character",
    "Cs": "a lone surrogate",
    "Co": "a private-use character",
    "Cn": "an unassigned code point",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}
_LINE_BREAKS = frozenset("\n\r")


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
    found = []
    for position, char in enumerate(text):
        if char.isprintable() and char not in "\u2028\u2029":
            continue  # the common case, fast: printable means no C* or Z[lp] category
        if allow_line_breaks and char in _LINE_BREAKS:
            continue
        category = unicodedata.category(char)
        kind = _REFUSED_CATEGORIES.get(category)
        if kind is not None:
            found.append(UnsafeCharacter(position, char, kind))
    return found


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
