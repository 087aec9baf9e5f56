"""What keeps a long batch run's memory from growing with the corpus (issue 15).

Real parts throughout: a real ``distributed.LocalCluster`` of two worker processes, and a
real folder tree (links, a pipe, hidden files) walked by the ingest's file discovery.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.batch.engine import (
    DASK_SETTINGS,
    SUBMIT_AHEAD_PER_WORKER,
    EngineSettings,
    run_partitions,
)
from workbench.ingest.pipeline import (
    HTML_SUFFIXES,
    TEXT_SUFFIXES,
    assign_doc_ids,
    discover_inputs,
    iter_inputs,
)


def tasks_on_the_scheduler(_: int) -> int:
    """Inside a Dask task: how many tasks the scheduler holds right now."""
    from distributed import get_client

    client = get_client()
    return int(client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)))


def log_lengths_of_this_worker(_: int) -> dict[str, float | None]:
    """Inside a Dask task: the bounds of the worker's logs and histories, and how often
    its event loop checks its own health."""
    from distributed import get_worker

    worker = get_worker()
    return {
        "state log": worker.state.log.maxlen,
        "stimulus log": worker.state.stimulus_log.maxlen,
        "monitor": worker.monitor.maxlen,
        "tick ms": worker.periodic_callbacks["tick"].callback_time,
    }


def test_only_a_few_partitions_wait_on_the_scheduler():
    # Submitting every partition at once kept each one's pickled job in the client and a
    # task with its arguments on the scheduler until it ran: memory grew with the corpus.
    partitions = list(range(30))
    outcome = run_partitions(
        tasks_on_the_scheduler,
        partitions,
        [f"p{i:02d}" for i in partitions],
        EngineSettings(workers=2),
        progress=False,
    )
    assert outcome.ok and outcome.where == "local cluster of 2 workers"
    held = outcome.in_order()
    assert len(held) == len(partitions)  # every partition ran, results in input order
    window = max(4, SUBMIT_AHEAD_PER_WORKER * outcome.workers)
    # The window, plus at most one finished task per worker whose release is still on its
    # way from the client to the scheduler when the count is taken (seen in CI: 5 of 4).
    # Submitting all partitions at once would show close to all 30 here.
    assert max(held) <= window + outcome.workers < len(partitions) // 2


def test_local_cluster_workers_keep_short_logs():
    outcome = run_partitions(
        log_lengths_of_this_worker, [0, 1, 2], ["a", "b", "c"], EngineSettings(workers=2)
    )
    short = DASK_SETTINGS["distributed.admin.low-level-log-length"]
    samples = DASK_SETTINGS["distributed.admin.system-monitor.log-length"]
    assert outcome.ok
    for lengths in outcome.in_order():
        assert lengths == {
            "state log": short,
            "stimulus log": short,
            "monitor": samples,
            "tick ms": 1000.0,  # not every 20 ms: each wake-up took the GIL from the task
        }


def _rglob_reference(paths: list[Path]) -> list[str]:
    """What discovery returned before: sorted rglob, filtered by suffix and hidden name."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if not p.is_dir()
                    and p.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES
                    and not p.name.startswith(".")
                )
            )
        else:
            found.append(path)
    return [str(p) for p in found]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a POSIX file system")
def test_streamed_discovery_lists_the_same_files_in_the_same_order(tmp_path):
    # "a/b/c.txt" sorts before "a/b.txt" and "a-b/…" after "a/…" (paths compare by
    # parts, not as strings): the corpus's partitions depend on this order.
    for relative in (
        "a/b.txt", "a/b/c.txt", "a-b/c.txt", "a.b/x.HTML", "a/.hidden.txt", ".dot/x.txt",
        "z.txt.", "y..txt", "b/c/d/e.htm", "b/c.txt", "B/a.txt", "q/notes.md", "a/b/.txt",
    ):  # fmt: skip
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    os.symlink(tmp_path / "a", tmp_path / "linked-folder")  # not followed
    os.symlink(tmp_path / "missing.txt", tmp_path / "broken.txt")  # listed, fails later
    os.symlink(tmp_path / "a" / "b.txt", tmp_path / "linked.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    given = [tmp_path, tmp_path / "q" / "notes.md"]
    expected = _rglob_reference(given)
    assert list(iter_inputs(given)) == expected
    assert [str(p) for p in discover_inputs(given)] == expected
    assert "a/b/c.txt" in expected[2] and expected[3].endswith("a/b.txt")
    assert not any("linked-folder" in p or ".hidden" in p for p in expected)
    # Document ids are the same from strings as from paths.
    assert assign_doc_ids(expected) == assign_doc_ids([Path(p) for p in expected])
