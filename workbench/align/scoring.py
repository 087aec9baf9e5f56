"""Bead costs from sentence embeddings, lengths, numbers and glossary terms.

An embedding similarity alone separates a true zh–en pair from a neighbour only by a thin
margin (cosine 0.79 vs 0.78 for two policy sentences about poverty), so, as Vecalign and
Bertalign do, we combine it with evidence that is cheap and nearly never wrong:

- *embedding*: ``1 - cos`` of the two spans, divided by how far each span usually is from
  unrelated sentences (Vecalign's normalisation: a sentence that is close to everything,
  such as a short heading, earns less credit for being close to this candidate);
- *length*: the en span should be about ``ratio`` times the zh span in characters;
- *anchors*: the quantities in the span should agree however each language writes them
  (``9899万`` and ``98.99 million`` both give ``9899``; 十九大 and "19th", 12月 and
  "December" agree), and so should romanised names (温家宝 / "Wen Jiabao", found by
  ``workbench.align.names``);
- *terms*: glossary concepts both sides of the document name (``names.term_anchors``):
  each sentence of the bead earns the share of its concepts the other side renders, and
  a sentence merged into the bead loses the share of its titles and named policies the
  other side lacks (summed over sentences, so a stretch earns the same however it is cut);
- *rivals*: a sentence that matches some other single sentence of the document clearly
  better than this bead's other side probably belongs there (margin-based scoring);
- *headings*: a span that joins title-like lines ("目录", "白皮书指出：") with full
  sentences on one side is charged: a zh-only heading is left out, not absorbed.

Spans of several sentences use the normalised sum of their sentence embeddings (for a
bag-of-n-grams encoder like multilingual USE this is close to embedding the joined text,
and it saves encoding every 2- and 3-sentence window a second and third time).
Numbers and terms are 64-bit masks per sentence, so a span is the OR of its sentences and
agreement is a popcount: every cost is a NumPy vector operation over the band.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from workbench.align.dp import BEAD_TYPES, COARSE_BEAD_TYPES

# Weights of the cost terms; tuned on the development gold set (benchmarks/align.py).
DEFAULT_WEIGHTS = {
    "length": 0.35,
    "numbers": 0.45,
    "terms": 0.25,
    "extra_sentence": 0.12,  # added per sentence beyond one on each side (merges must earn it)
    "skip": 0.95,  # cost of leaving one sentence unaligned (1–0 / 0–1)
    "member": 2.0,  # per unit of the worst member's distance beyond member_margin
    "member_margin": 0.8,  # normalised distance a merged sentence may have for free
    "salutation": 0.5,  # share of skip that leaving out an en form of address costs
    # Vecalign's factor (zh sentences × en sentences) on a merged bead's embedding cost is
    # softened to 1 + merge × (that product − 1): at the full factor a short closing
    # sentence ("These efforts have achieved positive results.") was cheaper to leave out
    # than to keep in the 1–2 bead it belongs to.
    "merge": 0.8,
    "rival": 2.0,  # per unit a member sentence matches one other sentence better (below)
    "rival_margin": 0.1,  # cosine by which a rival may beat the bead for free
    "heading": 1.0,  # a span joining title-like lines with full sentences on one side
    "address": 1.0,  # an en form of address in a bead whose zh side has none (below)
    # Credit per share of the bead's anchors (quantities, names) both sides carry: the
    # ``numbers`` term only charged disagreement, so a speaker line "Shou Xiaoli:" with
    # its zh "…发言人寿小丽：" earned nothing for the name it shares and stayed unaligned.
    "agreement": 0.4,
    # ``member`` in the re-search of doubtful stretches with joined-text embeddings
    # (``workbench.align.refine``): the joined text does not average a stray sentence
    # away as a summed vector does, and the full weight kept true 1–2 beads split there.
    "refine_member": 1.25,
    # ... where each member's charge is scaled by (its length / the side's mean) ** this:
    # an untranslated paragraph absorbed into a bead is long, a sentence the English
    # splits off ("These efforts have achieved positive results.") short.
    "refine_member_length": 1.5,
}

# A full sentence ends with terminal punctuation (closing quotes/brackets allowed after it);
# a line without it is title-like: a heading, a byline, a list lead-in ending in a colon.
_SENTENCE_END = re.compile(r"[。！？!?.;；…][”’\"'）)]*\s*$")


def is_title_like(sentence: str) -> bool:
    """True for a line that is not a full sentence: "目录", "前言", "消息发布",
    "白皮书指出：", "Wen Jiabao", "The six sections:"."""
    return not _SENTENCE_END.search(sentence)


# An en line that is only a form of address: at most five words, ending in a comma.
_SALUTATION = re.compile(r"^\W*(?:\w[\w'’.-]*\s+){0,4}\w[\w'’.-]*\s*,$")


def is_salutation(sentence: str) -> bool:
    """True for a line such as "Fellow Deputies," or "Dear friends,"."""
    return bool(_SALUTATION.match(sentence.strip()))


# A zh line that is a form of address: at most 16 characters, ending in a comma, colon or
# exclamation mark, naming whom it addresses ("主席先生：", "尊敬的各位嘉宾，",
# "女士们，先生们，朋友们：").
_ZH_ADDRESS = re.compile(
    r"^[^。？！?]*(?:先生|女士|各位|朋友|同事|代表|委员|嘉宾|同志|阁下|殿下)[^。？！?]*[，,：:！!]$"
)


# An en line that only names a speaker: one to four capitalised words and a colon.
_SPEAKER = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s*:$")


def is_speaker(sentence: str) -> bool:
    """True for an en line such as "Xiang Dong:" or "Hu Kaihong:"."""
    return bool(_SPEAKER.match(sentence.strip()))


def is_zh_colon_line(sentence: str) -> bool:
    """True for a zh line ending in a colon: a speaker line (…发言人寿小丽：) or address."""
    return sentence.strip().endswith(("：", ":"))


# A zh line that addresses named dignitaries by office: 尊敬的 and at most 22 more
# characters, ending in a comma or colon ("尊敬的施瓦布主席，", "尊敬的各代表团团长，",
# "尊敬的各位国家元首，政府首脑，"). The office words (主席, 团长, 元首) are too many to
# list, but 尊敬的 opens nothing else in a speech: without it such a line was no address,
# so the en "Professor Klaus Schwab," was left out and its zh line merged with the next.
_ZH_HONORIFIC = re.compile(r"^尊敬的[^。？！?]{1,22}[，,：:]$")


def is_zh_address(sentence: str) -> bool:
    """True for a zh line that only addresses the audience ("主席先生，各位同事：")."""
    line = sentence.strip()
    return (len(line) <= 16 and bool(_ZH_ADDRESS.match(line))) or bool(_ZH_HONORIFIC.match(line))


# Skipping a whole block is rarer than skipping a sentence, and block beads cost more
# (boundaries cut across sentences): at coarse levels a skip costs this many times more,
# so the coarse path follows the content instead of jumping between similar passages.
COARSE_SKIP = 2.0

# A question left unanswered: a bead one side of which opens or closes with a sentence
# asking a question while the other side asks none costs this much. On the dev set every
# one-to-one and merged gold bead with a question on one side has one on the other, but
# for a single bead whose zh question sits inside a long English sentence (4–1); a
# zh-only headline question (为应对气候变化，中国做了什么？) or a study page's rhetorical
# question was merged into the next sentence's bead or paired with an English heading.
# Only an edge sentence counts: a sentence left out of a merge is always at its edge.
QUESTION = 1.0
# Two unrelated lines: a 1–1 bead whose cosine is below UNRELATED_COS costs up to
# UNRELATED more (linearly, in full at cosine 0). The hubness normalisation compares a
# pair with random sentences, so in a short document even an orthogonal pair (cosine
# 0.07, "The six sections:" against 那么，白皮书传递了哪些内容？) cost about 1.2, less
# than leaving both out (2 × skip); the lowest cosine of a gold 1–1 bead is 0.13.
UNRELATED = 2.0
UNRELATED_COS = 0.15
# A speaker line left unanswered: an en line that only names the speaker ("Xiang Dong:",
# "Hu Kaihong:") in a bead whose zh side has no line ending in a colon costs this much.
# Our segmenter makes 胡凯红： the label of the sentence it opens, so the en name line is
# either paired with a zh speaker line kept as a line (…新闻发言人寿小丽：) or has no zh
# counterpart (0–1); merged into the previous answer or paired with an audio caption it
# is wrong, and without the charge both were cheaper than leaving the name line out.
SPEAKER = 1.0
# A form of address answered by one: a 1–1 bead whose zh line addresses dignitaries
# (``is_zh_address``: 尊敬的英国中部引擎联盟主席庄贝恩爵士，) and whose en line is a form of
# address ("Sir John,") costs at most ADDRESS_PAIR × skip. The English shortens such a
# line to a name or a title the encoder cannot tie to the Chinese, so the 1–1 priced
# above leaving both lines out (skip + salutation × skip) and each was left unpaired.
ADDRESS_PAIR = 1.0

# A news lead the page repeats: Chinese pages of a speech or press conference often open
# with a news lead (2015年9月28日，国家主席习近平在纽约…发表…重要讲话。) and then print the
# text the English translates, which opens with nearly the same sentence (国家主席习近平
# 2015年9月28日在纽约…). Both match the English lead; the search took the first, leaving
# the real partner out, or merged both into one bead. A bead holding a zh sentence that a
# later zh sentence within ECHO_WINDOW repeats (cosine ≥ ECHO_COS, no quantity of its own),
# or a line between the two, costs ECHO, unless its en side holds such a sentence too.
ECHO = 1.0
ECHO_COS = 0.8
ECHO_WINDOW = 3

# A page line on one side only: a page's photo caption and its credit line ("CFP",
# "(Xinhua/Liu Bin)", [新华社记者 刘彬 摄], （图片来源：新华社）) are translated as a pair
# or not at all, and so is an editor's note (导读：…, 编者按：…, "Editor's note: …"), so a
# bead holding such a line on one side and none on the other costs PAGE_LINE. A caption
# is the line just before a credit line: its words name what the picture shows, so by
# meaning it can match a headline or a lead better than the headline's loose English
# does (a 21st Century page's 时隔23年，中国再次发表粮食白皮书 took "A farmer harvests grain
# with a tractor." instead of "Food security has improved"), and an editor's note
# retells the article, so it matches the article's first lines.
PAGE_LINE = 1.0
_ZH_CREDIT = re.compile(
    r"^\W{0,2}(?:.{0,24}(?<![拍])[摄攝]\W{0,2}$|"
    r"(?:图片来源|圖片來源|图源|圖源|供图|供圖|图/|圖/).{0,24}$|.{0,24}(?:供图|供圖)\W{0,2}$)"
)
_EN_CREDIT = re.compile(
    r"^[(\[]?\s*(?:(?:Photos?|Image|Picture)\s*(?:by\b|/|:|courtesy\b|provided\b).{0,60}"
    r"|(?:CFP|VCG|IC|Xinhua|AFP|Reuters|AP|Getty Images|China Daily|CGTN|People's Daily)"
    r"(?:\s*/\s*[\w .'’-]{1,40})?)\s*[)\]]?$"
)


def is_photo_credit(sentence: str, side: str) -> bool:
    """True for a photo credit line of ``side`` ("zh" or "en"): a short line that names
    only the photographer or agency (see ``PAGE_LINE``)."""
    text = sentence.strip()
    if side == "zh":
        return len(text) <= 32 and bool(_ZH_CREDIT.match(text)) and "。" not in text
    return len(text) <= 80 and bool(_EN_CREDIT.match(text))


_ZH_EDITORIAL = re.compile(
    r"^\W{0,2}(?:导读|導讀|编者按|編者按|编者的话|編者的話|核心提示)\W{0,2}[：:]"
)
_EN_EDITORIAL = re.compile(r"^\W{0,2}Editor[’']?s\s+[Nn]otes?\s*:")
# A book's edition line: the English of a SCIO white paper prints "First Edition 2018"
# under its date, which the Chinese page has no line for; by its year it joined the
# date's bead (a 3–3 for the gold 3–2 and 0–1).
_EN_EDITION = re.compile(r"^(?:First|Second|Third|\d+(?:st|nd|rd|th))\s+Edition(?:\s+\d{4})?$")


def page_lines(texts: Sequence[str], side: str) -> np.ndarray:
    """True per page line of ``side`` (see ``PAGE_LINE``): a photo credit, the line just
    before one (its caption) and an editor's note."""
    credits = np.array([is_photo_credit(t, side) for t in texts], dtype=bool)
    marked = credits.copy()
    marked[:-1] |= credits[1:] & ~credits[:-1]
    editorial = _ZH_EDITORIAL if side == "zh" else _EN_EDITORIAL
    marked |= np.array([bool(editorial.match(t)) for t in texts], dtype=bool)
    if side == "en":
        marked |= np.array([bool(_EN_EDITION.match(t.strip())) for t in texts], dtype=bool)
    return marked


