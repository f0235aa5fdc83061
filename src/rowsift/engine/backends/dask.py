"""Dask: each partition is a pandas frame, so parsing reuses the pandas steps partition by
partition; marking rows seen before shuffles equal keys into one partition first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rowsift.engine.backends import pandas as pandas_steps
from rowsift.engine.parse import ParseJob

if TYPE_CHECKING:
    from rowsift.engine.backends import SeenBeforeJob


def parse_columns(native: Any, jobs: Sequence[ParseJob]) -> Any:
    """Replace each job's column by its typed value, partition by partition."""
    meta = pandas_steps.parse_columns(native._meta, jobs)
    return native.map_partitions(pandas_steps.parse_columns, list(jobs), meta=meta)


def seen_before(native: Any, jobs: Sequence[SeenBeforeJob]) -> Any:
    """Rows with equal keys meet in one partition (a shuffle), where pandas marks repeats."""
    for job in jobs:
        shuffled = native.shuffle(on=list(job.keys))
        meta = pandas_steps.seen_before(shuffled._meta, [job])
        native = shuffled.map_partitions(pandas_steps.seen_before, [job], meta=meta)
    return native
