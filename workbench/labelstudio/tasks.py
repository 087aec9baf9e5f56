"""Turn corpus sentences into Label Studio tasks with glossary pre-annotations.

A task is built from a sentence, its neighbours and its document, and carries a
``content_hash`` of everything the annotator sees, so ``push`` can tell an unchanged task
from one whose sentence, context or glossary matches changed since the last push.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from workbench.models import Document, Sentence, TermMatch

if TYPE_CHECKING:  # the recogniser (and its automaton) loads only where derive is used
    from workbench.glossary.compound import DerivedCompound

# Finds a sentence's derived compounds (``[glossary] derived_compounds``; see
# ``workbench.glossary.compound``).
DeriveFunction = Callable[[Sentence], Sequence["DerivedCompound"]]

ENTITIES = "entities"  # Labels name in config/labeling.xml
RENDERING = "rendering"  # per-region TextArea name
TEXT = "text"  # Text name holding the sentence
TERM_LABEL = "POLICY_TERM"
HASH_KEY = "content_hash"


@dataclass(frozen=True, slots=True)
class TaskPayload:
    """One task ready for import: its data and the glossary prediction result."""

    sentence_id: str
    data: dict[str, Any]
    prediction: list[dict[str, Any]]
    model_version: str

    @property
    def content_hash(self) -> str:
        return self.data[HASH_KEY]

    def to_import(self) -> dict[str, Any]:
        """Return the JSON one task takes in ``projects.import_tasks``."""
        task: dict[str, Any] = {"data": self.data}
        if self.prediction:
            task["predictions"] = [{"model_version": self.model_version, "result": self.prediction}]
        return task


def model_version_for(glossary_version: str | None) -> str:
    """Name the glossary prediction's model version after the glossary content hash."""
    return f"glossary-{glossary_version or 'none'}"


def glossary_hints(terms: Iterable[TermMatch]) -> str:
    """Render the approved English of each distinct term, one ``form → en`` line each.

    The form is the one written in the sentence, because that is what the annotator is
    looking for; when it is a variant (合作社 for 农民合作社) the head form follows it, so
    the line still names the entry.
    """
    seen: dict[str, str] = {}
    for term in terms:
        form = term.text or term.zh
        if not term.en or form in seen:
            continue
        head = f" (head form {term.zh})" if term.zh and term.zh != form else ""
        seen[form] = f"{form}{head} → {term.en}"
    return "\n".join(seen.values())


def context_html(rows: Iterable[tuple[str, str | None]]) -> str:
    """Render labelled context rows (speaker, previous sentence ...) as escaped HTML.

    Empty rows are left out, so a heading task without a speaker or a previous sentence
    shows nothing rather than an unlabelled gap.
    """
    return "".join(
        f'<div class="wb-row"><span class="wb-label">{html.escape(label)}</span> '
        f'<span lang="zh-Hans">{html.escape(value)}</span></div>'
        for label, value in rows
        if value
    )


def candidates_in(text: str, terms: Iterable[TermMatch], candidates: Iterable[str]) -> list[str]:
    """Return the candidate terms written in ``text`` outside its glossary matches, in order.

    Candidates come from the mined review queue (``workbench glossary mine``); one that
    overlaps a glossary match is already covered and is left out.
    """
    covered = [(t.start, t.end) for t in terms]
    found: dict[str, int] = {}
    for candidate in candidates:
        start = text.find(candidate)
        while start >= 0:
            end = start + len(candidate)
            if not any(start < hi and lo < end for lo, hi in covered):
                found.setdefault(candidate, start)
                break
            start = text.find(candidate, start + 1)
    return sorted(found, key=lambda c: (found[c], -len(c)))


def derived_hints(derived: Iterable[DerivedCompound]) -> str:
    """One ``compound → suggested English`` line per derived compound, marked as such so
    nobody takes the composed English for an approved rendering."""
    lines = dict.fromkeys(
        f"{d.text} → {d.en} (derived suggestion, not in the glossary)" for d in derived
    )
    return "\n".join(lines)


def propose_link(
    service_url: str,
    sentence: Sentence,
    candidates: Iterable[str] = (),
    derived: Iterable[DerivedCompound] = (),
) -> str:
    """Return HTML links to the service's proposal form, with the sentence as context.

    Label Studio cannot put the annotator's live text selection into a link, so the main
    link carries the sentence and its id (the term is pasted into the form); each mined
    candidate written in the sentence gets its own link with the term filled in as well,
    and each derived compound one with the term and its suggested English.
    """
    if not service_url:
        return ""
    base = f"{service_url.rstrip('/')}/suggestions?"

    def link(label: str, css: str, **extra: str) -> str:
        query = urlencode({"context": sentence.text, "sentence_id": sentence.id, **extra})
        return (
            f'<a class="{css}" href="{html.escape(base + query + "#propose")}" target="_blank" '
            f'rel="noopener">{html.escape(label)}</a>'
        )

    main = link("Propose a term the glossary lacks ↗", "wb-propose")
    picks = [link(zh, "wb-propose-term", zh=zh) for zh in candidates]
    shown = set(candidates)
    for compound in derived:
        if compound.zh not in shown:
            shown.add(compound.zh)
            picks.append(link(compound.zh, "wb-propose-derived", zh=compound.zh, en=compound.en))
    if not picks:
        return main
    return f'{main} <span class="wb-label">or propose</span> ' + " · ".join(picks)


