"""Team accounts: annotators and reviewers in the workspace's Label Studio.

Label Studio's community edition has no roles and its API cannot set a password, so an
account is made the way a person would make it: through the organisation's invite link
(sign-up form with a generated password), which also puts the person in the admin's
organisation. The workbench keeps the team roster — e-mail, role, Label Studio user id and
the generated password — in ``<work_dir>/secrets/team.json`` (mode 0600). The role is the
workbench's own notion: the export's ``reviewed`` selection and the review queue read it
(``pull`` copies e-mail → role into each snapshot's manifest).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workbench.config import Config
from workbench.errors import InputError, LabelStudioError
from workbench.fileio import atomic_write
from workbench.labelstudio.auth import HTTP_TIMEOUT, login_session, submit_form, token_get
from workbench.labelstudio.client import Connection, api_errors, connect

ROLES = ("annotator", "reviewer")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class TeamMember:
    """One person of the team as the roster keeps them."""

    email: str
    role: str
    user_id: int | None
    added: str
    password: str = ""  # only when the workbench generated it; never printed by `list`

    def public(self) -> dict[str, Any]:
        """Return the member without the password."""
        fields = asdict(self)
        fields.pop("password")
        return fields


def roster_path(work_dir: Path) -> Path:
    """Return the team roster file (owner-only: it holds generated passwords)."""
    return Path(work_dir) / "secrets" / "team.json"


def read_roster(work_dir: Path) -> list[TeamMember]:
    """Return the team roster, oldest first (empty when no one was added)."""
    path = roster_path(work_dir)
    if not path.is_file():
        return []
    try:
        rows = json.loads(path.read_text(encoding="utf-8")).get("members", [])
        return [TeamMember(**row) for row in rows]
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(f"{path} is unreadable ({exc}); fix it or restore it") from None


def team_roles(work_dir: Path) -> dict[str, str]:
    """Map each rostered e-mail (lower case) to its role."""
    return {member.email.lower(): member.role for member in read_roster(work_dir)}


@contextlib.contextmanager
def _roster_lock(work_dir: Path) -> Iterator[None]:
    """Serialise roster writers (two `users add` at once must not lose a member)."""
    path = roster_path(work_dir).with_suffix(".lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    with open(path, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_roster(work_dir: Path, members: list[TeamMember]) -> None:
    path = roster_path(work_dir)
    with atomic_write(path) as handle:
        handle.write(json.dumps({"members": [asdict(m) for m in members]}, indent=2) + "\n")
    os.chmod(path, 0o600)


def check_member(email: str, role: str) -> tuple[str, str]:
    """Return the e-mail (lower case) and role, or an InputError saying what is wrong."""
    email = email.strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise InputError(f"{email!r} is not an e-mail address; give one like name@example.org")
    if role not in ROLES:
        raise InputError(f"role {role!r} is unknown; use one of {', '.join(ROLES)}")
    return email, role


def _org_users(connection: Connection) -> dict[str, int]:
    with api_errors(connection.url, "list users"):
        return {
            (user.email or "").lower(): user.id
            for user in connection.client.users.list()
            if user.email
        }


def _invite_path(connection: Connection) -> str:
    """Return the organisation's invite link (path and token), read as the admin."""
    response = token_get(connection.url, "/api/invite", connection.credentials.token)
    invite = response.json().get("invite_url") if response.ok else None
    if not invite:
        raise LabelStudioError(
            f"Label Studio at {connection.url} gave no invite link ({response.status_code})"
        )
    return str(invite)


def _sign_up(url: str, invite_path: str, email: str, password: str) -> None:
    """Create an account through the invite link's sign-up form, as a browser would."""
    _session, response = submit_form(
        url, f"{url}{invite_path}", {"email": email, "password": password}
    )
    if response.status_code not in (301, 302):
        found = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)<', response.text)
        why = "; ".join(text.strip() for text in found if text.strip()) or "no reason given"
        raise LabelStudioError(f"Label Studio refused to create {email}: {why}")


def add_user(config: Config, email: str, role: str) -> tuple[TeamMember, bool]:
    """Create (or re-role) a team member; return it and whether the account is new.

    A new account gets a generated password, returned in the member for the caller to
    print once. An e-mail Label Studio already knows keeps its password; only its role in
    the roster changes.
    """
    email, role = check_member(email, role)
    connection = connect(config)
    with _roster_lock(config.work_dir):
        members = read_roster(config.work_dir)
        known = _org_users(connection)
        existing = next((m for m in members if m.email == email), None)
        created = False
        password = existing.password if existing else ""
        if email not in known:
            invite = _invite_path(connection)
            password = secrets.token_urlsafe(12)
            _sign_up(connection.url, invite, email, password)
            # The account exists only if its password works: check as the person would.
            login_session(connection.url, email, password)
            known = _org_users(connection)
            created = True
        member = TeamMember(
            email=email,
            role=role,
            user_id=known.get(email),
            added=existing.added if existing else datetime.now(UTC).isoformat(timespec="seconds"),
            password=password,
        )
        others = [m for m in members if m.email != email]
        _write_roster(config.work_dir, [*others, member])
    return member, created


def list_users(config: Config) -> list[dict[str, Any]]:
    """Return every account of the organisation with its roster role (no passwords)."""
    roster = {m.email: m for m in read_roster(config.work_dir)}
    connection = connect(config)
    rows = []
    for email, user_id in sorted(_org_users(connection).items()):
        member = roster.get(email)
        if email == connection.credentials.username.lower():
            role = "admin"
        else:
            role = member.role if member else "(not in roster)"
        rows.append(
            {
                "email": email,
                "role": role,
                "user_id": user_id,
                "added": member.added if member else None,
            }
        )
    return rows


def member_token(url: str, email: str, password: str) -> str:
    """Return a member's own API token (for scripts and tests acting as that person)."""
    session = login_session(url, email, password)
    response = session.get(f"{url}/api/current-user/token", timeout=HTTP_TIMEOUT)
    token = response.json().get("token") if response.ok else None
    if not token:
        raise LabelStudioError(f"Label Studio gave no API token for {email}")
    return str(token)
