"""Read an input file safely: regular files only, and never more than the size cap.

Whatever is named on the command line or found in a folder may be something other than
a file of text: a symbolic link that loops, a named pipe (reading it blocks until some
other program writes), a device (``/dev/zero`` never ends), a folder. Each is refused with
one line naming what it is, before anything is read. A regular file larger than
``[ingest] max_file_mb`` is refused the same way, since every later stage holds the text
(and its sentences) in memory. The file is opened without blocking and checked again on
the open descriptor, so a file swapped for a pipe between the check and the read is
caught too.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from workbench.errors import ConfigError, InputError

MB = 1_000_000


def file_kind(mode: int) -> str:
    """Name what a non-regular file is, the way a user would call it."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse(name: str, mode: int) -> InputError:
    return InputError(f"{name}: is {file_kind(mode)}, not a regular file; skipped")


def _too_big(name: str, size: int | None, limit: int) -> InputError:
    if size is None:
        size_text = "larger than that"
    else:
        size_text = f"{size / MB:.1f} MB" if size >= MB else f"{size / 1000:.1f} kB"
    return InputError(
        f"{name}: is {size_text}, over the input limit of {limit / MB:g} MB "
        "([ingest] max_file_mb); split the file or raise the limit"
    )


def read_limited(handle: BinaryIO, name: str, limit: int, size_hint: int | None = None) -> bytes:
    """Read a stream to its end, refusing it as soon as it passes ``limit`` bytes.

    ``read(n)`` allocates ``n`` bytes before reading, so the stream is read in pieces no
    larger than what is expected (``size_hint``, a regular file's size) or 1 MB.
    """
    chunks: list[bytes] = []
    total = 0
    step = min(limit, size_hint) + 1 if size_hint is not None else 1 << 20
    while True:
        chunk = handle.read(min(step, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise _too_big(name, None, limit)
        step = 1 << 16 if size_hint is not None else 1 << 20  # past the expected end: small
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_input_file(path: Path, limit: int) -> bytes:
    """Return the bytes of a regular file of at most ``limit`` bytes; InputError otherwise."""
    name = str(path)
    try:
        info = os.stat(path)  # follows symbolic links: what a link points to counts
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError(f"{name}: is a broken symbolic link; skipped") from None
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{name}: is a symbolic link loop; skipped") from None
        raise InputError(f"{name}: cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(name, info.st_mode)
    if info.st_size > limit:
        raise _too_big(name, info.st_size, limit)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb", buffering=0) as handle:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):  # replaced between the stat and the open
            raise _refuse(name, opened.st_mode)
        try:
            return read_limited(handle, name, limit, opened.st_size)
        except OSError as exc:
            raise InputError(f"{name}: cannot be read ({exc.strerror})") from None


def input_limit(max_file_mb: float) -> int:
    """The cap in bytes for a ``max_file_mb`` setting (decimal megabytes, as ``ls`` shows)."""
    if max_file_mb <= 0:
        raise ConfigError(f"[ingest] max_file_mb = {max_file_mb} must be above 0; fix the setting")
    return int(max_file_mb * MB)
