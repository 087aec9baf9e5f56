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


# A child that dies (SIGKILL, no cleanup) right after the first rename of the swap: the
# old folder is in .<name>.old, the finished new one in its .partial, <name> is missing.
KILLED_MID_SWAP = """
import os, signal, sys
from pathlib import Path
from workbench import fileio
from workbench.corpus import write_corpus
from workbench.models import Document, Sentence

real_replace = os.replace

def replace(src, dst):
    real_replace(src, dst)
    if str(dst).endswith(".old"):
        os.kill(os.getpid(), signal.SIGKILL)

fileio.os.replace = replace
target = Path(sys.argv[2])
if sys.argv[1] == "folder":
    with fileio.atomic_directory(target) as staging:
        (staging / "a.txt").write_text("second", encoding="utf-8")
else:
    doc = Document("d2", "seeds/d2.txt", "0" * 64, "utf-8", "", title="second")
    write_corpus(target, [(doc, [Sentence("s2", "d2", 0, 0, "二", "二", 0, 1)])])
"""


def kill_mid_swap(kind: str, target: Path) -> None:
    """Run a swap of ``target`` in a child process that is killed between the renames."""
    import signal
    import subprocess
    import sys

    child = subprocess.run(
        [sys.executable, "-c", KILLED_MID_SWAP, kind, str(target)], capture_output=True
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    names = sorted(p.name for p in target.parent.iterdir())
    assert target.name not in names and f".{target.name}.old" in names, names
    assert any(n.endswith(".partial") for n in names), names


def test_a_swap_killed_between_its_renames_is_repaired_by_the_next_run(tmp_path: Path) -> None:
    # Issue 9: the good copy stayed in a hidden .old and exports/latest was missing.
    target = tmp_path / "latest"
    with atomic_directory(target) as staging:
        (staging / "a.txt").write_text("first", encoding="utf-8")
    kill_mid_swap("folder", target)
    # The next run recovers the old folder even when it fails itself...
    with pytest.raises(Boom), atomic_directory(target) as staging:
        raise Boom
    assert (target / "a.txt").read_text(encoding="utf-8") == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest"]  # leftovers removed
    # ...and a successful one replaces it as usual.
    with atomic_directory(target) as staging:
        (staging / "b.txt").write_text("third", encoding="utf-8")
    assert sorted(p.name for p in target.iterdir()) == ["b.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest"]


def test_an_ingest_killed_mid_swap_leaves_a_readable_corpus(tmp_path: Path) -> None:
    from workbench.corpus import read_documents, read_manifest, write_corpus
    from workbench.models import Document, Sentence

    corpus = tmp_path / "corpus"
    doc = Document("d1", "seeds/d1.txt", "0" * 64, "utf-8", "", title="first")
    write_corpus(corpus, [(doc, [Sentence("s1", "d1", 0, 0, "一", "一", 0, 1)])])
    kill_mid_swap("corpus", corpus)
    # A reader (push, tag, export) finds the previous corpus, and the leftovers are gone.
    assert read_manifest(corpus)["documents"] == 1
    assert [d.title for d in read_documents(corpus)] == ["first"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]


def test_leftovers_of_live_runs_and_other_folders_are_kept(tmp_path: Path) -> None:
    from workbench.fileio import recover_directory

    target = tmp_path / "latest"
    target.mkdir()
    live = tmp_path / ".latest.1-abc123.partial"  # pid 1 is always alive
    dead = tmp_path / ".latest.abcd1234.partial"  # written before staging names held a pid
    other = tmp_path / ".latest2.999999-abc.partial"  # another export's
    for folder in (live, dead, other, tmp_path / ".latest.old"):
        folder.mkdir()
    done = recover_directory(target)
    assert len(done) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["latest", live.name, other.name])
