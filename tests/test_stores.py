"""Corpus and snapshot folders: round trips, versions, latest selection, clear errors."""

import json
from pathlib import Path

import pytest

from workbench.corpus import read_documents, read_manifest, read_sentences, write_corpus
from workbench.errors import InputError
from workbench.models import Document, Sentence, SnapshotTask, TermMatch
from workbench.snapshot import (
    list_snapshots,
    read_snapshot,
    read_snapshot_manifest,
    resolve_snapshot,
    write_snapshot,
)


def make_document() -> tuple[Document, list[Sentence]]:
    original = "杨春霆:\n  实现“两不愁、三保障”。贫困发生率降至3.34%。"
    doc = Document(
        id="d1",
        source_path="seeds/d1.txt",
        sha256="0" * 64,
        encoding="utf-8",
        original=original,
        title="标题",
    )
    first = original.index("实现")
    mid = original.index("贫困")
    sentences = [
        Sentence(
            id="d1-a",
            doc_id="d1",
            paragraph=0,
            index=0,
            text=original[first:mid],
            source_text=original[first:mid],
            start=first,
            end=mid,
            speaker="杨春霆",
            terms=[
                TermMatch(
                    3,
                    10,
                    "两不愁、三保障",
                    "pov-001",
                    "两不愁三保障",
                    "two assurances and three guarantees",
                )
            ],
        ),
        Sentence(
            id="d1-b",
            doc_id="d1",
            paragraph=0,
            index=1,
            text=original[mid:],
            source_text=original[mid:],
            start=mid,
            end=len(original),
            speaker="杨春霆",
        ),
    ]
    return doc, sentences


def test_corpus_round_trip_keeps_every_field(tmp_path: Path) -> None:
    doc, sentences = make_document()
    manifest = write_corpus(tmp_path / "corpus", [(doc, sentences)], {"glossary_version": "v1"})
    assert manifest["documents"] == 1 and manifest["sentences"] == 2
    assert manifest["glossary_version"] == "v1"
    assert list(read_documents(tmp_path / "corpus")) == [doc]
    again = list(read_sentences(tmp_path / "corpus"))
    assert again == sentences
    for sentence in again:
        assert doc.original[sentence.start : sentence.end] == sentence.source_text


def test_missing_or_foreign_corpus_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="workbench ingest"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"format": "other"}), encoding="utf-8")
    with pytest.raises(InputError, match="re-run ingest"):
        list(read_sentences(tmp_path))


def test_snapshots_are_kept_separately_and_latest_wins(tmp_path: Path) -> None:
    task = {"task_id": 1, "sentence_id": "s", "text": "文本", "annotations": [{"id": 9}]}
    first = write_snapshot(tmp_path, [task], {"project_id": 3}, name="20260101T000000Z")
    second = write_snapshot(tmp_path, [task, task], {"project_id": 3}, name="20260101T000000Z")
    assert first != second  # same second: never overwritten
    assert list_snapshots(tmp_path) == [first, second]
    assert resolve_snapshot(tmp_path) == second
    assert resolve_snapshot(tmp_path, first.name) == first
    manifest = read_snapshot_manifest(second)
    assert (manifest["tasks"], manifest["annotations"]) == (2, 2)
    assert list(read_snapshot(first)) == [SnapshotTask.from_dict(task)]


def test_no_snapshot_says_to_pull(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="workbench pull"):
        resolve_snapshot(tmp_path)
    with pytest.raises(InputError, match="no snapshot 'nope'"):
        resolve_snapshot(tmp_path, "nope")
