"""Exact and near duplicate pairs, removed while streaming.

Policy texts repeat themselves (the same slogan sentence in every report), and duplicated
pairs inflate a test split or leak between splits. Exact duplicates share a hash of the
normalised pair; near duplicates (a changed particle, a different quote mark) are found by
a 64-bit SimHash of character trigrams, indexed in four 16-bit bands so any two hashes
within k bits share one of k + 1 bands (pigeonhole). Memory is a few integers per kept pair.
"""

from __future__ import annotations

import hashlib

import numpy as np

from workbench.text.compare import normalise_for_dedup


def _mix(values: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: spread a 64-bit value's bits (wrapping uint64 arithmetic)."""
    values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def simhash(text: str, n: int = 3) -> int:
    """Return the 64-bit SimHash of the character ``n``-grams of ``text``.

    Gram hashes are computed in numpy from the code points (deterministic across runs,
    unlike ``hash()``), which keeps this near 10 µs a pair.
    """
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(points) < n:
        points = np.concatenate([points, np.zeros(n - len(points), dtype=np.uint64)])
    grams: np.ndarray = np.zeros(len(points) - n + 1, dtype=np.uint64)
    for i in range(n):
        grams = _mix(grams ^ points[i : len(points) - n + 1 + i])
    grams = np.unique(grams)
    bits = np.unpackbits(grams.byteswap().view(np.uint8)).reshape(len(grams), 64)
    votes = bits.sum(axis=0) * 2 > len(grams)
    return int.from_bytes(np.packbits(votes).tobytes(), "big")


# Headings such as "一、总体要求" are too short for a SimHash to mean anything: they are
# compared exactly only.
_NEAR_MIN_CHARS = 8

# Templated sentences ("第12项…", "第13项…") crowd a few buckets; comparing against every
# member would grow quadratically, so a bucket keeps its first members only.
_BUCKET_LIMIT = 64


def band_layout(near_bits: int) -> list[tuple[int, int]]:
    """Split 64 bits into ``near_bits + 1`` bands as (shift, width): two hashes within
    ``near_bits`` of each other agree on at least one band (pigeonhole)."""
    count = near_bits + 1
    widths = [64 // count + (1 if i < 64 % count else 0) for i in range(count)]
    shifts = [sum(widths[:i]) for i in range(count)]
    return list(zip(shifts, widths, strict=True))


class Deduplicator:
    """Remember kept pairs and say whether a new one repeats one of them.

    ``near_bits`` is the largest SimHash Hamming distance still called a near duplicate
    (-1 turns near matching off). Unrelated pairs sit near 32 bits apart; a one-word edit of
    a sentence pair moves 3–6 bits.
    """

    def __init__(self, near_bits: int = 3) -> None:
        if not -1 <= near_bits <= 15:
            raise ValueError(f"near_bits must be between -1 and 15, not {near_bits}")
        self.near_bits = near_bits
        self._layout = band_layout(near_bits) if near_bits >= 0 else []
        self._exact: set[bytes] = set()
        self._bands: list[dict[int, list[int]]] = [{} for _ in self._layout]
        self.exact_removed = 0
        self.near_removed = 0

    def _keys(self, signature: int) -> list[int]:
        return [(signature >> shift) & ((1 << width) - 1) for shift, width in self._layout]

    def check(self, zh: str, en: str) -> str | None:
        """Return ``"exact"`` or ``"near"`` for a repeat, else ``None`` and remember the pair."""
        key_zh, key_en = normalise_for_dedup(zh), normalise_for_dedup(en)
        digest = hashlib.blake2b(f"{key_zh}\t{key_en}".encode(), digest_size=16).digest()
        if digest in self._exact:
            self.exact_removed += 1
            return "exact"
        keys: list[int] = []
        signature = 0
        if self._layout and len(key_zh) >= _NEAR_MIN_CHARS:
            signature = simhash(f"{key_zh}|{key_en}")
            keys = self._keys(signature)
            for table, key in zip(self._bands, keys, strict=True):
                for other in table.get(key, ()):
                    if (signature ^ other).bit_count() <= self.near_bits:
                        self.near_removed += 1
                        return "near"
        self._exact.add(digest)
        if not keys:  # near matching off, or too short to have a signature
            return None
        for table, key in zip(self._bands, keys, strict=True):
            bucket = table.setdefault(key, [])
            if len(bucket) < _BUCKET_LIMIT:
                bucket.append(signature)
        return None
