"""The batch engine: in process or on a real local Dask cluster, retries, failures by name."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from workbench.batch.engine import (
    IN_PROCESS,
    BatchError,
    EngineSettings,
    map_in_order,
    run_partitions,
)
from workbench.batch.settings import batch_settings
from workbench.config import load_config
from workbench.errors import ConfigError


def fail_once(marker: str) -> str:
    """Fail the first time it is called for a marker file, succeed afterwards."""
    path = Path(marker)
    if not path.exists():
        path.write_text("failed once", encoding="utf-8")
        raise OSError("disk hiccup")
    return path.name


def test_in_process_keeps_input_order_and_names_the_failed_partition():
    seen: list[str] = []
    outcome = run_partitions(
        math.sqrt,
        [16.0, -1.0, 9.0],
        ["a", "b", "c"],
        EngineSettings(workers=1, retries=1),
        progress=False,
        on_result=lambda name, _: seen.append(name),
    )
    assert outcome.where == IN_PROCESS
    assert outcome.in_order() == [4.0, 3.0] and seen == ["a", "c"]
    assert [(f.name, f.error) for f in outcome.failures] == [("b", "ValueError: math domain error")]
    assert not outcome.ok


def test_a_partition_that_fails_once_is_retried(tmp_path):
    markers = [str(tmp_path / "m1"), str(tmp_path / "m2")]
    retried = run_partitions(
        fail_once, markers, ["p1", "p2"], EngineSettings(workers=1), progress=False
    )
    assert retried.ok and retried.in_order() == ["m1", "m2"]
    (tmp_path / "m1").unlink()
    once = run_partitions(
        fail_once, markers[:1], ["p1"], EngineSettings(workers=1, retries=0), progress=False
    )
    assert [f.error for f in once.failures] == ["OSError: disk hiccup"]


def test_a_local_cluster_runs_the_same_function_and_reports_the_same_failure():
    outcome = run_partitions(
        math.sqrt,
        [16.0, -1.0, 9.0, 25.0],
        ["a", "b", "c", "d"],
        EngineSettings(workers=2, retries=1),
        progress=False,
    )
    assert outcome.where == "local cluster of 2 workers" and outcome.workers == 2
    assert outcome.in_order() == [4.0, 3.0, 5.0]
    assert [f.name for f in outcome.failures] == ["b"]
    assert "math domain error" in outcome.failures[0].error
    assert len(outcome.peak_rss_mb) == 2 and all(m > 0 for m in outcome.peak_rss_mb)


def profiler_of_this_worker(_: int) -> tuple[bool, int]:
    """Inside a Dask task: is the worker's statistical profiler on, how much has it kept."""
    from distributed import get_worker

    worker = get_worker()
    return "profile" in worker.periodic_callbacks, len(worker.profile_history)


def test_local_cluster_workers_keep_no_profile_and_results_can_be_dropped():
    # A profiler history grows for 1,000 s of a run: it is never started (issue 15).
    seen: dict[str, tuple[bool, int]] = {}
    outcome = run_partitions(
        profiler_of_this_worker,
        [0, 1, 2],
        ["a", "b", "c"],
        EngineSettings(workers=2),
        progress=False,
        on_result=seen.__setitem__,
        keep_results=False,
    )
    assert outcome.where == "local cluster of 2 workers" and not outcome.failures
    assert outcome.results == {}  # handed to on_result only, not held to the end
    assert seen == {"a": (False, 0), "b": (False, 0), "c": (False, 0)}


def test_small_jobs_and_a_single_partition_run_in_process():
    settings = EngineSettings(workers=4)
    assert run_partitions(
        abs, [-1, -2], ["a", "b"], settings, small=True, progress=False
    ).where == (IN_PROCESS)
    assert run_partitions(abs, [-1], ["a"], settings, progress=False).where == IN_PROCESS


def test_mapper_keeps_order_and_raises_on_a_gap():
    mapper = map_in_order(EngineSettings(workers=1), description="corpus partition")
    assert mapper(abs, [-3, 2, -1]) == [3, 2, 1]
    with pytest.raises(BatchError, match=r"corpus partition -1\.0 failed: ValueError"):
        mapper(math.sqrt, [4.0, -1.0])


def test_batch_settings_flags_override_the_config_and_bad_values_are_named():
    config = load_config()
    settings = batch_settings(config, workers=3, scheduler="tcp://127.0.0.1:8786")
    assert settings.engine.workers == 3 and settings.engine.scheduler == "tcp://127.0.0.1:8786"
    assert batch_settings(config).engine.scheduler is None  # "" in the shipped config
    with pytest.raises(ConfigError, match="needs a protocol"):
        batch_settings(config, scheduler="127.0.0.1:8786")
    bad = load_config(overrides={"batch": {"partition_files": 0}})
    with pytest.raises(ConfigError, match="partition_files"):
        batch_settings(bad)
