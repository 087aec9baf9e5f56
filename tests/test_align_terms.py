"""Glossary terms as alignment anchors (issue 10): which concepts anchor a bead, how the
English is found, and how a bead's term agreement adds up over its sentences."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from workbench.align.aligner import (
    Aligner,
    AlignerSettings,
    TermSpotter,
    en_address_lines,
    is_en_greeting,
)
from workbench.align.evaluate import read_gold_folder
from workbench.align.names import term_anchors
from workbench.align.scoring import EmbeddingScorer, key_mask, side_features
from workbench.glossary import load_glossary
from workbench.glossary.model import Entry
from workbench.glossary.termbase import Glossary

ROOT = Path(__file__).resolve().parent.parent
DEV = Path(__file__).parent / "data" / "align-dev"


def _entry(entry_id: str, zh: str, en: str, *alternatives: str, category: str = "concept") -> Entry:
    return Entry(
        id=entry_id,
        zh=zh,
        zh_variants=[],
        en=en,
        en_alternatives=list(alternatives),
        en_forbidden=[],
        category=category,
        note="",
        source="test",
        source_url="",
        status="approved",
    )


def _spotter(*entries: Entry) -> TermSpotter:
    return TermSpotter(Glossary(list(entries), "test", []))


def test_english_renderings_are_found_inflected_and_never_inside_a_longer_word() -> None:
    spotter = _spotter(
        _entry("county", "贫困县", "poverty-stricken county"),
        _entry("president", "国家主席", "President", category="title"),
        _entry("sc", "国务院", "State Council", category="institution"),
    )
    found = spotter.en_terms(
        [
            "Poverty-stricken counties were all removed from the list.",
            "Mr. President, Colleagues,",
            "the State Councils of yesterday",
            "the Statecouncil",
        ],
        {"county", "president", "sc"},
    )
    # Inflected (counties, Councils) counts; a one-word rendering ("President", which
    # also addresses the chair of the General Assembly) is not looked for.
    assert found == [{"county"}, set(), {"sc"}, set()]


def test_anchors_are_concepts_both_sides_name_in_few_sentences() -> None:
    levels = {"rare": "descriptive", "common": "descriptive", "zhonly": "descriptive"}
    levels |= {"title": "required", "policy": "preferred"}
    forms = {key: [key] for key in levels}
    zh = [{"rare", "common"}, {"common"}, {"common", "zhonly", "title", "policy"}, set()]
    en = [{"rare", "common"}, {"common"}, set(), {"common"}]
    zh_keys, en_keys, strict = term_anchors(zh, en, levels, forms)
    # "common" is in 3 of 4 sentences: it ties everything to everything and is dropped;
    # a descriptive or preferred concept the English never renders anchors nothing; a
    # required one (a title the English page leaves out) stays, to count as lacking.
    assert zh_keys == [{"rare"}, set(), {"title"}, set()]
    assert en_keys == [{"rare"}, set(), set(), set()]
    assert strict == {"title"}


def test_a_longer_zh_term_stands_for_the_shorter_one_it_contains() -> None:
    """全体人民共同富裕 (the matcher's longest form) is rendered "common prosperity of
    the entire population": the English finds 共同富裕's rendering, one mention."""
    levels = {"long": "required", "short": "required"}
    forms = {"long": ["全体人民共同富裕"], "short": ["共同富裕"]}
    zh = [{"long"}, set(), set(), {"short"}, set(), set()]
    en = [{"short"}, set(), set(), {"long", "short"}, set(), set()]
    zh_keys, en_keys, _ = term_anchors(zh, en, levels, forms)
    assert zh_keys[0] == {"long", "short"}
    assert en_keys[0] == {"short"}


def _scorer(zh_terms: list[set[str]], en_terms: list[set[str]], strict: set[str], terms: float):
    rng = np.random.default_rng(3)
    zh_vectors = rng.normal(size=(len(zh_terms), 16))
    en_vectors = rng.normal(size=(len(en_terms), 16))
    zh = side_features(zh_vectors, ["句子。"] * len(zh_terms), zh_terms)
    en = side_features(en_vectors, ["A sentence."] * len(en_terms), en_terms)
    return EmbeddingScorer(zh, en, {"terms": terms}, term_strict=key_mask(strict))


def _credit(zh_terms, en_terms, strict, a: int, b: int, i: int, j: int) -> float:
    """The term part of one bead's cost: the cost without terms minus the cost with."""
    with_terms = _scorer(zh_terms, en_terms, strict, 1.0).costs(a, b, np.array([i]), np.array([j]))
    without = _scorer(zh_terms, en_terms, strict, 0.0).costs(a, b, np.array([i]), np.array([j]))
    return float(without[0] - with_terms[0])


def test_term_credit_adds_up_over_the_sentences_of_a_bead() -> None:
    """A 2–2 bead earns what its two 1–1 halves earn together when each term finds its
    partner inside both: a share per bead paid the two halves twice as much."""
    assert key_mask({"x"}) != key_mask({"y"})
    zh, en = [{"x"}, {"y"}], [{"x"}, {"y"}]
    whole = _credit(zh, en, set(), 2, 2, 2, 2)
    halves = _credit(zh, en, set(), 1, 1, 1, 1) + _credit(zh, en, set(), 1, 1, 2, 2)
    assert whole == pytest.approx(2.0)
    assert halves == pytest.approx(whole)


def test_a_merged_sentence_whose_strict_term_the_other_side_lacks_costs() -> None:
    """国务院总理 温家宝 under a report's title has no English line: merged into the
    title's bead, its title term is lacking there; paired 1–1 it is not charged (a
    translation may drop a title), and a descriptive term never is."""
    zh, en = [{"x"}, {"y"}], [{"x"}]
    assert _credit(zh, en, {"y"}, 2, 1, 2, 1) == pytest.approx(0.5)
    assert _credit(zh, en, set(), 2, 1, 2, 1) == pytest.approx(1.0)
    assert _credit(zh, en, {"y"}, 1, 1, 2, 1) == pytest.approx(0.0)
    assert _credit(zh, en, {"y"}, 1, 1, 1, 1) == pytest.approx(1.0)


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary(ROOT / "glossary")


def test_the_glossary_keeps_a_zh_only_byline_out_of_the_title_bead(glossary: Glossary) -> None:
    """GWR 2008: "——2008年3月5日在第十一届全国人民代表大会第一次会议上" is "Delivered at
    the First Session of the Eleventh National People's Congress …"; the next zh line,
    国务院总理 温家宝, has no English. Without the glossary it was merged into that bead."""
    doc = next(d for d in read_gold_folder(DEV) if d.id == "gwr2008")
    beads = Aligner(AlignerSettings(), glossary).align(doc.zh, doc.en)
    found = {(tuple(b.zh_sentences), tuple(b.en_sentences)) for b in beads}
    assert ((1,), (1,)) in found
    assert ((2,), ()) in found


def test_a_greeting_line_has_no_zh_partner_only_where_the_zh_page_greets_nobody() -> None:
    """The New Year address's zh page makes 同志们、朋友们、女士们、先生们： the label of its
    first sentence, so "Comrades, friends, ladies and gentlemen, greetings to you all!"
    has no zh line; a press conference's "Ladies and gentlemen, good morning." pairs with
    女士们、先生们，大家上午好。 and stays an ordinary line."""
    greeting = "Comrades, friends, ladies and gentlemen, greetings to you all!"
    assert is_en_greeting(greeting)
    assert is_en_greeting("Ladies and gentlemen, good morning.")
    assert not is_en_greeting("Ladies and gentlemen, the year 2021 is arriving.")
    assert not is_en_greeting("")
    new_year = ["2021 年的脚步越来越近，我在北京向大家致以新年的美好祝福！"]
    assert en_address_lines(new_year, [greeting, "The year 2021 is arriving."]) == [True, False]
    press = ["女士们、先生们，大家上午好。", "欢迎出席今天的新闻发布会。"]
    english = ["Good morning, ladies and gentlemen.", "Fellow Deputies,"]
    assert en_address_lines(press, english) == [False, True]


def test_the_new_year_greeting_is_left_out_instead_of_merged(glossary: Glossary) -> None:
    doc = next(d for d in read_gold_folder(DEV) if d.id == "xinewyear2021")
    beads = Aligner(AlignerSettings(), glossary).align(doc.zh, doc.en)
    found = {(tuple(b.zh_sentences), tuple(b.en_sentences)) for b in beads}
    assert ((), (0,)) in found
    assert ((0,), (1, 2)) in found
