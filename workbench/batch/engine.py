"""Run one function over many partitions of work: in process, on a local Dask cluster, or
on a running Dask scheduler.

Batch stages (ingest, alignment of many document pairs, reading the corpus for export)
split their input into partitions and hand a module-level function and the partitions to
``run_partitions``. Where the calls run is decided here, not by the stage:

- ``EngineSettings.scheduler`` set (``--scheduler tcp://…``, ``[batch] scheduler``): on
  that running ``distributed`` scheduler and its workers. They must import this version
  of the workbench and see the same file system (paths are sent, not file contents).
- otherwise, when more than one worker would be used and the caller did not say the work
  is too small to be worth it: on a ``distributed.LocalCluster`` started for the run, one
  single-threaded worker process per core (or ``workers``), loopback only, random ports, no
  dashboard, closed at the end.
- otherwise in this process, calling the same function the same way: one worker or a tiny
  input does not pay the ~2 s a cluster takes to start.

A partition whose function raises is retried (``retries``, distributed's own retry of a
task, in process a plain loop) and, if it still fails, reported by name in
``BatchResult.failures`` while the other partitions complete and their results are kept.
What that means for the output is the caller's decision (ingest does not swap the corpus
in and keeps the finished partitions for the next run).
"""

from __future__ import annotations

import logging
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from tqdm import tqdm

from workbench.errors import WorkbenchError

P = TypeVar("P")
R = TypeVar("R")

IN_PROCESS = "in process"

# Partitions submitted ahead of the workers, per worker (see _run_on_client).
SUBMIT_AHEAD_PER_WORKER = 2

# Dask keeps logs and histories for debugging and its dashboard, each bounded by a count
# of entries, not by time or bytes; nothing in the workbench reads them. With the default
# lengths a long run keeps filling them, so a worker's and the local scheduler's memory
# rose with the number of partitions until they were full (issue 15). The engine's local
# clusters start with these small ones; workers of a given scheduler are shrunk at the
# start of each run (settle_worker).
DASK_SETTINGS: dict[str, Any] = {
    # A statistical profiler sampling every 10 ms, keeping a call tree per second
    # (measured 38 kB/s for ingest + tag); no dashboard reads it.
    "distributed.worker.profile.enabled": False,
    # Transition logs and state-machine stories of the scheduler and workers, the
    # scheduler's event topics, recent messages of each comm (default 1,000 each).
    "distributed.admin.low-level-log-length": 50,
    # Log records kept in memory by each worker and the scheduler (default 10,000).
    "distributed.admin.log-length": 200,
    # The system monitor's samples, one per 500 ms (default 7,200: an hour).
    "distributed.admin.system-monitor.log-length": 60,
    # The scheduler's record of past computations (default 100) and erred tasks (100).
    "distributed.diagnostics.computations.max-history": 2,
    "distributed.diagnostics.erred-tasks.max-history": 20,
    # How often each worker's and the scheduler's event loop wakes to check it is not
    # blocked (default 20 ms). Every wake-up takes the GIL from the partition running in
    # the worker's thread: on two cores that cost about 10 % of ingest time (issue 15:
    # alternated 40k-document runs, 60.6 s at 20 ms vs 52.3 s at 1 s; context switches
    # per partition 390 -> 140). A loop blocked for more than 3 s is still reported.
    "distributed.admin.tick.interval": "1000ms",
}


class BatchError(WorkbenchError):
    """The batch engine could not run (no scheduler at the address given, …)."""


@dataclass(frozen=True)
class EngineSettings:
    """Where and how partitions run (``[batch]`` settings, overridden by CLI flags)."""

    workers: int = 0  # worker processes of a local cluster; 0 = one per core
    scheduler: str | None = None  # address of a running scheduler, e.g. tcp://10.0.0.5:8786
    retries: int = 2  # re-runs of a failed partition before it is reported

    def local_workers(self) -> int:
        """Return how many local worker processes to use (``workers`` or the core count)."""
        if self.workers > 0:
            return self.workers
        return available_cores()


