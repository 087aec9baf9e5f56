"""Chinese sentence segmentation with offsets.

``segment_text(text)`` splits a text whose lines are paragraphs into ``Segment``s
(start/end code-point offsets into ``text``, the sentence text, the paragraph index).
``segment_source(text)`` first applies the ingest normalisation (so mirrors with ASCII
punctuation and Traditional script split exactly like the published text) and still
reports offsets into the input. Rules live in ``config/segmentation.toml``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from workbench.config import Config
from workbench.segment.rules import SegmentationRules, load_rules, read_rules
from workbench.segment.segmenter import Segment, Segmenter
from workbench.text.normalize import normalize

__all__ = [
    "Segment",
    "SegmentationRules",
    "Segmenter",
    "SourceSegment",
    "load_rules",
    "load_segmenter",
    "read_rules",
    "segment_source",
    "segment_text",
]


@functools.lru_cache(maxsize=4)
def _default_segmenter() -> Segmenter:
    return Segmenter(load_rules())


def load_segmenter(config: Config | None = None) -> Segmenter:
    """Return a segmenter for ``config`` (the project settings when None, cached)."""
    if config is None:
        return _default_segmenter()
    return Segmenter(load_rules(config.segment))


def _segmenter_for(rules: SegmentationRules | Segmenter | None) -> Segmenter:
    if rules is None:
        return _default_segmenter()
    if isinstance(rules, Segmenter):
        return rules
    return Segmenter(rules)


def segment_text(text: str, rules: SegmentationRules | Segmenter | None = None) -> list[Segment]:
    """Split ``text`` (lines are paragraphs) into sentences with offsets into ``text``."""
    return _segmenter_for(rules).segment(text)


@dataclass(frozen=True, slots=True)
class SourceSegment:
    """A sentence of a raw input: ``text == input[start:end]``, plus its normalised form."""

    start: int
    end: int
    text: str
    normalized: str
    paragraph: int
    index: int


def segment_source(
    text: str,
    rules: SegmentationRules | Segmenter | None = None,
    opencc_config: str = "t2s",
) -> list[SourceSegment]:
    """Normalise ``text`` as ingest does, split it, and map every sentence back to it."""
    segmenter = _segmenter_for(rules)
    normalized = normalize(text, opencc_config)
    results = []
    for seg in segmenter.segment(normalized.text):
        start, end = normalized.source_span(seg.start, seg.end)
        results.append(
            SourceSegment(start, end, text[start:end], seg.text, seg.paragraph, seg.position)
        )
    return results
