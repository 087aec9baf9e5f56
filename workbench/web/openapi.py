"""The API's OpenAPI 3.1 document, and request validation against that same document.

``static/openapi.json`` is the single description of the API: it is served at
``/api/openapi.json``, fuzzed by schemathesis in the tests, and its request schemas are
what the handlers validate bodies with (OpenAPI 3.1 schemas are JSON Schema 2020-12), so
the document and the behaviour cannot drift apart. Validation uses jsonschema-rs: it runs
on every request (a valid body costs under a microsecond) and applies patterns with
ECMA-262 semantics as JSON Schema specifies.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

SPEC_FILE = Path(__file__).with_name("static") / "openapi.json"


@cache
def openapi_document() -> dict[str, Any]:
    """Return the parsed OpenAPI document (read once per process)."""
    return json.loads(SPEC_FILE.read_text(encoding="utf-8"))


def _inline_refs(node: Any, schemas: dict[str, Any]) -> Any:
    # Our request schemas are not recursive, so inlining every local $ref terminates and
    # gives a self-contained schema the validator compiles once.
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            return _inline_refs(schemas[ref.rsplit("/", 1)[1]], schemas)
        return {key: _inline_refs(value, schemas) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_refs(item, schemas) for item in node]
    return node


@cache
def request_schema(name: str) -> dict[str, Any]:
    """Return ``#/components/schemas/<name>`` with every reference inlined."""
    schemas = openapi_document()["components"]["schemas"]
    if name not in schemas:
        raise KeyError(f"no schema {name!r} in {SPEC_FILE.name}")
    return _inline_refs(schemas[name], schemas)


@cache
def schema_validator(name: str) -> jsonschema_rs.Draft202012Validator:
    """Return the compiled validator of one schema of the document."""
    return jsonschema_rs.Draft202012Validator(request_schema(name))


def _subschema(schema: Any, path: list[Any]) -> Any:
    for part in path:
        schema = schema[part]
    return schema


def describe_errors(name: str, instance: Any) -> list[str]:
    """Return one readable line per way ``instance`` violates schema ``name`` (none if valid)."""
    validator = schema_validator(name)
    if validator.is_valid(instance):  # the common case, without collecting errors
        return []
    lines = []
    for error in validator.iter_errors(instance):
        where = "/".join(str(part) for part in error.instance_path) or "body"
        message = error.message
        schema_path = list(error.schema_path)
        if schema_path and schema_path[-1] == "pattern":
            # Say what the pattern means (its schema's description), not the regex itself.
            hint = _subschema(request_schema(name), schema_path[:-1]).get("description")
            message = f"{error.instance!r} is not allowed" + (f" ({hint})" if hint else "")
        lines.append(f"{where}: {_shorten(message)}")
    return sorted(lines)


def _shorten(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"
