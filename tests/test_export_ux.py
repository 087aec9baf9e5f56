"""Issue 14 around the export: QA output that leads to the task, small exports, sources."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from test_export_pipeline import make_config, standard_tasks, write_corpus_for

from workbench.cli import cli
from workbench.snapshot import write_snapshot

LS_URL = "http://127.0.0.1:8080"


def use_config(monkeypatch, config) -> None:
    for key, value in {
        "WORKBENCH_PATHS_WORK_DIR": config.work_dir,
        "WORKBENCH_PATHS_EXPORTS_DIR": config.path("paths", "exports_dir"),
        "WORKBENCH_PATHS_GLOSSARY_DIR": config.path("paths", "glossary_dir"),
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