def available_cores() -> int:
    """Return the cores this process may run on (the affinity mask, not the machine)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class PartitionFailure:
    """A partition that failed on every attempt, with the last error."""

    name: str
    error: str


@dataclass
class BatchResult(Generic[R]):
    """Results of the partitions that succeeded (input order) and the ones that failed."""

    names: list[str]
    results: dict[str, R] = field(default_factory=dict)
    failures: list[PartitionFailure] = field(default_factory=list)
    where: str = IN_PROCESS  # "in process", "local cluster of 2 workers", "scheduler tcp://…"
    workers: int = 1
    peak_rss_mb: list[float] = field(default_factory=list)  # per worker, at the end of the run
    cpu_s: float = 0.0  # CPU seconds used by the workers (in process: by this run)

    def in_order(self) -> list[R]:
        """Return the results of the successful partitions in input order."""
        return [self.results[name] for name in self.names if name in self.results]

    @property
    def ok(self) -> bool:
        return not self.failures


def run_partitions(
    function: Callable[[P], R],
    partitions: Sequence[P],
    names: Sequence[str],
    settings: EngineSettings,
    *,
    small: bool = False,
    progress: bool = True,
    description: str = "partitions",
    on_result: Callable[[str, R], None] | None = None,
    keep_results: bool = True,
) -> BatchResult[R]:
    """Call ``function`` on every partition; collect results by partition name.

    ``function`` must be a module-level function (it is pickled by reference to reach the
    worker processes) and partitions must be picklable. ``small`` says the whole job is
    too small to be worth starting a local cluster (a given scheduler is still used).
    ``on_result`` is called in this process as each partition finishes, in completion
    order (the results themselves are returned in input order). With ``keep_results=False``
    they are only passed to ``on_result`` and dropped: a caller that folds them into
    counts as they arrive (ingest) then holds one partition's result at a time, not the
    whole run's (issue 15).
    """
    if len(names) != len(partitions) or len(set(names)) != len(names):
        raise ValueError("every partition needs its own name")
    if not partitions:
        return BatchResult([])
    local = settings.local_workers()
    if settings.scheduler is None and (small or local == 1 or len(partitions) <= 1):
        return _run_in_process(
            function, partitions, names, settings, progress, description, on_result, keep_results
        )
    with _client(settings, min(local, len(partitions))) as (client, where):
        return _run_on_client(
            client,
            where,
            function,
            partitions,
            names,
            settings,
            progress,
            description,
            on_result,
            keep_results,
        )


def _run_in_process(
    function: Callable[[P], R],
    partitions: Sequence[P],
    names: Sequence[str],
    settings: EngineSettings,
    progress: bool,
    description: str,
    on_result: Callable[[str, R], None] | None,
    keep_results: bool = True,
) -> BatchResult[R]:
    """Run the partitions one after another here, with the same retries as a cluster."""
    outcome: BatchResult[R] = BatchResult(list(names))
    cpu_started = time.process_time()
    with _bar(len(partitions), progress, description) as bar:
        for name, partition in zip(names, partitions, strict=True):
            for attempt in range(settings.retries + 1):
                try:
                    result = function(partition)
                except Exception as exc:  # any failure is reported, not fatal
                    if attempt == settings.retries:
                        outcome.failures.append(PartitionFailure(name, _describe(exc)))
                    continue
                if keep_results:
                    outcome.results[name] = result
                if on_result is not None:
                    on_result(name, result)
                del result
                break
            bar.update(1)
    outcome.peak_rss_mb = [peak_rss_mb()]
    outcome.cpu_s = time.process_time() - cpu_started
    return outcome


def _run_on_client(
    client: Any,
    where: str,
    function: Callable[[P], R],
    partitions: Sequence[P],
    names: Sequence[str],
    settings: EngineSettings,
    progress: bool,
    description: str,
    on_result: Callable[[str, R], None] | None,
    keep_results: bool = True,
) -> BatchResult[R]:
    """Submit every partition to a distributed client and gather as they complete.

    Each future is dropped as soon as its result is taken, so neither this process nor
    the scheduler holds finished results for the rest of the run.
    """
    from distributed import as_completed

    call: Callable[[P], R] = function
    run = uuid.uuid4().hex[:8]  # keys unique on a shared scheduler: never reuse an old result
    prefix = getattr(function, "__name__", "partition")
    outcome: BatchResult[R] = BatchResult(list(names), where=where)
    outcome.workers = len(client.scheduler_info().get("workers", {})) or 1
    # Only a few partitions are submitted ahead of the workers, not all of them: each
    # submitted one is a pickled job in this process and a task with its arguments on the
    # scheduler until it runs, so submitting a 100,000-file ingest at once held all 400
    # jobs to the end (issue 15). Completion order, retries and results are unchanged.
    window = max(4, SUBMIT_AHEAD_PER_WORKER * outcome.workers)
    queued = iter(zip(names, partitions, strict=True))
    name_of: dict[str, str] = {}
    pending = as_completed()

    def submit_next() -> None:
        item = next(queued, None)
        if item is None:
            return
        name, partition = item
        future = client.submit(
            call,
            partition,
            key=f"{prefix}-{run}-{name}",
            retries=settings.retries,
            pure=False,
        )
        name_of[future.key] = name
        pending.add(future)  # as_completed holds each future until it is yielded

    for _ in range(window):
        submit_next()
    with _bar(len(partitions), progress, description) as bar:
        for future in pending:
            name = name_of.pop(future.key)
            if future.status == "finished":
                result = future.result()
                if keep_results:
                    outcome.results[name] = result
                if on_result is not None:
                    on_result(name, result)
                del result
            else:
                outcome.failures.append(PartitionFailure(name, _describe(future.exception())))
            future.release()
            del future
            submit_next()
            bar.update(1)
    try:
        outcome.peak_rss_mb = sorted(client.run(peak_rss_mb).values())
        outcome.cpu_s = sum(client.run(cpu_seconds).values())
    except Exception:  # a statistic only; a worker may have gone
        outcome.peak_rss_mb = []
    outcome.failures.sort(key=lambda f: list(names).index(f.name))
    return outcome


@contextmanager
def _client(settings: EngineSettings, workers: int) -> Iterator[tuple[Any, str]]:
    """Yield a distributed client on the given scheduler or on a new local cluster."""
    import dask
    from distributed import Client

    if settings.scheduler:
        try:
            client = Client(settings.scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise BatchError(
                f"could not reach the Dask scheduler at {settings.scheduler} ({_describe(exc)}); "
                "start one ('dask scheduler' and 'dask worker ADDRESS'), or leave out "
                "--scheduler / [batch] scheduler to run on this machine"
            ) from None
        try:
            client.run(settle_worker)
            yield client, f"scheduler {settings.scheduler}"
        finally:
            client.close()
        return
    # The scheduler (in this process) and the workers (the nannies pass the settings on)
    # start with small logs and no profiler (DASK_SETTINGS).
    with dask.config.set(DASK_SETTINGS):
        cluster = _local_cluster(workers)
        client = Client(cluster)
        try:
            yield client, f"local cluster of {workers} workers"
        finally:
            client.close()
            cluster.close()


def _local_cluster(workers: int) -> Any:
    from distributed import LocalCluster

    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        scheduler_port=0,
        dashboard_address=None,
        # No dashboard; the scheduler's bare HTTP server (health checks) would otherwise
        # try the fixed port 8787: give it a random loopback one.
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
        worker_dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
    )


def stop_task_profiler(dask_worker: Any) -> None:
    """Stop a Dask worker's statistical profiler and drop what it kept (issue 15).

    A ``distributed`` worker samples the running task's stack every 10 ms and keeps one
    merged call tree per second, twice (overall and per task prefix), for the last 1,000
    seconds (``distributed.admin.low-level-log-length``). For ingest and tag that measured
    about 38 kB a second (4.5 MB after 117 s), so a worker's memory grew with the length of
    the run — with the corpus — by up to about 40 MB once the history was full. Nothing
    reads the profile (no dashboard), and the sampling thread takes the GIL from the task.
    The engine's local clusters start with profiling off; on a scheduler someone else
    started, it is stopped on each worker this way (``client.run``) when a run begins.
    """
    for name in ("profile", "profile-cycle"):
        callback = dask_worker.periodic_callbacks.pop(name, None)
        if callback is not None:
            callback.stop()
    dask_worker.profile_history.clear()
    dask_worker.profile_keys_history.clear()
    dask_worker.profile_keys.clear()


def settle_worker(dask_worker: Any) -> None:
    """Give a worker of a scheduler someone else started the engine's small logs.

    Its logs were made at start-up with the lengths of its own configuration; each is
    replaced by a copy holding only the most recent entries up to DASK_SETTINGS' length,
    the profiler is stopped (stop_task_profiler) and the event loop's health check runs at
    DASK_SETTINGS' interval. Nothing in the worker keeps a
    reference to the old containers: they are only appended to through the attribute.
    """
    from collections import deque

    stop_task_profiler(dask_worker)
    short = DASK_SETTINGS["distributed.admin.low-level-log-length"]
    state = dask_worker.state
    state.log = deque(state.log, maxlen=short)
    state.stimulus_log = deque(state.stimulus_log, maxlen=short)
    for name in ("transfer_incoming_log", "transfer_outgoing_log"):
        setattr(dask_worker, name, deque(getattr(dask_worker, name), maxlen=short))
    tick = dask_worker.periodic_callbacks.get("tick")
    if tick is not None:  # the event loop's health check, as on a local cluster
        tick.callback_time = _milliseconds(DASK_SETTINGS["distributed.admin.tick.interval"])
    monitor = getattr(dask_worker, "monitor", None)
    if monitor is not None and hasattr(monitor, "quantities"):
        samples = DASK_SETTINGS["distributed.admin.system-monitor.log-length"]
        monitor.maxlen = samples
        for key, values in list(monitor.quantities.items()):
            monitor.quantities[key] = deque(values, maxlen=samples)


def _milliseconds(interval: str) -> float:
    from dask.utils import parse_timedelta

    return float(parse_timedelta(interval, default="ms")) * 1000


@contextmanager
def _bar(total: int, enabled: bool, description: str) -> Iterator[Any]:
    """A progress bar over partitions on stderr (nothing when disabled)."""
    with tqdm(
        total=total,
        unit="part",
        desc=description,
        disable=not enabled,
        file=sys.stderr,
        leave=False,
    ) as bar:
        yield bar


def _describe(exc: BaseException | None) -> str:
    """One line for an exception: its type and message."""
    if exc is None:
        return "unknown error"
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB (Linux ``ru_maxrss`` is in KB)."""
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def cpu_seconds() -> float:
    """Return the CPU time (user + system) this process has used so far."""
    return time.process_time()


