"""Aligned pairs of the translation memory as export pairs (origin ``aligned``).

The exporter reads annotated pairs from a Label Studio snapshot; this adds the TM's
accepted aligned pairs beside them. Annotated pairs come first, so where an annotator
translated the same sentence the de-duplication keeps the human pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from workbench.export.pairs import clean_text
from workbench.models import SentencePair
from workbench.tm.store import TranslationMemory, tm_path


def aligned_pairs(config: Any) -> Iterator[SentencePair]:
    """Yield the accepted aligned pairs of the TM (nothing when there is no TM yet)."""
    path = tm_path(config)
    if not path.is_file():
        return
    with TranslationMemory(path) as tm:
        for pair in tm.pairs(origin="aligned", status="accepted"):
            zh, en = clean_text(pair.zh), clean_text(pair.en)
            if not zh or not en:
                continue
            yield SentencePair(
                id=pair.id,
                doc_id=str(pair.provenance.get("doc_id") or "aligned"),
                zh=zh,
                en=en,
                doc_title=pair.provenance.get("publication"),
                annotator=pair.provenance.get("aligner"),
                status="aligned",
                updated_at=pair.updated_at,
                origin="aligned",
                score=pair.score,
            )
