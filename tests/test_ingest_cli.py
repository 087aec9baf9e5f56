"""``workbench ingest`` and ``workbench segment`` as people and scripts call them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import cli
from workbench.corpus import read_manifest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "ingest"


@pytest.fixture
def env(tmp_path):
    return {"WORKBENCH_PATHS_WORK_DIR": str(tmp_path / "work")}


def run_workbench(args, env, stdin=None):
    """Run the real console entry point (main(): error lines and exit codes)."""
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=120,
    )


def test_ingest_without_paths_ingests_the_seeds_and_prints_a_summary(env, tmp_path):
    result = CliRunner().invoke(cli, ["ingest"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 6
    assert lines[0].startswith("seeds/000_23cb1597154dda57.txt → 000_23cb1597154dda57: utf-8,")
    assert "removed: breadcrumb 1, metadata 1" in lines[0]
    assert "speakers: " in lines[0] and "杨春霆" in lines[0]
    assert lines[-1].startswith("corpus: 5 documents")
    assert read_manifest(tmp_path / "work" / "corpus")["documents"] == 5


def test_ingest_reports_a_bad_file_and_exits_non_zero_but_keeps_the_rest(env, tmp_path):
    result = run_workbench(["ingest", str(DATA)], env)
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert "image.txt: binary file" in stderr
    assert stderr.strip().splitlines()[-1].startswith("Error: 1 of 7 files could not be ingested")
    assert "big5: big5" in result.stdout.decode()
    assert read_manifest(tmp_path / "work" / "corpus")["documents"] == 6


def test_segment_reads_stdin_and_prints_one_json_object_per_sentence(env):
    text = "大家上午好!欢迎参加省“两会”新闻发布会。\n\n  實現16.3萬人脫貧,貧困發生率降至1.3%。\n"
    result = run_workbench(["segment", "-"], env, stdin=text.encode("utf-8"))
    assert result.returncode == 0, result.stderr.decode()
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["text"] for r in records] == [
        "大家上午好!",
        "欢迎参加省“两会”新闻发布会。",
        "實現16.3萬人脫貧,貧困發生率降至1.3%。",
    ]
    assert [r["paragraph"] for r in records] == [0, 0, 1]
    for r in records:
        assert text[r["start"] : r["end"]] == r["text"]
    assert records[2]["normalized"] == "实现16.3万人脱贫，贫困发生率降至1.3%。"


def test_segment_output_is_stable_between_runs(env):
    args = ["segment", str(ROOT / "seeds" / "000_23cb1597154dda57.txt")]
    first = CliRunner().invoke(cli, args, env=env)
    second = CliRunner().invoke(cli, args, env=env)
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    records = [json.loads(line) for line in first.output.splitlines()]
    assert {r["speaker"] for r in records} >= {"张树斌", "杨春霆"}


def test_segment_reads_legacy_encodings(env):
    result = CliRunner().invoke(cli, ["segment", str(DATA / "gb18030.txt")], env=env)
    assert result.exit_code == 0, result.output
    original = (DATA / "gb18030.txt").read_bytes().decode("gb18030")
    records = [json.loads(line) for line in result.output.splitlines()]
    assert records and all(original[r["start"] : r["end"]] == r["text"] for r in records)


def test_segment_without_structure_keeps_labels_in_the_text(env):
    result = CliRunner().invoke(
        cli, ["segment", "--no-structure", "-"], input="张树斌:大家好。\n", env=env
    )
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["text"] for line in result.output.splitlines()] == ["张树斌:大家好。"]


def test_segment_of_a_binary_file_is_a_one_line_error(env):
    result = run_workbench(["segment", str(DATA / "image.txt")], env)
    assert result.returncode == 1
    assert result.stderr.decode().strip() == (
        f"Error: {DATA / 'image.txt'}: binary file (contains NUL bytes), not text; skipped"
    )


def test_long_runs_show_a_progress_bar(env, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(21):
        text = f"第{n}号文件。脱贫攻坚取得进展。\n"
        (folder / f"doc{n:02}.txt").write_text(text, encoding="utf-8")
    result = run_workbench(["ingest", "--quiet", str(folder)], env)
    assert result.returncode == 0, result.stderr.decode()
    assert "/21 [" in result.stderr.decode()  # tqdm: n/21 [elapsed<remaining, rate]
    assert result.stdout.decode().strip().splitlines() == [
        f"corpus: 21 documents, 42 sentences → {tmp_path / 'work' / 'corpus'}"
    ]
