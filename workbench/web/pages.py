"""Server-rendered pages: glossary search, entry view, the proposal queue, corpus overview.

No JavaScript: searches are GET forms, proposals and decisions are POST forms followed by a
redirect. Jinja escapes every value, so a term or sentence containing markup shows as text.
The curator signs in once per browser by posting the token; the browser then holds a
server-side session's random id (never the token) in an HttpOnly cookie, and signing out
deletes the session. Every form carries the session's CSRF token and every POST is
checked for a foreign Origin (``csrf.py``): SameSite alone does not stop a page on another
port of the same host.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for

from workbench.glossary.fold import script_forms
from workbench.web.csrf import rotate_csrf_token
from workbench.web.curator import token_matches
from workbench.web.errors import ApiError
from workbench.web.openapi import describe_errors
from workbench.web.proposals import create_suggestion_from, decide
from workbench.web.reload import ReloadNotHeldError
from workbench.web.requests import CATEGORIES, unsafe_text_problems
from workbench.web.services import services
from workbench.web.suggestions import STATUSES

pages = Blueprint("pages", __name__)

PER_PAGE = 20
CURATOR_COOKIE = "workbench_curator"
# Query parameters that pre-fill the proposal form (a Label Studio task links here with
# the sentence as context); each is cut to the length the proposal schema allows.
_PREFILL = {"zh": 300, "en": 300, "sentence_id": 200, "context": 2000}
_LIST_FIELDS = ("zh_variants", "en_alternatives")


def safe_url(url: str) -> str | None:
    """Return ``url`` if it is an http(s) link, else None (no ``javascript:`` hrefs)."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


@pages.app_template_filter("safe_url")
def _safe_url_filter(url: str) -> str | None:
    return safe_url(url or "")


def is_curator() -> bool:
    """Whether this browser holds a live curator session."""
    return services().sessions.is_valid(request.cookies.get(CURATOR_COOKIE))


def _page_number() -> int:
    try:
        return max(1, min(int(request.args.get("page", "1")), 100_000))
    except ValueError:
        return 1


