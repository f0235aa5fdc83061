"""The prediction log as a typed Polars frame: read, joined with late labels, text made typed."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import narwhals.stable.v2 as nw
import polars as pl

from rowsift.exceptions import InputError, UsageError

#: a text column is read as numbers when at least this share of its values parse as numbers
NUMERIC_SHARE = 0.95


def read_log(table: Any, what: str) -> tuple[pl.DataFrame, int]:
    """A frame, or a file read as text columns, without the records that could not be split.

    Returns the eager Polars frame and how many records were left out.
    """
    if not isinstance(table, str | Path):
        return to_polars(table, what), 0
    from rowsift._names import PARSE
    from rowsift.io import read_table
    from rowsift.recipe import SourceSpec

    frame = read_table(Path(table), SourceSpec()).collect()
    if PARSE not in frame.columns:
        return cast(pl.DataFrame, frame.to_native()), 0
    broken = int((~frame[PARSE].is_null()).sum())
    kept = frame.filter(nw.col(PARSE).is_null()).drop(PARSE)
    return cast(pl.DataFrame, kept.to_native()), broken


def to_polars(frame: Any, what: str) -> pl.DataFrame:
    """Any frame as an eager Polars frame: this module works on whole windows in memory."""
    if isinstance(frame, pl.LazyFrame):
        return frame.collect()
    if isinstance(frame, pl.DataFrame):
        return frame
    try:
        wrapped = (
            nw.from_native(frame) if not isinstance(frame, nw.DataFrame | nw.LazyFrame) else frame
        )
    except TypeError:
        raise UsageError(
            f"the {what} is a {type(frame).__name__}, not a data frame",
            hint="pass a Polars or pandas frame",
        ) from None
    if isinstance(wrapped, nw.LazyFrame):
        return cast(pl.DataFrame, wrapped.collect(backend="polars").to_native())
    return wrapped.to_polars()


def require(names: Sequence[str], wanted: Sequence[str]) -> None:
    """Every wanted column is present; else a usage error that suggests the nearest names."""
    missing = [name for name in wanted if name not in names]
    if not missing:
        return
    visible = [n for n in names if not n.startswith("_rowsift_")]
    hints = []
    for name in missing:
        close = difflib.get_close_matches(name, visible, n=1)
        hints.append(f"{name!r}: did you mean {close[0]!r}?" if close else f"{name!r}: not found")
    raise UsageError(
        f"the log lacks column(s) {', '.join(repr(m) for m in missing)}; "
        + (f"it has {', '.join(repr(n) for n in visible)}" if visible else "it has no columns"),
        hint="; ".join(hints),
    )


def join_labels(frame: pl.DataFrame, labels: pl.DataFrame, *, id: str, label: str) -> pl.DataFrame:
    """The log with the labels table's label of each id (the last one if an id has several)."""
    require(frame.columns, [id])
    try:
        require(labels.columns, [id, label])
    except UsageError as exc:
        raise UsageError(
            exc.message.replace("the log", "the labels table"), hint=exc.hint
        ) from None
    arrived = labels.select(id, label).filter(pl.col(label).is_not_null())
    arrived = arrived.unique(subset=[id], keep="last", maintain_order=True)
    if frame.schema[id] != arrived.schema[id]:  # e.g. ids read as text on one side only
        frame = frame.with_columns(pl.col(id).cast(pl.String))
        arrived = arrived.with_columns(pl.col(id).cast(pl.String))
    joined = "_rowsift_arrived"
    arrived = arrived.rename({label: joined})
    merged = frame.join(arrived, on=id, how="left", maintain_order="left")
    if label in frame.columns:
        own, new = merged.schema[label], merged.schema[joined]
        if own != new:
            merged = merged.with_columns(pl.col(label, joined).cast(pl.String))
        return merged.with_columns(pl.coalesce(joined, label).alias(label)).drop(joined)
    return merged.rename({joined: label})


