"""Align whole documents: read both sides from files, align, attach provenance.

Used by ``workbench align`` (print beads) and ``workbench import-bilingual`` (store them).
A document pair is either two files, ``NAME.zh.txt`` + ``NAME.en.txt`` (or ``.html``),
or one page that alternates zh and en paragraphs (``--interleaved``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.align.aligner import Aligner, Bead
from workbench.align.sentences import (
    SideText,
    read_bytes_of,
    read_en,
    read_zh,
    split_en_text,
    split_interleaved,
)
from workbench.errors import InputError
from workbench.ingest.pipeline import HTML_SUFFIXES, TEXT_SUFFIXES, Ingester

_ZH_NAME = re.compile(r"^(?P<stem>.+)\.(?:zh|zh-cn|zh_cn|cn|chs)$", re.IGNORECASE)


@dataclass
class AlignedDocument:
    """The beads of one document pair, with what is known about where it came from."""

    doc_id: str
    beads: list[Bead]
    zh_sentences: int
    en_sentences: int
    source_files: list[str]
    metadata: dict[str, Any] = field(default_factory=dict)


def read_pair(zh_path: Path, en_path: Path, ingester: Ingester) -> tuple[SideText, SideText]:
    """Read and split the two files of a document pair."""
    zh = read_zh(read_bytes_of(zh_path), str(zh_path), ingester)
    en = read_en(read_bytes_of(en_path), str(en_path))
    return zh, en


def read_interleaved(path: Path, ingester: Ingester) -> tuple[SideText, SideText]:
    """Read one interleaved page and split it into its two sides."""
    zh_text, en_text = split_interleaved(read_bytes_of(path), str(path))
    zh = read_zh(zh_text.encode("utf-8"), f"{path}#zh", ingester)
    return zh, split_en_text(en_text)


def align_sides(
    aligner: Aligner, zh: SideText, en: SideText, doc_id: str, files: list[str]
) -> AlignedDocument:
    """Align two read sides into an ``AlignedDocument``; an empty side is an InputError."""
    for side, name in ((zh, "Chinese"), (en, "English")):
        if not side.sentences:
            raise InputError(f"{', '.join(files)}: no {name} sentences found; nothing to align")
    beads = aligner.align(zh.sentences, en.sentences)
    return AlignedDocument(
        doc_id, beads, len(zh.sentences), len(en.sentences), files, dict(zh.metadata)
    )


def _is_document(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES and not path.name.startswith(".")


def find_document_pairs(paths: list[Path]) -> list[tuple[str, Path, Path]]:
    """Find ``(doc id, zh file, en file)`` for ``NAME.zh.*`` files and their ``NAME.en.*``.

    Folders are searched recursively. A zh file without an English partner is an
    InputError naming the file expected, so no document is skipped silently.
    """
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and _is_document(p)))
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    pairs = []
    for path in files:
        match = _ZH_NAME.match(path.stem)
        if not match:
            continue
        stem = match.group("stem")
        partners = [
            path.with_name(f"{stem}.{tag}{suffix}")
            for tag in ("en", "EN")
            for suffix in (*TEXT_SUFFIXES, *HTML_SUFFIXES)
        ]
        found = next((p for p in partners if p.is_file()), None)
        if found is None:
            raise InputError(
                f"{path}: no English partner {stem}.en{path.suffix} beside it; "
                "name the two sides NAME.zh.txt and NAME.en.txt"
            )
        pairs.append((stem, path, found))
    if not pairs:
        raise InputError(
            "no NAME.zh.txt / NAME.en.txt document pairs found in "
            + ", ".join(str(p) for p in paths)
            + "; use --interleaved for pages that alternate languages"
        )
    return pairs
