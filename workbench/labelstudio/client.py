"""Connect to the configured Label Studio with a working credential.

Every command that talks to Label Studio goes through ``connect``, so a server that is
down or a refused credential always surfaces as one ``LabelStudioError`` line naming the
URL and the fix, never as a traceback from deep inside the SDK.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError

from workbench.config import Config
from workbench.errors import LabelStudioError
from workbench.labelstudio.auth import (
    Credentials,
    check_token,
    ensure_api_access,
    load_credentials,
    mask,
    secrets_file,
)
from workbench.labelstudio.server import is_healthy, read_run_state

SDK_TIMEOUT = 120


@dataclass
class Connection:
    """An SDK client with the URL and credentials it was made from."""

    url: str
    credentials: Credentials
    client: LabelStudio


def configured_url(config: Config) -> str:
    """Return the Label Studio URL: ``[labelstudio] url``, else the one ``up`` recorded,
    else the configured host and port."""
    url = config.labelstudio.url.rstrip("/")
    if url:
        return url
    state = read_run_state(config.work_dir, "labelstudio")
    if state is not None:
        return state.url
    return f"http://{config.labelstudio.host}:{config.labelstudio.port}"


def make_client(url: str, token: str) -> LabelStudio:
    """Return an SDK client for ``url`` using ``token`` as the API key."""
    return LabelStudio(base_url=url, api_key=token, timeout=SDK_TIMEOUT)


def connect(config: Config, repair: bool = False) -> Connection:
    """Return a connection to the configured server, checking reachability and the token.

    With ``repair`` a refused token is fixed through a password login (see
    ``auth.ensure_api_access``); without it a refused token is an error.
    """
    url = configured_url(config)
    if not is_healthy(url):
        raise LabelStudioError(
            f"Label Studio at {url} is not reachable; start it with 'workbench up' "
            "or set WORKBENCH_LABELSTUDIO_URL to a running server"
        )
    if not config.labelstudio.token and not secrets_file(config.work_dir).is_file():
        raise LabelStudioError(
            f"no API token for Label Studio at {url}: set WORKBENCH_LABELSTUDIO_TOKEN, or run "
            f"'workbench up' with this work folder ({config.work_dir}) to create one"
        )
    credentials = load_credentials(config, create=False)
    if repair:
        credentials = ensure_api_access(url, credentials, secrets_file(config.work_dir))
    else:
        status, _body = check_token(url, credentials.token)
        if status in (401, 403):
            raise LabelStudioError(
                f"Label Studio at {url} refused the API token {mask(credentials.token)}; "
                "set WORKBENCH_LABELSTUDIO_TOKEN to a valid token (or run 'workbench up' to "
                "repair the workspace's own credential)"
            )
        if status != 200:
            raise LabelStudioError(f"Label Studio at {url} answered {status} to a token check")
    return Connection(url, credentials, make_client(url, credentials.token))


@contextlib.contextmanager
def api_errors(url: str, doing: str) -> Iterator[None]:
    """Turn SDK and network failures inside the block into one-line LabelStudioErrors."""
    try:
        yield
    except ApiError as exc:
        body = exc.body if isinstance(exc.body, str | dict) else ""
        detail = str(body)[:300]
        if exc.status_code == 401 or (exc.status_code == 403 and "credential" in detail.lower()):
            raise LabelStudioError(
                f"Label Studio at {url} refused the credential while trying to {doing} "
                f"({exc.status_code}); set WORKBENCH_LABELSTUDIO_TOKEN to a valid token"
            ) from None
        raise LabelStudioError(
            f"Label Studio at {url} answered {exc.status_code} while trying to {doing}: {detail}"
        ) from None
    except (httpx.HTTPError, OSError) as exc:
        raise LabelStudioError(
            f"Label Studio at {url} stopped answering while trying to {doing} "
            f"({exc.__class__.__name__}); check it with 'workbench status'"
        ) from None
