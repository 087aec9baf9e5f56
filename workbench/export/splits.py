"""Train/dev/test assignment by document, deterministic for a seed.

Sentences of one document share names, figures and phrasing, so a document split across
train and test leaks; we assign whole documents. Documents are shuffled by a seeded hash
of their id (stable across Python runs and insertion order), then test and dev are filled
up to their share of pairs and the rest is train.
"""

from __future__ import annotations

import hashlib

SPLITS = ("train", "dev", "test")


def _order_key(seed: int, doc_id: str) -> bytes:
    return hashlib.blake2b(f"{seed}:{doc_id}".encode(), digest_size=8).digest()


def assign_splits(
    pairs_per_doc: dict[str, int], dev_fraction: float, test_fraction: float, seed: int
) -> dict[str, str]:
    """Return doc id → split so dev and test each hold about their fraction of pairs.

    A non-zero fraction gets at least one document when there are three or more, so small
    exports still have a dev and a test split; train always keeps at least one document.
    """
    if not (0 <= dev_fraction < 1 and 0 <= test_fraction < 1 and dev_fraction + test_fraction < 1):
        raise ValueError("dev_fraction and test_fraction must be in [0, 1) and sum below 1")
    docs = sorted(pairs_per_doc, key=lambda d: _order_key(seed, d))
    total = sum(pairs_per_doc.values())
    assignment: dict[str, str] = {}
    remaining = list(docs)
    for split, fraction in (("test", test_fraction), ("dev", dev_fraction)):
        if fraction <= 0:
            continue
        target = fraction * total
        taken = 0
        while remaining and len(remaining) > 1:
            if taken >= target and (taken > 0 or len(docs) < 3):
                break
            doc = remaining[0]
            # Stop before a document that would overshoot by more than it helps.
            if taken > 0 and abs(taken + pairs_per_doc[doc] - target) > abs(taken - target):
                break
            remaining.pop(0)
            assignment[doc] = split
            taken += pairs_per_doc[doc]
    for doc in remaining:
        assignment[doc] = "train"
    return assignment


def all_in_train(pairs_per_doc: dict[str, int], min_pairs: int) -> str | None:
    """Return why every document goes to train when an export is too small, else None.

    A handful of pairs cut by document gives splits of one or two sentences (7 pairs → 1
    train / 5 dev / 1 test), which measure nothing and starve training; below
    ``min_pairs`` everything is train and the card and summary say so.
    """
    total = sum(pairs_per_doc.values())
    if total >= min_pairs or not total:
        return None
    return (
        f"only {total} pair{'s' if total != 1 else ''} (below [export] min_split_pairs = "
        f"{min_pairs}): all are in train, dev and test are empty"
    )
