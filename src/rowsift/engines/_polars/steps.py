"""Polars: lenient parsing with Polars' own casts, and first occurrences in one streaming pass."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
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


def keys_of(keys: Sequence[str]) -> pl.Expr:
    """A row's `keys` as one value to hash or compare: the column itself when there is one
    (hashing or comparing a one-field struct gives the same answer at twice the cost or more:
    10M rows, 1.77 s against 0.72 for ``is_first_distinct``)."""
    return pl.col(keys[0]) if len(keys) == 1 else pl.struct(list(keys))


def key_hash(keys: Sequence[str]) -> pl.Expr:
    """A 64-bit hash of a row's `keys` values (null hashes alike); tests put a colliding one
    in its place to prove that `seen_before` stays exact."""
    return keys_of(keys).hash(seed=_HASH_SEED)


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
    pass is then made again on all the keys, to keep the candidates few. For a
    ``spilled`` input (`SeenBeforeJob.memory`) the pass counts the hashes part by part
    (`_repeated_in_parts`). For a ``held`` input (a small text file) there is no pass: the run's
    own pass marks the rows whose keys came before, holding each distinct key.
    """
    if jobs and all(job.memory == "held" for job in jobs):
        # a small input: repeats marked on the keys themselves, in the run's own pass
        return native.with_columns(
            keys_of(job.keys).is_first_distinct().not_().alias(job.target) for job in jobs
        )
    spilled = any(job.memory == "spilled" for job in jobs)
    narrowed = [job.narrow or job.keys for job in jobs]
    repeated = _repeated_hashes(native, narrowed, spilled=spilled)
    wide = [
        k for k, (rows, _) in enumerate(repeated) if _narrowed(jobs[k]) and rows > MAX_CANDIDATES
    ]
    redone = iter(_repeated_hashes(native, [jobs[k].keys for k in wide], spilled=spilled))
    for k in wide:
        narrowed[k], repeated[k] = jobs[k].keys, next(redone)
    return native.with_columns(
        _seen(job.keys, hashed, hashes).alias(job.target)
        for job, hashed, (_, hashes) in zip(jobs, narrowed, repeated, strict=True)
    )


def _narrowed(job: SeenBeforeJob) -> bool:
    """Whether the pass hashes fewer keys than the job compares (`SeenBeforeJob.narrow`): a
    pass on every key can then leave fewer candidates; otherwise it would be the same pass."""
    return bool(job.narrow) and set(job.narrow) != set(job.keys)


#: the most rows a narrowed pass may leave as candidates (their keys are held)
MAX_CANDIDATES = 1_000_000
#: a spilled pass writes each job's hashes in 2 ** SPILL_BITS parts, by their leading bits
SPILL_BITS = 6
_PART = "__rs_part"


def _repeated_hashes(
    native: pl.LazyFrame, keys: Sequence[Sequence[str]], *, spilled: bool
) -> list[tuple[int, pl.Series]]:
    """For each set of `keys`, the rows that share their hash with another row, and the
    hashes that more than one row has (one streaming pass)."""
    if not keys:
        return []
    hashes = native.select(
        key_hash(each).alias(f"{_HASH}{number}") for number, each in enumerate(keys)
    )
    names = [f"{_HASH}{number}" for number in range(len(keys))]
    if spilled:
        found = _repeated_in_parts(hashes, names)
    else:
        found = pl.collect_all([_repeats(hashes, name) for name in names], engine="streaming")
    return [(int(frame["rows"].sum()), frame.get_column(frame.columns[0])) for frame in found]


def _repeats(hashes: pl.LazyFrame, name: str) -> pl.LazyFrame:
    """The values of column `name` that more than one row has, with their ``rows``."""
    return hashes.group_by(name).agg(pl.len().alias("rows")).filter(pl.col("rows") > 1)


def _repeated_in_parts(hashes: pl.LazyFrame, names: Sequence[str]) -> list[pl.DataFrame]:
    """`_repeats` of each hash column, in memory bounded by the rows of one part.

    A hash table of every distinct hash grows with the rows (100M rows: 2 GB per rule, 7.7 GB
    at its final merge). Instead one streaming pass writes each column in 2 ** `SPILL_BITS` parts
    by the hash's leading bits (8 bytes a row and rule, in a private temporary folder that is
    removed whatever happens), and the repeats are counted one part at a time: equal hashes
    always land in the same part.
    """
    width = pl.lit(1 << (64 - SPILL_BITS), dtype=pl.UInt64)
    with tempfile.TemporaryDirectory(prefix="rowsift-keys-") as temporary:
        root = Path(temporary)
        sinks = [
            hashes.select(name).sink_ipc(
                pl.PartitionBy(
                    root / name, key=(pl.col(name) // width).alias(_PART), include_key=False
                ),
                mkdir=True,
                lazy=True,
            )
            for name in names
        ]
        pl.collect_all(sinks, engine="streaming")
        return [_repeats_by_part(root / name, name) for name in names]


def _repeats_by_part(folder: Path, name: str) -> pl.DataFrame:
    """`_repeats` of the hash column `name` spilled in parts under `folder`."""
    parts = sorted(part for part in folder.iterdir() if part.is_dir()) if folder.exists() else []
    found = [
        _repeats(pl.scan_ipc(sorted(part.glob("*.ipc"))), name).collect(engine="streaming")
        for part in parts
    ]
    empty = pl.DataFrame(schema={name: pl.UInt64, "rows": pl.get_index_type()})
    return pl.concat([empty, *found], how="vertical_relaxed")


def _seen(keys: Sequence[str], hashed: Sequence[str], repeated: pl.Series) -> pl.Expr:
    """True where an earlier row has the same `keys`, judged on the keys of the rows whose
    hash of `hashed` keys is `repeated` only: every other row is one null (a candidate's is
    never null)."""
    if repeated.is_empty():  # no hash repeats: no row seen before
        return pl.lit(value=False)
    candidate = key_hash(hashed).is_in(repeated.implode())
    masked = pl.when(candidate).then(pl.struct(pl.lit(value=True).alias("candidate"), *keys))
    return candidate & masked.is_first_distinct().not_()


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
