"""Split a document's paragraphs with str scans, leaving the rare cases to the regex paths.

The regex paths of ``segmenter.py`` let ``re`` find the next interesting character: its
first-character test costs ~50 instructions for every character of the text (a class of
~30 characters), and every match pays a search set-up (its stack is freed and allocated
again), a match object and a Python step.

Most sentences of published prose need none of that: a paragraph whose every terminator
(。！？…) is followed by an ordinary character (or ends the paragraph), and whose quotations
and brackets close on the line with no terminator inside, is cut right after each
terminator. So, per document (the paragraphs joined by line breaks):

- marks are looked for with ``in`` (memchr; ASCII ones in the text's Latin-1 bytes);
- the terminators present are written as one (``str.replace``) and each paragraph is cut
  with ``str.split`` at it, its spans the running sum of the pieces' lengths;
- a few literal-led patterns (sre's one-character scan, ~4 instructions a character)
  find what makes a paragraph not plain: a terminator followed by another, a closing
  mark, a continuation (，、：…) or a space; an opening mark whose closing mark does not
  follow on the line before any terminator; an ASCII full stop after a Han character;
  any ellipsis (……等). Such a paragraph — a few in a hundred — is split by
  ``Segmenter.split``, the path that decided every paragraph before.

It covers what ``Segmenter._split_joined_fast`` covers: paragraphs without a line break of
their own, an ASCII quote or a protected-pattern trigger; and rules whose character sets
do not overlap in ways that would make the token order matter (``ScanSplitter.accepts``).
Anything else goes to the regex paths, which stay as they were and are the reference of
the property tests (``tests/test_segment_scan.py``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from itertools import accumulate, repeat
from operator import add

from workbench.segment.rules import SegmentationRules

# Characters that end a line, as str.splitlines() sees them ("\n" joins the paragraphs).
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_OTHER_BREAKS = LINE_BREAKS[1:]
_ONES = repeat(1)
_match_start = re.Match.start
SplitOne = Callable[[str], list[tuple[int, int]]]


def _probes(marks: Iterable[str]) -> tuple[tuple[str, int | None], ...]:
    """Each mark with the byte of its first character, if the mark is all Latin-1.

    As an integer: ``int in bytes`` is one memchr, where ``bytes in bytes`` first tries
    its operand as an integer and formats an error.
    """
    probes: list[tuple[str, int | None]] = []
    for mark in marks:
        if any(ord(c) > 255 for c in mark):
            probes.append((mark, None))
        else:
            probes.append((mark, ord(mark[0])))
    return tuple(probes)


def _cls(chars: set[str]) -> str:
    """A regex character class matching any of ``chars`` (in a stable order)."""
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


class ScanSplitter:
    """``Segmenter.split_lines`` for the common case, from ``str`` scans (see module)."""

    def __init__(
        self, rules: SegmentationRules, terminators: str, period: str | None, split: SplitOne
    ) -> None:
        """Compile the few literal-led patterns; ``split`` is the per-paragraph fallback.

        ``period`` is the token regex's ASCII full-stop branch (None when the rules have
        none), ``split`` the segmenter's ``split`` for the paragraphs the scan leaves.
        """
        self._split = split
        self._terminators = _probes(dict.fromkeys(terminators))
        self._ellipsis = frozenset(rules.ellipsis)
        # What after a terminator makes the cut anything but "right after it": another
        # terminator (a run), a closing mark, a continuation (，、：…) or a space. A
        # line break is no such thing: the paragraph ends there anyway. (Words that
        # continue an ellipsis's list do not matter: every ellipsis is looked at apart.)
        special = set(terminators) | set(rules.closers) | set(rules.continuation)
        follow = f"(?=[^\\S\n]|{_cls(special)})" if special else "(?=[^\\S\n])"
        self._special_after = {t: re.compile(re.escape(t) + follow) for t in terminators}
        # An opening mark is harmless when its closing mark follows on the same line with
        # no terminator between (《纲要》, “两不愁”): its token then neither cuts nor hides
        # a terminator. Any other one (a quotation ending in 。, an unclosed mark) is not.
        self._openers = _probes(p.open for p in rules.pairs)
        self._harmful_pair = {
            p.open: re.compile(
                f"{re.escape(p.open)}(?![^{re.escape(p.close + terminators)}\n]*+"
                f"{re.escape(p.close)})"
            )
            for p in rules.pairs
        }
        self._literal = {t: re.compile(re.escape(t)) for t in rules.ellipsis}
        self._period = re.compile(period) if period else None
        self._slow_marks = _probes(
            (*rules.protected_triggers, *rules.parity_quotes, *_OTHER_BREAKS)
        )

    @staticmethod
    def accepts(rules: SegmentationRules, terminators: str) -> bool:
        """True when the rules let the scan's shortcuts stand for the token loop.

        The token regex tries its branches in order; the scan assumes that no character
        starts two kinds of token (an opening mark that is also a terminator, two pairs
        with one opening mark), that no terminator is a closing mark, and that no mark is
        whitespace or a line break.
        """
        openers = [p.open for p in rules.pairs]
        if len(set(openers)) != len(openers):
            return False
        marks = set(terminators) | set(openers) | set(rules.closers)
        if any(ch.isspace() or ch in LINE_BREAKS for ch in marks | {p.close for p in rules.pairs}):
            return False
        closes = {p.close for p in rules.pairs}
        if set(terminators) & (set(openers) | set(rules.closers) | closes):
            return False
        if set(openers) & set(rules.closers):
            return False
        if rules.ascii_period and "." in marks:
            return False
        return not (rules.protected and not rules.protected_triggers)

    def split_lines(self, paragraphs: list[str]) -> list[list[tuple[int, int]]] | None:
        """The spans of each paragraph, or None when the text needs the regex paths."""
        # A line break after the last paragraph too: every paragraph ends in one.
        text = "\n".join([*paragraphs, ""])
        # The text's Latin-1 characters alone (digits, ASCII marks, controls): ~6
        # instructions a character once, then each ASCII mark is one memchr over a few
        # hundred bytes (in the text, memchr stops at every ，for \x0c and every “ for
        # \x1c: the low bytes of their code units). Marks beyond Latin-1 are looked for
        # in the text.
        latin = text.encode("latin-1", "ignore")
        if latin.count(10) != len(paragraphs):
            return None  # a paragraph holds a line break of its own
        for mark, narrow in self._slow_marks:
            # (Several characters: their first one, then the whole mark in the text.)
            if mark in text if narrow is None else narrow in latin and mark in text:
                return None
        special: list[int] = []  # offsets that send their paragraph to the regex path
        main = ""
        rewritten = False
        for mark, narrow in self._terminators:
            if mark not in text if narrow is None else narrow not in latin:
                continue
            if mark in self._ellipsis:
                special += map(_match_start, self._literal[mark].finditer(text))
            elif not main:
                main = mark
            else:
                # Every other terminator written as the first one found: a plain
                # sentence ends right after any of them, and the checks below treat
                # them all alike; one scan then serves them all.
                text = text.replace(mark, main)
                rewritten = True
        if main:
            special += map(_match_start, self._special_after[main].finditer(text))
        for mark, narrow in self._openers:
            if mark in text if narrow is None else narrow in latin:
                special += map(_match_start, self._harmful_pair[mark].finditer(text))
        if self._period is not None and 46 in latin:  # "."
            special += map(_match_start, self._period.finditer(text))
        marked: frozenset[int] | tuple[()] = ()
        if special:
            # Each paragraph's line break in text; an offset belongs to the first
            # paragraph whose line break comes after it.
            ends = list(accumulate(map(add, map(len, paragraphs), _ONES), initial=-1))
            del ends[0]
            marked = frozenset(map(bisect_left, repeat(ends), special))
        lines = paragraphs
        if rewritten:
            lines = text.split("\n")
            lines.pop()  # after the final line break
        result: list[list[tuple[int, int]]] = []
        append = result.append
        number = -1
        # zip() without strict=: the keyword sends every call through zip's generic
        # constructor with a dict (~1,000 instructions a call, twice a paragraph); the
        # lengths are equal by construction.
        for paragraph, line in zip(paragraphs, lines):  # noqa: B905
            number += 1
            if number in marked:
                append(self._split(paragraph))
                continue
            # lstrip/rstrip hand back the paragraph itself when nothing is stripped.
            start = len(paragraph) - len(paragraph.lstrip())
            tail = len(paragraph.rstrip())
            parts = line.split(main) if main else [line]
            if len(parts) == 1:
                append([(start, tail)] if tail > start else [])
                continue
            # Plain sentences end right after each terminator: at the running sum of
            # the pieces' lengths, one more for each terminator.
            parts.pop()
            ends = list(accumulate(map(add, map(len, parts), _ONES)))
            starts = [start, *ends]
            ends.append(tail)
            spans = list(zip(starts, ends))  # noqa: B905 (one start per end)
            if tail <= starts[-1]:
                spans.pop()
            append(spans)
        return result