@pages.get("/")
def search():
    """Search the glossary; with no query, list it."""
    svc = services()
    loaded = svc.glossary.current()
    query = request.args.get("q", "")[:200]
    category = request.args.get("category") or None
    if category not in CATEGORIES:
        category = None
    page = _page_number()
    result = loaded.index.search(query, category, None, PER_PAGE, (page - 1) * PER_PAGE)
    pages_total = max(1, -(-result.total // PER_PAGE))
    return render_template(
        "search.html",
        query=query,
        category=category,
        categories=CATEGORIES,
        result=result,
        page=page,
        pages_total=pages_total,
        glossary=svc.glossary.status(),
        curator=is_curator(),
    )


@pages.get("/terms/<path:entry_id>")
def term(entry_id: str):
    """Show one entry with its sources and example sentences from the corpus."""
    svc = services()
    loaded = svc.glossary.current()
    entry = loaded.glossary.get(entry_id)
    if entry is None:
        raise ApiError(404, "not_found", f"There is no glossary entry {entry_id!r}.")
    index = svc.corpus.index(loaded)
    examples = index.examples.get(entry.id, [])[:8] if index else []
    # Traditional spellings are not stored in the glossary; the matcher generates them the
    # same way, so translators working from Traditional sources see what will match.
    written = set(entry.zh_forms)
    traditional = [
        form
        for form in dict.fromkeys(t for zh in entry.zh_forms for t in script_forms(zh)[1:])
        if form not in written
    ]
    total = index.counts.get(entry.id, 0) if index else 0
    return render_template(
        "term.html",
        tm_english=_tm_english(examples),
        entry=entry,
        traditional=traditional,
        examples=examples,
        example_total=total,
        nested_total=index.nested_counts.get(entry.id, 0) if index else 0,
        has_corpus=index is not None,
        corpus_error=svc.corpus.corpus_error,
        live_matched=index.live_matched if index else False,
    )


def _tm_english(examples: list[Any]) -> dict[str, str]:
    """English of the example sentences the translation memory holds (sentence → en)."""
    from workbench.tm.concordance import english_for
    from workbench.tm.store import TranslationMemory, tm_path

    path = tm_path(services().config)
    if not examples or not path.exists():
        return {}
    with TranslationMemory(path) as tm:
        return english_for(tm, ("".join(text for text, _ in ex.parts) for ex in examples))


# -- proposals -----------------------------------------------------------------------


def proposal_from_form(form: Any) -> dict[str, Any]:
    """Turn the proposal form into the API's JSON body (empty fields left out)."""
    body: dict[str, Any] = {}
    for key, value in form.items():
        if key in ("token", "csrf_token") or not value.strip():
            continue
        if key in _LIST_FIELDS:
            body[key] = [part.strip() for part in value.split("|") if part.strip()]
        else:
            body[key] = value.strip()
    return body


def proposal_prefill(args: Any) -> dict[str, str]:
    """Return the proposal form's initial values from a link's query parameters.

    ``context`` (the sentence a term was seen in) becomes the proposal's ``comment``, so
    the curator sees where the term came from.
    """
    values = {key: str(args.get(key, ""))[:limit].strip() for key, limit in _PREFILL.items()}
    context = values.pop("context")
    if context:
        values["comment"] = context
    return {key: value for key, value in values.items() if value}


@pages.get("/suggestions")
def queue():
    """The curator's queue: proposals by status, with accept and reject forms."""
    svc = services()
    status = request.args.get("status", "pending")
    if status not in (*STATUSES, "all"):
        status = "pending"
    page = _page_number()
    items, total = svc.suggestions.list(
        None if status == "all" else status, PER_PAGE, (page - 1) * PER_PAGE
    )
    glossary = svc.glossary.current().glossary
    known = {}
    for item in items:
        proposal = item.proposal
        if item.kind == "term":
            existing = glossary.by_zh(proposal.get("zh", ""))
        else:
            existing = glossary.get(proposal.get("entry_id", ""))
        known[item.id] = existing
    return render_template(
        "queue.html",
        items=items,
        total=total,
        status=status,
        statuses=STATUSES,
        counts=svc.suggestions.counts(),
        known=known,
        page=page,
        pages_total=max(1, -(-total // PER_PAGE)),
        curator=is_curator(),
        categories=CATEGORIES,
        form=proposal_prefill(request.args),
        problems=[],
        accept_file=svc.accept_file,
    )


@pages.post("/suggestions")
def propose():
    """Store a proposal sent from a page form."""
    body = proposal_from_form(request.form)
    body.setdefault("kind", "term")
    problems = unsafe_text_problems(body) or describe_errors(
        "RenderingProposal" if body["kind"] == "rendering" else "TermProposal", body
    )
    if problems:
        svc = services()
        items, total = svc.suggestions.list("pending", PER_PAGE, 0)
        return (
            render_template(
                "queue.html",
                items=items,
                total=total,
                status="pending",
                statuses=STATUSES,
                counts=svc.suggestions.counts(),
                known={},
                page=1,
                pages_total=max(1, -(-total // PER_PAGE)),
                curator=is_curator(),
                categories=CATEGORIES,
                form=request.form,
                problems=problems,
                accept_file=svc.accept_file,
            ),
            422,
        )
    suggestion = create_suggestion_from(body)
    flash(f"Proposal {suggestion.id} stored; a curator will review it.", "ok")
    back = request.form.get("entry_id")
    if body["kind"] == "rendering" and back:
        return redirect(url_for("pages.term", entry_id=back), code=303)
    return redirect(url_for("pages.queue"), code=303)


@pages.post("/suggestions/<int:suggestion_id>/<any(accept, reject):action>")
def curate(suggestion_id: int, action: str):
    """Accept or reject from the queue page (curator only)."""
    if not is_curator() and not token_matches(services().curator_token, request.form.get("token")):
        raise ApiError(401, "unauthorized", "Sign in with the curator token first.")
    options: dict[str, Any] = {}
    for key in ("reason", "file", "id", "status", "as", "source", "source_url"):
        value = request.form.get(key, "").strip()
        if value:
            options[key] = value
    schema = "RejectOptions" if action == "reject" else "AcceptOptions"
    if action == "reject":
        options = {"reason": options.get("reason", "")}
    else:
        options.pop("reason", None)
    problems = describe_errors(schema, options)
    if problems:
        flash(f"Proposal {suggestion_id} not {action}ed: " + "; ".join(problems), "error")
        return redirect(url_for("pages.queue"), code=303)
    try:
        outcome = decide(suggestion_id, action, options)
    except ApiError as exc:
        flash(f"Proposal {suggestion_id} not {action}ed: {exc.message}", "error")
        for detail in exc.details[:10]:
            flash(str(detail), "error")
        return redirect(url_for("pages.queue"), code=303)
    if action == "accept":
        flash(
            f"Proposal {suggestion_id} accepted as {outcome['entry']['id']} in {outcome['file']}.",
            "ok",
        )
    else:
        flash(f"Proposal {suggestion_id} rejected.", "ok")
    return redirect(url_for("pages.queue"), code=303)


@pages.post("/curator/sign-in")
def sign_in():
    """Check the curator token and start a server-side session for this browser."""
    token = request.form.get("token", "")
    if not token_matches(services().curator_token, token):
        flash("That is not the curator token.", "error")
        return redirect(url_for("pages.queue"), code=303)
    response = redirect(url_for("pages.queue"), code=303)
    response.set_cookie(
        CURATOR_COOKIE,
        services().sessions.create(),
        max_age=int(services().sessions.lifetime.total_seconds()),
        httponly=True,
        samesite="Strict",
        secure=request.is_secure,
    )
    rotate_csrf_token()
    flash("Curator token accepted: accept and reject buttons are shown below.", "ok")
    return response


@pages.post("/curator/sign-out")
def sign_out():
    """End the curator session on the server, then forget the cookie."""
    services().sessions.end(request.cookies.get(CURATOR_COOKIE))
    response = redirect(url_for("pages.queue"), code=303)
    response.delete_cookie(CURATOR_COOKIE)
    rotate_csrf_token()
    flash("Signed out.", "ok")
    return response


@pages.post("/glossary/confirm")
def confirm_reload():
    """Apply a held glossary edit that removes many entries (curator only)."""
    if not is_curator():
        raise ApiError(401, "unauthorized", "Sign in with the curator token first.")
    version = request.form.get("version", "").strip()
    try:
        loaded = services().glossary.confirm(version)
    except ReloadNotHeldError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Glossary version {loaded.version} applied: {len(loaded.index)} entries.", "ok")
    return redirect(url_for("pages.search"), code=303)


# -- corpus --------------------------------------------------------------------------


@pages.get("/corpus")
def corpus():
    """Documents, sentences, annotation progress and QA findings, as far as they exist."""
    svc = services()
    loaded = svc.glossary.current()
    index = svc.corpus.index(loaded)
    progress = svc.corpus.progress()
    qa = svc.corpus.qa_findings()
    qa_counts: Counter = Counter()
    qa_by_check: Counter = Counter()
    links = svc.corpus.finding_links(qa[0], qa[1][:200]) if qa else {}
    if qa:
        for finding in qa[1]:
            qa_counts[str(finding.get("severity", "unknown"))] += 1
            qa_by_check[str(finding.get("check", "unknown"))] += 1
    return render_template(
        "corpus.html",
        curator=is_curator(),
        index=index,
        progress=progress,
        qa=qa,
        qa_counts=qa_counts,
        qa_by_check=qa_by_check,
        links=links,
        corpus_path=svc.corpus.corpus_path,
        corpus_error=svc.corpus.corpus_error,
    )


@pages.post("/findings/rendering")
def accept_finding_rendering():
    """Turn what a translator wrote for a term into an accepted alternative, in one step.

    The rendering goes through the proposal queue like any other (so the decision is
    recorded and validated the same way); a signed-in curator's proposal is accepted at
    once as an alternative, anyone else's waits in the queue.
    """
    body = {
        "kind": "rendering",
        "entry_id": request.form.get("entry_id", "").strip(),
        "en": " ".join(request.form.get("en", "").split()),
        "comment": "from a QA missing-term finding",
    }
    sentence_id = request.form.get("sentence_id", "").strip()
    if sentence_id:
        body["sentence_id"] = sentence_id[:200]
    back = redirect(url_for("pages.corpus", _anchor="findings"), code=303)
    problems = describe_errors("RenderingProposal", body)
    if problems:
        flash("The rendering was not stored: " + "; ".join(problems), "error")
        return back
    try:
        suggestion = create_suggestion_from(body)
    except ApiError as exc:
        flash(f"The rendering was not stored: {exc.message}", "error")
        return back
    if not is_curator():
        flash(f"Proposal {suggestion.id} stored; a curator will review it.", "ok")
        return back
    try:
        outcome = decide(suggestion.id, "accept", {"as": "alternative"})
    except ApiError as exc:
        flash(f"Proposal {suggestion.id} stored but not accepted: {exc.message}", "error")
        return back
    flash(
        f"{body['en']!r} is now an accepted alternative of {outcome['entry']['id']} "
        f"(proposal {suggestion.id}, {outcome['file']}).",
        "ok",
    )
    return back
