"""Hostile inputs to ``workbench ingest``: what is not a regular file of text is refused
with one clear line, oversize files are capped, whitespace is reported as empty, and a
huge one-line file is normalised without a per-character copy."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from workbench.corpus import read_manifest
from workbench.errors import InputError
from workbench.ingest.files import read_input_file, read_limited
from workbench.text.normalize import normalize

ROOT = Path(__file__).resolve().parent.parent
GOOD = "精准扶贫是脱贫攻坚的基本方略。各地落实“两不愁三保障”。\n"


def run_workbench(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """Run the real entry point; a hang (a FIFO read) fails the test instead of blocking."""
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "WORKBENCH_PATHS_WORK_DIR": str(tmp_path / "work"), **env},
        timeout=120,
    )


def hostile(tmp_path: Path, kind: str) -> Path:
    """Make a path that is not a regular file of text."""
    path = tmp_path / f"{kind}.txt"
    if kind == "loop":
        os.symlink(tmp_path / "loop-b.txt", path)
        os.symlink(path, tmp_path / "loop-b.txt")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        os.symlink("/dev/zero", path)
    elif kind == "folder":
        path.mkdir()
        (path / "inside.txt").write_text(GOOD, encoding="utf-8")
        os.mkfifo(path / "pipe.txt")
    elif kind == "dangling":
        os.symlink(tmp_path / "nowhere.txt", path)
    return path


EXPECTED = {
    "loop": "is a symbolic link loop; skipped",
    "fifo": "is a named pipe (FIFO), not a regular file; skipped",
    "device": "is a character device, not a regular file; skipped",
    "folder": "pipe.txt: is a named pipe (FIFO), not a regular file; skipped",
    "dangling": "is a broken symbolic link; skipped",
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_a_non_regular_file_is_skipped_with_one_line_and_the_rest_ingested(tmp_path, kind):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    result = run_workbench(["ingest", str(hostile(tmp_path, kind)), str(good)], tmp_path)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr  # the reason, then the closing Error: line
    assert lines[0].endswith(EXPECTED[kind]), lines[0]
    assert lines[1].startswith("Error: 1 of ")
    assert result.returncode == 1
    documents = read_manifest(tmp_path / "work" / "corpus")["documents"]
    assert documents == (3 if kind == "folder" else 2) - 1


def test_segment_refuses_a_fifo_instead_of_waiting_for_it(tmp_path):
    result = run_workbench(["segment", str(hostile(tmp_path, "fifo"))], tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Error: {tmp_path / 'fifo.txt'}: is a named pipe (FIFO), not a regular file; skipped"
    )


def test_a_file_over_the_size_limit_is_refused_with_the_setting_to_change(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text(GOOD * 100, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(GOOD, encoding="utf-8")
    result = run_workbench(
        ["ingest", str(big), str(small)], tmp_path, WORKBENCH_INGEST_MAX_FILE_MB="0.005"
    )
    assert result.returncode == 1
    assert "big.txt: is 8.5 kB, over the input limit" in result.stderr
    assert "over the input limit of 0.005 MB ([ingest] max_file_mb)" in result.stderr
    assert read_manifest(tmp_path / "work" / "corpus")["documents"] == 1
    piped = subprocess.run(
        [sys.executable, "-m", "workbench", "segment", "-"],
        input=(GOOD * 100).encode(),
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "WORKBENCH_INGEST_MAX_FILE_MB": "0.005"},
        timeout=120,
    )
    assert piped.returncode == 1 and b"<stdin>: is larger than that" in piped.stderr


def test_the_reader_never_reads_past_the_limit(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"x" * 1001)
    with pytest.raises(InputError, match="over the input limit"):
        read_input_file(path, 1000)
    assert read_input_file(path, 1001) == b"x" * 1001


@pytest.mark.parametrize("content", ["   \n\t\n　\n", "\n\n\n", " "])
def test_a_whitespace_only_file_is_reported_as_empty_and_the_corpus_kept(tmp_path, content):
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    assert run_workbench(["ingest", str(good)], tmp_path).returncode == 0
    blank = tmp_path / "good.txt"  # the same document, replaced by whitespace
    blank.write_text(content, encoding="utf-8")
    result = run_workbench(["ingest", str(blank)], tmp_path)
    assert result.returncode == 1
    assert "good.txt: holds only whitespace; nothing to ingest" in result.stderr
    assert "the previous corpus was left as it was" in result.stderr
    assert read_manifest(tmp_path / "work" / "corpus")["sentences"] == 2


def test_a_page_whose_every_line_is_boilerplate_is_reported_not_ingested(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("当前位置：首页 > 新闻\n分享到：\n", encoding="utf-8")
    result = run_workbench(["ingest", str(page)], tmp_path)
    assert result.returncode == 1
    assert "page.txt: no text left to ingest after cleaning" in result.stderr


def test_normalising_a_long_line_holds_no_per_character_copy():
    # ASCII quotes and parentheses around Chinese make normalize rewrite single characters;
    # it used to do so on list(text): one ~80-byte string object per Chinese character.
    body = "各地坚持精准扶贫精准脱贫基本方略，确保贫困人口实现两不愁三保障。" * 2
    line = ('他说"精准扶贫(脱贫)"很重要，' + body) * 15_000  # 1.2 million characters
    tracemalloc.start()
    try:
        result = normalize(line)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.text.count("“") == 15_000 and "（脱贫）" in result.text
    # text in, text out (2 bytes a character each), the offset array (8), slices: ~12
    assert peak / len(line) < 30, f"{peak / len(line):.0f} bytes per character"


def test_a_large_limit_does_not_allocate_the_limit(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"x" * 100)
    tracemalloc.start()
    try:
        assert read_input_file(path, 1 << 34) == b"x" * 100  # a 16 GB cap
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20


def test_a_stream_is_read_in_pieces_up_to_the_limit():
    assert read_limited(io.BytesIO(b"y" * 3_000_000), "<stdin>", 3_000_000) == b"y" * 3_000_000
    with pytest.raises(InputError, match="over the input limit"):
        read_limited(io.BytesIO(b"y" * 3_000_001), "<stdin>", 3_000_000)
