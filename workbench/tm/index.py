"""The character-bigram index of the translation memory, kept inside the TM database.

A fuzzy lookup must not score every stored sentence: 1,000,000 Levenshtein computations
take a second or more. Instead each pair's ``zh_norm`` is cut into character bigrams and
every bigram keeps the sorted list of pair rowids it occurs in (an inverted index, as
search engines and OmegaT's own 'fuzzy index' do). A query counts, per pair, how many of
its bigrams the pair shares; only the best-sharing pairs of a plausible length are scored.

Storage (tables beside ``pairs`` in the same SQLite file, so a copy of the file is a
complete TM):

- ``tm_grams(gram, ids)``: ``gram`` packs two code points (``a << 21 | b``; a one-character
  text is ``a << 21``), ``ids`` is a little-endian uint32 array of ascending rowids. A
  bigram may have several rows (chunks): a small import appends one chunk per bigram it
  touches instead of rewriting long lists, and a lookup concatenates them in chunk order.
- ``tm_lengths(first, lengths)``: ``len(zh_norm)`` of consecutive rowids from ``first``
  (uint16), for the length filter and the ranking.
- ``meta``: ``index_rowid`` (highest rowid indexed), ``index_chunks`` (appended batches).

``update_index`` runs after every import (``TranslationMemory.add_pairs`` calls it): it
appends the new rows as one chunk, or rebuilds the whole index when the new rows are many
(over a quarter of the indexed ones) or the chunks have piled up. Building is vectorised
with NumPy (one stable sort of all bigram occurrences), which keeps a 1M-pair import fast.
"""

from __future__ import annotations

import itertools
import sqlite3
import sys
from collections.abc import Iterable

import numpy as np

