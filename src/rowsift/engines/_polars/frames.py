"""Polars frames in (eager or lazy), results back in the same kind."""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw
import polars as pl

from rowsift._names import ROW
from rowsift.engines.by_narwhals import split_text
from rowsift.engines.protocol import FrameKind
from rowsift.exceptions import UsageError

__all__ = ["result", "split_text", "table"]


def table(frame: Any, *, stable: bool = False) -> tuple[nw.LazyFrame[Any], FrameKind]:
    """The frame, lazy, with ``_rowsift_row`` from its row index.

    A Polars query gives its rows in the same order each time it runs, so numbering needs
    nothing held, whatever `stable` says.
    """
    if not isinstance(frame, pl.DataFrame | pl.LazyFrame):
        raise UsageError(
            f"cannot run a recipe on a polars {type(frame).__name__}",
            hint="pass a polars DataFrame or LazyFrame",
        )
    kind: FrameKind = "polars-lazy" if isinstance(frame, pl.LazyFrame) else "polars-eager"
    native = frame.lazy()
    if ROW not in native.collect_schema().names():
        native = native.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64))
    return nw.from_native(native), kind


def result(frame: nw.DataFrame[Any] | nw.LazyFrame[Any], kind: FrameKind) -> Any:
    """An eager result, or a lazy one over it when the input was lazy."""
    native = frame.to_native()
    return native.lazy() if kind == "polars-lazy" else native
