"""The API's OpenAPI 3.1 document, and request validation against that same document.

``static/openapi.json`` is the single description of the API: it is served at
``/api/openapi.json``, fuzzed by schemathesis in the tests, and its request schemas are
what the handlers validate bodies with (OpenAPI 3.1 schemas are JSON Schema 2020-12), so
the document and the behaviour cannot drift apart.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_FILE = Path(__file__).with_name("static") / "openapi.json"
_SPEC_URI = "urn:workbench:openapi"


@cache
def openapi_document() -> dict[str, Any]:
    """Return the parsed OpenAPI document (read once per process)."""
    return json.loads(SPEC_FILE.read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    resource = Resource(contents=openapi_document(), specification=DRAFT202012)
    return Registry().with_resource(_SPEC_URI, resource)


@cache
def _ecma_pattern(pattern: str) -> re.Pattern[str]:
    # JSON Schema patterns are ECMA-262, where a final ``$`` matches only at the very end;
    # Python's ``$`` also matches before a trailing newline ("x\n" would pass ``^x$``).
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not _ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@cache
def schema_validator(name: str) -> Draft202012Validator:
    """Return a validator for ``#/components/schemas/<name>`` of the document."""
    if name not in openapi_document()["components"]["schemas"]:
        raise KeyError(f"no schema {name!r} in {SPEC_FILE.name}")
    schema = {"$ref": f"{_SPEC_URI}#/components/schemas/{name}"}
    return _Validator(schema, registry=_registry())


def describe_errors(name: str, instance: Any) -> list[str]:
    """Return one readable line per way ``instance`` violates schema ``name`` (none if valid)."""
    validator = schema_validator(name)
    lines = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(part) for part in error.absolute_path) or "body"
        message = error.message
        if error.validator == "pattern" and isinstance(error.schema, dict):
            hint = error.schema.get("description")
            message = f"{error.instance!r} is not allowed" + (f" ({hint})" if hint else "")
        lines.append(f"{where}: {_shorten(message)}")
    return lines


def _shorten(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"
