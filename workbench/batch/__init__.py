"""The batch engine: partitions of work run in process, on a local Dask cluster, or on a
running Dask scheduler (see ``engine``). Only CLI modules import this package."""
