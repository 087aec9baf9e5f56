"""``import-bilingual``: aligned publications into the TM, the next export and review."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_export_pipeline import make_config, standard_tasks, write_corpus_for

from workbench.align.importer import import_bilingual
from workbench.cli import cli
from workbench.config import Config
from workbench.errors import InputError
from workbench.export.run import export_dataset
from workbench.labelstudio.align_review import review_tasks
from workbench.snapshot import write_snapshot
from workbench.tm.store import open_tm

ALIGN_DEV = Path(__file__).parent / "data" / "align-dev"
PROVENANCE = {
    "publication": "Dev white paper",
    "url": "https://example.org/dev",
    "published": "2021-04-06",
}


@pytest.fixture
def config(tmp_path: Path, project_root: Path) -> Config:
    return make_config(tmp_path, project_root)


@pytest.fixture
def publications(tmp_path: Path) -> Path:
    folder = tmp_path / "bilingual"
    folder.mkdir()
    for side in ("zh", "en"):
        shutil.copy(ALIGN_DEV / f"dev-poverty.{side}.txt", folder / f"dev.{side}.txt")
    return folder


def test_import_stores_every_bead_with_provenance_and_is_idempotent(
    config: Config, publications: Path
) -> None:
    report = import_bilingual(config, [publications], given=PROVENANCE, threshold=0.5)
    [document] = report.documents
    assert document.beads == document.accepted + document.review == document.added
    assert document.accepted >= 20 and document.review >= 1
    with open_tm(config) as tm:
        stored = list(tm.pairs())
        accepted = list(tm.pairs(origin="aligned", status="accepted"))
    assert len(stored) == document.beads
    # Nothing lost: every zh sentence of the document is in some stored pair, in order.
    covered = [i for p in stored for i in p.zh_sentences or []]
    assert covered == list(range(31))
    assert all(p.score is not None and p.score >= 0.5 for p in accepted)
    dropped = next(p for p in stored if p.zh_sentences == [5])
    assert dropped.status == "needs_review" and dropped.en == ""
    first = accepted[0].provenance
    assert first["publication"] == "Dev white paper" and first["url"] == "https://example.org/dev"
    assert first["aligner"] == "workbench-vecalign"
    assert first["model"] == "universal-sentence-encoder-multilingual-3"
    assert first["published"] == "2021-04-06"

    again = import_bilingual(config, [publications], given=PROVENANCE, threshold=0.5)
    assert again.documents[0].added == 0
    assert again.documents[0].present == document.beads


def test_accepted_aligned_pairs_reach_the_next_export_with_origin_and_score(
    config: Config, publications: Path
) -> None:
    tasks = standard_tasks()
    write_corpus_for(config, tasks)
    write_snapshot(config.work_dir, tasks, {"project_id": 1})
    report = import_bilingual(config, [publications], given=PROVENANCE, threshold=0.5)
    accepted = report.documents[0].accepted

    result = export_dataset(config)
    assert result.manifest["counts"]["origins"] == {"aligned": accepted, "annotated": 36}
    records = [
        json.loads(line)
        for split in ("train", "dev", "test")
        if (result.path / "parallel" / f"{split}.jsonl").is_file()
        for line in (result.path / "parallel" / f"{split}.jsonl").read_text("utf-8").splitlines()
    ]
    aligned = [r for r in records if r["origin"] == "aligned"]
    assert len(aligned) == accepted
    assert all(0.5 <= r["score"] <= 1 for r in aligned)
    assert {r["origin"] for r in records} == {"aligned", "annotated"}
    assert all(r["score"] is None for r in records if r["origin"] == "annotated")
    # An aligned document is one split unit like an annotated one.
    assert len({r["split"] for r in aligned}) == 1
    tsv = (result.path / "parallel" / f"{aligned[0]['split']}.tsv").read_text("utf-8")
    header = tsv.splitlines()[0].split("\t")
    assert header[-2:] == ["origin", "score"]
    tmx = (result.path / "parallel" / f"{aligned[0]['split']}.tmx").read_text("utf-8")
    assert '<prop type="x-origin">aligned</prop>' in tmx and '<prop type="x-score">' in tmx


def test_review_tasks_prefill_the_english_and_mark_needs_review(
    config: Config, publications: Path
) -> None:
    report = import_bilingual(config, [publications], given=PROVENANCE, threshold=0.99)
    payloads = review_tasks(report.review_pairs, "glossary-x")
    with_zh = [p for p in report.review_pairs if p.zh]
    assert len(payloads) == len(with_zh) > 20
    task = payloads[0].to_import()
    assert task["data"]["sentence_id"].startswith("tm-")
    result = task["predictions"][0]["result"]
    assert result[0]["from_name"] == "translation"
    assert result[0]["value"]["text"] == [with_zh[0].en]
    assert result[-1]["value"]["choices"] == ["needs_review"]


def test_a_zh_file_without_its_english_partner_is_a_clear_error(
    config: Config, tmp_path: Path
) -> None:
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    (lonely / "report.zh.txt").write_text("脱贫攻坚取得全面胜利。\n", "utf-8")
    with pytest.raises(InputError, match=r"no English partner report\.en\.txt"):
        import_bilingual(config, [lonely])


def test_import_bilingual_command_reports_per_document(
    config: Config, publications: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_PATHS_WORK_DIR", str(config.work_dir))
    monkeypatch.setenv("WORKBENCH_PATHS_GLOSSARY_DIR", str(config.paths.glossary_dir))
    result = CliRunner().invoke(
        cli, ["import-bilingual", str(publications), "--publication", "Dev", "--threshold", "0.5"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("dev: 28 beads, ")
    assert "new in the TM, 0 already there" in result.output
