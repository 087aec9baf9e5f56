"""The embedding scorer's member, heading and rival terms: a merge must not hide a sentence
that has no counterpart on the other side, and a pair must not stand in for two sentences
that have none (issue 10, accuracy)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from workbench.align import scoring
from workbench.align.aligner import Aligner, AlignerSettings
from workbench.align.evaluate import read_gold_folder
from workbench.align.scoring import EmbeddingScorer, is_title_like, side_features

DEV = Path(__file__).parent / "data" / "align-dev"


def unit(*parts: np.ndarray) -> np.ndarray:
    vector = np.sum(parts, axis=0)
    return vector / np.linalg.norm(vector)


def scorer(member: float) -> EmbeddingScorer:
    """zh 0 is rendered by en 0 + en 1 (a real 1–2 split); en 2 is unrelated to it."""
    basis = np.eye(8, dtype=np.float32)
    zh = np.stack([unit(basis[0], basis[1]), basis[3], basis[4]])
    en = np.stack([basis[0], basis[1], basis[2], basis[3], basis[4]])
    return EmbeddingScorer(
        side_features(zh, ["一二三四五六七八九十"] * 3),
        side_features(en, ["a" * 12] * 5),
        {"member": member},
    )


def bead_cost(s: EmbeddingScorer, a: int, b: int, zh_end: int, en_end: int) -> float:
    return float(s.costs(a, b, np.array([zh_end]), np.array([en_end]))[0])


def test_member_term_charges_a_merge_that_holds_an_unrelated_sentence() -> None:
    without, with_member = scorer(0.0), scorer(1.0)
    # 1–3 bead zh[0] ~ en[0:3]: en 2 has nothing to do with zh 0.
    assert bead_cost(with_member, 1, 3, 1, 3) > bead_cost(without, 1, 3, 1, 3) + 0.1
    # The true 1–2 bead: both en sentences are close to the zh one, no charge.
    assert bead_cost(with_member, 1, 2, 1, 2) == pytest.approx(bead_cost(without, 1, 2, 1, 2))
    # 1–1 beads are never charged.
    assert bead_cost(with_member, 1, 1, 2, 4) == pytest.approx(bead_cost(without, 1, 1, 2, 4))


def test_untranslated_english_lines_stay_out_of_the_neighbouring_beads() -> None:
    """Xi's 2021 New Year address as a study site prints it: some English paragraphs have
    no Chinese on the page; the one after "面对突如其来的…" (two English sentences) must not
    be merged into that sentence's bead. (The scorer without the member term makes it 1–3.)"""
    doc = next(d for d in read_gold_folder(DEV) if d.id == "xinewyear2021")
    beads = Aligner(AlignerSettings(use_glossary=False)).align(doc.zh, doc.en)
    found = {(tuple(b.zh_sentences), tuple(b.en_sentences)) for b in beads}
    assert ((2,), (4, 5)) in found
    assert not any(6 in b.en_sentences and 5 in b.en_sentences for b in beads)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("目录", True),
        ("白皮书指出：", True),
        ("消息发布", True),
        ("Wen Jiabao", True),
        ("The six sections:", True),
        ("Fellow Deputies,", True),
        ("I. Review of the Work in 2008", True),
        ("各位记者朋友大家下午好！", False),
        ("“三十而立”。", False),
        ('He said "yes."', False),
        ("What is China doing?", False),
    ],
)
def test_title_like_lines(line: str, expected: bool) -> None:
    assert is_title_like(line) is expected


def heading_scorer(heading: float) -> EmbeddingScorer:
    """zh 0 is a zh-only heading ("消息发布"), zh 1 the sentence en 0 translates; zh 2 and
    zh 3 are the two lines of one title, rendered by en 1."""
    basis = np.eye(8, dtype=np.float32)
    zh = np.stack([unit(basis[0], basis[5]), basis[0], basis[2], basis[3]])
    en = np.stack([basis[0], unit(basis[2], basis[3])])
    texts = [
        "消息发布",
        "各位记者朋友大家下午好！",
        "2018年11月8日外交部发言人华春莹",
        "主持例行记者会",
    ]
    return EmbeddingScorer(
        side_features(zh, texts),
        side_features(en, ["Good afternoon, friends from the press!", "Regular Press Conference"]),
        {"heading": heading, "rival": 0.0},
    )


