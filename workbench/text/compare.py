"""Comparison forms: the keys under which two texts count as the same.

Export selection, deduplication, QA and the agreement report all ask "is this the same
translation?"; they must answer alike, so the folding lives here once.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_translation(text: str | None) -> str:
    """Return the comparison form of a translation (NFKC, case and spacing folded)."""
    if not text:
        return ""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def normalise_for_dedup(text: str) -> str:
    """Fold width, case, punctuation and spacing, the differences that do not make a new pair."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())
