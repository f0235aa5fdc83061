"""Table statistics: rows, duplicate rows, candidate keys and approximate functional dependencies.

A table that fits in `sample_rows` rows is profiled in memory, exactly. A larger one is read
twice more: value counts of the columns with few values (exact statistics for them), then a
systematic sample for everything else; what needs rows side by side (duplicates, dependencies,
number quantiles, date validity) always comes from the sample. See docs/suggest.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import narwhals.stable.v2 as nw

from rowsift._names import FIELDS, LINE, PARSE, RAW, ROW, internal_aliases, literal_column
from rowsift.engine import collect_together
from rowsift.exceptions import InputError
from rowsift.io import to_table
from rowsift.profile.columns import (
    DATE_CHECKED,
    VALUE_LIMIT,
    ColumnProfile,
    ShapeCount,
    aggregate_totals,
    infer_type,
    number_stats,
    sampled_texts,
    shape_frame,
    text_exprs,
    value_frame,
)
from rowsift.profile.dependencies import Dependency, find_dependencies
from rowsift.profile.semantics import classify
from rowsift.profile.shapes import id_like, is_null_like, reading_kind, shape_of
from rowsift.profile.types import native_type

_ZERO_PADDED = re.compile(r"^0[0-9]+$")
"""Digits with a leading zero (``007``): a code, never a number (the same test as the scan's)."""
SMALL_IN_HEAD = 1000
"""A column with at most this many distinct values in the first rows gets every value counted."""
DEPENDENCY_ROWS = 20_000
"""Sampled rows looked at for functional dependencies."""
SAMPLE_ROWS = 100_000
"""Rows collected for the statistics that need rows side by side. Past this, a table's rows
only narrow estimates whose margin is already 0.3% (`TableProfile.margin`) while every pass
over the sample, its statistics, the guard and the measuring run grow with them; the columns
with few values are counted exactly over the whole table whatever the sample."""
PYTHON_SAMPLE = 20_000
"""Values per column looked at one by one in Python (number quantiles, date validity)."""


@dataclass(frozen=True, kw_only=True)
class TableProfile:
    """What a table holds: per-column statistics and per-table statistics.

    >>> import polars as pl
    >>> import rowsift
    >>> prof = rowsift.profile_table(pl.DataFrame({"id": ["A1", "A2", "A3"], "n": ["1", "2", ""]}))
    >>> prof.rows, prof.column("n").inferred_type, prof.column("n").nulls, prof.keys
    (3, 'int', 1, [('id',)])
    """

    rows: int
    columns: tuple[ColumnProfile, ...]
    sampled_rows: int
    duplicate_rows: int
    keys: list[tuple[str, ...]]
    dependencies: list[Dependency]
    sample: nw.DataFrame[Any] = field(repr=False, compare=False)
    parse_failures: int = 0
    """Records the reader could not split into the header's fields (counted, not profiled)."""

    def column(self, name: str) -> ColumnProfile:
        """The profile of one column."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def margin(self) -> float:
        """Half-width of a 95% confidence interval on a share measured on the sample.

        0 when the sample is the whole table.
        """
        if self.sampled_rows >= self.rows or self.sampled_rows == 0:
            return 0.0
        finite = math.sqrt((self.rows - self.sampled_rows) / max(self.rows - 1, 1))
        return 1.96 * math.sqrt(0.25 / self.sampled_rows) * finite

    def _repr_html_(self) -> str:
        """Notebooks show the profile as its HTML report, in a sandboxed frame."""
        from rowsift.report.notebook import framed_profile

        return framed_profile(self)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "rows": self.rows,
            "parse_failures": self.parse_failures,
            "sampled_rows": self.sampled_rows,
            "sample_margin_95": round(self.margin, 6),
            "duplicate_rows": self.duplicate_rows,
            "candidate_keys": [list(key) for key in self.keys],
            "dependencies": [dep.to_dict() for dep in self.dependencies],
            "columns": [column.to_dict() for column in self.columns],
        }


def profile_table(
    frame: Any,
    *,
    sample: int | None = None,
    sample_rows: int = SAMPLE_ROWS,
    null_tokens: tuple[str, ...] = ("",),
    dependencies: bool = True,
) -> TableProfile:
    """Profile a table: a Polars or pandas frame, or a lazy table from `rowsift.io.read_table`.

    With `sample`, only about that many rows (every k-th row) are profiled at all;
    `TableProfile.margin` says what that costs in precision. Without `dependencies`, none are
    looked for (`suggest_recipe` looks for them itself, on repaired values).
    """
    ready = isinstance(frame, nw.LazyFrame) and ROW in frame.collect_schema().names()
    table = frame if ready else to_table(frame)[0]
    parse_failures = 0
    if PARSE in table.collect_schema().names():  # records a reader could not parse
        failed = table.filter(~nw.col(PARSE).is_null()).select(nw.len()).collect()
        parse_failures = int(failed.item())
        table = table.filter(nw.col(PARSE).is_null())
    schema = {
        name: dtype
        for name, dtype in table.collect_schema().items()
        if name not in (ROW, LINE, PARSE, RAW, FIELDS)
    }
    if not schema:
        raise InputError(
            "the table has no columns: there is nothing to profile",
            hint="check that the file holds a table (a JSON document of records with fields, "
            "a sheet that is not empty)",
        )
    if sample is not None:
        total = int(table.select(nw.len()).collect().item())
        table = _every_kth(table, total, sample)
    names = list(schema)
    aliases = internal_aliases(names)  # names Polars reads as patterns: see `text_exprs`
    text = table.rename(aliases).select(
        nw.col(ROW),
        *text_exprs({aliases.get(n, n): dtype for n, dtype in schema.items()}, null_tokens),
    )
    head = _in_polars(text.head(sample_rows + 1).collect())
    if len(head) <= sample_rows:  # the whole table fits: profile it in memory, exactly
        whole = head.lazy()
        shapes_frame, values_frame = collect_together(
            [
                shape_frame(whole, len(names)),
                value_frame(whole, len(names), _few(head, names, VALUE_LIMIT)),
            ]
        )
        totals = aggregate_totals(head, len(names))
        rows = int(totals["rows"])
        few = {f"c{i}" for i in range(len(names)) if int(totals[f"{i}:distinct"]) <= VALUE_LIMIT}
        sample_frame = head
        shapes = _grouped_shapes(shapes_frame)
        values = _grouped_values(values_frame)
    else:
        rows, totals, few, shapes, values, sample_frame = _large(text, head, names, sample_rows)
        sample_frame = _in_polars(sample_frame)
    present, numbers = sampled_texts(sample_frame, len(names), PYTHON_SAMPLE)
    sample_frame = sample_frame.rename({f"c{i}": name for i, name in enumerate(names)})
    columns = tuple(
        _column(
            name,
            str(schema[name]),
            index,
            totals,
            shapes.get(f"c{index}", ()),
            values.get(f"c{index}", {}),
            present[index],
            numbers[index],
            few=f"c{index}" in few,
        )
        for index, name in enumerate(names)
    )
    keys: list[tuple[str, ...]] = [
        (column.name,)
        for column in columns
        if column.rows and column.nulls == 0 and column.distinct == column.rows
    ]
    data = sample_frame.select(literal_column(name) for name in names)
    step = max(1, math.ceil(len(data) / DEPENDENCY_ROWS))
    dependency_data = data.gather_every(step) if step > 1 else data
    return TableProfile(
        rows=rows,
        columns=columns,
        sampled_rows=len(sample_frame),
        duplicate_rows=len(data) - len(data.unique()) if names else 0,
        keys=keys,
        dependencies=find_dependencies(dependency_data, columns) if dependencies else [],
        sample=sample_frame,
        parse_failures=parse_failures,
    )


def _in_polars(frame: nw.DataFrame[Any]) -> nw.DataFrame[Any]:
    """The collected rows (a bounded sample) as a Polars frame, whatever engine they came from:
    what is computed on them, and what `suggest_recipe` reads, is then the same everywhere."""
    if frame.implementation is nw.Implementation.POLARS:
        return frame
    import polars as pl

    return nw.from_native(pl.DataFrame(frame.to_arrow()), eager_only=True)


def _few(head: nw.DataFrame[Any], names: list[str], limit: int) -> list[str]:
    """Positional names of the columns with at most `limit` distinct values in `head`."""
    distinct = head.select(nw.col(*[f"c{i}" for i in range(len(names))]).n_unique()).row(0)
    return [f"c{i}" for i, count in enumerate(distinct) if int(count) <= limit]


def _large(
    text: nw.LazyFrame[Any], head: nw.DataFrame[Any], names: list[str], sample_rows: int
) -> tuple[
    int,
    dict[str, Any],
    set[str],
    dict[str, tuple[ShapeCount, ...]],
    dict[str, dict[str, int]],
    nw.DataFrame[Any],
]:
    """A table larger than the sample: two scans, value counts (nulls included) of the columns
    that had few values in the first rows, then a systematic sample. Those columns' statistics
    are exact, from their value counts; the other columns' come from the sample."""
    count = len(names)
    candidates = _few(head, names, SMALL_IN_HEAD)
    nulls: dict[str, int] = {}
    values: dict[str, dict[str, int]] = {}
    if candidates:
        (counted,) = collect_together([value_frame(text, count, candidates, only=True)])
        for column, value, number in counted.iter_rows():
            if value is None:
                nulls[column] = int(number)
            else:
                values.setdefault(column, {})[value] = int(number)
        rows = sum(values.get(candidates[0], {}).values()) + nulls.get(candidates[0], 0)
    else:
        rows = int(text.select(nw.len()).collect().item())
    (sample_frame,) = collect_together([_every_kth(text, rows, sample_rows)])
    few = {c for c in candidates if len(values.get(c, {})) <= VALUE_LIMIT}
    # columns with counted values get exact shapes from them, and the few-valued ones exact
    # totals and null spellings too: only the others need the sample's
    chosen = set(candidates)
    many = [f"c{i}" for i in range(count) if f"c{i}" not in chosen] or None
    counted_apart = [f"c{i}" for i in range(count) if f"c{i}" not in few]
    sampled = collect_together(
        [
            shape_frame(sample_frame.lazy(), count, many),
            value_frame(sample_frame.lazy(), count, [], among=counted_apart or None),
        ]
    )
    sampled_totals = aggregate_totals(
        _in_polars(sample_frame), count, [int(c[1:]) for c in counted_apart]
    )
    scale = rows / max(len(sample_frame), 1)
    totals: dict[str, Any] = {"rows": rows}
    for index in range(count):
        column = f"c{index}"
        if column in few:
            totals.update(_exact_totals(index, values.get(column, {}), nulls.get(column, 0)))
            continue
        for key in ("nulls", "spaces", "zeros", "null_like", "non_ascii"):
            totals[f"{index}:{key}"] = round((sampled_totals[f"{index}:{key}"] or 0) * scale)
        for key in ("distinct", "distinct_lower", "len_min", "len_max", "len_mean"):
            totals[f"{index}:{key}"] = sampled_totals[f"{index}:{key}"]  # distinct: a lower bound
    shapes = _grouped_shapes(sampled[0])
    for column in candidates:
        shapes[column] = shapes_of_values(values.get(column, {}))
    for column, tokens in _grouped_values(sampled[1]).items():
        if column not in few:
            values[column] = _scaled(tokens, int(totals[f"{column[1:]}:null_like"] or 0))
    return rows, totals, few, shapes, values, sample_frame


def _exact_totals(index: int, values: dict[str, int], nulls: int) -> dict[str, Any]:
    """The first scan's aggregates of one column, from its value counts.

    >>> _exact_totals(0, {"a": 2, " b": 1, "NA": 1}, 1)["0:spaces"]
    1
    """
    present = sum(values.values())
    lengths = [(len(value), count) for value, count in values.items()]
    return {
        f"{index}:nulls": nulls,
        f"{index}:distinct": len(values) + (1 if nulls else 0),
        f"{index}:distinct_lower": len({v.lower() for v in values}) + (1 if nulls else 0),
        f"{index}:len_min": min((n for n, _ in lengths), default=None),
        f"{index}:len_max": max((n for n, _ in lengths), default=None),
        f"{index}:len_mean": sum(n * c for n, c in lengths) / present if present else None,
        f"{index}:spaces": sum(c for v, c in values.items() if v != v.strip()),
        f"{index}:zeros": sum(c for v, c in values.items() if _ZERO_PADDED.match(v)),
        f"{index}:null_like": sum(c for v, c in values.items() if is_null_like(v)),
        f"{index}:non_ascii": sum(c for v, c in values.items() if not v.isascii()),
    }


def shapes_of_values(values: dict[str, int]) -> tuple[ShapeCount, ...]:
    """Shape counts from value counts (exact, without another scan).

    >>> [(s.shape, s.count, s.first) for s in shapes_of_values({"b1": 2, "a2": 1, "X": 4})]
    [('A', 4, 'X'), ('a9', 3, 'a2')]
    """
    grouped: dict[str, list[Any]] = {}
    for value, count in values.items():
        shape = shape_of(value.strip())
        found = grouped.setdefault(shape, [0, value, value])
        found[0] += count
        found[1] = min(found[1], value)
        found[2] = max(found[2], value)
    ordered = sorted(grouped.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return tuple(ShapeCount(shape=k, count=v[0], first=v[1], last=v[2]) for k, v in ordered)


def _scaled(tokens: dict[str, int], total: int) -> dict[str, int]:
    """Null-like spellings seen in the sample, with counts scaled to the exact total."""
    seen = sum(tokens.values())
    if not seen or not total:
        return {}
    return {token: max(1, round(count * total / seen)) for token, count in tokens.items()}


def _every_kth(table: nw.LazyFrame[Any], rows: int, limit: int) -> nw.LazyFrame[Any]:
    step = max(1, math.ceil(rows / max(limit, 1)))
    if step == 1:
        return table
    return table.filter(nw.col(ROW) % step == 0)


def _grouped_shapes(frame: nw.DataFrame[Any]) -> dict[str, tuple[ShapeCount, ...]]:
    grouped: dict[str, list[ShapeCount]] = {}
    for column, shape, count, first, last in frame.iter_rows():
        grouped.setdefault(column, []).append(
            ShapeCount(shape=shape, count=int(count), first=first, last=last)
        )
    return {
        column: tuple(sorted(items, key=lambda s: (-s.count, s.shape)))
        for column, items in grouped.items()
    }


def _grouped_values(frame: nw.DataFrame[Any]) -> dict[str, dict[str, int]]:
    grouped: dict[str, dict[str, int]] = {}
    for column, value, count in frame.iter_rows():
        grouped.setdefault(column, {})[value] = int(count)
    return grouped


def _column(
    name: str,
    dtype: str,
    index: int,
    totals: dict[str, Any],
    shapes: tuple[ShapeCount, ...],
    values: dict[str, int],
    present_values: list[str],
    number_texts: list[str],
    *,
    few: bool,
) -> ColumnProfile:
    rows = int(totals["rows"])
    nulls = int(totals[f"{index}:nulls"] or 0)
    null_like = {value: count for value, count in values.items() if is_null_like(value)}
    present = rows - nulls - sum(null_like.values())
    sampled = present_values[:DATE_CHECKED]  # all that infer_type looks at
    native = native_type(dtype)
    if native is not None:  # a typed input column (Parquet, a database) is what it holds
        inferred, fmt, share = native, None, 1.0
    else:
        inferred, fmt, share = infer_type(
            shapes=shapes,
            values=values if few else {},
            present=present,
            sample=sampled,
            null_like=null_like,
        )
    distinct = int(totals[f"{index}:distinct"] or 0) - (1 if nulls else 0)
    distinct_lower = int(totals[f"{index}:distinct_lower"] or 0) - (1 if nulls else 0)
    numeric = number_stats(number_texts) if inferred in ("int", "float") else None
    semantics = classify(
        name=name,
        type_=inferred,
        times_of_day=inferred == "string" and reading_kind(shapes) == "time",
        present=present,
        distinct=int(totals[f"{index}:distinct"] or 0) - (1 if nulls else 0) - len(null_like),
        mean_length=None
        if totals[f"{index}:len_mean"] is None
        else float(totals[f"{index}:len_mean"]),
        id_like_shapes=id_like(shapes),
        zero_padded=int(totals[f"{index}:zeros"] or 0) > 0,
        minimum=None if numeric is None else numeric.min,
        maximum=None if numeric is None else numeric.max,
    )
    return ColumnProfile(
        name=name,
        dtype=dtype,
        rows=rows,
        nulls=nulls,
        distinct=distinct,
        distinct_lower=distinct_lower,
        min_length=_int_or_none(totals[f"{index}:len_min"]),
        max_length=_int_or_none(totals[f"{index}:len_max"]),
        mean_length=None
        if totals[f"{index}:len_mean"] is None
        else float(totals[f"{index}:len_mean"]),
        stray_whitespace=int(totals[f"{index}:spaces"] or 0),
        leading_zeros=int(totals[f"{index}:zeros"] or 0),
        non_ascii=int(totals[f"{index}:non_ascii"] or 0),
        null_like=null_like,
        shapes=shapes,
        shape_total=sum(s.count for s in shapes),
        values=values if few else {},
        inferred_type=inferred,
        format=fmt,
        parse_share=share,
        numeric=numeric,
        semantic=semantics.kind,
        semantic_reason=semantics.reason,
    )


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)
