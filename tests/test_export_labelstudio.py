"""The whole path on a real Label Studio: ingest the seeds, tag, push, annotate through the
SDK as annotators would, pull, export; every format agrees, QA flags the planted errors,
and an interrupted export leaves the previous one intact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from labelstudio_fixtures import annotation_result
from test_export_formats import assert_formats_agree

from workbench.config import Config, with_overrides
from workbench.errors import ExportError
from workbench.export.run import export_dataset
from workbench.glossary import tag_corpus
from workbench.ingest.pipeline import ingest_paths
from workbench.labelstudio.project import find_project
from workbench.labelstudio.sync import pull_snapshot, push_corpus

pytestmark = [pytest.mark.labelstudio, pytest.mark.slow]

# Seed sentences (as segmented by ingest) and what the annotators write for them.
NUMBERS = "实现16.3万建档立卡贫困人口脱贫，全省贫困发生率由3.34%下降到1.3%。"
WRONG_NUMBER = (
    "136,000 registered poor people were lifted out of poverty, and the province's poverty "
    "headcount ratio fell from 3.34 percent to 1.3 percent."
)
FORBIDDEN = "大力推动精准扶贫小额贷款，用好用活扶贫再贷款政策，拓宽融资渠道。"
FORBIDDEN_EN = (
    "We will vigorously promote precise poverty alleviation microcredit, make good use of "
    "poverty alleviation relending, and broaden financing channels."
)
GOOD = "坚持精准扶贫、精准脱贫。"
GOOD_EN = "We will adhere to targeted poverty alleviation and targeted poverty elimination."
GOOD2 = "夯实精准扶贫精准脱贫基础性工作。"
GOOD2_EN = "We will consolidate the groundwork of targeted poverty alleviation and elimination."
REVIEW = "注重刚性要求与个性化需求的有效衔接"
SKIP = "省政协围绕“深入开展精准扶贫有关问题”开展了专题协商。"


def find_task(tasks: dict[str, object], fragment: str):
    """The one task whose text is ``fragment``, or else the one that contains it."""
    if fragment in tasks:
        return tasks[fragment]
    [task] = [t for text, t in tasks.items() if fragment in text]
    return task


def test_seeds_to_export_on_a_real_label_studio(
    labelstudio_server,
    ls_config: Config,
    project_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ls_config = with_overrides(ls_config, paths={"exports_dir": str(tmp_path / "exports")})
    report = ingest_paths(sorted((project_root / "seeds").glob("*.txt")), ls_config)
    assert not report.failed
    tag_corpus(ls_config)
    push_corpus(ls_config)

    client = labelstudio_server.client
    project = find_project(client, ls_config.labelstudio.project_title)
    tasks = {
        t.data["text"]: t
        for t in client.tasks.list(project=project.id, fields="all", page_size=1000)
    }
    good = find_task(tasks, GOOD)
    entities = [
        (2, 6, "精准扶贫", "POLICY_TERM", "targeted poverty alleviation"),
        (7, 11, "精准脱贫", "POLICY_TERM", "targeted poverty elimination"),
    ]
    assert good.data["text"][2:6] == "精准扶贫" and good.data["text"][7:11] == "精准脱贫"
    client.annotations.create(id=good.id, result=annotation_result(GOOD_EN, "final", entities))
    client.annotations.create(
        id=find_task(tasks, GOOD2).id, result=annotation_result(GOOD2_EN, "final")
    )
    client.annotations.create(
        id=find_task(tasks, NUMBERS).id, result=annotation_result(WRONG_NUMBER, "final")
    )
    client.annotations.create(
        id=find_task(tasks, FORBIDDEN).id, result=annotation_result(FORBIDDEN_EN, "draft")
    )
    client.annotations.create(
        id=find_task(tasks, REVIEW).id,
        result=annotation_result("Adhere to the strategy.", "needs_review"),
    )
    client.annotations.create(id=find_task(tasks, SKIP).id, result=[], was_cancelled=True)

    snapshot = pull_snapshot(ls_config)
    first = export_dataset(ls_config)
    folder = first.path
    counts = first.manifest["counts"]
    assert first.manifest["snapshot"]["name"] == snapshot.name
    assert counts["pairs"] == 4
    assert counts["left_out"]["needs_review"] == 1
    assert counts["left_out"]["skipped"] == 1
    assert counts["tasks"] == report.manifest["sentences"]
    assert counts["left_out"]["no_annotation"] == counts["tasks"] - 6
    assert assert_formats_agree(folder) == 4

    findings = json.loads((folder / "qa.json").read_text("utf-8"))
    errors = {(f["sentence_id"], f["check"]) for f in findings if f["severity"] == "error"}
    assert errors == {
        (find_task(tasks, NUMBERS).data["sentence_id"], "numbers"),
        (find_task(tasks, FORBIDDEN).data["sentence_id"], "terminology.forbidden"),
    }
    terms = [
        json.loads(line)
        for path in sorted((folder / "entities").glob("*.terms.jsonl"))
        for line in path.read_text("utf-8").splitlines()
    ]
    # (The glossary matched 精准扶贫、精准脱贫 as one term, so these spans carry no entry id.)
    assert sorted((t["zh"], t["en"], t["sentence_id"]) for t in terms) == [
        ("精准扶贫", "targeted poverty alleviation", good.data["sentence_id"]),
        ("精准脱贫", "targeted poverty elimination", good.data["sentence_id"]),
    ]
    card = (folder / "README.md").read_text("utf-8")
    assert labelstudio_server.username in card and "| marked needs review | 1 |" in card

    # An export that fails midway leaves the first one byte for byte.
    from workbench.export import formats
    from workbench.export.formats.table import ParquetWriter

    class BrokenParquet(ParquetWriter):
        def write(self, pair):
            raise OSError("no space left on device (injected)")

    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    monkeypatch.setitem(formats.FORMATS, "parquet", BrokenParquet)
    with pytest.raises(ExportError, match="previous export is unchanged"):
        export_dataset(ls_config)
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
