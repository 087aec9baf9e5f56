"""The curator's token: who may accept or reject proposals (reading needs no token).

The token is ``[service] curator_token`` (or ``WORKBENCH_SERVICE_CURATOR_TOKEN``) when set;
otherwise one is generated on first use and kept in ``<work_dir>/secrets/curator_token``,
readable by its owner only (0600), so it survives restarts and is never committed.
"""

from __future__ import annotations

import hmac
import os
import secrets
import tempfile
from pathlib import Path

from workbench.config import Config


def token_file(config: Config) -> Path:
    """Return where a generated curator token is kept."""
    return config.work_dir / "secrets" / "curator_token"


def curator_token(config: Config) -> str:
    """Return the configured curator token, generating and storing one if none is set."""
    configured = config.service.curator_token.strip()
    if configured:
        return configured
    return stored_secret(token_file(config))


def session_key(config: Config) -> str:
    """Return the key that signs the service's session cookies, generated once and kept.

    Kept in ``<work_dir>/secrets/service_session_key`` (0600), so sessions and form tokens
    survive a restart and every service process on one work folder accepts them.
    """
    return stored_secret(config.work_dir / "secrets" / "service_session_key")


def stored_secret(path: Path) -> str:
    """Return the secret kept in ``path``, creating it (0600, atomically) if there is none."""
    if path.is_file():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            return stored
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = secrets.token_urlsafe(32)
    # mkstemp creates the file 0600; link() publishes it whole and fails if another
    # process got there first, in which case its secret wins.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(token + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp_name, path)
        except FileExistsError:
            return path.read_text(encoding="utf-8").strip()
    finally:
        os.unlink(tmp_name)
    return token


def token_matches(expected: str, presented: str | None) -> bool:
    """Compare tokens in constant time; an empty or missing token never matches."""
    if not presented or not expected:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), presented.strip().encode("utf-8"))


def bearer_token(authorization: str | None) -> str | None:
    """Return the token of an ``Authorization: Bearer <token>`` header, or None."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