def test_heading_term_charges_a_heading_merged_into_a_sentence_only() -> None:
    without, with_heading = heading_scorer(0.0), heading_scorer(1.0)
    # 2–1 heading + sentence ~ en 0: charged the full weight.
    assert bead_cost(with_heading, 2, 1, 2, 1) == pytest.approx(bead_cost(without, 2, 1, 2, 1) + 1)
    # Two title lines rendered by one en line: both title-like, no charge.
    assert bead_cost(with_heading, 2, 1, 4, 2) == pytest.approx(bead_cost(without, 2, 1, 4, 2))
    # 1–1 beads are never charged.
    assert bead_cost(with_heading, 1, 1, 2, 1) == pytest.approx(bead_cost(without, 1, 1, 2, 1))


def rival_scorer(rival: float) -> EmbeddingScorer:
    """zh 0 (a zh-only intro) is loosely related to en 0; en 0 is zh 1's translation."""
    basis = np.eye(8, dtype=np.float32)
    zh = np.stack([unit(basis[0], basis[4], basis[5]), basis[0], basis[1]])
    en = np.stack([basis[0], basis[1]])
    return EmbeddingScorer(
        side_features(zh, ["一二三四五六七八九十。"] * 3),
        side_features(en, ["a" * 30 + "."] * 2),
        {"rival": rival, "rival_margin": 0.1},
    )


def test_rival_term_charges_a_pair_whose_sentence_has_a_better_partner() -> None:
    without, with_rival = rival_scorer(0.0), rival_scorer(2.0)
    # zh 0 ~ en 0: en 0 matches zh 1 with cosine 1 against 0.58 here: charged.
    wrong = bead_cost(with_rival, 1, 1, 1, 1) - bead_cost(without, 1, 1, 1, 1)
    assert wrong == pytest.approx(2.0 * (1.0 - 1 / np.sqrt(3) - 0.1), rel=1e-4)
    # The true pairs are never charged.
    assert bead_cost(with_rival, 1, 1, 2, 1) == pytest.approx(bead_cost(without, 1, 1, 2, 1))
    assert bead_cost(with_rival, 1, 1, 3, 2) == pytest.approx(bead_cost(without, 1, 1, 3, 2))
    # The best matches are per sentence, over the whole other side.
    assert with_rival.best_matches("en") == pytest.approx([1.0, 1.0])
    assert with_rival.best_matches("zh") == pytest.approx([1 / np.sqrt(3), 1.0, 1.0], rel=1e-5)


@pytest.mark.parametrize(
    ("doc_id", "bead", "absent"),
    [
        # A long zh sentence the en splits in three stays one 1–3 bead (not 1–2 + 0–1).
        ("wpclimate2021", ((15,), (12, 13, 14)), ((), (14,))),
        # The zh-only heading 消息发布 is left out, not merged into the greeting's bead.
        ("mfa2018", ((3,), (2,)), ((2, 3), (2,))),
        # A page's zh-only lead-in lines do not pair with the first en sentence.
        ("likeqiang2019", ((3,), (0, 1, 2)), ((0,), (0,))),
    ],
)
def test_dev_documents_of_the_classes_the_new_terms_address(
    doc_id: str,
    bead: tuple[tuple[int, ...], tuple[int, ...]],
    absent: tuple[tuple[int, ...], tuple[int, ...]],
) -> None:
    doc = next(d for d in read_gold_folder(DEV) if d.id == doc_id)
    beads = Aligner(AlignerSettings(use_glossary=False)).align(doc.zh, doc.en)
    found = {(tuple(b.zh_sentences), tuple(b.en_sentences)) for b in beads}
    assert bead in found
    assert absent not in found


def question_scorer() -> EmbeddingScorer:
    """zh: a question, a statement, a question; en: a statement, a question."""
    basis = np.eye(4, dtype=np.float32)
    zh = side_features(basis[:3], ["中国做了什么？", "中国发表了白皮书。", "这是为什么？"])
    en = side_features(basis[1:3], ["China released a white paper.", "Why is this?"])
    return EmbeddingScorer(zh, en)


