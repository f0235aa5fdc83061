"""Column statistics: what each column holds, as engine expressions.

`aggregate_exprs` aggregates every column at once (nulls, distinct values, lengths, whitespace,
leading zeros, null-like tokens); `shape_frame` and `value_frame` unpivot the table into
(column, value) pairs and count shapes, and values of the columns with few distinct values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import narwhals.stable.v2 as nw
from rapidfuzz.distance import OSA

from rowsift.engine.parse import FLOAT_GUARD
from rowsift.profile.shapes import (
    LONGEST_NULL,
    NULL_LIKE,
    PYTHON_SPACES,
    shape_expr,
    shape_of,
)
from rowsift.profile.types import (
    BOOL_WORDS,
    DATE_FORMATS,
    DATETIME_FORMATS,
    FLOAT_DIGITS,
    exact_float,
    opaque,
    parse_counts,
    valid_date_share,
)

VALUE_LIMIT = 5000
"""Columns with at most this many distinct values get every value counted."""
TOP = 10
DATE_CHECKED = 2000
"""Sampled values checked for real calendar dates."""
QUANTILES = (0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999)

ODD_SHAPE_MAX = 2
"""A value of an odd shape seen more often than this is a category, not a slip."""
EDIT_TYPO_SHARE = 0.01
"""A value seen more than twice and on more than this share of a column is a spelling in use,
never a slip of the keyboard (``unemployed`` beside ``employed``, ``master+`` beside
``master``)."""


def in_use(count: int, total: int) -> bool:
    """Whether a value (or a shape) seen `count` times among `total` is one in use: more than
    `ODD_SHAPE_MAX` times and on more than `EDIT_TYPO_SHARE` of them, a way of writing people
    use, never a slip: not a typo (`rowsift.suggest.sets.find_typos`), not an error of a column
    of clothed numbers (`rowsift.suggest.numbers`), not a slipped date (`leftovers_are_errors`,
    `rowsift.suggest.dates`).

    >>> in_use(3, 100), in_use(3, 1000), in_use(2, 10)
    (True, False, False)
    """
    return count > max(ODD_SHAPE_MAX, EDIT_TYPO_SHARE * total)


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
    semantic: str = "categorical"
    """The column's semantic class (`rowsift.profile.semantics`), which decides its rules."""
    semantic_reason: str = ""

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
            "semantic": self.semantic,
            "semantic_reason": self.semantic_reason,
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
    exprs: list[nw.Expr] = []
    for index, (name, dtype) in enumerate(schema.items()):
        if opaque(str(dtype)):  # nested values, bytes, durations: their nulls only
            exprs.append(nw.when(~nw.col(name).is_null()).then(nw.lit(OPAQUE)).alias(f"c{index}"))
            continue
        raw = nw.col(name) if dtype == nw.String() else nw.col(name).cast(nw.String())
        text = nw.when(~raw.is_in(list(null_tokens))).then(raw) if null_tokens else raw
        exprs.append(text.alias(f"c{index}"))
    return exprs


OPAQUE = "…"
"""The text that stands for every present value of an opaque column (`types.opaque`)."""


AGGREGATE_CHUNK = 64
"""Columns aggregated per query: a query of thousands of aggregates costs more than its parts."""


def aggregate_totals(
    frame: nw.DataFrame[Any], count: int, indices: Sequence[int] | None = None
) -> dict[str, Any]:
    """Every column's aggregates (`aggregate_exprs`) on rows in memory, `AGGREGATE_CHUNK`
    columns at a time, so the cost grows linearly with the table's width (with `indices`,
    only those columns' aggregates)."""
    chosen = list(range(count)) if indices is None else list(indices)
    totals: dict[str, Any] = {"rows": len(frame)}
    for start in range(0, len(chosen), AGGREGATE_CHUNK):
        chunk = chosen[start : start + AGGREGATE_CHUNK]
        # the chunk's columns taken out first: a query on a frame of thousands of columns
        # plans over all of them
        columns = frame[[f"c{index}" for index in chunk]]
        totals.update(columns.select(aggregate_exprs(chunk)).rows(named=True)[0])
    return totals


