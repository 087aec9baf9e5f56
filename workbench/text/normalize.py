"""Normalise Chinese web text the way Chinese typesetting expects, keeping a map back.

Mirrors and scrapers leave the same sentence in many shapes: Traditional script, full-width
Latin letters and digits (ＧＤＰ２０１８), ASCII ``,:;!?()`` where the publisher wrote
``，：；！？（）``, ideographic spaces and no-break spaces. Annotators, the glossary matcher and
the exports all want one shape, but every offset we store must still point into the text as
it was published. So ``normalize`` returns the new text *and* ``offsets``: for each code
point of the normalised text, the offset of the input code point it came from.

Steps, in order:

1. OpenCC conversion (default ``t2s``). Most conversions keep the length; when a phrase
   conversion does not, the changed stretch is aligned with ``difflib`` so offsets stay
   monotonic and true.
2. Full-width ASCII (U+FF01–FF5E) becomes half-width, except the Chinese punctuation that
   Chinese typesetting keeps full-width: ``！（），：；？``.
3. ASCII ``, : ; ! ? ( )`` touching Chinese text become full-width (``，：；！？（）``); digit
   groups and clock times (``1,000``, ``15:33``) and Latin text are left alone. An ASCII
   ``.`` directly after a Han character at the end of a sentence becomes ``。``.
4. Whitespace: runs of spaces, tabs, ideographic spaces (U+3000), no-break and other
   Unicode spaces become one ASCII space; whitespace at the start and end of a line is
   dropped; zero-width characters are dropped. Line breaks are kept (``\\r\\n`` → ``\\n``).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import json
import operator
import re
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import opencc

from workbench.errors import ConfigError
from workbench.text.scripts import CJK_PUNCT, HAN

_CJK_CONTEXT = re.compile(f"[{HAN}{CJK_PUNCT}]")
_HAN_CHAR = re.compile(f"[{HAN}]")

# Full-width forms Chinese typesetting keeps as they are.
KEEP_FULL_WIDTH = frozenset("！（），：；？")
# ASCII punctuation and its Chinese full-width equivalent.
TO_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}

# Parentheses are decided in pairs so ``(2011-2020年)`` becomes ``（2011-2020年）`` whole.
_PAREN_PAIR = re.compile(r"\(([^()\n]*)\)")


@dataclass(slots=True)
class Normalized:
    """Normalised text plus, for each of its code points, the offset in the input.

    ``source`` is the input itself; ``source_span`` uses it to map a span back whole when
    several input characters became fewer (``......`` → ``……``, 記憶體 → 内存). Not frozen
    (ingest makes one per line, and a frozen dataclass's ``__init__`` costs about twice
    as much); treat instances as read-only.
    """

    text: str
    # An ``array('q')`` (8 bytes a code point, not a list's ~36), or ``range(len(text))``
    # when nothing changed length: no map to build at all.
    offsets: Sequence[int]
    source: str = ""

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span ``[start, end)`` of ``text`` to the span of the input it came from.

        The span reaches up to where the next character's source begins, less any
        whitespace or zero-width characters that normalisation dropped in between.
        """
        offsets = self.offsets
        if start >= end:
            point = offsets[start] if start < len(offsets) else self._input_end()
            return point, point
        a = offsets[start]
        b = offsets[end - 1] + 1
        if self.source:
            limit = offsets[end] if end < len(offsets) else len(self.source)
            while limit > b and (
                self.source[limit - 1].isspace() or self.source[limit - 1] in _ZERO_WIDTH
            ):
                limit -= 1
            b = max(b, limit)
        return a, b

    def _input_end(self) -> int:
        if self.source:
            return len(self.source)
        return self.offsets[-1] + 1 if self.offsets else 0


# Offset maps are machine integers in an array: a 50 MB one-line file has 18 million code
# points, and a list of Python ints for them costs over 600 MB where this costs 140.
OFFSET_TYPECODE = "q"

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


