"""The ingest pipeline: stable ids, failures reported and skipped, corpus replaced safely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workbench.config import load_config
from workbench.corpus import read_documents, read_sentences
from workbench.errors import InputError
from workbench.ingest.pipeline import Ingester, assign_doc_ids, ingest_paths, sentence_id

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "004_43a4c4d0f0703f6b.txt"
DATA = ROOT / "tests" / "data" / "ingest"


@pytest.fixture
def config(tmp_path):
    return load_config(overrides={"paths": {"work_dir": str(tmp_path / "work")}})


@pytest.fixture(scope="module")
def ingester():
    return Ingester(load_config())


def test_same_input_gives_the_same_ids(ingester):
    data = SEED.read_bytes()
    _, first = ingester.read_bytes(data, "seeds/x.txt", "doc")
    _, second = ingester.read_bytes(data, "elsewhere/x.txt", "doc")
    assert [s.id for s in first] == [s.id for s in second]
    assert first[0].id == sentence_id("doc", first[0].text, 0)


def test_editing_one_paragraph_does_not_renumber_the_rest(ingester):
    text = SEED.read_text(encoding="utf-8")
    target = "贫困地区农民人均可支配收入不到全省平均水平的60%。"
    assert text.count(target) == 1
    edited = text.replace(target, "贫困地区农民人均收入明显偏低。另有新增一句。")
    _, before = ingester.read_bytes(text.encode(), "x.txt", "doc")
    _, after = ingester.read_bytes(edited.encode(), "x.txt", "doc")
    old = {s.id for s in before if s.text != target}
    new = {s.id for s in after}
    assert old <= new
    assert len(new - old) == 2


def test_repeated_sentences_get_distinct_ids(ingester):
    _, sentences = ingester.read_bytes("谢谢。\n谢谢。\n".encode(), "x.txt", "doc")
    assert [s.text for s in sentences] == ["谢谢。", "谢谢。"]
    assert sentences[0].id != sentences[1].id


def test_traditional_and_mirrored_sources_give_simplified_text_and_true_offsets(ingester):
    document, sentences = ingester.read_bytes((DATA / "big5.txt").read_bytes(), "b.txt", "b")
    assert document.encoding == "big5"
    assert document.title == "关于进一步做好易地扶贫搬迁后续扶持工作的通知"
    for s in sentences:
        assert document.original[s.start : s.end] == s.source_text
    item = next(s for s in sentences if s.label == "（一）")
    assert (item.kind, item.text, item.source_text) == ("item", "基本原则。", "基本原則。")


def test_html_page_becomes_a_document_with_speakers(ingester):
    path = DATA / "page_gb2312.html"
    document, sentences = ingester.read_bytes(path.read_bytes(), path.name, "page")
    assert document.metadata["format"] == "html"
    assert document.title == "全省脱贫攻坚新闻发布会"
    assert document.published == "2018-03-02T10:00"
    assert "<p>" not in document.original
    by_text = {s.text: s for s in sentences}
    assert by_text["请问下一步有什么打算？"].speaker == "新华社记者"
    assert by_text["一是抓产业；二是抓就业。"].speaker == "李建国"
    assert not any("分享到" in s.text or "版权" in s.text for s in sentences)


def test_bad_files_are_reported_and_skipped_and_the_rest_ingested(config):
    report = ingest_paths([DATA], config)
    assert [Path(r.path).name for r in report.failed] == ["image.txt"]
    assert "binary" in report.failed[0].error
    documents = {d.id for d in read_documents(report.corpus)}
    assert documents == {"big5", "gb18030", "page_gb2312", "traditional", "utf16", "utf8_bom"}


def test_rerunning_ingest_replaces_the_corpus_whole(config):
    ingest_paths([DATA / "gb18030.txt"], config)
    report = ingest_paths([DATA / "big5.txt", DATA / "gb18030.txt"], config)
    first = [s.id for s in read_sentences(report.corpus)]
    report = ingest_paths([DATA / "big5.txt", DATA / "gb18030.txt"], config)
    assert [s.id for s in read_sentences(report.corpus)] == first


def test_a_run_where_every_file_fails_keeps_the_previous_corpus(config, tmp_path):
    good = ingest_paths([DATA / "gb18030.txt"], config)
    report = ingest_paths([DATA / "image.txt"], config)
    assert report.manifest is None and len(report.failed) == 1
    assert [d.id for d in read_documents(good.corpus)] == ["gb18030"]


def test_missing_path_is_reported_by_name(config, tmp_path):
    report = ingest_paths([DATA / "gb18030.txt", tmp_path / "nope.txt"], config)
    assert len(report.failed) == 1 and "nope.txt: no such file" in report.failed[0].error


def test_a_folder_without_inputs_is_an_error(config, tmp_path):
    with pytest.raises(InputError, match=r"no \.txt or \.html files"):
        ingest_paths([tmp_path], config)


def test_doc_ids_are_file_stems_and_stay_unique(tmp_path):
    paths = [Path("a/report.txt"), Path("b/report.html"), Path("c/report.txt"), Path("x.txt")]
    assert assign_doc_ids(paths) == ["report", "report.html", "report.txt", "x"]


def test_semicolon_setting_reaches_the_pipeline(tmp_path):
    source = tmp_path / "measures.txt"
    shutil.copy(DATA / "gb18030.txt", source)
    overrides = {"paths": {"work_dir": str(tmp_path / "w")}, "segment": {}}
    overrides["segment"]["split_at_semicolon"] = True
    split = Ingester(load_config(overrides=overrides))
    _, sentences = split.read_file(source, "m")
    assert "到2020年，搬迁群众人均可支配收入增长10.5%以上；" in [s.text for s in sentences]
