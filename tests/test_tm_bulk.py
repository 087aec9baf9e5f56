"""The bulk import path: the same store as the object path, and just as safe."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.tm import index as tm_index
from workbench.tm import store
from workbench.tm.formats import WRITERS, read_columns, read_pairs
from workbench.tm.store import PairColumns, TmPair, TranslationMemory

zh_texts = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("，。？！“”、：（）《》ＡＢａ１２\u3000 \t\x00\u0301禮體為着ｶﾞﬁ²½"),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(zh_texts, max_size=12))
def test_normalising_many_zh_texts_equals_normalising_each(texts: list[str]) -> None:
    assert store.normalise_zh_many(texts) == [store.normalise_zh(t) for t in texts]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet=st.characters(max_codepoint=0x7F)), st.text())))
def test_normalising_many_en_texts_and_hashing_them_equals_doing_each(texts: list[str]) -> None:
    en_norm = store.normalise_en_many(texts)
    assert en_norm == [store.normalise_en(t) for t in texts]
    zh = [t[::-1] for t in texts]
    ids = store.pair_ids(store.normalise_zh_many(zh), en_norm)
    assert ids == [store.pair_id(z, e) for z, e in zip(zh, texts, strict=True)]


def test_no_character_above_u3000_is_a_space() -> None:
    """The one-pass zh table collects spaces up to U+3000 only."""
    assert [c for c in range(store._LAST_SPACE + 1, sys.maxunicode + 1) if chr(c).isspace()] == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="一二三四五六ab，。\x01𠀀", max_size=9), min_size=1, max_size=25),
    st.integers(min_value=1, max_value=3),
)
def test_the_postings_equal_a_plain_inverted_index(texts: list[str], step: int) -> None:
    rowids = np.arange(1, len(texts) + 1, dtype=np.int64) * step  # gaps when step > 1
    grams, starts, ids = tm_index.postings_of_rows(rowids, texts)
    expected: dict[int, list[int]] = {}
    for rowid, text in zip(rowids.tolist(), texts, strict=True):
        for gram in sorted(tm_index.query_grams(text)):
            expected.setdefault(gram, []).append(rowid)
    ends = [*starts[1:].tolist(), len(ids)][: len(starts)]
    found = {
        int(gram): ids[start:end].tolist()
        for gram, start, end in zip(grams, starts, ends, strict=True)
    }
    assert found == expected
    assert grams.tolist() == sorted(expected)


# -- the store an import leaves ------------------------------------------------------------

RECORDS: list[dict[str, Any]] = [
    # 20 distinct pairs, each three times
    {"zh": f"第{n % 20}条：坚持精准扶貧，ＡＢ {n % 4}。", "en": f"Article {n % 20}.", "score": 0.5}
    for n in range(60)
] + [
    {"zh": "只有中文。", "en": "", "status": "accepted", "score": 0.5},  # refused
    {"zh": "  ", "en": " ", "status": "needs_review", "score": 0.5},  # refused
    {"zh": "这是一项人间奇迹。", "en": "", "status": "needs_review", "score": 0.5},
    {"zh": "一", "en": "One.", "score": 0.5, "position": 4, "zh_sentences": [1, 2]},
]
PROVENANCE = {"publication": 'Xi\'s "report"', "source_file": "a\nb.tmx", "url": None}


def _as_pairs(records: list[dict[str, Any]], origin: str) -> list[TmPair]:
    return [
        TmPair(
            r["zh"],
            r["en"],
            origin=origin,
            status=r.get("status", "accepted"),
            score=r.get("score"),
            provenance=dict(PROVENANCE),
            zh_sentences=r.get("zh_sentences"),
            position=r.get("position"),
        )
        for r in records
    ]


def _as_columns(records: list[dict[str, Any]], origin: str) -> PairColumns:
    return PairColumns(
        zh=[r["zh"] for r in records],
        en=[r["en"] for r in records],
        origin=origin,
        status=[r.get("status", "accepted") for r in records],
        score=0.5,
        provenance=PROVENANCE,
        zh_sentences=[r.get("zh_sentences") for r in records],
        position=[r.get("position") for r in records],
    )


def _state(path: Path) -> tuple[list, list, list, list]:
    """Everything an import leaves: pairs (with value types, without timestamps), index
    postings and lengths, schema."""
    db = sqlite3.connect(path)
    columns = [row[1] for row in db.execute("PRAGMA table_info(pairs)")][:-2]
    typed = ", ".join(f"{c}, typeof({c})" for c in ["rowid", *columns])
    pairs = db.execute(f"SELECT {typed} FROM pairs ORDER BY rowid").fetchall()
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    grams, lengths = [], []
    if "tm_grams" in tables:  # made by the first import
        grams = db.execute("SELECT gram, ids FROM tm_grams ORDER BY rowid").fetchall()
        lengths = db.execute("SELECT * FROM tm_lengths ORDER BY first").fetchall()
    schema = sorted(db.execute("SELECT type, name, sql FROM sqlite_master").fetchall())
    db.close()
    return pairs, grams, lengths, schema


@pytest.mark.parametrize("bulk_rows", [1, 10**9], ids=["bulk-load", "row-by-row"])
def test_columns_store_and_index_exactly_what_pair_objects_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk_rows: int
) -> None:
    monkeypatch.setattr(store, "_BULK_ROWS", bulk_rows)
    outcomes = {}
    for name in ("objects", "columns"):
        path = tmp_path / f"{name}.sqlite3"
        counts = []
        for batch, origin in ((RECORDS[50:], "aligned"), (RECORDS, "imported")):
            with TranslationMemory(path) as tm:
                if name == "objects":
                    done = tm.add_pairs(_as_pairs(batch, origin))
                else:
                    done = tm.add_columns(_as_columns(batch, origin))
            counts.append((done.added, done.present, done.refused))
        outcomes[name] = (counts, _state(path))
    assert outcomes["columns"] == outcomes["objects"]
    counts, (pairs, grams, _, _) = outcomes["columns"]
    # 10 + 2 distinct pairs first; then 62 rows (2 refused) of 22 distinct pairs
    assert [c[:2] for c in counts] == [(12, 0), (10, 52)]
    assert len(counts[1][2]) == 2 and "needs both sides" in counts[1][2][0]
    assert len(pairs) == 22 and grams
    db = sqlite3.connect(tmp_path / "columns.sqlite3")
    stored = db.execute("SELECT DISTINCT publication, source_file, url FROM pairs").fetchall()
    db.close()
    assert stored == [('Xi\'s "report"', "a\nb.tmx", None)]


def test_a_bulk_load_stores_what_row_by_row_inserts_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fresh load (rollback journal, ids deduplicated in Python, indexes built at the end)
    against the row-by-row path, on the same batches."""
    states = {}
    for bulk_rows in (1, 10**9):
        monkeypatch.setattr(store, "_BULK_ROWS", bulk_rows)
        path = tmp_path / f"{bulk_rows}.sqlite3"
        for batch in (RECORDS, [*RECORDS[10:], {"zh": "新句。", "en": "New."}]):
            with TranslationMemory(path) as tm:
                tm.add_columns(_as_columns(batch, "imported"))
        states[bulk_rows] = _state(path)
    assert states[1] == states[10**9]


