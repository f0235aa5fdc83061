"""Files read and written by each engine's own readers and writers (`rowsift run --engine`).

Polars, the default, goes through `read_table` and the streaming writer. The others read a
plain delimited file (one well-formed record per line, see `rowsift.io.plain`) and Parquet
with their own readers, a delimited file with the names, text values and line numbers rowsift's
own reader gives it; any other file (messy text, JSON and NDJSON, which are flattened, Excel,
databases) is read by rowsift's own lossless reader and handed over, so no engine can drop or
mis-split a record and every engine writes the same outputs. Each writes its own outputs: pandas
and DuckDB one file each, Spark and Dask a folder of Parquet (or CSV) parts. A folder is written
beside its target and renamed into place, so a reader never sees half of one.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import narwhals.stable.v2 as nw

from rowsift._atomic import remove
from rowsift._names import FIELDS, LINE, PARSE, RAW, REASONS, ROW
from rowsift.exceptions import InputError, UsageError
from rowsift.io.formulas import FormulaPolicy, neutralised
from rowsift.io.frames import reasons_as_list
from rowsift.io.read import detect_format
from rowsift.io.sniff import Dialect
from rowsift.recipe.model import SourceSpec

EngineName = Literal["polars", "pandas", "duckdb", "spark", "dask"]
ENGINES: tuple[EngineName, ...] = ("polars", "pandas", "duckdb", "spark", "dask")
FOLDER_ENGINES = frozenset({"spark", "dask"})
CSV_TIMESTAMP = {"strftime": "%Y-%m-%dT%H:%M:%S.%f", "java": "yyyy-MM-dd'T'HH:mm:ss.SSSSSS"}
"""How a timestamp is written to CSV, on every engine as Polars writes it (microseconds)."""


@dataclass(frozen=True)
class EngineInput:
    """A file as an engine's own frame, and what the engine's reader cannot know about it."""

    frame: Any
    first_line: int | None = None
    """For delimited text read by the engine's own reader: the line of the first record
    (``_rowsift_line`` is ``_rowsift_row`` plus this). None when the frame carries its lines."""

    def table(self) -> nw.LazyFrame[Any]:
        """The frame numbered as rowsift's own reader numbers it: rows, and lines of text."""
        from rowsift.io.frames import to_table

        table, _kind = to_table(self.frame)
        if self.first_line is None:
            return table
        return table.with_columns((nw.col(ROW) + self.first_line).alias(LINE))


def read_with(engine: EngineName, path: Path, source: SourceSpec) -> EngineInput:
    """The file as the engine's own frame, delimited fields as text.

    A plain delimited file (see `rowsift.io.plain`) comes with the columns and values rowsift's
    own reader gives it: the sniffed names, every field as text (an empty field is an empty
    text, never a null) and empty parse columns, so every engine writes the same outputs.
    """
    if not path.exists():
        raise InputError("file not found", file=str(path), hint="check the input path")
    if engine not in _TEXT_READERS:
        raise UsageError(f"unknown engine {engine!r}", hint=f"use one of {', '.join(ENGINES)}")
    kind = detect_format(path, source)
    if kind not in ("csv", "tsv", "parquet"):
        return EngineInput(_from_rowsift_reader(engine, path, source))
    dialect = None
    if kind in ("csv", "tsv"):
        dialect = _plain_dialect(path, kind, source)
        if dialect is None or (engine == "spark" and dialect.header_row > 0):
            # Spark's reader cannot skip lines before the header
            return EngineInput(_from_rowsift_reader(engine, path, source))
    try:
        if dialect is None:
            return EngineInput(_parquet(engine, path))
        frame = _TEXT_READERS[engine](path, dialect)
        return EngineInput(_with_parse_columns(engine, frame), first_line=dialect.header_row + 2)
    except (OSError, ValueError, RuntimeError) as exc:
        raise InputError(
            f"{engine} cannot read the file: {str(exc).strip().splitlines()[0]}",
            file=str(path),
            hint="check source.format, source.encoding and source.delimiter in the recipe",
        ) from None


def _plain_dialect(path: Path, kind: str, source: SourceSpec) -> Dialect | None:
    """The file's dialect when the engine's own CSV reader reads it exactly (see
    `rowsift.io.plain`), else None."""
    from rowsift.io.plain import is_plain
    from rowsift.io.read import sniff

    if kind == "tsv" and source.delimiter is None:
        source = source.model_copy(update={"delimiter": "\t"})
    dialect = sniff(path, source)
    return dialect if is_plain(path, dialect) else None


