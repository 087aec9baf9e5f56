"""Remove web boilerplate line by line, by rules kept in ``config/cleaning.toml``.

Scraped pages wrap the text in breadcrumbs (当前位置: 首页>…), share widgets (分享到),
font-size toggles (+|-), map-widget leftovers (Baidu / map), counters and metadata lines.
Every line a rule removes is listed with the rule's name and its offsets in the original,
so a reviewer can see what went and why, and a bad rule cannot eat body text unseen. The
metadata lines are parsed into document fields on the way out.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.config import read_toml
from workbench.errors import ConfigError
from workbench.ingest.metadata import (
    MetadataRules,
    normalize_date,
    parse_dateline,
    parse_metadata_line,
)
from workbench.text.normalize import Normalized, normalize_lines

ZONES = ("any", "header", "footer")
_SENTENCE_END = tuple("。！？!?；;：:，,")


@dataclass(frozen=True, slots=True)
class LineRule:
    """Remove a whole line that matches ``pattern`` in ``zone``."""

    name: str
    pattern: re.Pattern[str]
    zone: str = "any"
    max_chars: int = 200


# For one zone combination: the rules that may apply, in order; the longest line any of
# them may remove; whether metadata is looked for; one pattern matching where any of the
# rules matches (None: no such pattern, try each rule).
_ZoneTable = tuple[list[LineRule], int, bool, "re.Pattern[str] | None"]


@dataclass
class CleaningRules:
    """All cleaning settings: line rules, zones, metadata keys, title limit."""

    rules: list[LineRule]
    metadata: MetadataRules
    header_lines: int = 12
    footer_lines: int = 8
    title_max_chars: int = 80
    source: str = "<defaults>"
    # What ``clean_text`` works out for each zone combination (header, footer), kept for
    # the next document: working it out hashed the compiled rules (their whole code) for
    # every document. Treat loaded rules as read-only.
    zone_tables: dict[tuple[bool, bool], _ZoneTable] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )


@dataclass(slots=True)
class Line:
    """A kept line: ``start``/``end`` bound its text in the original, whitespace stripped.

    Not frozen, to stay cheap to build (one per line); treat instances as read-only.
    """

    start: int
    end: int
    text: str
    title: bool = False
    normalized: Normalized | None = None  # of ``text``, when cleaning already made it


@dataclass
class Cleaned:
    """The body lines left after cleaning, what was removed, and the metadata found."""

    lines: list[Line]
    removed: list[dict[str, Any]] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    title: str | None = None


def read_cleaning_rules(path: Path) -> CleaningRules:
    """Load and compile a cleaning rules file, naming the file and rule on any problem."""
    data = read_toml(path, "cleaning rules file")
    rules = []
    for number, item in enumerate(data.get("rules", []), start=1):
        name = item.get("name") or f"rule {number}"
        if "pattern" not in item:
            raise ConfigError(f"{path}: [[rules]] {name} has no pattern; add one")
        zone = item.get("zone", "any")
        if zone not in ZONES:
            raise ConfigError(f"{path}: [[rules]] {name}: zone {zone!r} is not one of {ZONES}")
        try:
            pattern = re.compile(item["pattern"])
        except re.error as exc:
            raise ConfigError(f"{path}: [[rules]] {name}: bad pattern ({exc})") from None
        rules.append(LineRule(name, pattern, zone, int(item.get("max_chars", 200))))
    try:
        metadata = MetadataRules.from_config(data.get("metadata", {}))
    except re.error as exc:
        raise ConfigError(f"{path}: [metadata.dateline] bad pattern ({exc})") from None
    zones = data.get("zones", {})
    return CleaningRules(
        rules=rules,
        metadata=metadata,
        header_lines=int(zones.get("header_lines", 12)),
        footer_lines=int(zones.get("footer_lines", 8)),
        title_max_chars=int(data.get("title", {}).get("max_chars", 80)),
        source=str(path),
    )


# A whole-pattern flag at the start of a rule, ``(?i)``, which a joined pattern must
# scope to its own alternative: ``(?i:…)``.
_LEADING_FLAGS = re.compile(r"\(\?([imsx]+)\)")


def _anchored(pattern: re.Pattern[str]) -> bool:
    """True when ``pattern`` can only match at the start of a string (it opens with ``^``).

    Read from the regex parser's tree (which factors a ``^`` shared by every branch out
    in front); False when the parser is not there to ask.
    """
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]

        tree = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # another Python's internals, or anything unexpected: no filter
        return False
    return bool(tree.data) and tree.data[0] == (_constants.AT, _constants.AT_BEGINNING)


@functools.lru_cache(maxsize=16)
def _any_rule(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One pattern that matches a line wherever one of ``patterns`` would.

    Only a filter: a line it matches is still tried rule by rule, in order. Built only
    when every rule is anchored at the line start (as all the shipped ones are): the
    joined pattern then opens with ``^`` too, and is tried at one position, not at every
    character. None when the rules cannot be joined faithfully (an unanchored rule,
    flags other than a leading ``(?imsx)``, back-references, group names that clash).
    """
    if not patterns or not all(map(_anchored, patterns)):
        return None
    alternatives = []
    for pattern in patterns:
        source = pattern.pattern
        leading = _LEADING_FLAGS.match(source)
        if leading:
            source = f"(?{leading.group(1)}:{source[leading.end() :]})"
        if re.search(r"\\[1-9]|\(\?P=|\(\?[aiLmsux]+\)", source):
            return None
        alternatives.append(f"(?:{source})")
    try:
        joined = re.compile("^(?:" + "|".join(alternatives) + ")")
    except re.error:
        return None
    if joined.flags != re.UNICODE:
        return None
    return joined


