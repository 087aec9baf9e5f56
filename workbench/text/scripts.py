"""Character classes of Chinese text, as regular-expression class bodies.

One home for the ranges every stage tests characters against: normalisation decides what
counts as Chinese context, the segmenter where a sentence may end, the aligner how much of
a line is Chinese. Each is a string to put inside ``[...]``.
"""

from __future__ import annotations

# Han ideographs (BMP blocks, compatibility block, supplementary planes).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Chinese punctuation and quotes that count as "Chinese context" around an ASCII mark.
CJK_PUNCT = "\u3000-\u303f\u2014\u2026\u2018\u2019\u201c\u201d\uff01-\uff0f\uff1a-\uff1f"

__all__ = ["CJK_PUNCT", "HAN"]
