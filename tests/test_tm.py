"""The translation memory: idempotent imports, TMX/TSV/JSONL round trips, the commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.cli import cli
from workbench.errors import InputError
from workbench.tm import store
from workbench.tm.formats import read_pairs, write_jsonl, write_tmx, write_tsv
from workbench.tm.index import rebuild_index
from workbench.tm.store import TmPair, TranslationMemory, normalise_zh, pair_id

PAIRS = [
    TmPair(
        "现行标准下9899万农村贫困人口全部脱贫。",
        "All 98.99 million rural poor people under the current standard were lifted out of "
        "poverty.",
        origin="aligned",
        score=0.83,
        provenance={"publication": "Poverty Alleviation: China's Experience", "url": "https://example.org/wp"},
        zh_sentences=[2],
        en_sentences=[2],
    ),
    TmPair("扶持对象精准。项目安排精准。", "Right people & projects <ok>.", score=0.4,
           origin="aligned", status="needs_review", zh_sentences=[8, 9], en_sentences=[7]),
    TmPair("这是一项人间奇迹。", "", origin="aligned", status="needs_review", score=0.0,
           zh_sentences=[5], en_sentences=[]),
]  # fmt: skip


def test_the_id_and_lookup_key_fold_script_width_and_spacing() -> None:
    assert normalise_zh("脫貧 攻堅ＧＤＰ") == normalise_zh("脱贫攻坚gdp")
    assert pair_id("脫貧攻堅", "Poverty  alleviation") == pair_id("脱贫攻坚", "poverty alleviation")


def test_importing_the_same_pairs_twice_adds_nothing(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        first = tm.add_pairs(PAIRS)
        second = tm.add_pairs(PAIRS)
        assert (first.added, first.present) == (3, 0)
        assert (second.added, second.present) == (0, 3)
        assert tm.count() == 3
        assert tm.count(origin="aligned", status="accepted") == 1
        found = tm.by_zh("現行標準下9899萬農村貧困人口全部脫貧。")
        assert [p.en for p in found] == [PAIRS[0].en]
        assert found[0].provenance["url"] == "https://example.org/wp"
        assert found[0].created_at and found[0].updated_at


def test_an_accepted_one_sided_pair_is_refused_and_the_rest_kept(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        counts = tm.add_pairs([TmPair("只有中文。", "", status="accepted"), PAIRS[0]])
        assert counts.added == 1 and len(counts.refused) == 1
        assert "needs both sides" in counts.refused[0]


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite3"
    path.write_text("not sqlite " * 100, "utf-8")
    with pytest.raises(InputError, match="not a translation-memory database"):
        TranslationMemory(path)


@pytest.mark.parametrize(
    ("fmt", "writer"), [("tmx", write_tmx), ("tsv", write_tsv), ("jsonl", write_jsonl)]
)
def test_every_format_round_trips_text_and_score(tmp_path: Path, fmt: str, writer) -> None:
    path = tmp_path / f"pairs.{fmt}"
    with open(path, "w", encoding="utf-8") as handle:
        writer(handle, [p.to_dict() for p in PAIRS])
    back = list(read_pairs(path))
    assert [(p.zh, p.en, p.score) for p in back] == [(p.zh, p.en, p.score) for p in PAIRS]
    assert [p.id for p in back] == [p.id for p in PAIRS]
    if fmt != "tsv":  # TMX props and JSONL keep origin, status and provenance
        assert [(p.origin, p.status) for p in back] == [(p.origin, p.status) for p in PAIRS]
        assert back[0].provenance["publication"] == PAIRS[0].provenance["publication"]


texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda s: s.strip() and s == " ".join(s.split()))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(texts, texts), min_size=1, max_size=8))
def test_tmx_round_trips_any_text(tmp_path: Path, pairs: list[tuple[str, str]]) -> None:
    path = tmp_path / "any.tmx"
    with open(path, "w", encoding="utf-8") as handle:
        write_tmx(handle, [{"zh": zh, "en": en} for zh, en in pairs])
    assert [(p.zh, p.en) for p in read_pairs(path)] == pairs


def test_bad_input_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"zh": "一。", "en": "One."}\n{"zh": "二。"}\n', "utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:2: needs string fields zh and en"):
        list(read_pairs(bad))
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx><body><tu>", "utf-8")
    with pytest.raises(InputError, match="not well-formed TMX"):
        list(read_pairs(broken))
    with pytest.raises(InputError, match="cannot tell the format"):
        list(read_pairs(tmp_path / "pairs.xlsx"))


def test_tm_commands_import_once_and_export_tmx(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("WORKBENCH_PATHS_WORK_DIR", str(tmp_path / "work"))
    source = tmp_path / "in.tsv"
    source.write_text("zh\ten\tscore\n脱贫攻坚。\tThe fight against poverty.\t0.9\n", "utf-8")
    runner = CliRunner()
    first = runner.invoke(cli, ["tm", "import", str(source)])
    assert first.exit_code == 0, first.output
    assert "1 pairs added, 0 already in the TM" in first.output
    again = runner.invoke(cli, ["tm", "import", str(source)])
    assert "0 pairs added, 1 already in the TM" in again.output
    out = tmp_path / "tm.tmx"
    exported = runner.invoke(cli, ["tm", "export", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    text = out.read_text("utf-8")
    assert '<tmx version="1.4">' in text and "<seg>脱贫攻坚。</seg>" in text
    assert '<prop type="x-origin">imported</prop>' in text
    jsonl = runner.invoke(cli, ["tm", "export", "--format", "jsonl"])
    assert json.loads(jsonl.stdout.splitlines()[0])["score"] == 0.9


# -- the import fast paths give exactly what the plain definitions give -------------------

zh_texts = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(
            "，。？！“”、：（）《》ＡＢａ１２\u3000 \t\u0301\u3099\u1161\u1100禮體為着ｶﾞﬁ²½"
        ),
    ),
    max_size=30,
)


@settings(max_examples=500, deadline=None)
@given(zh_texts)
def test_the_one_pass_normalisation_equals_its_definition(text: str) -> None:
    assert normalise_zh(text) == store._normalise_zh_slow(text)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(alphabet=st.characters(max_codepoint=0x7F)), st.text()))
def test_the_ascii_english_normalisation_equals_its_definition(text: str) -> None:
    assert store.normalise_en(text) == store._normalise_en_slow(text)


def _store_state(path: Path) -> tuple[list, list, list, list]:
    """Everything an import leaves: pairs (without timestamps), index, lengths, schema."""
    with TranslationMemory(path) as tm:
        db = tm.db
        pairs = [
            tuple(row)[:-2]
            for row in db.execute("SELECT rowid, * FROM pairs ORDER BY rowid").fetchall()
        ]
        grams = [tuple(r) for r in db.execute("SELECT gram, ids FROM tm_grams ORDER BY rowid")]
        lengths = [tuple(r) for r in db.execute("SELECT * FROM tm_lengths ORDER BY first")]
        schema = sorted(tuple(r) for r in db.execute("SELECT type, name, sql FROM sqlite_master"))
    return pairs, grams, lengths, schema


def test_a_bulk_import_stores_and_indexes_exactly_what_row_by_row_does(
    tmp_path: Path, monkeypatch
) -> None:
    sentences = [f"第{n % 700}条：坚持精准扶貧，ＡＢ {n % 13}。" for n in range(1500)] + ["一"]
    batches = [
        [
            TmPair(zh, f"Article {i}.", provenance={"doc_id": f"d{i % 3}"})
            for i, zh in enumerate(sentences[:900])
        ],
        [TmPair(zh, f"Article {i}.") for i, zh in enumerate(sentences)],  # repeats included
    ]
    states = {}
    for name, bulk_rows in (("plain", 10**9), ("bulk", 1)):
        monkeypatch.setattr(store, "_BULK_ROWS", bulk_rows)
        path = tmp_path / f"{name}.sqlite3"
        states[name] = []
        for batch in batches:
            with TranslationMemory(path) as tm:
                counts = tm.add_pairs(batch)
                if name == "plain":  # the index as a rebuild reading the table back makes it
                    with tm.db:
                        rebuild_index(tm.db)
            states[name].append(((counts.added, counts.present), _store_state(path)))
    assert [s[0] for s in states["bulk"]] == [(900, 0), (601, 900)]
    assert states["bulk"] == states["plain"]
