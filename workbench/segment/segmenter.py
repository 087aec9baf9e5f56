"""Split Chinese paragraphs into sentences, carrying offsets from the start.

One compiled regular expression finds the only places that matter — terminator runs with
their closing marks, quoted or bracketed stretches, protected URLs, ASCII full stops —
and skips ordinary text at C speed. Each hit that could end a sentence is then checked
against the continuation rule (a sentence never begins with ，、：… ). Offsets are never
recovered by searching sentence text again (pySBD's quadratic and fragile approach);
the text is never rewritten with placeholder characters either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.ingest.normalize import HAN
from workbench.segment.rules import SegmentationRules


@dataclass(frozen=True, slots=True)
class Segment:
    """One sentence: ``text == source[start:end]``, in paragraph ``paragraph``."""

    start: int
    end: int
    text: str
    paragraph: int
    index: int = 0  # position of the sentence in its paragraph, from 0


def _cls(chars: str) -> str:
    """A regex character class matching any of ``chars``."""
    return "[" + "".join(re.escape(c) for c in chars) + "]"


class Segmenter:
    """Sentence splitter compiled once from ``SegmentationRules``."""

    def __init__(self, rules: SegmentationRules) -> None:
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

        branches = []
        if rules.protected:
            # URLs and e-mail addresses: their ? ! . are not terminators.
            branches.append("(?P<protected>" + "|".join(rules.protected) + ")")
        # A closed quotation or bracketed stretch is one unit; it may nest other pairs.
        spans = [
            f"{re.escape(p.open)}[^{re.escape(p.close)}\\n]*{re.escape(p.close)}"
            for p in rules.pairs
        ]
        if spans:
            branches.append(f"(?P<span>(?:{'|'.join(spans)}){closers})")
        # An opening quote that is never closed: the rest of the paragraph stays whole.
        unclosed = "".join(p.open for p in rules.pairs if p.unclosed == "to_end")
        if unclosed:
            branches.append(f"(?P<unclosed>{_cls(unclosed)})")
        # A run of terminators (。！？!?…) and the closing marks that belong to it.
        branches.append(f"(?P<term>{_cls(terminators)}+{closers})")
        if rules.ascii_period:
            # ASCII full stop right after a Han character, before the end, a space or more
            # Chinese; the look-behind sits after the '.' so the branch starts with a literal.
            branches.append(f"(?P<period>\\.(?<=[{HAN}]\\.)(?=\\s|$|[{HAN}“‘「『《（]){closers})")
        self._tokens = re.compile("|".join(branches))

    def split(self, paragraph: str) -> list[tuple[int, int]]:
        """Return the ``(start, end)`` span of each sentence of one paragraph.

        Sentences are non-empty and stripped of surrounding whitespace, in order, and
        together with the whitespace between them they cover the paragraph exactly.
        """
        n = len(paragraph)
        cuts: list[int] = []
        for m in self._tokens.finditer(paragraph):
            kind = m.lastgroup
            if kind == "unclosed":
                break
            end = m.end()
            if kind == "protected":
                continue
            if kind == "span":
                body = m.group().rstrip(self.rules.closers)
                if len(body) < 2 or body[-1] not in self._terminators:
                    continue  # 《纲要》 “两不愁” : no terminator inside, no boundary
            elif (
                kind == "term"
                and end < n
                and paragraph[end] in self._parity_quotes
                and paragraph.count(paragraph[end], 0, end) % 2 == 1
            ):
                end += 1  # 。" closing an open ASCII quotation
            cut = self._boundary(paragraph, m.group(), end, n)
            if cut is not None:
                cuts.append(cut)
        return _spans(paragraph, cuts)

    def _boundary(self, text: str, token: str, end: int, n: int) -> int | None:
        """Return ``end`` if a sentence may end there, None if the sentence goes on."""
        j = end
        while j < n and text[j].isspace():
            j += 1
        if j >= n:
            return None  # paragraph end closes the last sentence anyway
        following = text[j]
        if following in self._continuation:
            return None
        if following in self._after_ellipsis and token.rstrip(self.rules.closers)[-1:] in (
            self._ellipsis
        ):
            return None
        return end

    def segment(self, text: str) -> list[Segment]:
        """Split a text whose lines are paragraphs; offsets index ``text``.

        Blank lines separate nothing more than other line breaks do; ``paragraph`` counts
        the non-blank lines from 0.
        """
        segments: list[Segment] = []
        paragraph = 0
        offset = 0
        for line in text.splitlines(keepends=True):
            body = line.rstrip("\r\n")
            if body.strip():
                for index, (start, end) in enumerate(self.split(body)):
                    segments.append(
                        Segment(offset + start, offset + end, body[start:end], paragraph, index)
                    )
                paragraph += 1
            offset += len(line)
        return segments


def _spans(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Turn cut points into stripped, non-empty sentence spans."""
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in [*cuts, len(text)]:
        if cut <= start:
            continue
        piece = text[start:cut]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if lead < len(piece):
            spans.append((start + lead, cut - trail))
        start = cut
    return spans
