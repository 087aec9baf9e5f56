"""The TM in the service: /api/tm and /tm answer in both scripts; the entry page's English."""

from __future__ import annotations

import pytest
from test_web_helpers import make_config, sample_corpus

from workbench.tm.concordance import en_spans, zh_spans
from workbench.tm.store import TmPair, TranslationMemory, tm_path
from workbench.web.app import create_app

SENTENCE = "坚持精准扶贫，确保贫困人口实现“两不愁、三保障”。"
ENGLISH = (
    "Adhere to targeted poverty alleviation and ensure the two assurances and three guarantees."
)
PAIRS = [
    TmPair(SENTENCE, ENGLISH, origin="annotated"),
    TmPair("到2020年稳定实现两不愁三保障。", "By 2020, reliably ensure the two assurances.",
           origin="aligned", score=0.8, provenance={"publication": "White paper"}),
    TmPair("全面推进乡村振兴。", "Advance rural revitalization on all fronts."),
]  # fmt: skip


@pytest.fixture
def config(tmp_path):
    config = make_config(tmp_path)
    with TranslationMemory(tm_path(config)) as tm:
        tm.add_pairs(PAIRS)
    return config


@pytest.mark.parametrize("query", ["精准扶贫", "精準扶貧"])
def test_api_finds_a_chinese_phrase_in_either_script_and_marks_both_sides(config, query):
    answer = create_app(config).test_client().get("/api/tm", query_string={"q": query})
    assert answer.status_code == 200
    page = answer.get_json()
    assert (page["side"], page["total"]) == ("zh", 1)
    [item] = page["items"]
    assert [item["zh"][s:e] for s, e in item["zh_spans"]] == ["精准扶贫"]
    # the glossary's rendering of the phrase is marked on the English side
    assert [item["en"][s:e] for s, e in item["en_spans"]] == ["targeted poverty alleviation"]


def test_api_lists_final_annotations_first(config):
    page = create_app(config).test_client().get("/api/tm?q=兩不愁").get_json()
    assert [i["origin"] for i in page["items"]] == ["annotated", "aligned"]
    assert [i["zh"][s:e] for i in page["items"] for s, e in i["zh_spans"]] == ["两不愁"] * 2


def test_api_finds_an_english_phrase_in_any_case(config):
    page = create_app(config).test_client().get("/api/tm?q=RURAL%20revitalization").get_json()
    [item] = page["items"]
    assert page["side"] == "en" and item["zh"] == "全面推进乡村振兴。"
    assert [item["en"][s:e] for s, e in item["en_spans"]] == ["rural revitalization"]


def test_api_pages_and_refuses_bad_parameters(config):
    client = create_app(config).test_client()
    page = client.get("/api/tm?q=兩不愁&limit=1&offset=1").get_json()
    assert (page["total"], len(page["items"]), page["offset"]) == (2, 1, 1)
    assert client.get("/api/tm?q=" + "扶" * 201).status_code == 400
    assert client.get("/api/tm?q=x&limit=0").get_json()["error"]["code"] == "bad_parameter"
    assert client.get("/api/tm?q=").get_json()["items"] == []


def test_no_tm_answers_an_empty_page_without_creating_one(tmp_path):
    config = make_config(tmp_path)
    client = create_app(config).test_client()
    assert client.get("/api/tm?q=扶贫").get_json()["total"] == 0
    assert "No translation memory yet" in client.get("/tm?q=扶贫").get_data(as_text=True)
    assert not tm_path(config).exists()


def test_page_shows_bilingual_examples_with_the_phrase_highlighted(config):
    client = create_app(config).test_client()
    page = client.get("/tm?q=精準扶貧").get_data(as_text=True)
    assert "1 pair with “精準扶貧” on the Chinese side" in page
    assert "坚持<mark>精准扶贫</mark>" in page
    assert "Adhere to <mark>targeted poverty alleviation</mark>" in page
    english = client.get("/tm?q=Two+Assurances").get_data(as_text=True)
    assert "on the English side" in english and "the <mark>two assurances</mark>" in english
    assert "White paper" in english


def test_the_entry_page_shows_the_tm_english_of_an_example_sentence(config):
    sample_corpus(config)
    page = create_app(config).test_client().get("/terms/pov-003").get_data(as_text=True)
    assert ENGLISH in page and "(translation memory)" in page


def test_spans_map_back_through_script_width_and_spaces():
    assert zh_spans("確保 兩不愁三保障。", "两不愁三保障") == [(3, 9)]
    assert zh_spans("ＧＤＰ增长", "gdp") == [(0, 3)]
    assert en_spans("Rural and rural", ["RURAL"]) == [(0, 5), (10, 15)]
    assert en_spans("Rural rural", ["RURAL", "rural r"]) == [(0, 11)]  # overlaps merge
