"""Read the two sides of a bilingual document into sentences.

The zh side goes through the same ingest as the corpus (decoding, HTML extraction,
boilerplate removal, OpenCC normalisation, our segmenter), so an aligned sentence is
exactly the sentence an annotator would see. The en side is decoded and extracted the same
way, then each paragraph is split by ``sentencex``: Wikimedia's maintained rule-based
splitter (≈300 languages, abbreviation lists such as "No. 1", "U.S.", "e.g."; pure Python
and about 10× faster than pySBD). NLTK's punkt would need a data download and blingfire
cuts after "Dr." and misses breaks after quotes, so neither was chosen.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import InputError
from workbench.ingest.decode import decode_bytes
from workbench.ingest.html_text import html_to_text, looks_like_html
from workbench.ingest.pipeline import HTML_SUFFIXES, Ingester
from workbench.text.scripts import HAN

_HAN = re.compile(f"[{HAN}]")
_LATIN = re.compile(r"[A-Za-z]")
_SPACES = re.compile(r"\s+")
# Numbering at the start of an English paragraph ("II. ", "3. ", "(4) ", "a) "): ingest
# moves the zh numbering (二、 （四）) out of the sentence into its label, so the en side
# drops it too, or a pair would carry a label on one side only.
_EN_LABEL = re.compile(
    r"^\s*(?:\(?(?:[IVXLC]{1,6}|\d{1,3}|[a-z])\)|(?:[IVXLC]{1,6}|\d{1,3})\.)\s+(?=\S)"
)


@dataclass
class SideText:
    """The sentences of one side, each with the index of its paragraph, and metadata."""

    sentences: list[str]
    paragraphs: list[int]
    metadata: dict[str, Any] = field(default_factory=dict)


def read_bytes_of(path: Path) -> bytes:
    """Read a file for alignment; a missing or unreadable one is an InputError."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give a text or HTML file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None


def decode_text(data: bytes, name: str) -> str:
    """Decode bytes as ingest does and extract the text of an HTML page."""
    text = decode_bytes(data, name).text
    if name.lower().endswith(HTML_SUFFIXES) or looks_like_html(text):
        text = html_to_text(text).text
    return text


def read_zh(data: bytes, name: str, ingester: Ingester, doc_id: str = "zh") -> SideText:
    """Clean and segment the zh side exactly as ``workbench ingest`` does."""
    document, sentences = ingester.read_bytes(data, name, doc_id)
    metadata = {
        key: value
        for key, value in (
            ("title", document.title),
            ("published", document.published),
            ("source", document.source),
            *document.metadata.items(),
        )
        if value
    }
    return SideText([s.text for s in sentences], [s.paragraph for s in sentences], metadata)


def split_english(paragraph: str) -> list[str]:
    """Split one English paragraph into sentences (whitespace folded, empties dropped)."""
    from sentencex import segment

    text = _SPACES.sub(" ", unicodedata.normalize("NFC", paragraph)).strip()
    text = _EN_LABEL.sub("", text, count=1)
    if not text:
        return []
    return [s.strip() for s in segment("en", text) if s.strip()]


def read_en(data: bytes, name: str) -> SideText:
    """Decode the en side and split every non-empty line (paragraph) into sentences."""
    text = decode_text(data, name)
    return split_en_text(text)


def split_en_text(text: str) -> SideText:
    """Split English text, one paragraph per line, into sentences."""
    sentences: list[str] = []
    paragraphs: list[int] = []
    paragraph = 0
    for line in text.splitlines():
        found = split_english(line)
        if found:
            sentences.extend(found)
            paragraphs.extend([paragraph] * len(found))
            paragraph += 1
    return SideText(sentences, paragraphs)


def line_language(line: str) -> str | None:
    """``zh`` when Han characters dominate the letters of a line, ``en`` when Latin
    letters do, ``None`` for lines with neither (numbers, rules, punctuation)."""
    han = len(_HAN.findall(line))
    latin = len(_LATIN.findall(line))
    if han == 0 and latin == 0:
        return None
    # A Han character carries about as much text as a 3-letter English word.
    return "zh" if han * 3 >= latin else "en"


def split_interleaved(data: bytes, name: str) -> tuple[str, str]:
    """Separate a page that alternates zh and en paragraphs into the two texts."""
    text = decode_text(data, name)
    zh_lines: list[str] = []
    en_lines: list[str] = []
    for line in text.splitlines():
        language = line_language(line)
        if language == "zh":
            zh_lines.append(line)
        elif language == "en":
            en_lines.append(line)
    if not zh_lines or not en_lines:
        missing = "Chinese" if not zh_lines else "English"
        raise InputError(
            f"{name}: no {missing} paragraphs found; --interleaved needs a page that "
            "alternates Chinese and English paragraphs"
        )
    return "\n".join(zh_lines) + "\n", "\n".join(en_lines) + "\n"
