"""Cross-site request forgery protection for every state-changing request.

SameSite cookies are no defence here: a page on another port of the same host
(``127.0.0.1:8080`` against ``127.0.0.1:5005``) is *same-site*, so the browser sends our
cookies with the forms such a page submits. Two independent checks therefore guard every
POST:

- **Origin.** A browser names the page a request comes from in ``Origin`` (or, failing
  that, ``Referer``); when present it must be this service's own origin (scheme, host
  and port) or one listed in ``[service] trusted_origins``. This covers the JSON API too,
  whose endpoints a cross-site script could otherwise post proposals to.
- **Token.** Every form carries ``csrf_token``, a random value kept in this browser's
  signed session cookie; the form's copy must match. A page on another origin can
  neither read our pages nor our cookies' contents, so it cannot supply it. (Scripts and
  tools that send no ``Origin`` still need the token for forms; the API needs none, its
  curator endpoints take the token in ``Authorization``, which no browser adds by itself.)
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from flask import Flask, Request, request, session

from workbench.web.errors import ApiError

FIELD = "csrf_token"
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def csrf_token() -> str:
    """Return this browser session's form token, creating it on first use."""
    token = session.get(FIELD)
    if not token:
        token = session[FIELD] = secrets.token_urlsafe(32)
    return token


def rotate_csrf_token() -> None:
    """Give the session a new token (on sign-in and sign-out: no fixation across them)."""
    session[FIELD] = secrets.token_urlsafe(32)


def origin_of(url: str) -> str | None:
    """Return ``scheme://host[:port]`` of a URL, lower-cased, or None if it has none."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def request_origin(req: Request) -> str | None:
    """The origin the browser says the request comes from (Origin, else Referer), if any.

    ``Origin: null`` (sandboxed frames, ``data:`` pages) is returned as ``"null"``: it
    never matches, so such pages cannot post either.
    """
    origin = req.headers.get("Origin")
    if origin is not None:
        return origin.strip().lower() or "null"
    referer = req.headers.get("Referer")
    if referer:
        return origin_of(referer) or "null"
    return None


def check_origin(req: Request, trusted: frozenset[str]) -> None:
    """Refuse a request whose Origin/Referer names another site (403)."""
    origin = request_origin(req)
    if origin is None:
        return  # not a browser, or one that sends neither: the form token still applies
    own = f"{req.scheme}://{req.host}".lower()
    if origin != own and origin not in trusted:
        raise ApiError(
            403,
            "forbidden_origin",
            f"requests from {origin} may not change anything here; use this service's own "
            f"pages at {own}/ (or list the origin in [service] trusted_origins)",
        )


def check_form_token(req: Request) -> None:
    """Refuse a form post without this session's token (403)."""
    expected = session.get(FIELD)
    presented = req.form.get(FIELD, "")
    if not expected or not hmac.compare_digest(str(expected), presented):
        raise ApiError(
            403,
            "csrf_failed",
            "The form has expired or was not sent from this site's page; reload the page "
            "and send it again.",
        )


def protect(app: Flask, trusted_origins: list[str]) -> None:
    """Check the origin of every unsafe request and the form token of every page form."""
    trusted = frozenset(o for o in (origin_of(t) for t in trusted_origins) if o)

    @app.before_request
    def guard() -> None:
        if request.method not in _UNSAFE_METHODS or request.routing_exception is not None:
            return  # safe, or no such route/method: the 404/405 answers it
        check_origin(request, trusted)
        if not request.path.startswith("/api/"):
            check_form_token(request)

    app.jinja_env.globals["csrf_token"] = csrf_token
