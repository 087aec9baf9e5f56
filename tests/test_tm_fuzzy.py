"""Fuzzy TM lookup: the index finds what a full scan finds, scores, differences, numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from workbench.cli import cli
from workbench.tm import index as tm_index
from workbench.tm.fuzzy import FuzzyMatcher, lookup, substitute_numbers
from workbench.tm.store import TmPair, TranslationMemory, normalise_zh

SENTENCE = "确保到2020年农村贫困人口实现脱贫。"
ENGLISH = "Ensure that by 2020 the rural poor are lifted out of poverty."


def _tm(path: Path, pairs: list[TmPair]) -> TranslationMemory:
    tm = TranslationMemory(path / "tm.sqlite3")
    tm.add_pairs(pairs)
    return tm


def test_a_traditional_query_finds_the_simplified_pair_at_full_score(tmp_path: Path) -> None:
    with _tm(tmp_path, [TmPair(SENTENCE, ENGLISH), TmPair("全面推进乡村振兴。", "Rural.")]) as tm:
        [match] = lookup(tm, "確保到2020年農村貧困人口實現脫貧。", min_score=0.7)
    assert match.score == 1.0 and match.pair.en == ENGLISH and match.differences == []


def test_score_is_one_minus_edit_distance_over_the_longer_length(tmp_path: Path) -> None:
    query = "确保到2020年城镇贫困人口实现脱贫。"  # two characters changed out of 19
    with _tm(tmp_path, [TmPair(SENTENCE, ENGLISH)]) as tm:
        [match] = lookup(tm, query, min_score=0.5)
    assert match.score == pytest.approx(1 - 2 / len(SENTENCE))
    [stretch] = match.differences
    assert (stretch.op, stretch.query_text, stretch.match_text) == ("replace", "城镇", "农村")
    assert match.query_norm[stretch.query_start : stretch.query_end] == "城镇"


def test_matches_below_the_minimum_score_are_left_out(tmp_path: Path) -> None:
    with _tm(tmp_path, [TmPair(SENTENCE, ENGLISH)]) as tm:
        assert lookup(tm, "全面推进乡村振兴战略。", min_score=0.5) == []
        assert lookup(tm, "确保农村贫困人口脱贫。", min_score=0.9) == []
        assert lookup(tm, "确保农村贫困人口脱贫。", min_score=0.5)


def test_one_sided_pairs_are_never_suggested(tmp_path: Path) -> None:
    with _tm(tmp_path, [TmPair(SENTENCE, "", status="needs_review")]) as tm:
        assert lookup(tm, SENTENCE) == []


def test_ties_prefer_annotated_pairs(tmp_path: Path) -> None:
    pairs = [TmPair(SENTENCE, "aligned one", origin="aligned"),
             TmPair(SENTENCE, "annotated one", origin="annotated")]  # fmt: skip
    with _tm(tmp_path, pairs) as tm:
        found = lookup(tm, SENTENCE)
    assert [m.pair.en for m in found] == ["annotated one", "aligned one"]


@pytest.mark.parametrize(
    ("query", "match_zh", "match_en", "expected"),
    [
        ("确保到2035年脱贫。", "确保到2020年脱贫。", "Lift all out of poverty by 2020.",
         "Lift all out of poverty by 2035."),
        ("新增3500万人。", "新增1200万人。", "12 million more people.", "12 million more people."),
        ("共12000户，3个村。", "共15000户，4个村。", "15,000 households in 4 villages.",
         "12,000 households in 3 villages."),
        ("确保到2035年实现脱贫。", "确保到2020年脱贫。", "Out of poverty by 2020.",
         "Out of poverty by 2020."),
        ("投入20亿元和20亿元。", "投入10亿元和20亿元。", "2 and 2 billion yuan.",
         "2 and 2 billion yuan."),
    ],
    ids=["year", "number-not-written-as-such", "thousands", "text-differs-too", "ambiguous"],
)  # fmt: skip
def test_a_number_is_substituted_only_when_it_is_all_that_differs(
    query: str, match_zh: str, match_en: str, expected: str
) -> None:
    english, _ = substitute_numbers(query, match_zh, match_en)
    assert english == expected


def test_the_lookup_offers_the_substituted_english(tmp_path: Path) -> None:
    with _tm(tmp_path, [TmPair(SENTENCE, ENGLISH)]) as tm:
        [match] = lookup(tm, "确保到2035年农村贫困人口实现脱贫。")
    assert match.suggestion == ENGLISH.replace("2020", "2035")
    assert match.substituted == [("2020", "2035")]
    assert match.to_dict()["en"] == ENGLISH  # the stored pair is unchanged


def test_small_imports_append_to_the_index_and_equal_a_rebuild(tmp_path: Path) -> None:
    sentences = [f"第{i}条各地要压实{'责任' if i % 2 else '工作'}确保脱贫。" for i in range(40)]
    with TranslationMemory(tmp_path / "tm.sqlite3") as tm:
        tm.add_pairs([TmPair(s, f"Article {i}.") for i, s in enumerate(sentences[:30])])
        for i in range(30, 40):  # ten small imports: appended chunks, no rebuild
            tm.add_pairs([TmPair(sentences[i], f"Article {i}.")])
        assert (
            tm_index.indexed_rowid(tm.db)
            == tm.db.execute("SELECT MAX(rowid) FROM pairs").fetchone()[0]
        )
        grams = sorted({g for s in sentences for g in tm_index.query_grams(normalise_zh(s))})
        appended = {g: ids.tolist() for g, ids in tm_index.postings(tm.db, grams).items()}
        with tm.db:
            tm_index.rebuild_index(tm.db)
        rebuilt = {g: ids.tolist() for g, ids in tm_index.postings(tm.db, grams).items()}
        assert appended == rebuilt
        [match] = lookup(tm, sentences[37], min_score=1.0)
        assert match.pair.en == "Article 37."


def test_a_tm_written_without_index_is_indexed_on_first_lookup(tmp_path: Path) -> None:
    with _tm(tmp_path, [TmPair(SENTENCE, ENGLISH)]) as tm:
        with tm.db:
            tm.db.execute("DELETE FROM tm_grams")
            tm.db.execute("DELETE FROM meta WHERE key LIKE 'index_%'")
        assert tm_index.indexed_rowid(tm.db) == 0
        assert lookup(tm, SENTENCE)[0].score == 1.0


texts = st.text(alphabet="扶贫脱攻坚村户年人口实现确保到2０3", min_size=2, max_size=14)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(stored=st.lists(texts, min_size=1, max_size=30), query=texts,
       min_score=st.sampled_from([0.3, 0.5, 0.7, 0.9, 1.0]))  # fmt: skip
def test_the_index_finds_every_pair_a_full_scan_finds(
    tmp_path_factory: pytest.TempPathFactory, stored: list[str], query: str, min_score: float
) -> None:
    folder = tmp_path_factory.mktemp("tm")
    with _tm(folder, [TmPair(s, f"en {i}") for i, s in enumerate(stored)]) as tm:
        found = FuzzyMatcher(tm).lookup(query, min_score, limit=100)
    q = normalise_zh(query)
    # The guarantee: every pair scoring min_score that shares a bigram with the query (a
    # short pair can score 0.5 sharing none: 22 / 23; the index cannot see those).
    expected = {
        normalise_zh(s)
        for s in stored
        if Levenshtein.normalized_similarity(q, normalise_zh(s)) >= min_score
        and set(tm_index.query_grams(q)) & set(tm_index.query_grams(normalise_zh(s)))
    }
    assert {m.match_norm for m in found} == expected
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)


# Full-width ASCII, a combining accent after it, ideographic space, a compatibility
# ideograph, circled and parenthesised numbers, half-width katakana and its voicing mark.
ODD = ["\u0301", "\u3000", "\uf900", "①", "㈠", "ｶ", "\uff9e"]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(
            alphabet=st.sampled_from([*"扶貧脫贫，。？！（）、 ＡＢｃ１２３abc%", *ODD]),
            max_size=20,
        ),
        st.text(max_size=20),  # anything at all
    )
)
def test_the_fast_normalisation_equals_nfkc_then_fold(text: str) -> None:
    import re
    import unicodedata

    from workbench.glossary.fold import fold

    expected = re.sub(r"\s+", "", fold(unicodedata.normalize("NFKC", text)))
    assert normalise_zh(text) == expected


def test_tm_lookup_command_prints_matches_and_json(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("WORKBENCH_PATHS_WORK_DIR", str(tmp_path / "work"))
    source = tmp_path / "in.tsv"
    source.write_text(f"{SENTENCE}\t{ENGLISH}\n", "utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["tm", "import", str(source)]).exit_code == 0
    shown = runner.invoke(cli, ["tm", "lookup", "確保到2020年城鎮貧困人口實現脫貧。"])
    assert shown.exit_code == 0, shown.output
    assert "89%" in shown.output and "[农村]" in shown.output and ENGLISH in shown.output
    as_json = runner.invoke(cli, ["tm", "lookup", "--json", "--limit", "1", SENTENCE])
    [record] = json.loads(as_json.output)
    assert record["score"] == 1.0 and record["origin"] == "imported" and record["en"] == ENGLISH
    none = runner.invoke(cli, ["tm", "lookup", "--min-score", "0.99", "全面推进乡村振兴。"])
    assert "no TM match scoring 99% or more" in none.output
    empty = runner.invoke(cli, ["tm", "lookup", " "])
    assert empty.exit_code == 2 and "TEXT is empty" in empty.output


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(stored=st.lists(texts, min_size=1, max_size=30), query=texts,
       min_score=st.sampled_from([0.7, 0.75, 0.8, 0.9, 1.0]),
       limit=st.sampled_from([1, 2, 5]))  # fmt: skip
def test_the_best_indexed_match_is_the_best_of_a_full_scan(
    tmp_path_factory: pytest.TempPathFactory,
    stored: list[str],
    query: str,
    min_score: float,
    limit: int,
) -> None:
    """At 0.7 or more every pair worth finding shares a bigram, so nothing is excused."""
    folder = tmp_path_factory.mktemp("tm")
    with _tm(folder, [TmPair(s, f"en {i}") for i, s in enumerate(stored)]) as tm:
        found = FuzzyMatcher(tm).lookup(query, min_score, limit=limit)
    q = normalise_zh(query)
    scan = sorted(
        (Levenshtein.normalized_similarity(q, normalise_zh(s)) for s in stored), reverse=True
    )
    best = scan[0]
    if best < min_score:
        assert found == []
        return
    assert found and found[0].score == best
    assert Levenshtein.normalized_similarity(q, found[0].match_norm) == best
    # The rest are the next best of the scan (every stored pair is distinct: its English).
    wanted = [score for score in scan if score >= min_score][:limit]
    assert [m.score for m in found] == wanted


def test_a_long_lived_matcher_sees_pairs_another_process_adds(tmp_path: Path) -> None:
    """The decoded index is kept between lookups, and dropped when the TM changes."""
    with _tm(tmp_path, [TmPair(SENTENCE, ENGLISH)]) as tm:
        matcher = FuzzyMatcher(tm)
        assert [m.score for m in matcher.lookup("确保到2020年城镇贫困人口实现脱贫。")] == [
            pytest.approx(1 - 2 / len(SENTENCE))
        ]
        with TranslationMemory(tmp_path / "tm.sqlite3") as other:  # another connection
            other.add_pairs([TmPair("确保到2020年城镇贫困人口实现脱贫。", "Urban.")])
        [first, second] = matcher.lookup("确保到2020年城镇贫困人口实现脱贫。")
        assert (first.score, first.pair.en, second.pair.en) == (1.0, "Urban.", ENGLISH)
        tm.add_pairs([TmPair("确保到2020年城镇贫困人口实现脱贫！", "Own.")])  # this one
        assert [m.pair.en for m in matcher.lookup("确保到2020年城镇贫困人口实现脱贫！")][:2] == [
            "Own.",
            "Urban.",
        ]
