"""Load, look up and save the term base (``glossary/*.tsv``).

Loading checks every file first and refuses the whole glossary if any problem is found
(``GlossaryError`` carries them all), so a half-edited file is never half applied. Writes
go through ``atomic_write`` and are validated as the complete resulting glossary before
anything touches the disk.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from workbench.config import Config
from workbench.errors import GlossaryError
from workbench.fileio import atomic_write
from workbench.glossary.check import check_texts, display_name, glossary_files
from workbench.glossary.fold import fold, term_keys
from workbench.glossary.matcher import Matcher, matcher_for
from workbench.glossary.model import Entry, columns, required_columns


class Glossary:
    """A validated term base: its entries, a content version and lookups by id and form."""

    def __init__(self, entries: list[Entry], version: str, files: list[Path] | None = None):
        self.entries = entries
        self.version = version
        self.files = files or []
        self._by_id = {entry.id: entry for entry in entries}
        self._by_key: dict[str, Entry] = {}
        for entry in entries:
            for key in term_keys(entry.zh_forms):
                self._by_key.setdefault(key, entry)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        """Return the entry with this id, or None."""
        return self._by_id.get(entry_id)

    def by_zh(self, form: str) -> Entry | None:
        """Return the entry one of whose forms this is, in any script or punctuation variant."""
        return self._by_key.get(fold(form.strip()))

    def by_en(self, rendering: str) -> Entry | None:
        """Return the entry whose approved or alternative English is this (any case)."""
        wanted = " ".join(rendering.casefold().split())
        for entry in self.entries:
            for candidate in (entry.en, *entry.en_alternatives):
                if " ".join(candidate.casefold().split()) == wanted:
                    return entry
        return None

    def search(self, text: str, limit: int = 10) -> list[Entry]:
        """Return entries whose zh forms, id or English contain ``text`` (for suggestions)."""
        key = fold(text.strip())
        needle = text.strip().casefold()
        found = []
        for entry in self.entries:
            haystacks = [fold(f) for f in entry.zh_forms]
            if (
                any(key and key in h for h in haystacks)
                or needle in entry.id.casefold()
                or needle in entry.en.casefold()
            ):
                found.append(entry)
                if len(found) >= limit:
                    break
        return found

    def matcher(self) -> Matcher:
        """Return the matcher for this glossary version (built once per version, shared)."""
        return matcher_for(self)


def content_version(texts: dict[str, bytes]) -> str:
    """Return a short hash of the files' names and bytes: the glossary version."""
    digest = hashlib.sha256()
    for name in sorted(texts):
        digest.update(Path(name).name.encode("utf-8") + b"\0" + texts[name] + b"\0")
    return digest.hexdigest()[:12]


def glossary_path(path: Path | None, config: Config | None) -> Path:
    """Return ``path``, else the configured ``[paths] glossary_dir`` (one must be given:
    library code does not load settings itself)."""
    if path is not None:
        return Path(path)
    if config is None:
        raise TypeError("give the glossary path or the loaded Config")
    return config.paths.glossary_dir


def load_glossary(path: Path | None = None, config: Config | None = None) -> Glossary:
    """Load and validate the term base: a folder of ``*.tsv`` (default ``[paths] glossary_dir``)
    or one file. Raises GlossaryError listing every problem if any file is invalid."""
    path = glossary_path(path, config)
    if not path.exists():
        raise GlossaryError(f"glossary {path} does not exist; set [paths] glossary_dir")
    files = glossary_files(path)
    if not files:
        raise GlossaryError(f"no *.tsv term files in {path}; add some (see glossary/README.md)")
    texts = {display_name(f): f.read_bytes() for f in files}
    entries, problems = check_texts(texts)
    if problems:
        raise GlossaryError(
            f"the glossary in {path} has {len(problems)} problem(s); nothing was loaded. "
            "Fix them (run 'workbench glossary check')",
            problems=[str(p) for p in problems],
        )
    return Glossary(entries, content_version(texts), files)


def render_tsv(entries: Iterable[Entry]) -> str:
    """Return the TSV text of a file holding these entries (header first, LF endings)."""
    entries = list(entries)
    # Optional trailing columns are written only when some entry fills them, so a file
    # that never used them keeps the shorter header (and its diff stays one row).
    names = list(required_columns())
    optional = columns()[len(names) :]
    used = [i for i, name in enumerate(optional) if any(getattr(e, name) for e in entries)]
    if used:
        names += optional[: max(used) + 1]
    lines = ["\t".join(names)]
    for entry in entries:
        cells = entry.row(names)
        for name, cell in zip(names, cells, strict=True):
            if "\t" in cell or "\n" in cell or "\r" in cell:
                raise GlossaryError(
                    f"entry {entry.id!r}: {name} contains a tab or line break; remove it"
                )
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def save_entries(path: Path, entries: Iterable[Entry]) -> None:
    """Write entries to one TSV file atomically (the file is replaced whole)."""
    text = render_tsv(entries)
    with atomic_write(Path(path), "w") as handle:
        handle.write(text)


def write_checked(glossary_dir: Path, target: Path, entries: list[Entry]) -> Glossary:
    """Replace ``target`` with ``entries`` only if the whole resulting glossary is valid."""
    glossary_dir = Path(glossary_dir)
    target = Path(target)
    texts = {display_name(f): f.read_bytes() for f in glossary_files(glossary_dir)}
    target_name = display_name(target)
    texts[target_name] = render_tsv(entries).encode("utf-8")
    checked, problems = check_texts(texts)
    if problems:
        raise GlossaryError(
            f"the change would leave {len(problems)} problem(s) in the glossary; "
            "nothing was written",
            problems=[str(p) for p in problems],
        )
    save_entries(target, entries)
    files = sorted({*glossary_files(glossary_dir), target})
    return Glossary(checked, content_version(texts), files)


# Folders whose lock this thread already holds, with the nesting depth: flock() locks
# belong to an open file description, so a second flock() of the same folder by the same
# thread (accept → add_entry) would wait for itself forever.
_held_locks = threading.local()


@contextlib.contextmanager
def glossary_lock(glossary_dir: Path) -> Iterator[None]:
    """Hold the one exclusive lock on the glossary folder for a read-check-write cycle.

    Every writer takes it: ``glossary import``, the service's accept and reject (which
    record their decision inside it), ``add_entry``. The lock is on the folder itself (no
    lock file to commit or clean up), excludes other processes and other threads alike,
    and is re-entrant within one thread.
    """
    glossary_dir = Path(glossary_dir)
    glossary_dir.mkdir(parents=True, exist_ok=True)
    key = str(glossary_dir.resolve())
    held: dict[str, int] = _held_locks.__dict__.setdefault("depth", {})
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    fd = os.open(glossary_dir, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        held[key] = 1
        try:
            yield
        finally:
            del held[key]
    finally:
        os.close(fd)  # closing releases the lock


def add_entry(glossary_dir: Path, entry: Entry, file_name: str) -> Entry:
    """Append an entry to ``glossary_dir/file_name`` after validating the whole result.

    Used by the curator queue to accept proposals: a duplicate id or a zh form already
    owned by another concept raises GlossaryError and nothing is written.
    """
    glossary_dir = Path(glossary_dir)
    if Path(file_name).name != file_name or not file_name.endswith(".tsv"):
        raise GlossaryError(f"{file_name!r} must be a plain file name ending in .tsv")
    target = glossary_dir / file_name
    with glossary_lock(glossary_dir):
        existing = load_glossary(target).entries if target.exists() else []
        write_checked(glossary_dir, target, [*existing, entry])
    saved = load_glossary(target).get(entry.id)
    assert saved is not None
    return saved
