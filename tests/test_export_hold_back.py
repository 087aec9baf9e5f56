"""Holding back pairs with QA errors: out of every split, kept aside with their reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_export_formats import assert_formats_agree
from test_export_pipeline import export_with, make_config, standard_tasks

from workbench.cli import cli as cli_main
from workbench.config import Config
from workbench.errors import ConfigError


@pytest.fixture
def config(tmp_path: Path, project_root: Path) -> Config:
    return make_config(tmp_path, project_root)


def flawed_tasks() -> list[dict]:
    """The standard tasks with a wrong number, a forbidden rendering and an extra CJK mark."""
    tasks = standard_tasks()
    tasks[0]["annotations"][0]["translation"] = (  # 16.3万 given as 16.3 million: error
        "In Jilin, the rural poor population fell by 16.3 million, and the poverty headcount "
        "ratio dropped to 3.34 percent."
    )
    tasks[2]["annotations"][0]["translation"] = (  # a forbidden rendering: error
        "In Jilin, we will adhere to the basic strategy of precise poverty alleviation."
    )
    tasks[8]["annotations"][0]["translation"] += " (精准)"  # a warning only
    return tasks


def exported_ids(folder: Path) -> list[str]:
    return [
        json.loads(line)["id"]
        for path in sorted((folder / "parallel").glob("*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
    ]


def test_pairs_with_qa_errors_are_held_back_and_the_card_says_why(config: Config) -> None:
    tasks = flawed_tasks()
    result = export_with(config, tasks, hold_back="error")
    held = result.manifest["counts"]["held_back"]
    assert held == {"pairs": 2, "by_check": {"numbers": 1, "terminology.forbidden": 1}}
    ids = exported_ids(result.path)
    assert tasks[0]["sentence_id"] not in ids and tasks[2]["sentence_id"] not in ids
    assert tasks[8]["sentence_id"] in ids  # a warning does not hold a pair back
    assert len(ids) == result.manifest["counts"]["pairs"] == len(tasks) - 2
    assert assert_formats_agree(result.path) == len(tasks) - 2
    aside = [json.loads(x) for x in (result.path / "held_back.jsonl").read_text().splitlines()]
    assert [(r["id"], r["held_back_for"]) for r in aside] == [
        (tasks[0]["sentence_id"], ["numbers"]),
        (tasks[2]["sentence_id"], ["terminology.forbidden"]),
    ]
    assert aside[0]["en"] == tasks[0]["annotations"][0]["translation"]
    card = (result.path / "README.md").read_text("utf-8")
    assert "## Held back by QA" in card and "2 pairs with a QA finding of severity error" in card
    assert "| numbers | 1 |" in card and "| terminology.forbidden | 1 |" in card
    assert {"path": "held_back.jsonl", "format": "held_back", "split": "", "records": 2} in (
        result.manifest["files"]
    )
    # The findings are still all in qa.json: holding back hides nothing.
    findings = json.loads((result.path / "qa.json").read_text("utf-8"))
    assert {f["sentence_id"] for f in findings if f["severity"] == "error"} == {
        tasks[0]["sentence_id"],
        tasks[2]["sentence_id"],
    }


def test_warnings_hold_back_too_when_asked_and_never_holds_nothing(
    tmp_path: Path, project_root: Path
) -> None:
    tasks = flawed_tasks()
    strict = export_with(make_config(tmp_path / "a", project_root), tasks, hold_back="warning")
    assert strict.manifest["counts"]["held_back"]["pairs"] == 3
    assert "severity error or warning" in (strict.path / "README.md").read_text("utf-8")
    default = export_with(make_config(tmp_path / "b", project_root), tasks)
    assert default.manifest["settings"]["hold_back"] == "never"
    assert default.manifest["counts"]["held_back"] == {"pairs": 0, "by_check": {}}
    assert len(exported_ids(default.path)) == len(tasks)
    assert not (default.path / "held_back.jsonl").exists()
    assert "Held back" not in (default.path / "README.md").read_text("utf-8")


def test_the_setting_and_the_flag_choose_the_level(
    tmp_path: Path, project_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = make_config(tmp_path, project_root, hold_back="error")
    result = export_with(config, flawed_tasks())
    assert result.manifest["counts"]["held_back"]["pairs"] == 2
    with pytest.raises(ConfigError, match="hold_back = 'errors' is unknown"):
        export_with(config, flawed_tasks(), hold_back="errors")
    # The command line: the flag wins over the setting and the output says what was held.
    monkeypatch.chdir(project_root)
    monkeypatch.setenv("WORKBENCH_PATHS_WORK_DIR", str(config.work_dir))
    monkeypatch.setenv("WORKBENCH_PATHS_EXPORTS_DIR", str(tmp_path / "cli-exports"))
    monkeypatch.setenv("WORKBENCH_PATHS_GLOSSARY_DIR", str(tmp_path / "glossary"))
    outcome = CliRunner().invoke(cli_main, ["export", "--hold-back", "warning"])
    assert outcome.exit_code == 0, outcome.output
    assert (
        "held back by QA: 3 pairs (1 cjk, 1 numbers, 1 terminology.forbidden, "
        "1 terminology.missing)"
    ) in outcome.output
