"""The native Polars plan for a batch's metrics: a few queries, one sort per numeric column."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import narwhals.stable.v2 as nw
import polars as pl

from rowsift.monitor.metrics import (
    QUANTILE_LEVELS,
    TOP_VALUES,
    BatchMetrics,
    ColumnMetrics,
    Histogram,
    column_kind,
    measured_columns,
)

#: quantiles are read from a systematic sample of at most this many values per column
QUANTILE_SAMPLE = 100_000
#: a batch of more rows than this gets estimated distinct counts (`estimated_distinct`): exact
#: ones hold every distinct value (the clean output of 10M orders: 8.4M order ids, 0.6 GB more
#: than the rest of the measurement; of 100M orders, 75M)
EXACT_DISTINCT_ROWS = 1_000_000
#: the columns measured per query (`collected_in_chunks`)
CHUNK_COLUMNS = 64
#: `estimated_distinct` sketches columns together while they hold at most this many values
SKETCH_VALUES = 1_000_000
#: `estimated_distinct` keeps 2 ** SKETCH_BITS registers per column
SKETCH_BITS = 14
_SKETCH_SEED = 0x5EED


def measure_polars(lazy: pl.LazyFrame, edges: Mapping[str, Sequence[float]]) -> BatchMetrics:
    """Every metric of every column of `lazy`, one query after the other (memory: see below).

    A batch of more than `EXACT_DISTINCT_ROWS` rows gets estimated distinct counts
    (`ColumnMetrics.distinct_estimated`), and a text column that the estimate makes an
    identifier is not grouped by value (an identifier keeps no top values).
    """
    schema = lazy.collect_schema()
    names = measured_columns(schema.names())
    kinds = nw.from_native(pl.DataFrame(schema=schema)).schema
    numeric = [n for n in names if kinds[n].is_numeric() and kinds[n] != nw.Boolean]
    textual = [n for n in names if n not in numeric and not kinds[n].is_temporal()]
    # the row count first (free for Parquet): it sets the sampling step of the quantiles and
    # whether distinct values are counted or estimated
    rows = int(lazy.select(pl.len()).collect().item())
    estimated = rows > EXACT_DISTINCT_ROWS
    per_column: list[list[pl.Expr]] = [[pl.len().alias("__rows")]]
    # an integer column's distinct count decides whether it is an identifier (90% distinct):
    # it is counted unless the batch is too large for that (an estimate within about 2% could
    # flip a column near the line from batch to batch); a float's is always estimated
    guessed = [
        name
        for name in [*numeric, *textual]
        if estimated or (name in numeric and not kinds[name].is_integer())
    ]
    for i, name in enumerate(names):
        col = _cleaned(name, schema[name])
        exprs = [col.null_count().alias(f"n{i}")]
        if name in numeric:
            exprs += _numeric_exprs(i, col, exact=name not in guessed)
        elif kinds[name].is_temporal():
            exprs += [col.min().alias(f"lo{i}"), col.max().alias(f"hi{i}")]
        per_column.append(exprs)
    fixed = {name: [float(e) for e in edges[name]] for name in numeric if name in edges}
    # one query at a time, each reading only its columns: run together (one `collect_all`,
    # sharing the scan) they held every text column's distinct values and the numeric
    # columns' at once (the clean output of 10M orders: 1.8 GB, against 1.0 one at a time,
    # for the same CPU time)
    summary = collected_in_chunks(lazy, per_column)
    row = summary.row(0, named=True)
    guesses = estimated_distinct(lazy, schema, guessed, rows=rows)
    # an estimate can overshoot (500 distinct values estimated as 503): never more distinct
    # values than present ones
    row |= {
        f"d{i}": min(guesses[name], rows - row[f"n{i}"])
        for i, name in enumerate(names)
        if name in guesses
    }
    identifiers = {
        name: int(row[f"d{i}"])
        for i, name in enumerate(names)
        if name in textual
        and name in guesses
        and column_kind(kinds[name], non_null=rows - row[f"n{i}"], distinct=row[f"d{i}"])
        == "identifier"
    }
    sample = _sample(lazy, schema, numeric, rows)
    fixed_counts = _counts(lazy, schema, fixed)
    counts = {
        name: _value_counts(lazy, name, non_null=rows - row[f"n{i}"], dtype=kinds[name])
        for i, name in enumerate(names)
        if name in textual and name not in identifiers
    }
    row |= _order_statistics(lazy, schema, numeric, sample, fixed, fixed_counts)
    columns: dict[str, ColumnMetrics] = {}
    for i, name in enumerate(names):
        nulls = int(row[f"n{i}"])
        base: dict[str, Any] = {"name": name, "dtype": str(kinds[name]), "rows": rows}
        base["nulls"] = nulls
        if name in numeric:
            distinct = int(row[f"d{i}"])
            kind = column_kind(kinds[name], non_null=rows - nulls, distinct=distinct)
            columns[name] = _numeric_metrics(
                i, row, base, kind, distinct, estimated=name in guesses
            )
        elif name in identifiers:
            columns[name] = ColumnMetrics(
                **base, kind="identifier", distinct=identifiers[name], distinct_estimated=True
            )
        elif name in counts:
            columns[name] = _categorical_metrics(*counts[name], name, base, kinds[name])
        else:
            lo, hi = row.get(f"lo{i}"), row.get(f"hi{i}")
            columns[name] = ColumnMetrics(
                **base,
                kind="temporal",
                min=_iso(lo),
                max=_iso(hi),
            )
    return BatchMetrics(rows=rows, columns=columns)


def estimated_distinct(
    lazy: pl.LazyFrame, schema: pl.Schema, names: Sequence[str], *, rows: int | None = None
) -> dict[str, int]:
    """The number of distinct non-null values of each of `names`, estimated (HyperLogLog with
    2 ** `SKETCH_BITS` registers: a standard error of 0.8%) in memory that does not grow with
    the values.

    Each value's 64-bit hash picks a register by its leading bits and offers the position of
    the first one bit among the others; a streaming group-by keeps each register's highest.
    (Polars' own ``approx_n_unique`` was 6-14% off on the streaming engine, for 20,000 to 2M
    distinct values.)

    >>> frame = pl.LazyFrame({"x": [f"id{i}" for i in range(5_000)] + [None]})
    >>> abs(estimated_distinct(frame, frame.collect_schema(), ["x"])["x"] - 5_000) < 100
    True
    """
    registers = 1 << SKETCH_BITS
    if rows is None:
        rows = int(lazy.select(pl.len()).collect().item())
    # a query sketches a few columns at once, their hashes side by side in one long frame of
    # at most about SKETCH_VALUES of them; a large batch one column at a time: run together
    # (a shared scan) they held the columns (10M orders: the measurement's peak from 0.6 to
    # 1.1 GB), and one query per column of a table of thousands cost seconds
    together = max(1, min(CHUNK_COLUMNS, SKETCH_VALUES // max(rows, 1)))
    sketches = [
        sketch
        for start in range(0, len(names), together)
        for sketch in _sketches(lazy, schema, names[start : start + together])
    ]
    found: dict[str, int] = {}
    for name, sketch in zip(names, sketches, strict=True):
        # a register no value reached has rank 0 (it adds 2**0 to the sum)
        ranks = [rank for rank in sketch["rank"].to_list() if rank]
        empty = registers - len(ranks)
        raw = (
            0.7213
            / (1 + 1.079 / registers)
            * registers**2
            / math.fsum([empty, *(2.0**-r for r in ranks)])
        )
        small = raw <= 2.5 * registers and empty  # linear counting is closer there
        found[name] = round(registers * math.log(registers / empty) if small else raw)
    return found


def _sketches(lazy: pl.LazyFrame, schema: pl.Schema, names: Sequence[str]) -> list[pl.DataFrame]:
    """Each of `names`' registers (``register``) and their highest rank (``rank``): one query
    for them all; a column alone keeps its own hashes, with no name beside each."""
    width = pl.lit(1 << (64 - SKETCH_BITS), dtype=pl.UInt64)
    if len(names) == 1:
        hashed = _cleaned(names[0], schema[names[0]]).drop_nulls().hash(seed=_SKETCH_SEED)
        values = lazy.select(hashed.alias("value"))
    else:  # side by side, then one long column whose `variable` names each value's column
        hashes = [
            pl.when(_cleaned(name, schema[name]).is_not_null())
            .then(pl.col(name).hash(seed=_SKETCH_SEED))
            .alias(name)
            for name in names
        ]
        values = lazy.select(hashes).unpivot(on=list(names)).drop_nulls("value")
    value = pl.col("value")
    rank = (value % width).bitwise_leading_zeros() - (SKETCH_BITS - 1)
    sketch = (
        values.with_columns((value // width).alias("register"), rank.alias("rank"))
        .group_by(["register"] if len(names) == 1 else ["variable", "register"])
        .agg(pl.col("rank").max())
        .collect(engine="streaming")
    )
    if len(names) == 1:
        return [sketch]
    return [sketch.filter(pl.col("variable") == name) for name in names]


def _cleaned(name: str, dtype: pl.DataType) -> pl.Expr:
    """NaN counts as a missing value in every metric."""
    col = pl.col(name)
    return col.fill_nan(None) if dtype.is_float() else col


def _ranks(size: int) -> tuple[list[int], list[int], list[float]]:
    """The two ranks around each quantile level and the weight of the upper one."""
    spots = [level * (size - 1) for level in QUANTILE_LEVELS]
    below = [math.floor(spot) for spot in spots]
    above = [math.ceil(spot) for spot in spots]
    return below, above, [spot - low for spot, low in zip(spots, below, strict=True)]


def _numeric_exprs(i: int, col: pl.Expr, *, exact: bool) -> list[pl.Expr]:
    """Distinct count (when `exact`; else `estimated_distinct`), range, mean and deviation."""
    return [
        *([col.drop_nulls().n_unique().alias(f"d{i}")] if exact else []),
        col.min().cast(pl.Float64).alias(f"lo{i}"),
        col.max().cast(pl.Float64).alias(f"hi{i}"),
        col.mean().alias(f"mean{i}"),
        col.std().alias(f"std{i}"),
    ]


def collected_in_chunks(
    lazy: pl.LazyFrame, per_column: Sequence[Sequence[pl.Expr]]
) -> pl.DataFrame:
    """The expressions of `per_column` (each column's own, all giving as many rows) collected
    `CHUNK_COLUMNS` columns at a time, side by side. One query of a wide table's thousands of
    expressions took time and memory growing faster than its width (2,100 columns of 32 rows:
    1.5 GB; 6,832 columns: 15 GB)."""
    parts = [
        lazy.select(
            [expr for exprs in per_column[start : start + CHUNK_COLUMNS] for expr in exprs]
        ).collect()
        for start in range(0, len(per_column), CHUNK_COLUMNS)
    ]
    return pl.concat(parts, how="horizontal") if parts else pl.DataFrame()


def _sample(
    lazy: pl.LazyFrame, schema: pl.Schema, numeric: Sequence[str], rows: int
) -> pl.DataFrame:
    """Every k-th value of each numeric column, sorted (at most QUANTILE_SAMPLE values).

    Sorting whole columns dominated the cost of measuring a wide batch; the quantiles of a
    systematic sample are within a fraction of a percentile of the exact ones, and the
    histogram, which the drift tests use, is counted on every value.
    """
    step = max(1, -(-rows // QUANTILE_SAMPLE))
    return collected_in_chunks(
        lazy,
        [
            [_cleaned(name, schema[name]).gather_every(step).sort(nulls_last=True).cast(pl.Float64)]
            for name in numeric
        ],
    )


def _counts(
    lazy: pl.LazyFrame, schema: pl.Schema, targets: Mapping[str, Sequence[float]]
) -> pl.DataFrame:
    """How many values of each column are at most each of its edges (one row)."""
    return collected_in_chunks(
        lazy,
        [[pl.len().alias("__rows")]]
        + [
            [
                (_cleaned(name, schema[name]).cast(pl.Float64) <= edge)
                .sum()
                .alias(f"{name}\x1f{k}")
                for k, edge in enumerate(column_edges)
            ]
            for name, column_edges in targets.items()
        ],
    )


def _order_statistics(
    lazy: pl.LazyFrame,
    schema: pl.Schema,
    numeric: Sequence[str],
    sample: pl.DataFrame,
    fixed: dict[str, list[float]],
    fixed_counts: pl.DataFrame,
) -> dict[str, Any]:
    """Quantiles from the sorted sample, histogram counts on the baseline's bins or, for a
    column without them, on its own (its interior quantiles, each once: one more query)."""
    found: dict[str, Any] = {}
    positions = {name: i for i, name in enumerate(measured_columns(schema.names()))}
    own: dict[str, list[float]] = {}
    for name in numeric:
        values = sample[name].head(sample.height - sample[name].null_count())
        if values.len() == 0:
            if name not in fixed:
                own[name] = []
            continue
        below, above, weights = _ranks(values.len())
        lower, upper = values.gather(below).to_list(), values.gather(above).to_list()
        found[f"q{positions[name]}"] = [
            lo + (hi - lo) * w for lo, hi, w in zip(lower, upper, weights, strict=True)
        ]
        if name not in fixed:
            own[name] = sorted(set(lower[1:-1]))
    own_counts = _counts(lazy, schema, own) if any(own.values()) else None
    for targets, counted in ((fixed, fixed_counts), (own, own_counts)):
        row = counted.row(0, named=True) if counted is not None else {}
        for name, column_edges in targets.items():
            i = positions[name]
            found[f"e{i}"] = column_edges
            found[f"c{i}"] = [int(row[f"{name}\x1f{k}"]) for k in range(len(column_edges))]
    return found


def _numeric_metrics(
    i: int,
    row: dict[str, Any],
    base: dict[str, Any],
    kind: Any,
    distinct: int,
    *,
    estimated: bool,
) -> ColumnMetrics:
    non_null = base["rows"] - base["nulls"]
    quantiles: list[float] = row.get(f"q{i}", [])
    edges, cumulative = row[f"e{i}"], row[f"c{i}"]
    bounds = [0, *cumulative, non_null]
    return ColumnMetrics(
        **base,
        kind=kind,
        distinct=distinct,
        distinct_estimated=estimated,
        min=row[f"lo{i}"],
        max=row[f"hi{i}"],
        mean=row[f"mean{i}"],
        std=row[f"std{i}"],
        quantiles=tuple(float(q) for q in quantiles),
        histogram=Histogram(
            edges=tuple(float(e) for e in edges),
            counts=tuple(bounds[k + 1] - bounds[k] for k in range(len(bounds) - 1)),
        ),
    )


def _value_counts(
    lazy: pl.LazyFrame, name: str, *, non_null: int, dtype: Any
) -> tuple[int, pl.DataFrame]:
    """How many distinct non-null values column `name` has, and the count of each value that
    may be among its `TOP_VALUES` most frequent (none when it is not categorical).

    Grouped by the text, the streaming group-by's memory grew with the rows, not only with the
    values (the clean output of 30M orders: 1.7 GB for 2.3M e-mail addresses, 10 CPU s). The
    values are counted by their 64-bit hash (0.55 GB, 4.6 CPU s with the second pass), then
    only the values whose hash is counted at least as often as the `TOP_VALUES`-th largest
    are counted again by their text: exact, but for two values whose hashes collide.
    """
    hashed = pl.col(name).hash(seed=_SKETCH_SEED)
    present = lazy.filter(pl.col(name).is_not_null())
    counts = present.group_by(hashed.alias("__hash")).agg(pl.len().alias("__count")).collect()
    distinct = counts.height
    if column_kind(dtype, non_null=non_null, distinct=distinct) != "categorical":
        return distinct, pl.DataFrame()
    if counts.height > TOP_VALUES:
        least = counts["__count"].top_k(TOP_VALUES).min()
        counts = counts.filter(pl.col("__count") >= least)
    values = (
        present.filter(hashed.is_in(counts["__hash"].implode()))
        .group_by(name)
        .agg(pl.len().alias("__count"))
        .collect()
    )
    return distinct, values


def _categorical_metrics(
    distinct: int, counts: pl.DataFrame, name: str, base: dict[str, Any], dtype: Any
) -> ColumnMetrics:
    non_null = base["rows"] - base["nulls"]
    kind = column_kind(dtype, non_null=non_null, distinct=distinct)
    if kind != "categorical":
        return ColumnMetrics(**base, kind=kind, distinct=distinct)
    ordered = _top(counts, name)
    top = tuple(
        (_label(value), int(count))
        for value, count in zip(ordered[name].to_list(), ordered["__count"].to_list(), strict=True)
    )
    return ColumnMetrics(
        **base,
        kind=kind,
        distinct=distinct,
        top=top,
        other=non_null - sum(count for _, count in top),
    )


def _top(counts: pl.DataFrame, name: str) -> pl.DataFrame:
    """The `TOP_VALUES` most frequent values, ties by value, most frequent first.

    Only the values counted at least as often as the `TOP_VALUES`-th largest count can be
    among them: sorting just those (a few dozen, unless many tie) instead of every distinct
    value (a text sort of 700k e-mail addresses of a 1M-row batch took 0.8 CPU s).
    """
    if counts.height > TOP_VALUES:
        least = counts["__count"].top_k(TOP_VALUES).min()
        counts = counts.filter(pl.col("__count") >= least)
    return counts.sort(["__count", name], descending=[True, False]).head(TOP_VALUES)


def _label(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _iso(value: Any) -> str | None:
    """Dates and datetimes in ISO 8601; durations (temporal too) as Python prints them."""
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
