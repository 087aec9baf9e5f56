"""Export end to end on synthetic snapshots: selection, dedup, splits, QA, atomicity."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workbench.config import Config, load_config
from workbench.corpus import corpus_dir, write_corpus
from workbench.errors import ConfigError, ExportError, InputError
from workbench.export.formats import FORMATS
from workbench.export.run import export_dataset
from workbench.models import Document, Sentence
from workbench.snapshot import write_snapshot

GLOSSARY_HEADER = (
    "id\tzh\tzh_variants\ten\ten_alternatives\ten_forbidden\tcategory\tnote\tsource\t"
    "source_url\tstatus\n"
)
GLOSSARY_ROWS = [
    "t-001\t精准扶贫\t\ttargeted poverty alleviation\t\tprecise poverty alleviation\tpolicy"
    "\tnote\tsource\thttps://example.org/a\tapproved\n",
    "t-002\t建档立卡\t\tregistered\tfiled and carded | registration\t\tprogramme"
    "\tnote\tsource\thttps://example.org/b\tapproved\n",
    "t-003\t第一书记\t\tfirst secretary\t\t\ttitle\tnote\tsource\thttps://example.org/c\tapproved\n",
]


def make_config(tmp_path: Path, project_root: Path, **export: Any) -> Config:
    """A config whose work, export and glossary folders live under ``tmp_path``."""
    glossary = tmp_path / "glossary"
    glossary.mkdir(parents=True, exist_ok=True)
    (glossary / "terms.tsv").write_text(GLOSSARY_HEADER + "".join(GLOSSARY_ROWS), "utf-8")
    return load_config(
        root=project_root,
        overrides={
            "paths": {
                "work_dir": str(tmp_path / "work"),
                "exports_dir": str(tmp_path / "exports"),
                "glossary_dir": str(glossary),
            },
            "export": export,
        },
        environ={},
    )


def annotation(
    translation: str | None,
    status: str | None = "final",
    annotator: str = "a@example.org",
    updated: str = "2026-01-01T10:00:00Z",
    cancelled: bool = False,
    entities: list[dict[str, Any]] | None = None,
    id: int = 1,
) -> dict[str, Any]:
    """One annotation record in the snapshot format."""
    return {
        "id": id,
        "annotator": annotator,
        "created_at": updated,
        "updated_at": updated,
        "lead_time": 3.0,
        "was_cancelled": cancelled,
        "ground_truth": False,
        "translation": translation,
        "status": status,
        "segmentation": "ok",
        "entities": entities or [],
        "result": [],
    }


def task(
    sid: str, doc: str, text: str, annotations: list[dict[str, Any]], task_id: int = 0
) -> dict[str, Any]:
    """One task record in the snapshot format."""
    return {
        "task_id": task_id,
        "sentence_id": sid,
        "doc_id": doc,
        "doc_title": f"Title of {doc}",
        "speaker": None,
        "text": text,
        "terms": [],
        "annotations": annotations,
    }


def write_corpus_for(config: Config, tasks: list[dict[str, Any]]) -> None:
    """Write a corpus holding the documents and sentences the tasks refer to."""
    docs: dict[str, list[Sentence]] = {}
    for t in tasks:
        sentences = docs.setdefault(t["doc_id"], [])
        sentences.append(
            Sentence(t["sentence_id"], t["doc_id"], 0, len(sentences), t["text"], t["text"], 0, 1)
        )
    items = [
        (Document(doc, f"seeds/{doc}.txt", "0" * 64, "utf-8", "", title=f"文件 {doc}"), sents)
        for doc, sents in docs.items()
    ]
    write_corpus(corpus_dir(config.work_dir), items)


# Sentences with their correct translations, several documents.
SENTENCES = [
    (
        "全省农村贫困人口减少16.3万人，贫困发生率下降到3.34%。",
        "The province's rural poor population fell by 163,000, and the poverty headcount ratio "
        "dropped to 3.34 percent.",
    ),
    (
        "全年投入财政专项扶贫资金40.77亿元。",
        "Special fiscal funds for poverty alleviation reached 4.077 billion yuan for the year.",
    ),
    (
        "坚持精准扶贫、精准脱贫基本方略。",
        "We will adhere to the basic strategy of targeted poverty alleviation and elimination.",
    ),
    ("2018年要完成两个县的脱贫摘帽任务。", "In 2018 we must lift two counties out of poverty."),
    (
        "建档立卡贫困户全部纳入医疗保障范围。",
        "All registered poor households are covered by medical insurance.",
    ),
    (
        "选派第一书记驻村开展帮扶工作。",
        "First secretaries are sent to stay in villages and provide assistance.",
    ),
]


PLACES = [
    ("吉林省", "Jilin"),
    ("青海省", "Qinghai"),
    ("柳州市", "Liuzhou"),
    ("遂宁市", "Suining"),
    ("贵州省", "Guizhou"),
    ("甘肃省", "Gansu"),
]


def standard_tasks() -> list[dict[str, Any]]:
    """Six documents (one per place) of six correctly translated sentences each."""
    tasks = []
    n = 0
    for d, (place, place_en) in enumerate(PLACES):
        for i, (zh, en) in enumerate(SENTENCES):
            n += 1
            zh_d, en_d = f"{place}{zh}", f"In {place_en}, {en[0].lower()}{en[1:]}"
            tasks.append(task(f"d{d}-s{i}", f"doc{d}", zh_d, [annotation(en_d, id=n)], n))
    return tasks


@pytest.fixture
def config(tmp_path: Path, project_root: Path) -> Config:
    return make_config(tmp_path, project_root)


def export_folder(config: Config, name: str = "latest") -> Path:
    return config.paths.exports_dir / name


def test_export_writes_every_format_and_manifest(config: Config) -> None:
    tasks = standard_tasks()
    write_corpus_for(config, tasks)
    write_snapshot(config.work_dir, tasks, {"project_id": 1})
    result = export_dataset(config)
    folder = export_folder(config)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["counts"]["pairs"] == len(tasks)
    assert sum(manifest["counts"]["splits"].values()) == len(tasks)
    assert {f["format"] for f in manifest["files"]} == set(FORMATS)
    for entry in manifest["files"]:
        assert (folder / entry["path"]).is_file(), entry
    assert (folder / "README.md").read_text("utf-8").startswith("---\nlicense: cc-by-4.0")
    assert isinstance(json.loads((folder / "qa.json").read_text("utf-8")), list)
    assert result.manifest == manifest
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def export_with(config: Config, tasks: list[dict[str, Any]], **overrides: Any):
    write_corpus_for(config, tasks)
    write_snapshot(config.work_dir, tasks, {"project_id": 1})
    return export_dataset(config, **overrides)


def read_qa(config: Config, name: str = "latest") -> list[dict[str, Any]]:
    return json.loads((export_folder(config, name) / "qa.json").read_text("utf-8"))


def test_left_out_tasks_are_counted_by_reason_and_empty_translations_flagged(
    config: Config,
) -> None:
    tasks = standard_tasks()
    tasks[0]["annotations"] = [annotation("skipped", cancelled=True)]
    tasks[1]["annotations"] = [annotation("Draft that needs a look.", status="needs_review")]
    tasks[2]["annotations"] = []
    tasks[3]["annotations"] = [annotation(None, status="draft")]
    result = export_with(config, tasks)
    counts = result.manifest["counts"]
    assert counts["left_out"] == {
        "needs_review": 1,
        "no_annotation": 1,
        "skipped": 1,
        "untranslated": 1,
    }
    assert counts["pairs"] == len(tasks) - 4
    empty = [f for f in read_qa(config) if f["check"] == "empty"]
    assert [f["sentence_id"] for f in empty] == [tasks[3]["sentence_id"]]
    card = (result.path / "README.md").read_text("utf-8")
    assert "| marked needs review | 1 |" in card


def test_final_selection_keeps_only_final_annotations(config: Config) -> None:
    tasks = standard_tasks()
    tasks[0]["annotations"] = [annotation("A draft.", status="draft")]
    tasks[1]["annotations"] = [
        annotation("The final one.", status="final", updated="2026-01-01T00:00:00Z", id=1),
        annotation("A later draft.", status="draft", updated="2026-02-01T00:00:00Z", id=2),
    ]
    result = export_with(config, tasks, selection="final")
    assert result.manifest["counts"]["left_out"] == {"not_final": 1}
    rows = {}
    for path in (result.path / "parallel").glob("*.jsonl"):
        for line in path.read_text("utf-8").splitlines():
            record = json.loads(line)
            rows[record["id"]] = record["translation"]["en"]
    assert rows[tasks[1]["sentence_id"]] == "The final one."
    assert tasks[0]["sentence_id"] not in rows


def test_exact_and_near_duplicates_are_removed_and_counted(config: Config) -> None:
    tasks = standard_tasks()
    zh, en = tasks[0]["text"], tasks[0]["annotations"][0]["translation"]
    tasks.append(task("dup-exact", "doc1", zh, [annotation(en, id=500)], 500))
    tasks.append(
        task(
            "dup-near",
            "doc2",
            zh.replace("，", "、"),
            [annotation(en.replace("and", "and,"), id=501)],
            501,
        )
    )
    tasks.append(
        task("dup-near2", "doc3", zh.replace("全省", "全市"), [annotation(en, id=502)], 502)
    )
    result = export_with(config, tasks)
    duplicates = result.manifest["counts"]["duplicates"]
    assert duplicates["exact"] + duplicates["near"] == 3
    assert duplicates["exact"] >= 2  # punctuation-only changes normalise to the same pair
    assert result.manifest["counts"]["pairs"] == len(tasks) - 3


def test_splits_are_deterministic_for_a_seed_and_change_with_it(
    tmp_path: Path, project_root: Path
) -> None:
    tasks = []
    n = 0
    for d in range(30):
        for i, (zh, en) in enumerate(SENTENCES[:2]):
            n += 1
            tasks.append(
                task(
                    f"x{d}-{i}",
                    f"doc{d:02d}",
                    f"第{d}号文件：{zh}{d * 7919}",
                    [annotation(f"Document {d}: {en} {d * 7919}", id=n)],
                    n,
                )
            )

    def assignment(name: str, seed: int) -> dict[str, str]:
        config = make_config(tmp_path / name, project_root, near_duplicate_bits=-1)
        result = export_with(config, tasks, seed=seed)
        found = {}
        for path in (result.path / "parallel").glob("*.jsonl"):
            for line in path.read_text("utf-8").splitlines():
                record = json.loads(line)
                found[record["doc_id"]] = record["split"]
        return found

    first, again, other = assignment("a", 13), assignment("b", 13), assignment("c", 14)
    assert first == again
    assert first != other
    counts = {s: list(first.values()).count(s) for s in ("train", "dev", "test")}
    assert counts == {"train": 24, "dev": 3, "test": 3}


def test_qa_flags_a_wrong_number_and_a_forbidden_rendering(config: Config) -> None:
    tasks = standard_tasks()
    tasks[0]["annotations"][0]["translation"] = (
        "In Jilin, the rural poor population fell by 136,000, and the poverty headcount ratio "
        "dropped to 3.34 percent."
    )
    tasks[2]["annotations"][0]["translation"] = (
        "In Jilin, we will adhere to the basic strategy of precise poverty alleviation."
    )
    export_with(config, tasks)
    findings = {(f["sentence_id"], f["check"], f["severity"]) for f in read_qa(config)}
    assert (tasks[0]["sentence_id"], "numbers", "error") in findings
    assert (tasks[2]["sentence_id"], "terminology.forbidden", "error") in findings
    assert len({f[0] for f in findings}) == 2  # nothing else in the clean pairs


def test_a_failing_format_leaves_the_previous_export_intact(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.export import formats
    from workbench.export.formats.jsonl import JsonlWriter

    tasks = standard_tasks()
    export_with(config, tasks)
    folder = export_folder(config)
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    class FailingWriter(JsonlWriter):
        def write(self, pair):
            if self.records == 3:
                raise OSError("disk full (injected)")
            super().write(pair)

    monkeypatch.setitem(formats.FORMATS, "jsonl", FailingWriter)
    tasks[0]["annotations"][0]["translation"] = "A new translation."
    with pytest.raises(ExportError, match="previous export is unchanged"):
        export_with(config, tasks)
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in folder.parent.iterdir()] == ["latest"]


def test_rerunning_an_export_gives_the_same_data(config: Config) -> None:
    tasks = standard_tasks()
    first = export_with(config, tasks)
    data = {p.name: p.read_bytes() for p in (first.path / "parallel").glob("*.jsonl")}
    second = export_dataset(config)
    assert {p.name: p.read_bytes() for p in (second.path / "parallel").glob("*.jsonl")} == data


def test_unknown_selection_and_missing_snapshot_are_clear_errors(config: Config) -> None:
    with pytest.raises(InputError, match="workbench pull"):
        export_dataset(config)
    write_snapshot(config.work_dir, standard_tasks(), {"project_id": 1})
    with pytest.raises(ConfigError, match="latest, final, agreement"):
        export_dataset(config, selection="newest")
    with pytest.raises(ConfigError, match="unknown"):
        export_dataset(config, formats=["docx"])


def test_a_broken_glossary_is_reported_not_silently_skipped(config: Config) -> None:
    glossary = config.paths.glossary_dir / "terms.tsv"
    glossary.write_text(GLOSSARY_HEADER + "bad row without the columns\n", "utf-8")
    result = export_with(config, standard_tasks())
    assert result.qa["terminology"].startswith("not checked: glossary could not be loaded")
    manifest = json.loads((result.path / "manifest.json").read_text("utf-8"))
    assert manifest["qa"]["terminology"] == result.qa["terminology"]
    assert manifest["counts"]["pairs"] == len(standard_tasks())
    assert "**Terminology not checked: glossary could not be loaded" in (
        result.path / "README.md"
    ).read_text("utf-8")


def test_an_export_with_no_translated_pairs_is_still_complete(config: Config) -> None:
    tasks = standard_tasks()
    for t in tasks:
        t["annotations"] = []
    result = export_with(config, tasks)
    assert result.manifest["counts"]["pairs"] == 0
    assert result.manifest["counts"]["left_out"] == {"no_annotation": len(tasks)}
    assert json.loads((result.path / "qa.json").read_text("utf-8")) == []
    assert "0 pairs exported" in (result.path / "README.md").read_text("utf-8")


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("near_duplicate_bits", 40, "between -1"),
        ("dev_fraction", 0.6, "leave room for train"),
        ("name", "../elsewhere", "plain folder name"),
        ("scripts", ["s2x"], "unknown"),
    ],
)
def test_bad_settings_are_config_errors_naming_the_setting(
    config: Config, setting: str, value: Any, message: str
) -> None:
    write_snapshot(config.work_dir, standard_tasks(), {"project_id": 1})
    overrides = {setting: value}
    if setting == "dev_fraction":
        overrides["test_fraction"] = 0.5
    with pytest.raises(ConfigError, match=message):
        export_dataset(config, **overrides)
