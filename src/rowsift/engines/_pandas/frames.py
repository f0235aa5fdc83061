"""pandas frames in (made Arrow-backed), results back as pandas frames."""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd
import pyarrow as pa

from rowsift._names import ROW
from rowsift.engines.protocol import FrameKind
from rowsift.exceptions import UsageError


def table(frame: Any, *, stable: bool = False) -> tuple[nw.LazyFrame[Any], FrameKind]:
    """The frame with Arrow-backed columns and ``_rowsift_row`` by position (a pandas frame
    is computed already, so numbering needs nothing held, whatever `stable` says)."""
    if not isinstance(frame, pd.DataFrame):
        raise UsageError(
            f"cannot run a recipe on a pandas {type(frame).__name__}",
            hint="pass a pandas DataFrame",
        )
    native = arrow_backed(frame)
    if ROW not in native.columns:
        native = native.reset_index(drop=True)
        native.insert(0, ROW, pd.Series(range(len(native)), dtype="int64[pyarrow]"))
    return nw.from_native(native).lazy(), "pandas"


def arrow_backed(frame: pd.DataFrame) -> pd.DataFrame:
    """A pandas frame with Arrow-backed columns and text column names; a column with no value
    at all (an empty frame's, or all missing) becomes text, as it would be read from a file
    (left as objects, pandas would run its string functions through Python's `re`)."""
    native = frame.convert_dtypes(dtype_backend="pyarrow")
    native.columns = [str(name) for name in native.columns]
    for name in native.columns:
        if native[name].dtype == object and native[name].isna().all():
            native[name] = native[name].astype(pd.ArrowDtype(pa.string()))
    return native


def result(frame: nw.DataFrame[Any] | nw.LazyFrame[Any], kind: FrameKind) -> Any:
    """The pandas frame."""
    return frame.to_native()


def split_text(native: pd.DataFrame, column: str, separator: str) -> pd.DataFrame:
    """pyarrow's split (narwhals splits only Arrow-backed text, and a joined text is not)."""
    import pyarrow.compute as pc

    text = pa.array(native[column], type=pa.string(), from_pandas=True)
    split = pc.split_pattern(text, pattern=separator)
    return native.assign(
        **{column: pd.Series(pd.arrays.ArrowExtensionArray(split), index=native.index)}
    )
