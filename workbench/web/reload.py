"""Glossary hot reload: serve the newest valid term base without restarting or blocking.

Terminologists edit ``glossary/*.tsv`` while the service runs. At most once per
``[service] reload_interval`` a request stats the files (names, sizes, mtimes: cheap) and,
if anything changed, loads and validates the whole glossary, builds its matcher and search
index, and only then swaps the new ``LoadedGlossary`` in with one assignment. Other
requests keep reading the previous object meanwhile, so none waits or sees a half-built
one. A broken edit is not applied: the last good version keeps being served and the error
(with every problem, file and line) is reported by ``status()`` until the files change
again.

An edit that loads but removes more than ``max_drop_share`` of the served entries (a
deleted or truncated file, a bad merge) is not applied either: it is *held*, the old
glossary keeps being served, and ``status()`` reports it as degraded with the number and
ids of the entries it would drop, until a curator confirms that exact version
(``confirm(version)``: the service's ``POST /api/glossary/confirm`` or the button on the
search page) or the files change again (a restored file is then applied as usual).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workbench.errors import GlossaryError
from workbench.glossary import Entry, Glossary, Matcher, load_glossary
from workbench.glossary.check import glossary_files
from workbench.web.search import TermIndex

log = logging.getLogger(__name__)

Fingerprint = tuple[tuple[str, int, int, int], ...]


def fingerprint(directory: Path) -> Fingerprint:
    """Return what identifies the current state of the glossary files without reading them."""
    rows = []
    for path in glossary_files(directory):
        try:
            stat = path.stat()
        except FileNotFoundError:  # removed between listing and stat
            continue
        rows.append((path.name, stat.st_mtime_ns, stat.st_size, stat.st_ino))
    return tuple(rows)


@dataclass(frozen=True)
class LoadedGlossary:
    """One validated glossary version with everything built from it; never mutated."""

    glossary: Glossary
    matcher: Matcher
    index: TermIndex
    fingerprint: Fingerprint
    # JSON shapes per entry id, built once per version rather than on every request:
    # the whole entry as /api/terms shows it, and what /api/annotate adds to a match.
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    match_fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    loaded_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    @property
    def version(self) -> str:
        return self.glossary.version


@dataclass(frozen=True)
class HeldReload:
    """A valid edit that would drop too many entries, waiting for a curator's confirmation."""

    loaded: LoadedGlossary
    dropped: list[str]  # ids served now that the edit would remove
    served_entries: int
    at: str

    def describe(self) -> dict[str, Any]:
        return {
            "version": self.loaded.version,
            "entries": len(self.loaded.index),
            "dropped": len(self.dropped),
            "dropped_share": round(len(self.dropped) / max(1, self.served_entries), 3),
            "dropped_ids": self.dropped[:50],
            "at": self.at,
        }


class ReloadNotHeldError(Exception):
    """There is no held edit of this version to confirm."""


@dataclass(frozen=True)
class ReloadFailure:
    """Why the newest edit of the glossary was not applied."""

    message: str
    problems: list[str]
    fingerprint: Fingerprint
    at: str


def entry_record(entry: Entry) -> dict[str, Any]:
    """Return an entry as the API shows it (its file by name, not by local path)."""
    data = entry.to_dict()
    data["file"] = Path(entry.file).name if entry.file else ""
    data["enforcement"] = entry.level  # as QA applies it (the category's default if unset)
    return data


def build(directory: Path, stamp: Fingerprint) -> LoadedGlossary:
    """Load and validate the glossary and build its matcher and index (raises GlossaryError)."""
    glossary = load_glossary(directory)
    match_fields = {
        entry.id: {
            "en_alternatives": entry.en_alternatives,
            "en_forbidden": entry.en_forbidden,
            "category": entry.category,
            "status": entry.status,
            "enforcement": entry.level,
        }
        for entry in glossary.entries
    }
    records = {entry.id: entry_record(entry) for entry in glossary.entries}
    return LoadedGlossary(
        glossary, glossary.matcher(), TermIndex(glossary.entries), stamp, records, match_fields
    )


