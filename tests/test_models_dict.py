"""Records turn into the same dicts, key order included, as ``dataclasses.asdict`` gives."""

from __future__ import annotations

from dataclasses import asdict

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.models import Sentence, TermMatch

words = st.text(max_size=8)
matches = st.builds(TermMatch, st.integers(0, 50), st.integers(0, 50), words, words, words, words)
sentences = st.builds(
    Sentence,
    id=words,
    doc_id=words,
    paragraph=st.integers(0, 9),
    index=st.integers(0, 9),
    text=words,
    source_text=words,
    start=st.integers(0, 99),
    end=st.integers(0, 99),
    speaker=st.none() | words,
    kind=st.sampled_from(["body", "heading", "item"]),
    label=st.none() | words,
    offsets=st.none() | st.lists(st.integers(0, 99), max_size=5),
    terms=st.lists(matches, max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(sentence=sentences)
def test_sentence_to_dict_is_asdict_in_field_order(sentence):
    data = sentence.to_dict()
    expected = asdict(sentence)
    assert list(data) == list(expected)
    assert data == expected
    assert Sentence.from_dict(data) == sentence
    if sentence.offsets is not None:  # a copy, as asdict makes: the record is not shared
        assert data["offsets"] is not sentence.offsets


@settings(max_examples=100, deadline=None)
@given(match=matches)
def test_term_match_to_dict_is_asdict_in_field_order(match):
    assert list(match.to_dict().items()) == list(asdict(match).items())
