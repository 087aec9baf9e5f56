"""Request helpers shared by the blueprints: query parameters, strict JSON bodies, the
curator check, the proposal enums and text-safety checks.

Apart from ``api.py`` so that the pages and the concordance use the same checks without
importing the API blueprint.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import request

from workbench.glossary.charcheck import describe_unsafe
from workbench.web.curator import bearer_token, token_matches
from workbench.web.errors import ApiError
from workbench.web.openapi import describe_errors, openapi_document
from workbench.web.services import services

_SQLITE_MAX_ID = 2**63 - 1
_SCHEMA_ENUMS = openapi_document()["components"]["schemas"]
CATEGORIES = tuple(_SCHEMA_ENUMS["Category"]["enum"])
ENTRY_STATUSES = tuple(_SCHEMA_ENUMS["EntryStatus"]["enum"])


def int_arg(name: str, default: int, low: int, high: int) -> int:
    """Return an integer query parameter, or a 400 naming the allowed range."""
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        raise ApiError(
            400, "bad_parameter", f"{name}={shown!r} is not an integer; use {low}–{high}"
        ) from None
    if not low <= value <= high:
        raise ApiError(400, "bad_parameter", f"{name}={value} is out of range; use {low}–{high}")
    return value


def choice_arg(name: str, choices: tuple[str, ...]) -> str | None:
    """Return an enumerated query parameter, or a 400 listing the allowed values."""
    raw = request.args.get(name)
    if raw is None:
        return None
    if raw not in choices:
        raise ApiError(
            400, "bad_parameter", f"{name}={raw!r} is not allowed; use one of: {', '.join(choices)}"
        )
    return raw


MAX_DEPTH = 32  # our request bodies nest three levels; deeper is an attack or a mistake


def check_values(value: Any, where: str = "body") -> None:
    """Refuse what the schema cannot express: deep nesting and unpaired surrogates.

    Walks the parsed JSON with an explicit stack (no recursion, so no depth can crash it).
    JSON may carry lone surrogates (``\\ud800``) that no UTF-8 file or database can store.
    """
    stack = [(value, where, 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ApiError(
                400, "bad_json", f"the request body nests deeper than {MAX_DEPTH} levels"
            )
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ApiError(
                    400, "bad_json", f"{path}: contains an unpaired surrogate; send valid Unicode"
                ) from None
        elif isinstance(item, dict):
            for key, child in item.items():
                stack.append((key, path, depth + 1))
                stack.append((child, f"{path}/{key}", depth + 1))
        elif isinstance(item, list):
            stack.extend((child, f"{path}/{n}", depth + 1) for n, child in enumerate(item))


# Fields kept only in the proposal store (never written into a term file) may hold line
# breaks; everything else ends up in a glossary cell.
MULTILINE_FIELDS = frozenset({"comment", "reason"})


TEXT_CHECKED_SCHEMAS = frozenset(
    {"TermProposal", "RenderingProposal", "AcceptOptions", "RejectOptions", "ConfirmReload"}
)


def unsafe_text_problems(body: dict[str, Any]) -> list[str]:
    """List the fields of a proposal or decision that hold control or format characters."""
    problems = []
    for key, value in body.items():
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for n, item in items:
            if isinstance(item, str):
                field = key if n is None else f"{key}/{n}"
                problem = describe_unsafe(field, item, key in MULTILINE_FIELDS)
                if problem:
                    problems.append(problem)
    return problems


def refuse_unsafe_text(body: dict[str, Any]) -> None:
    """Raise a 422 naming every field that holds control or format characters."""
    problems = unsafe_text_problems(body)
    if problems:
        raise ApiError(
            422, "invalid_body", f"the request body was refused: {problems[0]}", details=problems
        )


def proposal_schema(body: dict[str, Any]) -> str:
    """Name the schema a proposal is checked against, from its ``kind``."""
    kind = body.get("kind")
    if kind == "term":
        return "TermProposal"
    if kind == "rendering":
        return "RenderingProposal"
    raise ApiError(
        422,
        "invalid_body",
        f"kind: {kind!r} is not a kind of proposal; use 'term' (a new term) or 'rendering' "
        "(a new English rendering of an existing entry)",
        details=[f"kind: {kind!r} is not one of ['term', 'rendering']"],
    )


class _NotJsonConstant(ValueError):
    """NaN or Infinity: Python's json reads them, the JSON standard does not."""


def _refuse_constant(name: str) -> Any:
    raise _NotJsonConstant(name)


def exc_summary(exc: Exception) -> str:
    """The first clause of an exception message, short enough for a one-line error."""
    return str(exc).split(";")[0].split(":")[0][:120]


def json_body(
    schema: str | Callable[[dict[str, Any]], str], required: bool = True
) -> dict[str, Any]:
    """Parse the request body as a JSON object valid against ``schema``; 4xx otherwise.

    ``schema`` names a schema of the OpenAPI document, or picks one from the parsed body.
    """
    raw = request.get_data(cache=False)  # raises 413 beyond MAX_CONTENT_LENGTH
    if not raw.strip():
        if not required:
            body: Any = {}
            return body
        raise ApiError(400, "bad_json", "the request body is empty; send a JSON object")
    mimetype = request.mimetype
    if mimetype and mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiError(
            415,
            "unsupported_media_type",
            f"Content-Type {mimetype!r} is not supported; send application/json",
        )
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise ApiError(
            400, "bad_json", "the request body is not UTF-8; encode JSON as UTF-8"
        ) from None
    except _NotJsonConstant as exc:
        raise ApiError(
            400, "bad_json", f"the request body contains {exc}, which JSON does not allow"
        ) from None
    except (json.JSONDecodeError, RecursionError) as exc:
        if isinstance(exc, json.JSONDecodeError):
            where, message = f" at line {exc.lineno} column {exc.colno}", exc.msg
        else:
            where, message = "", "nested too deeply"
        raise ApiError(
            400,
            "bad_json",
            f"the request body is not valid JSON ({message}{where}); fix the syntax",
        ) from None
    except ValueError as exc:  # an integer literal beyond Python's digit limit
        raise ApiError(
            400,
            "bad_json",
            f"the request body holds a number too long to read ({exc_summary(exc)}); "
            "send numbers of at most a few digits",
        ) from None
    if not isinstance(body, dict):
        raise ApiError(
            400, "bad_json", f"the request body must be a JSON object, not {type(body).__name__}"
        )
    check_values(body)
    if callable(schema):
        schema = schema(body)
    if schema in TEXT_CHECKED_SCHEMAS:  # the schemas' patterns say the same, less clearly
        refuse_unsafe_text(body)
    problems = describe_errors(schema, body)
    if problems:
        raise ApiError(
            422,
            "invalid_body",
            f"the request body does not match the {schema} schema: {problems[0]}",
            details=problems,
        )
    return body


def require_curator() -> None:
    """Refuse the request unless it carries the curator token."""
    presented = bearer_token(request.headers.get("Authorization"))
    if not token_matches(services().curator_token, presented):
        raise ApiError(
            401,
            "unauthorized",
            "curating needs the curator token: send 'Authorization: Bearer <token>' "
            "(see [service] curator_token or work_dir/secrets/curator_token)",
            headers={"WWW-Authenticate": 'Bearer realm="workbench curator"'},
        )


def suggestion_id_or_404(suggestion_id: int) -> int:
    if not 1 <= suggestion_id <= _SQLITE_MAX_ID:
        raise ApiError(404, "not_found", f"no proposal {suggestion_id}")
    return suggestion_id
