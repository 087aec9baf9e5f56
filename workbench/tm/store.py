"""The translation-memory store: one SQLite file under the work folder.

Every pair keeps its origin (``aligned`` from a bilingual publication, ``annotated`` from
Label Studio, ``imported`` from a TMX/TSV/JSONL file), review status, score, provenance
(publication, URL, date, aligner, model) and timestamps. The id is derived from the
content (normalised zh and en), so importing the same pair again adds nothing: re-runs are
safe. Each import is one transaction: a failure part-way leaves the store as it was.

Built for later readers: ``zh_norm`` (Traditional folded to Simplified, width and case
folded, spaces dropped) is the key a fuzzy lookup indexes (character n-grams, issue #11),
and ``id`` is stable across machines and runs so suggestions can cite a pair.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import re
import sqlite3
import sys
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from workbench.config import Config, TmConfig
from workbench.errors import InputError
from workbench.tm.names import ORIGINS, STATUSES

SCHEMA_VERSION = 1
PROVENANCE = ("publication", "url", "published", "aligner", "model", "doc_id", "source_file")

_PAIRS_TABLE = """
CREATE TABLE IF NOT EXISTS pairs (
    id TEXT NOT NULL,             -- content hash of (zh_norm, en_norm): stable everywhere
    zh TEXT NOT NULL,
    en TEXT NOT NULL,
    zh_norm TEXT NOT NULL,        -- lookup key (see normalise_zh)
    origin TEXT NOT NULL CHECK (origin IN ('aligned', 'annotated', 'imported')),
    status TEXT NOT NULL CHECK (status IN ('accepted', 'needs_review')),
    score REAL,
    publication TEXT,
    url TEXT,
    published TEXT,
    aligner TEXT,
    model TEXT,
    doc_id TEXT,
    source_file TEXT,
    zh_sentences TEXT,            -- JSON list of sentence indices in the source document
    en_sentences TEXT,
    position INTEGER,             -- order of the bead in its document
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)"""
# Ids are unique through the index pairs_id, made with the table. A TM written before the
# bulk import path has ``id TEXT PRIMARY KEY`` instead: the same rule, but that index
# cannot be dropped for a bulk load (see ``_drop_for_load``).
_PAIRS_ID = "CREATE UNIQUE INDEX IF NOT EXISTS pairs_id ON pairs (id)"
_SCHEMA = (
    _PAIRS_TABLE
    + """;
CREATE INDEX IF NOT EXISTS pairs_zh_norm ON pairs (zh_norm);
CREATE INDEX IF NOT EXISTS pairs_origin_status ON pairs (origin, status);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
)

_BULK_ROWS = 10_000  # an import this large builds indexes after the insert (see add_columns)
_BUSY_TIMEOUT_MS = 30_000  # how long a writer waits for another one
_SECONDARY_INDEXES = {
    "pairs_zh_norm": "CREATE INDEX IF NOT EXISTS pairs_zh_norm ON pairs (zh_norm)",
    "pairs_origin_status": (
        "CREATE INDEX IF NOT EXISTS pairs_origin_status ON pairs (origin, status)"
    ),
}
_COLUMNS = (
    "id", "zh", "en", "zh_norm", "origin", "status", "score", *PROVENANCE, "zh_sentences",
    "en_sentences", "position", "created_at", "updated_at",
)  # fmt: skip
_PER_ROW = frozenset(("id", "zh", "en", "zh_norm"))  # always bound: they end the row stream
_SPACES = re.compile(r"\s+")
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_LAST_SPACE = 0x3000  # the highest code point str.isspace accepts
_DROP = np.uint32(0xFFFFFFFF)  # a dropped character in the NumPy form of the zh table


@functools.cache
def _zh_table() -> dict[int, int | None]:
    """One ``str.translate`` table doing full-width mapping, folding and space removal.

    For a text that needs no NFKC beyond the full-width mapping this gives exactly what the
    three steps give in turn (each works character by character), in one pass.
    """
    from workbench.glossary.fold import fold_table

    fold = fold_table()
    # Every character ``str.isspace`` knows is at or below U+3000 (a test checks it):
    # scanning all 1.1M code points would cost a second on each import's first call.
    spaces = [code for code in range(_LAST_SPACE + 1) if chr(code).isspace()]
    table: dict[int, int | None] = {}
    for code in {*fold, *_FULL_WIDTH, *spaces}:
        wide = _FULL_WIDTH.get(code, code)
        target = fold.get(wide, wide)
        table[code] = None if target is None or chr(target).isspace() else target
    return table