@functools.lru_cache(maxsize=8)
def _converter(opencc_config: str) -> opencc.OpenCC | None:
    """Return a cached OpenCC converter (building one reads dictionaries: slow)."""
    name = opencc_config.strip()
    if not name or name.lower() in {"none", "off"}:
        return None
    if name.endswith(".json"):
        name = name[: -len(".json")]
    try:
        return opencc.OpenCC(name)
    except Exception as exc:  # the binding raises a bare RuntimeError/Exception
        raise ConfigError(
            f"OpenCC conversion {opencc_config!r} is unknown ({exc}); "
            "use one of t2s, tw2s, hk2s, tw2sp, or 'none'"
        ) from None


_TRIGGERS_FILE = Path(__file__).resolve().parent / "data" / "opencc_triggers.json"


class _Triggers(NamedTuple):
    """What can make one OpenCC conversion change a line (``_triggers``)."""

    pattern: re.Pattern[str]  # any trigger character
    # The same class without the range beyond the BMP, for texts known to hold no
    # character there: sre tests every character against each part of a class in turn,
    # and the range alone cost about 11 instructions a character.
    bmp_pattern: re.Pattern[str]
    # Characters that trigger only some phrases: where in a phrase the character stands,
    # and the phrases it stands there in (覆: (1, ("批覆", "答覆", …)), …). Grouped by
    # that offset so that one ``startswith`` with the tuple asks for all of them.
    phrases: dict[str, tuple[tuple[int, tuple[str, ...]], ...]]

    def in_phrase(self, text: str, at: int) -> bool:
        """True when a phrase of the phrase-only trigger ``text[at]`` stands around ``at``.

        No phrase holds a line break, so in lines joined by breaks a phrase found around
        ``at`` lies inside ``at``'s line.
        """
        for offset, phrases in self.phrases[text[at]]:
            if offset <= at and text.startswith(phrases, at - offset):
                return True
        return False

    def may_change(self, line: str) -> bool:
        """False when OpenCC is sure to return ``line`` unchanged."""
        found = self.pattern.search(line)
        if found is None:
            return False
        phrases = self.phrases
        if found.group() not in phrases:
            return True
        chars = set(self.pattern.findall(line, found.start()))
        if not chars.issubset(phrases):
            return True
        for char in chars:
            # Each place the character stands: does one of its phrases stand around it?
            at = line.find(char)
            while at >= 0:
                if self.in_phrase(line, at):
                    return True
                at = line.find(char, at + 1)
        return False