def _from_rowsift_reader(engine: EngineName, path: Path, source: SourceSpec) -> Any:
    """A file only rowsift's own reader reads without loss (ragged rows, broken quoting,
    preambles, Excel, databases): read it so, then hand the table to the engine."""
    from rowsift.io.read import read_table

    table = read_table(path, source).collect().to_arrow()
    if engine == "pandas":
        import pandas as pd

        return table.to_pandas(types_mapper=pd.ArrowDtype)
    if engine == "duckdb":
        import duckdb

        return duckdb.from_arrow(table)
    if engine == "dask":
        import dask.dataframe as dd
        import pandas as pd

        frame = table.to_pandas(types_mapper=pd.ArrowDtype)
        return dd.from_pandas(frame, npartitions=2)  # type: ignore[no-untyped-call]
    if engine == "spark":  # from Arrow, which keeps the types of columns that are all null
        return spark_session().createDataFrame(table)
    return table


def _with_parse_columns(engine: EngineName, frame: Any) -> Any:
    """The reader's parse columns, all null: no record of a plain file fails to parse."""
    if engine == "duckdb":
        import duckdb

        nulls = {PARSE: "VARCHAR", RAW: "VARCHAR", FIELDS: "VARCHAR[]"}
        typed = [duckdb.SQLExpression(f"NULL::{kind} AS {name}") for name, kind in nulls.items()]
        return frame.select(duckdb.StarExpression(), *typed)
    if engine == "spark":
        from pyspark.sql import functions as F

        string, strings = "string", "array<string>"
        return frame.select(
            "*",
            F.lit(None).cast(string).alias(PARSE),
            F.lit(None).cast(string).alias(RAW),
            F.lit(None).cast(strings).alias(FIELDS),
        )
    if engine == "dask":
        return frame.map_partitions(_pandas_parse_columns, meta=_pandas_parse_columns(frame._meta))
    return _pandas_parse_columns(frame)


def _pandas_parse_columns(frame: Any) -> Any:
    import pandas as pd
    import pyarrow as pa

    def nulls(kind: pa.DataType) -> Any:
        return pd.Series([None] * len(frame), index=frame.index, dtype=pd.ArrowDtype(kind))

    return frame.assign(
        **{PARSE: nulls(pa.string()), RAW: nulls(pa.string()), FIELDS: nulls(pa.list_(pa.string()))}
    )


def _pandas(path: Path, dialect: Dialect) -> Any:
    import pandas as pd

    return pd.read_csv(path, **_pandas_options(dialect))


def _pandas_options(dialect: Dialect) -> dict[str, Any]:
    """`read_csv` options for pandas and Dask: every field as text, as the file has it."""
    import csv

    import pandas as pd
    import pyarrow as pa

    return {
        "sep": dialect.delimiter,
        "quotechar": dialect.quote or '"',
        "quoting": csv.QUOTE_MINIMAL if dialect.quote else csv.QUOTE_NONE,
        "encoding": "utf-8-sig" if dialect.encoding.lower().startswith("utf") else dialect.encoding,
        "skiprows": dialect.header_row + 1,
        "header": None,
        "names": list(dialect.names),
        "dtype": pd.ArrowDtype(pa.string()),
        "keep_default_na": False,
        "na_filter": False,
    }


def _duckdb(path: Path, dialect: Dialect) -> Any:
    import duckdb

    # the dialect is known: DuckDB's own sniffing is off (it fails on a file of no records)
    relation = duckdb.read_csv(
        str(path),
        auto_detect=False,
        header=False,
        columns=dict.fromkeys(dialect.names, "VARCHAR"),
        sep=dialect.delimiter,
        quotechar=dialect.quote or "",
        escapechar=dialect.quote or "",
        skiprows=dialect.header_row + 1,
        encoding="utf-8",
    )
    # a delimited file holds no nulls: DuckDB reads an empty field as null
    return relation.select(
        *[
            duckdb.CoalesceOperator(
                duckdb.ColumnExpression(name), duckdb.ConstantExpression("")
            ).alias(name)
            for name in relation.columns
        ]
    )


