"""Polars: lenient parsing with Polars' own casts (strict=False yields null on failure)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from rowsift.engine.parse import ParseJob


def _parsed(job: ParseJob) -> pl.Expr:
    text = pl.col(job.source)
    cast = job.cast
    if cast.type == "int":
        return text.cast(pl.Int64, strict=False)
    if cast.type == "float":
        return text.cast(pl.Float64, strict=False)
    if cast.type == "decimal":
        return text.cast(pl.Decimal(cast.precision, cast.scale), strict=False)
    if cast.type == "date":
        return text.str.to_date(cast.format, strict=False)
    return text.str.to_datetime(cast.format, strict=False, time_unit="us")


def parse_columns(native: Any, jobs: Sequence[ParseJob]) -> Any:
    """Add each job's typed column."""
    return native.with_columns([_parsed(job).alias(job.target) for job in jobs])
