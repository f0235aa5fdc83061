"""Per-column metrics of one batch: what the store keeps and what drift compares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import narwhals.stable.v2 as nw

from rowsift._names import LINE, REASONS, ROW

Kind = Literal["numeric", "categorical", "temporal", "identifier", "other"]

#: quantile levels every numeric column records: 0, 0.05, ..., 1
QUANTILE_LEVELS: tuple[float, ...] = tuple(i / 20 for i in range(21))
#: the interior quantiles (0.05 … 0.95) of the first batch become the histogram's bin edges
EDGE_LEVELS: tuple[float, ...] = QUANTILE_LEVELS[1:-1]
#: categorical columns keep this many most frequent values with their counts
TOP_VALUES = 50
#: an integer or text column whose values are almost all distinct is an identifier: it is
#: counted, but its distribution is not compared (every batch brings new ids)
IDENTIFIER_SHARE = 0.9
_SKIPPED = (ROW, LINE, REASONS)


@dataclass(frozen=True, kw_only=True)
class Histogram:
    """Counts of non-null values per bin: (-inf, e0], (e0, e1], …, (e_last, +inf)."""

    edges: tuple[float, ...]
    counts: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.counts) != len(self.edges) + 1:
            msg = f"a histogram with {len(self.edges)} edges has {len(self.edges) + 1} bins"
            raise ValueError(msg)


@dataclass(frozen=True, kw_only=True)
class ColumnMetrics:
    """What one batch says about one column.

    >>> m = ColumnMetrics(name="x", dtype="Int64", kind="numeric", rows=4, nulls=1)
    >>> m.null_rate
    0.25
    """

    name: str
    dtype: str
    kind: Kind
    rows: int
    nulls: int
    distinct: int | None = None
    #: `distinct` is an estimate (HyperLogLog, within about 2%), not a count: always for a
    #: float column, and for every column of a batch too large to count them
    distinct_estimated: bool = False
    min: float | str | None = None
    max: float | str | None = None
    mean: float | None = None
    std: float | None = None
    quantiles: tuple[float, ...] = ()
    histogram: Histogram | None = None
    top: tuple[tuple[str, int], ...] = ()
    other: int = 0
    #: the largest count a value missing from `top` can have; None means a measured batch's
    #: exact list, where it is the smallest listed count (a merged list's counts are only
    #: lower bounds, so merging sets it)
    other_max: int | None = None

    @property
    def null_rate(self) -> float:
        """Share of rows whose value is null (0 for an empty batch)."""
        return self.nulls / self.rows if self.rows else 0.0

    @property
    def unlisted_max(self) -> int:
        """The largest count a value missing from `top` can have (0 when `top` is complete)."""
        if self.complete:
            return 0
        if self.other_max is not None:
            return min(self.other_max, self.other)
        return min(min((count for _, count in self.top), default=self.other), self.other)

    @property
    def complete(self) -> bool:
        """True when `top` lists every distinct value (nothing was cut off into `other`)."""
        return self.other == 0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        data: dict[str, Any] = {
            "dtype": self.dtype,
            "kind": self.kind,
            "rows": self.rows,
            "nulls": self.nulls,
            "distinct": self.distinct,
        }
        if self.distinct_estimated:
            data["distinct_estimated"] = True
        if self.kind == "numeric":
            data |= {
                "min": self.min,
                "max": self.max,
                "mean": self.mean,
                "std": self.std,
                "quantiles": list(self.quantiles),
            }
            if self.histogram is not None:
                data["histogram"] = {
                    "edges": list(self.histogram.edges),
                    "counts": list(self.histogram.counts),
                }
        elif self.kind in ("temporal", "identifier"):
            data |= {"min": self.min, "max": self.max}
        if self.kind == "categorical":
            data |= {"top": [[value, count] for value, count in self.top], "other": self.other}
            if self.other_max is not None:
                data["other_max"] = self.other_max
        return data

    @classmethod
    def from_dict(cls, name: str, data: Mapping[str, Any]) -> ColumnMetrics:
        """The inverse of `to_dict`."""
        histogram = data.get("histogram")
        return cls(
            name=name,
            dtype=str(data["dtype"]),
            kind=data["kind"],
            rows=int(data["rows"]),
            nulls=int(data["nulls"]),
            distinct=data.get("distinct"),
            distinct_estimated=bool(data.get("distinct_estimated", False)),
            min=data.get("min"),
            max=data.get("max"),
            mean=data.get("mean"),
            std=data.get("std"),
            quantiles=tuple(data.get("quantiles") or ()),
            histogram=Histogram(
                edges=tuple(histogram["edges"]), counts=tuple(int(c) for c in histogram["counts"])
            )
            if histogram
            else None,
            top=tuple((str(value), int(count)) for value, count in data.get("top") or ()),
            other=int(data.get("other") or 0),
            other_max=None if data.get("other_max") is None else int(data["other_max"]),
        )


@dataclass(frozen=True, kw_only=True)
class BatchMetrics:
    """The metrics of every column of one batch (in the frame's column order)."""

    rows: int
    columns: dict[str, ColumnMetrics] = field(default_factory=dict)

    @property
    def schema(self) -> dict[str, str]:
        """Column name → data type."""
        return {name: column.dtype for name, column in self.columns.items()}

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "rows": self.rows,
            "columns": {name: column.to_dict() for name, column in self.columns.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BatchMetrics:
        """The inverse of `to_dict`."""
        return cls(
            rows=int(data["rows"]),
            columns={
                name: ColumnMetrics.from_dict(name, column)
                for name, column in data["columns"].items()
            },
        )


def bin_edges(metrics: BatchMetrics) -> dict[str, tuple[float, ...]]:
    """The histogram edges a batch fixes for later batches: column → edges."""
    return {
        name: column.histogram.edges
        for name, column in metrics.columns.items()
        if column.histogram is not None
    }


def column_kind(dtype: Any, *, non_null: int, distinct: int | None) -> Kind:
    """Which comparisons suit a column, from its type and how many distinct values it has."""
    if dtype.is_numeric() and dtype != nw.Boolean:
        many = distinct is not None and non_null >= 20 and distinct >= IDENTIFIER_SHARE * non_null
        return "identifier" if dtype.is_integer() and many else "numeric"
    if dtype.is_temporal():
        return "temporal"
    if dtype in (nw.String, nw.Categorical, nw.Enum, nw.Boolean):
        many = distinct is not None and non_null >= 20 and distinct >= IDENTIFIER_SHARE * non_null
        return "identifier" if many and (distinct or 0) > TOP_VALUES else "categorical"
    return "other"


def measured_columns(names: Sequence[str]) -> list[str]:
    """The columns a batch's metrics cover: every data column, none of rowsift's own."""
    return [name for name in names if name not in _SKIPPED and not name.startswith("_rowsift_")]
