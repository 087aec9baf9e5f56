"""Curator sign-in sessions, kept server-side so that signing out really ends them.

Signing in with the curator token creates a session: a random id goes into the browser's
cookie, and only its SHA-256 is stored (in the proposal database, so every service
process sharing a work folder knows it). The cookie never holds the curator token itself:
any server on the same host name receives the cookies of every port, so a leaked cookie
must be worth a revocable, expiring session, not the long-lived token. Signing out
deletes the row, after which the old cookie value opens nothing.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS curator_sessions (
    id_hash     TEXT PRIMARY KEY,           -- SHA-256 of the cookie value; never the value
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
"""


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


class CuratorSessions:
    """Signed-in curator sessions in the service's SQLite database."""

    def __init__(self, path: Path, lifetime: timedelta, timeout: float = 30.0) -> None:
        self.path = Path(path)  # created (0600) by SuggestionStore beforehand
        self.lifetime = lifetime
        self.timeout = timeout
        with self._connect() as conn:
            conn.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # the inner ``conn`` context: one transaction, committed on success
        with closing(sqlite3.connect(self.path, timeout=self.timeout)) as conn, conn:
            yield conn

    def create(self) -> str:
        """Start a session and return the id to put in the cookie (shown nowhere else)."""
        session_id = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        with self._connect() as conn:
            conn.execute("DELETE FROM curator_sessions WHERE expires_at < ?", (now.isoformat(),))
            conn.execute(
                "INSERT INTO curator_sessions (id_hash, created_at, expires_at) VALUES (?, ?, ?)",
                (_digest(session_id), now.isoformat(), (now + self.lifetime).isoformat()),
            )
        return session_id

    def is_valid(self, session_id: str | None) -> bool:
        """Whether this cookie value is a live session."""
        if not session_id or len(session_id) > 200:
            return False
        with self._connect() as conn:
            row = conn.execute(
                "SELECT expires_at FROM curator_sessions WHERE id_hash = ?",
                (_digest(session_id),),
            ).fetchone()
        return row is not None and row[0] > datetime.now(UTC).isoformat()

    def end(self, session_id: str | None) -> None:
        """Delete a session (sign-out); its cookie value is worthless from now on."""
        if session_id:
            with self._connect() as conn:
                conn.execute(
                    "DELETE FROM curator_sessions WHERE id_hash = ?", (_digest(session_id),)
                )