# Kinds of page line that are translated as their own kind (2 December 2026, with the dev
# documents of that day). Each is found by text alone, and a bead that breaks the pairing
# costs the constant below; no gold bead of the dev set breaks any of them.
#
# A lead-in left unanswered: a page introduces the text it prints with a formula
# (全文如下：, 以下是讲话的中英双语金句摘编：; "The full text is as follows:", "Edited excerpts
# follow:"). The formula is translated as a formula: when the Chinese puts it at the end
# of a news sentence (…发表主旨演讲，全文如下：) the English makes it a sentence of its own
# ("The following is the full text of Zhang's speech:"), which then looked like a short
# line with no counterpart and was left out. A bead one side of which holds a lead-in and
# the other side none costs LEAD_IN.
LEAD_IN = 1.5
LEAD_IN_SKIP = 1.5
_ZH_LEAD_IN = re.compile(r"(?:如下|以下[是为為]|摘编|摘編|全文)[^。！？!?]{0,30}[：:]\s*$")
_EN_LEAD_IN = re.compile(
    r"(?:\bfollows?\b|\bfollowing\b|\bfull text\b)[^.!?]{0,40}:\s*$", re.IGNORECASE
)

# Numbered items joined: a line that opens with its own list label (一、 （一） 1. (2)
# "II. " "(a)") is one item, and a translation renders items one by one or leaves an item
# out; it does not fold two into one line. When one side lists sub-items the other leaves
# out (a white paper's Chinese contents with its （一）（二） sub-sections, the English
# contents with chapter titles only, or the reverse), the search merged the sub-items into
# the next chapter's bead rather than leaving each out, and a page's zh-only lead went
# into the bead of its first item. A bead one side of which holds a labelled line that
# does not open that side (a new item starts inside the bead) costs LIST_ITEMS.
LIST_ITEMS = 1.0
_LIST_LABEL = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}、"
    r"|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)]|[IVX]{1,5}\.\s|[（(][a-z][）)])"
)

