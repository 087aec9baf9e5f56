"""Recognise the structure of a paragraph: numbering, heading or item, speaker label.

Policy documents number their parts (一、 （一） 1. ——); transcripts prefix turns with the
speaker (``张树斌:`` on its own line, ``覃勋:女士们…`` inline, ``城市晚报记者:``). The label
is structure, not text to translate: it goes to ``Sentence.label`` or ``Sentence.speaker``
and the sentence text starts after it. Telling a speaker from ordinary text that ends in a
colon (``女士们、先生们、新闻界的朋友们:``, ``主要做法是:``) is the delicate part; the rules and
word lists live in ``config/structure.toml`` and are explained there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from workbench.config import read_toml
from workbench.errors import ConfigError

_LABEL = re.compile(r"(?P<label>[^：:\s]{1,40}?)\s*[：:]\s*")
_HAN_ONLY = re.compile(r"[\u4e00-\u9fff·]+")


@dataclass(frozen=True)
class StructureRules:
    """Compiled structure rules; see ``config/structure.toml`` for what each means."""

    numbering: tuple[re.Pattern[str], ...]
    heading_max_chars: int
    sentence_ends: str
    max_label_chars: int
    roles: frozenset[str]
    role_suffixes: tuple[str, ...]
    forbidden: frozenset[str]
    surnames: frozenset[str]
    compound_surnames: tuple[str, ...]
    not_speakers: frozenset[str]
    source: str = "<defaults>"
    # Any role suffix anywhere in a label (``_is_role``'s filter), made from
    # ``role_suffixes`` (also by ``dataclasses.replace``); None: there are none.
    role_suffix_pattern: re.Pattern[str] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        pattern = (
            re.compile("|".join(map(re.escape, self.role_suffixes))) if self.role_suffixes else None
        )
        object.__setattr__(self, "role_suffix_pattern", pattern)

    @classmethod
    def from_config(cls, data: dict[str, Any], where: str = "<config>") -> StructureRules:
        """Build from the parsed TOML of a structure rules file."""
        patterns = []
        for pattern in data.get("numbering", {}).get("patterns", []):
            try:
                patterns.append(re.compile(pattern))
            except re.error as exc:
                raise ConfigError(f"{where}: numbering pattern {pattern!r}: {exc}") from None
        headings = data.get("headings", {})
        speakers = data.get("speakers", {})
        role_suffixes = tuple(sorted(speakers.get("role_suffixes", []), key=len, reverse=True))
        return cls(
            numbering=tuple(patterns),
            heading_max_chars=int(headings.get("max_chars", 40)),
            sentence_ends=str(headings.get("sentence_ends", "。！？!?；;：:…")),
            max_label_chars=int(speakers.get("max_label_chars", 20)),
            roles=frozenset(speakers.get("roles", [])),
            role_suffixes=role_suffixes,
            forbidden=frozenset(speakers.get("forbidden", "")),
            surnames=frozenset(ch for ch in speakers.get("surnames", "") if not ch.isspace()),
            compound_surnames=tuple(speakers.get("compound_surnames", [])),
            not_speakers=frozenset(speakers.get("not_speakers", [])),
            source=where,
        )


def read_structure_rules(path: Path) -> StructureRules:
    """Load a structure rules file."""
    data = read_toml(path, "structure rules file")
    return StructureRules.from_config(data, str(path))


_new_tuple = tuple.__new__


class LabelCandidate(NamedTuple):
    """A ``label:`` at the start of a paragraph that may name a speaker.

    A named tuple, not a frozen dataclass: ingest makes one per labelled paragraph, and a
    frozen dataclass's ``__init__`` (an ``object.__setattr__`` call per field) cost
    several times as much.
    """

    label: str
    body_start: int  # where the paragraph's text after the label (and spaces) begins
    own_line: bool  # nothing follows the label


def find_label(text: str, rules: StructureRules) -> LabelCandidate | None:
    """Return the ``label:`` opening ``text`` if it is short and free of prose marks."""
    if "：" not in text and ":" not in text:  # _LABEL needs one; most paragraphs have none
        return None
    m = _LABEL.match(text)
    if not m:
        return None
    label = m.group("label")
    # One C-level set test, not a generator over the label's characters.
    if len(label) > rules.max_label_chars or not rules.forbidden.isdisjoint(label):
        return None
    if label.isdigit():
        return None  # 15:33
    end = m.end()
    # tuple.__new__ directly: the named tuple's own __new__ is a Python function whose
    # frame cost more than the tuple it makes.
    return _new_tuple(LabelCandidate, (label, end, end >= len(text)))


def _is_name(label: str, rules: StructureRules) -> bool:
    """2–4 Han characters opening with a surname (or 复姓 + 1–2), e.g. 张树斌, 覃勋, 欧阳明;
    or a transcribed name in parts joined by ·, e.g. 阿不都·热合曼."""
    parts = label.split("·")
    if len(parts) > 1:
        return all(1 <= len(p) <= 6 and _HAN_ONLY.fullmatch(p) for p in parts)
    if not (2 <= len(label) <= 4 and _HAN_ONLY.fullmatch(label)):
        return False
    if label in rules.not_speakers:
        return False
    for compound in rules.compound_surnames:
        if label.startswith(compound) and 3 <= len(label) <= 4:
            return True
    return label[0] in rules.surnames


def _is_role(label: str, rules: StructureRules) -> bool:
    """城市晚报记者, 主持人, 网友, 问 — or a role followed by a name: 市扶贫办主任覃勋."""
    if label in rules.not_speakers:
        return False
    if label in rules.roles:
        return True
    # One C call for "ends with a role", and one search to skip the loop below for the
    # labels that hold no role at all (names): sixty rfind calls a label cost more than
    # the rest of telling speakers apart.
    if label.endswith(rules.role_suffixes):
        return True
    if rules.role_suffix_pattern is not None and not rules.role_suffix_pattern.search(label):
        return False
    for suffix in rules.role_suffixes:
        at = label.rfind(suffix)
        if at > 0 and _is_name(label[at + len(suffix) :], rules):
            return True
    return False


def decide_speakers(
    candidates: Iterable[LabelCandidate], document_text: str, rules: StructureRules
) -> set[str]:
    """Return which candidate labels of one document are speakers.

    Roles always are. A name-like label needs one more sign that it names a person: it
    stands on its own line, is used as a label at least twice, or the document mentions
    it elsewhere (the preamble of a transcript introduces its speakers).
    """
    # Counted in a plain loop: Counter's __init__ and update run as Python calls, and cost
    # more than the few labels a document has.
    uses: dict[str, int] = {}
    own_line = set()
    for label, _start, alone in candidates:
        uses[label] = uses.get(label, 0) + 1
        if alone:
            own_line.add(label)
    speakers = set()
    for label in uses:
        if _is_role(label, rules) or (
            _is_name(label, rules)
            and (label in own_line or uses[label] >= 2 or document_text.count(label) > uses[label])
        ):
            speakers.add(label)
    return speakers


class Numbering(NamedTuple):
    """The numbering opening a paragraph and what kind of paragraph it opens.

    A named tuple for the same reason as ``LabelCandidate``: one per numbered paragraph.
    """

    label: str  # as written, without trailing spaces: 一、 （一） 1. ——
    body_start: int
    kind: str  # "heading" | "item"


def find_numbering(text: str, rules: StructureRules, first: int = 0) -> Numbering | None:
    """Return the numbering at the start of ``text`` and whether it opens a heading.

    ``first``: the patterns before it are known not to match ``text`` (ingest learns
    which one does from one joined pattern) and are not tried again.
    """
    for pattern in rules.numbering[first:]:
        m = pattern.match(text)
        if m and m.end() < len(text):
            return numbering_at(text, m.end(), rules)
    return None


def numbering_at(text: str, end: int, rules: StructureRules) -> Numbering:
    """The numbering ``text[:end]`` (a numbering pattern's match, ``end < len(text)``).

    Ingest learns ``end`` from the match of its joined pattern, and does not match the
    numbering's own pattern again.
    """
    if len(text) - end > rules.heading_max_chars and not text[-1].isspace():
        heading = False  # the rest is too long for a heading, even stripped
    else:
        rest = text[end:].rstrip()
        # Does the rest hold a sentence end? Asked of the few marks, in C, rather than
        # of every character in a generator.
        heading = len(rest) <= rules.heading_max_chars and not any(
            map(rest.__contains__, rules.sentence_ends)
        )
    return _new_tuple(  # Numbering(…) without its Python __new__, as above
        Numbering, (text[:end].rstrip(), end, "heading" if heading else "item")
    )
