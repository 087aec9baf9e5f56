"""The JSON API: term search and lookup, text annotation, proposals and their curation.

Request bodies are parsed strictly (JSON object, UTF-8, size-limited) and validated against
the schemas of ``static/openapi.json``; every failure is an ``ApiError`` rendered in the one
error shape of ``errors.py``.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for

from workbench.web.errors import ApiError
from workbench.web.openapi import openapi_document
from workbench.web.proposals import create_suggestion_from, decide
from workbench.web.reload import ReloadNotHeldError
from workbench.web.requests import (
    CATEGORIES,
    ENTRY_STATUSES,
    check_values,
    choice_arg,
    int_arg,
    json_body,
    proposal_schema,
    require_curator,
    suggestion_id_or_404,
)
from workbench.web.services import services
from workbench.web.suggestions import STATUSES, Suggestion

api = Blueprint("api", __name__)

# -- helpers ---------------------------------------------------------------------------


def created(suggestion: Suggestion) -> Response:
    response = jsonify(suggestion.to_dict())
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_suggestion", suggestion_id=suggestion.id)
    return response


# -- health --------------------------------------------------------------------------


@api.get("/healthz")
def healthz():
    """Answer at once: the trivial endpoint the load benchmark compares against."""
    return {"status": "ok"}


@api.get("/api/health")
def health():
    """Report the glossary served, the last reload error and the proposal counts."""
    svc = services()
    svc.glossary.current()
    glossary = svc.glossary.status()
    return {
        "status": "degraded" if glossary["error"] or glossary["held"] else "ok",
        "glossary": glossary,
        "suggestions": svc.suggestions.counts(),
    }


@api.post("/api/glossary/confirm")
def confirm_reload():
    """Serve a held glossary edit that drops many entries (curator only)."""
    require_curator()
    version = json_body("ConfirmReload")["version"]
    try:
        services().glossary.confirm(version)
    except ReloadNotHeldError as exc:
        raise ApiError(409, "nothing_held", str(exc)) from None
    return health()


@api.get("/api/openapi.json")
def openapi():
    """Serve the OpenAPI document."""
    return jsonify(openapi_document())


# -- terms ---------------------------------------------------------------------------


@api.get("/api/terms")
def search_terms():
    """Search entries by Chinese (either script, variant, prefix), English, category, status."""
    query = request.args.get("q", "")
    if len(query) > 200:
        raise ApiError(400, "bad_parameter", "q is longer than 200 characters; shorten it")
    check_values(query, "q")
    category = choice_arg("category", CATEGORIES)
    status = choice_arg("status", ENTRY_STATUSES)
    limit = int_arg("limit", 20, 1, 100)
    offset = int_arg("offset", 0, 0, 1_000_000)
    loaded = services().glossary.current()
    page = loaded.index.search(query, category, status, limit, offset)
    return {
        "items": [loaded.records[e.id] for e in page.entries],
        "total": page.total,
        "limit": limit,
        "offset": offset,
        "glossary_version": loaded.version,
    }


@api.get("/api/terms/<path:entry_id>")
def get_term(entry_id: str):
    """Return one entry with all its fields."""
    record = services().glossary.current().records.get(entry_id)
    if record is None:
        raise ApiError(
            404, "not_found", f"no glossary entry {entry_id!r}; search with /api/terms?q=…"
        )
    return record


# -- annotate ------------------------------------------------------------------------


@api.post("/api/annotate")
def annotate():
    """Return the glossary terms in a text with offsets, ids and approved renderings."""
    text = json_body("AnnotateRequest")["text"]
    loaded = services().glossary.current()
    fields = loaded.match_fields
    matches = [
        {
            "start": match.start,
            "end": match.end,
            "text": match.text,
            "entry_id": match.entry_id,
            "zh": match.zh,
            "en": match.en,
            **fields[match.entry_id],
        }
        for match in loaded.matcher.find(text)
    ]
    return {"glossary_version": loaded.version, "length": len(text), "matches": matches}


# -- suggestions ---------------------------------------------------------------------


@api.post("/api/suggestions")
def create_suggestion():
    """Store a proposed term or rendering as pending."""
    body = json_body(proposal_schema)
    return created(create_suggestion_from(body))


@api.get("/api/suggestions")
def list_suggestions():
    """List proposals, newest first, optionally by status."""
    status = choice_arg("status", STATUSES)
    limit = int_arg("limit", 20, 1, 100)
    offset = int_arg("offset", 0, 0, 1_000_000)
    items, total = services().suggestions.list(status, limit, offset)
    return {
        "items": [s.to_dict() for s in items],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


@api.get("/api/suggestions/<int(signed=True):suggestion_id>")
def get_suggestion(suggestion_id: int):
    """Return one proposal."""
    suggestion = services().suggestions.get(suggestion_id_or_404(suggestion_id))
    if suggestion is None:
        raise ApiError(404, "not_found", f"no proposal {suggestion_id}")
    return suggestion.to_dict()


@api.post("/api/suggestions/<int(signed=True):suggestion_id>/accept")
def accept(suggestion_id: int):
    """Write a pending proposal into the glossary and mark it accepted (curator only)."""
    require_curator()
    options = json_body("AcceptOptions", required=False)
    return decide(suggestion_id, "accept", options)


@api.post("/api/suggestions/<int(signed=True):suggestion_id>/reject")
def reject(suggestion_id: int):
    """Mark a pending proposal rejected (curator only)."""
    require_curator()
    options = json_body("RejectOptions", required=False)
    return decide(suggestion_id, "reject", options)
