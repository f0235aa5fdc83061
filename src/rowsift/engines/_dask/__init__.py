"""Dask: partitions of Arrow-backed pandas frames, planned as one task graph.

Its steps run the pandas steps partition by partition, after a shuffle that brings equal keys
into one partition where rows are compared with each other. A user's frame is numbered by a
running count over partitions, and results are handed back detached from rowsift's plan (dask
cannot optimise a plan that wide). A file run computes the totals and both writes (folders of
parts) in one `dask.compute`.
"""

from __future__ import annotations

from rowsift.engines._dask import files, frames, steps
from rowsift.engines.protocol import Engine

ENGINE = Engine(
    name="dask",
    lazy_results=True,
    full_case_mapping=False,
    guarded_strip=False,
    steps=steps,
    frames=frames,
    files=files,
    by_partition=steps.by_partition,
)
