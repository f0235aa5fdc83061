"""Engine entry points: the few steps a backend does natively.

Two steps: lenient parsing of text (`native_parser`) and marking rows whose key values were
seen on an earlier row (`native_seen_before`), which each library can do while streaming.
Group sizes (`with_group_stats`) are narwhals windows except on Dask. `held_once` computes a
lazy frame once and keeps the result while several outputs read it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw

from rowsift.engine.parse import ParseJob
from rowsift.exceptions import UsageError
from rowsift.rules.rowset import GroupStat

NativeParser = Callable[[Any, Sequence[ParseJob]], Any]


@dataclass(frozen=True, kw_only=True)
class SeenBeforeJob:
    """Mark `target` true where an earlier row (lower ``_rowsift_row``) has equal `keys`.

    Null equals null. The frame's rows are in ``_rowsift_row`` order.
    """

    keys: tuple[str, ...]
    target: str


NativeSeenBefore = Callable[[Any, Sequence[SeenBeforeJob]], Any]


def _backend(frame: nw.LazyFrame[Any]) -> Any:
    """The module of native steps for the library behind a frame."""
    implementation = frame.implementation
    if implementation is nw.Implementation.POLARS:
        from rowsift.engine.backends import polars

        return polars
    if implementation is nw.Implementation.PANDAS:
        from rowsift.engine.backends import pandas

        return pandas
    if implementation is nw.Implementation.DUCKDB:
        from rowsift.engine.backends import duckdb

        return duckdb
    if implementation.is_spark_like():
        from rowsift.engine.backends import spark

        return spark
    if implementation is nw.Implementation.DASK:
        from rowsift.engine.backends import dask

        return dask
    raise _unsupported(implementation)


def native_parser(frame: nw.LazyFrame[Any]) -> NativeParser:
    """The parsing step of the backend behind a frame."""
    parse: NativeParser = _backend(frame).parse_columns
    return parse


def native_seen_before(frame: nw.LazyFrame[Any]) -> NativeSeenBefore:
    """The "seen on an earlier row" step of the backend behind a frame."""
    mark: NativeSeenBefore = _backend(frame).seen_before
    return mark


def with_group_stats(frame: nw.LazyFrame[Any], stats: Sequence[GroupStat]) -> nw.LazyFrame[Any]:
    """The frame with each stat as a column.

    Narwhals' `over` on Dask aligns its results by index and failed on rowsift's frames
    ("cannot reindex on an axis with duplicate labels"), so Dask groups natively.
    """
    if frame.implementation is not nw.Implementation.DASK:
        return frame.with_columns([stat.window() for stat in stats])
    from rowsift.engine.backends import dask

    grouped: nw.LazyFrame[Any] = nw.from_native(dask.group_stats(frame.to_native(), stats))
    return grouped


def held_once(frame: nw.LazyFrame[Any], stack: ExitStack) -> nw.LazyFrame[Any]:
    """`frame`, computed once and held by its engine until `stack` closes.

    A query engine runs a lazy frame again for every result read from it; reading the held
    rows instead costs a scan of them. Each backend's `held` says how (and when) it holds
    them: DuckDB at once, Spark on the first read, Dask not at all.
    """
    native = stack.enter_context(_backend(frame).held(frame.to_native()))
    held: nw.LazyFrame[Any] = nw.from_native(native)
    return held.lazy() if isinstance(held, nw.DataFrame) else held


def _unsupported(implementation: nw.Implementation) -> UsageError:
    return UsageError(
        f"the {implementation} engine is not supported yet",
        hint="pass a Polars, pandas, DuckDB, Spark or Dask frame",
    )


def collect_together(frames: list[nw.LazyFrame[Any]]) -> list[nw.DataFrame[Any]]:
    """Collect lazy frames that share their input in one pass where the backend can."""
    if frames and all(frame.implementation is nw.Implementation.POLARS for frame in frames):
        import polars as pl

        collected = pl.collect_all([frame.to_native() for frame in frames])
        return [nw.from_native(native, eager_only=True) for native in collected]
    return [frame.collect() for frame in frames]
