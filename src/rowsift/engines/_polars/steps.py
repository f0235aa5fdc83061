"""Polars: lenient parsing with Polars' own casts, and first occurrences in one streaming pass."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import narwhals.stable.v2 as nw
import polars as pl

from rowsift.engines.by_narwhals import by_windows
from rowsift.engines.protocol import BOOL_TRIM, FALSE_TOKENS, TRUE_TOKENS, ParseJob, SeenBeforeJob
from rowsift.recipe.formats import chrono_format, reads_offset
from rowsift.rules.rowset import GroupStat


def _parsed(job: ParseJob) -> pl.Expr:
    text = pl.col(job.source)
    if job.type == "int":
        return text.cast(pl.Int64, strict=False)
    if job.type == "float":
        # one zero, as on every engine (see ParseJob); Polars' optimiser drops a `+ 0.0`
        number = text.cast(pl.Float64, strict=False)
        return pl.when(number == 0.0).then(pl.lit(0.0)).otherwise(number)
    if job.type == "decimal":
        return text.cast(pl.Decimal(job.precision, job.scale), strict=False)
    if job.type == "bool":
        folded = text.str.strip_chars(BOOL_TRIM).str.to_lowercase()
        return (
            pl.when(folded.is_in(TRUE_TOKENS))
            .then(pl.lit(value=True))
            .when(folded.is_in(FALSE_TOKENS))
            .then(pl.lit(value=False))
            .otherwise(pl.lit(None, dtype=pl.Boolean))
        )
    if job.type == "date":
        return text.str.to_date(chrono_format(job.format or ""), strict=False)
    fmt = job.format or ""
    stamps = text.str.to_datetime(chrono_format(fmt), strict=False, time_unit="us")
    # an offset is read as UTC and kept without a time zone, as on every engine
    return stamps.dt.replace_time_zone(None) if reads_offset(fmt) else stamps


def parse_columns(native: Any, jobs: Sequence[ParseJob]) -> Any:
    """Add each job's typed column."""
    return native.with_columns([_parsed(job).alias(job.target) for job in jobs])


def seen_before(native: Any, jobs: Sequence[SeenBeforeJob]) -> Any:
    """``is_first_distinct`` keeps only a set of keys seen so far, so it streams.

    Rows arrive in ``_rowsift_row`` order (readers and `table` add the index in order).
    """
    marks = []
    for job in jobs:
        keys = pl.col(job.keys[0]) if len(job.keys) == 1 else pl.struct(list(job.keys))
        marks.append(keys.is_first_distinct().not_().alias(job.target))
    return native.with_columns(marks)


def group_stats(native: Any, stats: Sequence[GroupStat]) -> Any:
    """Windows (`GroupStat.window`)."""
    return by_windows(native, stats)


@contextmanager
def held(native: Any) -> Iterator[Any]:
    """Nothing is held: Polars computes the outputs and totals in one streaming pass
    (`collect_all`), which runs the steps they share once."""
    yield native


def kept(native: Any) -> Any:
    """Nothing is kept: `rowsift.run` collects Polars results in one pass."""
    return native


def collect_together(frames: Sequence[nw.LazyFrame[Any]]) -> list[nw.DataFrame[Any]]:
    """One `collect_all`, which computes the steps the frames share once."""
    collected = pl.collect_all([frame.to_native() for frame in frames])
    return [nw.from_native(native, eager_only=True) for native in collected]
