"""Atomic file writing and JSON Lines helpers.

Every file the workbench writes goes through here, so a crash or Ctrl-C never leaves a
half-written file: we write a temporary sibling, fsync it, and rename it into place.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from workbench.errors import InputError


@contextlib.contextmanager
def atomic_write(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path`` and move it over ``path`` only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        binary = "b" in mode
        with os.fdopen(
            fd, mode, encoding=None if binary else encoding, newline=None if binary else ""
        ) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _backup_of(path: Path) -> Path:
    return path.with_name(f".{path.name}.old")


def _staging_pattern(path: Path) -> re.Pattern[str]:
    """Match the staging folders of ``path``: ``.<name>.<pid>-<random>.partial``.

    Folders of earlier versions carry no pid (``.<name>.<random>.partial``); they match
    with an empty pid group.
    """
    return re.compile(rf"\.{re.escape(path.name)}\.(?:(\d+)-)?[a-z0-9_]+\.partial")


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def recover_directory(path: Path) -> list[str]:
    """Repair what a run killed during ``atomic_directory`` left behind; say what was done.

    Killed between its two renames, a swap leaves ``path`` missing and the previous
    folder in ``.<name>.old``: it is moved back. A leftover ``.old`` beside a present
    ``path`` is deleted, and so are the staging folders of runs no longer alive (a live
    run's staging folder is left alone).
    """
    path = Path(path)
    done: list[str] = []
    backup = _backup_of(path)
    if backup.is_dir() and not os.path.lexists(path):
        os.replace(backup, path)
        done.append(f"restored {path} from {backup.name} (a run was interrupted mid-swap)")
    elif backup.exists():
        shutil.rmtree(backup, ignore_errors=True)
        done.append(f"removed leftover {backup.name}")
    if not path.parent.is_dir():
        return done
    pattern = _staging_pattern(path)
    for child in path.parent.iterdir():
        match = pattern.fullmatch(child.name)
        if not match or not child.is_dir():
            continue
        pid = int(match.group(1)) if match.group(1) else None
        if pid is not None and (pid == os.getpid() or _process_alive(pid)):
            continue
        shutil.rmtree(child, ignore_errors=True)
        done.append(f"removed leftover {child.name}")
    return done


@contextlib.contextmanager
def atomic_directory(path: Path) -> Iterator[Path]:
    """Build a whole folder beside ``path`` and swap it in only when complete.

    The previous folder stays intact until the new one is finished, so an interrupted
    export or ingest never leaves a mix of old and new files. The swap is two renames
    (``path`` to ``.<name>.old``, staging to ``path``); a run killed between them is
    repaired by the next one (``recover_directory``), which also removes the leftovers
    of killed runs.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    recover_directory(path)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".partial", dir=path.parent)
    )
    backup = None
    try:
        yield staging
        if path.exists():
            backup = _backup_of(path)
            if backup.exists():
                shutil.rmtree(backup)
            os.replace(path, backup)
        os.replace(staging, path)
    except BaseException:
        if backup is not None and backup.is_dir() and not os.path.lexists(path):
            os.replace(backup, path)  # the second rename failed: put the old folder back
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def write_jsonl(handle: IO[str], records: Iterable[dict[str, Any]]) -> int:
    """Write one compact JSON object per line (UTF-8, not ASCII-escaped); return the count."""
    count = 0
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        handle.write("\n")
        count += 1
    return count


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the objects of a JSON Lines file, streaming; a bad line names file and line."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