def spark_session() -> Any:
    """The active Spark session, or a local one (``local[*]``)."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    return (
        SparkSession.builder.appName("rowsift")
        .master("local[*]")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


def _spark(path: Path, dialect: Dialect) -> Any:
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    names = list(dialect.names)
    frame = (
        spark_session()
        .read.option("header", True)
        .option("sep", dialect.delimiter)
        .option("quote", dialect.quote or "\u0000")
        .option("escape", dialect.quote or "\u0000")
        .option("encoding", "UTF-8")
        .option("emptyValue", "")
        .schema(StructType([StructField(name, StringType()) for name in names]))
        .csv(str(path))
    )
    # Spark reads an empty field as null, which a delimited file cannot hold
    return frame.select(
        *[F.coalesce(F.col(_backticked(name)), F.lit("")).alias(name) for name in names]
    )


def _backticked(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _dask(path: Path, dialect: Dialect) -> Any:
    import dask.dataframe as dd

    return dd.read_csv(str(path), blocksize="64MB", **_pandas_options(dialect))


_TEXT_READERS: dict[EngineName, Callable[[Path, Dialect], Any]] = {
    "pandas": _pandas,
    "duckdb": _duckdb,
    "spark": _spark,
    "dask": _dask,
}


def _parquet(engine: EngineName, path: Path) -> Any:
    """Parquet through the engine's own reader."""
    if engine == "pandas":
        import pandas as pd

        return pd.read_parquet(path)
    if engine == "duckdb":
        import duckdb

        return duckdb.read_parquet(str(path))
    if engine == "dask":
        import dask.dataframe as dd

        return dd.read_parquet(str(path))
    return spark_session().read.parquet(str(path))


def write_with(
    engine: EngineName, frame: Any, target: Path, fmt: Literal["parquet", "csv"]
) -> None:
    """Write one output with the engine's own writer, atomically (a file or a folder)."""
    if engine in FOLDER_ENGINES:
        _write_folder(engine, frame, target, fmt)
    elif engine == "duckdb":
        _write_duckdb(frame, target, fmt)
    else:
        from rowsift.io.write import write_frame

        if engine == "pandas":  # a filtered frame's index would be written as a column
            frame = frame.reset_index(drop=True)
        # formulas were neutralised (or not) by `evaluate_and_write`, for every engine alike
        write_frame(nw.from_native(frame, eager_only=True), target, fmt, formulas="keep")


def _write_duckdb(relation: Any, target: Path, fmt: Literal["parquet", "csv"]) -> None:
    import duckdb

    from rowsift._atomic import atomic_path

    if fmt == "csv":  # lists as JSON text, as every engine writes them
        relation = relation.select(
            *[
                duckdb.SQLExpression(f"to_json({name})::VARCHAR AS {name}")
                if name in (REASONS, FIELDS)
                else duckdb.ColumnExpression(name)
                for name in relation.columns
            ]
        )
    with atomic_path(target) as tmp:
        if fmt == "parquet":
            relation.write_parquet(str(tmp))
        else:
            relation.write_csv(str(tmp), header=True, timestamp_format=CSV_TIMESTAMP["strftime"])


def _write_folder(
    engine: EngineName, frame: Any, target: Path, fmt: Literal["parquet", "csv"]
) -> None:
    with _staged_folder(target) as parts:
        if engine == "spark":
            from pyspark.sql import functions as F

            if fmt == "csv":  # lists as JSON text, as every engine writes them
                for name in (REASONS, FIELDS):
                    if name in frame.columns:
                        frame = frame.withColumn(name, F.to_json(F.col(name)))
            writer = frame.write.mode("overwrite")
            if fmt == "parquet":
                writer.parquet(str(parts))
            else:  # values as they are: quotes doubled (Spark's default: \"), spaces kept
                options = {
                    "header": True,
                    "escape": '"',
                    "ignoreLeadingWhiteSpace": False,
                    "ignoreTrailingWhiteSpace": False,
                    "timestampFormat": CSV_TIMESTAMP["java"],
                    "timestampNTZFormat": CSV_TIMESTAMP["java"],
                }
                writer.options(**options).csv(str(parts))
        else:
            from dask.base import compute

            compute(_dask_write(frame, parts, fmt))  # type: ignore[no-untyped-call]


