"""Round 6 of the per-core work on ingest (sentences): each shortcut against the path it
replaced, on generated documents."""

from __future__ import annotations

import dataclasses
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.config import load_config
from workbench.ingest.clean import Line, clean_text, split_lines
from workbench.ingest.pipeline import _OCCURRENCES, Ingester, sentence_id
from workbench.ingest.structure import (
    _LABEL,
    LabelCandidate,
    Numbering,
    _is_name,
    _is_role,
    decide_speakers,
    find_label,
    find_numbering,
    numbering_at,
)
from workbench.models import Document, Sentence
from workbench.text.normalize import normalize, normalize_lines

ROOT = Path(__file__).parent.parent

# Every character Python calls whitespace (what the old path's ``isspace`` loop trimmed).
SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]


@pytest.fixture(scope="module")
def ingester() -> Ingester:
    return Ingester(load_config(ROOT, environ={}))


def with_settings(ingester: Ingester, opencc: str) -> Ingester:
    config = ingester.config
    ingest = dataclasses.replace(config.ingest, opencc_config=opencc)
    return Ingester(dataclasses.replace(config, ingest=ingest))


def sentences_as_before(
    ingester: Ingester, document: Document, lines: list[Line], structure: bool
) -> list[dict]:
    """``sentences_of`` as it was before this round, in its plainest form: every sentence's
    source end trimmed of whitespace by looking at it, offsets built and compared, the
    occurrence from ``seen.get``, the id from ``sentence_id``, speakers counted with a
    ``Counter``, labels and numbering made by their named tuples' constructors."""
    original = document.original
    rules = ingester.structure
    normalized = [
        ln.normalized or normalize(original[ln.start : ln.end], ingester.opencc_config)
        for ln in lines
    ]
    labels = [
        None if ln.title or not structure else _label_as_before(n.text, rules)
        for ln, n in zip(lines, normalized, strict=True)
    ]
    candidates = [c for c in labels if c is not None]
    speakers = (
        _speakers_as_before(candidates, "\n".join(n.text for n in normalized), rules)
        if candidates
        else set()
    )
    bodies = []
    speaker = None
    for line, norm, candidate in zip(lines, normalized, labels, strict=True):
        text = norm.text
        body_start = 0
        if candidate is not None and candidate.label in speakers:
            speaker = candidate.label
            body_start = candidate.body_start
            if candidate.own_line:
                continue
        kind, label = "body", None
        if line.title:
            kind = "heading"
        elif structure:
            numbering = _numbering_as_before(text[body_start:], rules)
            if numbering is not None:
                kind, label = numbering.kind, numbering.label
                body_start += numbering.body_start
        bodies.append((line, norm, body_start, kind, label, speaker))
    sentences = []
    seen: dict[str, int] = {}
    paragraph = 0
    for line, norm, body_start, kind, label, speaker in bodies:
        text = norm.text
        spans = ingester.segmenter.split(text[body_start:])
        if not spans:
            continue
        for index, (a, b) in enumerate(spans):
            a += body_start
            b += body_start
            start = line.start + norm.offsets[a]
            end = line.start + (norm.offsets[b] if b < len(text) else line.end - line.start)
            while end > start and original[end - 1].isspace():
                end -= 1
            offsets = [line.start + o - start for o in norm.offsets[a:b]]
            if end - start == b - a and offsets == list(range(b - a)):
                offsets = None
            occurrence = seen.get(text[a:b], 0)
            seen[text[a:b]] = occurrence + 1
            sentences.append(
                Sentence(
                    sentence_id(document.id, text[a:b], occurrence),
                    document.id,
                    paragraph,
                    index,
                    text[a:b],
                    original[start:end],
                    start,
                    end,
                    speaker,
                    kind,
                    label if index == 0 else None,
                    offsets,
                ).to_dict()
            )
        paragraph += 1
    return sentences


def _label_as_before(text: str, rules) -> LabelCandidate | None:
    m = _LABEL.match(text)
    if not m:
        return None
    label = m.group("label")
    if len(label) > rules.max_label_chars or any(ch in rules.forbidden for ch in label):
        return None
    if label.isdigit():
        return None
    return LabelCandidate(label, m.end(), m.end() >= len(text))


def _numbering_as_before(text: str, rules) -> Numbering | None:
    for pattern in rules.numbering:
        m = pattern.match(text)
        if m and m.end() < len(text):
            rest = text[m.end() :].rstrip()
            heading = len(rest) <= rules.heading_max_chars and not any(
                ch in rules.sentence_ends for ch in rest
            )
            return Numbering(m.group().rstrip(), m.end(), "heading" if heading else "item")
    return None


def _speakers_as_before(candidates: list[LabelCandidate], text: str, rules) -> set[str]:
    uses = Counter(c.label for c in candidates)
    own_line = {c.label for c in candidates if c.own_line}
    return {
        label
        for label in uses
        if _is_role(label, rules)
        or (
            _is_name(label, rules)
            and (label in own_line or uses[label] >= 2 or text.count(label) > uses[label])
        )
    }


