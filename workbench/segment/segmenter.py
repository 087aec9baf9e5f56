"""Split Chinese text into sentences, carrying offsets from the start.

Two implementations of the same rules, kept in agreement by property tests:

- the token loop (``_cuts``): one compiled regex finds the only places that matter —
  terminator runs with their closing marks, quoted or bracketed stretches, protected URLs,
  ASCII full stops, line breaks — and skips ordinary text at C speed; Python then checks
  each hit against the continuation rule (a sentence never begins with ，、：…) and the
  parity of ASCII quotes;
- the fast regex (``_compile_fast``): the same checks written as look-aheads, so every
  match already says whether it ends a sentence. Used for every text without an ASCII
  quote or a URL/e-mail trigger, i.e. nearly all Chinese prose.

``split_lines`` (what ingest calls, once per document) first tries ``scan.ScanSplitter``:
str scans that cut plain paragraphs at every terminator without a regex match per
sentence, and hand the rest to ``split`` (the paths above).

Offsets are never recovered by searching sentence text again (pySBD's quadratic and
fragile approach), and the text is never rewritten with placeholder characters.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from workbench.segment.rules import SegmentationRules
from workbench.segment.scan import ScanSplitter
from workbench.text.scripts import HAN


class Segment(NamedTuple):
    """One sentence: ``text == source[start:end]``, in paragraph ``paragraph``.

    A named tuple rather than a dataclass: segmenting makes hundreds of thousands of
    these a second, and a tuple is several times cheaper to build than a frozen dataclass.
    """

    start: int
    end: int
    text: str
    paragraph: int
    position: int = 0  # of the sentence in its paragraph, from 0 (not `index`: tuple.index)


# Characters that end a line, as str.splitlines() sees them.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _cls(chars: str) -> str:
    """A regex character class matching any of ``chars``."""
    return "[" + "".join(re.escape(c) for c in chars) + "]"


class Segmenter:
    """Sentence splitter compiled once from ``SegmentationRules``."""

    def __init__(self, rules: SegmentationRules, fast: bool = True) -> None:
        """Compile ``rules``; ``fast=False`` always takes the token loop (for tests)."""
        self.rules = rules
        terminators = rules.strong + rules.ellipsis
        if rules.split_at_semicolon:
            terminators += rules.semicolon
        self._terminators = frozenset(terminators)
        self._ellipsis = frozenset(rules.ellipsis)
        self._continuation = frozenset(rules.continuation)
        self._after_ellipsis = frozenset(rules.after_ellipsis)
        self._parity_quotes = frozenset(rules.parity_quotes)
        self._closers = frozenset(rules.closers)
        closers = f"{_cls(rules.closers)}*" if rules.closers else ""

        # Every branch starts with one literal character, so the regex engine can skip
        # ordinary text with its first-character scan (about 7x faster than named groups
        # around character classes). The kind of a hit is read from its first character.
        self._openers = {p.open: p for p in rules.pairs}
        self._to_end = frozenset(p.open for p in rules.pairs if p.unclosed == "to_end")
        branches = []
        for pair in rules.pairs:
            # A closed quotation or bracketed stretch is one unit; it may nest other pairs.
            o, c = re.escape(pair.open), re.escape(pair.close)
            branches.append(f"{o}[^{c}{LINE_BREAKS}]*{c}{closers}")
        for opener in rules.pairs:
            if opener.unclosed == "to_end":
                # Reached only when the closed form failed: the quotation never closes.
                branches.append(re.escape(opener.open))
        for char in dict.fromkeys(terminators):
            # A run of terminators (。！？!?…) and the closing marks that belong to it.
            branches.append(f"{re.escape(char)}{_cls(terminators)}*{closers}")
        period = None
        if rules.ascii_period:
            # ASCII full stop right after a Han character, before the end, a space or more
            # Chinese; the look-behind sits after the '.' so the branch starts with a literal.
            period = f"\\.(?<=[{HAN}]\\.)(?=\\s|\\Z|[{HAN}“‘「『《（]){closers}"
            branches.append(period)
        # Line breaks end paragraphs, so a whole text is segmented in one pass.
        branches.extend(re.escape(ch) for ch in LINE_BREAKS)
        plain = "|".join(branches)
        self._tokens = re.compile(plain)
        # The common case of split_lines: no regex, only str scans for the marks (scan.py).
        self._scan = (
            ScanSplitter(rules, terminators, period, self.split)
            if fast and ScanSplitter.accepts(rules, terminators)
            else None
        )
        self._fast = self._compile_fast(rules, terminators) if fast and rules.continuation else None
        self._fast_ends_sentence = [False] * (1 + (self._fast.groups if self._fast else 0))
        for name, number in self._fast.groupindex.items() if self._fast else ():
            self._fast_ends_sentence[number] = name[0] == "c"
        # URLs and e-mail addresses: their ? ! . are not terminators. Only paragraphs that
        # contain a trigger (://, www., @) pay for looking for them.
        self._triggers = rules.protected_triggers
        self._slow_marks = (*rules.protected_triggers, *rules.parity_quotes)
        self._always_protected = bool(rules.protected) and not rules.protected_triggers
        self._protected_tokens = (
            re.compile("(?P<protected>" + "|".join(rules.protected) + ")|" + plain)
            if rules.protected
            else self._tokens
        )

    @staticmethod
    def _compile_fast(rules: SegmentationRules, terminators: str) -> re.Pattern[str]:
        """Compile the rules into one regex whose matches carry the decision themselves.

        The same rules as the token loop in ``_cuts``, with the checks it makes in Python
        written as look-aheads: a match that ends a sentence ends with the empty group
        ``c…`` (a line break with ``b…``); any other match only consumes text that must not
        be cut (a quotation, a terminator run followed by ，…). Texts with an ASCII quote
        or a protected pattern (URL, e-mail) take the token loop instead.
        """
        line_space = f"[^\\S{LINE_BREAKS}]"  # whitespace within a line
        closers = f"{_cls(rules.closers)}*+" if rules.closers else ""
        strong = "".join(ch for ch in terminators if ch not in rules.ellipsis)
        may_start = f"(?={line_space}*+[^{re.escape(rules.continuation)}\\s])"
        after_ellipsis = (
            f"(?!{line_space}*+{_cls(rules.after_ellipsis)})" if rules.after_ellipsis else ""
        )
        ellipsis = _cls(rules.ellipsis) if rules.ellipsis else None
        # A match that cuts nothing but ends at a line's end (。 or a quotation before the
        # break, most lines in prose) takes the break too: one match instead of two. The
        # break's group starts right after the "\n", as in the line-break branch.
        then_break = f"(?:{line_space}*+\n(?P<b>){line_space}*+)?"

        def ending(inner_closers: str) -> str:
            """A terminator, closing marks, then: may a new sentence start here?"""
            options = []
            if ellipsis:
                options.append(f"{ellipsis}{inner_closers}{after_ellipsis}")
            if strong:
                options.append(f"{_cls(strong)}{inner_closers}")
            return "(?:" + "|".join(options) + ")"

        branches = []
        for pair in rules.pairs:
            o, c = re.escape(pair.open), re.escape(pair.close)
            inner = "".join(ch for ch in rules.closers if ch != pair.close)
            inner_closers = f"{_cls(inner)}*+" if inner else ""
            body = f"{o}[^{c}{LINE_BREAKS}]*"
            # A quotation whose last word is a terminator ends the sentence: “……。”
            cut = ending(f"{inner_closers}{c}{closers}")
            branches.append(f"{body}{cut}{may_start}(?P<c>){line_space}*+")
            branches.append(f"{body}{c}{closers}{then_break}")
        for pair in rules.pairs:
            if pair.unclosed == "to_end":
                branches.append(f"{re.escape(pair.open)}[^{LINE_BREAKS}]*+{then_break}")
        for char in dict.fromkeys(terminators):
            run = f"{re.escape(char)}{_cls(terminators)}*+"
            # The run ends the sentence unless a continuation follows (……等, 。，).
            if ellipsis:
                tail = f"(?:(?<={ellipsis}){closers}{after_ellipsis}|(?<!{ellipsis}){closers})"
            else:
                tail = closers
            branches.append(f"{run}{tail}{may_start}(?P<c>){line_space}*+")
            branches.append(f"{run}{closers}{then_break}")
        if rules.ascii_period:
            branches.append(
                f"\\.(?<=[{HAN}]\\.)(?=\\s|[{HAN}“‘「『《（]){closers}{may_start}(?P<c>)"
                f"{line_space}*+"
            )
        branches.extend(f"{re.escape(ch)}(?P<b>){line_space}*+" for ch in LINE_BREAKS)
        # The regex engine tries the alternatives in order, each skipped by its first
        # character, so the ones most text reaches come first: terminators, then line
        # breaks, then the rest. Every branch opens with one literal character, and
        # branches with different first characters cannot match at the same place, so
        # only branches sharing a first character need to keep their order (a stable sort
        # on the first character's rank does). The 。 of a line's end passed ~18, its
        # line break ~45 alternatives before.
        rank = {ch: 0 for ch in terminators} | {ch: 1 for ch in LINE_BREAKS}
        branches.sort(key=lambda branch: rank.get(_first_char(branch), 2))
        # Python's re wants unique group names: number them (c1, c2…, b1…).
        numbered = []
        for number, branch in enumerate(branches):
            numbered.append(
                branch.replace("(?P<c>)", f"(?P<c{number}>)").replace("(?P<b>)", f"(?P<b{number}>)")
            )
        return re.compile("|".join(numbered))

    def split(self, paragraph: str) -> list[tuple[int, int]]:
        """Return the ``(start, end)`` span of each sentence of one paragraph.

        Sentences are non-empty and stripped of surrounding whitespace, in order, and
        together with the whitespace between them they cover the paragraph exactly.
        """
        return _spans(paragraph, self._cuts(paragraph, []))

    def split_lines(self, paragraphs: list[str]) -> list[list[tuple[int, int]]]:
        """Return ``[self.split(p) for p in paragraphs]``, in one pass over them all.

        The str-scan path (``scan.py``) first; when it declines (a line break inside a
        paragraph, an ASCII quote, a URL), ``_split_lines_regex``. There the paragraphs
        are joined by line breaks, which end sentences as paragraph ends do, and scanned
        once: per-call costs were most of splitting a short paragraph.
        Paragraphs that hold a line break, or a mark that needs the token loop (an ASCII
        quote, a URL), are split one by one instead, so only they pay for it. A "\n"
        or any other line break inside a paragraph is found by the one pass itself (one
        break too many), not by scanning for each first.
        """
        if self._scan is not None and paragraphs:
            scanned = self._scan.split_lines(paragraphs)
            if scanned is not None:
                return scanned
        return self._split_lines_regex(paragraphs)

    def _split_lines_regex(self, paragraphs: list[str]) -> list[list[tuple[int, int]]]:
        """``split_lines`` by the fast regex, or per paragraph (the scan's reference)."""
        joined = "\n".join(paragraphs)
        if paragraphs and self._takes_fast_path(joined):
            result = self._split_joined_fast(joined, len(paragraphs))
            if result is not None:
                return result
        return [self.split(paragraph) for paragraph in paragraphs]

    def _split_joined_fast(self, joined: str, count: int) -> list[list[tuple[int, int]]] | None:
        """``split_lines`` of ``count`` paragraphs joined by line breaks, in one loop.

        None when ``joined`` holds more than ``count - 1`` line breaks (a paragraph had
        one of its own, of any kind): each line-break character is one line-break match,
        none is consumed inside another match.

        As in ``_segment_fast``: a sentence starts where the previous match ended (the
        regex takes the spaces after a sentence end or a line break), so only a sentence
        a line break ends needs stripping. Every line break is a paragraph's end here.
        """
        assert self._fast is not None  # callers check _takes_fast_path first
        result: list[list[tuple[int, int]]] = [[] for _ in range(count)]
        current = result[0]
        last = count - 1
        number = base = start = 0
        n = len(joined)
        while start < n and joined[start].isspace() and joined[start] != "\n":
            start += 1
        # Every group of the fast regex is a named, empty marker: c… a sentence end,
        # b… a line break. By number, not name: no name lookup per match.
        ends_sentence = self._fast_ends_sentence
        for m in self._fast.finditer(joined):
            group = m.lastindex
            if group is None:
                continue  # a quotation or terminator run that does not end a sentence
            if ends_sentence[group]:
                current.append((start - base, m.start(group) - base))
            else:  # the line break between two paragraphs; its group starts after it
                after = m.start(group)
                end = after - 1
                while end > start and joined[end - 1].isspace():
                    end -= 1
                if end > start:
                    current.append((start - base, end - base))
                if number == last:
                    return None  # a line break inside a paragraph
                number += 1
                base = after
                current = result[number]
            start = m.end()
        end = n
        while end > start and joined[end - 1].isspace():
            end -= 1
        if end > start:
            current.append((start - base, end - base))
        return result

    def segment(self, text: str) -> list[Segment]:
        """Split a text whose lines are paragraphs; offsets index ``text``.

        One pass over the whole text (no per-line calls). Blank lines separate nothing
        more than other line breaks do; ``paragraph`` counts the non-blank lines from 0.
        """
        if self._takes_fast_path(text):
            return self._segment_fast(text)
        breaks: list[int] = []
        spans = _spans(text, self._cuts(text, breaks))
        segments: list[Segment] = []
        n_breaks = len(breaks)
        at_break = 0
        line = paragraph = index = -1
        for start, end in spans:
            while at_break < n_breaks and breaks[at_break] <= start:
                at_break += 1
            if at_break != line:
                line, paragraph, index = at_break, paragraph + 1, 0
            else:
                index += 1
            segments.append(Segment(start, end, text[start:end], paragraph, index))
        return segments

    def _segment_fast(self, text: str) -> list[Segment]:
        """``segment`` for texts the fast regex covers: cuts and numbers in one loop.

        A sentence-ending match ends with its empty group (the sentence's end) and then
        the spaces that follow it, so the next sentence starts at the match's end and no
        sentence needs stripping, except the one a line break ends (spaces before it).
        """
        segments: list[Segment] = []
        append = segments.append
        make = tuple.__new__  # Segment(...) through its Python __new__ costs twice as much
        n = len(text)
        start = paragraph = index = 0
        while start < n and text[start].isspace() and text[start] not in LINE_BREAKS:
            start += 1
        assert self._fast is not None  # callers check _takes_fast_path first
        for m in self._fast.finditer(text):
            kind = m.lastgroup
            if not kind:
                continue  # a quotation or terminator run that does not end a sentence
            if kind[0] == "c":
                end = m.start(kind)
                append(make(Segment, (start, end, text[start:end], paragraph, index)))
                index += 1
            else:  # a line break (its group starts right after it): the paragraph ends
                end = m.start(kind) - 1
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end > start:
                    append(make(Segment, (start, end, text[start:end], paragraph, index)))
                    index += 1
                if index:
                    paragraph += 1
                    index = 0
            start = m.end()
        end = n
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            append(make(Segment, (start, end, text[start:end], paragraph, index)))
        return segments

    def _takes_fast_path(self, text: str) -> bool:
        """True unless ``text`` holds an ASCII quote or a protected-pattern trigger."""
        if self._fast is None or self._always_protected:
            return False
        # map/any over the bound method stay in C: no Python frame per mark and paragraph.
        return not any(map(text.__contains__, self._slow_marks))

    def _fast_cuts(self, text: str, breaks: list[int]) -> list[int]:
        """``_cuts`` for a text ``_takes_fast_path`` accepted (the caller asked it)."""
        assert self._fast is not None  # _takes_fast_path says so
        cuts: list[int] = []
        for m in self._fast.finditer(text):
            kind = m.lastgroup
            if kind:
                cuts.append(m.end(kind))
                if kind[0] == "b":
                    breaks.append(m.end(kind))
        return cuts

    def _cuts(self, text: str, breaks: list[int]) -> list[int]:
        """Return the offsets where sentences end; append line-break ends to ``breaks``."""
        n = len(text)
        if self._takes_fast_path(text):
            return self._fast_cuts(text, breaks)
        cuts: list[int] = []
        tokens = self._protected_tokens if self._always_protected else self._tokens
        for trigger in self._triggers:
            if trigger in text:
                tokens = self._protected_tokens
                break
        openers = self._openers
        parity_quotes = self._parity_quotes
        line_start = 0
        unclosed = False  # inside a quotation that never closes: no cut until the line ends
        # The loop runs once per terminator, quotation or line break, so it stays inline.
        for m in tokens.finditer(text):
            token = m.group()
            end = m.end()
            first = token[0]
            if first in LINE_BREAKS:
                cuts.append(end)
                breaks.append(end)
                line_start = end
                unclosed = False
                continue
            if unclosed or m.lastgroup == "protected":
                continue
            if first in openers:
                if len(token) == 1:
                    unclosed = True  # an unclosed quotation: the rest of the line stays whole
                    continue
                body = token.rstrip(self.rules.closers)
                if len(body) < 2 or body[-1] not in self._terminators:
                    continue  # 《纲要》 “两不愁” : no terminator inside, no boundary
            elif (
                end < n
                and text[end] in parity_quotes
                and text.count(text[end], line_start, end) % 2 == 1
            ):
                end += 1  # 。" closing an open ASCII quotation
            # A sentence may end here unless what follows continues it (，、：）…) or the
            # line ends (the line break cuts anyway).
            j = end
            while j < n and text[j].isspace():
                if text[j] in LINE_BREAKS:
                    j = n
                    break
                j += 1
            if j >= n:
                continue
            following = text[j]
            if following in self._continuation:
                continue
            if following in self._after_ellipsis and token.rstrip(self.rules.closers)[-1:] in (
                self._ellipsis
            ):
                continue  # ……等: the list the ellipsis closes goes on
            cuts.append(end)
        return cuts


def _first_char(branch: str) -> str:
    """The literal character a branch of the fast regex opens with (escaped or not)."""
    if branch[0] == "\\":
        return branch[1]
    return branch[0]


def _spans(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Turn increasing cut points into stripped, non-empty sentence spans."""
    spans: list[tuple[int, int]] = []
    start = 0
    cuts.append(len(text))
    for cut in cuts:
        a, b = start, cut
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
        start = cut
    return spans
