"""Chinese sentence segmentation with offsets.

``Segmenter(rules).split(paragraph)`` returns the ``(start, end)`` span of each sentence of
one paragraph (what ingest uses, line by line after structure detection);
``Segmenter(rules).segment(text)`` splits a whole text whose lines are paragraphs into
``Segment``s in one pass. Rules live in ``config/segmentation.toml`` and are read by
``load_rules(config.segment)`` / ``read_rules(path)``. Normalise first
(``workbench.text.normalize``): the rules expect the published, full-width punctuation.
"""

from __future__ import annotations

from workbench.segment.rules import SegmentationRules, load_rules, read_rules
from workbench.segment.segmenter import Segment, Segmenter

__all__ = ["Segment", "SegmentationRules", "Segmenter", "load_rules", "read_rules"]