# Han and Traditional text, speaker labels, numbering, every kind of space (inside, before
# a terminator, at the end of a sentence's source), full-width forms, dots, and one
# sentence repeated often (occurrences past the encoded suffixes).
DOCUMENT_PIECES = [
    *"扶贫發展。，：:！？.()“”ＡＢ１２ab",
    *SPACES,
    "记者：",
    "张树斌：",
    "张树斌",
    "一、",
    "（一）",
    "1.",
    "①",
    "——",
    "第三条",
    "记忆体記憶體",
    "脱贫......",
    "同一句。",
    "同一句。" * 3,
    "\n",
]


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.sampled_from(DOCUMENT_PIECES), min_size=1, max_size=60).map("".join),
    opencc=st.sampled_from(["t2s", "tw2sp", "none"]),
    structure=st.booleans(),
)
def test_sentences_equal_the_ones_built_as_before(ingester, text, opencc, structure):
    here = with_settings(ingester, opencc)
    document = Document(id="d", source_path="d.txt", sha256="", encoding="utf-8", original=text)
    # Without structure, the lines as ``workbench segment --no-structure`` hands them over.
    lines = clean_text(text, here.cleaning, opencc).lines if structure else split_lines(text)
    sentences = here.sentences_of(document, lines, structure=structure)
    assert [s.to_dict() for s in sentences] == sentences_as_before(here, document, lines, structure)


def test_a_sentence_repeated_past_the_encoded_suffixes_keeps_its_ids(ingester):
    text = "同一句。" * (_OCCURRENCES + 5) + "\n另一句。"
    document = Document(id="d", source_path="d.txt", sha256="", encoding="utf-8", original=text)
    lines = clean_text(text, ingester.cleaning, ingester.opencc_config).lines
    sentences = ingester.sentences_of(document, lines)
    ids = [sentence_id("d", "同一句。", k) for k in range(_OCCURRENCES + 5)]
    assert [s.id for s in sentences] == [*ids, sentence_id("d", "另一句。", 0)]
    assert len(set(ids)) == len(ids)


# What the shortcut for one-to-one bodies without an ASCII space rests on.
LINE_PIECES = [*"扶贫發展。，:！.()“ＡＢ１a", *SPACES, "...", "\u200b", "記憶體"]


@settings(max_examples=500, deadline=None)
@given(
    pieces=st.lists(
        st.lists(st.sampled_from(LINE_PIECES), min_size=1, max_size=10).map("".join),
        min_size=1,
        max_size=5,
    ),
    opencc=st.sampled_from(["t2s", "tw2sp", "hk2s", "none"]),
)
def test_a_one_to_one_line_has_whitespace_exactly_where_it_has_an_ascii_space(pieces, opencc):
    # Lines as cleaning hands them over: split at every line break, stripped, not empty.
    lines = [ln.strip() for piece in pieces for ln in piece.splitlines() if ln.strip()]
    if not lines:
        return
    for result in [*normalize_lines(lines, opencc), *(normalize(ln, opencc) for ln in lines)]:
        if type(result.offsets) is range:
            assert [c == " " for c in result.text] == [c.isspace() for c in result.source]


LABEL_PIECES = [*"张覃记者主持人问网友市扶贫办主任：:，。 1", "欧阳", "15:33", "一、", "（二）"]


@settings(max_examples=400, deadline=None)
@given(text=st.lists(st.sampled_from(LABEL_PIECES), min_size=1, max_size=10).map("".join))
def test_labels_and_numbering_are_the_named_tuples_their_constructors_make(ingester, text):
    rules = ingester.structure
    label = find_label(text, rules)
    assert label == _label_as_before(text, rules)
    assert label is None or type(label) is LabelCandidate
    numbering = find_numbering(text, rules)
    assert numbering == _numbering_as_before(text, rules)
    assert numbering is None or type(numbering) is Numbering


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(
        st.lists(st.sampled_from(LABEL_PIECES), min_size=1, max_size=8).map("".join),
        min_size=1,
        max_size=12,
    )
)
def test_speakers_counted_in_a_loop_equal_counting_with_a_counter(ingester, texts):
    rules = ingester.structure
    candidates = [c for t in texts if (c := find_label(t, rules)) is not None]
    document = "\n".join(texts)
    assert decide_speakers(candidates, document, rules) == _speakers_as_before(
        candidates, document, rules
    )


NUMBERED_PIECES = [*"一二、（）1.①—第三条扶贫。：a ", "\u3000", "——", "扶贫" * 25]


@settings(max_examples=500, deadline=None)
@given(text=st.lists(st.sampled_from(NUMBERED_PIECES), min_size=1, max_size=12).map("".join))
def test_numbering_from_the_joined_match_equals_matching_each_pattern(ingester, text):
    """The joined pattern's match stands for the pattern's own: its end, and the later
    patterns tried when it takes the whole text; long rests with and without spaces at
    their end."""
    rules = ingester.structure
    expected = _numbering_as_before(text, rules)
    found = ingester._numbering_filter().match(text)
    if found is None:
        assert expected is None
    elif found.end() < len(text):
        assert numbering_at(text, found.end(), rules) == expected
    assert find_numbering(text, rules) == expected
