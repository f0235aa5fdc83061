"""Spark DataFrames in (classic or Connect), numbered by partition; results back as DataFrames."""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw

from rowsift._names import ROW
from rowsift.engines import sql
from rowsift.engines.by_narwhals import split_text
from rowsift.engines.protocol import FrameKind
from rowsift.exceptions import UsageError

__all__ = ["result", "split_text", "table"]


def table(frame: Any, *, stable: bool = False) -> tuple[nw.LazyFrame[Any], FrameKind]:
    """The frame with a contiguous 0-based ``_rowsift_row`` in partition order, numbered once.

    monotonically_increasing_id() is the partition id in the upper bits and the position
    within the partition in the lower 33; one small aggregation gives each partition's offset.
    A frame evaluated again may give its rows in other partitions or another order (a shuffle,
    a nondeterministic function), and the offsets are counted in a job of their own: unless
    the frame is `stable` (a file read keeps its partitions), the tagged rows are checkpointed
    first (`localCheckpoint`, kept by the executors and dropped when no frame reads them), so
    the offsets, the outputs and the totals all see the same rows.
    """
    from pyspark.sql import DataFrame
    from pyspark.sql import functions as F

    if not isinstance(frame, DataFrame):
        raise UsageError(
            f"cannot run a recipe on a pyspark {type(frame).__name__}",
            hint="pass a Spark DataFrame",
        )
    dotted = [name for name in frame.columns if "." in name]
    if dotted:
        # narwhals' Spark backend reads every name it is given as a column path (F.col("a.b")
        # is field b of a struct column a), so the run would fail deep inside with
        # UNRESOLVED_COLUMN; say so at once instead
        raise UsageError(
            f"the Spark engine cannot run a recipe over column(s) whose name contains a dot: "
            f"{', '.join(repr(name) for name in dotted)}",
            hint="rename them (e.g. frame.withColumnRenamed('a.b', 'a_b')) and the recipe's "
            "columns alike, or run on another engine",
        )
    if ROW in frame.columns:
        return nw.from_native(frame), "spark"
    tagged = frame.withColumns(
        {"__rs_pid": F.spark_partition_id(), "__rs_mid": F.monotonically_increasing_id()}
    )
    if not stable:
        tagged = tagged.localCheckpoint(eager=True)
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
    # quoted: a bare name with a dot ("a.b") would be read as a field of a struct column
    columns = [F.col(sql.identifier(name, "spark")) for name in frame.columns]
    return nw.from_native(numbered.select(ROW, *columns)), "spark"


def result(frame: nw.DataFrame[Any] | nw.LazyFrame[Any], kind: FrameKind) -> Any:
    """The DataFrame."""
    return frame.to_native()
