"""pandas (Arrow-backed): lenient parsing with pyarrow kernels and pandas' date parser;
first occurrences by `duplicated`, group sizes by `groupby`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from rowsift.engines.protocol import BOOL_TRIM, FALSE_TOKENS, TRUE_TOKENS, ParseJob, SeenBeforeJob
from rowsift.rules.rowset import GroupStat


def _arrow(series: pd.Series[Any]) -> Any:
    return pa.array(series, from_pandas=True, type=pa.string())


def _to_int(text: Any) -> Any:
    try:
        return pc.cast(text, pa.int64())
    except (pa.ArrowInvalid, OverflowError):  # out of range: judge value by value
        limit = 2**63
        values = [
            int(v) if v is not None and -limit <= int(v) < limit else None for v in text.to_pylist()
        ]
        return pa.array(values, type=pa.int64())


def _to_float(text: Any) -> Any:
    try:
        return pc.cast(text, pa.float64())
    except pa.ArrowInvalid:  # a spelling Arrow does not read: judge value by value
        values = []
        for item in text.to_pylist():
            try:
                values.append(None if item is None else float(item))
            except ValueError:
                values.append(None)
        return pa.array(values, type=pa.float64())


def _to_decimal(text: Any, precision: int, scale: int) -> Any:
    values = []
    for item in text.to_pylist():
        try:
            values.append(None if item is None else Decimal(item))
        except InvalidOperation:
            values.append(None)
    return pa.array(values, type=pa.decimal128(precision, scale))


def _parsed(series: pd.Series[Any], job: ParseJob) -> pd.Series[Any]:
    if job.type in ("date", "datetime"):
        # utc=True reads values with different offsets (as UTC); without an offset, no shift
        stamps = pd.to_datetime(series, format=job.format, errors="coerce", utc=True)
        stamps = stamps.dt.tz_localize(None)
        arrow = pa.array(stamps, from_pandas=True, type=pa.timestamp("us"))
        if job.type == "date":
            arrow = pc.cast(arrow, pa.date32())
    else:
        text = _arrow(series)
        if job.type == "int":
            arrow = _to_int(text)
        elif job.type == "float":
            arrow = pc.add(_to_float(text), 0.0)
        elif job.type == "bool":
            folded = pc.utf8_lower(pc.utf8_trim(text, characters=BOOL_TRIM))
            truth = pa.array(TRUE_TOKENS)
            falsity = pa.array(FALSE_TOKENS)
            none = pa.scalar(None, type=pa.bool_())
            arrow = pc.if_else(
                pc.is_in(folded, value_set=truth),
                True,
                pc.if_else(pc.is_in(folded, value_set=falsity), False, none),
            )
        else:
            arrow = _to_decimal(text, job.precision, job.scale)
    return pd.Series(pd.arrays.ArrowExtensionArray(arrow), index=series.index)


def parse_columns(native: Any, jobs: Sequence[ParseJob]) -> Any:
    """Add each job's typed column."""
    return native.assign(**{job.target: _parsed(native[job.source], job) for job in jobs})


def seen_before(native: Any, jobs: Sequence[SeenBeforeJob]) -> Any:
    """``DataFrame.duplicated(keep="first")`` on each job's keys, which treats missing values as
    equal.

    Rows are judged in ``_rowsift_row`` order by position, so the index (which may repeat, as
    in a Dask partition) plays no part. Only the key columns are reordered, and only when the
    rows are not in order already (a file read by pandas is; a shuffled Dask partition is not):
    reordering the whole judged frame cost more than marking the repeats.
    """
    import numpy as np

    rows = native["_rowsift_row"].to_numpy()
    in_order = bool((rows[1:] >= rows[:-1]).all())
    order = None if in_order else np.argsort(rows, kind="stable")
    marks = {}
    for job in jobs:
        keys = native[list(job.keys)]
        if order is None:
            marks[job.target] = keys.duplicated(keep="first").to_numpy()
            continue
        repeated = np.empty(len(native), dtype=bool)
        repeated[order] = keys.iloc[order].duplicated(keep="first").to_numpy()
        marks[job.target] = repeated
    return native.assign(**marks)


def group_stats(native: Any, stats: Sequence[GroupStat]) -> Any:
    """Each stat by ``groupby(dropna=False)``, which puts null keys in one group.

    Computed on a positional index, so an index that repeats (as in a Dask partition) plays
    no part; a count is always Arrow ``int64``, a maximum keeps its column's type.
    """
    keys = {key for stat in stats for key in stat.keys}
    positional = native.reset_index(drop=True)
    positional = positional.assign(**{key: _one_chunk(positional[key]) for key in keys})
    columns = {}
    for stat in stats:
        grouped = positional.groupby(list(stat.keys), dropna=False, sort=False)[stat.column]
        dtype = "int64[pyarrow]" if stat.how == "count" else positional[stat.column].dtype
        columns[stat.target] = grouped.transform(stat.how).astype(dtype).array
    return native.assign(**columns)


def _one_chunk(series: pd.Series[Any]) -> Any:
    """An Arrow-backed column in one chunk: pandas groups an Arrow column by dictionary-encoding
    each chunk, and pyarrow cannot merge those dictionaries when they hold a null (as the
    chunks a Dask shuffle concatenates do)."""
    if not isinstance(series.dtype, pd.ArrowDtype):
        return series.array
    arrow = pa.array(series.array)  # a ChunkedArray, or an Array when there is one chunk
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    return pd.arrays.ArrowExtensionArray(arrow)


@contextmanager
def held(native: Any) -> Iterator[Any]:
    """A pandas frame is computed as it is built: nothing to hold."""
    yield native


def kept(native: Any) -> Any:
    """A pandas frame is computed as it is built: nothing to keep."""
    return native


def collect_together(frames: Sequence[nw.LazyFrame[Any]]) -> list[nw.DataFrame[Any]]:
    """Each frame in turn (each is computed already)."""
    return [frame.collect() for frame in frames]
