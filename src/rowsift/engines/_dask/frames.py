"""Dask DataFrames in (made Arrow-backed, numbered by a running count); results handed back
detached from rowsift's plan."""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw

from rowsift._names import ROW
from rowsift.engines._pandas import frames as pandas_frames
from rowsift.engines.protocol import FrameKind
from rowsift.exceptions import UsageError


def table(frame: Any, *, stable: bool = False) -> tuple[nw.LazyFrame[Any], FrameKind]:
    """The frame with Arrow-backed columns and a contiguous ``_rowsift_row``, numbered once.

    Dask computes a frame again for every result; a partition may then give other rows or
    another order (a random sample, a function of the clock). Unless the frame is `stable` (a
    file read), the numbered partitions are computed once and kept (`persist`), so the
    outputs and the totals see the same rows.
    """
    import dask.dataframe as dd
    import pandas as pd

    if not isinstance(frame, dd.DataFrame):
        raise UsageError(
            f"cannot run a recipe on a dask {type(frame).__name__}",
            hint="pass a Dask DataFrame",
        )

    def to_arrow(part: pd.DataFrame) -> pd.DataFrame:
        converted = part.convert_dtypes(dtype_backend="pyarrow")
        converted.columns = [str(name) for name in converted.columns]
        return converted

    # unknown divisions: later window steps would otherwise try to repartition by them
    given: Any = frame
    native = given.map_partitions(to_arrow).clear_divisions()
    if ROW not in native.columns:
        ones = native.assign(**{ROW: 1})[ROW].astype("int64[pyarrow]")
        native = native.assign(**{ROW: ones.cumsum() - 1})
        if not stable:
            native = native.persist()
    return nw.from_native(native), "dask"


def result(frame: nw.DataFrame[Any] | nw.LazyFrame[Any], kind: FrameKind) -> Any:
    """A Dask frame over the same partitions, whose expression no longer holds rowsift's plan.

    Writers such as `to_csv` optimise the expression with blockwise fusion first, which does not
    finish on a plan where many steps read the same earlier ones (dask substitutes through every
    path of the shared graph); the partitions' task graph is unchanged and still lazy.
    """
    import dask.dataframe as dd

    native = frame.to_native()
    parts = native.to_delayed(optimize_graph=False)
    return dd.from_delayed(parts, meta=native._meta, verify_meta=False)


def split_text(native: Any, column: str, separator: str) -> Any:
    """The pandas split, partition by partition."""
    return native.map_partitions(pandas_frames.split_text, column, separator)
