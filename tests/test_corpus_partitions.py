"""The partitioned corpus store: order kept across partitions, version 1 corpora still read."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.corpus import (
    corpus_partitions,
    map_partitions,
    read_documents,
    read_manifest,
    read_partition_documents,
    read_sentences,
    write_corpus,
)
from workbench.fileio import write_jsonl
from workbench.models import Document, Sentence


def make_items(sizes: list[int]) -> list[tuple[Document, list[Sentence]]]:
    """Documents d0, d1, … with ``sizes[i]`` one-character sentences each."""
    items = []
    for number, size in enumerate(sizes):
        doc_id = f"d{number}"
        original = "句" * size
        document = Document(doc_id, f"{doc_id}.txt", "0" * 64, "utf-8", original)
        sentences = [
            Sentence(f"{doc_id}:{i}", doc_id, 0, i, "句", "句", i, i + 1) for i in range(size)
        ]
        items.append((document, sentences))
    return items


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=4), max_size=12),
    per_partition=st.integers(min_value=1, max_value=5),
)
def test_any_partition_size_reads_back_the_same_corpus(tmp_path_factory, sizes, per_partition):
    path = tmp_path_factory.mktemp("corpus") / "corpus"
    items = make_items(sizes)
    manifest = write_corpus(path, items, {"note": "kept"}, partition_documents=per_partition)
    assert [d.id for d in read_documents(path)] == [d.id for d, _ in items]
    assert [s.id for s in read_sentences(path)] == [s.id for _, ss in items for s in ss]
    assert manifest["documents"] == len(items) and manifest["note"] == "kept"
    assert len(corpus_partitions(path)) == max(1, -(-len(items) // per_partition))
    assert read_manifest(path) == manifest


def test_a_callers_manifest_keys_cannot_override_the_partition_list(tmp_path):
    path = tmp_path / "corpus"
    first = write_corpus(path, make_items([1, 2]), partition_documents=1)
    # glossary tag and resegment pass the old manifest back as extra keys
    again = write_corpus(path, make_items([1, 2]), dict(first), partition_documents=2)
    assert [p["name"] for p in again["partitions"]] == ["part-00000"]
    assert again["documents"] == 2


def test_a_version_1_single_file_corpus_is_still_read(tmp_path):
    path = tmp_path / "corpus"
    path.mkdir()
    items = make_items([2, 1])
    with open(path / "documents.jsonl", "w", encoding="utf-8") as handle:
        write_jsonl(handle, (d.to_dict() for d, _ in items))
    with open(path / "sentences.jsonl", "w", encoding="utf-8") as handle:
        write_jsonl(handle, (s.to_dict() for _, ss in items for s in ss))
    manifest = {"format": "workbench-corpus", "version": 1, "documents": 2, "sentences": 3}
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert corpus_partitions(path) == [path]
    assert [d.id for d in read_documents(path)] == ["d0", "d1"]
    assert [s.id for s in read_sentences(path)] == ["d0:0", "d0:1", "d1:0"]


def count_documents(partition: Path) -> int:
    return sum(1 for _ in read_partition_documents(partition))


def test_map_partitions_returns_results_in_corpus_order(tmp_path):
    path = tmp_path / "corpus"
    write_corpus(path, make_items([1] * 7), partition_documents=3)
    assert map_partitions(path, count_documents) == [3, 3, 1]

    def listing_mapper(function, items):
        return [function(item) for item in items]

    assert map_partitions(path, count_documents, listing_mapper) == [3, 3, 1]
