"""The admin account and API credential of the workspace's Label Studio.

Credentials come from config or environment (``WORKBENCH_LABELSTUDIO_PASSWORD``,
``WORKBENCH_LABELSTUDIO_TOKEN``) or are generated once and kept in
``<work_dir>/secrets/labelstudio.json`` (mode 0600). They are never printed whole: the CLI
shows ``mask(secret)`` and the file's path.

Label Studio 1.23 creates organisations with legacy API tokens disabled. A server we start
on a fresh data folder gets ``LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true``, which only acts
when the organisation is created; for an existing data folder ``ensure_api_access`` logs in
with the password and switches legacy tokens on (or fetches the user's real token), so a
re-run over old data still works without hand steps.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

import requests

from workbench.config import Config
from workbench.errors import LabelStudioError
from workbench.fileio import atomic_write

HTTP_TIMEOUT = 15


@dataclass
class Credentials:
    """Login and API token of the workspace's Label Studio admin."""

    username: str
    password: str
    token: str


def secrets_file(work_dir: Path) -> Path:
    """Return where generated Label Studio credentials are kept."""
    return Path(work_dir) / "secrets" / "labelstudio.json"


def mask(secret: str) -> str:
    """Show just enough of a secret to tell two apart, never the whole of it."""
    if not secret:
        return "(none)"
    return f"{secret[:4]}…({len(secret)} chars)"


def save_credentials(path: Path, credentials: Credentials) -> None:
    """Write the credentials file readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    with atomic_write(path) as handle:  # mkstemp already creates the file 0600
        handle.write(json.dumps(asdict(credentials), indent=2) + "\n")
    os.chmod(path, 0o600)


def load_credentials(config: Config, create: bool = True) -> Credentials:
    """Return credentials from config/env, else the secrets file, else newly generated ones.

    With ``create`` the secrets file is written when anything was generated, so the next
    run (and ``workbench down``/``status`` in another shell) uses the same ones.
    """
    path = secrets_file(config.work_dir)
    stored: dict[str, str] = {}
    if path.is_file():
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise LabelStudioError(
                f"{path} is unreadable ({exc}); fix it or delete it to generate new credentials"
            ) from None
    username = config.labelstudio.username
    password = str(config.labelstudio.password or stored.get("password") or "")
    token = str(config.labelstudio.token or stored.get("token") or "")
    generated = False
    if not password:
        password = secrets.token_urlsafe(18)
        generated = True
    if not token:
        token = secrets.token_hex(20)  # Label Studio wants a 40-character hex user token
        generated = True
    credentials = Credentials(username=username, password=password, token=token)
    changed = stored != asdict(credentials)
    if create and (generated or (changed and path.is_file())):
        save_credentials(path, credentials)
    return credentials


def token_get(url: str, path: str, token: str) -> requests.Response:
    """GET ``url + path`` with ``token`` as a legacy API token; one error when unreachable."""
    try:
        return requests.get(
            f"{url}{path}", headers={"Authorization": f"Token {token}"}, timeout=HTTP_TIMEOUT
        )
    except requests.RequestException as exc:
        raise LabelStudioError(
            f"Label Studio at {url} is not reachable ({exc.__class__.__name__})"
        ) from None


def check_token(url: str, token: str) -> tuple[int, str]:
    """Return the status and body of an authenticated whoami request with ``token``."""
    response = token_get(url, "/api/current-user/whoami", token)
    return response.status_code, response.text[:300]


def submit_form(
    url: str, page: str, fields: dict[str, str]
) -> tuple[requests.Session, requests.Response]:
    """Open one of Label Studio's web forms and submit it as a browser would.

    Django wants the CSRF cookie the page sets echoed in the form and a same-site Referer;
    the redirect that follows a successful submit is not followed, so callers can tell
    success (301/302) from a form shown again with its errors.
    """
    session = requests.Session()
    try:
        session.get(page, timeout=HTTP_TIMEOUT)
        response = session.post(
            page,
            data={**fields, "csrfmiddlewaretoken": session.cookies.get("csrftoken", "")},
            headers={"Referer": page},
            timeout=HTTP_TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        raise LabelStudioError(
            f"Label Studio at {url} is not reachable ({exc.__class__.__name__})"
        ) from None
    return session, response


def login_session(url: str, username: str, password: str) -> requests.Session:
    """Log in through the web form (as a browser would) and return the session."""
    session, response = submit_form(
        url, f"{url}/user/login/", {"email": username, "password": password}
    )
    if response.status_code not in (301, 302) or "sessionid" not in session.cookies:
        raise LabelStudioError(
            f"Label Studio at {url} refused the login of {username}; set "
            "WORKBENCH_LABELSTUDIO_PASSWORD to that account's password or use a fresh work folder"
        )
    session.headers["X-CSRFToken"] = session.cookies.get("csrftoken") or ""
    session.headers["Referer"] = url + "/"
    return session


def ensure_api_access(url: str, credentials: Credentials, path: Path | None = None) -> Credentials:
    """Make sure ``credentials.token`` works as an API token; repair it if it does not.

    Repairs, in order: switch on legacy tokens for the organisation (existing data folder
    created without them), then adopt the account's own token. The repaired credentials
    are saved to ``path`` when given.
    """
    status, body = check_token(url, credentials.token)
    if status == 200:
        return credentials
    if status != 401:
        raise LabelStudioError(f"Label Studio at {url} answered {status} to a token check: {body}")
    session = login_session(url, credentials.username, credentials.password)
    if "legacy" in body.lower():
        session.post(
            f"{url}/api/jwt/settings",
            json={"legacy_api_tokens_enabled": True, "api_tokens_enabled": True},
            timeout=HTTP_TIMEOUT,
        )
        status, body = check_token(url, credentials.token)
        if status == 200:
            return credentials
    response = session.get(f"{url}/api/current-user/token", timeout=HTTP_TIMEOUT)
    token = response.json().get("token") if response.ok else None
    if token and check_token(url, token)[0] == 200:
        repaired = Credentials(credentials.username, credentials.password, token)
        if path is not None:
            save_credentials(path, repaired)
        return repaired
    raise LabelStudioError(
        f"Label Studio at {url} refused the API token for {credentials.username} "
        f"({status}); set WORKBENCH_LABELSTUDIO_TOKEN to a valid token"
    )