@functools.cache
def _nfkc_safe() -> tuple[int, ...]:
    """Code points known to pass NFKC's quick check once full-width ASCII is mapped:
    ASCII, common punctuation, CJK ideographs, full-width ASCII.

    A text made of these only is NFKC-normalised after the mapping (every character has
    quick-check YES and combining class 0); any other text takes the exact slow path.
    """
    ranges = ((0x00, 0x80), (0x2010, 0x2060), (0x3000, 0x3040), (0x3400, 0x4DC0), (0x4E00, 0xA000))
    safe = [
        code
        for low, high in ranges
        for code in range(low, high)
        if unicodedata.is_normalized("NFKC", chr(code)) and not unicodedata.combining(chr(code))
    ]
    safe.extend(_FULL_WIDTH)  # they become ASCII
    return tuple(sorted(safe))


@functools.cache
def _needs_nfkc() -> re.Pattern[str]:
    """Match a character outside ``_nfkc_safe``."""
    return re.compile("[^" + "".join(re.escape(chr(code)) for code in _nfkc_safe()) + "]")


@functools.cache
def _zh_arrays() -> tuple[np.ndarray, np.ndarray]:
    """The zh table as a code point → code point array (``_DROP``: dropped), and a
    code point → bool array of ``_nfkc_safe``: the bulk path's form of the two."""
    table = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    for code, target in _zh_table().items():
        table[code] = _DROP if target is None else target
    safe = np.zeros(sys.maxunicode + 1, dtype=bool)
    safe[list(_nfkc_safe())] = True
    return table, safe


@functools.lru_cache(maxsize=4096)  # pair_id and add_pairs normalise the same text in turn
def normalise_zh(text: str) -> str:
    """Return the lookup key of a zh text: folded script, width and case, no spaces."""
    text = text or ""
    if _needs_nfkc().search(text) is None:  # nearly every Chinese sentence: one pass
        return text.translate(_zh_table())
    return _normalise_zh_slow(text)


def _normalise_zh_slow(text: str) -> str:
    """The definition ``normalise_zh`` follows (and its path for unusual characters)."""
    from workbench.glossary.fold import fold

    # Same result as NFKC on the whole text, at under half the cost on Chinese: full-width
    # ASCII (，？ in almost every sentence) is mapped first to what NFKC maps it to, then
    # NFKC runs only if something else still needs it (NFKC depends only on the
    # compatibility decomposition, which this mapping does not change).
    text = text.translate(_FULL_WIDTH)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub("", fold(text))


def normalise_en(text: str) -> str:
    """Return the comparison form of an English text (NFKC, spacing and case folded)."""
    text = text or ""
    if text.isascii():  # NFKC leaves ASCII alone; split() knows the same spaces as \s
        return " ".join(text.split()).casefold()
    return _normalise_en_slow(text)


