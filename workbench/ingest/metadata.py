"""Read document metadata out of scraped header and footer lines.

Web pages print their metadata as text: ``发布时间:2018-01-30 15:33:54 | 来源:吉林省 |
作者: | 责任编辑:孙宇``, ``文章来源: 中国吉林网 发布时间: 2016-02-17 责任编辑: 李虹霖``,
``• 日期:2018-06-20``, or a bare dateline ``17.01.2017 21:04``. The keys and the fields
they fill come from ``config/cleaning.toml``; this module only parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_SEPARATORS = " \t|｜/,，;；\u3000\xa0"
_DATE = re.compile(
    r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]*(?P<H>\d{1,2})[:：时](?P<M>\d{2})(?:[:：分](?P<S>\d{2}))?)?"
)


@dataclass
class MetadataRules:
    """Keys to look for, the bullets that may precede them, the dateline patterns."""

    keys: dict[str, str]
    bullets: str = "•"
    body_fields: frozenset[str] = frozenset()
    datelines: tuple[re.Pattern[str], ...] = ()
    zones: tuple[str, ...] = ("header", "footer")
    _key_pattern: re.Pattern[str] | None = field(default=None, repr=False)

    @classmethod
    def from_config(cls, data: dict[str, Any]) -> MetadataRules:
        """Build from the ``[metadata]`` table of the cleaning rules."""
        return cls(
            keys={str(k): str(v) for k, v in data.get("keys", {}).items()},
            bullets=str(data.get("bullets", "•")),
            body_fields=frozenset(data.get("body", {}).get("fields", [])),
            datelines=tuple(re.compile(p) for p in data.get("dateline", {}).get("patterns", [])),
            zones=tuple(data.get("zones", ["header", "footer"])),
        )

    @property
    def key_pattern(self) -> re.Pattern[str]:
        """``key:`` for every configured key, longest first (文章来源 before 来源)."""
        if self._key_pattern is None:
            keys = sorted(self.keys, key=len, reverse=True)
            alternatives = "|".join(re.escape(k) for k in keys) or "(?!)"
            self._key_pattern = re.compile(f"(?P<key>{alternatives})\\s*[:：]")
        return self._key_pattern


@dataclass(frozen=True, slots=True)
class MetadataLine:
    """What a metadata line held: fields with values, and where the first value starts."""

    fields: dict[str, str]
    body_field: str | None = None  # set when the line's value is prose kept as body
    body_start: int = 0  # offset of that value in the stripped line


def _strip_wrapping(line: str, bullets: str) -> tuple[str, int]:
    """Remove a leading bullet or surrounding brackets; return the rest and its offset."""
    start = 0
    while start < len(line) and (line[start] in bullets or line[start] in " \u3000【[（("):
        start += 1
    end = len(line)
    while end > start and line[end - 1] in " \u3000】]）)":
        end -= 1
    return line[start:end], start


def parse_metadata_line(line: str, rules: MetadataRules) -> MetadataLine | None:
    """Return the fields of a ``key: value`` line, or None if the line is not one.

    The line must begin with a known key (after an optional bullet or bracket), so body
    prose that merely mentions 来源 is never taken for metadata.
    """
    if ":" not in line and "：" not in line:  # every key ends with one; most lines hold none
        return None
    inner, offset = _strip_wrapping(line, rules.bullets)
    if not rules.key_pattern.match(inner):  # most lines: no need to find every key
        return None
    matches = list(rules.key_pattern.finditer(inner))
    if not matches or matches[0].start() != 0:
        return None
    fields: dict[str, str] = {}
    for i, m in enumerate(matches):
        value_end = matches[i + 1].start() if i + 1 < len(matches) else len(inner)
        value = inner[m.end() : value_end].strip(_SEPARATORS)
        name = rules.keys[m.group("key")]
        if value and name not in fields:
            fields[name] = value
    first = matches[0]
    name = rules.keys[first.group("key")]
    if name in rules.body_fields and len(matches) == 1:
        value_start = first.end()
        while value_start < len(inner) and inner[value_start] in _SEPARATORS:
            value_start += 1
        return MetadataLine(fields, body_field=name, body_start=offset + value_start)
    return MetadataLine(fields)


def parse_dateline(line: str, rules: MetadataRules) -> str | None:
    """Return the ISO date(-time) of a line that is only a date, else None."""
    stripped = line.strip()
    for pattern in rules.datelines:
        m = pattern.match(stripped)
        if m:
            return _iso(m.groupdict())
    return None


def normalize_date(value: str) -> str:
    """Return ``value`` as ISO 8601 when it holds a recognisable date, else unchanged."""
    m = _DATE.search(value)
    return (_iso(m.groupdict()) if m else None) or value.strip()


def _iso(parts: dict[str, str | None]) -> str | None:
    try:
        y, mo, d = int(parts["y"] or 0), int(parts["m"] or 0), int(parts["d"] or 0)
    except ValueError:
        return None
    if not (1900 <= y <= 2200 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    date = f"{y:04d}-{mo:02d}-{d:02d}"
    hour, minute, second = parts.get("H"), parts.get("M"), parts.get("S")
    if hour is None or minute is None:
        return date
    stamp = f"{date}T{int(hour):02d}:{int(minute):02d}"
    if second:
        stamp += f":{int(second):02d}"
    return stamp
