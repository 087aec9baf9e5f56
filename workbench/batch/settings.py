"""``[batch]`` settings, read in this one place and handed to the engine as plain values."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.batch.engine import EngineSettings
from workbench.config import Config
from workbench.errors import ConfigError


@dataclass(frozen=True)
class BatchSettings:
    """Where batch work runs and how the input is cut into partitions."""

    engine: EngineSettings
    partition_files: int = 250  # ingest: input files per partition
    in_process_below_mb: float = 16.0  # inputs smaller than this run in process


def batch_settings(
    config: Config, workers: int | None = None, scheduler: str | None = None
) -> BatchSettings:
    """Read ``[batch]``, then apply the CLI's ``--workers`` / ``--scheduler`` when given."""
    section = config.batch
    chosen = scheduler if scheduler is not None else section.scheduler
    engine = EngineSettings(
        workers=workers if workers is not None else section.workers,
        scheduler=chosen.strip() or None,
        retries=section.retries,
    )
    settings = BatchSettings(
        engine=engine,
        partition_files=section.partition_files,
        in_process_below_mb=section.in_process_below_mb,
    )
    if engine.workers < 0 or engine.retries < 0:
        raise ConfigError("[batch] workers and retries must be 0 or more (workers 0 = every core)")
    if settings.partition_files < 1:
        raise ConfigError("[batch] partition_files must be at least 1")
    if engine.scheduler and "://" not in engine.scheduler:
        raise ConfigError(
            f"scheduler address {engine.scheduler!r} needs a protocol, e.g. tcp://127.0.0.1:8786"
        )
    return settings
