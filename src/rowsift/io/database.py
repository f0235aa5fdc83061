"""Reading a table (or a query's result) from SQLite, DuckDB and PostgreSQL, in batches.

SQLite values are read as text (a SQLite column may hold any type in any row); DuckDB and
PostgreSQL columns keep their types, as Parquet's do. Rows are numbered in the order the
database returns them: give a query with ``ORDER BY`` when that order must be reproducible.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from rowsift._names import ROW
from rowsift.exceptions import InputError
from rowsift.io.records import BATCH_ROWS, scan_batches
from rowsift.io.sniff import make_unique
from rowsift.recipe.model import SourceSpec


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _select(source: SourceSpec, tables: Sequence[str], where: str) -> str:
    if source.query:
        return source.query
    if source.table:
        if source.table not in tables:
            raise InputError(
                f"no table {source.table!r} in {where}",
                file=where,
                hint=f"its tables are {list(tables)}",
            )
        return f"SELECT * FROM {_quoted(source.table)}"
    if len(tables) == 1:
        return f"SELECT * FROM {_quoted(tables[0])}"
    raise InputError(
        f"{where} has {len(tables)} tables; which one?",
        file=where,
        hint=f"set source.table to one of {list(tables)}, or source.query",
    )


def _with_row(frame: pl.DataFrame, first: int) -> pl.DataFrame:
    return frame.with_columns(pl.int_range(first, first + len(frame), dtype=pl.Int64).alias(ROW))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


# -- SQLite ---------------------------------------------------------------------------------------


def scan_sqlite(path: Path, source: SourceSpec) -> pl.LazyFrame:
    """A table of a SQLite database file, every value as text."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        with sqlite3.connect(uri, uri=True) as connection:
            tables = [
                row[0]
                for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"
                )
            ]
            query = _select(source, tables, str(path))
            cursor = connection.execute(f"SELECT * FROM ({query}) LIMIT 0")
            names = make_unique([column[0] for column in cursor.description])
    except sqlite3.Error as exc:
        raise InputError(f"cannot read the SQLite database: {exc}", file=str(path)) from None
    schema: dict[str, pl.DataType] = {ROW: pl.Int64(), **{n: pl.String() for n in names}}

    def make(size: int) -> Iterator[pl.DataFrame]:
        # batches may be asked for from different threads of the frame library
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        try:
            cursor = connection.execute(query)
            first = 0
            while rows := cursor.fetchmany(size):
                columns = list(zip(*rows, strict=True))
                data = {name: [_text(v) for v in columns[i]] for i, name in enumerate(names)}
                frame = pl.DataFrame(data, schema={n: pl.String() for n in names})
                yield _with_row(frame, first).select(list(schema))
                first += len(rows)
            if first == 0:
                yield pl.DataFrame(schema=schema)
        finally:
            connection.close()

    return scan_batches(make, schema, name="rowsift sqlite")


# -- DuckDB ---------------------------------------------------------------------------------------


def scan_duckdb(path: Path, source: SourceSpec) -> pl.LazyFrame:
    """A table of a DuckDB database file, with its column types."""
    import duckdb

    try:
        with duckdb.connect(str(path), read_only=True) as connection:
            tables = [row[0] for row in connection.execute("SHOW TABLES").fetchall()]
            query = _select(source, tables, str(path))
            empty = connection.sql(query).limit(0).pl()
    except duckdb.Error as exc:
        raise InputError(f"cannot read the DuckDB database: {exc}", file=str(path)) from None
    names = make_unique(empty.columns)
    schema: dict[str, pl.DataType] = {ROW: pl.Int64()}
    schema.update({name: empty.dtypes[i] for i, name in enumerate(names)})

    def make(size: int) -> Iterator[pl.DataFrame]:
        with duckdb.connect(str(path), read_only=True) as connection:
            reader = connection.sql(query).to_arrow_reader(size)
            first = 0
            for batch in reader:
                frame = pl.DataFrame(pl.from_arrow(batch))
                frame.columns = list(names)
                yield _with_row(frame, first).select(list(schema))
                first += len(frame)
            if first == 0:
                yield pl.DataFrame(schema=schema)

    return scan_batches(make, schema, name="rowsift duckdb")


# -- PostgreSQL -----------------------------------------------------------------------------------

_PG_TYPES: dict[int, pl.DataType] = {
    16: pl.Boolean(),
    20: pl.Int64(),
    21: pl.Int64(),
    23: pl.Int64(),
    700: pl.Float64(),
    701: pl.Float64(),
    1082: pl.Date(),
    1114: pl.Datetime("us"),
    1184: pl.Datetime("us", "UTC"),
}


def _pg_value(value: Any, dtype: pl.DataType) -> Any:
    if value is None or dtype != pl.String():
        return value
    if isinstance(value, Decimal | date | datetime | time):
        return str(value)
    return _text(value)


def scan_postgres(url: str, source: SourceSpec) -> pl.LazyFrame:
    """A table (or query result) of a PostgreSQL database given by URL, with its column types.

    Numeric, text and every other type not listed in `_PG_TYPES` are read as text, so no digit
    of a ``numeric`` is lost.
    """
    import psycopg

    where = url.rsplit("@", maxsplit=1)[-1]
    try:
        with psycopg.connect(url, connect_timeout=10) as connection:
            tables = [
                row[0]
                for row in connection.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = current_schema() ORDER BY table_name"
                ).fetchall()
            ]
            if source.table and "." in source.table:
                tables.append(source.table)
            query = _select(source, tables, where)
            cursor = connection.execute(f"SELECT * FROM ({query}) AS q LIMIT 0")
            described = cursor.description or []
    except psycopg.Error as exc:
        raise InputError(
            f"cannot read from PostgreSQL: {str(exc).strip().splitlines()[0]}",
            file=where,
            hint="check the URL, source.table and source.query",
        ) from None
    names = make_unique([column.name for column in described])
    types = [_PG_TYPES.get(column.type_code, pl.String()) for column in described]
    schema: dict[str, pl.DataType] = {ROW: pl.Int64()}
    schema.update(dict(zip(names, types, strict=True)))

    def make(size: int) -> Iterator[pl.DataFrame]:
        with (
            psycopg.connect(url) as connection,
            connection.cursor(name="rowsift_read") as cursor,
        ):
            cursor.execute(query)
            first = 0
            while rows := cursor.fetchmany(size or BATCH_ROWS):
                columns = list(zip(*rows, strict=True))
                data = {
                    name: [_pg_value(v, types[i]) for v in columns[i]]
                    for i, name in enumerate(names)
                }
                frame = pl.DataFrame(data, schema=dict(zip(names, types, strict=True)))
                yield _with_row(frame, first).select(list(schema))
                first += len(rows)
            if first == 0:
                yield pl.DataFrame(schema=schema)

    return scan_batches(make, schema, name="rowsift postgres")