def test_a_value_shared_by_all_rows_is_stored_as_a_bound_one_is(tmp_path: Path) -> None:
    """Shared values are written into the statement: same value, same SQLite type."""
    shared = PairColumns(["一。", "二。"], ["One.", "Two."], score=2.0, position=3,
                         provenance={"doc_id": "it's"})  # fmt: skip
    varied = PairColumns(["一。", "二。", "三。"], ["One.", "Two.", "Three."],
                         score=[2.0, 2.0, 1.5], position=[3, 3, 1],
                         provenance={"doc_id": ["it's", "it's", "x"]})  # fmt: skip
    rows = []
    for name, columns in (("shared", shared), ("varied", varied)):
        with TranslationMemory(tmp_path / f"{name}.sqlite3") as tm:
            tm.add_columns(columns)
            rows.append(
                tm.db.execute(
                    "SELECT id, score, typeof(score), position, typeof(position), doc_id,"
                    " created_at = updated_at FROM pairs ORDER BY rowid LIMIT 2"
                ).fetchall()
            )
    assert [tuple(r) for r in rows[0]] == [tuple(r) for r in rows[1]]
    assert tuple(rows[0][0])[1:] == (2.0, "real", 3, "integer", "it's", 1)


def test_columns_of_the_wrong_length_or_field_are_refused(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        with pytest.raises(ValueError, match="column en has 1 values for 2 pairs"):
            tm.add_columns(PairColumns(["一。", "二。"], ["One."]))
        with pytest.raises(ValueError, match="unknown provenance fields: author"):
            tm.add_columns(PairColumns(["一。"], ["One."], provenance={"author": "x"}))
        assert tm.count() == 0


# -- safety: atomic, other readers, older files ---------------------------------------------


def _fail_indexing(*args: object, **kwargs: object) -> None:
    raise RuntimeError("index build failed")


@pytest.mark.parametrize("failing", ["update_index", "postings_of_rows"])
@pytest.mark.parametrize("first", [0, 20], ids=["into-an-empty-tm", "into-a-smaller-tm"])
def test_a_failing_bulk_import_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: int, failing: str
) -> None:
    """A failure after the insert (the index, or its postings built in a second thread)."""
    monkeypatch.setattr(store, "_BULK_ROWS", 1)
    path = tmp_path / "tm.sqlite3"
    with TranslationMemory(path) as tm:
        if first:
            tm.add_columns(_as_columns(RECORDS[:first], "imported"))
    before = _state(path)
    monkeypatch.setattr(tm_index, failing, _fail_indexing)
    with TranslationMemory(path) as tm:
        with pytest.raises(RuntimeError, match="index build failed"):
            tm.add_columns(_as_columns(RECORDS, "aligned"))
        assert tm.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert _state(path) == before  # rows, postings and every index (pairs_id included)
    names = {row[1] for row in before[3]}
    assert {"pairs_id", "pairs_zh_norm", "pairs_origin_status"} <= names