def _normalise_en_slow(text: str) -> str:
    """The definition ``normalise_en`` follows (and its path for non-ASCII text)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def pair_id(zh: str, en: str) -> str:
    """Return the stable id of a pair: a hash of its normalised sides."""
    digest = hashlib.sha1(f"{normalise_zh(zh)}\x1f{normalise_en(en)}".encode()).hexdigest()
    return f"tm-{digest[:16]}"


# -- the same three functions over many texts at once (the bulk import path) -------------


def normalise_zh_many(texts: Sequence[str]) -> list[str]:
    """Return ``[normalise_zh(t) for t in texts]``, computed over all texts at once.

    One call of ``normalise_zh`` costs a few microseconds, mostly interpreter overhead
    around ``str.translate``; here all texts are joined, mapped by one NumPy table lookup
    over their UTF-32 code units and split again. Texts with a character outside the
    one-pass set take the exact slow path one by one, as ``normalise_zh`` does.
    """
    if not texts:
        return []
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a text holds the separator itself
        return [normalise_zh(text) for text in texts]
    table, safe = _zh_arrays()
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    mapped = table[codes]
    kept = mapped[mapped != _DROP]
    out = kept.tobytes().decode("utf-32-le", "surrogatepass").split("\x00")
    unsafe = ~safe[codes]
    if unsafe.any():
        owner = np.cumsum(codes == 0)  # text number of every code unit
        for i in np.unique(owner[unsafe]).tolist():
            out[i] = _normalise_zh_slow(texts[i])
    return out


def normalise_en_many(texts: Sequence[str]) -> list[str]:
    """Return ``[normalise_en(t) for t in texts]`` without a Python call per text."""
    join = " ".join
    return [
        join(text.split()).casefold() if text.isascii() else _normalise_en_slow(text)
        for text in texts
    ]


def pair_ids(zh_norm: Sequence[str], en_norm: Sequence[str]) -> list[str]:
    """Return the ids of pairs whose sides are already normalised (``pair_id`` in bulk)."""
    sha1 = hashlib.sha1
    return [
        "tm-" + sha1((zh + "\x1f" + en).encode()).hexdigest()[:16]
        for zh, en in zip(zh_norm, en_norm, strict=True)
    ]


@dataclass(slots=True)
class TmPair:
    """One translation-memory pair (an empty side marks a sentence left unaligned)."""

    zh: str
    en: str
    origin: str = "imported"
    status: str = "accepted"
    score: float | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    zh_sentences: list[int] | None = None
    en_sentences: list[int] | None = None
    position: int | None = None
    id: str = ""
    created_at: str = ""
    updated_at: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = pair_id(self.zh, self.en)

    def to_dict(self) -> dict[str, Any]:
        """Plain record (the JSONL line of ``tm export --format jsonl`` and of tests)."""
        return {
            "id": self.id,
            "zh": self.zh,
            "en": self.en,
            "origin": self.origin,
            "status": self.status,
            "score": self.score,
            **{k: self.provenance.get(k) for k in PROVENANCE},
            "zh_sentences": self.zh_sentences,
            "en_sentences": self.en_sentences,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


@dataclass
class ImportCounts:
    """What one import did: pairs added, pairs already present, records refused."""

    added: int = 0
    present: int = 0
    refused: list[str] = field(default_factory=list)


@dataclass
class PairColumns:
    """Pairs as columns, the input of the bulk import (no object per pair).

    ``zh`` and ``en`` hold one text per pair. ``origin``, ``status``, ``score``,
    ``position``, ``created_at`` and each provenance field hold either one value for
    every pair or a list with one value per pair; ``zh_sentences``, ``en_sentences`` and
    ``ids`` are lists or None. An empty ``created_at`` means the time of the import;
    ``ids`` are computed from the texts when not given.
    """

    zh: list[str]
    en: list[str]
    origin: str | list[str] = "imported"
    status: str | list[str] = "accepted"
    score: float | list[float | None] | None = None
    provenance: Mapping[str, str | list[str | None] | None] = field(default_factory=dict)
    zh_sentences: list[list[int] | None] | None = None
    en_sentences: list[list[int] | None] | None = None
    position: int | list[int | None] | None = None
    created_at: str | list[str] | None = None
    ids: list[str] | None = None

    def to_table(self) -> dict[str, Any]:
        """Column name → a list (one value per pair) or one value for all pairs."""
        size = len(self.zh)
        unknown = set(self.provenance) - set(PROVENANCE)
        if unknown:
            raise ValueError(f"unknown provenance fields: {', '.join(sorted(unknown))}")
        table: dict[str, Any] = {
            "zh": list(self.zh), "en": list(self.en), "origin": self.origin,
            "status": self.status, "score": self.score, **self.provenance,
            "zh_sentences": self.zh_sentences, "en_sentences": self.en_sentences,
            "position": self.position, "created_at": self.created_at, "id": self.ids,
        }  # fmt: skip
        for name, values in table.items():
            if isinstance(values, list) and len(values) != size:
                raise ValueError(f"column {name} has {len(values)} values for {size} pairs")
        if table["id"] is None:
            del table["id"]
        return table


class _Background:
    """Run one function in a thread of its own; ``result`` waits and returns or raises."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self._outcome: list[Any] = []
        self._thread = threading.Thread(target=self._run, args=(function, args), daemon=True)
        self._thread.start()

    def _run(self, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            self._outcome.append((True, function(*args)))
        except BaseException as exc:  # handed to the caller by result()
            self._outcome.append((False, exc))

    def result(self) -> Any:
        self._thread.join()
        done, value = self._outcome[0]
        if not done:
            raise value
        return value


def tm_path(config: Config) -> Path:
    """The store's file: ``[tm] path`` (relative to the work folder), default tm.sqlite3."""
    path = Path(config.tm.path or TmConfig.path)
    return path if path.is_absolute() else config.work_dir / path


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class TranslationMemory:
    """A connection to the store; use as a context manager or call ``close``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        # The fuzzy lookup's decoded index (``workbench.tm.index.IndexCache``), made by
        # the first lookup and kept while the TM is open (it checks for changes itself).
        self.lookup_cache: object | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000)
            self.db.execute("PRAGMA journal_mode=WAL")
            # Up to 256 MB of page cache: inserting 1M pairs under random-hash ids thrashes
            # the default 2 MB cache (over twice as slow); SQLite takes pages only as needed.
            self.db.execute("PRAGMA cache_size=-262144")
            new = not self.db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'pairs'"
            ).fetchone()
            self.db.executescript(_SCHEMA)
            if new:
                self.db.execute(_PAIRS_ID)
            self.db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
            self.db.commit()
        except sqlite3.DatabaseError as exc:
            raise InputError(
                f"{self.path}: not a translation-memory database ({exc}); move it away"
            ) from None
        self.db.row_factory = sqlite3.Row

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def _journal_for_load(self) -> str | None:
        """Switch a WAL store to a rollback journal for a bulk load; return the old mode.

        Loading into an empty database, a rollback journal writes each new page once
        (pages past the old end of the file need no journal: a rollback truncates),
        where WAL writes it to the log and again at the checkpoint. The switch needs the
        only connection to the file: when another process has it open, nothing changes
        (None) and the load goes through WAL as any import does.
        """
        mode = self.db.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            return None
        self.db.execute("PRAGMA busy_timeout=0")  # never wait for another connection
        try:
            switched = self.db.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except sqlite3.OperationalError:  # locked by another connection
            switched = mode
        finally:
            self.db.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        return mode if switched == "delete" else None

    def _drop_for_load(self) -> None:
        """Drop the indexes of the (empty) pairs table: the load builds them once at the end.

        A table from before the droppable ``pairs_id`` index (``id TEXT PRIMARY KEY``)
        is empty here, so it is made again with today's schema.
        """
        for name in ("pairs_id", *_SECONDARY_INDEXES):
            self.db.execute(f"DROP INDEX IF EXISTS {name}")
        if self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_autoindex_pairs_1'"
        ).fetchone():
            self.db.execute("DROP TABLE pairs")
            self.db.execute(_PAIRS_TABLE)

    def add_pairs(self, pairs: Iterable[TmPair]) -> ImportCounts:
        """Add pairs in one transaction; a pair whose id is already stored is left alone."""
        pairs = list(pairs)
        provenances = [pair.provenance for pair in pairs]
        named = {key for given in provenances if given for key in given}
        return self.add_columns(
            PairColumns(
                zh=[pair.zh for pair in pairs],
                en=[pair.en for pair in pairs],
                origin=[pair.origin for pair in pairs],
                status=[pair.status for pair in pairs],
                score=[pair.score for pair in pairs],
                provenance={
                    key: [given.get(key) if given else None for given in provenances]
                    for key in PROVENANCE
                    if key in named
                },
                zh_sentences=[pair.zh_sentences for pair in pairs],
                en_sentences=[pair.en_sentences for pair in pairs],
                position=[pair.position for pair in pairs],
                created_at=[pair.created_at for pair in pairs],
                ids=[pair.id for pair in pairs],
            )
        )

    def add_columns(self, columns: PairColumns) -> ImportCounts:
        """Add pairs given as columns in one transaction (the bulk path of ``add_pairs``).

        Stores and indexes exactly what ``add_pairs`` does for the same pairs, without a
        ``TmPair`` per pair: the texts are normalised and hashed in bulk and the rows go
        to SQLite as tuples zipped from the columns, one value for all rows inlined.
        """
        from workbench.tm.index import postings_of_rows, update_index

        counts = ImportCounts()
        table = columns.to_table()
        keep = _refusals(table, counts.refused)
        if keep is not None:
            table = {name: _take(values, keep) for name, values in table.items()}
        zh, en = table.pop("zh"), table.pop("en")
        assert isinstance(zh, list) and isinstance(en, list)
        size = len(zh)
        zh_norm = normalise_zh_many(zh)
        ids = table.pop("id", None)
        if ids is None:
            ids = pair_ids(zh_norm, normalise_en_many(en))
        now = _now()
        created = table.pop("created_at", None)
        if isinstance(created, list):
            created = [stamp or now for stamp in created]
        for name in ("zh_sentences", "en_sentences"):
            value = table.get(name)
            if isinstance(value, list) and value.count(None) != size:
                dumps = json.dumps
                table[name] = [None if v is None else dumps(v) for v in value]
        values: dict[str, Any] = {
            "id": ids, "zh": zh, "en": en, "zh_norm": zh_norm, **table,
            "created_at": created or now, "updated_at": now,
        }  # fmt: skip
        names, marks, per_row = [], [], []
        for name in _COLUMNS:
            value = values.get(name)
            if name not in _PER_ROW:
                value = _constant(value, size)
            if value is None:  # no row fills it: left to its NULL default, nothing bound
                continue
            names.append(name)
            literal = _sql_literal(value) if not isinstance(value, list) else None
            if literal is not None:
                marks.append(literal)
            else:
                marks.append("?")
                per_row.append(value if isinstance(value, list) else itertools.repeat(value))
        bulk = size >= _BULK_ROWS
        journal = self._journal_for_load() if bulk and self.count() == 0 else None
        try:
            with self.db:  # one transaction: all rows or none
                # Begun now, so the schema changes below are part of it (the sqlite3
                # module would only begin one at the first INSERT).
                self.db.execute("BEGIN IMMEDIATE")
                before = self.count()
                fresh = bulk and before == 0
                kept = zh_norm
                if fresh:  # a bulk load into an empty table
                    self._drop_for_load()
                    # Without the unique index, repeats are dropped here (first kept).
                    first = dict(zip(reversed(ids), range(size - 1, -1, -1), strict=True))
                    if len(first) < size:
                        rows = sorted(first.values())
                        per_row = [_take(v, rows) if isinstance(v, list) else v for v in per_row]
                        kept = _take(zh_norm, rows)
                elif bulk and size > before:
                    # Keeping two secondary B-trees up to date row by row costs more than
                    # the rows: they are dropped and built again by one sort each.
                    for name in _SECONDARY_INDEXES:
                        self.db.execute(f"DROP INDEX IF EXISTS {name}")
                # Into an empty table, rows get rowids 1..n in order: the bigram index is
                # built from the keys in hand, not read back; for a bulk load, in a
                # second thread while SQLite inserts (NumPy and SQLite release the GIL).
                rowids = np.arange(1, len(kept) + 1, dtype=np.int64)
                postings = _Background(postings_of_rows, rowids, kept) if fresh else None
                try:
                    conflict = "" if fresh else " ON CONFLICT (id) DO NOTHING"
                    self.db.executemany(
                        f"INSERT INTO pairs ({', '.join(names)}) VALUES ({', '.join(marks)})"
                        + conflict,
                        zip(*per_row, strict=False),  # the repeats end with the lists
                    )
                    if fresh:
                        self.db.execute(_PAIRS_ID)  # one sort of the ids, not an insert each
                    if bulk:
                        for statement in _SECONDARY_INDEXES.values():
                            self.db.execute(statement)
                finally:
                    computed = postings.result() if postings else None
                counts.added = self.count() - before
                if counts.added:
                    known = None
                    if before == 0 and counts.added == len(kept):
                        known = (rowids, kept)
                    # The lookup index, committed with the pairs.
                    update_index(self.db, known, computed if known else None)
        finally:
            if journal is not None:
                self.db.execute(f"PRAGMA journal_mode={journal}")
        counts.present = size - counts.added
        return counts

    def count(self, origin: str | None = None, status: str | None = None) -> int:
        """Number of stored pairs, optionally of one origin and/or status."""
        sql, args = _where(origin, status)
        return self.db.execute(f"SELECT COUNT(*) FROM pairs{sql}", args).fetchone()[0]

    def pairs(
        self, origin: str | None = None, status: str | None = None, min_score: float | None = None
    ) -> Iterator[TmPair]:
        """Stream stored pairs in import order (document, then bead position)."""
        sql, args = _where(origin, status)
        if min_score is not None:
            sql += (" AND" if sql else " WHERE") + " score >= ?"
            args.append(min_score)
        cursor = self.db.execute(
            f"SELECT * FROM pairs{sql} ORDER BY created_at, doc_id, position, rowid", args
        )
        for row in cursor:
            yield _from_row(row)

    def by_zh(self, zh: str) -> list[TmPair]:
        """Exact lookup by normalised zh (the base a fuzzy lookup builds on)."""
        rows = self.db.execute("SELECT * FROM pairs WHERE zh_norm = ?", (normalise_zh(zh),))
        return [_from_row(r) for r in rows]


def _where(origin: str | None, status: str | None) -> tuple[str, list[Any]]:
    clauses, args = [], []
    if origin:
        clauses.append("origin = ?")
        args.append(origin)
    if status:
        clauses.append("status = ?")
        args.append(status)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), args


def _check(origin: str, status: str, zh: str, en: str) -> str | None:
    """Why a pair cannot be stored, or None."""
    if origin not in ORIGINS:
        return f"origin {origin!r} is not one of {', '.join(ORIGINS)}"
    if status not in STATUSES:
        return f"status {status!r} is not one of {', '.join(STATUSES)}"
    if not zh.strip() and not en.strip():
        return "both sides are empty"
    if status == "accepted" and not (zh.strip() and en.strip()):
        return "an accepted pair needs both sides (keep one-sided beads as needs_review)"
    return None


def _refusals(table: dict[str, Any], refused: list[str]) -> list[int] | None:
    """Append why rows cannot be stored to ``refused``; return the rows kept, None for all.

    The usual batch (known origins and statuses, both sides non-blank) is recognised by
    a few C-level passes over the columns; only otherwise is every row checked.
    """
    zh, en, origin, status = table["zh"], table["en"], table["origin"], table["status"]
    origins = {origin} if isinstance(origin, str) else set(origin)
    statuses = {status} if isinstance(status, str) else set(status)
    if (
        origins <= set(ORIGINS)
        and statuses <= set(STATUSES)
        and all(map(str.strip, zh))
        and all(map(str.strip, en))
    ):
        return None
    keep = []
    for i in range(len(zh)):
        problem = _check(
            origin if isinstance(origin, str) else origin[i],
            status if isinstance(status, str) else status[i],
            zh[i],
            en[i],
        )
        if problem:
            refused.append(problem)
        else:
            keep.append(i)
    return keep


def _take(values: Any, rows: list[int]) -> Any:
    """The given rows of a per-row column (a list); a constant stays as it is."""
    return [values[i] for i in rows] if isinstance(values, list) else values


def _constant(values: Any, size: int) -> Any:
    """A per-row column whose rows all hold one value, as that value; else as given.

    Only for lists of plain values (``None``, text, numbers) of one type: ``1 == 1.0``
    would otherwise pass a float column off as an integer one.
    """
    if not isinstance(values, list) or not values:
        return values
    first = values[0]
    if first is not None and not isinstance(first, str | int | float):
        return values
    if values.count(first) == size and len(set(map(type, values))) == 1:
        return first
    return values


def _sql_literal(value: Any) -> str | None:
    """``value`` written as an SQL literal, or None when it must be bound instead.

    A value shared by every row of an import (origin, status, the import time, a
    provenance field) is written into the statement once instead of bound per row.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    if isinstance(value, str) and "\x00" not in value and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    return None


def _from_row(row: sqlite3.Row) -> TmPair:
    return TmPair(
        zh=row["zh"],
        en=row["en"],
        origin=row["origin"],
        status=row["status"],
        score=row["score"],
        provenance={k: row[k] for k in PROVENANCE if row[k] is not None},
        zh_sentences=None if row["zh_sentences"] is None else json.loads(row["zh_sentences"]),
        en_sentences=None if row["en_sentences"] is None else json.loads(row["en_sentences"]),
        position=row["position"],
        id=row["id"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def open_tm(config: Any) -> TranslationMemory:
    """Open (creating if needed) the configured store."""
    return TranslationMemory(tm_path(config))
