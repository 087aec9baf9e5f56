"""Load the sentence segmentation rules from ``config/segmentation.toml``.

The rules are data (character sets, paired marks, protected patterns) so users can adapt
them to a new source without touching code; ``Segmenter`` compiles them once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from workbench.config import SegmentConfig, read_toml
from workbench.errors import ConfigError

# The default rules of the checkout this package runs from (used when no settings are given).
SHIPPED_RULES_FILE = Path(__file__).resolve().parents[2] / SegmentConfig.rules


@dataclass(frozen=True, slots=True)
class Pair:
    """Paired marks inside which no sentence is split (quotes, title marks, brackets)."""

    open: str
    close: str
    unclosed: str  # "to_end": the rest of the paragraph stays whole; "ignore"


@dataclass(frozen=True, slots=True)
class SegmentationRules:
    """Everything the segmenter needs to know, as loaded from the rules file."""

    strong: str
    ellipsis: str
    semicolon: str
    ascii_period: bool
    closers: str
    parity_quotes: str
    continuation: str
    after_ellipsis: str
    pairs: tuple[Pair, ...]
    protected: tuple[str, ...]
    protected_triggers: tuple[str, ...] = ()
    split_at_semicolon: bool = False
    source: str = "<defaults>"

    def with_semicolon_split(self, split: bool) -> SegmentationRules:
        """Return a copy with ``split_at_semicolon`` set."""
        return replace(self, split_at_semicolon=split)


def _text(data: dict[str, Any], section: str, key: str, where: Path) -> str:
    value = data.get(section, {}).get(key, "")
    if not isinstance(value, str):
        raise ConfigError(f"{where}: [{section}] {key} must be a string of characters")
    return value


def parse_rules(data: dict[str, Any], where: Path) -> SegmentationRules:
    """Build rules from the parsed TOML of a rules file, naming the file on any problem."""
    pairs = []
    for number, item in enumerate(data.get("pairs", []), start=1):
        try:
            pair = Pair(str(item["open"]), str(item["close"]), str(item.get("unclosed", "ignore")))
        except KeyError as exc:
            raise ConfigError(f"{where}: [[pairs]] entry {number} lacks {exc}; add it") from None
        if len(pair.open) != 1 or len(pair.close) != 1 or pair.unclosed not in {"to_end", "ignore"}:
            raise ConfigError(
                f"{where}: [[pairs]] entry {number} needs one-character open/close and "
                "unclosed = 'to_end' or 'ignore'"
            )
        pairs.append(pair)
    protected = tuple(data.get("protected", {}).get("patterns", []))
    for pattern in protected:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(f"{where}: protected pattern {pattern!r}: {exc}") from None
    rules = SegmentationRules(
        strong=_text(data, "terminators", "strong", where),
        ellipsis=_text(data, "terminators", "ellipsis", where),
        semicolon=_text(data, "terminators", "semicolon", where),
        ascii_period=bool(data.get("terminators", {}).get("ascii_period", True)),
        closers=_text(data, "closers", "chars", where),
        parity_quotes=_text(data, "closers", "parity_quotes", where),
        continuation=_text(data, "continuation", "chars", where),
        after_ellipsis=_text(data, "continuation", "after_ellipsis", where),
        pairs=tuple(pairs),
        protected=protected,
        protected_triggers=tuple(data.get("protected", {}).get("triggers", [])),
        source=str(where),
    )
    if not rules.strong:
        raise ConfigError(f"{where}: [terminators] strong is empty; list 。！？ at least")
    return rules


def read_rules(path: Path) -> SegmentationRules:
    """Read a rules file."""
    data = read_toml(path, "segmentation rules file")
    return parse_rules(data, Path(path))


def load_rules(settings: SegmentConfig | None = None) -> SegmentationRules:
    """Load the rules named by ``[segment] rules`` with ``split_at_semicolon`` applied.

    Without settings, the rules shipped with the source checkout (its
    ``config/segmentation.toml``) with the default options: library callers that want the
    project's own settings pass ``config.segment`` (loaded once at the CLI edge).
    """
    if settings is None:
        settings = SegmentConfig(rules=SHIPPED_RULES_FILE)
    rules = read_rules(settings.rules)
    return rules.with_semicolon_split(settings.split_at_semicolon)
