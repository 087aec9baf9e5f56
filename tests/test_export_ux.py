"""Issue 14 around the export: QA output that leads to the task, small exports, sources."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from test_export_pipeline import make_config, standard_tasks, write_corpus_for

from workbench.cli import cli
from workbench.corpus import corpus_dir, write_corpus
from workbench.export.run import export_dataset
from workbench.export.sources import document_url
from workbench.export.splits import all_in_train
from workbench.models import Document, Sentence
from workbench.snapshot import write_snapshot

LS_URL = "http://127.0.0.1:8080"


def use_config(monkeypatch, config) -> None:
    for key, value in {
        "WORKBENCH_PATHS_WORK_DIR": config.work_dir,
        "WORKBENCH_PATHS_EXPORTS_DIR": config.paths.exports_dir,
        "WORKBENCH_PATHS_GLOSSARY_DIR": config.paths.glossary_dir,
    }.items():
        monkeypatch.setenv(key, str(value))


def test_qa_command_prints_each_findings_pair_and_task_link(
    tmp_path: Path, project_root: Path, monkeypatch
) -> None:
    config = make_config(tmp_path, project_root)
    use_config(monkeypatch, config)
    tasks = standard_tasks()
    tasks[0]["annotations"][0]["translation"] = "In Jilin, the rural poor fell by 136,000."
    write_corpus_for(config, tasks)
    write_snapshot(config.work_dir, tasks, {"labelstudio_url": LS_URL, "project_id": 4})

    result = CliRunner().invoke(cli, ["qa", "--limit", "1"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    first = next(i for i, line in enumerate(lines) if "\terror\tnumbers\t" in line)
    assert lines[first + 1] == f"  zh: {tasks[0]['text']}"
    assert lines[first + 2] == "  en: In Jilin, the rural poor fell by 136,000."
    assert lines[first + 3] == f"  task: {LS_URL}/projects/4/data?task={tasks[0]['task_id']}"
    assert "… 1 more" in result.output


def small_tasks() -> list[dict]:
    """Seven translated pairs in three documents: the size that split 1 / 5 / 1."""
    tasks = standard_tasks()
    return [t for t in tasks if t["doc_id"] == "doc0"][:3] + [
        t for t in tasks if t["doc_id"] in ("doc1", "doc2")
    ][:4]


def test_a_small_export_puts_everything_in_train_and_says_so(
    tmp_path: Path, project_root: Path, monkeypatch
) -> None:
    config = make_config(tmp_path, project_root)
    use_config(monkeypatch, config)
    tasks = small_tasks()
    write_corpus_for(config, tasks)
    write_snapshot(config.work_dir, tasks, {"project_id": 1})

    result = CliRunner().invoke(cli, ["export"])

    assert result.exit_code == 0, result.output
    assert "exported 7 pairs (7 train, 0 dev, 0 test)" in result.output
    assert "warning: only 7 pairs (below [export] min_split_pairs = 20)" in result.output
    folder = config.paths.exports_dir / "latest"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["counts"]["splits"] == {"train": 7, "dev": 0, "test": 0}
    assert manifest["warnings"] == [
        "only 7 pairs (below [export] min_split_pairs = 20): all are in train, "
        "dev and test are empty"
    ]
    card = (folder / "README.md").read_text("utf-8")
    assert "> **Warning:** only 7 pairs (below [export] min_split_pairs = 20)" in card


def test_at_the_size_setting_the_export_is_split_as_usual(tmp_path, project_root) -> None:
    config = make_config(tmp_path, project_root, min_split_pairs=7)
    tasks = small_tasks()
    write_corpus_for(config, tasks)
    write_snapshot(config.work_dir, tasks, {"project_id": 1})

    manifest = export_dataset(config).manifest

    assert manifest["warnings"] == []
    assert manifest["counts"]["splits"]["train"] < 7


@pytest.mark.parametrize("total", [0, 1, 19])
def test_all_in_train_applies_below_the_setting_only(total):
    per_doc = {"a": total} if total else {}
    reason = all_in_train(per_doc, 20)
    assert (reason is not None) == (0 < total < 20)
    assert all_in_train({"a": 12, "b": 8}, 20) is None


def test_card_and_tables_name_each_documents_publisher_and_url(tmp_path, project_root) -> None:
    config = make_config(tmp_path, project_root)
    tasks = standard_tasks()
    write_snapshot(config.work_dir, tasks, {"project_id": 1})
    documents: dict[str, list[Sentence]] = {}
    for t in tasks:
        sentences = documents.setdefault(t["doc_id"], [])
        sentences.append(
            Sentence(t["sentence_id"], t["doc_id"], 0, len(sentences), t["text"], t["text"], 0, 1)
        )
    items = []
    for n, (doc, sentences) in enumerate(documents.items()):
        document = Document(doc, f"seeds/{doc}.txt", "0" * 64, "utf-8", "", title=f"文件|{doc}")
        if n == 0:
            document.source = "吉林省人民政府"
            document.published = "2018-01-30"
            document.metadata = {"url": "http://www.jl.gov.cn/a.html"}
        items.append((document, sentences))
    write_corpus(corpus_dir(config.work_dir), items)

    result = export_dataset(config)

    card = (result.path / "README.md").read_text("utf-8")
    section = card.split("## Sources", 1)[1].split("\n## ", 1)[0]
    assert (
        "| `doc0` | 文件\\|doc0 | 吉林省人民政府 | 2018-01-30 | <http://www.jl.gov.cn/a.html> | 6 |"
        in section
    )
    assert "| `doc1` | 文件\\|doc1 | – | – | – | 6 |" in section
    assert [s["publisher"] for s in result.manifest["sources"]][:2] == ["吉林省人民政府", None]
    rows = []
    for split in ("train", "dev", "test"):
        path = result.path / "parallel" / f"{split}.csv"
        if path.exists():
            with open(path, encoding="utf-8", newline="") as handle:
                rows += list(csv.DictReader(handle))
        table = result.path / "parallel" / f"{split}.parquet"
        if table.exists():
            columns = pq.read_table(table).column_names
            assert columns[columns.index("source") :][:2] == ["source", "source_url"]
    by_doc = {(r["doc_id"], r["source"], r["source_url"]) for r in rows}
    assert ("doc0", "吉林省人民政府", "http://www.jl.gov.cn/a.html") in by_doc
    assert ("doc1", "", "") in by_doc
    assert len(rows) == 36


def test_ingest_keeps_a_documents_url_from_its_header(project_root) -> None:
    from workbench.config import load_config
    from workbench.ingest.pipeline import Ingester

    text = (
        "吉林精准脱贫攻坚战新闻发布会\n\n"
        "发布时间:2018-01-30 15:33:54  |  来源:吉林省  |  网址: http://www.jl.gov.cn/a.html\n\n"
        "全省农村贫困人口减少16.3万人。\n"
    )
    document, _ = Ingester(load_config(root=project_root)).read_bytes(
        text.encode("utf-8"), "x.txt", "x"
    )

    assert document.source == "吉林省"
    assert document_url(document.metadata) == "http://www.jl.gov.cn/a.html"
