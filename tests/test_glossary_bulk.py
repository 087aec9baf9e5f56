"""The bulk matcher returns, for a batch of texts, exactly what ``find`` returns per text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.glossary import Entry, Matcher, load_glossary
from workbench.glossary.matcher import BulkMatches

ROOT = Path(__file__).parent.parent
QUOTES = Matcher(
    [
        Entry(id="lh", zh="两会", en="two sessions", zh_variants=["省两会", "全国两会"]),
        Entry(id="fb", zh="新闻发布会", en="press conference"),
        Entry(id="jz", zh="精准扶贫", en="targeted poverty alleviation"),
        Entry(id="lb", zh="两不愁、三保障", en="two assurances and three guarantees"),
    ]
)


def rows_per_text(matcher: Matcher, texts: list[str]) -> list[tuple[int, int, int, str]]:
    """The reference: ``find`` on each text, as (text, start, end, entry id) rows."""
    return [
        (number, m.start, m.end, m.entry_id)
        for number, text in enumerate(texts)
        for m in matcher.find(text)
    ]


def bulk_rows(matcher: Matcher, texts: list[str]) -> list[tuple[int, int, int, str]]:
    found = matcher.find_bulk(texts)
    assert all(column.dtype == np.int64 for column in (found.text, found.start, found.end))
    return [
        (t, a, b, matcher.entries[e].id)
        for t, a, b, e in zip(
            found.text.tolist(),
            found.start.tolist(),
            found.end.tolist(),
            found.entry.tolist(),
            strict=True,
        )
    ]


# Texts made of pieces of terms, some put between quotation marks (balanced, lopsided,
# straight), with spaces, Traditional forms, list separators and the characters a bulk
# scan may join texts with: terms then straddle quotation marks, the case that needs
# balancing (推进“精准”扶贫) or a second search (省“两会代表”).
FRAGMENTS = [
    "精准",
    "準",
    "扶贫",
    "貧",
    "两会",
    "兩會",
    "省",
    "新闻",
    "发布会",
    "两不愁",
    "三保障",
    "代表",
]
MARKS = [*'“”‘’「」"、，, \u3000\n\x00']
PAIRS = ["“”", "‘’", "「」", '""', "“", "”"]
piece = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.sampled_from(MARKS),
    st.builds(
        lambda pair, word: pair[0] + word + pair[-1],
        st.sampled_from(PAIRS),
        st.sampled_from(FRAGMENTS),
    ),
)
texts_of_pieces = st.lists(st.lists(piece, max_size=10).map("".join), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(texts=texts_of_pieces)
def test_bulk_rows_equal_find_per_text(texts):
    assert bulk_rows(QUOTES, texts) == rows_per_text(QUOTES, texts)


@settings(max_examples=40, deadline=None)
@given(texts=texts_of_pieces, repeat=st.integers(20, 60))
def test_bulk_rows_equal_find_per_text_for_long_batches(texts, repeat):
    # Past 2,048 characters the joined batch is folded by the NumPy path.
    batch = texts * repeat
    assert bulk_rows(QUOTES, batch) == rows_per_text(QUOTES, batch)


@settings(max_examples=150, deadline=None)
@given(
    terms=st.lists(
        st.text("甲乙丙丁", min_size=1, max_size=4), min_size=1, max_size=8, unique=True
    ),
    texts=st.lists(st.text("甲乙丙丁子“” ", max_size=20), max_size=10),
)
def test_bulk_agrees_with_find_on_arbitrary_glossaries(terms, texts):
    matcher = Matcher([Entry(id=f"e{i}", zh=t, en=f"en{i}") for i, t in enumerate(terms)])
    assert bulk_rows(matcher, texts) == rows_per_text(matcher, texts)


def test_term_matches_are_the_objects_find_returns():
    glossary = load_glossary(ROOT / "glossary")
    matcher = glossary.matcher()
    texts = [
        line
        for path in sorted((ROOT / "seeds").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    texts += ["实现“两不愁，三保障”", "", "省“两会代表”"]
    bulk = matcher.find_bulk(texts)
    assert len(bulk) > 100
    assert matcher.term_matches(texts, bulk) == [matcher.find(text) for text in texts]
    assert bulk.counts(len(texts)).tolist() == [len(matcher.find(t)) for t in texts]


def test_a_match_never_crosses_from_one_text_into_the_next():
    # 精准 | 扶贫 joined would read 精准扶贫 if the texts were simply concatenated.
    assert bulk_rows(QUOTES, ["坚持精准", "扶贫方略"]) == []
    assert bulk_rows(QUOTES, ["精准扶贫"] * 3) == [(i, 0, 4, "jz") for i in range(3)]


def test_keys_holding_every_separator_fall_back_to_find_per_text():
    odd = Matcher(
        [
            Entry(id="a", zh="扶\n贫\x00", en="a"),
            Entry(id="b", zh="扶\x1f贫\uffff", en="b"),
            Entry(id="c", zh="扶贫", en="c"),
        ]
    )
    texts = ["扶贫和扶\n贫\x00", "扶\x1f贫\uffff", "扶贫"]
    assert bulk_rows(odd, texts) == rows_per_text(odd, texts)
    assert len(bulk_rows(odd, texts)) == 4
    assert odd._separator is None  # the fallback was taken


def test_empty_batches_and_empty_glossaries_give_no_rows():
    assert len(QUOTES.find_bulk([])) == 0
    assert len(QUOTES.find_bulk(["", "no terms here"])) == 0
    assert len(Matcher([]).find_bulk(["精准扶贫"])) == 0
    assert BulkMatches.empty().counts(3).tolist() == [0, 0, 0]


def test_tagging_the_seed_corpus_in_batches_gives_finds_terms(tmp_path, monkeypatch):
    from workbench.config import load_config
    from workbench.corpus import corpus_dir, read_sentences
    from workbench.glossary import tag
    from workbench.ingest.pipeline import ingest_paths

    config = load_config(ROOT, overrides={"paths": {"work_dir": str(tmp_path)}}, environ={})
    ingest_paths([ROOT / "seeds"], config)
    monkeypatch.setattr(tag, "_BATCH", 97)  # many batches, some documents split across two
    glossary = load_glossary(ROOT / "glossary")
    summary = tag.tag_corpus(config, glossary)
    sentences = list(read_sentences(corpus_dir(tmp_path)))
    assert summary["sentences"] == len(sentences) > 97 * 3
    matcher = glossary.matcher()
    assert [s.terms for s in sentences] == [matcher.find(s.text) for s in sentences]
    assert summary["matches"] == sum(len(s.terms) for s in sentences) > 100


@settings(max_examples=100, deadline=None)
@given(texts=texts_of_pieces, group=st.integers(1, 5))
def test_scanning_in_groups_gives_the_same_rows(texts, group):
    from workbench.glossary import matcher as matcher_module

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matcher_module, "_BULK_GROUP", group)
        assert bulk_rows(QUOTES, texts) == rows_per_text(QUOTES, texts)
