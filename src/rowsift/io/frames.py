"""Frames handed in through the API: give them row identity, and give results back in kind."""

from __future__ import annotations

from typing import Any, Literal

import narwhals.stable.v2 as nw

from rowsift._names import REASON_SEPARATOR, REASONS, ROW
from rowsift.exceptions import UsageError

FrameKind = Literal["polars-eager", "polars-lazy", "pandas", "duckdb"]
LAZY_KINDS: frozenset[FrameKind] = frozenset({"duckdb"})
"""Kinds whose results stay lazy: the engine plans the whole query and runs it on demand."""


def to_table(frame: Any) -> tuple[nw.LazyFrame[Any], FrameKind]:
    """A lazy narwhals table with ``_rowsift_row``, and the kind of frame it came from."""
    module = type(frame).__module__.split(".")[0]
    if module == "polars":
        import polars as pl

        if isinstance(frame, pl.DataFrame | pl.LazyFrame):
            kind: FrameKind = "polars-lazy" if isinstance(frame, pl.LazyFrame) else "polars-eager"
            native = frame.lazy()
            if ROW not in native.collect_schema().names():
                native = native.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64))
            return nw.from_native(native), kind
    if module == "pandas":
        import pandas as pd

        if isinstance(frame, pd.DataFrame):
            native_pd = frame.convert_dtypes(dtype_backend="pyarrow")
            native_pd.columns = [str(name) for name in native_pd.columns]
            if ROW not in native_pd.columns:
                native_pd = native_pd.reset_index(drop=True)
                native_pd.insert(0, ROW, pd.Series(range(len(native_pd)), dtype="int64[pyarrow]"))
            return nw.from_native(native_pd).lazy(), "pandas"
    if module == "duckdb":
        import duckdb

        if isinstance(frame, duckdb.DuckDBPyRelation):
            relation = frame
            if ROW not in relation.columns:
                # row_number() OVER () numbers rows in scan order, which DuckDB keeps for a
                # relation read from one source (preserve_insertion_order is on by default)
                relation = relation.select(
                    duckdb.StarExpression(),
                    duckdb.SQLExpression(f"CAST(row_number() OVER () - 1 AS BIGINT) AS {ROW}"),
                )
            return nw.from_native(relation), "duckdb"
    if isinstance(frame, nw.DataFrame | nw.LazyFrame):
        return to_table(frame.to_native())
    raise UsageError(
        f"cannot run a recipe on a {type(frame).__module__}.{type(frame).__name__}",
        hint="pass a Polars DataFrame or LazyFrame, a pandas DataFrame or a DuckDB relation",
    )


def reasons_as_list(frame: Any) -> Any:
    """Split the joined reason text of a quarantine into a list of rule ids (same kind of frame)."""
    if REASONS not in frame.columns:
        return frame
    native = frame.to_native()
    if frame.implementation is nw.Implementation.DUCKDB:
        import duckdb

        columns = [
            duckdb.SQLExpression(f"string_split({REASONS}, chr(31)) AS {REASONS}")
            if name == REASONS
            else duckdb.ColumnExpression(name)
            for name in native.columns
        ]
        return nw.from_native(native.select(*columns))
    if frame.implementation is nw.Implementation.POLARS:
        import polars as pl

        split_native = native.with_columns(pl.col(REASONS).str.split(REASON_SEPARATOR))
        return nw.from_native(split_native, eager_only=True)
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(native[REASONS], type=pa.string(), from_pandas=True)
    split = pc.split_pattern(text, pattern=REASON_SEPARATOR)
    column = pd.Series(pd.arrays.ArrowExtensionArray(split), index=native.index)
    return nw.from_native(native.assign(**{REASONS: column}), eager_only=True)


def from_evaluated(frame: nw.DataFrame[Any] | nw.LazyFrame[Any], kind: FrameKind) -> Any:
    """A result frame of the same kind as the input, reasons as a list column."""
    native = reasons_as_list(frame).to_native()
    if kind == "polars-lazy":
        return native.lazy()
    return native