def test_a_bulk_load_while_another_process_has_the_tm_open_goes_through_wal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "_BULK_ROWS", 1)
    path = tmp_path / "tm.sqlite3"
    with TranslationMemory(path) as reader, TranslationMemory(path) as writer:
        assert reader.count() == 0
        counts = writer.add_columns(_as_columns(RECORDS, "imported"))
        assert reader.count() == counts.added == 22
        for connection in (reader, writer):
            assert connection.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    alone = tmp_path / "alone.sqlite3"
    with TranslationMemory(alone) as tm:
        tm.add_columns(_as_columns(RECORDS, "imported"))
        assert tm.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert _state(alone)[:3] == _state(path)[:3]


def _old_tm(path: Path) -> None:
    """A TM as written before the bulk path: ids unique through ``id TEXT PRIMARY KEY``."""
    db = sqlite3.connect(path)
    db.executescript(store._SCHEMA.replace("id TEXT NOT NULL", "id TEXT PRIMARY KEY"))
    db.close()


@pytest.mark.parametrize("bulk_rows", [1, 10**9], ids=["bulk-load", "row-by-row"])
def test_a_tm_from_before_the_bulk_path_keeps_its_ids_unique(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bulk_rows: int
) -> None:
    empty, filled = tmp_path / "empty.sqlite3", tmp_path / "filled.sqlite3"
    for path in (empty, filled):
        _old_tm(path)
    monkeypatch.setattr(store, "_BULK_ROWS", 10**9)  # a few pairs added row by row
    with TranslationMemory(filled) as tm:
        tm.add_pairs(_as_pairs(RECORDS[:5], "imported"))
    monkeypatch.setattr(store, "_BULK_ROWS", bulk_rows)
    for path in (empty, filled):
        with TranslationMemory(path) as tm:
            first = tm.add_columns(_as_columns(RECORDS, "imported"))
            again = tm.add_columns(_as_columns(RECORDS, "imported"))
            assert (first.added + first.present, again.added) == (62, 0)
            assert tm.count() == 22
    unique = {row[1] for row in _state(empty)[3]} & {"pairs_id", "sqlite_autoindex_pairs_1"}
    # An empty old table is made again with today's schema by a bulk load only.
    assert unique == ({"pairs_id"} if bulk_rows == 1 else {"sqlite_autoindex_pairs_1"})
    assert "pairs_id" not in {row[1] for row in _state(filled)[3]}


@pytest.mark.parametrize("fmt", ["tmx", "tsv", "jsonl"])
def test_a_file_read_as_columns_stores_what_its_pairs_store(tmp_path: Path, fmt: str) -> None:
    records = [
        {**pair.to_dict(), "position": None}
        for pair in _as_pairs(RECORDS, "aligned")
        if pair.zh.strip() and (pair.en.strip() or pair.status == "needs_review")
    ]
    records[0]["zh_sentences"], records[1]["score"] = [3, 4], None
    path = tmp_path / f"pairs.{fmt}"
    with open(path, "w", encoding="utf-8") as handle:
        WRITERS[fmt](handle, records)
    states = []
    for name in ("pairs", "columns"):
        with TranslationMemory(tmp_path / f"{name}.sqlite3") as tm:
            if name == "pairs":
                counts = tm.add_pairs(read_pairs(path))
            else:
                counts = tm.add_columns(read_columns(path))
        states.append(((counts.added, counts.present), _state(tmp_path / f"{name}.sqlite3")))
    assert states[0] == states[1]
    assert states[1][0] == (22, 40)
    empty = tmp_path / f"empty.{fmt}"
    with open(empty, "w", encoding="utf-8") as handle:
        WRITERS[fmt](handle, [])
    with TranslationMemory(tmp_path / "columns.sqlite3") as tm:
        assert tm.add_columns(read_columns(empty)).added == 0
        assert tm.count() == 22