# List levels crossed: Chinese chapter labels (一、) are rendered as Roman numerals ("II. ")
# and section labels (（一）) as digits ("1. ", "(1) "), never the other way round (no gold
# bead of the dev set does). With a sub-section list on one side only, the search paired a
# （二） line with the next chapter's "III. …" line. A bead whose zh side holds a line of
# one level and whose en side a line of the other costs LIST_LEVEL.
LIST_LEVEL = 1.5
_LEVEL_ONE = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|[IVX]{1,5}\.\s)")
_LEVEL_TWO = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．)](?!\d)\s*|[（(]\d{1,2}[）)])"
)

# A line and its repeat joined: a study page often heads the text with its own title
# line (双语资料：2019年8月23日外交部发言人耿爽主持例行记者会) right above the publication's
# title, which it contains. One English title translates one of them; a bead one side of
# which holds a line together with the next line that contains it, or that it contains
# (at least six characters), costs REPEAT.
REPEAT = 1.0
REPEAT_MIN_CHARS = 6


def is_lead_in(sentence: str) -> bool:
    """True for a line that introduces the text a page prints (see ``LEAD_IN``)."""
    text = sentence.strip()
    return bool(_ZH_LEAD_IN.search(text) or _EN_LEAD_IN.search(text))


def is_list_item(sentence: str) -> bool:
    """True for a line that opens with a list label (see ``LIST_ITEMS``)."""
    return bool(_LIST_LABEL.match(sentence))


def list_level(sentence: str) -> int:
    """1 for a chapter label (一、, "II. "), 2 for a section label (（一）, "1. ", "(1) "),
    else 0 (see ``LIST_LEVEL``)."""
    if _LEVEL_ONE.match(sentence):
        return 1
    return 2 if _LEVEL_TWO.match(sentence) else 0


def repeats_previous(texts: Sequence[str]) -> np.ndarray:
    """True per line that contains the line before it or is contained in it (see
    ``REPEAT``); spaces are ignored."""
    flat = ["".join(t.split()) for t in texts]
    out = np.zeros(len(flat), dtype=bool)
    for k in range(1, len(flat)):
        shorter, longer = sorted((flat[k - 1], flat[k]), key=len)
        out[k] = len(shorter) >= REPEAT_MIN_CHARS and shorter in longer
    return out


_NUMBER = re.compile(r"\d[\d,，.]*\d|\d")
# A count written with a magnitude word: its single significant digit is a real number
# ("3 million", "8亿"), not a list label or a bare "3".
_MAGNITUDE = re.compile(
    r"\s*(?:万|亿|千|百|million|billion|trillion|thousand|hundred)", re.IGNORECASE
)
# Identifiers whose digits are not quantities the other side repeats: COVID-19, G20, 5G.
_CODE = re.compile(r"[A-Za-z]+-?\d+[A-Za-z]*|\d+[A-Za-z]+\b(?<!\d(?:st|nd|rd|th))(?<!\ds)")
# Chinese numerals that official English writes in digits: ordinals and counts of tens
# (十九大 "19th", 十三五 "13th Five-Year Plan", 七十周年 "70th", 第十届 "Tenth") and
# years written digit by digit (二〇二〇年 "2020"). A bare 十 (十分 "very") is not a number.
_HAN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0, "两": 2}
_HAN_TENS = re.compile(r"([一二三四五六七八九])?十([一二三四五六七八九])?")
_HAN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})(?=年)")
# Month numbers: 12月 and "December" say the same thing in different ways; as digits
# they would disagree ("12" against nothing), so both become a month key.
_ZH_MONTH = re.compile(r"(?<!\d)(1[0-2]|0?[1-9])\s*月")
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_EN_MONTH = re.compile(
    r"\b(?:(" + "|".join(m.capitalize() for m in _MONTHS) + r")"
    r"|(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)(?!\w)"
)


