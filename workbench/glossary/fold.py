"""Character folding shared by the checker and the matcher.

A term and a text are compared on a *folded* key: Traditional characters become
Simplified, full-width Latin becomes ASCII and lower case, list separators (、，,) collapse
into one class, and spaces and quotation marks inside a term are dropped. Only dropped
characters change lengths, so ``FoldedText`` keeps their positions to map offsets back to
the text as given.

Short texts (a sentence) are folded with ``str.translate``. Long texts go through a NumPy
lookup table over the UTF-32 code units instead: ``str.translate`` creates an int object
per character and runs at ~10 MB/s, which would make folding cost more than the
automaton scan itself; the table does the same mapping about 8× faster. Both paths give
identical results (tests/test_glossary_matcher.py checks it).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import opencc

from workbench.glossary.model import load_schema

# The CJK blocks whose characters OpenCC may convert one by one.
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@cache
def converter(config: str) -> opencc.OpenCC:
    """Return a cached OpenCC converter (``s2t``, ``t2s``, …)."""
    return opencc.OpenCC(config)


@cache
def fold_table() -> dict[int, int | None]:
    """Build the ``str.translate`` table: Traditional→Simplified, width, case, punctuation."""
    fold = load_schema()["fold"]
    table: dict[int, int | None] = {}
    for config in reversed(fold["opencc"]["fold_to_simplified"]):  # first listed wins
        convert = converter(config).convert
        for low, high in _CJK_RANGES:
            for code in range(low, high):
                char = chr(code)
                simple = convert(char)
                if simple != char and len(simple) == 1:
                    table[code] = ord(simple)
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[code] = code - 0xFEE0
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = code + 32
        table[code + 0xFEE0] = code + 32
    for target, members in fold["classes"].items():
        for char in members:
            table[ord(char)] = ord(target)
    for char in fold["ignorable"]:
        table[ord(char)] = None
    # Lone surrogates (possible in JSON input) cannot reach the automaton as UTF-8;
    # one replacement character each keeps every offset.
    for code in range(0xD800, 0xE000):
        table[code] = 0xFFFD
    return table


@cache
def _ignorable_pattern() -> re.Pattern[str]:
    return re.compile("[" + re.escape(load_schema()["fold"]["ignorable"]) + "]")


_DROP = np.uint32(0xFFFFFFFF)
_NUMPY_FROM = 2048  # characters; below this, str.translate is faster than the table


@cache
def _fold_array() -> np.ndarray:
    """The fold table as a code point -> code point array (``_DROP`` = dropped)."""
    table = np.arange(0x110000, dtype=np.uint32)
    for code, target in fold_table().items():
        table[code] = _DROP if target is None else target
    return table


def fold(text: str) -> str:
    """Return the folded key of a term or text (see the module docstring)."""
    return text.translate(fold_table())


@cache
def script_forms(form: str) -> tuple[str, ...]:
    """Return ``form`` and its Traditional spellings generated with OpenCC (no duplicates)."""
    forms = [form]
    for config in load_schema()["fold"]["opencc"]["generate"]:
        converted = converter(config).convert(form)
        if converted not in forms:
            forms.append(converted)
    return tuple(forms)


def term_keys(forms: list[str]) -> set[str]:
    """Return the folded keys under which a concept with these written forms is matched."""
    return {fold(variant) for form in forms for variant in script_forms(form)} - {""}


@dataclass(slots=True)
class FoldedText:
    """A folded text plus what is needed to map its offsets back to the original."""

    original: str
    folded: str
    # For the k-th dropped character: its position in the folded text (``d_k - k``),
    # ascending; a list or a NumPy array.
    drops: Sequence[int] | np.ndarray

    @classmethod
    def of(cls, text: str) -> FoldedText:
        if len(text) < _NUMPY_FROM:
            folded = text.translate(fold_table())
            if len(folded) == len(text):
                return cls(text, folded, [])
            drops = [m.start() - k for k, m in enumerate(_ignorable_pattern().finditer(text))]
            return cls(text, folded, drops)
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        mapped = _fold_array()[codes]
        keep = mapped != _DROP
        if keep.all():
            return cls(text, mapped.tobytes().decode("utf-32-le", "surrogatepass"), [])
        dropped = np.flatnonzero(~keep)
        folded = mapped[keep].tobytes().decode("utf-32-le", "surrogatepass")
        return cls(text, folded, dropped - np.arange(len(dropped)))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded ``[start, end)`` (end > start) to the original text.

        Dropped characters before the first and after the last matched character stay
        outside the span; those between them are inside it.
        """
        drops = self.drops
        if not len(drops):
            return start, end
        return start + bisect_right(drops, start), end + bisect_right(drops, end - 1)

    def spans(self, starts: Sequence[int], ends: Sequence[int]) -> tuple[list[int], list[int]]:
        """Map many folded spans at once (vectorised when there are many)."""
        drops = self.drops
        if not len(drops):
            return list(starts), list(ends)
        if len(starts) < 64:
            pairs = [self.span(s, e) for s, e in zip(starts, ends, strict=True)]
            return [p[0] for p in pairs], [p[1] for p in pairs]
        drops = np.asarray(drops)
        first = np.asarray(starts, dtype=np.int64)
        last = np.asarray(ends, dtype=np.int64)
        first = first + np.searchsorted(drops, first, side="right")
        last = last + np.searchsorted(drops, last - 1, side="right")
        return first.tolist(), last.tolist()
