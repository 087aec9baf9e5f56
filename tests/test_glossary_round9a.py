"""Round 9 of glossary recall, coverage A (issue 16): ``recall_dev5.txt`` and the ``*12.tsv``
rows of the Party, governance and economy topics.

Earlier rounds closed the misses of the tuning passages and moved the held-out recall by
0–3 terms: the held-out sets miss other concepts. So this round first measured recall the
way the held-out sets are built, on a fresh file of official Party and State texts
(``tests/data/glossary/recall_dev5.txt``: State Council executive meeting and Political
Bureau releases, a plenum communique and decision, a Qiushi notice), committed before the
glossary was run on it, and only then closed its misses by class: members of named series
(六稳, 六保, the four of 2025), meeting and plenum formulas, the three ranks of systems, and
written-differently forms of older rows. These tests keep the promises docs/glossary.md
makes for the round.
"""

from __future__ import annotations

import pytest
from glossary_rounds import (
    DATA,
    GLOSSARY,
    check_fresh_passages,
    check_pages_unnamed_elsewhere,
    check_round_rows,
    check_variants_belong,
    entries_of,
    found_in,
    measurement_addresses,
    passages,
)

from workbench.glossary import load_glossary
from workbench.glossary.model import Entry

ROUND9A = [GLOSSARY / name for name in ("governance12.tsv", "party12.tsv", "economy12.tsv")]
PREFIXES = {"gv12", "pt12", "en12"}
DEV5 = DATA / "glossary" / "recall_dev5.txt"
RECALL_FILES = sorted((DATA / "glossary").glob("recall_dev*.txt"))
# The written-differently variants this round put on older rows: form -> row.
VARIANTS = {
    "十三届全国人大三次会议": "hv-106",
    "十三届全国人民代表大会三次会议": "hv-106",
    "社会主义现代化建设": "rr2-004",
    "中共政治局": "org-042",
    "中央委员会总书记": "rur-162",
    "民族复兴": "rur-102",
    "保障改善民生": "cp-033",
    "人民当家做主": "rr2-015",
    "党的领导、人民当家做主、依法治国有机统一": "gv10-011",
}
# Names of documents are the only rows QA holds translations to (as in rounds 7 and 8).
PREFERRED = {"pt12-002"}


def round9a_entries() -> list[Entry]:
    return entries_of(ROUND9A)


def test_the_fresh_file_is_well_formed_and_large_enough() -> None:
    check_fresh_passages(DEV5, min_passages=12, min_terms=150)


def test_the_fresh_file_uses_pages_no_other_file_names() -> None:
    check_pages_unnamed_elsewhere(DEV5)


def test_the_fresh_file_is_registered_with_the_benchmark() -> None:
    """The benchmark reports the file on its own line, so its before/after is not pooled."""
    source = (DATA.parent.parent / "benchmarks" / "terminology.py").read_text("utf-8")
    assert '"recall_dev5.txt"' in source
    assert "RECALL_DEV5)" in source


def test_fresh_pages_mark_traditional_script_where_they_are_published_so() -> None:
    """Three pages are published in Traditional script; their headers say so, because the
    benchmark measures a passage in the script its header names first."""
    traditional = [header for header, _, _ in passages(DEV5) if "Traditional" in header]
    assert len(traditional) == 3
    for header, text, _ in passages(DEV5):
        if header in traditional:
            assert "國務院" in text or "經濟" in text, header


def test_round9a_rows_are_approved_sourced_and_cite_no_measured_page() -> None:
    assert all(path.exists() for path in ROUND9A)
    check_round_rows(
        round9a_entries(),
        id_pattern=r"[a-z]{2}12-\d{3}",
        prefixes=PREFIXES,
        used=measurement_addresses(RECALL_FILES),
        minimum=40,
    )


def test_every_topic_file_of_the_round_has_rows() -> None:
    by_file: dict[str, int] = {}
    for entry in round9a_entries():
        name = entry.file.rsplit("/", 1)[-1]
        by_file[name] = by_file.get(name, 0) + 1
    assert sorted(by_file) == sorted(path.name for path in ROUND9A)
    assert min(by_file.values()) >= 8


def test_only_document_names_are_preferred_and_nothing_is_required() -> None:
    """General vocabulary that published translations rephrase stays descriptive, so the
    round adds no false 'missing term' warning; a document's name may be preferred."""
    for entry in round9a_entries():
        assert entry.enforcement != "required", entry.id
        if entry.id in PREFERRED:
            assert entry.enforcement == "preferred" and entry.category == "document", entry.id
        else:
            assert entry.enforcement == "descriptive", entry.id


def test_the_variants_belong_to_their_older_rows() -> None:
    check_variants_belong(VARIANTS)


def test_the_series_of_six_and_of_four_are_complete() -> None:
    """六稳 names six things kept stable and the 2025 releases four: each member the
    passages write is a row, so a passage listing them is covered member by member."""
    found = found_in("稳就业、稳金融、稳外贸、稳外资、稳投资、稳预期；稳企业、稳市场", "simplified")
    wanted = {"soc-108", *(f"en12-{n:03d}" for n in range(3, 10))}
    assert wanted <= found, sorted(wanted - found)


@pytest.mark.parametrize("script", ["simplified", "traditional"])
def test_round9a_concepts_are_found_in_running_text(script: str) -> None:
    text = (
        "做好“六稳”工作、落实“六保”任务，更好统筹疫情防控和经济社会发展，深化“放管服”改革，"
        "建立资金直达机制，激发市场活力。实施更加积极的财政政策，防范化解重点领域风险，"
        "推动科技创新和产业创新深度融合，有力提振消费，综合整治“内卷式”竞争，"
        "推动经济实现质的有效提升和量的合理增长；经济下行压力加大，稳住经济大盘。"
        "减半征收城镇土地使用税，支持新能源汽车发展。坚持和完善中国特色社会主义行政体制，"
        "构建政府治理体系，发挥中央和地方两个积极性；改革发展稳定任务繁重，"
        "满足人民日益增长的美好生活需要；中国特色社会主义新时代；到新中国成立一百年时。"
        "审议《中国共产党领导全面依法治国工作条例》和《中共中央关于深化党和国家机构改革的决定》，"
        "召开党外人士座谈会，中央军委主席在《求是》杂志发表文章，完善党的领导制度体系，"
        "坚持和巩固根本制度、完善和发展基本制度、创新重要制度，发展社会主义先进文化。"
        "从“四个现代化”到全面建设社会主义现代化国家，电子商务加快发展。"
    )
    found = found_in(text, script)
    members = {f"en12-{n:03d}" for n in range(3, 10)}  # the 稳 members, tested above
    wanted = {entry.id for entry in round9a_entries()} - members
    assert wanted <= found, sorted(wanted - found)


def test_longer_entries_still_win_over_the_round9a_forms() -> None:
    """Leftmost-longest: the older long rows keep their spans over the short forms this
    round adds (实事求是 over 求是, the principal contradiction over its second half)."""
    matcher = load_glossary(GLOSSARY).matcher()
    for text, entry_id in [
        ("实事求是", None),
        ("人民日益增长的美好生活需要和不平衡不充分的发展之间的矛盾", "pty-029"),
        ("社会主义现代化强国", None),
        ("积极的财政政策", "en9-051"),
        ("中共中央政治局常委", "hv-135"),
    ]:
        [match] = matcher.find(text)
        assert (match.start, match.end) == (0, len(text)), text
        if entry_id:
            assert match.entry_id == entry_id, text
        assert not match.entry_id.startswith(tuple(f"{p}-" for p in PREFIXES)), text
