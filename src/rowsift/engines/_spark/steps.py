"""Spark (classic and Connect): SQL text from `rowsift.engines.sql` parses and marks rows seen
before; group sizes are windows; a judged frame is cached while a run reads it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import narwhals.stable.v2 as nw

from rowsift.engines import sql
from rowsift.engines.by_narwhals import by_windows
from rowsift.engines.protocol import ParseJob, SeenBeforeJob
from rowsift.rules.rowset import GroupStat


def parse_columns(native: Any, jobs: Sequence[ParseJob]) -> Any:
    """Replace each job's column by its typed value."""
    from pyspark.sql import functions as F

    return native.withColumns({job.target: F.expr(sql.parsed(job, "spark")) for job in jobs})


def seen_before(native: Any, jobs: Sequence[SeenBeforeJob]) -> Any:
    """True where an earlier row (by ``_rowsift_row``) has equal keys."""
    from pyspark.sql import functions as F

    return native.withColumns(
        {job.target: F.expr(sql.seen_before(job.keys, "spark")) for job in jobs}
    )


def group_stats(native: Any, stats: Sequence[GroupStat]) -> Any:
    """Windows (`GroupStat.window`)."""
    return by_windows(native, stats)


@contextmanager
def held(native: Any) -> Iterator[Any]:
    """The frame cached (memory, then disk) by the first job that reads it, dropped after."""
    cached = native.persist()
    try:
        yield cached
    finally:
        cached.unpersist()


def kept(native: Any) -> Any:
    """The frame checkpointed (`localCheckpoint`): every later read scans the computed rows
    instead of planning and running every step again; Spark drops them once no frame reads
    them."""
    return native.localCheckpoint(eager=True)


def collect_together(frames: Sequence[nw.LazyFrame[Any]]) -> list[nw.DataFrame[Any]]:
    """Each frame in turn."""
    return [frame.collect() for frame in frames]
