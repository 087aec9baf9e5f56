"""`glossary harvest`: new terms and their published English from aligned official text."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.cli import cli
from workbench.errors import InputError
from workbench.glossary import load_glossary
from workbench.glossary.check import check_glossary
from workbench.glossary.harvest import (
    SourcedPair,
    guess_category,
    harvest_terms,
    queue_candidates,
    read_sourced_pairs,
)
from workbench.glossary.model import Entry
from workbench.glossary.termbase import save_entries
from workbench.text.english import tokenize
from workbench.web.suggestions import SuggestionStore, store_path

VALID = Path(__file__).parent / "data" / "glossary" / "valid"
REPORT = "Report on the Work of the Government 2099"
URL = "https://example.org/report2099"

# A made-up programme, so no glossary can already hold it, in four different contexts.
PLANTED = [
    (
        "我们将实施星火育苗工程，帮助农村儿童。",
        "We will implement the Spark Seedling Project to help rural children.",
    ),
    ("星火育苗工程已覆盖三百个县。", "The Spark Seedling Project now covers 300 counties."),
    (
        "各地要用好星火育苗工程经验。",
        "All localities should draw on the Spark Seedling Project experience.",
    ),
    (
        "去年星火育苗工程投入资金十亿元。",
        "Last year the Spark Seedling Project received one billion yuan.",
    ),
]
FILLER = [
    ("今天北京天气晴朗。", "The weather in Beijing is fine today."),
    ("代表们认真审议报告。", "The deputies deliberated on the report."),
    ("粮食产量再创新高。", "Grain output reached a new high."),
    ("城镇新增就业稳定。", "New urban jobs held steady."),
    ("外贸进出口回升向好。", "Foreign trade picked up."),
    ("居民收入稳步增长。", "Personal income grew steadily."),
]


def _pairs(planted: list[tuple[str, str]] = PLANTED) -> list[SourcedPair]:
    return [SourcedPair(zh, en, REPORT, URL) for zh, en in [*planted, *FILLER]]


def _words(text: str) -> str:
    return " " + " ".join(t.word for t in tokenize(text)) + " "


def test_a_planted_term_is_harvested_with_its_consistent_english_and_source():
    [candidate] = [c for c in harvest_terms(_pairs()) if c.zh == "星火育苗工程"]
    assert candidate.en == "Spark Seedling Project"
    assert (candidate.together, candidate.pairs) == (4, 4)
    assert candidate.category == "programme"  # from its head, 工程
    assert candidate.source == REPORT and candidate.url == URL
    assert len(candidate.examples) == 3 and candidate.examples[0].zh == PLANTED[0][0]
    entry = candidate.to_entry()
    assert entry.id.startswith("hv-") and entry.status == "proposed"
    assert (entry.source, entry.source_url) == (REPORT, URL)


def test_fragments_of_the_planted_term_are_not_candidates():
    found = {c.zh for c in harvest_terms(_pairs())}
    assert "星火育苗工程" in found
    assert not found & {"星火育苗", "火育苗工程", "育苗工程", "星火育"}


def test_a_term_the_glossary_already_matches_is_not_proposed(tmp_path):
    known = Entry(
        id="t-xh",
        zh="星火育苗工程",
        en="Spark Seedling Project",
        category="programme",
        source=REPORT,
        source_url=URL,
        status="approved",
    )
    save_entries(tmp_path / "terms.tsv", [known])
    assert not [c for c in harvest_terms(_pairs(), load_glossary(tmp_path))]


def test_english_in_fewer_pairs_than_asked_is_not_proposed():
    # Each pair words the programme differently: no English recurs in two of them.
    varied = [
        (zh, en.replace("Spark Seedling Project", name))
        for (zh, en), name in zip(
            PLANTED,
            ["Spark Project", "Seedling Programme", "Ember Scheme", "Sprout Plan"],
            strict=True,
        )
    ]
    assert not [c for c in harvest_terms(_pairs(varied), min_pairs=2) if c.zh == "星火育苗工程"]


@pytest.mark.parametrize(
    ("zh", "category"),
    [
        ("低保制度", "policy"),
        ("星火育苗工程", "programme"),
        ("乡村振兴局", "institution"),
        ("相对贫困", "concept"),
    ],
)
def test_the_category_is_guessed_from_the_head(zh, category):
    assert guess_category(zh) == category


def test_provenance_is_read_from_jsonl_tmx_and_options(tmp_path):
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(
        json.dumps(
            {"zh": "甲", "en": "A", "provenance": {"publication": "P1", "url": URL}},
            ensure_ascii=False,
        )
        + "\n"
        + json.dumps({"zh": "乙", "en": "B", "publication": "P2"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"zh": "丙", "en": ""}, ensure_ascii=False)  # a 1–0 bead
        + "\n",
        encoding="utf-8",
    )
    tmx = tmp_path / "b.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header/><body>'
        '<tu><prop type="x-publication">P3</prop><prop type="x-url">https://e.org/3</prop>'
        '<tuv xml:lang="zh-CN"><seg>丁</seg></tuv><tuv xml:lang="en"><seg>D</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    tsv = tmp_path / "c.tsv"
    tsv.write_text("zh\ten\n戊\tE\n", encoding="utf-8")
    got = [
        *read_sourced_pairs(jsonl, "given", "https://given.org"),
        *read_sourced_pairs(tmx),
        *read_sourced_pairs(tsv, "P5", "https://e.org/5"),
    ]
    assert [(p.zh, p.publication, p.url) for p in got] == [
        ("甲", "P1", URL),
        ("乙", "P2", "https://given.org"),
        ("丁", "P3", "https://e.org/3"),
        ("戊", "P5", "https://e.org/5"),
    ]


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("x.jsonl", "{not json\n", "x.jsonl:1: not JSON"),
        ("x.jsonl", '{"zh": "甲"}\n', "needs an object with 'zh' and 'en'"),
        ("x.tsv", "only-one-column\n", "x.tsv:1: needs two tab-separated columns"),
        ("x.tmx", "<tmx><body>", "not a readable TMX file"),
        ("x.csv", "zh,en\n", "unknown pair format '.csv'"),
    ],
)
def test_unreadable_pair_files_are_one_clear_error(tmp_path, name, text, words):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace("[", r"\[")):
        read_sourced_pairs(path)


def test_the_command_queues_new_terms_once_and_writes_glossary_rows(
    tmp_path, project_root, monkeypatch
):
    monkeypatch.setenv("WORKBENCH_ROOT", str(project_root))
    monkeypatch.setenv("WORKBENCH_PATHS_WORK_DIR", str(tmp_path / "work"))
    monkeypatch.setenv("WORKBENCH_PATHS_GLOSSARY_DIR", str(VALID))
    jsonl = tmp_path / "aligned.jsonl"
    jsonl.write_text(
        "".join(json.dumps({"zh": p.zh, "en": p.en}, ensure_ascii=False) + "\n" for p in _pairs()),
        encoding="utf-8",
    )
    rows = tmp_path / "out" / "harvested.tsv"
    rows.parent.mkdir()
    args = ["glossary", "harvest", str(jsonl), "--publication", REPORT, "--url", URL]
    result = CliRunner().invoke(cli, [*args, "-o", str(rows)])
    assert result.exit_code == 0, result.output
    assert "'Spark Seedling Project'" in result.output
    store = SuggestionStore(store_path(tmp_path / "work"))
    items, total = store.list("pending", 100, 0)
    [proposal] = [s.proposal for s in items if s.proposal["zh"] == "星火育苗工程"]
    assert proposal["en"] == "Spark Seedling Project" and proposal["source_url"] == URL
    assert "我们将实施星火育苗工程" in proposal["comment"]
    assert check_glossary(rows.parent) == []  # the rows are valid glossary rows
    assert "星火育苗工程\t\tSpark Seedling Project" in rows.read_text(encoding="utf-8")
    again = CliRunner().invoke(cli, args)
    assert f"0 new proposal(s) in the curator queue, {total} already there" in again.output
    assert store.list(None, 100, 0)[1] == total


TERMS = [
    ("星火育苗工程", "Spark Seedling Project"),
    ("青禾互助机制", "Green Shoots Mutual Aid Mechanism"),
]
CONTEXTS = [
    ("我们将推广{}，帮助群众。", "We will extend the {} to help the people."),
    ("{}已覆盖三百个县。", "The {} now covers 300 counties."),
    ("去年{}投入十亿元。", "Last year the {} received one billion yuan."),
    ("各地因地制宜完善{}。", "Localities adapted the {} to local conditions."),
    ("报告提到{}。", "The report mentions the {}."),
]
OTHER_ENGLISH = ["new approach", "pilot scheme", "local programme"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    uses=st.lists(
        st.tuples(
            st.sampled_from(range(len(TERMS))),
            st.sampled_from(range(len(CONTEXTS))),
            st.one_of(st.none(), st.sampled_from(OTHER_ENGLISH)),  # None: the official English
        ),
        min_size=1,
        max_size=12,
    ),
    fillers=st.lists(st.sampled_from(FILLER), max_size=6),
    min_pairs=st.integers(min_value=1, max_value=3),
)
def test_renderings_recur_in_their_examples_and_rerunning_queues_nothing(uses, fillers, min_pairs):
    pairs = [
        SourcedPair(zh.format(TERMS[t][0]), en.format(other or TERMS[t][1]), REPORT, URL)
        for t, c, other in uses
        for zh, en in [CONTEXTS[c]]
    ] + [SourcedPair(zh, en, REPORT, URL) for zh, en in fillers]
    candidates = harvest_terms(pairs, min_pairs=min_pairs)
    for candidate in candidates:
        holding = [e for e in candidate.examples if _words(candidate.en) in _words(e.en)]
        assert len(holding) >= min_pairs
        assert all(candidate.zh in e.zh for e in candidate.examples)
    with tempfile.TemporaryDirectory() as work:
        store = SuggestionStore(store_path(Path(work)))
        first = queue_candidates(store, candidates)
        assert first == (len(candidates), 0)
        assert queue_candidates(store, harvest_terms(pairs, min_pairs=min_pairs)) == (
            0,
            len(candidates),
        )
        assert store.list(None, 1000, 0)[1] == len(candidates)


def test_a_term_next_to_function_characters_and_glued_verbs_stands_free():
    # 低保制度 always comes after 完善 or 的 and before 的 or 工作: free contexts, not a
    # longer term; "subsistence allowance system" is its English in every pair.
    pairs = [
        SourcedPair(
            "我们将完善低保制度的实施细则。",
            "We will refine the rules of the subsistence allowance system.",
            REPORT,
            URL,
        ),
        SourcedPair(
            "各地的低保制度工作进展顺利。",
            "Local work on the subsistence allowance system went smoothly.",
            REPORT,
            URL,
        ),
        SourcedPair(
            "要完善低保制度和救助体系。",
            "The subsistence allowance system and relief will be improved.",
            REPORT,
            URL,
        ),
        *[SourcedPair(zh, en, REPORT, URL) for zh, en in FILLER],
    ]
    [candidate] = [c for c in harvest_terms(pairs) if c.zh == "低保制度"]
    assert candidate.en == "subsistence allowance system"
    assert candidate.category == "policy"


def test_english_renderings_do_not_run_across_punctuation():
    pairs = [
        SourcedPair(
            f"{zh}全国政协委员提出意见{tail}",
            f"Members of the Chinese People's Political Consultative Conference (CPPCC) {en}",
            REPORT,
            URL,
        )
        for zh, tail, en in [
            ("请", "。", "will comment."),
            ("欢迎", "！", "are welcome."),
            ("各位", "吗？", "may speak."),
        ]
    ] + [SourcedPair(zh, en, REPORT, URL) for zh, en in FILLER]
    for candidate in harvest_terms(pairs):
        assert "(" not in candidate.en and "," not in candidate.en, candidate.en


def test_provenance_can_be_given_per_file(tmp_path, project_root, monkeypatch):
    monkeypatch.setenv("WORKBENCH_ROOT", str(project_root))
    monkeypatch.setenv("WORKBENCH_PATHS_WORK_DIR", str(tmp_path / "work"))
    monkeypatch.setenv("WORKBENCH_PATHS_GLOSSARY_DIR", str(VALID))
    first, second = tmp_path / "a.tsv", tmp_path / "b.tsv"
    first.write_text("".join(f"{zh}\t{en}\n" for zh, en in PLANTED[:2] + FILLER[:3]), "utf-8")
    second.write_text("".join(f"{zh}\t{en}\n" for zh, en in PLANTED[2:] + FILLER[3:]), "utf-8")
    out = tmp_path / "c.jsonl"
    given = ["--publication", "P-a", "--url", "https://e.org/a"]
    given += ["--publication", "P-b", "--url", "https://e.org/b"]
    args = ["glossary", "harvest", str(first), str(second), "--no-queue", "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, *given])
    assert result.exit_code == 0, result.output
    [record] = [
        r for r in map(json.loads, out.read_text("utf-8").splitlines()) if r["zh"] == "星火育苗工程"
    ]
    assert {(e["publication"], e["url"]) for e in record["examples"]} == {
        ("P-a", "https://e.org/a"),
        ("P-b", "https://e.org/b"),
    }
    wrong = CliRunner().invoke(
        cli, [*args, "--publication", "x", "--publication", "y", "--publication", "z"]
    )
    assert wrong.exit_code != 0 and "3 --publication values for 2 files" in str(
        wrong.exception or wrong.output
    )


LOW_INCOME = [
    (
        "我们将完善低保制度的实施细则。",
        "We will refine the rules of the subsistence allowance system.",
    ),
    (
        "各地的低保制度工作进展顺利。",
        "Local work on the subsistence allowance system went smoothly.",
    ),
    ("要完善低保制度和救助体系。", "The subsistence allowance system and relief will be improved."),
    (
        "低保标准提高了，低保制度更健全。",
        "Subsistence allowance rates rose and the subsistence allowance system improved.",
    ),
]


def test_a_known_term_inside_the_candidate_does_not_hide_its_english(tmp_path):
    known = Entry(
        id="t-db",
        zh="低保",
        en="subsistence allowance",
        category="policy",
        source=REPORT,
        source_url=URL,
        status="approved",
    )
    save_entries(tmp_path / "terms.tsv", [known])
    pairs = [SourcedPair(zh, en, REPORT, URL) for zh, en in [*LOW_INCOME, *FILLER]]
    found = {c.zh: c for c in harvest_terms(pairs, load_glossary(tmp_path))}
    assert found["低保制度"].en == "subsistence allowance system"
    assert "低保" not in found
