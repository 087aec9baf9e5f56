"""One error shape for the whole API, and friendly pages for the rest.

Every failure under ``/api/`` — a bad parameter, a missing entry, an oversize body, an
unexpected crash — answers with the same JSON body, so a client needs one code path::

    {"error": {"status": 422, "code": "invalid_body", "message": "...", "details": [...]}}

``details`` lists individual problems (a schema violation, a glossary check problem with
file and line) when there are several; it is always present, possibly empty.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Request, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

# A stable machine-readable code for each HTTP status werkzeug raises by itself.
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_body",
    500: "internal_error",
}


class ApiError(Exception):
    """An error the API reports to its client with a status, a code and a clear message."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        self.headers = headers or {}


def error_body(status: int, code: str, message: str, details: list[Any] | None = None) -> dict:
    """Return the JSON body of every API error."""
    return {"error": {"status": status, "code": code, "message": message, "details": details or []}}


def wants_json(req: Request) -> bool:
    """Whether a failing request should get the JSON error shape (API) or an HTML page."""
    return req.path.startswith("/api/") or req.path == "/api" or req.path == "/healthz"


def _http_message(exc: HTTPException) -> str:
    if exc.code == 413:
        limit = request.max_content_length
        return (
            f"request body is larger than the limit of {limit} bytes; send a smaller body "
            "(split long texts into sentences)"
        )
    if exc.code == 405:
        allowed = (
            ", ".join(sorted(exc.valid_methods or [])) if hasattr(exc, "valid_methods") else ""
        )
        return f"method {request.method} is not allowed here" + (
            f"; use {allowed}" if allowed else ""
        )
    if exc.code == 404:
        path = request.path if len(request.path) <= 100 else request.path[:100] + "…"
        return f"no such resource: {path}; see /api/openapi.json for the endpoints"
    return exc.description or exc.name


def _json_response(status: int, code: str, message: str, details=None, headers=None):
    response = jsonify(error_body(status, code, message, details))
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def register_error_handlers(app: Flask) -> None:
    """Route every error through one JSON shape (API) or the error page (HTML)."""

    @app.errorhandler(ApiError)
    def handle_api_error(exc: ApiError):
        if wants_json(request):
            return _json_response(exc.status, exc.code, exc.message, exc.details, exc.headers)
        return _page(exc.status, exc.message)

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException):
        status = exc.code or 500
        message = _http_message(exc)
        headers = {}
        allowed = getattr(exc, "valid_methods", None)  # set on MethodNotAllowed only
        if status == 405 and allowed:
            headers["Allow"] = ", ".join(sorted(allowed))
        if wants_json(request):
            code = _HTTP_CODES.get(status, "http_error")
            return _json_response(status, code, message, headers=headers)
        return _page(status, message, headers)

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        if isinstance(exc, HTTPException):  # pragma: no cover - handled above
            return handle_http_error(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        message = "internal error; the server log has the details"
        if wants_json(request):
            return _json_response(500, "internal_error", message)
        return _page(InternalServerError.code, message)


def _page(status: int, message: str, headers: dict[str, str] | None = None):
    body = render_template("error.html", status=status, message=message)
    return body, status, headers or {}
