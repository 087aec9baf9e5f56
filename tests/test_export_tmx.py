"""The TMX writer keeps every field and provenance prop of every pair, whatever the text."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from workbench.export.formats import WriterOptions
from workbench.export.formats.tmx import TmxWriter, tmx_date
from workbench.export.pairs import SentencePair, clean_text

DTD = etree.DTD(str(Path(__file__).parent / "data" / "tmx14.dtd"))
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Markup characters, "%" (the writer formats with %), CJK, astral and combining characters.
TEXT = st.lists(
    st.sampled_from([*"&<>\"'%;#扶贫两会“”‘’a Z0", "&amp;", "%s", "\U00020000", "e\u0301"]),
    max_size=12,
).map("".join)
OPTIONAL = st.none() | TEXT


@st.composite
def pairs(draw: st.DrawFn, number: int) -> SentencePair:
    zh = clean_text(draw(TEXT)) or "扶贫"
    en = clean_text(draw(TEXT)) or "x"
    return SentencePair(
        id=f"{clean_text(draw(TEXT))}-{number}",
        doc_id=clean_text(draw(TEXT)) or "doc",
        zh=zh,
        en=en,
        doc_title=draw(OPTIONAL),
        annotator=draw(OPTIONAL),
        status=draw(st.sampled_from([None, "final", "draft"])),
        updated_at=draw(st.sampled_from([None, "", "2026-01-01T10:00:00Z", "not a date"])),
        origin=draw(st.sampled_from(["annotated", "aligned"])),
        score=draw(st.none() | st.floats(0, 1)),
    )


def batches(most: int = 1200) -> st.SearchStrategy[list[SentencePair]]:
    """Up to ``most`` pairs (the writer flushes every 500), cycling through a few drawn ones."""
    return st.integers(0, most).flatmap(
        lambda n: st.tuples(*(pairs(i) for i in range(min(n, 5)))).map(
            lambda few: [few[i % len(few)] for i in range(n)] if few else []
        )
    )


def props(unit: etree._Element) -> dict[str, str]:
    return {p.get("type"): p.text for p in unit.findall("prop")}


@settings(max_examples=60, deadline=None)
@given(written=batches())
def test_every_pair_reads_back_with_its_provenance(written):
    created = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        writer = TmxWriter(Path(tmp), "train", WriterOptions(created=created))
        for pair in written:
            writer.write(pair)
        files = writer.close()
        document = etree.parse(str(Path(tmp) / "parallel" / "train.tmx"))
    assert DTD.validate(document), DTD.error_log.filter_from_errors()
    assert files[0].records == len(written)
    units = document.getroot().find("body").findall("tu")
    assert len(units) == len(written)
    for unit, pair in zip(units, written, strict=True):
        zh, en = unit.findall("tuv")
        assert (zh.get(XML_LANG), en.get(XML_LANG)) == ("zh-CN", "en")
        assert (zh.findtext("seg"), en.findtext("seg")) == (pair.zh, pair.en)
        assert unit.get("tuid") == pair.id
        assert unit.get("creationid") == (pair.annotator or None)
        assert unit.get("creationdate") == tmx_date(pair.updated_at, "20260304T050607Z")
        expected = {
            "x-sentence-id": pair.id,
            "x-doc-id": pair.doc_id,
            "x-document": pair.doc_title,
            "x-annotator": pair.annotator,
            "x-status": pair.status,
            "x-origin": pair.origin,
            "x-score": None if pair.score is None else f"{pair.score:.4f}",
        }
        assert props(unit) == {
            k: v for k, v in expected.items() if v or (k == "x-score" and v is not None)
        }