# Ordinals written as words in titles ("Twelfth National People's Congress", "Eleventh
# Five-Year Plan") where the Chinese has 十二届, 十一五: tenth to ninety-ninth.
_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = [
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_TENS = ["twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet"]
_ORDINAL_WORDS: dict[str, int] = {word: 10 + i for i, word in enumerate(_TEENS)}
for _t, _stem in enumerate(_TENS, start=2):
    _ORDINAL_WORDS[_stem + "ieth"] = _t * 10
    for _u, _unit in enumerate(_UNITS, start=1):
        _ORDINAL_WORDS[f"{_stem}y-{_unit}"] = _t * 10 + _u
# Words that may be such an ordinal (looked up in _ORDINAL_WORDS; one short pattern scans
# much faster than an alternation of all ninety words).
_EN_ORDINAL = re.compile(
    r"\b(?:[Tt]en|[Ee]lev|[Tt]wel|[Tt]hirt|[Ff]ourt|[Ff]ift|[Ss]ixt|[Ss]event|[Ee]ight|[Nn]inet"
    r"|[Tt]went|[Ff]ort)[a-z]*(?:-[a-z]+)?\b"
)


def _ordinal(match: re.Match[str]) -> str:
    value = _ORDINAL_WORDS.get(match.group(0).lower())
    return match.group(0) if value is None else f" {value} "


def significant_digits(number: str) -> str:
    """Digits of a number without separators, decimal point and leading/trailing zeros."""
    return re.sub(r"\D", "", number).strip("0")


def _han_numerals(text: str) -> str:
    """``text`` with Chinese tens and digit-by-digit years written in Arabic digits."""
    if "年" in text:
        text = _HAN_YEAR.sub(lambda m: "".join(str(_HAN_DIGITS[c]) for c in m.group(1)), text)
    if "十" not in text:
        return text

    def tens(match: re.Match[str]) -> str:
        if match.group(1) is None and match.group(2) is None:
            after_di = match.start() > 0 and match.string[match.start() - 1] == "第"
            return " 10 " if after_di else match.group(0)  # 第十届 "Tenth"; 十分 "very"
        high = _HAN_DIGITS[match.group(1)] if match.group(1) else 1
        low = _HAN_DIGITS[match.group(2)] if match.group(2) else 0
        return f" {high * 10 + low} "

    return _HAN_TENS.sub(tens, text)


_HAN_CHAR = re.compile("[\u4e00-\u9fff]")


def number_keys(text: str) -> set[str]:
    """Keys of the quantities in ``text``: significant digits of every number (``9899万``
    and ``98.99 million`` both give ``9899``), months as ``month:N``."""
    keys: set[str] = set()
    han = text.isascii() is False and _HAN_CHAR.search(text) is not None
    text = _han_numerals(text) if han else text
    if any(map(str.isdigit, text)):  # str.isdigit, not \d: superscripts count too
        text = _CODE.sub(" ", text)

    def zh_month(match: re.Match[str]) -> str:
        keys.add(f"month:{int(match.group(1))}")
        return " "

    def en_month(match: re.Match[str]) -> str:
        name = (match.group(1) or match.group(2) or "").lower()[:3]
        keys.add(f"month:{[m[:3] for m in _MONTHS].index(name) + 1}")
        return " "

    if han:
        text = _ZH_MONTH.sub(zh_month, text) if "月" in text else text
    else:
        text = _EN_MONTH.sub(en_month, text)
        text = _EN_ORDINAL.sub(_ordinal, text)
    if not any(map(str.isdigit, text)):
        return keys
    for found in _NUMBER.finditer(text):
        digits = significant_digits(found.group(0))
        if not digits:
            continue
        if len(digits) >= 2 or len(found.group(0)) >= 2 or _MAGNITUDE.match(text, found.end()):
            keys.add(digits)
    return keys


def number_mask(text: str) -> int:
    """64-bit mask of the quantities in ``text`` (``number_keys``)."""
    return key_mask(number_keys(text))


def _bit(key: str) -> int:
    return hashlib.blake2b(key.encode(), digest_size=1).digest()[0] % 64


def key_mask(keys: Iterable[str]) -> int:
    """64-bit mask of a set of keys (glossary entry ids)."""
    mask = 0
    for key in keys:
        mask |= 1 << _bit(key)
    return mask


def _popcount(values: np.ndarray) -> np.ndarray:
    """Set bits per uint64."""
    if hasattr(np, "bitwise_count"):  # NumPy >= 2.0
        return np.bitwise_count(values).astype(np.float64)
    as_bytes = values.view(np.uint8).reshape(*values.shape, 8)
    return np.unpackbits(as_bytes, axis=-1).sum(axis=-1).astype(np.float64)


@dataclass
class SideFeatures:
    """Per-sentence features of one side: unit embeddings, lengths, number and term masks."""

    vectors: np.ndarray  # (count, dim), rows L2-normalised
    lengths: np.ndarray  # characters (float)
    numbers: np.ndarray  # uint64 masks
    terms: np.ndarray  # uint64 masks
    titles: np.ndarray | None = None  # 1.0 per title-like line (is_title_like), else 0.0
    questions: np.ndarray | None = None  # True per sentence asking a question
    echoes: np.ndarray | None = None  # True per line of a lead a later line repeats (echoed_leads)
    lead_ins: np.ndarray | None = None  # True per lead-in line (is_lead_in)
    items: np.ndarray | None = None  # True per line opening with a list label
    repeats: np.ndarray | None = None  # True per line repeating the one before it
    levels: np.ndarray | None = None  # list_level per line
    _spans: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False
    )

    def __len__(self) -> int:
        return len(self.lengths)

    def span(self, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Features of every window of ``k`` consecutive sentences, indexed by its start."""
        if k not in self._spans:
            count = len(self) - k + 1
            if count <= 0:
                empty = np.zeros((0, self.vectors.shape[1]), dtype=np.float32)
                self._spans[k] = (
                    empty,
                    np.zeros(0),
                    np.zeros(0, np.uint64),
                    np.zeros(0, np.uint64),
                )
            else:
                vec = sum(self.vectors[s : s + count] for s in range(k))
                vec = vec / np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-9)
                lengths = np.asarray(sum(self.lengths[s : s + count] for s in range(k)))
                numbers = np.bitwise_or.reduce(
                    [self.numbers[s : s + count] for s in range(k)], axis=0
                )
                terms = np.bitwise_or.reduce([self.terms[s : s + count] for s in range(k)], axis=0)
                self._spans[k] = (vec.astype(np.float32), lengths, numbers, terms)
        return self._spans[k]

    def coarsen(self, starts: np.ndarray) -> SideFeatures:
        """Blocks of consecutive sentences as single units (block k starts at starts[k])."""
        count = len(starts)
        vec = np.add.reduceat(self.vectors, starts, axis=0) if count else self.vectors[:0]
        vec = vec / np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-9)
        lengths = np.add.reduceat(self.lengths, starts) if count else self.lengths[:0]
        numbers = np.bitwise_or.reduceat(self.numbers, starts) if count else self.numbers[:0]
        terms = np.bitwise_or.reduceat(self.terms, starts) if count else self.terms[:0]
        return SideFeatures(vec.astype(np.float32), lengths, numbers, terms)


def side_features(
    vectors: np.ndarray,
    texts: Sequence[str],
    term_ids: Sequence[Iterable[str]] | None = None,
    names: Sequence[Iterable[str]] | None = None,
) -> SideFeatures:
    """Build the features of one side from its embeddings and texts.

    ``names`` are anchor keys found on both sides of the document pair (romanised names,
    ``workbench.align.names``); they join the number mask, since both are evidence of the
    same kind: a token that must be in the other side of the bead too.
    """
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.maximum(norms, 1e-9)
    lengths = np.array([len(t.replace(" ", "")) or 1 for t in texts], dtype=np.float64)
    name_keys = names or [()] * len(texts)
    numbers = np.array(
        [
            number_mask(t) | key_mask(f"name:{key}" for key in keys)
            for t, keys in zip(texts, name_keys, strict=True)
        ],
        dtype=np.uint64,
    )
    terms = np.array([key_mask(ids) for ids in (term_ids or [()] * len(texts))], dtype=np.uint64)
    titles = np.array([is_title_like(t) for t in texts], dtype=np.float64)
    questions = np.array([("?" in t or "？" in t) for t in texts], dtype=bool)
    echoes = echoed_leads(vectors, titles, numbers)
    lead_ins = np.array([is_lead_in(t) for t in texts], dtype=bool)
    items = np.array([is_list_item(t) for t in texts], dtype=bool)
    return SideFeatures(
        vectors,
        lengths,
        numbers,
        terms,
        titles,
        questions,
        echoes,
        lead_ins,
        items,
        repeats_previous(texts),
        np.array([list_level(t) for t in texts], dtype=np.int8),
    )


def echoed_leads(vectors: np.ndarray, titles: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """True per sentence of a page's lead: a full sentence that one of the next
    ``ECHO_WINDOW`` sentences, a full sentence too, repeats (cosine at least ``ECHO_COS``,
    every quantity of the first found in the second; see ``ECHO``), and the lines between
    the two (a photo credit, 以下是记者会实录。): the translated text starts at the repeat.
    Title lines are never echoes: a page's running heads repeat with other dates
    ("2019年7月25日外交部发言人…" / "2019年8月2日…"), and each is translated."""
    count = len(vectors)
    echoes = np.zeros(count, dtype=bool)
    for offset in range(1, ECHO_WINDOW + 1):
        if offset >= count:
            break
        first, later = slice(0, count - offset), slice(offset, count)
        cos = np.einsum("ij,ij->i", vectors[first], vectors[later])
        full = (titles[first] == 0) & (titles[later] == 0)
        kept = (numbers[first] & ~numbers[later]) == 0
        found = np.nonzero((cos >= ECHO_COS) & full & kept)[0]
        for start in found.tolist():
            echoes[start : start + offset] = True
    return echoes


class EmbeddingScorer:
    """Bead costs for ``workbench.align.dp`` from two sides' features."""

    def __init__(
        self,
        zh: SideFeatures,
        en: SideFeatures,
        weights: dict[str, float] | None = None,
        ratio: float | None = None,
        samples: int = 64,
        seed: int = 7,
        en_salutations: np.ndarray | None = None,
        zh_addresses: np.ndarray | None = None,
        en_speakers: np.ndarray | None = None,
        zh_colons: np.ndarray | None = None,
        zh_pages: np.ndarray | None = None,
        en_pages: np.ndarray | None = None,
        term_strict: int | None = None,
    ) -> None:
        self.zh, self.en = zh, en
        self.zh_pages, self.en_pages = zh_pages, en_pages  # page_lines per side
        # Bits of the anchor terms whose absence counts (``_term_agreement``): all by default.
        self.term_strict = np.uint64(0xFFFFFFFFFFFFFFFF if term_strict is None else term_strict)
        self.en_speakers = en_speakers  # bool per en sentence (is_speaker)
        self.zh_colons = zh_colons  # bool per zh sentence (is_zh_colon_line)
        self.en_salutations = en_salutations  # bool per en sentence (is_salutation)
        self.zh_addresses = zh_addresses  # bool per zh sentence (is_zh_address)
        self.n, self.m = len(zh), len(en)
        self.weights = {**DEFAULT_WEIGHTS, **(weights or {})}
        self.skip_cost = self.weights["skip"]
        total_zh = float(zh.lengths.sum()) or 1.0
        self.ratio = ratio or (float(en.lengths.sum()) / total_zh if total_zh else 3.0) or 3.0
        self.samples, self.seed = samples, seed
        self.bead_types = BEAD_TYPES
        self._norms: dict[tuple[str, int], np.ndarray] = {}
        self._best: dict[str, np.ndarray] = {}
        # Member cosines over the search band (``prepare_band``): (side, other span size)
        # -> (first other-span start per sentence, table of cosines).
        self._members: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}

    def sentence_skip_costs(self) -> tuple[np.ndarray, np.ndarray]:
        """Cost of a 1–0 bead per zh sentence and of a 0–1 bead per en sentence.

        A line that is only a form of address ("Fellow Deputies,", "Dear friends,") has
        no sentence of its own on the zh side: our segmenter moves 各位代表： into the
        label of the sentence it opens, as it does 一、. Priced like a full sentence, such
        a line is cheaper to absorb into the neighbouring bead (the 1–2 of "现在，我代表国务院…"
        becomes a 1–3) than to leave out, so a salutation costs ``salutation`` × skip.
        """
        zh = np.full(self.n, self.skip_cost)
        en = np.full(self.m, self.skip_cost)
        if self.en_salutations is not None:  # None at coarse levels: blocks are not lines
            en[self.en_salutations] *= self.weights["salutation"]
        zl, el = self.zh.lead_ins, self.en.lead_ins
        if LEAD_IN_SKIP and zl is not None and el is not None:
            if zl.any():
                en[el] *= 1.0 + LEAD_IN_SKIP
            if el.any():
                zh[zl] *= 1.0 + LEAD_IN_SKIP
        return zh, en

    def prepare_band(self, lo: np.ndarray, hi: np.ndarray) -> None:
        """Compute, once for the search band (row ``i`` spans en ``lo[i]..hi[i]``), the
        cosine of every sentence with every span of the other side it can share a bead
        with (``_member_cosines``).

        In a merged bead each sentence's cosine with the other side's span is needed (the
        member and rival terms), and the same sentence–span pair recurs in every bead
        shape with that span: zh sentence 5 against en span [3, 5) is part of the 2–2,
        3–2 and 4–2 beads... ending at different rows. Pricing shape by shape computed
        each pair up to four times, gathering two 512-float rows each time; a table per
        (side, span size) computes it once, with the same arithmetic (the same float32
        dot product of the same rows), so the costs are bit for bit those of the direct
        computation. Cells outside the band fall back to it."""
        self._members.clear()
        n, m = self.n, self.m
        if n == 0 or m == 0:
            return
        a_max = max(a for a, _ in self.bead_types)
        b_max = max(b for _, b in self.bead_types)
        zh_sizes = sorted({b for a, b in self.bead_types if a > 1 and b > 0})
        en_sizes = sorted({a for a, b in self.bead_types if b > 1 and a > 0})
        lo, hi = np.asarray(lo, dtype=np.int64), np.asarray(hi, dtype=np.int64)
        rows = np.arange(n)
        # zh sentence x sits in beads ending at rows x+1 .. x+a_max; their en ends j lie
        # in lo[x+1] .. hi[x+a_max], so an en b-span starts at j - b.
        zh_first = lo[rows + 1]
        zh_last = hi[np.minimum(rows + a_max, n)]
        for b in zh_sizes:
            self._members[("zh", b)] = self._cross_table("zh", b, zh_first - b, zh_last - b)
        # en sentence y sits in beads ending at en y+1 .. y+b_max; the rows whose band
        # holds one of those ends are the zh ends i, and a zh a-span starts at i - a.
        cols = np.arange(m)
        en_first = np.searchsorted(hi, cols + 1, side="left")
        en_last = np.searchsorted(lo, np.minimum(cols + b_max, m), side="right") - 1
        for a in en_sizes:
            self._members[("en", a)] = self._cross_table("en", a, en_first - a, en_last - a)

    def _cross_table(
        self, side: str, k: int, first: np.ndarray, last: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Cosines of each sentence ``x`` of ``side`` with the other side's ``k``-spans
        starting at ``first[x]..last[x]`` (clipped to the spans that exist): column ``c``
        of row ``x`` is the span starting at ``first[x] + c``; NaN where none."""
        mine = (self.zh if side == "zh" else self.en).vectors
        spans = (self.en if side == "zh" else self.zh).span(k)[0]
        first = np.clip(first, 0, len(spans))
        last = np.clip(last, -1, len(spans) - 1)
        width = int(max(1, (last - first + 1).max(initial=1)))
        table = np.full((len(mine), width), np.nan, dtype=np.float32)
        cols = np.arange(width)
        step = max(1, 8192 // width)
        for start in range(0, len(mine), step):
            xs = np.arange(start, min(len(mine), start + step))
            ts = first[xs, None] + cols[None, :]
            r, c = np.nonzero(ts <= last[xs, None])
            if len(r):
                table[xs[r], c] = np.einsum("ij,ij->i", mine[xs[r]], spans[ts[r, c]])
        return first, table

    def hubness_of(self, side: str, vectors: np.ndarray) -> np.ndarray:
        """Mean ``1 - cos`` of given ``side`` vectors to the random sentences of the other
        side that ``_hubness`` uses (the same sample, so the two are comparable)."""
        other = (self.en if side == "zh" else self.zh).vectors
        if len(other) == 0 or len(vectors) == 0:
            return np.ones(len(vectors))
        rng = np.random.default_rng(self.seed)
        pick = rng.choice(len(other), size=min(self.samples, len(other)), replace=False)
        return np.maximum(1.0 - (vectors @ other[pick].T).mean(axis=1), 0.05)

    def _hubness(self, side: str, k: int) -> np.ndarray:
        """Mean ``1 - cos`` of each k-span of ``side`` to random sentences of the other side."""
        key = (side, k)
        if key not in self._norms:
            mine = (self.zh if side == "zh" else self.en).span(k)[0]
            other = (self.en if side == "zh" else self.zh).vectors
            if len(other) == 0 or len(mine) == 0:
                self._norms[key] = np.ones(len(mine))
            else:
                rng = np.random.default_rng(self.seed)
                pick = rng.choice(len(other), size=min(self.samples, len(other)), replace=False)
                self._norms[key] = np.maximum(1.0 - (mine @ other[pick].T).mean(axis=1), 0.05)
        return self._norms[key]

    def costs(
        self,
        a: int,
        b: int,
        i: np.ndarray,
        j: np.ndarray,
        zh_vectors: np.ndarray | None = None,
        en_vectors: np.ndarray | None = None,
    ) -> np.ndarray:
        """Cost of each bead of shape ``a``–``b`` ending at zh ``i[k]``, en ``j[k]``.

        ``zh_vectors`` / ``en_vectors`` (one unit row per bead), if given, replace the
        spans' summed sentence vectors by embeddings of the joined text
        (``workbench.align.refine``), hubness included."""
        zvec, zlen, znum, zterm = self.zh.span(a)
        evec, elen, enum, eterm = self.en.span(b)
        s, t = i - a, j - b  # span starts
        zspan = zvec[s] if zh_vectors is None else zh_vectors  # gathered once: the
        espan = evec[t] if en_vectors is None else en_vectors  # member term reuses them
        cos = np.einsum("ij,ij->i", zspan, espan)
        zh_hub = self._hubness("zh", a)[s] if zh_vectors is None else self.hubness_of("zh", zspan)
        en_hub = self._hubness("en", b)[t] if en_vectors is None else self.hubness_of("en", espan)
        norm = (zh_hub + en_hub) / 2
        # Vecalign multiplies by the sentence counts of both sides: a merged bead replaces
        # several smaller ones, so it must be nearly perfect to be cheaper than them. We
        # pay a share of that factor (``merge``): the member, rival and heading terms below
        # now catch the wrong merges it was there to stop.
        cost = (1.0 - cos) / norm * (1.0 + self.weights["merge"] * (a * b - 1))
        w = self.weights
        cost += w["length"] * np.abs(np.log((elen[t] + 4) / (self.ratio * zlen[s] + 4)))
        zn, en_ = znum[s], enum[t]
        union = _popcount(zn | en_)
        shared = _popcount(zn & en_)
        cost += w["numbers"] * np.where(union > 0, 1.0 - shared / np.maximum(union, 1), 0.0)
        if w["agreement"]:
            cost -= w["agreement"] * np.where(union > 0, shared / np.maximum(union, 1), 0.0)
        if w["terms"]:
            cost -= w["terms"] * self._term_agreement(a, b, s, t, zterm[s], eterm[t])
        cost += w["extra_sentence"] * (a + b - 2)
        # Cosine of every sentence of each side with the other side's span: a one-sentence
        # side is the bead's own cosine; merged sides are computed once for two terms.
        need = bool(w["member"] or w["rival"])
        zh_cos, en_cos = [cos], [cos]
        if need and a > 1:
            zh_cos = self._member_cosines("zh", a, s, espan, (b, t) if en_vectors is None else None)
        elif a > 1:
            zh_cos = []
        if need and b > 1:
            en_cos = self._member_cosines("en", b, t, zspan, (a, s) if zh_vectors is None else None)
        elif b > 1:
            en_cos = []
        if w["member"] and (a > 1 or b > 1):
            worst = np.zeros(len(s))
            if a > 1:
                worst = np.maximum(worst, self._worst_member("zh", s, zh_cos))
            if b > 1:
                worst = np.maximum(worst, self._worst_member("en", t, en_cos))
            cost += w["member"] * worst
        if w["heading"]:
            cost += w["heading"] * (self._mixed("zh", a, s) + self._mixed("en", b, t))
        if UNRELATED and a == 1 and b == 1:
            cost += UNRELATED * np.clip((UNRELATED_COS - cos) / UNRELATED_COS, 0.0, 1.0)
        if QUESTION and self.zh.questions is not None and self.en.questions is not None:
            cost += QUESTION * self._unanswered_question(a, b, s, t)
        if ECHO and self.zh.echoes is not None and self.en.echoes is not None:
            cost += ECHO * self._echoed(a, b, s, t)
        if w["address"] and self.en_salutations is not None and self.zh_addresses is not None:
            cost += w["address"] * self._unanswered_address(a, b, s, t)
        if SPEAKER and self.en_speakers is not None and self.zh_colons is not None:
            cost += SPEAKER * self._unanswered_speaker(a, b, s, t)
        if PAGE_LINE and self.zh_pages is not None and self.en_pages is not None:
            cost += PAGE_LINE * self._page_line_mismatch(a, b, s, t)
        cost += self._line_kinds(a, b, s, t)
        if w["rival"]:
            rivalry = np.maximum(self._rivalry("zh", s, zh_cos), self._rivalry("en", t, en_cos))
            cost += w["rival"] * np.maximum(rivalry - w["rival_margin"], 0.0)
        if (
            ADDRESS_PAIR
            and a == 1
            and b == 1
            and self.en_salutations is not None
            and self.zh_addresses is not None
        ):
            both = self.zh_addresses[s] & self.en_salutations[t]
            cost = np.where(both, np.minimum(cost, ADDRESS_PAIR * self.skip_cost), cost)
        return cost

    def _term_agreement(
        self,
        a: int,
        b: int,
        zh_starts: np.ndarray,
        en_starts: np.ndarray,
        zh_span: np.ndarray,
        en_span: np.ndarray,
    ) -> np.ndarray:
        """Glossary agreement of each bead, summed over its sentences: each sentence with
        anchor terms (``names.term_anchors``) adds the share of them the other side of the
        bead carries and, if it is merged with others on its side, subtracts the share of
        its strict terms (``term_strict``) the other side lacks; the sum is halved (one
        mention counts once on each side). Per sentence, not one share per bead: a stretch
        scores the same however it is cut into beads, as long as every term finds its
        partner (a share per bead paid two 1–1 beads twice what the 2–2 bead they were cut
        from earned)."""
        total = np.zeros(len(zh_starts))
        for side, count, starts, other in (
            (self.zh, a, zh_starts, en_span),
            (self.en, b, en_starts, zh_span),
        ):
            for offset in range(count):
                mask = side.terms[starts + offset]
                terms = _popcount(mask)
                kept = _popcount(mask & other)
                lacked = _popcount(mask & ~other & self.term_strict) if count > 1 else 0.0
                total += np.where(terms > 0, (kept - lacked) / np.maximum(terms, 1), 0.0)
        return total / 2.0

    def _line_kinds(
        self, a: int, b: int, zh_starts: np.ndarray, en_starts: np.ndarray
    ) -> np.ndarray:
        """``LEAD_IN`` where one side holds a lead-in and the other none, ``LIST_ITEMS``
        where a side joins two labelled list items, ``REPEAT`` where a side joins a line
        with the next line that repeats it. Zero at coarse levels (no line features)."""
        out = np.zeros(len(zh_starts))
        zh, en = self.zh, self.en
        if LEAD_IN and zh.lead_ins is not None and en.lead_ins is not None:
            zh_has = sum(zh.lead_ins[zh_starts + o] for o in range(a)) > 0
            en_has = sum(en.lead_ins[en_starts + o] for o in range(b)) > 0
            out += LEAD_IN * (en_has & ~zh_has)
        if LIST_ITEMS and zh.items is not None and en.items is not None:
            # A labelled line that does not open its side of the bead starts a new item
            # inside it (two labelled lines are one such case).
            zh_inner = sum(zh.items[zh_starts + o] for o in range(1, a)) > 0
            en_inner = sum(en.items[en_starts + o] for o in range(1, b)) > 0
            out += LIST_ITEMS * (zh_inner | en_inner)
        if LIST_LEVEL and zh.levels is not None and en.levels is not None:
            crossed = np.zeros(len(zh_starts), dtype=bool)
            for zl, el in ((1, 2), (2, 1)):
                z_has = sum(zh.levels[zh_starts + o] == zl for o in range(a)) > 0
                e_has = sum(en.levels[en_starts + o] == el for o in range(b)) > 0
                crossed |= z_has & e_has
            out += LIST_LEVEL * crossed
        if REPEAT and zh.repeats is not None and en.repeats is not None:
            for side, k, starts in ((zh, a, zh_starts), (en, b, en_starts)):
                assert side.repeats is not None
                if k > 1:
                    out += REPEAT * (sum(side.repeats[starts + o] for o in range(1, k)) > 0)
        return out

    def _unanswered_address(
        self, a: int, b: int, zh_starts: np.ndarray, en_starts: np.ndarray
    ) -> np.ndarray:
        """1.0 where the en span holds a form of address ("Fellow Members,") and the zh
        span none. Our segmenter makes 各位委员： the label of the sentence it opens, so
        such an en line is either paired with a zh address line kept as a line (主席先生：)
        or has no zh counterpart; paired with anything else (a photo caption, a byline)
        it is always wrong, and leaving both out was barely dearer than the 1–1 bead."""
        assert self.en_salutations is not None and self.zh_addresses is not None
        en_has = sum(self.en_salutations[en_starts + o] for o in range(b)) > 0
        zh_has = sum(self.zh_addresses[zh_starts + o] for o in range(a)) > 0
        return (en_has & ~zh_has).astype(np.float64)

    def _echoed(self, a: int, b: int, zh_starts: np.ndarray, en_starts: np.ndarray) -> np.ndarray:
        """1.0 where the zh span holds a line of an echoed lead (``echoed_leads``) and the
        en span none (see ``ECHO``)."""
        ze, ee = self.zh.echoes, self.en.echoes
        assert ze is not None and ee is not None
        zh_has = sum(ze[zh_starts + o] for o in range(a)) > 0
        en_has = sum(ee[en_starts + o] for o in range(b)) > 0
        return (zh_has & ~en_has).astype(np.float64)

    def _unanswered_speaker(
        self, a: int, b: int, zh_starts: np.ndarray, en_starts: np.ndarray
    ) -> np.ndarray:
        """1.0 where the en span holds a speaker line ("Xiang Dong:") and no zh line of the
        span ends in a colon (see ``SPEAKER``)."""
        assert self.en_speakers is not None and self.zh_colons is not None
        en_has = sum(self.en_speakers[en_starts + o] for o in range(b)) > 0
        zh_has = sum(self.zh_colons[zh_starts + o] for o in range(a)) > 0
        return (en_has & ~zh_has).astype(np.float64)

    def _page_line_mismatch(
        self, a: int, b: int, zh_starts: np.ndarray, en_starts: np.ndarray
    ) -> np.ndarray:
        """1.0 where one side of the bead holds a page line (a photo caption or credit,
        an editor's note) and the other side none (see ``PAGE_LINE``)."""
        assert self.zh_pages is not None and self.en_pages is not None
        zh_has = sum(self.zh_pages[zh_starts + o] for o in range(a)) > 0
        en_has = sum(self.en_pages[en_starts + o] for o in range(b)) > 0
        return (zh_has != en_has).astype(np.float64)

    def _unanswered_question(
        self, a: int, b: int, zh_starts: np.ndarray, en_starts: np.ndarray
    ) -> np.ndarray:
        """1.0 where a sentence asking a question opens or closes one side of the bead and
        the other side asks none."""
        zq, eq = self.zh.questions, self.en.questions
        assert zq is not None and eq is not None
        z_any = np.zeros(len(zh_starts), dtype=bool)
        for o in range(a):
            z_any |= zq[zh_starts + o]
        e_any = np.zeros(len(en_starts), dtype=bool)
        for o in range(b):
            e_any |= eq[en_starts + o]
        z_edge = zq[zh_starts] | zq[zh_starts + a - 1]
        e_edge = eq[en_starts] | eq[en_starts + b - 1]
        return ((z_edge & ~e_any) | (e_edge & ~z_any)).astype(np.float64)

    def _mixed(self, side: str, k: int, starts: np.ndarray) -> np.ndarray:
        """1.0 where a ``k``-span joins title-like lines with full sentences, else 0.0."""
        titles = (self.zh if side == "zh" else self.en).titles
        if k < 2 or titles is None:
            return np.zeros(len(starts))
        count = sum(titles[starts + offset] for offset in range(k))
        return ((count > 0) & (count < k)).astype(np.float64)

    def best_matches(self, side: str) -> np.ndarray:
        """Per sentence of ``side``, its highest cosine with any one sentence of the other
        side (in row blocks: memory stays linear in the document's length).

        Both sides come from one pass over the zh × en products: a block's row maxima are
        its zh sentences' best matches and its column maxima bound the en sentences'. The
        product of a zh row with an en row is the same float32 number whichever side is
        the left operand, so this gives the values two passes (zh × en, then en × zh) did,
        at half the multiplications."""
        if side not in self._best:
            zh, en = self.zh.vectors, self.en.vectors
            zh_best = np.full(len(zh), -1.0)
            en_best = np.full(len(en), -1.0)
            if len(zh) and len(en):
                en_best[:] = -np.inf
                for start in range(0, len(zh), 512):
                    block = zh[start : start + 512] @ en.T
                    zh_best[start : start + 512] = block.max(axis=1)
                    np.maximum(en_best, block.max(axis=0), out=en_best)
            self._best["zh"], self._best["en"] = zh_best, en_best
        return self._best[side]

    def _rivalry(self, side: str, starts: np.ndarray, cosines: list[np.ndarray]) -> np.ndarray:
        """Largest margin by which a sentence of the bead matches some single sentence of
        the other side better than it matches this bead's other side.

        The hubness normalisation compares a pair with *random* sentences, so an unrelated
        pair (a zh-only page title against the first en sentence) still costs less than
        leaving both out. A sentence that has a clearly better partner elsewhere in the
        document (its own translation) is evidence against this bead: the margin-based
        scoring of LASER/Bertalign, taken over the whole document (the best match is
        computed once per sentence, in blocks) and charged beyond ``rival_margin``.
        A bead of a sentence with its true partner is never charged, however often the
        document repeats it."""
        best = self.best_matches(side)
        worst = np.full(len(starts), -1.0)
        for offset, cos in enumerate(cosines):
            worst = np.maximum(worst, best[starts + offset] - cos)
        return worst

    def _member_cosines(
        self,
        side: str,
        k: int,
        starts: np.ndarray,
        other: np.ndarray,
        spans: tuple[int, np.ndarray] | None = None,
    ) -> list[np.ndarray]:
        """Cosine of each sentence of a ``k``-span of ``side`` with the other side's span.

        ``spans`` (the other side's span size and starts, when ``other`` holds its summed
        span vectors) lets the band's table (``prepare_band``) answer instead of the
        rows being gathered and multiplied again; the values are the same."""
        if spans is not None and (side, spans[0]) in self._members and len(starts):
            first, table = self._members[(side, spans[0])]
            rows = [starts + offset for offset in range(k)]
            cols = [spans[1] - first[r] for r in rows]
            if all(int(c.min()) >= 0 and int(c.max()) < table.shape[1] for c in cols):
                found = [table[r, c] for r, c in zip(rows, cols, strict=True)]
                if not any(np.isnan(f).any() for f in found):
                    return found
        vectors = (self.zh if side == "zh" else self.en).vectors
        return [np.einsum("ij,ij->i", vectors[starts + offset], other) for offset in range(k)]

    def _worst_member(self, side: str, starts: np.ndarray, cosines: list[np.ndarray]) -> np.ndarray:
        """Largest normalised distance beyond ``member_margin`` from one sentence of a span
        to the whole other side of the bead: a sentence with no counterpart inside a merge
        shows here, where the span's summed vector would average it away. With
        ``member_length`` p > 0 (the re-search of ``workbench.align.refine``) each
        sentence's excess is scaled by (its length / the side's mean length) ** p."""
        hub = self._hubness(side, 1)
        margin, power = self.weights["member_margin"], self.weights.get("member_length", 0.0)
        lengths = (self.zh if side == "zh" else self.en).lengths
        worst = np.zeros(len(starts))
        for offset, cos in enumerate(cosines):
            excess = np.maximum((1.0 - cos) / hub[starts + offset] - margin, 0.0)
            if power:
                excess = excess * (lengths[starts + offset] / lengths.mean()) ** power
            worst = np.maximum(worst, excess)
        return worst

    def coarsen(self, zh_starts: np.ndarray, en_starts: np.ndarray) -> EmbeddingScorer:
        coarse = EmbeddingScorer(
            self.zh.coarsen(zh_starts),
            self.en.coarsen(en_starts),
            {
                **self.weights,
                "skip": self.weights["skip"] * COARSE_SKIP,
                "rival": 0.0,
                "heading": 0.0,
            },
            self.ratio,
            self.samples,
            self.seed,
        )
        coarse.bead_types = COARSE_BEAD_TYPES
        return coarse

    def score(self, cost: float, a: int, b: int) -> float:
        """Map a bead's cost to a confidence in [0, 1]: 1 is perfect, 0 no better than
        leaving both sides unaligned (and every 1–0 / 0–1 bead)."""
        if a == 0 or b == 0:
            return 0.0
        return float(min(1.0, max(0.0, 1.0 - cost / (2 * self.skip_cost))))