def map_in_order(
    settings: EngineSettings,
    *,
    min_parallel: int = 4,
    progress: bool = False,
    description: str = "",
) -> Callable[[Callable[[P], R], list[P]], list[R]]:
    """Return a ``mapper(function, items)`` that runs on the engine and keeps input order.

    For library code that takes a plain mapper (``workbench.corpus.map_partitions``); a
    failed item raises BatchError naming it, since a reader cannot go on with a gap. Fewer
    than ``min_parallel`` items run in process (unless a scheduler is given).
    """

    def mapper(function: Callable[[P], R], items: list[P]) -> list[R]:
        names = [f"{index:05d}" for index in range(len(items))]
        outcome = run_partitions(
            function,
            items,
            names,
            settings,
            small=len(items) < min_parallel,
            progress=progress,
            description=description or "partitions",
        )
        if outcome.failures:
            failed = outcome.failures[0]
            raise BatchError(
                f"{description or 'partition'} {items[int(failed.name)]} failed: {failed.error}"
            )
        return outcome.in_order()

    return mapper


class PartitionRunner:
    """A runner for library drivers (``ingest_paths``, ``import_bilingual``).

    The library side knows nothing of Dask: it calls ``runner(function, partitions, names,
    small, on_result)`` and gets back (results by name, name → error of the failed ones).
    ``last`` keeps the full BatchResult of the latest call (where it ran, peak memory).
    """

    def __init__(
        self, settings: EngineSettings, *, progress: bool = True, description: str = "partitions"
    ) -> None:
        self.settings = settings
        self.progress = progress
        self.description = description
        self.last: BatchResult[Any] | None = None

    def __call__(
        self,
        function: Callable[[Any], Any],
        partitions: list[Any],
        names: list[str],
        small: bool,
        on_result: Callable[[str, Any], None],
        *,
        keep_results: bool = True,
    ) -> tuple[dict[str, Any], dict[str, str]]:
        outcome = run_partitions(
            function,
            partitions,
            names,
            self.settings,
            small=small,
            progress=self.progress,
            description=self.description,
            on_result=on_result,
            keep_results=keep_results,
        )
        self.last = outcome
        return outcome.results, {f.name: f.error for f in outcome.failures}