@functools.lru_cache(maxsize=8)
def _triggers(opencc_config: str) -> _Triggers | None:
    """What can make ``opencc_config`` change a text: its trigger characters.

    A text with none of them comes back from OpenCC unchanged (how the set is built, and
    why that holds: ``scripts/opencc_triggers.py``), so ingest skips the conversion of
    most lines of Simplified pages. Some characters trigger only a few phrases (覆 in
    批覆, not in 覆盖): a line whose triggers are all such and holds none of their
    phrases is unchanged too. None — convert everything — for a conversion the file
    does not describe, or when any installed configuration or dictionary file differs
    from the one the set was built from (another OpenCC release). Characters beyond the
    BMP all count as triggers: the class stays a bitmap lookup.
    """
    converter = _converter(opencc_config)
    if converter is None:
        return None
    config = Path(str(getattr(converter, "config", "")))
    try:
        described = json.loads(_TRIGGERS_FILE.read_text(encoding="utf-8"))["configs"]
        data = described.get(config.name.removesuffix(".json"))
        if not data:
            return None
        for name, digest in data["sha256"].items():
            if hashlib.sha256((config.parent / name).read_bytes()).hexdigest() != digest:
                return None
        bmp = "".join(re.escape(c) for c in data["triggers"] if ord(c) < 0x10000)
        phrases = {char: _by_offset(char, keys) for char, keys in data["phrases"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return _Triggers(re.compile(f"[{bmp}\\U00010000-\\U0010ffff]"), re.compile(f"[{bmp}]"), phrases)


def _by_offset(char: str, keys: list[str]) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """Where ``char`` stands in each of ``keys``, the keys grouped by that offset."""
    grouped: dict[int, list[str]] = {}
    for key in keys:
        for offset, c in enumerate(key):
            if c == char:
                grouped.setdefault(offset, []).append(key)
    return tuple((offset, tuple(group)) for offset, group in sorted(grouped.items()))


def _convert_lines(
    converter: opencc.OpenCC, opencc_config: str, joined: str, bmp_only: bool = False
) -> str:
    """``converter.convert(joined)``, where ``joined`` is lines joined by line breaks.

    Only the lines holding a trigger character go through OpenCC (in one call); the
    others cannot change. No conversion reads across a line break (``normalize_lines``).
    ``bmp_only``: the caller knows ``joined`` holds no character beyond the BMP, so the
    triggers are looked for with the class without that range.
    """
    triggers = _triggers(opencc_config)
    if triggers is None:
        whole: str = converter.convert(joined)
        return whole
    pattern = triggers.bmp_pattern if bmp_only else triggers.pattern
    hit = pattern.search(joined)
    if hit is None:
        return joined
    phrases = triggers.phrases
    lines: list[str] = []
    starts: list[int] = []
    chosen: list[int] = []
    while hit is not None:
        at = hit.start()
        if joined[at] in phrases and not triggers.in_phrase(joined, at):
            # A phrase-only trigger outside its phrases (覆 in 覆盖): go on from the next
            # character, so a line is scanned once (``may_change`` would scan it again).
            hit = pattern.search(joined, at + 1)
            continue
        if not lines:  # the first line chosen: cut the text into lines
            lines = joined.split("\n")
            starts = list(itertools.accumulate((len(ln) + 1 for ln in lines[:-1]), initial=0))
        number = bisect.bisect_right(starts, at) - 1
        chosen.append(number)
        if number + 1 == len(lines):
            break
        hit = pattern.search(joined, starts[number + 1])
    if not chosen:
        return joined
    if len(chosen) == len(lines):
        whole = converter.convert(joined)
        return whole
    converted = converter.convert("\n".join(lines[n] for n in chosen)).split("\n")
    if len(converted) != len(chosen):  # cannot happen: OpenCC keeps line breaks
        whole = converter.convert(joined)
        return whole
    for number, line in zip(chosen, converted, strict=True):
        lines[number] = line
    return "\n".join(lines)


def convert_script(text: str, opencc_config: str = "t2s") -> tuple[str, Sequence[int] | None]:
    """Convert script with OpenCC; return the text and an offset map (None if 1:1)."""
    converter = _converter(opencc_config)
    if converter is None:
        return text, None
    triggers = _triggers(opencc_config)
    if triggers is not None and not triggers.may_change(text):
        return text, None
    converted = converter.convert(text)
    if len(converted) == len(text):
        return converted, None
    # A phrase conversion changed the length somewhere (記憶體 → 内存). Phrases never span
    # non-Han characters, so convert run by run and align only the runs that changed.
    pieces: list[str] = []
    offsets = array(OFFSET_TYPECODE)
    for m in _RUNS.finditer(text):
        run = m.group()
        new = converter.convert(run)
        pieces.append(new)
        if len(new) == len(run):
            offsets.extend(range(m.start(), m.end()))
        else:
            offsets.extend(m.start() + i for i in _align_run(run, new, converter.convert))
    return "".join(pieces), offsets


_RUNS = re.compile(f"[{HAN}]+|[^{HAN}]+")
_ALIGN_LIMIT = 64  # longer changed runs are mapped proportionally (never seen in practice)


def _align_run(source: str, target: str, convert: Callable[[str], str]) -> list[int]:
    """For each code point of ``target`` (the conversion of ``source``), its source offset.

    Cut the run where converting the two halves separately gives the same result as
    converting it whole; between cuts, a piece of equal length maps 1:1 and a piece whose
    length changed maps proportionally (記憶體 → 内存: 内→記, 存→憶).
    """
    if len(source) > _ALIGN_LIMIT:
        return _proportional(0, len(source), len(target))
    mapping: list[int] = []
    s_at = t_at = 0
    while s_at < len(source):
        for k in range(s_at + 1, len(source) + 1):
            head = convert(source[s_at:k])
            if target.startswith(head, t_at) and (
                convert(source[k:]) == target[t_at + len(head) :]
            ):
                break
        else:  # no clean cut: the rest is one piece
            k, head = len(source), target[t_at:]
        if len(head) == k - s_at:
            mapping.extend(range(s_at, k))
        else:
            mapping.extend(_proportional(s_at, k, len(head)))
        s_at, t_at = k, t_at + len(head)
    return mapping


def _proportional(start: int, end: int, count: int) -> list[int]:
    """Spread ``count`` target code points over source offsets ``[start, end)``.

    The first maps to ``start`` and the last to ``end - 1``, so a span over the whole
    piece maps back to the whole source piece.
    """
    if count <= 1:
        return [start] * count
    last = end - 1 - start
    return [start + (j * last + (count - 1) // 2) // (count - 1) for j in range(count)]


def _paren_decisions(text: str) -> dict[int, bool]:
    """Decide for each ASCII parenthesis pair whether it stands for Chinese （）."""
    decisions: dict[int, bool] = {}
    for m in _PAREN_PAIR.finditer(text):
        open_at, close_at = m.start(), m.end() - 1
        before = text[open_at - 1] if open_at else ""
        after = text[close_at + 1] if close_at + 1 < len(text) else ""
        chinese = bool(
            _HAN_CHAR.search(m.group(1))
            or (before and _CJK_CONTEXT.match(before))
            or (after and _CJK_CONTEXT.match(after))
        )
        decisions[open_at] = decisions[close_at] = chinese
    return decisions


# ASCII marks that stand for Chinese ones, found in one pass whose look-arounds read the
# neighbours as published. A mark touching Chinese on either side cannot sit between two
# digits, so 1,000 and 15:33 stay as they are without a rule of their own. A full stop
# only plainly ending a Chinese sentence: after a Han character, before the end, a space
# or more Chinese — never in numbers, URLs or Latin text.
_CJK = f"[{HAN}{CJK_PUNCT}]"
_PUNCT = re.compile(
    # The pattern opens with the marks themselves so the engine scans for them at C speed;
    # the conditions follow as look-arounds.
    f"[,:;!?.．](?:(?<={_CJK}[,:;!?])|(?<=[,:;])(?={_CJK})|(?<=[{HAN}][.．])(?=\\s|\\Z|{_CJK}))"
)
_PUNCT_TABLE = {**TO_FULL_WIDTH, ".": "。", "．": "。"}
_WIDE_TO_NARROW = {
    code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code) not in KEEP_FULL_WIDTH
}
# Full-width forms that become ASCII; searched first, as most texts have none.
_WIDE = re.compile("[" + "".join(re.escape(chr(c)) for c in _WIDE_TO_NARROW) + "]")
# The same test on the text's UTF-16 code units: a full-width form U+FFxx is the byte pair
# xx FF at an even offset. The pattern opens with the FF byte, which the engine finds at
# memchr speed, where a scan with ``_WIDE``'s class cost ~10 ns a character.
_WIDE_UNITS = re.compile(
    b"\\xff(?<=["
    + b"".join(re.escape(bytes([code - 0xFF00])) for code in sorted(_WIDE_TO_NARROW))
    + b"]\\xff)"
)


def _has_wide(text: str, units: bytes | None = None) -> bool:
    """``_WIDE.search(text) is not None``, told from the UTF-16 code units.

    ``units``: ``text.encode("utf-16-le", "surrogatepass")`` when the caller has it.
    """
    if units is None:
        units = text.encode("utf-16-le", "surrogatepass")
    # A match at an odd offset is the high byte of a code unit, not the low byte of U+xxFF.
    return any(m.start() % 2 for m in _WIDE_UNITS.finditer(units))


_PARENTHESIS = re.compile(r"[()]")
# What changes length: whitespace runs (collapsed, or dropped at line edges), zero-width
# characters, and ASCII dots standing for an ellipsis after Chinese (脱贫...... → 脱贫……).
_LENGTH_EVENTS = re.compile(
    r"(?P<space>[^\S\n]+)|(?P<zero>[\u200b-\u200d\u2060\ufeff\u00ad])|(?P<dots>\.{3,})"
)


def _full_width_mark(m: re.Match[str]) -> str:
    return _PUNCT_TABLE[m.group()]


def _mark_rule(mark: str) -> tuple[bool, re.Pattern[str]]:
    """How one mark of ``_PUNCT`` is rewritten alone; both ways open with a literal.

    Marks that nearly always stand for Chinese where they occur (``, : ; ! ?`` beside
    Chinese text): a regex finds the few that ``_PUNCT`` would leave as they are
    (``True``, the staying pattern) and ``str.replace`` converts the rest. Full stops are
    mostly in numbers and Latin text: a regex finds the few that end a Chinese sentence
    (``False``, the converting pattern).
    """
    escaped = re.escape(mark)
    if mark in ".．":
        return False, re.compile(f"{escaped}(?<=[{HAN}]{escaped})(?=\\s|\\Z|{_CJK})")
    # _PUNCT converts these after Chinese, and ``, : ;`` also before it; the rest stay.
    not_before = f"(?!{_CJK})" if mark in ",:;" else ""
    return True, re.compile(f"{escaped}(?<!{_CJK}{escaped}){not_before}")


# Each mark is first looked at in a pass of its own, which sets the marks its pattern finds
# aside as a noncharacter (U+FDD0…); only when every mark has been looked at are they
# rewritten. Like the ASCII mark it stands for, a noncharacter is neither Chinese nor a
# space, so every pass reads the neighbours as published, as the single ``_PUNCT`` pass
# does.
_MARK_RULES = tuple(
    (mark, chr(0xFDD0 + number), _PUNCT_TABLE[mark], *_mark_rule(mark))
    for number, mark in enumerate(",:;!?.．")  # the marks of _PUNCT's opening class
)
_PLACEHOLDERS = tuple(rule[1] for rule in _MARK_RULES)


def _full_width_marks(text: str) -> str:
    """``_PUNCT.sub(_full_width_mark, text)`` without a Python call per replaced mark.

    Mirrored pages put an ASCII comma for nearly every Chinese one (hundreds a
    document); here every pass runs in C. A mark that mostly converts costs a search
    for the ones that stay, one ``str.replace`` for the rest and, only if some stay, one
    more to put them back.
    """
    if any(map(text.__contains__, _PLACEHOLDERS)):  # never in real text; keep it exact
        return _PUNCT.sub(_full_width_mark, text)
    found = []
    for mark, placeholder, full, staying, rule in _MARK_RULES:
        if mark not in text:
            continue
        text, count = rule.subn(placeholder, text)
        found.append((mark, placeholder, full, staying, count))
    for mark, placeholder, full, staying, count in found:
        if staying:
            text = text.replace(mark, full)  # every one left stands for Chinese
            if count:
                text = text.replace(placeholder, mark)
        elif count:
            text = text.replace(placeholder, full)
    return text


# A pair that ``_paren_decisions`` leaves ASCII: no Han inside and nothing Chinese on
# either side (the look-behind sits after the "(" so the pattern opens with a literal).
_LATIN_PAIR = re.compile(f"\\((?<!{_CJK}\\()[^()\\n{HAN}]*\\)(?!{_CJK})")


def _rewrite_parentheses(text: str, context: str) -> str:
    """Turn ASCII parentheses that stand for Chinese ones into （）, pair by pair.

    ``context`` is the text as published (same length): decisions read it, not ``text``.
    """
    if _LATIN_PAIR.search(context) is None:
        # Each pair holds one "(" and one ")", so no parenthesis is left once the pairs
        # are taken out exactly when every one is in a pair. (Two ``count`` calls walked
        # every character; ``in`` runs memchr over what is left.)
        rest, pairs = _PAREN_PAIR.subn("", context)
        if pairs and "(" not in rest and ")" not in rest:
            # Every parenthesis is in a pair, and every pair stands for （）: replace
            # them all in C, without a decision per pair.
            return text.replace("(", "（").replace(")", "）")
    decisions = _paren_decisions(context)
    changes: dict[int, str] = {}
    for m in _PARENTHESIS.finditer(context):
        i = m.start()
        chinese = decisions.get(i)
        if chinese is None:  # unpaired: decide by its neighbours
            before = context[i - 1] if i else " "
            after = context[i + 1] if i + 1 < len(context) else " "
            chinese = bool(_CJK_CONTEXT.match(before) or _CJK_CONTEXT.match(after))
        if chinese:
            changes[i] = TO_FULL_WIDTH[m.group()]
    return _replace_at(text, changes)


def _replace_at(text: str, changes: dict[int, str]) -> str:
    """Return ``text`` with the single characters at the given positions replaced.

    Built from slices: ``list(text)`` would make one string object per code point, about
    80 bytes for each Chinese character (1.5 GB for an 18-million-character line).
    """
    if not changes:
        return text
    pieces, last = [], 0
    for position in sorted(changes):
        pieces.append(text[last:position])
        pieces.append(changes[position])
        last = position + 1
    pieces.append(text[last:])
    return "".join(pieces)


_LINE = re.compile(r"[^\n]+")
_QUOTE = re.compile('"')


def _rewrite_quotes(text: str, context: str) -> str:
    """Turn ASCII double quotes that mirrors put for Chinese “ ” back into “ ”.

    Within one line, quotes pair up in order; a pair whose content holds a Han character
    is a Chinese quotation, so the segmenter can keep it whole. A line with an odd number
    of quotes is left alone: which one is unpaired cannot be told. ``context`` is the text
    as published (same length).
    """
    changes: dict[int, str] = {}
    for line in _LINE.finditer(context):
        if '"' not in line.group():
            continue
        positions = [m.start() for m in _QUOTE.finditer(context, line.start(), line.end())]
        if len(positions) % 2:
            continue
        for opening, closing in zip(positions[::2], positions[1::2], strict=True):
            if _HAN_CHAR.search(context, opening + 1, closing):
                changes[opening], changes[closing] = "“", "”"
    return _replace_at(text, changes)


def normalize(text: str, opencc_config: str = "t2s") -> Normalized:
    """Normalise script, width, punctuation and whitespace; keep offsets into ``text``."""
    converted, script_map = convert_script(text, opencc_config)
    return _change_lengths(text, _rewrite_one_to_one(converted), script_map)


def normalize_lines(lines: list[str], opencc_config: str = "t2s") -> list[Normalized]:
    """Return ``[normalize(line) for line in lines]``, for the lines of one document.

    The one-to-one passes (OpenCC, punctuation, parentheses, quotes, widths) run once over
    the lines joined by line breaks: none of them reads or converts across one (OpenCC's
    dictionaries are line-based files, so no phrase holds a line break; the other passes
    treat a line break as they treat the end of a text). Only the length pass, which most
    lines skip, runs line by line. Per-call costs were most of normalising a short line.
    A line holding a line break, or whose script conversion changes its length, makes
    every line go through ``normalize`` alone. A line holding a line break needs no count
    of them first: the converted text, as long as the joined one, then splits into pieces
    whose lengths cannot all match the lines' (they would sum to less than the lines').
    """
    if not lines:
        return []
    joined = "\n".join(lines)
    converter = _converter(opencc_config)
    # The text's UTF-16 code units, encoded once for two questions: whether a character
    # lies beyond the BMP (it takes two units: the text is then longer than half the
    # bytes), which lets the trigger scan use the class without that range; and, when
    # OpenCC leaves the text as it is, whether a full-width form is there to narrow.
    units = joined.encode("utf-16-le", "surrogatepass")
    converted = (
        joined
        if converter is None
        else _convert_lines(converter, opencc_config, joined, len(units) == 2 * len(joined))
    )
    # The lines keep their lengths when OpenCC left the text alone (the same object back,
    # no lines to cut and compare) or when each converted line is as long as before.
    if converted is not joined and (
        len(converted) != len(joined)
        or any(map(operator.ne, map(len, converted.split("\n")), map(len, lines)))
    ):
        return [normalize(line, opencc_config) for line in lines]
    whole = _rewrite_one_to_one(converted, units if converted is joined else None)
    # Not held through the length pass: for a one-line 50 MB file the code units are
    # 36 MB, and that pass builds the offset map (the peak of ``ingest_memory.py``).
    del units
    rewritten = whole.split("\n")
    if len(rewritten) != len(lines):  # a line held a line break (and OpenCC left it)
        return [normalize(line, opencc_config) for line in lines]
    # ``_keeps_length`` inline: most lines keep their length, and two Python calls per
    # line cost more than the checks. Its substring tests are asked of the whole text
    # first: a line holds "  " or "..." only if the text does, and starts or ends with a
    # space only if the text does or has one beside a line break. Only when one of them
    # is there are the lines asked one by one. Each ``Normalized`` is made by its slots,
    # without the call to its ``__init__``.
    spaced = (
        "  " in whole
        or "..." in whole
        or " \n" in whole
        or "\n " in whole
        or whole.startswith(" ")
        or whole.endswith(" ")
    )
    result: list[Normalized] = []
    append = result.append
    new_normalized = object.__new__
    for line, new in zip(lines, rewritten, strict=True):
        if new.isprintable() and (
            not spaced
            or (
                "  " not in new
                and "..." not in new
                and not new.startswith(" ")
                and not new.endswith(" ")
            )
        ):
            kept = new_normalized(Normalized)
            kept.text = new
            kept.offsets = range(len(new))
            kept.source = line
            append(kept)
        else:
            append(_change_lengths(line, new, None))
    return result


def _rewrite_one_to_one(converted: str, units: bytes | None = None) -> str:
    """The rewrites that keep every character in place: punctuation, widths.

    ``units``: the UTF-16 code units of ``converted``, when the caller has them.
    """
    # Punctuation reads its neighbours as published, so it goes first.
    rewritten = _full_width_marks(converted)
    if "(" in converted or ")" in converted:
        rewritten = _rewrite_parentheses(rewritten, converted)
    if '"' in converted:
        rewritten = _rewrite_quotes(rewritten, converted)
    # The passes above write only forms that stay full-width (，。（“…): the published
    # text holds a form to narrow exactly when the rewritten one does, and fewer
    # full-width forms for the test to look at.
    if _has_wide(converted, units):
        rewritten = rewritten.translate(_WIDE_TO_NARROW)
    return rewritten


def _change_lengths(text: str, rewritten: str, script_map: Sequence[int] | None) -> Normalized:
    """Collapse and drop whitespace, drop zero-width characters, turn ... into …."""
    if _keeps_length(rewritten):
        return Normalized(
            rewritten, range(len(rewritten)) if script_map is None else script_map, text
        )
    if (
        script_map is None
        and "\n" not in rewritten
        and "..." not in rewritten
        and not any(map(rewritten.__contains__, _ZERO_WIDTH_CHARS))
    ):
        return _collapse_spaces(text, rewritten)
    return _change_lengths_by_events(text, rewritten, script_map)


_ZERO_WIDTH_CHARS = tuple(sorted(_ZERO_WIDTH))


def _collapse_spaces(text: str, rewritten: str) -> Normalized:
    """``_change_lengths_by_events`` for one line whose only length events are spaces.

    The line (no line break, no zero-width character, no run of three dots) changes
    length only where whitespace runs are: ``str.split()`` cuts at the same runs
    (``\\s`` and ``str.isspace`` are one test in CPython), so the words joined by single
    spaces are the result: runs at the edges dropped, each inner run one space mapped to
    its first character. One ``find`` per word gives the offsets, where the event regex
    (no literal to skip by) paid a search, a match object and a Python step per run:
    ~100,000 instructions for a 56-character line with twelve no-break spaces.
    """
    words = rewritten.split()
    result = " ".join(words)
    n = len(rewritten)
    if result == rewritten:  # only single inner spaces: nothing moved
        return Normalized(rewritten, range(n), text)
    source = _counting(n)
    offsets = array(OFFSET_TYPECODE)
    find = rewritten.find
    at = -1  # where the previous word ended; -1 before the first word
    for word in words:
        # A word holds no whitespace, so it cannot start inside the run before it.
        start = find(word, 0 if at < 0 else at)
        if at >= 0:
            offsets.append(source[at])  # the run's one space, from its first character
        at = start + len(word)
        offsets.extend(source[start:at])
    return Normalized(result, offsets, text)


def _change_lengths_by_events(
    text: str, rewritten: str, script_map: Sequence[int] | None
) -> Normalized:
    """The general length pass: every length event of ``rewritten`` in turn."""
    # Then the length changes, copying the unchanged stretches in slices: offset slices of
    # an array are memory copies, where extending from a range makes an int per character.
    source = _counting(len(text)) if script_map is None else script_map
    pieces: list[str] = []
    offsets = array(OFFSET_TYPECODE)
    n = len(rewritten)
    last = 0
    for m in _LENGTH_EVENTS.finditer(rewritten):
        start, end = m.start(), m.end()
        if m.lastgroup == "dots":
            if not (start and _CJK_CONTEXT.match(rewritten[start - 1])):
                continue  # 1...3, etc...: not Chinese, left as it is
            pieces.append(rewritten[last:start])
            offsets.extend(source[last:start])
            count = (end - start + 2) // 3  # ...... → ……, ... → …
            pieces.append("…" * count)
            offsets.extend(source[start + 3 * j] for j in range(count))
            last = end
            continue
        if m.lastgroup == "space":
            at_line_start = start == 0 or rewritten[start - 1] == "\n"
            at_line_end = end == n or rewritten[end] == "\n"
            if not (at_line_start or at_line_end):
                if end - start == 1 and rewritten[start] == " ":
                    continue  # a single space stays as it is: nothing to do
                pieces.append(rewritten[last:start])
                offsets.extend(source[last:start])
                pieces.append(" ")
                offsets.append(source[start])
                last = end
                continue
        pieces.append(rewritten[last:start])
        offsets.extend(source[last:start])
        last = end
    if not last and script_map is None:
        # Nothing changed length (most lines): each character is where it was.
        return Normalized(rewritten, range(n), text)
    pieces.append(rewritten[last:])
    offsets.extend(source[last:n])
    return Normalized("".join(pieces), offsets, text)


def _keeps_length(text: str) -> bool:
    """True when ``_LENGTH_EVENTS`` would change nothing in ``text``, told at C speed.

    Scanning for the events costs ~70 ns a character (the pattern has no literal prefix
    for the regex engine to skip by); these checks cost a few. A printable text holds no
    whitespace but the ASCII space and no zero-width character (both are unprintable), so
    only a run of spaces, a space at a line's edge or a run of dots could change it.
    """
    return (
        text.isprintable()
        and "  " not in text
        and "..." not in text
        and not text.startswith(" ")
        and not text.endswith(" ")
    )


_COUNTING: list[array[int]] = [array(OFFSET_TYPECODE, range(1 << 12))]


_COUNTING_KEPT = 1 << 20  # longer texts (a one-line 50 MB file) get their own, not kept


def _counting(n: int) -> Sequence[int]:
    """Return offsets ``0, 1, 2, …`` of at least ``n`` entries (shared, read-only)."""
    if n > _COUNTING_KEPT:
        return range(n)
    if len(_COUNTING[0]) < n:
        _COUNTING[0] = array(
            OFFSET_TYPECODE, range(min(max(n, 2 * len(_COUNTING[0])), _COUNTING_KEPT))
        )
    return _COUNTING[0]
