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
    over the key hashes alone finds the hashes that occur more than once. The run's own pass
    then marks, among the rows with such a hash only (repeats, and any rows whose different
    keys collide), those whose keys themselves came before: every other row is a first
    occurrence, so only the few candidates' keys are held, and a collision never marks a row.
    Rows arrive in ``_rowsift_row`` order (readers and `table` add the index in order).

    The pass hashes a job's `SeenBeforeJob.narrow` keys when it has them (text: the parse of
    dates and numbers is not paid twice; rows with equal keys have equal narrow keys, so no
    repeat is missed), unless more than `MAX_CANDIDATES` rows would then be candidates: the
    pass is then made again on all the keys, to keep the candidates few.

    Jobs that are not `SeenBeforeJob.hashed` (a small input) mark repeats on the keys
    themselves in the run's pass, without the pass over the hashes.
    """
    hashed = [job for job in jobs if job.hashed]
    narrowed = [job.narrow or job.keys for job in hashed]
    repeated = _repeated_hashes(native, narrowed)
    wide = [k for k, (rows, _) in enumerate(repeated) if hashed[k].narrow and rows > MAX_CANDIDATES]
    redone = iter(_repeated_hashes(native, [hashed[k].keys for k in wide]))
    for k in wide:
        narrowed[k], repeated[k] = hashed[k].keys, next(redone)
    found = iter(zip(narrowed, repeated, strict=True))

    def seen(job: SeenBeforeJob) -> pl.Expr:
        if not job.hashed:
            return _seen_on_keys(job.keys)
        hashed_keys, (_, hashes) = next(found)
        return _seen(job.keys, hashed_keys, hashes)

    return native.with_columns(seen(job).alias(job.target) for job in jobs)


#: the most rows a narrowed pass may leave as candidates (their keys are held)
MAX_CANDIDATES = 1_000_000


def _repeated_hashes(
    native: pl.LazyFrame, keys: Sequence[Sequence[str]]
) -> list[tuple[int, pl.Series]]:
    """For each set of `keys`, the rows that share their hash with another row, and the
    hashes that more than one row has (one streaming pass)."""
    if not keys:
        return []
    hashes = native.select(
        key_hash(each).alias(f"{_HASH}{number}") for number, each in enumerate(keys)
    )
    found = pl.collect_all(
        [
            hashes.group_by(f"{_HASH}{number}")
            .agg(pl.len().alias("rows"))
            .filter(pl.col("rows") > 1)
            for number in range(len(keys))
        ],
        engine="streaming",
    )
    return [(int(frame["rows"].sum()), frame.get_column(frame.columns[0])) for frame in found]


def _seen(keys: Sequence[str], hashed: Sequence[str], repeated: pl.Series) -> pl.Expr:
    """True where an earlier row has the same `keys`, judged on the keys of the rows whose
    hash of `hashed` keys is `repeated` only: every other row is one null (a candidate's is
    never null)."""
    if repeated.is_empty():  # no hash repeats: no row seen before
        return pl.lit(value=False)
    candidate = key_hash(hashed).is_in(repeated.implode())
    masked = pl.when(candidate).then(pl.struct(pl.lit(value=True).alias("candidate"), *keys))
    return candidate & masked.is_first_distinct().not_()


def _seen_on_keys(keys: Sequence[str]) -> pl.Expr:
    """True where an earlier row has the same `keys`, every row's keys held."""
    return pl.struct(list(keys)).is_first_distinct().not_()


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
