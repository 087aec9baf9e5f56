"""The durable proposal store: annotators' suggested terms and renderings, and decisions.

Proposals live in SQLite (``<work_dir>/service/suggestions.sqlite3``) in WAL mode with
``synchronous=FULL``: every POST is one committed transaction before it is answered, so
concurrent posts from many threads or processes all land, and nothing acknowledged is
lost to a crash or restart. Each operation opens its own short-lived connection, which
keeps the store safe to share between waitress threads without any locking of ours.

A proposal moves ``pending`` → ``accepted`` | ``rejected`` exactly once: the decision is
a conditional ``UPDATE … WHERE status = 'pending'``, so two curators deciding at once
cannot both win.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
STATUSES = (PENDING, ACCEPTED, REJECTED)
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS suggestions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,              -- term | rendering
    status      TEXT NOT NULL DEFAULT 'pending',
    created_at  TEXT NOT NULL,
    proposal    TEXT NOT NULL,              -- JSON object as posted (validated)
    decided_at  TEXT,
    decision    TEXT                        -- JSON: reason, entry_id, file
);
CREATE INDEX IF NOT EXISTS suggestions_status ON suggestions (status, id);
"""


def store_path(work_dir: Path) -> Path:
    """Return where the proposal database lives under a work folder."""
    return Path(work_dir) / "service" / "suggestions.sqlite3"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One stored proposal and, once decided, its decision."""

    id: int
    kind: str
    status: str
    created_at: str
    proposal: dict[str, Any]
    decided_at: str | None = None
    decision: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "created_at": self.created_at,
            "proposal": self.proposal,
            "decided_at": self.decided_at,
            "decision": self.decision,
        }


def _row_to_suggestion(row: sqlite3.Row) -> Suggestion:
    return Suggestion(
        id=row["id"],
        kind=row["kind"],
        status=row["status"],
        created_at=row["created_at"],
        proposal=json.loads(row["proposal"]),
        decided_at=row["decided_at"],
        decision=json.loads(row["decision"]) if row["decision"] else None,
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def make_private(path: Path) -> None:
    """Create the database (and its folder) readable by the owner only, like other secrets.

    Proposals carry names and unpublished renderings. SQLite gives its ``-wal`` and
    ``-shm`` files the mode of the database file, so creating that one 0600 (before SQLite
    does, with the process umask) covers all three; an older, wider file is narrowed.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if stat.S_IMODE(name.stat().st_mode) & 0o077:
                os.chmod(name, 0o600)
        except FileNotFoundError:
            continue


class SuggestionStore:
    """Proposals in one SQLite file, safe for concurrent threads and processes."""

    def __init__(self, path: Path, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        make_private(self.path)
        with self._connect() as conn:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode.lower() != "wal":  # e.g. a network file system without shared memory
                raise sqlite3.OperationalError(f"{self.path}: cannot use WAL mode ({mode})")
            conn.executescript(_SCHEMA)
            conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # isolation_level=None: we issue BEGIN IMMEDIATE ourselves so writers queue on the
        # database lock (busy timeout) instead of failing on a read-to-write upgrade.
        with closing(
            sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        ) as conn:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA synchronous=FULL")
            yield conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def add(self, kind: str, proposal: dict[str, Any]) -> Suggestion:
        """Store a new pending proposal; return it with its id once committed."""
        created = _now()
        text = json.dumps(proposal, ensure_ascii=False, sort_keys=True)
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO suggestions (kind, status, created_at, proposal) VALUES (?, ?, ?, ?)",
                (kind, PENDING, created, text),
            )
            new_id = cursor.lastrowid
        assert new_id is not None  # an INSERT always sets it
        return Suggestion(new_id, kind, PENDING, created, json.loads(text))

    def get(self, suggestion_id: int) -> Suggestion | None:
        """Return one proposal, or None."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT * FROM suggestions WHERE id = ?", (suggestion_id,)
            ).fetchone()
        return _row_to_suggestion(row) if row else None

    def list(
        self, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[Suggestion], int]:
        """Return one page of proposals (newest first) and how many there are in all."""
        where, args = ("WHERE status = ?", [status]) if status else ("", [])
        with self._connect() as conn:
            total = conn.execute(f"SELECT COUNT(*) FROM suggestions {where}", args).fetchone()[0]
            rows = conn.execute(
                f"SELECT * FROM suggestions {where} ORDER BY id DESC LIMIT ? OFFSET ?",
                [*args, limit, offset],
            ).fetchall()
        return [_row_to_suggestion(row) for row in rows], int(total)

    def counts(self) -> dict[str, int]:
        """Return the number of proposals in each status."""
        with self._connect() as conn:
            rows = conn.execute("SELECT status, COUNT(*) FROM suggestions GROUP BY status")
            found = {status: count for status, count in rows}
        return {status: int(found.get(status, 0)) for status in STATUSES}

    def decide(self, suggestion_id: int, status: str, decision: dict[str, Any]) -> bool:
        """Mark a pending proposal accepted or rejected; False if it was not pending."""
        if status not in (ACCEPTED, REJECTED):
            raise ValueError(f"a decision is {ACCEPTED} or {REJECTED}, not {status!r}")
        with self._transaction() as conn:
            cursor = conn.execute(
                "UPDATE suggestions SET status = ?, decided_at = ?, decision = ? "
                "WHERE id = ? AND status = ?",
                (
                    status,
                    _now(),
                    json.dumps(decision, ensure_ascii=False, sort_keys=True),
                    suggestion_id,
                    PENDING,
                ),
            )
            return cursor.rowcount == 1
