"""Round 5 of the per-core work on ingest: each shortcut against the path it replaced."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.config import load_config
from workbench.ingest.clean import Line, clean_text
from workbench.ingest.metadata import _strip_wrapping, parse_metadata_line
from workbench.ingest.pipeline import Ingester, sentence_id
from workbench.ingest.structure import decide_speakers, find_label, find_numbering
from workbench.models import Document, Sentence
from workbench.text.normalize import normalize, normalize_lines

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def ingester() -> Ingester:
    return Ingester(load_config(ROOT, environ={}))


def sentences_as_before(ingester: Ingester, document: Document, lines: list[Line]) -> list:
    """``Ingester.sentences_of`` as it was before this round: every line asked for a
    label, sentences cut from the whole line with the body's offset added, the label
    set per sentence, the id from ``sentence_id``. Returns (removed, sentence dicts)."""
    original = document.original
    removed: list[dict] = []
    normalized = [
        ln.normalized or normalize(original[ln.start : ln.end], ingester.opencc_config)
        for ln in lines
    ]
    labels = [
        None if ln.title else find_label(n.text, ingester.structure)
        for ln, n in zip(lines, normalized, strict=True)
    ]
    candidates = [c for c in labels if c is not None]
    speakers = (
        decide_speakers(candidates, "\n".join(n.text for n in normalized), ingester.structure)
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
            label_end = line.start + (
                norm.offsets[body_start] if body_start < len(text) else line.end - line.start
            )
            removed.append({"start": line.start, "end": label_end, "rule": "speaker-label"})
            if candidate.own_line:
                continue
        kind, label = "body", None
        if line.title:
            kind = "heading"
        else:
            numbering = find_numbering(text[body_start:], ingester.structure)
            if numbering is not None:
                kind, label = numbering.kind, numbering.label
                body_start += numbering.body_start
        bodies.append((line, norm, body_start, kind, label, speaker))
    split = [ingester.segmenter.split(b[1].text[b[2] :]) for b in bodies]
    sentences = []
    seen: dict[str, int] = {}
    paragraph = 0
    for (line, norm, body_start, kind, label, speaker), spans in zip(bodies, split, strict=True):
        if not spans:
            continue
        text = norm.text
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
    return removed, sentences


# Han, Traditional, speaker labels (roles, names, own lines), numbering, colons that are
# not labels, spaces of every kind (sentences whose source ends in them), dots, quotes,
# full-width forms, repeated sentences, phrase conversions that change the length.
DOCUMENT_PIECES = [
    *"扶贫發展。，：:！？ 　\u00a0\t.()“”ＡＢ１２ab",
    "记者：",
    "主持人:",
    "张树斌：",
    "张树斌",
    "市扶贫办主任覃勋:",
    "女士们、先生们:",
    "一、",
    "（一）",
    "1.",
    "①",
    "第三条",
    "15:33",
    "记忆体記憶體",
    "脱贫......",
    "同一句。",
    "\n",
    "\n\n",
]


@settings(max_examples=250, deadline=None)
@given(
    text=st.lists(st.sampled_from(DOCUMENT_PIECES), min_size=1, max_size=60).map("".join),
    opencc=st.sampled_from(["t2s", "tw2sp", "none"]),
)
def test_sentences_equal_the_ones_built_as_before(ingester, text, opencc):
    import dataclasses

    config = ingester.config
    here = Ingester(
        dataclasses.replace(config, ingest=dataclasses.replace(config.ingest, opencc_config=opencc))
    )
    cleaned = clean_text(text, here.cleaning, opencc)
    document = Document(id="d", source_path="d.txt", sha256="", encoding="utf-8", original=text)
    sentences = here.sentences_of(document, cleaned.lines)
    removed, before = sentences_as_before(here, document, cleaned.lines)
    assert [s.to_dict() for s in sentences] == before
    assert [{k: r[k] for k in ("start", "end", "rule")} for r in document.removed] == removed
    if sentences:
        # read_bytes counts paragraphs from the last sentence instead of a set of them all.
        assert sentences[-1].paragraph + 1 == len({s.paragraph for s in sentences})


# Lines with spaces at either edge, runs of spaces, dots, and lines without any.
SPACED_PIECES = [*"扶贫。a.", " ", "  ", "...", "\u3000", "\u00a0"]


@settings(max_examples=500, deadline=None)
@given(
    lines=st.lists(
        st.lists(st.sampled_from(SPACED_PIECES), min_size=1, max_size=8).map("".join),
        min_size=1,
        max_size=5,
    ),
    opencc=st.sampled_from(["t2s", "none"]),
)
def test_length_checks_asked_of_the_whole_text_equal_asking_each_line(lines, opencc):
    together = normalize_lines(lines, opencc)
    alone = [normalize(line, opencc) for line in lines]
    assert [(n.text, list(n.offsets), n.source) for n in together] == [
        (n.text, list(n.offsets), n.source) for n in alone
    ]


# Metadata keys, bullets, brackets, colons of both widths and lines without a colon.
METADATA_PIECES = [*"•【[（(】])） 　来源作者发布时间责任编辑:：扶贫2018-01-30", "文章来源", "简介"]


@settings(max_examples=600, deadline=None)
@given(line=st.lists(st.sampled_from(METADATA_PIECES), max_size=12).map("".join))
def test_a_line_without_a_colon_is_never_metadata(ingester, line):
    rules = ingester.cleaning.metadata
    inner, _offset = _strip_wrapping(line, rules.bullets)
    if rules.key_pattern.match(inner) is not None:  # what the shortcut takes for granted
        assert ":" in line or "：" in line
    if ":" not in line and "：" not in line:
        assert parse_metadata_line(line, rules) is None


@settings(max_examples=400, deadline=None)
@given(label_text=st.lists(st.sampled_from(DOCUMENT_PIECES), max_size=6).map("".join))
def test_a_line_without_a_colon_has_no_speaker_label(ingester, label_text):
    if ":" not in label_text and "：" not in label_text:
        assert find_label(label_text, ingester.structure) is None


# Phrase-only triggers (覆 批覆 答覆 沈 沈浸 藉 藉口 坏 瞭 甦 哩), their phrases, their
# neighbours, characters that always convert.
PHRASE_PIECES = [*"覆盖批答反沈浸阳藉口慰坏人打瞭解甦醒哩扶贫發", "批覆", "答覆", "沈浸", "瞭解"]


@settings(max_examples=600, deadline=None)
@given(
    text=st.lists(st.sampled_from(PHRASE_PIECES), min_size=1, max_size=12).map("".join),
    config=st.sampled_from(["t2s", "tw2sp", "hk2s"]),
)
def test_phrases_grouped_by_offset_find_what_one_test_per_phrase_finds(text, config):
    from workbench.text.normalize import _triggers

    triggers = _triggers(config)
    assert triggers is not None
    for at, char in enumerate(text):
        if char not in triggers.phrases:
            continue
        one_by_one = any(
            offset <= at and text.startswith(phrase, at - offset)
            for offset, group in triggers.phrases[char]
            for phrase in group
        )
        assert triggers.in_phrase(text, at) == one_by_one


def test_phrases_grouped_by_offset_are_the_phrases_of_the_triggers_file():
    import json

    from workbench.text.normalize import _TRIGGERS_FILE, _triggers

    described = json.loads(_TRIGGERS_FILE.read_text(encoding="utf-8"))["configs"]
    for config in ("t2s", "tw2sp", "hk2s"):
        triggers = _triggers(config)
        if triggers is None:  # another OpenCC release: every line is converted
            continue
        for char, keys in described[config]["phrases"].items():
            pairs = sorted(
                (key, offset) for key in keys for offset, c in enumerate(key) if c == char
            )
            grouped = sorted(
                (key, offset) for offset, group in triggers.phrases[char] for key in group
            )
            assert grouped == pairs


# Every line break ``str.splitlines`` knows, \r\n, spaces at line edges, blank lines.
BREAK_PIECES = [*"扶贫a ", "\u3000", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]
BREAK_PIECES += ["\x85", "\u2028", "\u2029", "\n\n", " \n "]


@settings(max_examples=800, deadline=None)
@given(text=st.lists(st.sampled_from(BREAK_PIECES), max_size=30).map("".join))
def test_line_spans_without_the_breaks_equal_line_spans_with_them(text):
    from workbench.ingest.clean import _line_spans

    spans = []
    offset = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            spans.append((offset + lead, offset + lead + len(stripped), stripped))
        offset += len(raw)
    assert _line_spans(text) == spans
    assert all(text[start:end] == stripped for start, end, stripped in spans)


# Labels with and without the characters a speaker label may not hold, long ones, times.
LABEL_PIECES = [*"张树斌记者主持人，。、的了“”《》 ：:15", "市扶贫办主任", "女士们"]


@settings(max_examples=600, deadline=None)
@given(text=st.lists(st.sampled_from(LABEL_PIECES), min_size=1, max_size=14).map("".join))
def test_the_forbidden_characters_set_test_equals_asking_each_character(ingester, text):
    from workbench.ingest.structure import _LABEL, LabelCandidate

    rules = ingester.structure
    expected = None
    m = _LABEL.match(text)
    if m and (":" in text or "：" in text):
        label = m.group("label")
        if not (
            len(label) > rules.max_label_chars
            or any(ch in rules.forbidden for ch in label)
            or label.isdigit()
        ):
            expected = LabelCandidate(label, m.end(), m.end() >= len(text))
    assert find_label(text, rules) == expected
