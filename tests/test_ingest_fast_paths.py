"""The per-document fast paths of ingest give exactly what the general paths give."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.config import load_config
from workbench.ingest.decode import _plausible, _plausible_utf8
from workbench.ingest.pipeline import Ingester
from workbench.text import normalize as normalize_module
from workbench.text.normalize import normalize

ROOT = Path(__file__).parent.parent
# Han (Simplified and Traditional), ASCII and full-width marks, every kind of space the
# normaliser collapses or drops, zero-width characters, dots and line breaks.
PIECES = [
    *'扶贫記憶體們。，.,:;!?()"“”（）ＡＢ１２ab1',
    " ",
    "  ",
    "\u3000",
    "\u00a0",
    "\t",
    "\u200b",
    "\ufeff",
    "...",
    "......",
    "\n",
    "\r\n",
    "\u2028",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=texts, opencc=st.sampled_from(["t2s", "none", "tw2sp"]))
def test_the_unchanged_length_shortcut_gives_the_general_result(text, opencc):
    fast = normalize(text, opencc)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(normalize_module, "_keeps_length", lambda _text: False)
        general = normalize(text, opencc)
    assert fast.text == general.text
    assert list(fast.offsets) == list(general.offsets)
    assert len(fast.offsets) == len(fast.text)


@pytest.fixture(scope="module")
def ingester() -> Ingester:
    return Ingester(load_config(ROOT, environ={}))


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(texts.filter(lambda t: t.strip()), min_size=1, max_size=6),
)
def test_sentences_map_back_to_the_original_whatever_the_spacing(ingester, lines):
    data = "\n".join(lines).encode("utf-8")
    try:
        _document, sentences = ingester.read_bytes(data, "x.txt", "x")
    except Exception as exc:  # only "nothing to ingest" is allowed
        assert "nothing to ingest" in str(exc) or "no text left" in str(exc)
        return
    original = _document.original
    for sentence in sentences:
        assert original[sentence.start : sentence.end] == sentence.source_text
        if sentence.offsets is None:
            assert len(sentence.source_text) == len(sentence.text)
        else:
            assert len(sentence.offsets) == len(sentence.text)
            # An offset map is stored only when the sentence does not align one to one.
            aligned = sentence.offsets == list(range(len(sentence.text)))
            assert not aligned or len(sentence.source_text) != len(sentence.text)


# Traditional and Simplified characters, phrases OpenCC converts whole (with length
# changes under tw2sp: 記憶體 → 内存), punctuation read across its neighbours, spaces and
# dots at line edges, and characters that are not Han.
SCRIPT_PIECES = [
    *'乾燥隆後后發发們们著着體体電电腦脑 ，a1.,:;!?()"“”（）ＡＢ',
    "記憶體",
    "軟體",
    "乾隆",
    "滑鼠",
    "\u3000",
    "...",
    "  ",
    "\u200b",
]


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(st.lists(st.sampled_from(SCRIPT_PIECES), max_size=12).map("".join), max_size=8),
    opencc=st.sampled_from(["t2s", "tw2sp", "hk2s", "none"]),
)
def test_normalising_a_documents_lines_together_equals_one_by_one(lines, opencc):
    from workbench.text.normalize import normalize_lines

    together = normalize_lines(lines, opencc)
    alone = [normalize(line, opencc) for line in lines]
    assert [(n.text, list(n.offsets), n.source) for n in together] == [
        (n.text, list(n.offsets), n.source) for n in alone
    ]


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(
        alphabet=st.one_of(
            st.sampled_from("\x00\x01\x08\t\n\x0b\x0c\r\x0e\x1f\x7f\ufffd\ue000扶贫 a"),
            st.characters(exclude_categories=("Cs",)),  # UTF-8 cannot hold surrogates
        ),
        max_size=60,
    )
)
def test_counting_control_characters_on_the_utf8_bytes_equals_counting_them_in_the_text(text):
    assert _plausible_utf8(text.encode("utf-8"), text) == _plausible(text)


# ASCII marks next to each other and to Han, Chinese punctuation, spaces, digits, Latin,
# the noncharacters the per-mark passes use as placeholders, line breaks.
MARK_PIECES = [*",:;!?.．()扶贫，。“”（a1 ", "\n", "\t", "\ufdd0", "\ufdd7", "\U00020000"]


@settings(max_examples=600, deadline=None)
@given(text=st.lists(st.sampled_from(MARK_PIECES), max_size=30).map("".join))
def test_one_pass_per_mark_equals_the_single_punctuation_pass(text):
    expected = normalize_module._PUNCT.sub(normalize_module._full_width_mark, text)
    assert normalize_module._full_width_marks(text) == expected


@settings(max_examples=150, deadline=None)
@given(
    doc_id=st.text(min_size=1, max_size=12).filter(lambda d: "\x00" not in d),
    lines=st.lists(
        st.sampled_from(["扶贫。", "扶贫。扶贫。", "脱贫攻坚！", "a."]), min_size=1, max_size=8
    ),
)
def test_sentence_ids_made_inline_are_sentence_ids(ingester, doc_id, lines):
    from workbench.ingest.pipeline import sentence_id

    _document, sentences = ingester.read_bytes("\n".join(lines).encode(), "x.txt", doc_id)
    seen: dict[str, int] = {}
    for sentence in sentences:
        occurrence = seen.get(sentence.text, 0)
        seen[sentence.text] = occurrence + 1
        assert sentence.id == sentence_id(doc_id, sentence.text, occurrence)


# Full-width forms (kept and converted), the code points around them, characters whose
# UTF-16 low byte is FF (仿 U+4EFF), Han, a surrogate pair's worth beyond the BMP.
WIDE_PIECES = [
    *(chr(c) for c in range(0xFEFE, 0xFF62)),
    *"仿亿一丿扶贫a1，",
    "\u4eff\u4e02",
    "\U0002a6ff",
    "\U000fff02",
]


@settings(max_examples=600, deadline=None)
@given(text=st.lists(st.sampled_from(WIDE_PIECES), max_size=12).map("".join))
def test_the_code_unit_test_for_full_width_forms_equals_the_class_scan(text):
    assert normalize_module._has_wide(text) == (normalize_module._WIDE.search(text) is not None)


def _is_role_by_every_suffix(label: str, rules) -> bool:
    """``_is_role`` as it was before its filter: every suffix tried in turn."""
    from workbench.ingest.structure import _is_name

    if label in rules.not_speakers:
        return False
    if label in rules.roles:
        return True
    for suffix in rules.role_suffixes:
        if label.endswith(suffix):
            return True
        at = label.rfind(suffix)
        if at > 0 and _is_name(label[at + len(suffix) :], rules):
            return True
    return False


# Roles, suffixes met inside and at the end of labels, surnames and other Han, the
# transcription dot, prose marks, Latin.
LABEL_PIECES = [
    *"张王覃欧阳市县办记者主任局长持人问答·的，a1",
    "主持人",
    "新闻发言人",
    "发言人",
    "副主任",
    "记者",
    "网友",
    "目标",
    "张树斌",
]


@settings(max_examples=600, deadline=None)
@given(label=st.lists(st.sampled_from(LABEL_PIECES), min_size=1, max_size=6).map("".join))
def test_telling_roles_with_the_suffix_filter_equals_trying_every_suffix(ingester, label):
    from workbench.ingest.structure import _is_role

    rules = ingester.structure
    assert _is_role(label, rules) == _is_role_by_every_suffix(label, rules)


def test_sentence_ids_past_the_encoded_occurrences_are_sentence_ids(ingester):
    from workbench.ingest.pipeline import _OCCURRENCES, sentence_id

    lines = ["扶贫。"] * (_OCCURRENCES + 5)
    _document, sentences = ingester.read_bytes("\n".join(lines).encode(), "x.txt", "doc")
    assert len(sentences) == len(lines)
    assert [s.id for s in sentences] == [
        sentence_id("doc", "扶贫。", occurrence) for occurrence in range(len(lines))
    ]
    assert len({s.id for s in sentences}) == len(lines)


# Numbering of every shipped kind, numbering alone on a line, numbers that are not
# numbering (1.3%), headings and items, spaces.
NUMBERING_PIECES = [
    *"一二十、（）1２3.．）①A•——第章条 。：扶贫",
    "第三条",
    "（一）",
    "1.3%",
    "1、",
    "二、",
    "a.",
]


@settings(max_examples=600, deadline=None)
@given(text=st.lists(st.sampled_from(NUMBERING_PIECES), min_size=1, max_size=8).map("".join))
def test_numbering_from_the_joined_patterns_marker_equals_trying_every_pattern(ingester, text):
    from workbench.ingest.pipeline import _numbering_start
    from workbench.ingest.structure import find_numbering

    rules = ingester.structure
    joined = _numbering_start(rules.numbering)
    assert joined is not None  # the shipped patterns join: the fast path is on
    found = joined.match(text)
    expected = find_numbering(text, rules)
    if found is None:
        assert expected is None
    else:
        assert find_numbering(text, rules, int(found.lastgroup[2:])) == expected


# What the shipped cleaning rules look for (breadcrumbs, share widgets, font toggles,
# map leftovers in either case, counters, footers), with body text around it.
CLEANING_PIECES = [
    *"首页>：:|+-A大中小 1２3扶贫。",
    "当前位置",
    "分享到",
    "字号",
    "Baidu",
    "MAP",
    "地图",
    "浏览次数",
    "次",
    "版权所有",
    "Copyright",
    "京ICP备",
    "扫一扫",
    "下一篇",
    "打印本页",
    "【",
    "】",
]


@settings(max_examples=600, deadline=None)
@given(line=st.lists(st.sampled_from(CLEANING_PIECES), min_size=1, max_size=6).map("".join))
def test_the_joined_cleaning_filter_matches_where_some_rule_matches(ingester, line):
    from workbench.ingest.clean import _any_rule

    rules = ingester.cleaning.rules
    joined = _any_rule(tuple(r.pattern for r in rules))
    assert joined is not None  # every shipped rule is anchored: the filter is on
    assert (joined.search(line) is not None) == any(r.pattern.search(line) for r in rules)


def test_an_unanchored_rule_turns_the_cleaning_filter_off():
    import re

    from workbench.ingest.clean import _any_rule

    assert _any_rule((re.compile("^分享到"), re.compile("分享到"))) is None
    assert _any_rule((re.compile("(?i)^map$"), re.compile("^分享到"))) is not None


def test_zone_tables_kept_across_documents_clean_as_fresh_rules_do():
    from workbench.ingest.clean import clean_text, read_cleaning_rules

    config = load_config(ROOT, environ={})
    kept = read_cleaning_rules(config.ingest.cleaning_rules)
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += ["当前位置：首页>新闻\n扶贫。\n12", "分享到：\n扶贫工作。\n版权所有"]
    for text in texts + texts[::-1]:
        fresh = read_cleaning_rules(config.ingest.cleaning_rules)
        assert clean_text(text, kept) == clean_text(text, fresh)
    assert kept.zone_tables  # worked out once and kept


def test_the_numbering_filter_follows_the_structure_rules(ingester):
    from dataclasses import replace

    from workbench.ingest.pipeline import Ingester, _numbering_start

    other = Ingester(load_config(ROOT, environ={}))
    assert other._numbering_filter() is _numbering_start(other.structure.numbering)
    other.structure = replace(other.structure, numbering=other.structure.numbering[:1])
    assert other._numbering_filter() is _numbering_start(other.structure.numbering)
    assert other._numbering_filter() is not ingester._numbering_filter()


def test_the_role_filter_follows_replaced_suffixes(ingester):
    from dataclasses import replace

    from workbench.ingest.structure import _is_role

    rules = replace(ingester.structure, role_suffixes=("馆员",), roles=frozenset())
    assert _is_role("图书馆馆员", rules)
    assert _is_role("市图书馆馆员张树斌", rules)
    assert not _is_role("城市晚报记者", rules)


# Lines that end in what the fast regex now takes together with the line break: a
# terminator run, a quotation (closed, with or without a terminator inside, or unclosed),
# closing marks and spaces before the break; also breaks inside a "paragraph".
LINE_ENDS = st.sampled_from(
    ["。", "……", "？！", "。”", "”", "“未完", "（注）", "《纲要》", "。）", " ", "\u3000", "\t"]
)
LINE_BODY = st.sampled_from([*"扶贫两不愁等，、：。", "一是", "“两不愁”", "（一）"])
LINE_BREAK = st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\n\n"])
ended_line = st.tuples(st.lists(LINE_BODY, max_size=6), st.lists(LINE_ENDS, max_size=3)).map(
    lambda parts: "".join(parts[0]) + "".join(parts[1])
)


@settings(max_examples=400, deadline=None)
@given(lines=st.lists(st.tuples(ended_line, LINE_BREAK), max_size=8))
def test_line_end_matches_that_take_the_break_agree_with_the_token_loop(lines):
    from workbench.segment import Segmenter, load_rules

    rules = load_rules(load_config().segment)
    text = "".join(line + brk for line, brk in lines)
    assert Segmenter(rules).segment(text) == Segmenter(rules, fast=False).segment(text)


@settings(max_examples=400, deadline=None)
@given(
    paragraphs=st.lists(
        st.tuples(ended_line, st.sampled_from(["", "", "\n", "\u3000\n "])).map("".join),
        max_size=8,
    )
)
def test_joined_split_finds_a_break_inside_a_paragraph_without_counting(paragraphs):
    from workbench.segment import Segmenter, load_rules

    rules = load_rules(load_config().segment)
    fast, slow = Segmenter(rules), Segmenter(rules, fast=False)
    assert fast.split_lines(paragraphs) == [slow.split(p) for p in paragraphs]


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(
        st.lists(st.sampled_from([*SCRIPT_PIECES, "\n", "\n\n", " \n"]), max_size=10).map("".join),
        max_size=6,
    ),
    opencc=st.sampled_from(["t2s", "hk2s", "none"]),
)
def test_lines_holding_a_line_break_are_normalised_one_by_one_without_a_count(lines, opencc):
    from workbench.text.normalize import normalize_lines

    together = normalize_lines(lines, opencc)
    alone = [normalize(line, opencc) for line in lines]
    assert [(n.text, list(n.offsets), n.source) for n in together] == [
        (n.text, list(n.offsets), n.source) for n in alone
    ]


# Characters OpenCC converts only inside some phrases (覆 in 批覆, not in 覆盖; 沈, 藉,
# 坏), those phrases, characters it always converts, one beyond the BMP, Simplified text.
TRIGGER_PIECES = [
    *"覆盖批覆答覆反覆沈浸沈阳藉口慰藉坏人打坏扶贫發展，",
    "\U00020000",
    "\n",
]


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(
        st.lists(st.sampled_from(TRIGGER_PIECES), max_size=10).map("".join),
        min_size=1,
        max_size=6,
    ),
    config=st.sampled_from(["t2s", "tw2sp", "hk2s"]),
)
def test_one_scan_for_triggers_converts_the_lines_may_change_picks(texts, config):
    from workbench.text.normalize import _convert_lines, _converter, _triggers

    lines = [line for text in texts for line in text.split("\n")]
    triggers = _triggers(config)
    converter = _converter(config)
    assert triggers is not None and converter is not None
    picked = [line for line in lines if triggers.may_change(line)]
    calls: list[str] = []

    class Recording:
        def convert(self, text: str) -> str:
            calls.append(text)
            return str(converter.convert(text))

    joined = "\n".join(lines)
    assert _convert_lines(Recording(), config, joined) == converter.convert(joined)
    if not picked:
        assert calls == []
    elif len(picked) == len(lines):
        assert calls == [joined]
    else:
        assert calls[0] == "\n".join(picked)


def test_sentences_built_without_their_init_equal_sentences_built_with_it(ingester):
    import dataclasses

    from workbench.models import Sentence

    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        _document, sentences = ingester.read_bytes(seed.read_bytes(), "x.txt", seed.stem)
        for sentence in sentences:
            # An unset field (one added to Sentence but not to ingest) raises here.
            values = {f.name: getattr(sentence, f.name) for f in dataclasses.fields(Sentence)}
            assert Sentence(**values) == sentence
        assert len({id(s.terms) for s in sentences}) == len(sentences)  # a list each


# Parentheses paired, nested, unpaired and across line breaks, beside Han, Chinese
# punctuation, Latin, digits, spaces and a Han character beyond the BMP.
PAREN_PIECES = [*"()()扶贫a1 ，。“\n,", "（", "\U00020000", "(a)", "(扶)"]


@settings(max_examples=600, deadline=None)
@given(text=st.lists(st.sampled_from(PAREN_PIECES), max_size=24).map("".join))
def test_replacing_every_parenthesis_at_once_equals_deciding_pair_by_pair(text):
    import re

    rewritten = normalize_module._full_width_marks(text)
    fast = normalize_module._rewrite_parentheses(rewritten, text)
    with pytest.MonkeyPatch.context() as patch:  # every text takes the pair-by-pair path
        patch.setattr(normalize_module, "_LATIN_PAIR", re.compile(""))
        general = normalize_module._rewrite_parentheses(rewritten, text)
    assert fast == general


@settings(max_examples=600, deadline=None)
@given(
    text=st.lists(
        st.sampled_from([*WIDE_PIECES, *MARK_PIECES, *PAREN_PIECES, '"', "“"]), max_size=20
    ).map("".join)
)
def test_looking_for_forms_to_narrow_in_the_published_text_finds_those_of_the_rewritten(text):
    module = normalize_module
    expected = module._full_width_marks(text)
    if "(" in text or ")" in text:
        expected = module._rewrite_parentheses(expected, text)
    if '"' in text:
        expected = module._rewrite_quotes(expected, text)
    if module._WIDE.search(expected):
        expected = expected.translate(module._WIDE_TO_NARROW)
    assert module._rewrite_one_to_one(text) == expected


def test_lines_built_without_their_init_equal_lines_built_with_it(ingester):
    import dataclasses

    from workbench.ingest.clean import Line, clean_text

    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        cleaned = clean_text(seed.read_text(encoding="utf-8"), ingester.cleaning)
        for line in cleaned.lines:
            values = {f.name: getattr(line, f.name) for f in dataclasses.fields(Line)}
            assert Line(**values) == line


@settings(max_examples=100, deadline=None)
@given(
    lines=st.lists(st.lists(st.sampled_from(SCRIPT_PIECES), max_size=12).map("".join), max_size=8)
)
def test_normalised_lines_built_without_their_init_equal_ones_built_with_it(lines):
    import dataclasses

    from workbench.text.normalize import Normalized, normalize_lines

    for normalized in normalize_lines(lines, "t2s"):
        values = {f.name: getattr(normalized, f.name) for f in dataclasses.fields(Normalized)}
        assert Normalized(**values) == normalized


# Round 5: the segmenter's str-scan path (workbench/segment/scan.py) against the regex
# paths it stands in front of, through the whole of ingest.
SEGMENT_PIECES = [
    *"扶贫記憶體們。！？!?…；;，,、：:.“”‘’「」《》（）()等",
    "……",
    "。”",
    "（一）",
    "1.",
    "3.34",
    " ",
    "\u3000",
    "\n",
    "\n\n",
    "http://a.cn",
    '"',
]
segment_texts = (
    st.lists(st.sampled_from(SEGMENT_PIECES), min_size=1, max_size=60)
    .map("".join)
    .filter(lambda text: text.strip())
)


@settings(max_examples=200, deadline=None)
@given(text=segment_texts, semicolon=st.booleans())
def test_ingest_with_the_segmenters_scan_equals_ingest_with_its_regex_paths(text, semicolon):
    from dataclasses import replace

    config = load_config(ROOT, environ={})
    config = replace(config, segment=replace(config.segment, split_at_semicolon=semicolon))
    scanning, regex = Ingester(config), Ingester(config)
    regex.segmenter._scan = None
    data = text.encode("utf-8")
    _doc, expected = regex.read_bytes(data, "doc.txt", "doc")
    _doc, got = scanning.read_bytes(data, "doc.txt", "doc")
    assert [s.to_dict() for s in got] == [s.to_dict() for s in expected]


def test_the_seeds_ingest_the_same_with_and_without_the_segmenters_scan(ingester):
    regex = Ingester(load_config(ROOT, environ={}))
    regex.segmenter._scan = None
    assert ingester.segmenter._scan is not None
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        data = path.read_bytes()
        _doc, got = ingester.read_bytes(data, path.name, path.stem)
        _doc, expected = regex.read_bytes(data, path.name, path.stem)
        assert [s.to_dict() for s in got] == [s.to_dict() for s in expected]