def typed(
    frame: pl.DataFrame,
    *,
    timestamp: str | None,
    labels: Sequence[str],
    scores: Sequence[str],
    features: Sequence[str],
) -> pl.DataFrame:
    """Text columns as the types they hold: a file read as text gives every column as text."""
    schema = frame.schema
    exprs: list[pl.Expr | pl.Series] = []
    if timestamp is not None:
        exprs.append(_timestamp(frame, timestamp))
    for name in scores:
        if schema[name] == pl.String:
            numbers = pl.col(name).str.strip_chars().cast(pl.Float64, strict=False)
            exprs.append(numbers)
        elif not schema[name].is_numeric():
            raise InputError(
                f"the score column {name!r} holds {schema[name]}, not numbers",
                hint="the score is the model's probability or confidence of the positive class",
            )
    for name in dict.fromkeys([*labels, *features]):
        if name in (timestamp, *scores) or schema[name] != pl.String:
            continue
        if _numeric_share(frame, name) >= NUMERIC_SHARE:
            exprs.append(_numbers(frame, name, whole=name in labels))
    typed = frame.with_columns(exprs) if exprs else frame
    for name in scores:
        if typed.get_column(name).drop_nans().null_count() == typed.height and typed.height:
            raise InputError(
                f"the score column {name!r} has no values that parse as numbers",
                hint="check --score: it names the column of probabilities or confidences",
            )
    return typed


def _numbers(frame: pl.DataFrame, name: str, *, whole: bool) -> pl.Series:
    """A text column as numbers: whole numbers as integers when `whole` (classes 0 and 1)."""
    numbers = frame.get_column(name).str.strip_chars().cast(pl.Float64, strict=False)
    present = numbers.drop_nulls().drop_nans()
    if whole and bool((present == present.round(0)).all()) and bool((present.abs() < 2**53).all()):
        return numbers.cast(pl.Int64)
    return numbers


def _numeric_share(frame: pl.DataFrame, name: str) -> float:
    text = frame.get_column(name).drop_nulls().str.strip_chars()
    text = text.filter(text != "")
    if text.len() == 0:
        return 0.0
    return 1.0 - text.cast(pl.Float64, strict=False).null_count() / text.len()


def _timestamp(frame: pl.DataFrame, name: str) -> pl.Expr:
    """The timestamp as a naive datetime (zoned values in UTC), parsed leniently from text."""
    dtype = frame.schema[name]
    col = pl.col(name)
    if isinstance(dtype, pl.Datetime):
        return (
            col.dt.convert_time_zone("UTC").dt.replace_time_zone(None) if dtype.time_zone else col
        )
    if dtype == pl.Date:
        return col.cast(pl.Datetime("us"))
    if dtype != pl.String:
        raise UsageError(
            f"the timestamp column {name!r} holds {dtype}, not dates or times",
            hint="give the column of prediction times, or windows by rows (e.g. --window 10000)",
        )
    text = col.str.strip_chars()
    parsed = pl.coalesce(
        text.str.to_datetime(strict=False, time_unit="us"),
        text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%z", strict=False, time_unit="us")
        .dt.convert_time_zone("UTC")
        .dt.replace_time_zone(None),
        text.str.to_datetime("%Y-%m-%d %H:%M:%S%.f%z", strict=False, time_unit="us")
        .dt.convert_time_zone("UTC")
        .dt.replace_time_zone(None),
        text.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us")),
        text.str.to_date("%Y/%m/%d", strict=False).cast(pl.Datetime("us")),
    )
    result = frame.select(parsed.alias(name))
    if frame.height and result.get_column(name).null_count() == frame.height:
        sample = frame.get_column(name).drop_nulls().head(1).to_list()
        raise InputError(
            f"no value of the timestamp column {name!r} parses as a date or time"
            + (f" (e.g. {sample[0]!r})" if sample else ""),
            hint="write timestamps as ISO 8601, e.g. 2026-03-04T10:15:00",
        )
    return parsed.alias(name)
