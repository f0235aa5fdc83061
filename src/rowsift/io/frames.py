"""Frames handed in through the API: give them row identity, and give results back in kind."""

from __future__ import annotations

from typing import Any, Literal

import narwhals.stable.v2 as nw

from rowsift._names import REASON_SEPARATOR, REASONS, ROW
from rowsift.exceptions import UsageError

FrameKind = Literal["polars-eager", "polars-lazy", "pandas", "duckdb", "spark", "dask"]
LAZY_KINDS: frozenset[FrameKind] = frozenset({"duckdb", "spark", "dask"})
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
            native_pd = _arrow_backed(frame)
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
    if module == "pyspark":
        return _spark_table(frame), "spark"
    if module == "dask":
        return _dask_table(frame), "dask"
    if isinstance(frame, nw.DataFrame | nw.LazyFrame):
        return to_table(frame.to_native())
    raise UsageError(
        f"cannot run a recipe on a {type(frame).__module__}.{type(frame).__name__}",
        hint="pass a Polars, pandas, Dask or Spark DataFrame, or a DuckDB relation",
    )


def _arrow_backed(frame: Any) -> Any:
    """A pandas frame with Arrow-backed columns and text column names; a column with no value
    at all (an empty frame's, or all missing) becomes text, as it would be read from a file
    (left as objects, pandas would run its string functions through Python's `re`)."""
    import pandas as pd
    import pyarrow as pa

    native = frame.convert_dtypes(dtype_backend="pyarrow")
    native.columns = [str(name) for name in native.columns]
    for name in native.columns:
        if native[name].dtype == object and native[name].isna().all():
            native[name] = native[name].astype(pd.ArrowDtype(pa.string()))
    return native


def _spark_table(frame: Any) -> nw.LazyFrame[Any]:
    """A Spark DataFrame with a contiguous 0-based ``_rowsift_row`` in partition order.

    monotonically_increasing_id() is the partition id in the upper bits and the position
    within the partition in the lower 33; one small aggregation gives each partition's offset.
    """
    if ROW in frame.columns:
        return _lazy_table(frame)
    from pyspark.sql import functions as F

    tagged = frame.withColumns(
        {"__rs_pid": F.spark_partition_id(), "__rs_mid": F.monotonically_increasing_id()}
    )
    counts = sorted(tagged.groupBy("__rs_pid").count().collect())
    offsets, total = [], 0
    for partition, count in counts:
        offsets.append((partition, total))
        total += count
    spark = frame.sparkSession
    offset_frame = spark.createDataFrame(offsets or [(0, 0)], "__rs_pid INT, __rs_offset BIGINT")
    position = F.col("__rs_mid") - F.shiftleft(F.col("__rs_pid").cast("bigint"), 33)
    numbered = (
        tagged.join(F.broadcast(offset_frame), on="__rs_pid", how="left")
        .withColumn(ROW, F.col("__rs_offset") + position)
        .drop("__rs_pid", "__rs_mid", "__rs_offset")
    )
    return _lazy_table(numbered.select(ROW, *frame.columns))


def _dask_table(frame: Any) -> nw.LazyFrame[Any]:
    """A Dask DataFrame with Arrow-backed columns and a contiguous ``_rowsift_row``."""
    import pandas as pd

    def to_arrow(part: pd.DataFrame) -> pd.DataFrame:
        converted = part.convert_dtypes(dtype_backend="pyarrow")
        converted.columns = [str(name) for name in converted.columns]
        return converted

    # unknown divisions: later window steps would otherwise try to repartition by them
    native = frame.map_partitions(to_arrow).clear_divisions()
    if ROW not in native.columns:
        ones = native.assign(**{ROW: 1})[ROW].astype("int64[pyarrow]")
        native = native.assign(**{ROW: ones.cumsum() - 1})
    return _lazy_table(native)


def _lazy_table(native: Any) -> nw.LazyFrame[Any]:
    table: nw.LazyFrame[Any] = nw.from_native(native)
    return table


def reasons_as_list(frame: Any) -> Any:
    """Split the joined reason text of a quarantine into a list of rule ids (same kind of frame)."""
    if REASONS not in frame.columns or frame.collect_schema()[REASONS] != nw.String:
        return frame
    native = frame.to_native()
    if frame.implementation.is_spark_like():
        from pyspark.sql import functions as F

        return nw.from_native(native.withColumn(REASONS, F.split(F.col(REASONS), "\u001f")))
    if frame.implementation is nw.Implementation.DASK:
        return nw.from_native(native.map_partitions(_split_reasons_pandas))
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
    return nw.from_native(_split_reasons_pandas(native), eager_only=True)


def _split_reasons_pandas(native: Any) -> Any:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(native[REASONS], type=pa.string(), from_pandas=True)
    split = pc.split_pattern(text, pattern=REASON_SEPARATOR)
    column = pd.Series(pd.arrays.ArrowExtensionArray(split), index=native.index)
    return native.assign(**{REASONS: column})


def from_evaluated(frame: nw.DataFrame[Any] | nw.LazyFrame[Any], kind: FrameKind) -> Any:
    """A result frame of the same kind as the input, reasons as a list column."""
    native = reasons_as_list(frame).to_native()
    if kind == "polars-lazy":
        return native.lazy()
    if kind == "dask":
        return _detached(native)
    return native


def _detached(frame: Any) -> Any:
    """A Dask frame over the same partitions, whose expression no longer holds rowsift's plan.

    Writers such as `to_csv` optimise the expression with blockwise fusion first, which does not
    finish on a plan where many steps read the same earlier ones (dask substitutes through every
    path of the shared graph); the partitions' task graph is unchanged and still lazy.
    """
    import dask.dataframe as dd

    parts = frame.to_delayed(optimize_graph=False)
    return dd.from_delayed(parts, meta=frame._meta, verify_meta=False)