def aggregate_exprs(indices: Sequence[int]) -> list[nw.Expr]:
    """One row of aggregates over columns ``c{index}``, named ``{index}:{statistic}``.

    Each statistic is one expression over all the columns at once, so building the query costs
    about the same for 10 columns as for 1,000.
    """
    if not indices:
        return [nw.len().alias("rows")]
    text = nw.col(*[f"c{index}" for index in indices])
    length = text.str.len_chars()
    folded = text.str.strip_chars().str.to_lowercase()
    statistics = {
        "nulls": text.is_null().sum(),
        "distinct": text.n_unique(),
        "distinct_lower": text.str.to_lowercase().n_unique(),
        "len_min": length.min(),
        "len_max": length.max(),
        "len_mean": length.mean(),
        # one chain per statistic: narwhals combines multi-column expressions only one by one
        "spaces": text.str.contains(r"^\s|\s$").sum(),
        "zeros": text.str.contains(r"^0[0-9]+$").sum(),
        "null_like": folded.is_in(list(NULL_LIKE)).sum(),
        "non_ascii": text.str.contains("[^\\x00-\\x7f]").sum(),
    }
    return [expr.name.map(_named(key)) for key, expr in statistics.items()]


def _named(key: str) -> Callable[[str], str]:
    """``c7`` → ``7:{key}``: the name of one statistic of one column."""

    def name(column: str) -> str:
        return f"{column[1:]}:{key}"

    return name


def shape_frame(
    table: nw.LazyFrame[Any], count: int, only: list[str] | None = None
) -> nw.LazyFrame[Any]:
    """Shape counts of the stripped values of every column (or of columns `only`).

    Each distinct value is shaped once: the shape's regular expressions cost more than
    counting the values first (most columns repeat their values).
    """
    counted = _long(table, count, only).group_by(_COLUMN, _VALUE).agg(nw.len().alias("n"))
    shape = shape_expr(nw.col(_VALUE).str.strip_chars()).alias(_SHAPE)
    return (
        counted.with_columns(shape)
        .group_by(_COLUMN, _SHAPE)
        .agg(
            nw.col("n").sum().alias("n"),
            nw.col(_VALUE).min().alias("first"),
            nw.col(_VALUE).max().alias("last"),
        )
    )


def value_frame(
    table: nw.LazyFrame[Any],
    count: int,
    few: list[str],
    *,
    only: bool = False,
    among: list[str] | None = None,
) -> nw.LazyFrame[Any]:
    """The second scan, part two: value counts of columns `few`, and null-like tokens anywhere
    (with `only`, of columns `few` alone; with `among`, null-like tokens of those columns)."""
    if only:  # nulls counted too
        chosen = _long(table, count, few or None, nulls=True)
        if not few:
            chosen = chosen.filter(nw.col(_COLUMN).is_null())  # nothing
        return chosen.group_by(_COLUMN, _VALUE).agg(nw.len().alias("n"))
    long = _long(table, count, among)
    folded = nw.col(_VALUE).str.strip_chars().str.to_lowercase()
    keep = nw.col(_COLUMN).is_in(few) | folded.is_in(list(NULL_LIKE))
    return long.filter(keep).group_by(_COLUMN, _VALUE).agg(nw.len().alias("n"))


def _long(
    table: nw.LazyFrame[Any], count: int, only: list[str] | None = None, *, nulls: bool = False
) -> nw.LazyFrame[Any]:
    names = only if only is not None else [f"c{index}" for index in range(count)]
    long = table.select(names).unpivot(on=names, variable_name=_COLUMN, value_name=_VALUE)
    return long if nulls else long.filter(~nw.col(_VALUE).is_null())


_FLOAT = re.compile(FLOAT_GUARD)


def plain_number(value: Any) -> float | None:
    """A text as the number statistics read it: a finite number by the float cast's guard, or
    None.

    >>> plain_number(" 2.5 "), plain_number("1e3"), plain_number("nan"), plain_number("$5")
    (2.5, 1000.0, None, None)
    """
    if not isinstance(value, str) or not _FLOAT.match(value.strip()):
        return None
    number = float(value.strip())
    return number if math.isfinite(number) else None


def numeric_stats(values: list[Any]) -> NumericStats | None:
    """Robust statistics of the texts that parse as numbers (`plain_number`).

    >>> numeric_stats(["1", "2", "3", "x", "100"]).quantiles[0.5]
    2.5
    """
    numbers = sorted(number for value in values if (number := plain_number(value)) is not None)
    return _ordered_stats(numbers)


