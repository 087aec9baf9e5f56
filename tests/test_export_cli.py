"""``workbench export`` and ``workbench qa`` from the command line, and a killed export."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_export_pipeline import annotation, make_config, standard_tasks, task, write_corpus_for

from workbench.cli import cli
from workbench.snapshot import write_snapshot


@pytest.fixture
def env(tmp_path: Path, project_root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Point the CLI at a temporary work, export and glossary folder; return the env."""
    config = make_config(tmp_path, project_root)
    values = {
        "WORKBENCH_PATHS_WORK_DIR": str(config.work_dir),
        "WORKBENCH_PATHS_EXPORTS_DIR": str(config.paths.exports_dir),
        "WORKBENCH_PATHS_GLOSSARY_DIR": str(config.paths.glossary_dir),
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    tasks = standard_tasks()
    tasks[0]["annotations"][0]["translation"] = "In Jilin, the rural poor fell by 136,000."
    write_corpus_for(config, tasks)
    write_snapshot(config.work_dir, tasks, {"project_id": 1})
    return {**os.environ, **values}


def test_export_command_prints_counts_and_writes_the_folder(env, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "--name", "v1", "--script", "s2hk", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "exported 36 pairs" in result.output
    assert "qa: 2 errors" in result.output  # 16.3万 and 3.34% both lost
    folder = Path(env["WORKBENCH_PATHS_EXPORTS_DIR"]) / "v1"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["settings"]["seed"] == 7
    assert manifest["settings"]["scripts"] == ["s2hk"]
    assert (folder / "variants" / "s2hk").is_dir()


def test_export_command_can_limit_formats(env) -> None:
    result = CliRunner().invoke(cli, ["export", "--format", "moses", "--format", "tmx"])
    assert result.exit_code == 0, result.output
    folder = Path(env["WORKBENCH_PATHS_EXPORTS_DIR"]) / "latest"
    suffixes = {p.suffix for p in (folder / "parallel").iterdir()}
    assert suffixes == {".zh", ".en", ".tmx"}
    assert not (folder / "entities").exists()


def test_qa_command_lists_findings_and_fails_on_errors_when_asked(env, tmp_path: Path) -> None:
    out = tmp_path / "qa.json"
    result = CliRunner().invoke(cli, ["qa", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "\terror\tnumbers\t16.3万 (163000) is not in the translation" in result.output
    assert [f["check"] for f in json.loads(out.read_text("utf-8"))] == ["numbers", "numbers"]
    failing = subprocess.run(
        [sys.executable, "-m", "workbench", "qa", "--fail-on", "error", "--limit", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert failing.returncode == 1
    assert failing.stderr.startswith("Error: QA found 2 finding(s) at error")


@pytest.mark.slow
def test_a_killed_export_leaves_the_previous_export_intact(
    tmp_path: Path, project_root: Path
) -> None:
    config = make_config(tmp_path, project_root, near_duplicate_bits=-1)
    small = standard_tasks()
    write_corpus_for(config, small)
    write_snapshot(config.work_dir, small, {"project_id": 1}, name="20260101T000000Z")
    env = {
        **os.environ,
        "WORKBENCH_PATHS_WORK_DIR": str(config.work_dir),
        "WORKBENCH_PATHS_EXPORTS_DIR": str(config.paths.exports_dir),
        "WORKBENCH_PATHS_GLOSSARY_DIR": str(config.paths.glossary_dir),
        "WORKBENCH_EXPORT_NEAR_DUPLICATE_BITS": "-1",
    }
    command = [sys.executable, "-m", "workbench", "export"]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    exports = config.paths.exports_dir
    folder = exports / "latest"
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    # A much larger snapshot, so the export is still writing when it is killed.
    big = [
        task(
            f"b{i}",
            f"doc{i % 50}",
            f"第{i}项：全省农村贫困人口减少{i}人。",
            [annotation(f"Item {i}: the rural poor fell by {i}.", id=i)],
            i,
        )
        for i in range(30_000)
    ]
    write_snapshot(config.work_dir, big, {"project_id": 1}, name="20260102T000000Z")
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            partial = [
                p for p in exports.glob(".latest.*.partial") if (p / ".pairs.jsonl").exists()
            ]
            if partial and (partial[0] / ".pairs.jsonl").stat().st_size > 100_000:
                break
            assert process.poll() is None, "export finished before it could be killed"
            time.sleep(0.05)
        else:
            pytest.fail("the export never started writing")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
    # The next export replaces it cleanly.
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=600)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["counts"]["pairs"] == len(big)
