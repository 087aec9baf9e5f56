"""Every export format read back by an independent reader agrees with every other, pair
for pair: TMX (lxml against the TMX 1.4b DTD, and translate-toolkit), JSONL (Hugging Face
``datasets``), Moses, CSV and TSV (pandas), Parquet (pyarrow), BIO (nltk's CoNLL reader)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import nltk
import pandas as pd
import pyarrow.parquet as pq
import pytest
from lxml import etree
from nltk.chunk import conlltags2tree
from nltk.corpus.reader.conll import ConllCorpusReader
from test_export_pipeline import annotation, make_config, standard_tasks, task, write_corpus_for
from translate.storage.tmx import tmxfile

from workbench.config import Config
from workbench.export.run import export_dataset
from workbench.snapshot import write_snapshot

DTD = Path(__file__).parent / "data" / "tmx14.dtd"

# Text that breaks naive writers: markup characters, quotes, a tab, a line break, a control
# character, a character outside the BMP, a CSV delimiter and a quote.
TRICKY = [
    (
        "“两不愁三保障”<目标>&任务，要求“A&B”。",
        "The \"two assurances & three guarantees\" <goal>, 'A&B'; a, b.",
    ),
    ("𠀾字与\t制表符\n换行。", "Rare 𠀾 character,\twith a tab\nand a line break\x07."),
]


def tricky_tasks() -> list[dict]:
    tasks = standard_tasks()
    zh = "坚持精准扶贫，吉林省民政厅负责。"
    entities = [
        {
            "start": 2,
            "end": 6,
            "text": "精准扶贫",
            "label": "POLICY_TERM",
            "rendering": "targeted poverty alleviation",
        },
        {"start": 7, "end": 13, "text": "吉林省民政厅", "label": "ORG", "rendering": None},
        {"start": 7, "end": 10, "text": "吉林省", "label": "LOC", "rendering": "Jilin"},
    ]
    en = "We adhere to targeted poverty alleviation; the Jilin Civil Affairs Department leads."
    tasks.append(task("e-0", "doc0", zh, [annotation(en, entities=entities, id=900)], 900))
    for i, (zh_t, en_t) in enumerate(TRICKY):
        tasks.append(task(f"t-{i}", "doc1", zh_t, [annotation(en_t, id=950 + i)], 950 + i))
    return tasks


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> tuple[Config, Path]:
    tmp_path = tmp_path_factory.mktemp("formats")
    config = make_config(tmp_path, project_root, scripts=["s2tw"])
    tasks = tricky_tasks()
    write_corpus_for(config, tasks)
    write_snapshot(config.work_dir, tasks, {"project_id": 1})
    result = export_dataset(config)
    return config, result.path


def splits_of(folder: Path) -> list[str]:
    return sorted(p.stem for p in (folder / "parallel").glob("*.jsonl"))


def reference(folder: Path, split: str) -> list[tuple[str, str, str]]:
    """(id, zh, en) of a split as the plain JSON reader sees it."""
    rows = []
    for line in (folder / "parallel" / f"{split}.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        rows.append((record["id"], record["translation"]["zh"], record["translation"]["en"]))
    return rows


def test_tmx_is_valid_against_the_tmx14b_dtd(exported) -> None:
    _config, folder = exported
    dtd = etree.DTD(str(DTD))
    for split in splits_of(folder):
        document = etree.parse(str(folder / "parallel" / f"{split}.tmx"))
        assert dtd.validate(document), dtd.error_log.filter_from_errors()
        header = document.getroot().find("header")
        assert header.get("srclang") == "zh-CN"
        assert header.get("segtype") == "sentence"
        for tu in document.getroot().iter("tu"):
            assert len(tu.get("creationdate")) == 16  # YYYYMMDDThhmmssZ
            props = {p.get("type"): p.text for p in tu.findall("prop")}
            assert props["x-sentence-id"] == tu.get("tuid")
            assert {"x-doc-id", "x-annotator", "x-status"} <= set(props)


def test_tmx_read_by_translate_toolkit_matches_jsonl(exported) -> None:
    _config, folder = exported
    for split in splits_of(folder):
        store = tmxfile.parsefile(str(folder / "parallel" / f"{split}.tmx"))
        pairs = [(u.source, u.target) for u in store.units]
        assert pairs == [(zh, en) for _id, zh, en in reference(folder, split)]


def test_jsonl_loads_with_hugging_face_datasets(exported, tmp_path: Path, monkeypatch) -> None:
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    _config, folder = exported
    files = {s: str(folder / "parallel" / f"{s}.jsonl") for s in splits_of(folder)}
    loaded = datasets.load_dataset("json", data_files=files, cache_dir=str(tmp_path))
    for split in files:
        rows = [(r["id"], r["translation"]["zh"], r["translation"]["en"]) for r in loaded[split]]
        assert rows == reference(folder, split)


def test_moses_csv_tsv_and_parquet_agree_with_jsonl(exported) -> None:
    _config, folder = exported
    for split in splits_of(folder):
        expected = reference(folder, split)
        parallel = folder / "parallel"
        zh_lines = (parallel / f"{split}.zh").read_text("utf-8").split("\n")[:-1]
        en_lines = (parallel / f"{split}.en").read_text("utf-8").split("\n")[:-1]
        assert list(zip(zh_lines, en_lines, strict=True)) == [(z, e) for _i, z, e in expected]

        csv_frame = pd.read_csv(parallel / f"{split}.csv", dtype=str, keep_default_na=False)
        tsv_frame = pd.read_csv(
            parallel / f"{split}.tsv",
            sep="\t",
            quoting=csv.QUOTE_NONE,
            dtype=str,
            keep_default_na=False,
        )
        table = pq.read_table(parallel / f"{split}.parquet").to_pydict()
        for frame in (csv_frame.to_dict("list"), tsv_frame.to_dict("list"), table):
            assert list(zip(frame["id"], frame["zh"], frame["en"], strict=True)) == expected
            assert set(frame["split"]) == {split}


def test_tricky_text_is_cleaned_once_for_every_format(exported) -> None:
    _config, folder = exported
    rows = {i: (zh, en) for s in splits_of(folder) for i, zh, en in reference(folder, s)}
    zh, en = rows["t-1"]
    assert "\n" not in en and "\t" not in en and "\x07" not in en
    assert en == "Rare 𠀾 character, with a tab and a line break ."
    assert zh == "𠀾字与 制表符 换行。"
    assert rows["t-0"][1].startswith('The "two assurances & three guarantees" <goal>')


def test_bio_read_by_a_conll_reader_gives_the_spans(exported, monkeypatch) -> None:
    _config, folder = exported
    # nltk only reads corpora from folders on its data path.
    monkeypatch.setattr(nltk.data, "path", [*nltk.data.path, str(folder / "entities")])
    for split in splits_of(folder):
        reader = ConllCorpusReader(
            str(folder / "entities"), [f"{split}.bio"], ("words", "pos"), separator="\t"
        )
        tagged = reader.tagged_sents()
        spans = [
            json.loads(line)
            for line in (folder / "entities" / f"{split}.spans.jsonl")
            .read_text("utf-8")
            .splitlines()
        ]
        assert len(tagged) == len(spans)
        for sentence, record in zip(tagged, spans, strict=True):
            assert "".join(w for w, _t in sentence) == "".join(record["text"].split())
            tree = conlltags2tree([(w, "X", t) for w, t in sentence])
            found = [
                (sub.label(), "".join(w for w, _p in sub.leaves()))
                for sub in tree
                if hasattr(sub, "label")
            ]
            # BIO cannot nest: of overlapping spans the first (longest) is kept.
            expected, end = [], -1
            for span in sorted(record["spans"], key=lambda s: (s["start"], -s["end"])):
                if span["start"] >= end:
                    expected.append((span["label"], span["text"]))
                    end = span["end"]
            assert found == expected


def test_entity_spans_and_term_pairs_keep_what_the_annotator_marked(exported) -> None:
    _config, folder = exported
    spans = {}
    terms = []
    for split in splits_of(folder):
        for line in (folder / "entities" / f"{split}.spans.jsonl").read_text("utf-8").splitlines():
            record = json.loads(line)
            spans[record["id"]] = record
        for line in (folder / "entities" / f"{split}.terms.jsonl").read_text("utf-8").splitlines():
            terms.append(json.loads(line))
    record = spans["e-0"]
    assert [(s["label"], s["text"]) for s in record["spans"]] == [
        ("POLICY_TERM", "精准扶贫"),
        ("ORG", "吉林省民政厅"),
        ("LOC", "吉林省"),
    ]
    for span in record["spans"]:
        assert record["text"][span["start"] : span["end"]] == span["text"]
    assert sorted((t["zh"], t["en"]) for t in terms) == [
        ("吉林省", "Jilin"),
        ("精准扶贫", "targeted poverty alleviation"),
    ]


def test_traditional_variant_is_line_aligned_with_english(exported) -> None:
    _config, folder = exported
    for split in splits_of(folder):
        variant = (folder / "variants" / "s2tw" / f"{split}.zh").read_text("utf-8").splitlines()
        english = (folder / "parallel" / f"{split}.en").read_text("utf-8").splitlines()
        assert len(variant) == len(english)
        records = [
            json.loads(line)
            for line in (folder / "variants" / "s2tw" / f"{split}.jsonl")
            .read_text("utf-8")
            .splitlines()
        ]
        assert [r["translation"]["zh-TW"] for r in records] == variant
    all_variant = "".join(
        (folder / "variants" / "s2tw" / f"{s}.zh").read_text("utf-8") for s in splits_of(folder)
    )
    assert "貧困" in all_variant and "贫困" not in all_variant


def test_splits_never_share_a_document(exported) -> None:
    _config, folder = exported
    docs = {}
    for split in splits_of(folder):
        for line in (folder / "parallel" / f"{split}.jsonl").read_text("utf-8").splitlines():
            docs.setdefault(json.loads(line)["doc_id"], set()).add(split)
    assert all(len(splits) == 1 for splits in docs.values())
    assert set().union(*docs.values()) == {"train", "dev", "test"}


def assert_formats_agree(folder: Path) -> int:
    """Read every parallel format of an export with its independent reader and check they
    hold the same pairs in the same order; return the number of pairs."""
    dtd = etree.DTD(str(DTD))
    total = 0
    for split in splits_of(folder):
        parallel = folder / "parallel"
        expected = reference(folder, split)
        pairs = [(zh, en) for _id, zh, en in expected]
        document = etree.parse(str(parallel / f"{split}.tmx"))
        assert dtd.validate(document), dtd.error_log.filter_from_errors()
        store = tmxfile.parsefile(str(parallel / f"{split}.tmx"))
        assert [(u.source, u.target) for u in store.units] == pairs
        assert [u.getid() for u in store.units] == [i for i, _z, _e in expected]
        zh_lines = (parallel / f"{split}.zh").read_text("utf-8").split("\n")[:-1]
        en_lines = (parallel / f"{split}.en").read_text("utf-8").split("\n")[:-1]
        assert list(zip(zh_lines, en_lines, strict=True)) == pairs
        csv_frame = pd.read_csv(parallel / f"{split}.csv", dtype=str, keep_default_na=False)
        tsv_frame = pd.read_csv(
            parallel / f"{split}.tsv",
            sep="\t",
            quoting=csv.QUOTE_NONE,
            dtype=str,
            keep_default_na=False,
        )
        table = pq.read_table(parallel / f"{split}.parquet").to_pydict()
        for frame in (csv_frame.to_dict("list"), tsv_frame.to_dict("list"), table):
            assert list(zip(frame["id"], frame["zh"], frame["en"], strict=True)) == expected
        spans = (folder / "entities" / f"{split}.spans.jsonl").read_text("utf-8").splitlines()
        assert [json.loads(s)["id"] for s in spans] == [i for i, _z, _e in expected]
        sentences = (folder / "entities" / f"{split}.bio").read_text("utf-8").split("\n\n")
        assert len([s for s in sentences if s.strip()]) == len(expected)
        total += len(expected)
    return total


def test_every_format_agrees_pair_for_pair(exported) -> None:
    _config, folder = exported
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert assert_formats_agree(folder) == manifest["counts"]["pairs"]
