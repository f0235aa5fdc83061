"""Polars: lenient parsing with Polars' own casts, and first occurrences in one streaming pass."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import polars as pl

from rowsift.engine.parse import BOOL_TRIM, FALSE_TOKENS, TRUE_TOKENS, ParseJob
from rowsift.recipe.formats import chrono_format, reads_offset

if TYPE_CHECKING:
    from rowsift.engine.backends import SeenBeforeJob


def _parsed(job: ParseJob) -> pl.Expr:
    text = pl.col(job.source)
    cast = job.cast
    if cast.type == "int":
        return text.cast(pl.Int64, strict=False)
    if cast.type == "float":
        # one zero, as on every engine (parse.py); Polars' optimiser drops a `+ 0.0`
        number = text.cast(pl.Float64, strict=False)
        return pl.when(number == 0.0).then(pl.lit(0.0)).otherwise(number)
    if cast.type == "decimal":
        return text.cast(pl.Decimal(cast.precision, cast.scale), strict=False)
    if cast.type == "bool":
        folded = text.str.strip_chars(BOOL_TRIM).str.to_lowercase()
        return (
            pl.when(folded.is_in(TRUE_TOKENS))
            .then(pl.lit(value=True))
            .when(folded.is_in(FALSE_TOKENS))
            .then(pl.lit(value=False))
            .otherwise(pl.lit(None, dtype=pl.Boolean))
        )
    if cast.type == "date":
        return text.str.to_date(chrono_format(cast.format or ""), strict=False)
    fmt = cast.format or ""
    stamps = text.str.to_datetime(chrono_format(fmt), strict=False, time_unit="us")
    # an offset is read as UTC and kept without a time zone, as on every engine
    return stamps.dt.replace_time_zone(None) if reads_offset(fmt) else stamps


def parse_columns(native: Any, jobs: Sequence[ParseJob]) -> Any:
    """Add each job's typed column."""
    return native.with_columns([_parsed(job).alias(job.target) for job in jobs])


def seen_before(native: Any, jobs: Sequence[SeenBeforeJob]) -> Any:
    """``is_first_distinct`` keeps only a set of keys seen so far, so it streams.

    Rows arrive in ``_rowsift_row`` order (readers and `to_table` add the index in order).
    """
    marks = []
    for job in jobs:
        keys = pl.col(job.keys[0]) if len(job.keys) == 1 else pl.struct(list(job.keys))
        marks.append(keys.is_first_distinct().not_().alias(job.target))
    return native.with_columns(marks)


@contextmanager
def held(native: Any) -> Iterator[Any]:
    """The frame collected once, in memory."""
    yield native.collect().lazy()