def test_question_term_charges_a_question_left_unanswered_at_a_beads_edge(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = question_scorer()
    charged = s._unanswered_question
    # zh 0 (a question) opens the 2–1 bead zh 0–1 / en 0, which asks nothing.
    assert charged(2, 1, np.array([0]), np.array([0])).tolist() == [1.0]
    # The statement alone against the statement: nothing to answer.
    assert charged(1, 1, np.array([1]), np.array([0])).tolist() == [0.0]
    # A question against a question, and a merge whose question is answered.
    assert charged(1, 1, np.array([2]), np.array([1])).tolist() == [0.0]
    assert charged(2, 2, np.array([1]), np.array([0])).tolist() == [0.0]
    # The en question alone against the zh statement.
    assert charged(1, 1, np.array([1]), np.array([1])).tolist() == [1.0]
    # Only an edge sentence counts (a sentence left out of a merge is at its edge): zh
    # 0–2 opens and closes with a question, so it is charged against en 0; a span whose
    # only question is in the middle is not.
    middle = EmbeddingScorer(
        side_features(np.eye(3, dtype=np.float32), ["甲。", "乙吗？", "丙。"]),
        side_features(np.eye(3, dtype=np.float32)[:1], ["A."]),
    )
    assert middle._unanswered_question(3, 1, np.array([0]), np.array([0])).tolist() == [0.0]
    assert charged(3, 1, np.array([0]), np.array([0])).tolist() == [1.0]
    # The term is what makes the difference in the bead cost.
    with_term = bead_cost(s, 2, 1, 2, 1)
    monkeypatch.setattr(scoring, "QUESTION", 0.0)
    assert with_term == pytest.approx(bead_cost(s, 2, 1, 2, 1) + 1.0)


def test_unrelated_term_charges_only_a_near_orthogonal_one_to_one_bead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    basis = np.eye(4, dtype=np.float32)
    zh = side_features(np.stack([basis[0], unit(basis[1], basis[2])]), ["一二三四五。"] * 2)
    en = side_features(np.stack([basis[3], basis[1]]), ["abcdefghijkl."] * 2)
    s = EmbeddingScorer(zh, en)
    orthogonal, related = bead_cost(s, 1, 1, 1, 1), bead_cost(s, 1, 1, 2, 2)  # cos 0, 0.71
    merged = bead_cost(s, 2, 1, 2, 1)
    monkeypatch.setattr(scoring, "UNRELATED", 0.0)
    assert orthogonal == pytest.approx(bead_cost(s, 1, 1, 1, 1) + 2.0)
    assert related == pytest.approx(bead_cost(s, 1, 1, 2, 2))
    assert merged == pytest.approx(bead_cost(s, 2, 1, 2, 1))  # merges are the member term's


def _dev_beads(doc_id: str) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The beads the aligner (glossary off) gives one dev document, as (zh, en) index tuples."""
    doc = next(d for d in read_gold_folder(DEV) if d.id == doc_id)
    beads = Aligner(AlignerSettings(use_glossary=False)).align(doc.zh, doc.en)
    return {(tuple(b.zh_sentences), tuple(b.en_sentences)) for b in beads}


@pytest.mark.parametrize(
    ("doc_id", "weights", "bead", "absent"),
    [
        # China Daily's zh-only headline question stays out of the lead's bead.
        ("cdclimate2021", {"QUESTION": 0.0}, ((0,), ()), ((0, 1), (0,))),
        # The study page's rhetorical question and its next line stay out; "The six
        # sections:" (en only) pairs with neither.
        ("wpdefense2019", {"QUESTION": 0.0, "UNRELATED": 0.0}, ((), (4,)), ((4,), (4,))),
    ],
)
def test_dev_documents_of_the_question_and_unrelated_terms(
    monkeypatch: pytest.MonkeyPatch,
    doc_id: str,
    weights: dict[str, float],
    bead: tuple[tuple[int, ...], tuple[int, ...]],
    absent: tuple[tuple[int, ...], tuple[int, ...]],
) -> None:
    def found() -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
        return _dev_beads(doc_id)

    now = found()
    assert bead in now and absent not in now
    for name, value in weights.items():
        monkeypatch.setattr(scoring, name, value)
    assert bead not in found()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Xiang Dong:", True),
        ("Hu Kaihong:", True),
        ("Shou Xiaoli: ", True),
        ("The six sections:", False),  # lower-case words: a list lead-in, not a name
        ("Ladies and gentlemen,", False),
        ("Zhao Lijian: We have noted the reports.", False),  # a speaker run into the text
    ],
)
def test_speaker_lines(line: str, expected: bool) -> None:
    assert scoring.is_speaker(line) is expected


def test_speaker_term_charges_a_name_line_whose_zh_side_has_no_colon_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    zh_text = ["新闻发言人寿小丽：", "下面请向东先生作介绍。"]
    en_text = ["Shou Xiaoli:", "First, Mr. Xiang.", "Xiang Dong:"]
    basis = np.eye(4, dtype=np.float32)
    s = EmbeddingScorer(
        side_features(basis[:2], zh_text),
        side_features(basis[:3], en_text),
        en_speakers=np.array([scoring.is_speaker(t) for t in en_text]),
        zh_colons=np.array([scoring.is_zh_colon_line(t) for t in zh_text]),
    )
    charged = s._unanswered_speaker
    assert charged(1, 1, np.array([0]), np.array([0])).tolist() == [0.0]  # 寿小丽： / name
    assert charged(1, 2, np.array([1]), np.array([1])).tolist() == [1.0]  # merged name line
    assert charged(1, 1, np.array([1]), np.array([1])).tolist() == [0.0]  # no name line
    merged = bead_cost(s, 1, 2, 2, 3)
    monkeypatch.setattr(scoring, "SPEAKER", 0.0)
    assert merged == pytest.approx(bead_cost(s, 1, 2, 2, 3) + 1.0)


@pytest.mark.parametrize(
    ("doc_id", "bead", "absent"),
    [
        # "Hu Kaihong:" (the zh made 胡凯红： a label) is 0–1, not paired with the audio line.
        ("sciodefense2019", ((), (0,)), ((3,), (0,))),
        # "Xiang Dong:" stays out of the bead of the sentence before it.
        ("scio2022gwr", ((), (6,)), ((6,), (5, 6))),
    ],
)
def test_dev_documents_of_the_speaker_term(
    monkeypatch: pytest.MonkeyPatch,
    doc_id: str,
    bead: tuple[tuple[int, ...], tuple[int, ...]],
    absent: tuple[tuple[int, ...], tuple[int, ...]],
) -> None:
    def found() -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
        return _dev_beads(doc_id)

    now = found()
    assert bead in now and absent not in now
    monkeypatch.setattr(scoring, "SPEAKER", 0.0)
    assert absent in found()


def test_echoed_leads_are_full_sentences_a_later_one_repeats_with_its_quantities() -> None:
    basis = np.eye(6, dtype=np.float32)
    lead = unit(basis[0], 0.1 * basis[1])
    vectors = np.stack([lead, basis[2], basis[0], basis[3]])
    titles = np.zeros(4)
    numbers = np.array([0b011, 0, 0b111, 0], dtype=np.uint64)
    # zh 0 is the lead, zh 1 (a photo credit, 以下是记者会实录。) lies between it and its repeat.
    assert scoring.echoed_leads(vectors, titles, numbers).tolist() == [True, True, False, False]
    # A quantity the later sentence lacks (another date): not a repeat.
    numbers[0] = 0b1000
    assert not scoring.echoed_leads(vectors, titles, numbers).any()
    # Running heads (title lines) are never echoes.
    numbers[0] = 0
    assert not scoring.echoed_leads(vectors, np.array([1.0, 0, 1.0, 0]), numbers).any()


@pytest.mark.parametrize(
    ("doc_id", "bead", "absent"),
    [
        # The English lead renders the speech page's own opening sentence (zh 3), not the
        # news lead two lines above it that says nearly the same.
        ("xi2015unga", ((3,), (0,)), ((1,), (0,))),
        # The press conference's news lead (zh 0) and 以下是记者会实录。 (zh 1) stay out of
        # the transcript's first bead.
        ("likeqiang2014", ((0,), ()), ((0, 1, 2), (0, 1))),
        ("likeqiang2014", ((2,), (0, 1)), ((0, 1, 2), (0, 1))),
    ],
)
def test_dev_documents_of_the_echo_term(
    monkeypatch: pytest.MonkeyPatch,
    doc_id: str,
    bead: tuple[tuple[int, ...], tuple[int, ...]],
    absent: tuple[tuple[int, ...], tuple[int, ...]],
) -> None:
    now = _dev_beads(doc_id)
    assert bead in now and absent not in now
    monkeypatch.setattr(scoring, "ECHO", 0.0)
    # xi2015unga's news lead is also the caption of a photo credit line ([新华社 庞兴雷 摄]):
    # the page-line term alone keeps it out of the English lead's bead as well.
    monkeypatch.setattr(scoring, "PAGE_LINE", 0.0)
    assert absent in _dev_beads(doc_id)


@pytest.mark.parametrize(
    ("line", "side", "expected"),
    [
        ("CFP", "en", True),
        ("(Xinhua/Liu Bin)", "en", True),
        ("Photo by Zhang Wei", "en", True),
        ("Reuters:", "en", False),  # a questioner's agency, a speaker line
        ("Xinhua News Agency: In May, China will host the Forum.", "en", False),
        ("[新华社记者 刘彬 摄]", "zh", True),
        ("新华社记者 邢广利 摄", "zh", True),
        ("（图片来源：新华社）", "zh", True),
        ("新华社记者：", "zh", False),  # a questioner, not a credit
        ("组织拍摄", "zh", False),
    ],
)
def test_photo_credit_lines(line: str, side: str, expected: bool) -> None:
    assert scoring.is_photo_credit(line, side) is expected


def test_page_lines_are_credits_their_captions_and_editors_notes() -> None:
    zh = [
        "时隔23年，中国再次发表粮食白皮书",
        "导读：10月14日下午，国务院新闻办发表了白皮书。",
        "当你走进便利店。",
    ]
    en = [
        "Food security has improved",
        "A farmer harvests grain with a tractor.",
        "CFP",
        "When you walk in.",
    ]
    assert scoring.page_lines(zh, "zh").tolist() == [False, True, False]
    assert scoring.page_lines(en, "en").tolist() == [False, True, True, False]
    assert scoring.page_lines(
        ["Editor's note: This is the second of a series."], "en"
    ).tolist() == [True]


def test_page_line_term_charges_a_bead_with_a_page_line_on_one_side_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    zh_text = ["空中俯瞰浙江省诸暨市十里坪村。", "（图片来源：新华社）", "意见提出多项举措。"]
    en_text = ["A village in Zhuji seen from the air.", "(Xinhua/Liu Bin)", "The guideline."]
    basis = np.eye(4, dtype=np.float32)
    s = EmbeddingScorer(
        side_features(basis[:3], zh_text),
        side_features(basis[:3], en_text),
        zh_pages=scoring.page_lines(zh_text, "zh"),
        en_pages=scoring.page_lines(en_text, "en"),
    )
    charged = s._page_line_mismatch
    assert charged(1, 1, np.array([0]), np.array([0])).tolist() == [0.0]  # caption / caption
    assert charged(1, 1, np.array([1]), np.array([1])).tolist() == [0.0]  # credit / credit
    assert charged(1, 1, np.array([0]), np.array([2])).tolist() == [1.0]  # caption / text
    assert charged(1, 2, np.array([2]), np.array([1])).tolist() == [1.0]  # text / credit + text
    assert charged(1, 1, np.array([2]), np.array([2])).tolist() == [0.0]
    cost = bead_cost(s, 1, 1, 1, 3)
    monkeypatch.setattr(scoring, "PAGE_LINE", 0.0)
    assert cost == pytest.approx(bead_cost(s, 1, 1, 1, 3) + 1.0)


def test_dev_document_of_the_page_line_term(monkeypatch: pytest.MonkeyPatch) -> None:
    # food2019: the zh headline pairs with the en headline, not with the en-only photo
    # caption, and the zh-only 导读 stays out.
    now = _dev_beads("food2019")
    assert ((0,), (0,)) in now and ((), (1,)) in now and ((1,), ()) in now
    monkeypatch.setattr(scoring, "PAGE_LINE", 0.0)
    assert ((0,), (0,)) not in _dev_beads("food2019")
