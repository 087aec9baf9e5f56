"""Concordance of the translation memory: ``GET /api/tm?q=`` and the ``/tm`` page.

A translator checking how a phrase has been translated before searches the TM by Chinese
(either script) or English and sees every bilingual example with the phrase marked on
both sides (see ``workbench.tm.concordance``). The TM is opened per request and only read:
a missing TM answers an empty page, it is not created.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from workbench.tm.concordance import is_chinese, search
from workbench.tm.store import TranslationMemory, tm_path
from workbench.web.errors import ApiError
from workbench.web.requests import int_arg
from workbench.web.services import services

concordance = Blueprint("concordance", __name__)

PAGE_SIZE = 20


def _query() -> str:
    query = request.args.get("q", "")
    if len(query) > 200:
        raise ApiError(400, "bad_parameter", "q is longer than 200 characters; shorten it")
    if any(0xD800 <= ord(c) <= 0xDFFF for c in query):
        raise ApiError(400, "bad_parameter", "q holds an unpaired surrogate; send valid text")
    return query.strip()


def _other_side(query: str) -> list[str]:
    """Glossary renderings (zh query) or forms (en query) to mark on the other side."""
    glossary = services().glossary.current().glossary
    if is_chinese(query):
        entry = glossary.by_zh(query)
        return [entry.en, *entry.en_alternatives] if entry else []
    wanted = query.casefold()
    forms: list[str] = []
    for entry in glossary:
        if wanted in {e.casefold() for e in [entry.en, *entry.en_alternatives]}:
            forms += entry.zh_forms
    return forms


def lookup_page(query: str, limit: int, offset: int) -> dict[str, Any]:
    """One page of concordance lines as the API answers it."""
    path = tm_path(services().config)
    page: dict[str, Any] = {
        "query": query,
        "side": "zh" if is_chinese(query) else "en",
        "total": 0,
        "limit": limit,
        "offset": offset,
        "items": [],
    }
    if not query or not path.exists():
        return page
    with TranslationMemory(path) as tm:
        total, lines = search(tm, query, limit, offset, _other_side(query))
    page["total"] = total
    page["items"] = [line.to_dict() for line in lines]
    return page


@concordance.get("/api/tm")
def api_tm():
    """Concordance: TM pairs whose Chinese or English contains ``q``, marked spans."""
    query = _query()
    return lookup_page(
        query, int_arg("limit", PAGE_SIZE, 1, 100), int_arg("offset", 0, 0, 1_000_000)
    )


def split(text: str, spans: list[list[int]]) -> list[tuple[str, bool]]:
    """Cut a text into (part, marked) pieces for the template."""
    parts, at = [], 0
    for start, end in spans:
        if start > at:
            parts.append((text[at:start], False))
        parts.append((text[start:end], True))
        at = end
    if at < len(text):
        parts.append((text[at:], False))
    return parts


@concordance.get("/tm")
def tm_page():
    """The concordance page: bilingual examples with the phrase highlighted."""
    query = _query()
    try:
        number = max(1, min(int(request.args.get("page", "1")), 100_000))
    except ValueError:
        number = 1
    page = lookup_page(query, PAGE_SIZE, (number - 1) * PAGE_SIZE)
    lines = [
        {**item, "zh_parts": split(item["zh"], item["zh_spans"]),
         "en_parts": split(item["en"], item["en_spans"])}
        for item in page["items"]
    ]  # fmt: skip
    return render_template(
        "tm.html",
        query=query,
        page=page,
        lines=lines,
        number=number,
        has_tm=tm_path(services().config).exists(),
        more=page["offset"] + len(lines) < page["total"],
    )
