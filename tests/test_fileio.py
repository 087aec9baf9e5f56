"""Atomic writes: a failure mid-write leaves the previous file or folder untouched."""

from pathlib import Path

import pytest

from workbench.errors import InputError
from workbench.fileio import atomic_directory, atomic_write, read_jsonl, write_jsonl


class Boom(Exception):
    pass


def test_atomic_write_keeps_old_content_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(Boom), atomic_write(target) as handle:
        handle.write("half of the new")
        raise Boom
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temp file left


def test_atomic_directory_swaps_whole_folder_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "export"
    with atomic_directory(target) as staging:
        (staging / "a.txt").write_text("first", encoding="utf-8")
    with pytest.raises(Boom), atomic_directory(target) as staging:
        (staging / "a.txt").write_text("second", encoding="utf-8")
        raise Boom
    assert (target / "a.txt").read_text(encoding="utf-8") == "first"
    with atomic_directory(target) as staging:
        (staging / "b.txt").write_text("third", encoding="utf-8")
    assert sorted(p.name for p in target.iterdir()) == ["b.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]


def test_jsonl_round_trips_chinese_unescaped(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    records = [{"zh": "两不愁三保障", "n": 1}, {"zh": "建档立卡", "n": 2}]
    with atomic_write(path) as handle:
        assert write_jsonl(handle, records) == 2
    assert "两不愁三保障" in path.read_text(encoding="utf-8")
    assert list(read_jsonl(path)) == records


def test_bad_jsonl_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"a": 1}\n{"a": \n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2"):
        list(read_jsonl(path))
