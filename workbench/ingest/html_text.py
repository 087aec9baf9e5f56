"""Extract the readable text of an HTML page as lines, one per block.

For an HTML input, ``Document.original`` is the text extracted here (not the markup):
offsets into markup would point at tags and entities nobody translates. The extraction is
deterministic, so re-ingesting the same page gives the same original and the same ids.
Scripts, styles, navigation and forms are dropped; block elements (p, div, li, h1–h6,
tr, td, br…) become line breaks, so the page's paragraphs become the corpus's paragraphs and
the same cleaning rules apply as for plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from workbench.errors import InputError

DROP_TAGS = ("script", "style", "noscript", "nav", "form", "iframe", "svg", "template")
BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "dl",
        "figcaption",
        "title",
        "address",
        "center",
        "main",
        "hr",
    ]
)
_HTML_SPACE = re.compile(r"[ \t\r\n\f]+")  # HTML collapses these; other spaces (nbsp) stay
_BLANK_LINES = re.compile(r"\n[^\S\n]*(?:\n[^\S\n]*)+")
_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


@dataclass(frozen=True, slots=True)
class HtmlText:
    """The text of a page (lines are blocks) and its <title>, if any."""

    text: str
    title: str | None


def looks_like_html(text: str) -> bool:
    """True for a document that starts like an HTML page."""
    return bool(_HTML_START.match(text[:2048]))


def html_to_text(markup: str, drop_tags: tuple[str, ...] = DROP_TAGS) -> HtmlText:
    """Return the block-structured text of an HTML page."""
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"HTML could not be parsed ({exc}); save the page as text") from None
    title_el = root.find(".//title")
    title = " ".join(title_el.text_content().split()) if title_el is not None else None
    for element in root.xpath("|".join(f"//{tag}" for tag in drop_tags) + "|//head"):
        element.drop_tree()
    for comment in root.xpath("//comment()"):
        comment.drop_tree()

    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        block = tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        if tag == "br":
            parts.append("\n")
        if element.text:
            parts.append(_HTML_SPACE.sub(" ", element.text))
        for child in element:
            walk(child)
            if child.tail:
                parts.append(_HTML_SPACE.sub(" ", child.tail))
        if block:
            parts.append("\n")

    body = root.find("body")
    walk(body if body is not None else root)
    text = "".join(parts).replace("\r\n", "\n").replace("\r", "\n")
    text = _BLANK_LINES.sub("\n\n", text).strip("\n") + "\n"
    return HtmlText(text=text, title=title or None)
