"""`glossary renderings`: English n-grams that go with a term across aligned pairs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.cli import cli
from workbench.errors import InputError
from workbench.glossary import load_glossary
from workbench.glossary.renderings import (
    AlignedPair,
    english_ngrams,
    log_likelihood,
    propose_renderings,
    read_pairs,
)
from workbench.web.suggestions import SuggestionStore, store_path

VALID = Path(__file__).parent / "data" / "glossary" / "valid"
PLACES = [("甘肃", "Gansu"), ("贵州", "Guizhou"), ("云南", "Yunnan"), ("四川", "Sichuan")]


def _pairs() -> list[AlignedPair]:
    """Translators wrote 建档立卡 as 'archived card' four times, once as the glossary has it;
    other pairs share the sentence frame without the term, and 精准扶贫 sits beside it."""
    pairs = [
        AlignedPair(
            f"{zh}的建档立卡户都住上了新房。",
            f"Every household with an archived card in {en} now lives in a new house.",
        )
        for zh, en in PLACES
    ]
    pairs.append(
        AlignedPair(
            "建档立卡户实行精准扶贫。",
            "Registered poor households receive targeted poverty alleviation.",
        )
    )
    pairs += [
        AlignedPair(
            f"{zh}的农户都住上了新房。", f"Every household in {en} now lives in a new house."
        )
        for zh, en in PLACES
    ]
    pairs += [AlignedPair("坚持精准扶贫。", "We adhere to targeted poverty alleviation.")] * 3
    pairs += [AlignedPair(f"第{n}条。", f"Article {n} applies to every county.") for n in range(8)]
    return pairs


def test_a_rendering_translators_use_is_proposed_with_its_examples():
    candidates = propose_renderings(_pairs(), load_glossary(VALID))
    by_entry = {}
    for candidate in candidates:
        by_entry.setdefault(candidate.entry_id, []).append(candidate)
    best = by_entry["t-jdlk"][0]
    assert best.en == "archived card"
    assert (best.together, best.entry_pairs) == (4, 5)
    assert best.examples[0]["en"].startswith("Every household with an archived card")
    # Known renderings, the frame every pair shares and another term's words are not proposed.
    proposed = {c.en for c in candidates}
    assert not proposed & {"registered poor", "household", "new house", "targeted poverty"}


def test_dice_ranks_the_same_rendering_first():
    candidates = propose_renderings(_pairs(), load_glossary(VALID), measure="dice")
    assert next(c for c in candidates if c.entry_id == "t-jdlk").en == "archived card"


def test_log_likelihood_of_a_perfect_association():
    assert log_likelihood(10, 0, 0, 10) == pytest.approx(2 * 20 * math.log(2))
    assert log_likelihood(5, 5, 5, 5) == 0.0
    assert log_likelihood(0, 10, 10, 0) == 0.0  # negative association is not evidence


@given(st.tuples(*[st.integers(1, 200)] * 4))
def test_log_likelihood_equals_the_entropy_form(table):
    k11, k12, k21, k22 = table
    n = sum(table)

    def h(*counts: int) -> float:
        return sum(c * math.log(c / n) for c in counts if c)

    entropy_form = 2 * (h(k11, k12, k21, k22) - h(k11 + k12, k21 + k22) - h(k11 + k21, k12 + k22))
    expected = entropy_form if k11 * k22 > k12 * k21 else 0.0
    assert log_likelihood(k11, k12, k21, k22) == pytest.approx(expected, abs=1e-9)


def test_ngrams_hold_words_only_and_never_start_with_a_function_word():
    grams = english_ngrams("The 832 poor counties of China shook off poverty.")
    assert "poor counties" in grams and "shook off poverty" in grams
    assert not any(g.split()[0] in ("the", "of") or "832" in g for g in grams)


def _write_all_formats(tmp_path: Path, pairs: list[AlignedPair]) -> list[Path]:
    jsonl = tmp_path / "pairs.jsonl"
    jsonl.write_text(
        "".join(json.dumps({"zh": p.zh, "en": p.en, "score": 0.9}) + "\n" for p in pairs),
        encoding="utf-8",
    )
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("zh\ten\n" + "".join(f"{p.zh}\t{p.en}\n" for p in pairs), encoding="utf-8")
    tmx = tmp_path / "pairs.tmx"
    units = "".join(
        f'<tu><tuv xml:lang="zh-CN"><seg>{p.zh}</seg></tuv>'
        f'<tuv xml:lang="en-US"><seg>{p.en}</seg></tuv></tu>'
        for p in pairs
    )
    tmx.write_text(
        f'<?xml version="1.0"?><tmx version="1.4"><header srclang="zh-CN"/><body>{units}'
        "</body></tmx>",
        encoding="utf-8",
    )
    return [jsonl, tsv, tmx]


def test_jsonl_tsv_and_tmx_give_the_same_pairs(tmp_path):
    pairs = _pairs()
    for path in _write_all_formats(tmp_path, pairs):
        assert read_pairs(path) == pairs, path.suffix


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("a.jsonl", '{"zh": "x"}\n', "a.jsonl:1: needs an object with 'zh' and 'en'"),
        ("b.jsonl", "{oops\n", "b.jsonl:1: not JSON"),
        ("c.tsv", "only one column\n", "c.tsv:1: needs two tab-separated columns"),
        ("d.tmx", "<tmx><body>", "d.tmx: not a readable TMX file"),
        ("e.xlsx", "", "unknown pair format '.xlsx'"),
    ],
)
def test_unreadable_pair_files_are_one_clear_error(tmp_path, name, text, words):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        read_pairs(path)


def test_the_command_fills_the_curator_queue_once(tmp_path, project_root, monkeypatch):
    monkeypatch.setenv("WORKBENCH_ROOT", str(project_root))
    monkeypatch.setenv("WORKBENCH_PATHS_WORK_DIR", str(tmp_path / "work"))
    monkeypatch.setenv("WORKBENCH_PATHS_GLOSSARY_DIR", str(VALID))
    [jsonl, _tsv, tmx] = _write_all_formats(tmp_path, _pairs())
    out = tmp_path / "candidates.jsonl"
    result = CliRunner().invoke(cli, ["glossary", "renderings", str(jsonl), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        "'archived card'" in result.output
        and "new proposal(s) in the curator queue" in result.output
    )
    store = SuggestionStore(store_path(tmp_path / "work"))
    items, total = store.list("pending", 100, 0)
    proposals = {s.proposal["en"]: s.proposal for s in items if s.proposal["entry_id"] == "t-jdlk"}
    assert len(proposals["archived card"]["examples"]) == 3
    assert "4 of its 5 aligned pairs" in proposals["archived card"]["comment"]
    assert len(out.read_text(encoding="utf-8").splitlines()) == total
    again = CliRunner().invoke(cli, ["glossary", "renderings", str(tmx)])
    assert f"0 new proposal(s) in the curator queue, {total} already there" in again.output
    assert store.list("pending", 100, 0)[1] == total


def test_english_the_terminology_check_already_accepts_is_not_proposed():
    # "impoverished" is an accepted form of "poor" inside a rendering (same_phrases in the
    # QA word data), so "registered impoverished" is the known rendering, not a new one.
    pairs = [
        AlignedPair(
            f"{zh}的建档立卡户都住上了新房。",
            f"Every registered impoverished household in {en} now lives in a new house.",
        )
        for zh, en in PLACES
    ]
    pairs += [
        AlignedPair(
            f"{zh}的农户都住上了新房。", f"Every household in {en} now lives in a new house."
        )
        for zh, en in PLACES
    ]
    pairs += [AlignedPair(f"第{n}条。", f"Article {n} applies to every county.") for n in range(8)]
    proposed = {c.en for c in propose_renderings(pairs, load_glossary(VALID))}
    assert not {p for p in proposed if "impoverished" in p}
    # The same pairs with a wording the check does not accept still give a proposal.
    other = [
        AlignedPair(p.zh, p.en.replace("registered impoverished", "archived-card")) for p in pairs
    ]
    proposed = {c.en for c in propose_renderings(other, load_glossary(VALID))}
    assert any("archived-card" in p for p in proposed)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.sampled_from([".jsonl", ".tsv", ".tmx"]))
def test_any_bytes_in_a_pair_file_give_pairs_or_one_clear_error(tmp_path_factory, data, suffix):
    """Hostile or mis-encoded pair files (found: Latin-1 bytes raised UnicodeDecodeError)."""
    from workbench.errors import InputError
    from workbench.glossary.renderings import read_pairs

    path = tmp_path_factory.mktemp("pairs") / f"pairs{suffix}"
    path.write_bytes(data)
    try:
        pairs = read_pairs(path)
    except InputError as exc:
        assert str(path) in str(exc)
    else:
        assert all(p.zh.strip() and p.en.strip() for p in pairs)
