"""Proposal actions shared by the JSON API and the pages: store one, accept or reject one.

Both raise ``ApiError`` on failure, which the API renders as JSON and the pages as a message.
"""

from __future__ import annotations

from typing import Any

from workbench.errors import GlossaryError
from workbench.web.curation import (
    ProposalDecidedError,
    ProposalNotFoundError,
    accept_suggestion,
    reject_suggestion,
)
from workbench.web.errors import ApiError
from workbench.web.reload import entry_record
from workbench.web.requests import refuse_unsafe_text, suggestion_id_or_404
from workbench.web.services import services
from workbench.web.suggestions import Suggestion


def create_suggestion_from(body: dict[str, Any]) -> Suggestion:
    """Validate a proposal against the served glossary and store it (shared with the pages)."""
    svc = services()
    refuse_unsafe_text(body)
    kind = body["kind"]
    if kind == "rendering":
        entry = svc.glossary.current().glossary.get(body["entry_id"])
        if entry is None:
            raise ApiError(
                404,
                "unknown_entry",
                f"no glossary entry {body['entry_id']!r} to propose a rendering for; "
                "propose a new term (kind 'term') instead",
            )
    return svc.suggestions.add(kind, body)


def decide(suggestion_id: int, action: str, options: dict[str, Any]) -> dict[str, Any]:
    """Accept or reject a proposal (shared by the API and the pages); ApiError on failure."""
    svc = services()
    suggestion_id_or_404(suggestion_id)
    refuse_unsafe_text(options)
    try:
        if action == "reject":
            return reject_suggestion(
                svc.suggestions, suggestion_id, options.get("reason") or "", svc.glossary_dir
            ).to_dict()
        acceptance = accept_suggestion(
            svc.suggestions,
            svc.glossary_dir,
            suggestion_id,
            options,
            svc.accept_file,
        )
    except ProposalNotFoundError as exc:
        raise ApiError(404, "not_found", str(exc)) from None
    except ProposalDecidedError as exc:
        raise ApiError(409, "already_decided", str(exc)) from None
    except GlossaryError as exc:
        raise ApiError(
            409,
            "glossary_conflict",
            f"accepting would break the glossary, nothing was written: {exc}; "
            "change the proposal's fields in the accept options or reject it",
            details=list(exc.problems),
        ) from None
    loaded = svc.glossary.check_now()  # serve the new entry from the next request on
    return {
        "suggestion": acceptance.suggestion.to_dict(),
        "entry": entry_record(acceptance.entry),
        "file": acceptance.file,
        "action": acceptance.action,
        "glossary_version": loaded.version,
    }
