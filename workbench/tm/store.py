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
import json
import operator
import re
import sqlite3
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from workbench.config import Config, TmConfig
from workbench.errors import InputError
from workbench.tm.names import ORIGINS, STATUSES

SCHEMA_VERSION = 1
PROVENANCE = ("publication", "url", "published", "aligner", "model", "doc_id", "source_file")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pairs (
    id TEXT PRIMARY KEY,          -- content hash of (zh_norm, en_norm): stable everywhere
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
);
CREATE INDEX IF NOT EXISTS pairs_zh_norm ON pairs (zh_norm);
CREATE INDEX IF NOT EXISTS pairs_origin_status ON pairs (origin, status);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_BULK_ROWS = 10_000  # an import this large rebuilds the secondary indexes afterwards
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
_OPTIONAL = frozenset(("score", *PROVENANCE, "zh_sentences", "en_sentences", "position"))
_SPACES = re.compile(r"\s+")
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


@functools.cache
def _zh_table() -> dict[int, int | None]:
    """One ``str.translate`` table doing full-width mapping, folding and space removal.

    For a text that needs no NFKC beyond the full-width mapping this gives exactly what the
    three steps give in turn (each works character by character), in one pass.
    """
    from workbench.glossary.fold import fold_table

    fold = fold_table()
    spaces = [code for code in range(sys.maxunicode + 1) if chr(code).isspace()]
    table: dict[int, int | None] = {}
    for code in {*fold, *_FULL_WIDTH, *spaces}:
        wide = _FULL_WIDTH.get(code, code)
        target = fold.get(wide, wide)
        table[code] = None if target is None or chr(target).isspace() else target
    return table


@functools.cache
def _needs_nfkc() -> re.Pattern[str]:
    """Match a character outside a set known to pass NFKC's quick check once full-width
    ASCII is mapped: ASCII, common punctuation, CJK ideographs, full-width ASCII.

    A text without such a character is NFKC-normalised after the mapping (every character
    has quick-check YES and combining class 0); any other text takes the exact slow path.
    """
    ranges = ((0x00, 0x80), (0x2010, 0x2060), (0x3000, 0x3040), (0x3400, 0x4DC0), (0x4E00, 0xA000))
    safe = [
        code
        for low, high in ranges
        for code in range(low, high)
        if unicodedata.is_normalized("NFKC", chr(code)) and not unicodedata.combining(chr(code))
    ]
    safe.extend(_FULL_WIDTH)  # they become ASCII
    return re.compile("[^" + "".join(re.escape(chr(code)) for code in sorted(safe)) + "]")


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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            # Up to 256 MB of page cache: inserting 1M pairs under random-hash ids thrashes
            # the default 2 MB cache (over twice as slow); SQLite takes pages only as needed.
            self.db.execute("PRAGMA cache_size=-262144")
            self.db.executescript(_SCHEMA)
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

    def add_pairs(self, pairs: Iterable[TmPair]) -> ImportCounts:
        """Add pairs in one transaction; a pair whose id is already stored is left alone."""
        counts = ImportCounts()
        now = _now()
        rows = []
        no_provenance = (None,) * len(PROVENANCE)
        dumps = json.dumps
        filled: set[str] = set()  # optional columns with a value in some row
        for pair in pairs:
            problem = _check(pair)
            if problem:
                counts.refused.append(problem)
                continue
            provenance = pair.provenance
            if provenance:
                filled.update(k for k, v in provenance.items() if v is not None)
            if pair.score is not None:
                filled.add("score")
            if pair.zh_sentences is not None:
                filled.add("zh_sentences")
            if pair.en_sentences is not None:
                filled.add("en_sentences")
            if pair.position is not None:
                filled.add("position")
            rows.append(
                (
                    pair.id, pair.zh, pair.en, normalise_zh(pair.zh), pair.origin, pair.status,
                    pair.score,
                    *(tuple(map(provenance.get, PROVENANCE)) if provenance else no_provenance),
                    None if pair.zh_sentences is None else dumps(pair.zh_sentences),
                    None if pair.en_sentences is None else dumps(pair.en_sentences),
                    pair.position, pair.created_at or now, now,
                )
            )  # fmt: skip
        with self.db:  # one transaction: all rows or none
            before = self.count()
            # Keeping two secondary B-trees up to date row by row costs more than the rows;
            # for a large import they are dropped and built again by one sort each
            # (inside the transaction, so a failure restores them).
            rebuild = len(rows) >= _BULK_ROWS and len(rows) > before
            if rebuild:
                for name in _SECONDARY_INDEXES:
                    self.db.execute(f"DROP INDEX IF EXISTS {name}")
            # Binding each value costs time: columns no row fills are left to their NULL
            # default instead of being sent a None per row.
            keep = [i for i, name in enumerate(_COLUMNS) if name not in _OPTIONAL or name in filled]
            values = rows if len(keep) == len(_COLUMNS) else map(operator.itemgetter(*keep), rows)
            self.db.executemany(
                f"INSERT INTO pairs ({', '.join(_COLUMNS[i] for i in keep)}) "
                f"VALUES ({', '.join('?' * len(keep))}) ON CONFLICT (id) DO NOTHING",
                values,
            )
            if rebuild:
                for statement in _SECONDARY_INDEXES.values():
                    self.db.execute(statement)
            counts.added = self.count() - before
            if counts.added:
                # numpy comes with the index: importing it here keeps it out of start-up.
                import numpy as np

                from workbench.tm.index import update_index

                # Into an empty table without repeats, rows get rowids 1..n in order: the
                # index is built from the keys in hand instead of reading them back.
                known = None
                if before == 0 and counts.added == len(rows):
                    known = (
                        np.arange(1, len(rows) + 1, dtype=np.int64),
                        cast(list[str], [r[3] for r in rows]),  # the zh_norm column
                    )
                update_index(self.db, known)  # the fuzzy-lookup index, committed with the pairs
        counts.present = len(rows) - counts.added
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


def _check(pair: TmPair) -> str | None:
    if pair.origin not in ORIGINS:
        return f"origin {pair.origin!r} is not one of {', '.join(ORIGINS)}"
    if pair.status not in STATUSES:
        return f"status {pair.status!r} is not one of {', '.join(STATUSES)}"
    if not pair.zh.strip() and not pair.en.strip():
        return "both sides are empty"
    if pair.status == "accepted" and not (pair.zh.strip() and pair.en.strip()):
        return "an accepted pair needs both sides (keep one-sided beads as needs_review)"
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
