"""Queueing term proposals for curators, shared by harvest and derived compounds.

Both send terms the glossary lacks to the service's proposal queue and must never queue
the same term twice when a command is re-run; one function does that for both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol


class ProposalStore(Protocol):
    """What queueing needs of the service's proposal store (``web.suggestions``)."""

    def list(
        self, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[Any], int]: ...

    def add(self, kind: str, proposal: dict[str, Any]) -> Any: ...


def queue_terms(
    store: ProposalStore,
    proposals: Iterable[dict[str, Any]],
    key: Callable[[str], str] = str,
) -> tuple[int, int]:
    """Add each proposal (a dict with ``zh``) as a ``term`` proposal unless a term proposal
    with the same ``key(zh)`` is already in the store, in any status, by anyone: re-running
    never queues twice. Returns (added, already there)."""
    seen = {
        key(str(s.proposal.get("zh", "")))
        for s in store.list(None, 1_000_000, 0)[0]
        if s.kind == "term"
    }
    added = known = 0
    for proposal in proposals:
        zh = key(str(proposal["zh"]))
        if zh in seen:
            known += 1
            continue
        store.add("term", proposal)
        seen.add(zh)
        added += 1
    return added, known