@contextmanager
def _staged_folder(target: Path) -> Iterator[Path]:
    """A folder to write parts into, renamed to `target` if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    )
    parts = staging / "parts"
    try:
        yield parts
        _drop_bookkeeping(parts)
        old = target.with_name(f".{target.name}.old")
        remove(old)  # left by a run killed at this very point
        if target.exists():  # a folder, or the file an engine writing files left
            target.rename(old)
        parts.rename(target)
        remove(old)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _drop_bookkeeping(parts: Path) -> None:
    """Remove the files a Hadoop writer leaves beside the parts (``_SUCCESS``, ``.crc``
    checksums), which are no data and make a folder of Parquet parts unreadable to Polars."""
    for path in parts.iterdir():
        if path.name == "_SUCCESS" or (path.name.startswith(".") and path.suffix == ".crc"):
            path.unlink()


def _dask_write(frame: Any, parts: Path, fmt: Literal["parquet", "csv"]) -> Any:
    """The lazy write of a Dask frame's parts, to be computed with `dask.compute`.

    CSV parts are written partition by partition rather than by `to_csv`, which optimises the
    frame on its own first: dask's blockwise fusion pass did not finish in minutes on the
    judged frame, even of a thousand rows, while `dask.compute` optimises it quickly.
    """
    if fmt == "parquet":
        return frame.to_parquet(str(parts), write_index=False, compute=False)
    import pandas as pd

    parts.mkdir(parents=True)
    return frame.map_partitions(
        _csv_part, str(parts), meta=pd.DataFrame({"rows": pd.Series(dtype="int64")})
    )


def _csv_part(part: Any, folder: str, partition_info: dict[str, Any] | None = None) -> Any:
    """One partition as ``part-<number>.csv`` (as `to_csv` names it), written as the pandas
    engine writes its CSV: an empty text quoted (``""``), apart from a null (nothing)."""
    import pandas as pd

    number = partition_info["number"] if partition_info else 0
    write_with("pandas", part, Path(folder) / f"part-{number}.csv", "csv")
    return pd.DataFrame({"rows": [len(part)]})


def evaluate_and_write(
    engine: EngineName,
    clean: nw.LazyFrame[Any],
    quarantine: nw.LazyFrame[Any],
    totals: nw.LazyFrame[Any],
    paths: Mapping[str, Path],
    fmt: Literal["parquet", "csv"],
    *,
    formulas: FormulaPolicy = "escape",
) -> tuple[dict[str, Any], int, int]:
    """Compute the totals and write both outputs (`paths`) with the engine's own writer.

    Returns the totals row and the rows of each output. Dask computes all of it in one
    `dask.compute`, which runs the steps the results share once; the other engines read a
    judged table held for the purpose (`rowsift.engine.build` with `hold`). In CSV, text a
    spreadsheet would run as a formula is neutralised (`rowsift.io.formulas`).
    """
    outputs = {"clean": reasons_as_list(clean), "quarantine": reasons_as_list(quarantine)}
    if fmt == "csv":
        outputs = {name: neutralised(frame, formulas) for name, frame in outputs.items()}
    if engine == "dask":
        return _dask_in_one_pass(outputs, totals, paths, fmt)
    row = totals.collect().rows(named=True)[0]
    rows_clean, rows_quarantined = (_rows(frame) for frame in (clean, quarantine))
    for name, frame in outputs.items():
        write_with(engine, frame.to_native(), paths[name], fmt)
    return row, rows_clean, rows_quarantined


def _rows(frame: nw.LazyFrame[Any]) -> int:
    return int(frame.select(nw.len()).collect().item())


def _dask_in_one_pass(
    outputs: dict[str, nw.LazyFrame[Any]],
    totals: nw.LazyFrame[Any],
    paths: Mapping[str, Path],
    fmt: Literal["parquet", "csv"],
) -> tuple[dict[str, Any], int, int]:
    """Totals, row counts and both writes in one `dask.compute`, which runs the steps they
    share once (why not `persist`: see `rowsift.engine.backends.dask.held`)."""
    from dask.base import compute

    lazy_counts = [frame.select(nw.len()).to_native() for frame in outputs.values()]
    with (
        _staged_folder(paths["clean"]) as clean_parts,
        _staged_folder(paths["quarantine"]) as quarantine_parts,
    ):
        writes = [
            _dask_write(outputs["clean"].to_native(), clean_parts, fmt),
            _dask_write(outputs["quarantine"].to_native(), quarantine_parts, fmt),
        ]
        row, rows_clean, rows_quarantined, *_ = compute(  # type: ignore[no-untyped-call]
            totals.to_native(), *lazy_counts, *writes
        )
    return (
        nw.from_native(row, eager_only=True).rows(named=True)[0],
        int(rows_clean.iloc[0, 0]),
        int(rows_quarantined.iloc[0, 0]),
    )
