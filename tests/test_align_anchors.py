"""Evidence the aligner reads besides embeddings (issue 10, accuracy): quantities written
the way each language writes them, romanised names, and salutation lines that the zh
segmenter folds into a label, priced per sentence by the search."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from workbench.align import names
from workbench.align.aligner import Aligner, AlignerSettings
from workbench.align.dp import BEAD_TYPES, align_path
from workbench.align.evaluate import read_gold_folder
from workbench.align.names import en_name_keys, shared_day_words, shared_names, zh_name_keys
from workbench.align.scoring import is_salutation, is_zh_address, number_keys

DEV = Path(__file__).parent / "data" / "align-dev"


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("是党的十九大作出的重大决策部署。", "proposed at the 19th National Congress"),
        ("第十二届全国人民代表大会第一次会议以来的五年", "since the first session of the 12th NPC"),
        ("——2011年3月5日在第十一届全国人民代表大会第四次会议上", "Eleventh NPC on March 5, 2011"),
        ("“十三五”时期经济年均增长6.5%以上", "in the 13th five year plan, 6.5 percent"),
        ("中国国家主席习近平在二○二○年新年贺词中表示", "In his New Year's Message in 2020"),
        ("2019年12月27日", "December 27, 2019"),
        ("6月7日，中国政府发布白皮书", "On June 7, the Chinese Government issued"),
        ("中国实现8亿人民脱贫", "China raised 800 million from poverty"),
        ("300多万名第一书记", "More than 3 million first secretaries"),
        ("这份3.7万字的白皮书", "The 37,000-word White Paper"),
        ("抗击新冠肺炎疫情的中国行动", "Fighting Covid-19: China in Action"),
        ("第十届全国人大", "the Tenth National People's Congress"),
    ],
)
def test_quantities_agree_however_each_language_writes_them(zh: str, en: str) -> None:
    assert number_keys(zh) == number_keys(en)


def test_quantities_that_differ_still_differ() -> None:
    # GWR 2014 as published: 660万 in the Chinese, 6.66 million in the English.
    assert number_keys("新开工保障性安居工程660万套") != number_keys("6.66 million units")
    assert number_keys("2020年6月13日") != number_keys("12 June 2020")
    assert number_keys("这十分重要") == set()  # 十分 "very" is not ten
    assert number_keys("5G networks and the G20") == set()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Fellow Deputies,", True),
        ("Esteemed Deputies,", True),
        ("Dear friends,", True),
        ("Hi!", False),
        ("Wen Jiabao", False),
        ("Comrades, friends, ladies and gentlemen, greetings to you all!", False),
        ("In 2015, we did the following:", False),
    ],
)
def test_salutation_lines(line: str, expected: bool) -> None:
    assert is_salutation(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("主席先生：", True),
        ("主席先生，各位同事：", True),
        ("尊敬的各位嘉宾，", True),
        ("女士们，先生们，朋友们：", True),
        ("主席先生！", True),
        ("全国政协主席汪洋", False),  # a caption: no end mark
        ("国务院总理 温家宝", False),
        ("各位记者朋友，大家上午好！今天我们举行发布会。", False),
        ("我谨代表中国政府，对各位嘉宾表示诚挚的欢迎！", False),  # a sentence, not an address
    ],
)
def test_zh_address_lines(line: str, expected: bool) -> None:
    assert is_zh_address(line) is expected


def test_names_in_pinyin_link_the_two_sides() -> None:
    zh = ["国务院总理 温家宝", "空中俯瞰浙江省诸暨市十里坪村的村落景区。", "龙的传人"]
    en = ["Wen Jiabao", "Premier of the State Council", "Zhejiang Province", "Long Live"]
    zh_keys, en_keys = shared_names(zh, en)
    assert zh_keys[0] == en_keys[0] and "wenjiabao" in zh_keys[0]
    assert "zhejiang" in zh_keys[1] and "zhejiang" in en_keys[2]
    assert en_keys[1] == set()
    # "Long Live" spells pinyin, but no two consecutive characters of the zh side read so.
    assert zh_keys[2] == set() and en_keys[3] == set()
    assert "wenjiabao" in zh_name_keys("温家宝")
    assert en_name_keys("the State Council") == {"state", "council", "statecouncil"}


class _Scorer:
    """zh 0 is rendered by en 0 alone (cost 0.3) or, worse, by en 0 + en 1 (cost 0.8)."""

    n, m, skip_cost, bead_types = 1, 2, 0.95, BEAD_TYPES

    def __init__(self, en_skip: list[float] | None = None) -> None:
        self.en_skip = en_skip

    def costs(self, a: int, b: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        table = {(1, 1, 1): 0.3, (1, 2, 2): 0.8}
        return np.array([table.get((a, b, int(jj)), 9.0) for jj in j])

    def coarsen(self, zh_starts: np.ndarray, en_starts: np.ndarray) -> _Scorer:
        return self


class _PerSentence(_Scorer):
    def sentence_skip_costs(self) -> tuple[np.ndarray, np.ndarray]:
        assert self.en_skip is not None
        return np.full(self.n, self.skip_cost), np.array(self.en_skip)


def test_the_search_prices_each_left_out_sentence_on_its_own() -> None:
    # Flat cost: leaving en 1 out (0.3 + 0.95) is dearer than the 1–2 bead (0.8).
    flat = align_path(_Scorer())
    assert [(b.zh_start, b.zh_end, b.en_start, b.en_end) for b in flat] == [(0, 1, 0, 2)]
    # en 1 cheap to leave out (a salutation): 1–1 + 0–1, and the 0–1 bead carries its cost.
    cheap = align_path(_PerSentence([0.95, 0.3]))
    assert [(b.zh_start, b.zh_end, b.en_start, b.en_end) for b in cheap] == [
        (0, 1, 0, 1),
        (1, 1, 1, 2),
    ]
    assert cheap[1].cost == pytest.approx(0.3)


def test_a_report_header_keeps_the_name_and_leaves_the_salutation_alone() -> None:
    """GWR 2011's header: 国务院总理 温家宝 is "Wen Jiabao" + "Premier of the State
    Council" (1–2); "Fellow Deputies," has no zh line (the segmenter makes 各位代表：
    a label) and stands as 0–1 instead of being merged into the next bead."""
    doc = next(d for d in read_gold_folder(DEV) if d.id == "gwr2011")
    beads = Aligner(AlignerSettings(use_glossary=False)).align(doc.zh, doc.en)
    found = {(tuple(b.zh_sentences), tuple(b.en_sentences)) for b in beads}
    assert ((2,), (2, 3)) in found
    assert ((), (4,)) in found
    assert ((3,), (5, 6)) in found


def _beads(doc_id: str, **weights: float) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    doc = next(d for d in read_gold_folder(DEV) if d.id == doc_id)
    settings = AlignerSettings(use_glossary=False, weights=dict(weights))
    beads = Aligner(settings).align(doc.zh, doc.en)
    return {(tuple(b.zh_sentences), tuple(b.en_sentences)) for b in beads}


def test_an_en_form_of_address_does_not_pair_with_a_zh_caption() -> None:
    """CPPCC 2021: the zh-only caption 全国政协主席汪洋 and the en-only "Fellow Members,"
    (各位委员： is a label) were one 1–1 bead before the ``address`` term."""
    assert ((0,), (0,)) in _beads("cppcc2021", address=0.0)
    found = _beads("cppcc2021")
    assert ((0,), ()) in found and ((), (0,)) in found


def test_a_shared_name_earns_credit() -> None:
    """NDRC 2022: "…副局长寿小丽：" and "Shou Xiaoli:" (cosine 0.16) share only the name;
    with ``agreement`` they are one bead instead of a 1–0 and a 0–1."""
    assert ((1,), (0,)) not in _beads("ndrc2022", agreement=0.0)
    assert ((1,), (0,)) in _beads("ndrc2022")


def test_day_words_link_the_two_sides_only_when_both_have_them() -> None:
    zh = ["昨天，联合国隆重举行纪念峰会。", "今年是联合国成立75周年。", "今日中国"]
    en = ["Yesterday, the high-level meeting was held.", "Today's world", "This year marks it."]
    zh_keys, en_keys = shared_day_words(zh, en)
    assert zh_keys[0] == en_keys[0] == {"day:yesterday"}
    # "Today's" renders 当今 as often as 今天: not a day word, so 今日 has no partner here.
    assert zh_keys[2] == set() and en_keys[1] == set()
    assert zh_keys[1] == set() and en_keys[2] == set()
    assert shared_day_words(["今天我们在这里。"], ["We are here."]) == ([set()], [set()])


@pytest.mark.parametrize(
    ("doc_id", "bead", "absent"),
    [
        # "Yesterday, … the 75th anniversary of the UN was held." goes with 昨天，…, not
        # with the sentence before, whose 75周年 it shares.
        ("xi2020unga", ((10,), (8, 9)), ((9,), (7, 8))),
        # The zh-only …但是今天面对这么多的媒体还是第一次。 stays out of its neighbour's bead.
        ("wangyi2014", ((6,), ()), ((5, 6), (2,))),
    ],
)
def test_dev_documents_of_the_day_words(
    monkeypatch: pytest.MonkeyPatch,
    doc_id: str,
    bead: tuple[tuple[int, ...], tuple[int, ...]],
    absent: tuple[tuple[int, ...], tuple[int, ...]],
) -> None:
    found = _beads(doc_id)
    assert bead in found and absent not in found
    monkeypatch.setattr(names, "_DAY_WORDS", {})
    assert absent in _beads(doc_id)


def test_a_named_dignitary_pairs_with_his_shortened_salutation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Guizhou 2018 (London): 尊敬的英国中部引擎联盟主席庄贝恩爵士， is "Sir John," in the
    English. Both are address lines, but the encoder cannot tie the two, so the 1–1 bead
    cost more than leaving both out; ``ADDRESS_PAIR`` caps it below that."""
    from workbench.align import scoring

    assert ((3,), (3,)) in _beads("guizhou2018")
    monkeypatch.setattr(scoring, "ADDRESS_PAIR", 0.0)
    without = _beads("guizhou2018")
    assert ((3,), (3,)) not in without
    assert ((3,), ()) in without and ((), (3,)) in without