def sampled_texts(
    frame: nw.DataFrame[Any], count: int, limit: int
) -> tuple[list[list[str]], list[list[str]]]:
    """The sampled texts of columns ``c0…`` that heuristics read value by value: at most about
    `limit` per column, spread evenly across the rows (not just the first), as two lists per
    column: the texts neither null nor a null spelling (`rowsift.profile.shapes.present_strings`,
    computed by the engine), and the texts the
    float cast's guard reads as numbers (what `number_stats` takes).

    One query reads every column, however wide the table: a query per column costs more than
    its values on a wide table of few rows. A null spelling never reads as a finite number, so
    the numbers are those of the present texts.

    >>> import polars as pl
    >>> frame = nw.from_native(pl.DataFrame({"c0": ["1", " N/A", None, "x 2", " 3 "]}))
    >>> sampled_texts(frame, 1, 100)
    ([['1', 'x 2', ' 3 ']], [['1', ' 3 ']])
    """
    names = [f"c{index}" for index in range(count)]
    if not names:
        return [], []
    step = max(1, math.ceil(len(frame) / max(limit, 1)))
    spread = frame.select(names)
    spread = spread.gather_every(step) if step > 1 else spread
    # one column of every column's texts, one after the other: one expression flags them all
    text = nw.col("text")
    stripped = text.str.strip_chars(PYTHON_SPACES)
    present = (stripped.str.len_chars() > 0) & (
        (text.str.len_chars() > LONGEST_NULL) | ~stripped.str.to_lowercase().is_in(NULL_LIKE)
    )
    flagged = (
        spread.unpivot(on=names, variable_name="column", value_name="text")
        .select(text, present.alias("present"), stripped.str.contains(FLOAT_GUARD).alias("number"))
        .to_dict(as_series=False)
    )
    height = len(spread)
    texts, present_flags, number_flags = (flagged[key] for key in ("text", "present", "number"))
    parts = [slice(index * height, (index + 1) * height) for index in range(count)]
    return (
        [_flagged(texts[part], present_flags[part]) for part in parts],
        [_flagged(texts[part], number_flags[part]) for part in parts],
    )


def _flagged(texts: list[Any], flags: list[bool | None]) -> list[str]:
    """The texts whose flag is set (a null text's flag is null)."""
    return [text for text, flag in zip(texts, flags, strict=True) if flag]


def number_stats(number_texts: list[str]) -> NumericStats | None:
    """`numeric_stats` of texts the float cast's guard already passed (`sampled_texts`).

    >>> number_stats(["1", " 2 ", "3", "100", "1e999"]).quantiles[0.5]
    2.5
    """
    return _ordered_stats(
        sorted(number for text in number_texts if math.isfinite(number := float(text.strip())))
    )


def _ordered_stats(numbers: list[float]) -> NumericStats | None:
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
    null_like: dict[str, int] | None = None,
) -> tuple[str, str | None, float]:
    """The type that explains the column's values, its format, and the share of present values
    that parse as it.

    A type is kept only when what does not parse is explained as errors, not as a second kind
    of value (`leftovers_are_errors`): a status column whose letter codes repeat stays text,
    even when 89% of its values are numbers.

    >>> infer_type(shapes=(ShapeCount(shape="99", count=9, first="10", last="99"),),
    ...            values={}, present=9, sample=[])
    ('int', None, 1.0)
    >>> infer_type(shapes=(ShapeCount(shape="99", count=90, first="10", last="99"),
    ...                    ShapeCount(shape="AAAA", count=10, first="NMAA", last="OUTP")),
    ...            values={}, present=100, sample=[])
    ('string', None, 1.0)
    """
    if present <= 0:
        return "string", None, 1.0
    shapes = _without_null_like(shapes, null_like or {})
    counts = parse_counts((s.shape, s.count, s.first, s.last) for s in shapes)
    best: tuple[str, str | None, float] = ("string", None, 0.0)
    if counts["int"] and counts["int"] >= counts["float"]:
        best = ("int", None, counts["int"] / present)
    elif counts["float"]:
        best = ("float", None, counts["float"] / present)
    for kind, formats in (("datetime", DATETIME_FORMATS), ("date", DATE_FORMATS)):
        for fmt in formats:
            share = counts[fmt] / present
            if share > best[2] and sample:
                # same shape, but is it a real date? (and which of day/month comes first)
                share *= valid_date_share(sample[:DATE_CHECKED], fmt, shaped_only=True)
            if share > best[2]:
                best = (kind, fmt, share)
    if values and len(values) <= 8:
        folded: dict[str, int] = {}
        for value, count in values.items():
            key = value.strip().lower()
            folded[key] = folded.get(key, 0) + count
        words = BOOL_WORDS | {"0", "1"}
        ok = sum(c for v, c in folded.items() if v in words)
        if any(v in BOOL_WORDS for v in folded) and ok >= present:
            best = ("bool", None, ok / present)
    if best[0] == "string" or best[2] < 1 - NEAR_MISS_SHARE:  # text that now and then parses
        return "string", None, 1.0
    if best[0] == "float" and not all(map(_kept_by_float, sample)):
        return "string", None, 1.0  # a float would change a value: text keeps it exactly
    if not leftovers_are_errors(best[0], best[1], shapes, sum(s.count for s in shapes)):
        return "string", None, 1.0
    return best


