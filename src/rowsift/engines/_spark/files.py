"""Spark's own CSV and Parquet readers, and folders of parts written by Spark's writers."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw

from rowsift._names import FIELDS, LIST_COLUMNS, PARSE, RAW
from rowsift.engines import sql
from rowsift.engines._spark.session import session
from rowsift.engines.outputs import one_after_another, staged_folder
from rowsift.engines.protocol import DelimitedLayout, OutputFormat, Totals

OWN_READERS = True


def read_plain(path: Path, layout: DelimitedLayout) -> Any | None:
    """Spark's CSV reader, every field as text (an empty field is an empty text, as in the
    file); None for a file with lines above its header, which Spark cannot skip."""
    if layout.header_row > 0:
        return None
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    names = list(layout.names)
    frame = (
        session()
        .read.option("header", True)
        .option("sep", layout.delimiter)
        .option("quote", layout.quote or "\u0000")
        .option("escape", layout.quote or "\u0000")
        .option("encoding", "UTF-8")
        .option("emptyValue", "")
        .schema(StructType([StructField(name, StringType()) for name in names]))
        .csv(str(path))
    )
    # Spark reads an empty field as null, which a delimited file cannot hold
    return frame.select(
        *[
            F.coalesce(F.col(sql.identifier(name, "spark")), F.lit("")).alias(name)
            for name in names
        ],
        F.lit(None).cast("string").alias(PARSE),
        F.lit(None).cast("string").alias(RAW),
        F.lit(None).cast("array<string>").alias(FIELDS),
    )


def read_parquet(path: Path) -> Any:
    """Spark's Parquet reader."""
    return session().read.parquet(str(path))


def adopt(table: Any) -> Any:
    """rowsift's reader's table, from Arrow (which keeps the types of all-null columns)."""
    return session().createDataFrame(table.collect().to_arrow())


def write(frame: Any, target: Path, fmt: OutputFormat) -> None:
    """One output as a folder of parts; lists as JSON text in CSV, values as they are."""
    from pyspark.sql import functions as F

    with staged_folder(target) as parts:
        if fmt == "csv":
            for name in LIST_COLUMNS:
                if name in frame.columns:
                    frame = frame.withColumn(name, F.to_json(F.col(name)))
        writer = frame.write.mode("overwrite")
        if fmt == "parquet":
            writer.parquet(str(parts))
            return
        # quotes doubled (Spark's default escape is \"), spaces kept, timestamps as Polars
        writer.options(
            header=True,
            escape='"',
            ignoreLeadingWhiteSpace=False,
            ignoreTrailingWhiteSpace=False,
            timestampFormat=sql.CSV_TIMESTAMP["java"],
            timestampNTZFormat=sql.CSV_TIMESTAMP["java"],
        ).csv(str(parts))


def write_outputs(
    outputs: Mapping[str, nw.LazyFrame[Any]],
    totals: nw.LazyFrame[Any],
    paths: Mapping[str, Path],
    fmt: OutputFormat,
) -> Totals:
    """Totals, counts and writes one after another, each reading the cached judged rows."""
    return one_after_another(outputs, totals, paths, fmt, write)
