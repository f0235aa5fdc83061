"""Column statistics: what each column holds, as engine expressions.

`aggregate_exprs` aggregates every column at once (nulls, distinct values, lengths, whitespace,
leading zeros, null-like tokens); `shape_frame` and `value_frame` unpivot the table into
(column, value) pairs and count shapes, and values of the columns with few distinct values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import narwhals.stable.v2 as nw

from rowsift.engine.parse import FLOAT_GUARD
from rowsift.profile.shapes import NULL_LIKE, shape_expr
from rowsift.profile.types import (
    BOOL_WORDS,
    DATE_FORMATS,
    DATETIME_FORMATS,
    parse_counts,
    valid_date_share,
)

VALUE_LIMIT = 5000
"""Columns with at most this many distinct values get every value counted."""
TOP = 10
QUANTILES = (0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999)

_COLUMN = "__rs_column"
_VALUE = "__rs_value"
_SHAPE = "__rs_shape"


@dataclass(frozen=True, kw_only=True)
class ShapeCount:
    """How many values of a column have one shape, with the smallest and largest such value."""

    shape: str
    count: int
    first: str
    last: str


@dataclass(frozen=True, kw_only=True)
class NumericStats:
    """Statistics of the values that parse as numbers (from the sample)."""

    count: int
    min: float
    max: float
    mean: float
    mad: float
    quantiles: dict[float, float]


@dataclass(frozen=True, kw_only=True)
class ColumnProfile:
    """What one column holds.

    `values` has every distinct value with its count when the column has at most
    `VALUE_LIMIT` of them (else it is empty and `top` is taken from the sample).
    """

    name: str
    dtype: str
    rows: int
    nulls: int
    distinct: int
    distinct_lower: int
    min_length: int | None
    max_length: int | None
    mean_length: float | None
    stray_whitespace: int
    leading_zeros: int
    non_ascii: int
    null_like: dict[str, int]
    shapes: tuple[ShapeCount, ...]
    shape_total: int
    values: dict[str, int] = field(default_factory=dict, repr=False)
    inferred_type: str = "string"
    format: str | None = None
    parse_share: float = 1.0
    numeric: NumericStats | None = None

    @property
    def present(self) -> int:
        """Non-null values that are not null-like tokens."""
        return self.rows - self.nulls - sum(self.null_like.values())

    @property
    def null_share(self) -> float:
        """The share of rows that are null."""
        return self.nulls / self.rows if self.rows else 0.0

    def top(self, n: int = TOP) -> list[tuple[str, int]]:
        """The most frequent values (counted exactly when the column has few of them)."""
        return sorted(self.values.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        present = self.present or 1
        return {
            "name": self.name,
            "dtype": self.dtype,
            "inferred_type": self.inferred_type,
            "format": self.format,
            "parse_share": round(self.parse_share, 6),
            "rows": self.rows,
            "nulls": self.nulls,
            "null_like": self.null_like,
            "distinct": self.distinct,
            "case_variants": self.distinct - self.distinct_lower,
            "top_values": [{"value": v, "count": c} for v, c in self.top()],
            "lengths": {
                "min": self.min_length,
                "max": self.max_length,
                "mean": None if self.mean_length is None else round(self.mean_length, 3),
            },
            "stray_whitespace": self.stray_whitespace,
            "non_ascii": self.non_ascii,
            "leading_zeros": self.leading_zeros,
            "shapes": [
                {
                    "shape": s.shape,
                    "count": s.count,
                    "share": round(s.count / present, 6),
                    "example": s.first,
                }
                for s in self.shapes[:TOP]
            ],
            "distinct_shapes": len(self.shapes),
            "numeric": None
            if self.numeric is None
            else {
                "count": self.numeric.count,
                "min": self.numeric.min,
                "max": self.numeric.max,
                "mean": self.numeric.mean,
                "mad": self.numeric.mad,
                "quantiles": {str(q): v for q, v in self.numeric.quantiles.items()},
            },
        }


def text_exprs(schema: dict[str, Any], null_tokens: Sequence[str]) -> list[nw.Expr]:
    """Every column as text, positionally named ``c0, c1…``; source null tokens become null."""
    exprs = []
    for index, (name, dtype) in enumerate(schema.items()):
        raw = nw.col(name) if dtype == nw.String() else nw.col(name).cast(nw.String())
        text = nw.when(~raw.is_in(list(null_tokens))).then(raw) if null_tokens else raw
        exprs.append(text.alias(f"c{index}"))
    return exprs


def aggregate_exprs(count: int) -> list[nw.Expr]:
    """The first scan: one row of aggregates over columns ``c0…c{count-1}``."""
    exprs: list[nw.Expr] = [nw.len().alias("rows")]
    for index in range(count):
        text = nw.col(f"c{index}")
        length = text.str.len_chars()
        folded = text.str.strip_chars().str.to_lowercase()
        exprs += [
            text.is_null().sum().alias(f"{index}:nulls"),
            text.n_unique().alias(f"{index}:distinct"),
            text.str.to_lowercase().n_unique().alias(f"{index}:distinct_lower"),
            length.min().alias(f"{index}:len_min"),
            length.max().alias(f"{index}:len_max"),
            length.mean().alias(f"{index}:len_mean"),
            (text != text.str.strip_chars()).sum().alias(f"{index}:spaces"),
            (text.str.starts_with("0") & ~text.str.starts_with("0.") & (length > 1))
            .sum()
            .alias(f"{index}:zeros"),
            folded.is_in(list(NULL_LIKE)).sum().alias(f"{index}:null_like"),
            text.str.contains("[^\\x00-\\x7f]").sum().alias(f"{index}:non_ascii"),
        ]
    return exprs


def shape_frame(
    table: nw.LazyFrame[Any], count: int, only: list[str] | None = None
) -> nw.LazyFrame[Any]:
    """Shape counts of the stripped values of every column (or of columns `only`)."""
    long = _long(table, count, only)
    shape = shape_expr(nw.col(_VALUE).str.strip_chars()).alias(_SHAPE)
    return (
        long.with_columns(shape)
        .group_by(_COLUMN, _SHAPE)
        .agg(
            nw.len().alias("n"),
            nw.col(_VALUE).min().alias("first"),
            nw.col(_VALUE).max().alias("last"),
        )
    )


def value_frame(
    table: nw.LazyFrame[Any], count: int, few: list[str], *, only: bool = False
) -> nw.LazyFrame[Any]:
    """The second scan, part two: value counts of columns `few`, and null-like tokens anywhere
    (with `only`, of columns `few` alone)."""
    if only:  # nulls counted too
        chosen = _long(table, count, few or None, nulls=True)
        if not few:
            chosen = chosen.filter(nw.col(_COLUMN).is_null())  # nothing
        return chosen.group_by(_COLUMN, _VALUE).agg(nw.len().alias("n"))
    long = _long(table, count)
    folded = nw.col(_VALUE).str.strip_chars().str.to_lowercase()
    keep = nw.col(_COLUMN).is_in(few) | folded.is_in(list(NULL_LIKE))
    return long.filter(keep).group_by(_COLUMN, _VALUE).agg(nw.len().alias("n"))


def _long(
    table: nw.LazyFrame[Any], count: int, only: list[str] | None = None, *, nulls: bool = False
) -> nw.LazyFrame[Any]:
    names = only if only is not None else [f"c{index}" for index in range(count)]
    long = table.select(names).unpivot(on=names, variable_name=_COLUMN, value_name=_VALUE)
    return long if nulls else long.filter(~nw.col(_VALUE).is_null())


def numeric_stats(values: list[Any]) -> NumericStats | None:
    """Robust statistics of the texts that parse as numbers.

    >>> numeric_stats(["1", "2", "3", "x", "100"]).quantiles[0.5]
    2.5
    """
    import re

    guard = re.compile(FLOAT_GUARD)
    numbers = sorted(
        number
        for value in values
        if isinstance(value, str) and guard.match(value.strip())
        for number in (float(value.strip()),)
        if math.isfinite(number)
    )
    if not numbers:
        return None
    median = _quantile(numbers, 0.5)
    deviations = sorted(abs(number - median) for number in numbers)
    return NumericStats(
        count=len(numbers),
        min=numbers[0],
        max=numbers[-1],
        mean=sum(numbers) / len(numbers),
        mad=_quantile(deviations, 0.5),
        quantiles={q: _quantile(numbers, q) for q in QUANTILES},
    )


def _quantile(ordered: list[float], q: float) -> float:
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def infer_type(
    *,
    shapes: tuple[ShapeCount, ...],
    values: dict[str, int],
    present: int,
    sample: list[str],
) -> tuple[str, str | None, float]:
    """The type most values parse as, its format, and the share of present values that do.

    >>> infer_type(shapes=(ShapeCount(shape="99", count=9, first="10", last="99"),),
    ...            values={}, present=10, sample=[])
    ('int', None, 0.9)
    """
    if present <= 0:
        return "string", None, 1.0
    counts = parse_counts((s.shape, s.count, s.first, s.last) for s in shapes)
    best: tuple[str, str | None, float] = ("string", None, 0.0)
    if counts["int"] >= counts["float"] * 0.999 and counts["int"]:
        best = ("int", None, counts["int"] / present)
    elif counts["float"]:
        best = ("float", None, counts["float"] / present)
    for kind, formats in (("datetime", DATETIME_FORMATS), ("date", DATE_FORMATS)):
        for fmt in formats:
            share = counts[fmt] / present
            if share > best[2] and sample:
                # same shape, but is it a real date? (and which of day/month comes first)
                share *= valid_date_share(sample[:2000], fmt, shaped_only=True)
            if share > best[2]:
                best = (kind, fmt, share)
    if values and len(values) <= 8:
        folded: dict[str, int] = {}
        for value, count in values.items():
            key = value.strip().lower()
            folded[key] = folded.get(key, 0) + count
        words = BOOL_WORDS | {"0", "1"}
        ok = sum(c for v, c in folded.items() if v in words)
        if any(v in BOOL_WORDS for v in folded) and ok / present > best[2]:
            best = ("bool", None, ok / present)
    if best[2] < 0.5:  # text that now and then looks like a number is text
        return "string", None, 1.0
    return best