def prediction_result(sentence: Sentence) -> list[dict[str, Any]]:
    """Return a sentence's glossary matches as a prediction result (see ``term_regions``)."""
    return term_regions(sentence.text, sentence.terms)


def term_regions(text: str, terms: Iterable[TermMatch]) -> list[dict[str, Any]]:
    """Return glossary matches as POLICY_TERM regions, each with its rendering pre-filled.

    The per-region ``rendering`` item shares the region's id, which is how Label Studio
    attaches a per-region control's value to a region.
    """
    result: list[dict[str, Any]] = []
    for number, term in enumerate(terms):
        region_id = f"g{number}-{term.start}-{term.end}"
        span = {"start": term.start, "end": term.end, "text": text[term.start : term.end]}
        result.append(
            {
                "id": region_id,
                "from_name": ENTITIES,
                "to_name": TEXT,
                "type": "labels",
                "origin": "prediction",
                "value": {**span, "labels": [TERM_LABEL]},
            }
        )
        if term.en:
            result.append(
                {
                    "id": region_id,
                    "from_name": RENDERING,
                    "to_name": TEXT,
                    "type": "textarea",
                    "origin": "prediction",
                    "value": {**span, "text": [term.en]},
                }
            )
    return result


def content_hash(data: dict[str, Any], prediction: list[dict[str, Any]], model_version: str) -> str:
    """Hash what an annotator would see, so a changed sentence or match is noticed."""
    blob = json.dumps(
        {"data": data, "prediction": prediction, "model_version": model_version},
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def build_task(
    sentence: Sentence,
    document: Document | None,
    prev: Sentence | None,
    next_: Sentence | None,
    model_version: str,
    service_url: str = "",
    candidates: Iterable[str] = (),
    derived: Sequence[DerivedCompound] | None = None,
) -> TaskPayload:
    """Build one task: the sentence, its context, its document title and glossary hints.

    ``prev``/``next``/``speaker`` stay as plain data (snapshots and pull read them);
    ``context_before``/``context_after`` are the same, labelled, as the annotator sees them.
    ``derived`` (None: derived compounds are off) adds each compound's suggested English
    to the hints, a proposal link for it and ``derived_terms`` to the data.
    """
    candidates = list(candidates)
    before = [("Speaker", sentence.speaker), ("Previous sentence", prev.text if prev else None)]
    data: dict[str, Any] = {
        "text": sentence.text,
        "sentence_id": sentence.id,
        "doc_id": sentence.doc_id,
        "doc_title": (document.title if document and document.title else sentence.doc_id),
        "speaker": sentence.speaker or "",
        "prev": prev.text if prev else "",
        "next": next_.text if next_ else "",
        "glossary_hints": "\n".join(
            filter(None, [glossary_hints(sentence.terms), derived_hints(derived or ())])
        )
        or "(no glossary term in this sentence)",
        "context_before": context_html(before),
        "context_after": context_html([("Next sentence", next_.text if next_ else None)]),
        "propose_link": propose_link(
            service_url,
            sentence,
            candidates_in(sentence.text, sentence.terms, candidates),
            derived or (),
        ),
        "terms": [term.to_dict() for term in sentence.terms],  # read back by pull
    }
    if derived is not None:
        data["derived_terms"] = [compound.to_dict() for compound in derived]
    prediction = prediction_result(sentence)
    data[HASH_KEY] = content_hash(data, prediction, model_version)
    return TaskPayload(sentence.id, data, prediction, model_version)


def build_tasks(
    sentences: Iterable[Sentence],
    documents: dict[str, Document],
    model_version: str,
    service_url: str = "",
    candidates: Iterable[str] = (),
    derive: DeriveFunction | None = None,
) -> Iterator[TaskPayload]:
    """Stream tasks for sentences in reading order; context stays within one document.

    ``candidates`` are mined terms the glossary lacks; those written in a sentence get a
    one-click proposal link in its task. ``derive`` finds a sentence's derived compounds
    (``[glossary] derived_compounds``), shown as suggestions with proposal links.
    """
    candidates = [c for c in dict.fromkeys(candidates) if c] if service_url else []
    window: list[Sentence] = []

    def emit(index: int) -> TaskPayload:
        sentence = window[index]
        prev = window[index - 1] if index > 0 else None
        nxt = window[index + 1] if index + 1 < len(window) else None
        prev = prev if prev and prev.doc_id == sentence.doc_id else None
        nxt = nxt if nxt and nxt.doc_id == sentence.doc_id else None
        return build_task(
            sentence,
            documents.get(sentence.doc_id),
            prev,
            nxt,
            model_version,
            service_url,
            candidates,
            None if derive is None else derive(sentence),
        )

    for sentence in sentences:
        window.append(sentence)
        if len(window) == 3:
            yield emit(1)
            window.pop(0)
        elif len(window) == 2:
            yield emit(0)
    if len(window) == 1:
        yield emit(0)
    elif len(window) == 2:
        yield emit(1)