def _kept_by_float(value: str) -> bool:
    """Whether a float column keeps this value: a short number, one a float reads exactly, or
    no number at all (the type's error, not a value it changes)."""
    if sum(c.isdigit() for c in value) <= FLOAT_DIGITS:
        return True
    try:
        float(value)
    except ValueError:
        return True
    return exact_float(value)


_REPEATED_MARK = re.compile(r"([.,+-])\1+")


def _near_miss(shape: str, kind: str) -> bool:
    """Whether a shape is a number broken by a doubled or stray mark (``99..99``, ``..9999``,
    ``9999..``, or only marks left: ``..``): the same characters in a broken arrangement. A
    second format (``99999-9999``) or anything with letters is not.

    >>> _near_miss("99..99", "float"), _near_miss("..9999", "float")
    (True, True)
    >>> _near_miss("99999-9999", "int"), _near_miss("..", "float"), _near_miss("-", "int")
    (False, True, False)
    """
    if kind not in ("int", "float") or any(c.isalpha() for c in shape):
        return False
    if shape and all(c in ".," for c in shape):
        return True  # the marks of a number whose digits are gone (``..``)
    mended = _REPEATED_MARK.sub(r"\1", shape).strip(".,")
    return mended != shape and bool(re.match(FLOAT_GUARD, mended))


DATE_SLIPS = 2
"""A date or datetime shape this many edits from the usual one is a slip of it
(``9999-99-999 99:99:99``, ``9999-99-99 99;99:99``, ``9999-99-99 A9:99:99``), not a second
format."""


def _broken_date(shape: str, kind: str, usual: str) -> bool:
    """Whether a shape is the column's usual date or datetime shape with a character slipped,
    doubled or dropped (a second format, ``9/9/9999`` beside ``9999-99-99``, is not).

    >>> _broken_date("9999-99-999 99:99:99", "datetime", "9999-99-99 99:99:99")
    True
    >>> _broken_date("9/9/9999", "date", "9999-99-99"), _broken_date("9999", "date", "9999-99-99")
    (False, False)
    """
    if kind not in ("date", "datetime") or not usual:
        return False
    return OSA.distance(shape, usual, score_cutoff=DATE_SLIPS) <= DATE_SLIPS


def _without_null_like(
    shapes: tuple[ShapeCount, ...], null_like: dict[str, int]
) -> tuple[ShapeCount, ...]:
    """Shape counts without the null spellings (``NA`` is no letter code)."""
    if not null_like:
        return shapes
    spelled: dict[str, int] = {}
    for token, count in null_like.items():
        key = shape_of(token.strip())
        spelled[key] = spelled.get(key, 0) + count
    kept = []
    for shape in shapes:
        count = shape.count - spelled.get(shape.shape, 0)
        if count > 0:
            kept.append(
                ShapeCount(shape=shape.shape, count=count, first=shape.first, last=shape.last)
            )
    return tuple(kept)


NEAR_MISS_SHARE = 0.2
"""At most this share of values may be near misses of a type (``11..77`` among decimals)."""


def leftovers_are_errors(
    kind: str, fmt: str | None, shapes: tuple[ShapeCount, ...], present: int
) -> bool:
    """Whether the values that do not parse as `kind` look like errors, not a second population.

    Values without letters (``11..77``, ``1,5``) are near misses of a number or a date: errors,
    up to `NEAR_MISS_SHARE` of the column. Values with letters are foreign: at most one of
    them per thousand values (at least one), each seen once, else they are a population of
    their own (letter codes in a status column) and the column is text.

    >>> shapes = (ShapeCount(shape="9.9", count=999, first="1.5", last="9.9"),
    ...           ShapeCount(shape="aaa", count=1, first="abc", last="abc"))
    >>> leftovers_are_errors("float", None, shapes, 1000)
    True
    """
    if kind == "bool":  # every value is a yes/no word: checked on the value counts
        return True
    foreign = near = 0
    typed = []
    others = []
    for shape in shapes:
        counted = parse_counts([(shape.shape, shape.count, shape.first, shape.last)])
        key = fmt if fmt is not None else kind
        if counted.get(key, 0) or (kind == "float" and counted["int"]):
            typed.append(shape)
        else:
            others.append(shape)
    usual = max(typed, key=lambda s: s.count).shape if typed else ""
    for shape in others:
        slipped = _broken_date(shape.shape, kind, usual) and not in_use(shape.count, present)
        if _near_miss(shape.shape, kind) or slipped:
            near += shape.count
        else:
            if shape.count > 1 or shape.first != shape.last:
                return False  # a repeated foreign value, or several of one shape
            foreign += shape.count
    return foreign <= max(1, present // 1000) and near <= NEAR_MISS_SHARE * present
