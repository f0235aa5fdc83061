"""Compute a batch's metrics: counts, moments, quantiles, histograms, top values.

Two paths give the same metrics. Polars frames, which is what every file run measures (its
clean output read back), get a native plan in `_polars_measure`: a few queries, each reading
only its columns, quantiles from a systematic sample. Any other frame (pandas, DuckDB, Spark,
Dask: a `rowsift.run` result handed to `monitor_run`) is measured through narwhals where it
lives, so a cluster's frame is not collected to one machine. `tests/monitor/test_measure.py`
proves that the two paths agree on the same table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import narwhals.stable.v2 as nw

from rowsift._names import internal_aliases
from rowsift.monitor.metrics import (
    EDGE_LEVELS,
    QUANTILE_LEVELS,
    TOP_VALUES,
    BatchMetrics,
    ColumnMetrics,
    Histogram,
    column_kind,
    measured_columns,
)

Edges = Mapping[str, Sequence[float]]


def measure_batch(frame: Any, *, edges: Edges | None = None) -> BatchMetrics:
    """The metrics of every data column of `frame` (any frame rowsift runs on).

    `edges` fixes the histogram bins of numeric columns (those of the baseline batch); a column
    without edges gets bins at its own 5%, 10%, …, 95% quantiles.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"x": [1.0, 2.0, None, 4.0], "c": ["a", "b", "a", "a"]})
    >>> metrics = measure_batch(frame)
    >>> metrics.columns["x"].nulls, metrics.columns["x"].mean, metrics.columns["c"].top
    (1, 2.3333333333333335, (('a', 3), ('b', 1)))
    """
    native = nw.to_native(frame) if isinstance(frame, nw.DataFrame | nw.LazyFrame) else frame
    # a column named like a pattern (``*``, ``^…$``) is measured under a plain name of its own
    aliases = internal_aliases(nw.from_native(native).collect_schema().names(), prefix="rowsift_")
    if aliases:
        back = {alias: name for name, alias in aliases.items()}
        renamed = nw.from_native(native).rename(aliases).to_native()
        fixed = {aliases.get(name, name): bins for name, bins in (edges or {}).items()}
        metrics = measure_batch(renamed, edges=fixed)
        return replace(
            metrics,
            columns={
                back.get(name, name): replace(column, name=back.get(name, name))
                for name, column in metrics.columns.items()
            },
        )
    fixed = dict(edges or {})
    try:
        import polars as pl
    except ImportError:  # pragma: no cover - polars is a dependency
        pl = None  # type: ignore[assignment]
    if pl is not None and isinstance(native, pl.DataFrame | pl.LazyFrame):
        from rowsift.monitor._polars_measure import measure_polars

        return measure_polars(native.lazy(), fixed)
    return _measure_narwhals(nw.from_native(native), fixed)


def _measure_narwhals(frame: Any, edges: dict[str, Sequence[float]]) -> BatchMetrics:
    lazy = frame.lazy() if isinstance(frame, nw.DataFrame) else frame
    schema = lazy.collect_schema()
    names = measured_columns(list(schema))
    numeric = [n for n in names if schema[n].is_numeric() and schema[n] != nw.Boolean]
    exprs: list[nw.Expr] = [nw.len().alias("__rows")]
    for i, name in enumerate(names):
        col = _cleaned(nw.col(name), schema[name])
        exprs += [col.null_count().alias(f"n{i}"), col.n_unique().alias(f"d{i}")]
        if name in numeric or schema[name].is_temporal():
            exprs += [col.min().alias(f"lo{i}"), col.max().alias(f"hi{i}")]
        if name in numeric:
            exprs += [col.mean().alias(f"mean{i}"), col.std().alias(f"std{i}")]
            exprs += [
                col.quantile(level, interpolation="linear").alias(f"q{i}_{k}")
                for k, level in enumerate(QUANTILE_LEVELS)
            ]
    row = _one_row(lazy.select(exprs))
    rows = int(row["__rows"])
    own_edges = {
        name: _dedupe([row[f"q{i}_{k + 1}"] for k in range(len(EDGE_LEVELS))])
        for i, name in enumerate(names)
        if name in numeric and name not in edges
    }
    all_edges = {**own_edges, **{n: tuple(e) for n, e in edges.items() if n in numeric}}
    cumulative = _cumulative_counts(lazy, schema, all_edges)
    columns: dict[str, ColumnMetrics] = {}
    for i, name in enumerate(names):
        dtype = schema[name]
        nulls = int(row[f"n{i}"])
        distinct = int(row[f"d{i}"]) - (1 if nulls else 0)
        kind = column_kind(dtype, non_null=rows - nulls, distinct=distinct)
        base: dict[str, Any] = {
            "name": name,
            "dtype": str(dtype),
            "kind": kind,
            "rows": rows,
            "nulls": nulls,
        }
        if name in numeric:
            quantiles = [row[f"q{i}_{k}"] for k in range(len(QUANTILE_LEVELS))]
            columns[name] = ColumnMetrics(
                **base,
                distinct=distinct,
                min=_number(row[f"lo{i}"]),
                max=_number(row[f"hi{i}"]),
                mean=_number(row[f"mean{i}"]),
                std=_number(row[f"std{i}"]),
                quantiles=tuple(float(q) for q in quantiles if q is not None),
                histogram=_histogram(all_edges[name], cumulative[name], rows - nulls),
            )
        elif kind == "categorical":
            top, other = _top_values(lazy, name, rows - nulls)
            columns[name] = ColumnMetrics(**base, distinct=distinct, top=top, other=other)
        else:
            low = row.get(f"lo{i}")
            high = row.get(f"hi{i}")
            columns[name] = ColumnMetrics(
                **base, distinct=distinct, min=_plain(low), max=_plain(high)
            )
    return BatchMetrics(rows=rows, columns=columns)


def _cleaned(col: nw.Expr, dtype: Any) -> nw.Expr:
    """NaN counts as a missing value in every metric."""
    return col.fill_nan(None) if dtype.is_float() else col


def _cumulative_counts(
    lazy: Any, schema: Any, edges: dict[str, tuple[float, ...]]
) -> dict[str, list[int]]:
    exprs = [
        (_cleaned(nw.col(name), schema[name]) <= edge).cast(nw.Int64).sum().alias(f"{i}_{k}")
        for i, (name, column_edges) in enumerate(edges.items())
        for k, edge in enumerate(column_edges)
    ]
    row = _one_row(lazy.select(exprs)) if exprs else {}
    return {
        name: [int(row[f"{i}_{k}"] or 0) for k in range(len(column_edges))]
        for i, (name, column_edges) in enumerate(edges.items())
    }


def _top_values(lazy: Any, name: str, non_null: int) -> tuple[tuple[tuple[str, int], ...], int]:
    counts = (
        lazy.filter(~nw.col(name).is_null())
        .group_by(name)
        .agg(nw.len().alias("__count"))
        .sort(["__count", name], descending=[True, False])
        .head(TOP_VALUES)
    )
    table = counts.collect() if isinstance(counts, nw.LazyFrame) else counts
    top = tuple(
        (_label(value), int(count))
        for value, count in zip(table[name].to_list(), table["__count"].to_list(), strict=True)
    )
    return top, non_null - sum(count for _, count in top)


def _histogram(edges: Sequence[float], cumulative: Sequence[int], non_null: int) -> Histogram:
    bounds = [0, *cumulative, non_null]
    counts = tuple(bounds[k + 1] - bounds[k] for k in range(len(bounds) - 1))
    return Histogram(edges=tuple(float(e) for e in edges), counts=counts)


def _one_row(query: Any) -> dict[str, Any]:
    result = query.collect() if isinstance(query, nw.LazyFrame) else query
    return dict(result.rows(named=True)[0])


def _dedupe(values: Sequence[Any]) -> tuple[float, ...]:
    return tuple(sorted({float(v) for v in values if v is not None}))


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _plain(value: Any) -> float | str | None:
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value if isinstance(value, float | str) else str(value)


def _label(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, datetime | date) else str(value)
