"""Accepting and rejecting proposals: the only path from the queue into the glossary files.

Acceptance writes through the glossary's own writers (``add_entry`` for a new term,
``write_checked`` for a new rendering of an existing one), which validate the complete
resulting term base exactly as ``workbench glossary check`` does and write nothing if any
problem remains. The proposal is marked accepted only after the file is written; a file
lock serialises curators (threads or processes) so two acceptances never interleave their
read-modify-write of the same file.

Both decisions take the glossary folder's one lock (``termbase.glossary_lock``, shared
with ``workbench glossary import``) and record the decision inside it: an accept and a
reject racing on one proposal are serialised, so whichever comes second sees the proposal
decided and changes nothing. A rejected term can therefore never reach the files. Should
recording the acceptance fail after the write, the file is put back as it was.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.errors import GlossaryError, WorkbenchError
from workbench.fileio import atomic_write
from workbench.glossary import Entry, Glossary, add_entry, load_glossary
from workbench.glossary.termbase import glossary_lock, write_checked
from workbench.web.suggestions import ACCEPTED, PENDING, REJECTED, Suggestion, SuggestionStore

_NUMBERED_ID = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")


class ProposalNotFoundError(WorkbenchError):
    """No proposal has this id."""


class ProposalDecidedError(WorkbenchError):
    """The proposal was already accepted or rejected."""


@dataclass(frozen=True)
class Acceptance:
    """What accepting a proposal did to the glossary."""

    suggestion: Suggestion
    entry: Entry
    file: str
    action: str  # added | alternative | preferred


@contextmanager
def restored_on_error(paths: list[Path]) -> Iterator[None]:
    """Put ``paths`` back as they were (or remove them) if the block raises."""
    saved = {path: path.read_bytes() if path.exists() else None for path in paths}
    try:
        yield
    except BaseException:
        for path, data in saved.items():
            now = path.read_bytes() if path.exists() else None
            if now == data:
                continue  # untouched (the usual case: the check refused before writing)
            if data is None:
                path.unlink(missing_ok=True)
            else:
                with atomic_write(path, "wb") as handle:
                    handle.write(data)
        raise


def next_entry_id(glossary: Glossary, file_name: str) -> str:
    """Return a fresh id in the style of the target file (``pov-069`` → ``pov-070``).

    The prefix is the one most ids in the file use (or the file's stem for a new file);
    the number is one above the highest in use with that prefix anywhere in the glossary.
    """
    in_file = [e.id for e in glossary.entries if Path(e.file).name == file_name]
    prefixes = Counter(m["prefix"] for i in in_file if (m := _NUMBERED_ID.match(i)))
    if prefixes:
        prefix = prefixes.most_common(1)[0][0]
    else:
        stem = re.sub(r"[^A-Za-z0-9]", "", Path(file_name).stem)[:3].lower()
        prefix = f"{stem}-" if stem[:1].isalpha() else "term-"
    width, highest = 3, 0
    for entry in glossary.entries:
        match = _NUMBERED_ID.match(entry.id)
        if match and match["prefix"] == prefix:
            width = max(width, len(match["number"]))
            highest = max(highest, int(match["number"]))
    return f"{prefix}{highest + 1:0{width}d}"


def _pending(store: SuggestionStore, suggestion_id: int) -> Suggestion:
    suggestion = store.get(suggestion_id)
    if suggestion is None:
        raise ProposalNotFoundError(f"no proposal {suggestion_id}")
    if suggestion.status != PENDING:
        raise ProposalDecidedError(
            f"proposal {suggestion_id} was already {suggestion.status} at {suggestion.decided_at}"
        )
    return suggestion


def accept_suggestion(
    store: SuggestionStore,
    glossary_dir: Path,
    suggestion_id: int,
    options: dict[str, Any],
    default_file: str,
) -> Acceptance:
    """Write a pending proposal into the glossary (validated) and mark it accepted.

    ``options`` may override what the proposer sent (``id``, ``file``, ``status``,
    ``category``, ``note``, ``source``, ``source_url``) and, for a rendering, say whether it
    becomes an ``alternative`` (default) or the ``preferred`` English. Raises GlossaryError
    listing the problems when the result would not pass ``glossary check``.
    """
    glossary_dir = Path(glossary_dir)
    with glossary_lock(glossary_dir):
        suggestion = _pending(store, suggestion_id)
        glossary = load_glossary(glossary_dir)  # fresh from disk, not the served copy
        targets = [glossary_dir / Path(f).name for f in _files_touched(suggestion, glossary)]
        targets.append(glossary_dir / Path(str(options.get("file") or default_file)).name)
        with restored_on_error(targets):
            if suggestion.kind == "term":
                acceptance = _accept_term(suggestion, glossary, glossary_dir, options, default_file)
            else:
                acceptance = _accept_rendering(suggestion, glossary, glossary_dir, options)
            decision = {
                "entry_id": acceptance.entry.id,
                "file": acceptance.file,
                "action": acceptance.action,
                "note": options.get("comment") or "",
            }
            if not store.decide(suggestion_id, ACCEPTED, decision):  # pragma: no cover
                raise ProposalDecidedError(f"proposal {suggestion_id} was decided meanwhile")
    decided = store.get(suggestion_id)
    assert decided is not None
    return Acceptance(decided, acceptance.entry, acceptance.file, acceptance.action)


def _accept_term(
    suggestion: Suggestion,
    glossary: Glossary,
    glossary_dir: Path,
    options: dict[str, Any],
    default_file: str,
) -> Acceptance:
    proposal = {**suggestion.proposal, **{k: v for k, v in options.items() if v is not None}}
    file_name = proposal.get("file") or default_file
    entry = Entry(
        id=proposal.get("id") or next_entry_id(glossary, file_name),
        zh=proposal["zh"],
        en=proposal["en"],
        zh_variants=list(proposal.get("zh_variants") or []),
        en_alternatives=list(proposal.get("en_alternatives") or []),
        en_forbidden=list(proposal.get("en_forbidden") or []),
        category=proposal.get("category") or "concept",
        note=proposal.get("note") or "",
        source=proposal.get("source") or "",
        source_url=proposal.get("source_url") or "",
        status=proposal.get("status") or "approved",
    )
    saved = add_entry(Path(glossary_dir), entry, file_name)
    return Acceptance(suggestion, saved, file_name, "added")


def _accept_rendering(
    suggestion: Suggestion, glossary: Glossary, glossary_dir: Path, options: dict[str, Any]
) -> Acceptance:
    proposal = suggestion.proposal
    entry = glossary.get(proposal["entry_id"])
    if entry is None:
        raise GlossaryError(
            f"entry {proposal['entry_id']!r} is no longer in the glossary; "
            "reject this proposal or propose a new term instead",
            problems=[f"{proposal['entry_id']}: no such entry"],
        )
    rendering = proposal["en"].strip()
    action = options.get("as") or "alternative"
    renderings = [entry.en, *entry.en_alternatives]
    if action == "alternative" and rendering in renderings:
        raise GlossaryError(
            f"{rendering!r} is already a rendering of {entry.id}; reject this proposal",
            problems=[f"{entry.id}: {rendering!r} is already listed"],
        )
    if action == "preferred":
        if rendering == entry.en:
            raise GlossaryError(
                f"{rendering!r} is already the preferred rendering of {entry.id}",
                problems=[f"{entry.id}: {rendering!r} is already preferred"],
            )
        alternatives = [entry.en, *(a for a in entry.en_alternatives if a != rendering)]
        updated_fields = {"en": rendering, "en_alternatives": alternatives}
    else:
        updated_fields = {"en_alternatives": [*entry.en_alternatives, rendering]}
    for key in ("note", "source", "source_url", "status"):
        if options.get(key):
            updated_fields[key] = options[key]
    target = Path(glossary_dir) / Path(entry.file).name
    file_entries = load_glossary(target).entries
    new_entries = [
        Entry.from_dict({**e.to_dict(), **updated_fields}) if e.id == entry.id else e
        for e in file_entries
    ]
    write_checked(Path(glossary_dir), target, new_entries)
    saved = load_glossary(target).get(entry.id)
    assert saved is not None
    return Acceptance(suggestion, saved, target.name, action)


def _files_touched(suggestion: Suggestion, glossary: Glossary) -> list[str]:
    """The glossary file a rendering proposal rewrites (terms go to the accept file)."""
    if suggestion.kind == "rendering":
        entry = glossary.get(suggestion.proposal.get("entry_id", ""))
        if entry is not None and entry.file:
            return [entry.file]
    return []


def reject_suggestion(
    store: SuggestionStore, suggestion_id: int, reason: str, glossary_dir: Path
) -> Suggestion:
    """Mark a pending proposal rejected with the curator's reason.

    Taken under the glossary lock so that a concurrent acceptance either finished
    (and this finds the proposal decided) or has not started (and will find it rejected).
    """
    with glossary_lock(Path(glossary_dir)):
        _pending(store, suggestion_id)
        if not store.decide(suggestion_id, REJECTED, {"reason": reason}):
            raise ProposalDecidedError(f"proposal {suggestion_id} was decided meanwhile")
    decided = store.get(suggestion_id)
    assert decided is not None
    return decided
