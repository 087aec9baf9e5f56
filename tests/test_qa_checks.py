"""The QA checks of one pair and across pairs, and the qa.json report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_export_pipeline import make_config

from workbench.glossary import load_glossary
from workbench.models import SentencePair
from workbench.qa import GlossaryView, PairChecker, QaReport

ZH = "全省农村贫困人口减少16.3万人，坚持精准扶贫基本方略。"
EN = (
    "The province's rural poor population fell by 163,000, and it adhered to the basic "
    "strategy of targeted poverty alleviation."
)


def pair(en: str, zh: str = ZH, id: str = "s1") -> SentencePair:
    return SentencePair(id=id, doc_id="d1", zh=zh, en=en)


@pytest.fixture
def checker(tmp_path: Path, project_root: Path) -> PairChecker:
    config = make_config(tmp_path, project_root)
    return PairChecker(GlossaryView.of(load_glossary(config=config)))


@pytest.mark.parametrize(
    ("en", "checks"),
    [
        (EN, []),
        ("   ", ["empty"]),
        (ZH, ["untranslated"]),
        ("全省农村贫困人口减少16.3万人，targeted poverty alleviation。", ["untranslated"]),
        ("Rural poor: 163,000, targeted poverty alleviation (坚持).", ["cjk"]),
        (EN.replace("targeted", "精准"), ["cjk", "terminology.missing"]),
        (EN.replace("163,000", "136,000"), ["numbers"]),
        (EN.replace("targeted", "precise"), ["terminology.forbidden", "terminology.missing"]),
        (EN + " " + EN + " " + EN + " " + EN, ["length_ratio"]),
    ],
)
def test_each_check_flags_its_problem_and_only_it(
    checker: PairChecker, en: str, checks: list[str]
) -> None:
    assert sorted(f.check for f in checker.check(pair(en))) == checks


def test_a_truncated_translation_is_a_length_outlier(checker: PairChecker) -> None:
    zh = "全省各级各部门坚持以脱贫攻坚统揽经济社会发展全局，各项工作取得明显成效。"
    assert [f.check for f in checker.check(pair("Good results.", zh=zh))] == ["length_ratio"]


def test_the_same_source_translated_differently_is_flagged_once_seen_twice(
    checker: PairChecker,
) -> None:
    assert checker.check(pair(EN, id="a")) == []
    assert checker.check(pair(EN.replace("The province's", "The provincial"), id="b")) != []
    [finding] = [
        f for f in checker.check(pair(EN.upper(), id="c")) if f.check == "inconsistent"
    ] or [None]
    assert finding is None  # case-only differences are the same translation
    flagged = checker.check(pair(EN.replace("fell", "dropped"), id="d"))
    assert [f.details.get("other_sentence_id") for f in flagged] == ["a"]


def test_report_writes_a_json_array_and_counts_by_check(tmp_path: Path, checker) -> None:
    report = QaReport(tmp_path / "spool.jsonl")
    report.add_pair(checker.check(pair(EN)))
    report.add_pair(checker.check(pair(EN.replace("163,000", "136,000"), id="s2")))
    count = report.write_json(tmp_path / "qa.json")
    findings = json.loads((tmp_path / "qa.json").read_text("utf-8"))
    assert count == len(findings) == 2  # wrong number + inconsistent with s1
    assert {f["check"] for f in findings} == {"numbers", "inconsistent"}
    assert set(findings[0]) >= {"sentence_id", "check", "severity", "message"}
    assert report.summary()["pairs_flagged"] == 1
    assert report.summary()["by_severity"]["error"] == 1


def test_a_term_left_out_is_reported_as_possibly_omitted_at_a_lower_severity(
    checker: PairChecker,
) -> None:
    """精准扶贫 dropped with nothing in its place: info, not a missing-term warning."""
    findings = checker.check(pair("The province's rural population in need fell by 163,000."))
    [finding] = [f for f in findings if f.check.startswith("terminology")]
    assert finding.check == "terminology.omitted"
    assert finding.severity == "info"
    assert "left out" in finding.message
    # another entry's English in its place (建档立卡's) is a wrong term, still missing
    findings = checker.check(
        pair("The province's rural population in need fell by 163,000, filed and carded.")
    )
    assert "terminology.missing" in [f.check for f in findings]
