"""One baseline from several batches' metrics, as if they had been measured as one table."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from rowsift.monitor.drift.quantiles import cdf_knots, counts_on, invert
from rowsift.monitor.metrics import (
    QUANTILE_LEVELS,
    TOP_VALUES,
    BatchMetrics,
    ColumnMetrics,
    Histogram,
    Kind,
)


def merge(batches: Sequence[BatchMetrics]) -> BatchMetrics:
    """One baseline from several batches, as if they had been measured as one table.

    Rows, nulls, histogram counts and top-value counts add up; mean and standard deviation
    are combined exactly; quantiles come from the mixture of the batches' distributions. A
    column takes the data type that covers the most rows; batches where it is missing or has
    another type do not count towards it. A value missing from a batch's top list counts in
    that batch's `other`, so the merged top counts are lower bounds unless every batch listed
    the value or was complete.

    >>> m = BatchMetrics(rows=4, columns={"x": ColumnMetrics(
    ...     name="x", dtype="String", kind="categorical", rows=4, nulls=0, top=(("a", 4),))})
    >>> merge([m, m]).columns["x"].top
    (('a', 8),)
    """
    if not batches:
        raise ValueError("merge needs at least one batch")
    if len(batches) == 1:
        return batches[0]
    names: dict[str, None] = {}
    for batch in batches:
        names.update(dict.fromkeys(batch.columns))
    columns: dict[str, ColumnMetrics] = {}
    for name in names:
        present = [batch.columns[name] for batch in batches if name in batch.columns]
        dtype = _most_rows(present, lambda column: column.dtype)
        same = [column for column in present if column.dtype == dtype]
        columns[name] = _merge_column(name, same)
    return BatchMetrics(rows=sum(batch.rows for batch in batches), columns=columns)


def _most_rows(columns: Sequence[ColumnMetrics], key: Callable[[ColumnMetrics], str]) -> str:
    """The value of `key` that covers the most rows (on a tie, the later batch's)."""
    weight: dict[str, int] = {}
    for column in columns:
        weight[key(column)] = weight.get(key(column), 0) + column.rows
    best = max(weight.values())
    return next(key(c) for c in reversed(columns) if weight[key(c)] == best)


def _merge_column(name: str, parts: Sequence[ColumnMetrics]) -> ColumnMetrics:
    if len(parts) == 1:
        return parts[0]
    kind: Kind = _most_rows(parts, lambda column: column.kind)  # type: ignore[assignment]
    rows = sum(part.rows for part in parts)
    nulls = sum(part.nulls for part in parts)
    distinct = [part.distinct for part in parts if part.distinct is not None]
    merged = ColumnMetrics(
        name=name,
        dtype=parts[0].dtype,
        kind=kind,
        rows=rows,
        nulls=nulls,
        # the union has at least as many distinct values as its largest part
        distinct=max(distinct) if distinct else None,
        distinct_estimated=any(part.distinct_estimated for part in parts),
        min=_extreme([part.min for part in parts], min),
        max=_extreme([part.max for part in parts], max),
    )
    numeric = [p for p in parts if p.histogram is not None and p.rows > p.nulls]
    if numeric and all(p.mean is not None for p in numeric):
        merged = replace(merged, **_merge_numeric(numeric))
    if kind == "categorical":
        top, other, highest = _merge_top(parts)
        count = merged.distinct or 0
        merged = replace(
            merged,
            top=top,
            other=other,
            other_max=highest,
            distinct=len(top) if not other else max(count, len(top)),
        )
    return merged


def _extreme(values: Sequence[float | str | None], pick: Any) -> float | str | None:
    """The smallest or largest of values of one type (numbers, or ISO texts that sort)."""
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    texts = [v for v in values if isinstance(v, str)]
    if numbers:
        return float(pick(numbers))
    return str(pick(texts)) if texts else None


def _merge_numeric(parts: Sequence[ColumnMetrics]) -> dict[str, Any]:
    sizes = np.array([p.rows - p.nulls for p in parts], dtype=np.float64)
    means = np.array([p.mean for p in parts], dtype=np.float64)
    total = float(sizes.sum())
    mean = float(np.dot(sizes, means) / total)
    # exact pooled variance: each part's own sum of squares plus its mean's distance
    stds = np.array([p.std if p.std is not None else 0.0 for p in parts], dtype=np.float64)
    squares = float(np.dot(np.maximum(sizes - 1, 0), stds**2) + np.dot(sizes, (means - mean) ** 2))
    std = math.sqrt(squares / (total - 1)) if total > 1 else None
    knots = [cdf_knots(p) for p in parts]
    grid = np.unique(np.concatenate([xs for xs, _ in knots]))
    mixture = (
        sum(
            (
                w * np.interp(grid, xs, fs, left=0.0, right=1.0)
                for w, (xs, fs) in zip(sizes, knots, strict=True)
            ),
            start=np.zeros_like(grid),
        )
        / total
    )
    levels = np.array(QUANTILE_LEVELS[1:-1])
    low, high = float(grid[0]), float(grid[-1])
    quantiles = (low, *(float(q) for q in invert(grid, mixture, levels)), high)
    return {
        "mean": mean,
        "std": std,
        "quantiles": quantiles,
        "histogram": _merge_histograms(parts),
    }


def _merge_histograms(parts: Sequence[ColumnMetrics]) -> Histogram:
    """Add the histograms bin by bin, on the edges most of the rows were counted with."""
    every = [part.histogram.edges for part in parts if part.histogram is not None]
    weight: dict[tuple[float, ...], int] = {}
    for edges, part in zip(every, parts, strict=True):
        weight[edges] = weight.get(edges, 0) + part.rows - part.nulls
    best = max(weight.values())
    edges = next(edges for edges in reversed(every) if weight[edges] == best)
    counts = np.zeros(len(edges) + 1, dtype=np.int64)
    for part in parts:
        counts += counts_on(part, edges)
    return Histogram(edges=edges, counts=tuple(int(c) for c in counts))


def _merge_top(parts: Sequence[ColumnMetrics]) -> tuple[tuple[tuple[str, int], ...], int, int]:
    """The merged top values, `other`, and the largest count an unlisted value can have."""
    counts: dict[str, int] = {}
    for part in parts:
        for value, count in part.top:
            counts[value] = counts.get(value, 0) + count
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    non_null = sum(part.rows - part.nulls for part in parts)
    kept = ordered[:TOP_VALUES]
    # whatever is not listed, including values a batch kept in its own `other`, is `other`
    other = non_null - sum(count for _, count in kept)
    # a value missing from a batch's list may still have up to that batch's unlisted maximum
    # there: the merged counts are lower bounds, and an unlisted value's count is bounded by
    # its known part plus every batch's unlisted maximum where it was not listed
    bounds = [
        part.unlisted_max if part.kind == "categorical" else part.rows - part.nulls
        for part in parts
    ]
    listed = [{value for value, _ in part.top} for part in parts]
    highest = sum(bounds)
    for value, count in ordered[TOP_VALUES:]:
        missing = sum(b for b, values in zip(bounds, listed, strict=True) if value not in values)
        highest = max(highest, count + missing)
    return tuple(kept), other, min(highest, other)