class GlossaryReloader:
    """Holds the current ``LoadedGlossary`` and replaces it when the files change."""

    def __init__(
        self,
        directory: Path,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        max_drop_share: float = 1.0,
    ) -> None:
        self.directory = Path(directory)
        self.interval = float(interval)
        self.max_drop_share = float(max_drop_share)
        self.held: HeldReload | None = None
        self._clock = clock
        self._lock = threading.Lock()  # one reloader at a time; readers never take it
        self._next_check = clock() + self.interval
        self.failure: ReloadFailure | None = None
        self.reloads = 0
        stamp = fingerprint(self.directory)
        self._current = build(self.directory, stamp)  # a broken glossary at start is fatal

    def current(self) -> LoadedGlossary:
        """Return the glossary to serve, checking for edits at most once per interval."""
        if self._clock() >= self._next_check and self._lock.acquire(blocking=False):
            try:
                self._next_check = self._clock() + self.interval
                self._reload_if_changed()
            finally:
                self._lock.release()
        return self._current

    def check_now(self) -> LoadedGlossary:
        """Check the files at once (waiting for a reload already running); return the result."""
        with self._lock:
            self._next_check = self._clock() + self.interval
            self._reload_if_changed()
        return self._current

    def confirm(self, version: str) -> LoadedGlossary:
        """Serve the held edit of ``version`` although it drops many entries.

        Raises ReloadNotHeldError when no edit is held or the held one is another version
        (the files changed since the curator looked): confirming is for exactly what was seen.
        """
        with self._lock:
            self._next_check = self._clock() + self.interval
            self._reload_if_changed()  # a newer edit replaces (or clears) the held one
            held = self.held
            if held is None or held.loaded.version != version:
                waiting = f"version {held.loaded.version} is held" if held else "nothing is held"
                raise ReloadNotHeldError(
                    f"no held glossary edit of version {version!r} to confirm ({waiting}); "
                    "reload the status and confirm what it shows"
                )
            self._swap(held.loaded)
            log.warning(
                "glossary version %s confirmed by a curator: %d entries dropped",
                held.loaded.version,
                len(held.dropped),
            )
        return self._current

    def _swap(self, loaded: LoadedGlossary) -> None:
        self._current = loaded  # the swap: a single reference assignment
        self.failure = None
        self.held = None
        self.reloads += 1

    def _reload_if_changed(self) -> None:
        stamp = fingerprint(self.directory)  # taken before reading: an edit during load shows
        if stamp == self._current.fingerprint:
            self.held = None  # the files are back to what is served
            return
        if self.failure is not None and stamp == self.failure.fingerprint:
            return  # the same broken files: don't re-parse them every interval
        if self.held is not None and stamp == self.held.loaded.fingerprint:
            return  # still waiting for a curator to confirm this edit
        self.held = None
        try:
            loaded = build(self.directory, stamp)
        except GlossaryError as exc:
            self.failure = ReloadFailure(
                str(exc), list(exc.problems), stamp, datetime.now(UTC).isoformat(timespec="seconds")
            )
            log.warning("glossary edit not applied, still serving %s: %s", self.version, exc)
            for problem in exc.problems[:20]:
                log.warning("  %s", problem)
            return
        except OSError as exc:  # a file vanished or is unreadable mid-edit; try again later
            self.failure = ReloadFailure(
                f"cannot read the glossary: {exc}", [], stamp, datetime.now(UTC).isoformat()
            )
            log.warning("glossary reload failed: %s", exc)
            return
        dropped = self._dropped(loaded)
        if len(dropped) > self.max_drop_share * len(self._current.index):
            self.failure = None
            self.held = HeldReload(
                loaded,
                dropped,
                len(self._current.index),
                datetime.now(UTC).isoformat(timespec="seconds"),
            )
            log.warning(
                "glossary edit held, still serving %s: it would drop %d of %d entries "
                "(more than %.0f%%); a curator must confirm version %s",
                self.version,
                len(dropped),
                len(self._current.index),
                100 * self.max_drop_share,
                loaded.version,
            )
            return
        self._swap(loaded)
        log.info("glossary reloaded: version %s, %d entries", loaded.version, len(loaded.index))

    def _dropped(self, loaded: LoadedGlossary) -> list[str]:
        """Ids served now that ``loaded`` no longer has, in served order."""
        return [e.id for e in self._current.glossary.entries if loaded.glossary.get(e.id) is None]

    @property
    def version(self) -> str:
        return self._current.version

    def status(self) -> dict[str, Any]:
        """Describe what is served and whether the newest edit failed to load."""
        current = self._current
        failure = self.failure
        held = self.held
        return {
            "version": current.version,
            "entries": len(current.index),
            "files": [name for name, *_ in current.fingerprint],
            "loaded_at": current.loaded_at,
            "reloads": self.reloads,
            "error": None
            if failure is None
            else {"message": failure.message, "problems": failure.problems, "at": failure.at},
            "held": None if held is None else held.describe(),
        }
