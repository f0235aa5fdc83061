"""Polars: lenient parsing with Polars' own casts, and first occurrences in one streaming pass."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import narwhals.stable.v2 as nw
import polars as pl

from rowsift._names import ROW
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


def key_hash(keys: Sequence[str]) -> pl.Expr:
    """A 64-bit hash of a row's `keys` values (null hashes alike); tests put a colliding one
    in its place to prove that `seen_before` stays exact."""
    return pl.struct(list(keys)).hash(seed=_HASH_SEED)


_HASH_SEED = 0x5EED
_HASH = "__rs_hash"


def seen_before(native: Any, jobs: Sequence[SeenBeforeJob]) -> Any:
    """Rows seen before, found through 64-bit hashes of their keys and verified exactly.

    Marking repeats on the keys themselves holds every distinct key in memory (0.8 GB of a
    10M-row run whose duplicate rule reads all eight columns). Instead, one streaming pass
    over the key hashes alone finds the hashes that occur more than once; a second pass
    keeps the rows with those hashes (repeats, and any rows whose different keys collide),
    and those few are judged on their keys themselves, so a collision never marks a row.
    Every other row is a first occurrence. Rows arrive in ``_rowsift_row`` order (readers
    and `table` add the index in order).
    """
    seen = _rows_seen_before(native, jobs)
    return native.with_columns(
        pl.col(ROW).is_in(pl.Series(rows, dtype=pl.Int64).implode()).alias(job.target)
        for job, rows in zip(jobs, seen, strict=True)
    )


def _rows_seen_before(native: pl.LazyFrame, jobs: Sequence[SeenBeforeJob]) -> list[pl.Series]:
    """For each job, the ``_rowsift_row`` of every row whose keys an earlier row has."""
    if not jobs:
        return []
    hashes = native.select(
        key_hash(job.keys).alias(f"{_HASH}{number}") for number, job in enumerate(jobs)
    )
    repeated = pl.collect_all(
        [
            hashes.group_by(f"{_HASH}{number}")
            .agg(pl.len().alias("rows"))
            .filter(pl.col("rows") > 1)
            .select(f"{_HASH}{number}")
            for number in range(len(jobs))
        ],
        engine="streaming",
    )
    if all(found.height == 0 for found in repeated):  # no hash repeats: no row seen before
        return [pl.Series(ROW, [], dtype=pl.Int64) for _ in jobs]
    keys = sorted({key for job in jobs for key in job.keys})
    in_repeated = [
        key_hash(job.keys).is_in(found.to_series().implode())
        for job, found in zip(jobs, repeated, strict=True)
    ]
    candidates = (
        native.select(
            ROW, *keys, *(flag.alias(f"{_HASH}{n}") for n, flag in enumerate(in_repeated))
        )
        .filter(pl.any_horizontal(pl.col(f"{_HASH}{n}") for n in range(len(jobs))))
        .collect(engine="streaming")
        .sort(ROW)
    )
    seen = []
    for number, job in enumerate(jobs):
        mine = candidates.filter(pl.col(f"{_HASH}{number}"))
        keyed = pl.col(job.keys[0]) if len(job.keys) == 1 else pl.struct(list(job.keys))
        seen.append(mine.filter(keyed.is_first_distinct().not_())[ROW])
    return seen


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