def split_lines(text: str) -> list[Line]:
    """Every non-blank line of ``text`` with the offsets of its stripped content."""
    return [Line(start, end, stripped) for start, end, stripped in _line_spans(text)]


def _line_spans(text: str) -> list[tuple[int, int, str]]:
    """``split_lines`` as plain tuples, cheaper to build than a dataclass per line."""
    spans = []
    offset = 0
    if "\r" in text:  # \r\n: a line break two characters long
        for raw in text.splitlines(keepends=True):
            stripped = raw.strip()
            if stripped:
                # The first non-space character is the first occurrence of the stripped
                # line's first character (a space cannot be it): no lstrip copy needed.
                lead = raw.find(stripped[0])
                spans.append((offset + lead, offset + lead + len(stripped), stripped))
            offset += len(raw)
        return spans
    # Every line break is one character: the lines without their breaks are enough, and
    # ``strip`` hands back a line with no space at either edge (most) without a copy.
    for raw in text.splitlines():
        stripped = raw.strip()
        if stripped:
            lead = 0 if stripped is raw else raw.find(stripped[0])
            spans.append((offset + lead, offset + lead + len(stripped), stripped))
        offset += len(raw) + 1
    return spans


def _removal(line: Line, rule: str, start: int | None = None, end: int | None = None) -> dict:
    start = line.start if start is None else start
    end = line.end if end is None else end
    text = line.text[start - line.start : end - line.start]
    return {"start": start, "end": end, "text": text, "rule": rule}


def clean_text(text: str, rules: CleaningRules, opencc_config: str = "t2s") -> Cleaned:
    """Split ``text`` into lines, drop boilerplate and metadata lines, find the title.

    Rules match the normalised line (Simplified, ：；（） full-width), so one rule covers
    當前位置: and 当前位置：alike; offsets and removed text are those of the original.
    """
    spans = _line_spans(text)
    count = len(spans)
    views = normalize_lines([stripped for _start, _end, stripped in spans], opencc_config)
    result = Cleaned(lines=[])
    meta_zones = set(rules.metadata.zones)
    # The rules that may apply in a line's zones, and the longest line any of them may
    # remove: a longer line (most body prose) skips the rules altogether.
    by_zones = rules.zone_tables
    new_line = object.__new__
    header_lines = rules.header_lines
    footer_from = count - rules.footer_lines
    keep = result.lines.append
    for number, (start, end, stripped) in enumerate(spans):
        view = views[number]
        # Line(start, end, stripped, normalized=view) by its slots, without the call to
        # its __init__ (which cost more than the stores, once per line).
        line = new_line(Line)
        line.start = start
        line.end = end
        line.text = stripped
        line.title = False
        line.normalized = view
        seen = view.text
        header = number < header_lines
        footer = number >= footer_from
        applicable = by_zones.get((header, footer))
        if applicable is None:
            zones = frozenset(
                ("any", *(("header",) if header else ()), *(("footer",) if footer else ()))
            )
            chosen = [r for r in rules.rules if r.zone in zones]
            applicable = by_zones[header, footer] = (
                chosen,
                max((r.max_chars for r in chosen), default=-1),
                bool(zones & meta_zones),
                _any_rule(tuple(r.pattern for r in chosen)),
            )
        candidates, longest, metadata_zone, any_rule = applicable
        rule = None
        # Most short lines match no rule: one search tells, instead of one per rule.
        if len(seen) <= longest and (any_rule is None or any_rule.search(seen)):
            rule = next(
                (r for r in candidates if len(seen) <= r.max_chars and r.pattern.search(seen)),
                None,
            )
        if rule is not None:
            result.removed.append(_removal(line, rule.name))
            continue

        if metadata_zone:
            meta = parse_metadata_line(seen, rules.metadata)
            if meta is not None and (meta.fields or meta.body_field):
                for name, value in meta.fields.items():
                    result.fields.setdefault(name, value)
                if meta.body_field:
                    # "• 简介: prose": the label goes, the prose stays as a paragraph.
                    at = meta.body_start
                    cut = line.start + (view.offsets[at] if at < len(seen) else len(line.text))
                    result.removed.append(_removal(line, "metadata-label", end=cut))
                    if cut < line.end:
                        result.lines.append(Line(cut, line.end, text[cut : line.end]))
                else:
                    result.removed.append(_removal(line, "metadata"))
                continue
            if header:
                date = parse_dateline(seen, rules.metadata)
                if date:
                    result.fields.setdefault("published", date)
                    result.removed.append(_removal(line, "dateline"))
                    continue

        is_title = (
            header
            and result.title is None
            and not result.lines
            and len(seen) <= rules.title_max_chars
            and not seen.endswith(_SENTENCE_END)
        )
        if is_title:
            result.title = seen
            line = Line(line.start, line.end, line.text, title=True, normalized=view)
        keep(line)

    if "published" in result.fields:
        result.fields["published"] = normalize_date(result.fields["published"])
    return result