INDEX_FORMAT = "1"
_SHIFT = 21  # Unicode code points fit in 21 bits
_MAX_CHUNKS = 32
_REBUILD_SHARE = 0.25

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tm_grams (gram INTEGER NOT NULL, ids BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS tm_grams_gram ON tm_grams (gram);
CREATE TABLE IF NOT EXISTS tm_lengths (first INTEGER PRIMARY KEY, lengths BLOB NOT NULL);
"""


def query_grams(text_norm: str) -> list[int]:
    """Return the distinct bigram codes of a normalised text (its one character if short)."""
    if not text_norm:
        return []
    if len(text_norm) == 1:
        return [ord(text_norm) << _SHIFT]
    codes = [ord(c) for c in text_norm]
    return list({(a << _SHIFT) | b for a, b in itertools.pairwise(codes)})


def _meta(db: sqlite3.Connection, key: str, default: str = "") -> str:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def _set_meta(db: sqlite3.Connection, key: str, value: object) -> None:
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, str(value)))


def ensure_schema(db: sqlite3.Connection) -> None:
    """Create the index tables if missing (a TM written before the index gets them empty).

    Statement by statement: ``executescript`` would first commit the caller's transaction.
    """
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


def indexed_rowid(db: sqlite3.Connection) -> int:
    """Highest pair rowid the index covers (0 when nothing is indexed)."""
    if _meta(db, "index_format") != INDEX_FORMAT:
        return 0
    return int(_meta(db, "index_rowid", "0"))


def postings_of_rows(
    rowids: np.ndarray, texts: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the postings of texts: (grams, starts, ids).

    ``grams`` are the distinct bigram codes, ascending; the rowids of ``grams[k]`` are
    ``ids[starts[k]:starts[k + 1]]`` (``ids`` ends the last), ascending, each once even
    when the bigram repeats within a text. ``rowids`` come in ascending order.
    """
    empty = np.zeros(0, dtype=np.int64)
    if not texts:
        return empty, empty, np.zeros(0, dtype=np.uint32)
    if len(rowids) and int(rowids[-1]) > 0xFFFFFFFF:
        raise ValueError("rowids above 2**32 cannot be indexed")
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    # One NUL after every text keeps bigrams from spanning two texts.
    codes = np.frombuffer(
        ("\x00".join(texts) + "\x00").encode("utf-32-le", "surrogatepass"), dtype=np.uint32
    )
    # Characters get dense numbers in code point order (0 is the NUL) of ``bits`` bits,
    # so a bigram is ``dense_a << bits | dense_b`` below 2**32, in the order of the
    # code points, and (bigram, rowid) packs into one uint64: one sort of those groups
    # the rowids by bigram, ascending within each, and drops repeats within a text.
    # Arrays are the size of all the text (27M code units for 1M pairs): each step
    # works in place where it can and temporaries are dropped as soon as they are used.
    present = np.zeros(max(int(codes.max()) + 1, 1), dtype=bool)
    present[codes] = True  # several times faster than a bincount, which casts to intp
    present[0] = True
    chars = np.flatnonzero(present)
    bits = max(1, (len(chars) - 1).bit_length())
    if bits > 16:  # over 65,535 distinct characters: cannot happen with real text
        raise ValueError("more than 65,535 distinct characters in one index build")
    dense = (np.cumsum(present, dtype=np.uint32) - np.uint32(1))[codes]
    del codes
    separator = dense == 0
    bigram = dense[:-1] << np.uint32(bits)
    bigram |= dense[1:]
    del dense
    keep = separator[:-1] | separator[1:]
    np.logical_not(keep, out=keep)
    del separator
    # A one-character text is indexed under its character alone (second part 0).
    single = np.flatnonzero(lengths == 1)
    if len(single):
        keep[np.cumsum(lengths + 1)[single] - 2] = True
    # (bigram, rowid) as one uint64: written as two uint32 halves, no 64-bit temporaries.
    packed = np.empty(len(bigram), dtype=np.uint64)
    halves = packed.view(np.uint32).reshape(-1, 2)
    low, high = (0, 1) if sys.byteorder == "little" else (1, 0)
    halves[:, high] = bigram
    del bigram
    halves[:, low] = np.repeat(rowids.astype(np.uint32), lengths + 1)[:-1]
    keys = packed[keep]
    del packed, halves, keep
    keys.sort()
    halves = keys.view(np.uint32).reshape(-1, 2)
    if len(keys) > 1:  # drop repeats within a text
        distinct = np.empty(len(keys), dtype=bool)
        distinct[0] = True
        np.not_equal(keys[1:], keys[:-1], out=distinct[1:])
        high_half, ids = halves[distinct, high], halves[distinct, low]
        del distinct
    else:
        high_half, ids = halves[:, high].copy(), halves[:, low].copy()
    del keys, halves
    if not len(ids):  # no text has a character
        return empty, empty, ids
    starts = np.flatnonzero(np.concatenate(([True], high_half[1:] != high_half[:-1])))
    first = high_half[starts].astype(np.int64)
    del high_half
    grams = (chars[first >> bits] << _SHIFT) | chars[first & ((1 << bits) - 1)]
    return grams.astype(np.int64), starts, ids


def _write_postings(
    db: sqlite3.Connection, postings: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> None:
    grams, starts, ids = postings
    if not len(grams):
        return
    blob = ids.astype("<u4").tobytes()
    offsets = (starts * 4).tolist()
    offsets.append(len(blob))
    # Slices of one bytes object, made in C: no array slice and copy per bigram.
    blobs = map(blob.__getitem__, map(slice, offsets[:-1], offsets[1:]))
    db.executemany(
        "INSERT INTO tm_grams (gram, ids) VALUES (?, ?)", zip(grams.tolist(), blobs, strict=True)
    )


def _write_lengths(db: sqlite3.Connection, rowids: np.ndarray, texts: list[str]) -> None:
    """Store lengths of consecutive rowid runs (rowids may have gaps)."""
    if not texts:
        return
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    lengths = np.minimum(lengths, 65535).astype("<u2")
    breaks = np.flatnonzero(np.diff(rowids) != 1) + 1
    for start, end in zip(
        np.concatenate(([0], breaks)), np.concatenate((breaks, [len(rowids)])), strict=True
    ):
        db.execute(
            "INSERT OR REPLACE INTO tm_lengths (first, lengths) VALUES (?, ?)",
            (int(rowids[start]), lengths[start:end].tobytes()),
        )


def _rows_after(db: sqlite3.Connection, rowid: int) -> tuple[np.ndarray, list[str]]:
    rows = db.execute(
        "SELECT rowid, zh_norm FROM pairs WHERE rowid > ? ORDER BY rowid", (rowid,)
    ).fetchall()
    rowids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    return rowids, [r[1] for r in rows]


Postings = tuple[np.ndarray, np.ndarray, np.ndarray]  # what postings_of_rows returns


def rebuild_index(
    db: sqlite3.Connection,
    rows: tuple[np.ndarray, list[str]] | None = None,
    postings: Postings | None = None,
) -> int:
    """Index every pair from scratch (inside the caller's transaction); return the count.

    ``rows`` are all (rowids, zh_norm) when the caller has just read them, ``postings``
    their ``postings_of_rows`` when the caller has already computed them.
    """
    ensure_schema(db)
    db.execute("DELETE FROM tm_grams")
    db.execute("DELETE FROM tm_lengths")
    rowids, texts = rows if rows is not None else _rows_after(db, 0)
    _write_postings(db, postings if postings is not None else postings_of_rows(rowids, texts))
    _write_lengths(db, rowids, texts)
    _set_meta(db, "index_format", INDEX_FORMAT)
    _set_meta(db, "index_rowid", int(rowids[-1]) if len(rowids) else 0)
    _set_meta(db, "index_chunks", 1)
    _set_meta(db, "index_pairs", len(rowids))
    return len(rowids)


def update_index(
    db: sqlite3.Connection,
    known: tuple[np.ndarray, list[str]] | None = None,
    postings: Postings | None = None,
) -> int:
    """Bring the index up to date with the pairs table; return how many pairs it added.

    Runs inside the caller's transaction, so an import and its index entries are
    committed together. ``known`` are (rowids, zh_norm) of every pair in the table, when
    the caller has them in hand (an import into an empty table): used instead of reading
    them back when nothing is indexed yet; ``postings`` are theirs if already computed.
    """
    ensure_schema(db)
    done = indexed_rowid(db)
    newest = db.execute("SELECT COALESCE(MAX(rowid), 0) FROM pairs").fetchone()[0]
    if newest <= done:
        return 0
    indexed = int(_meta(db, "index_pairs", "0")) if done else 0
    chunks = int(_meta(db, "index_chunks", "0"))
    rowids, texts = known if known is not None and not done else _rows_after(db, done)
    if not done or len(rowids) > _REBUILD_SHARE * indexed or chunks >= _MAX_CHUNKS:
        rebuild_index(db, *((None, None) if done else ((rowids, texts), postings)))
        return len(rowids)
    _write_postings(db, postings_of_rows(rowids, texts))
    _write_lengths(db, rowids, texts)
    _set_meta(db, "index_rowid", int(rowids[-1]))
    _set_meta(db, "index_chunks", chunks + 1)
    _set_meta(db, "index_pairs", indexed + len(rowids))
    return len(rowids)


def update_index_if_stale(db: sqlite3.Connection) -> None:
    """Index pairs another writer added without indexing them (a TM from an older build)."""
    newest = db.execute("SELECT COALESCE(MAX(rowid), 0) FROM pairs").fetchone()[0]
    if indexed_rowid(db) < newest:
        with db:
            update_index(db)


def postings(db: sqlite3.Connection, grams: Iterable[int]) -> dict[int, np.ndarray]:
    """Return gram → ascending uint32 rowids for the grams that occur in the TM."""
    grams = list(grams)
    if not grams:
        return {}
    found: dict[int, list[bytes]] = {}
    marks = ",".join("?" * len(grams))
    for gram, blob in db.execute(
        f"SELECT gram, ids FROM tm_grams WHERE gram IN ({marks}) ORDER BY rowid", grams
    ):
        found.setdefault(gram, []).append(blob)
    return {g: np.frombuffer(b"".join(blobs), dtype="<u4") for g, blobs in found.items()}


def posting_sizes(db: sqlite3.Connection, grams: Iterable[int]) -> dict[int, int]:
    """Return gram → number of pairs it occurs in (read from blob sizes, not contents)."""
    grams = list(grams)
    if not grams:
        return {}
    marks = ",".join("?" * len(grams))
    rows = db.execute(
        f"SELECT gram, SUM(length(ids)) / 4 FROM tm_grams WHERE gram IN ({marks}) GROUP BY gram",
        grams,
    )
    return {gram: int(size) for gram, size in rows}


def load_lengths(db: sqlite3.Connection) -> np.ndarray:
    """Return an array ``lengths[rowid]`` of ``len(zh_norm)`` (0 where no pair is)."""
    runs = db.execute("SELECT first, lengths FROM tm_lengths ORDER BY first").fetchall()
    if not runs:
        return np.zeros(1, dtype=np.uint16)
    last_first, last_blob = runs[-1]
    size = last_first + len(last_blob) // 2 + 1
    lengths = np.zeros(size, dtype=np.uint16)
    for first, blob in runs:
        chunk = np.frombuffer(blob, dtype="<u2")
        lengths[first : first + len(chunk)] = chunk
    return lengths


# Decoded posting lists one open TM keeps for its lookups, at most (eight bytes per
# posting; the whole index of 1,000,000 pairs would be about 210 MB).
CACHE_BYTES = 128 * 2**20
MMAP_BYTES = 2**30  # address space, not memory: pages are shared with the OS page cache
CACHE_TEXTS = 300_000  # normalised texts of candidate pairs kept (about 40 MB)
_STATE_SQL = (
    "SELECT group_concat(key || '=' || value, ';') FROM meta "
    "WHERE key IN ('index_format', 'index_rowid', 'index_chunks', 'index_pairs')"
)


class IndexCache:
    """The index of one open TM as a long-lived process looks it up again and again.

    Reading a posting list from SQLite (a B-tree search, a blob copy, decoding) costs
    more than counting it, and the same common bigrams come back in query after query:
    the ML backend, the lookup service and ``push`` keep one TM open for thousands of
    lookups. So the lists read are kept decoded, each sorted by the length of its pairs
    (the length filter is then a slice found by binary search, not a gather over every
    posting), with the lengths table, the posting sizes and the texts of candidates.
    One small query per lookup reads the index's state from ``meta``: when another
    process (or this connection) has changed the index, everything cached is dropped.
    """

    def __init__(self, db: sqlite3.Connection, max_bytes: int = CACHE_BYTES) -> None:
        self.db = db
        self.max_bytes = max_bytes
        # Read pages through a memory map: a candidate's row or a posting list is then
        # read from the OS page cache without a system call and a copy per page (half
        # the time of fetching a candidate's row). Writes are unchanged.
        db.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        self.lengths = np.zeros(1, dtype=np.uint16)
        self._state: str | None = None
        self._sizes: dict[int, int] = {}
        self._lists: dict[int, np.ndarray] = {}
        self._bytes = 0
        self._texts: dict[int, str | None] = {}

    def sync(self) -> None:
        """Drop what is cached if the index changed since the last lookup."""
        state = self.db.execute(_STATE_SQL).fetchone()[0] or ""
        if state != self._state:
            self._sizes.clear()
            self._lists.clear()
            self._texts.clear()
            self._bytes = 0
            self.lengths = load_lengths(self.db)
            self._state = state

    def sizes(self, grams: list[int]) -> dict[int, int]:
        """Return gram → number of pairs, for the grams that occur in the TM."""
        known = self._sizes
        missing = [g for g in grams if g not in known]
        if missing:
            if len(known) > 4 * 2**20:  # a bound on the dict, never reached in practice
                known.clear()
            read = posting_sizes(self.db, missing)
            for gram in missing:
                known[gram] = read.get(gram, 0)
        return {g: known[g] for g in grams if known[g]}

    def lists(self, grams: list[int]) -> list[np.ndarray]:
        """Return each gram's postings as sorted uint64 keys ``length << 32 | rowid``.

        Sorted by length first, so the pairs of a length window are one slice; a merge of
        slices groups each rowid's occurrences together and carries its length along
        (no lookup in the lengths table per posting).
        """
        cached = self._lists
        missing = [g for g in grams if g not in cached]
        for at in range(0, len(missing), 4096):  # list numbers fit in 16 bits
            self._decode(postings(self.db, missing[at : at + 4096]))
        empty = np.zeros(0, dtype=np.uint64)
        found = [cached.get(g, empty) for g in grams]
        while self._bytes > self.max_bytes and cached:
            oldest = next(iter(cached))  # the first cached (dicts keep their order)
            self._bytes -= cached.pop(oldest).nbytes  # a view: its share of the batch
        return found

    def _decode(self, read: dict[int, np.ndarray]) -> None:
        """Cache the lists read as length-sorted keys (see ``lists``)."""
        if read:
            # All lists read at once, in one sort of (list, length, rowid) keys: a
            # lookup reads a dozen or more short lists of rare bigrams, and NumPy's cost
            # per call would otherwise outweigh the work on each.
            lengths = self.lengths
            ids = np.concatenate(list(read.values()))
            sizes = np.fromiter(map(len, read.values()), dtype=np.int64, count=len(read))
            lens = np.zeros(len(ids), dtype=np.uint64)
            inside = ids < len(lengths)
            # A rowid the lengths table does not cover (cannot happen: both are written
            # in one transaction) gets length 0, which no window admits.
            lens[inside] = lengths[ids[inside]]
            keys = np.repeat(np.arange(len(read), dtype=np.uint64), sizes) << np.uint64(48)
            keys |= lens << np.uint64(32)
            keys |= ids
            keys.sort()
            keys &= np.uint64(2**48 - 1)
            ends = np.cumsum(sizes).tolist()
            for gram, start, end in zip(read, [0, *ends], ends, strict=False):
                self._lists[gram] = keys[start:end]
            self._bytes += keys.nbytes

    def texts(self, rowids: list[int]) -> list[tuple[int, str]]:
        """Return (rowid, ``zh_norm``) of the rowids whose pair has an English side.

        Kept once read (up to ``CACHE_TEXTS`` pairs): the same pairs come back as
        candidates of many queries, and reading a row costs more than scoring it.
        """
        known = self._texts
        missing = [r for r in rowids if r not in known]
        if missing:
            if len(known) + len(missing) > CACHE_TEXTS:
                known.clear()
            marks = ",".join("?" * len(missing))
            for rowid, zh_norm, two_sided in self.db.execute(
                f"SELECT rowid, zh_norm, en != '' FROM pairs WHERE rowid IN ({marks})", missing
            ):
                known[rowid] = zh_norm if two_sided else None
        found = []
        for rowid in rowids:
            text = known.get(rowid)
            if text is not None:
                found.append((rowid, text))
        return found
