"""Reading a table (or a query's result) from SQLite, DuckDB and PostgreSQL, in batches.

SQLite values are read as text (a SQLite column may hold any type in any row); DuckDB and
PostgreSQL columns keep their types, as Parquet's do. Rows are numbered in the order the
database returns them: give a query with ``ORDER BY`` when that order must be reproducible.

A recipe is a file people pass around, so ``source.query`` runs in a sandbox: one ``SELECT``
statement, on a read-only connection (SQLite: ``mode=ro`` and an authorizer that refuses
``ATTACH`` and writes; DuckDB: ``read_only`` and no access to other files, extensions or the
network unless `external_access` allows it; PostgreSQL: a read-only session, and the query is
checked through the extended protocol, which takes one statement only).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import polars as pl

from rowsift._names import ROW
from rowsift.exceptions import InputError, UsageError
from rowsift.io.records import BATCH_ROWS, named, scan_batches
from rowsift.io.sniff import make_unique
from rowsift.recipe.model import SourceSpec

_EXTERNAL_ACCESS: ContextVar[bool] = ContextVar("rowsift_external_access", default=False)


@contextmanager
def external_access(*, enabled: bool = True) -> Iterator[None]:
    """Let DuckDB queries of sources opened inside the block read other files and load
    extensions (``rowsift run --allow-external-access``); off by default.

    >>> with external_access():
    ...     _EXTERNAL_ACCESS.get()
    True
    >>> _EXTERNAL_ACCESS.get()
    False
    """
    token = _EXTERNAL_ACCESS.set(enabled)
    try:
        yield
    finally:
        _EXTERNAL_ACCESS.reset(token)


def without_credentials(url: str) -> str:
    """A database URL with its password (and any ``password=`` parameter) masked.

    >>> without_credentials("postgresql://ann:s3cret@db:5432/x?password=p&sslmode=require")
    'postgresql://ann:***@db:5432/x?password=***&sslmode=require'
    """
    masked = re.sub(r"://([^:/@?#]*):[^@/?#]*@", r"://\1:***@", url)
    return re.sub(r"(?i)(password=)[^&;\s]*", r"\1***", masked)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _one_statement(query: str) -> str:
    """The query without trailing semicolons and white space, which a subquery cannot hold."""
    return query.strip().rstrip(";").strip()


def _refused(where: str, why: str) -> UsageError:
    return UsageError(
        f"source.query is refused: {why}",
        hint=f"give one SELECT statement that reads from {where}; rowsift only reads",
    )


def _select(source: SourceSpec, tables: Sequence[str], where: str) -> str:
    if source.query:
        return _one_statement(source.query)
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
        hint=f"set source.table (--table) to one of {list(tables)}, or source.query (--query)",
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


_SQLITE_ALLOWED = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_FUNCTION,
    sqlite3.SQLITE_RECURSIVE,
}


def _sqlite_authorizer(action: int, *_args: object) -> int:
    """Let a connection read and compute, nothing else (no ATTACH, PRAGMA or writes)."""
    return sqlite3.SQLITE_OK if action in _SQLITE_ALLOWED else sqlite3.SQLITE_DENY


def _sqlite_connect(uri: str, *, check_same_thread: bool = True) -> sqlite3.Connection:
    connection = sqlite3.connect(uri, uri=True, check_same_thread=check_same_thread)
    connection.set_authorizer(_sqlite_authorizer)
    return connection


def scan_sqlite(path: Path, source: SourceSpec) -> pl.LazyFrame:
    """A table of a SQLite database file, every value as text."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        with _sqlite_connect(uri) as connection:
            tables = [
                row[0]
                for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name"
                )
            ]
            query = _select(source, tables, str(path))
            cursor = connection.execute(f"SELECT * FROM (\n{query}\n) LIMIT 0")
            names = make_unique([column[0] for column in cursor.description])
    except sqlite3.DatabaseError as exc:
        if source.query and "not authorized" in str(exc):
            raise _refused(str(path), "it does more than read") from None
        raise InputError(f"cannot read the SQLite database: {exc}", file=str(path)) from None
    except sqlite3.ProgrammingError as exc:
        if source.query:
            raise _refused(str(path), str(exc)) from None
        raise InputError(f"cannot read the SQLite database: {exc}", file=str(path)) from None
    except sqlite3.Error as exc:
        raise InputError(f"cannot read the SQLite database: {exc}", file=str(path)) from None
    schema: dict[str, pl.DataType] = {ROW: pl.Int64(), **{n: pl.String() for n in names}}

    def make(size: int) -> Iterator[pl.DataFrame]:
        # batches may be asked for from different threads of the frame library
        connection = _sqlite_connect(uri, check_same_thread=False)
        try:
            cursor = connection.execute(query)
            first = 0
            while rows := cursor.fetchmany(size):
                columns = list(zip(*rows, strict=True))
                data = {name: [_text(v) for v in columns[i]] for i, name in enumerate(names)}
                frame = pl.DataFrame(data, schema={n: pl.String() for n in names})
                yield _with_row(frame, first).select(named(list(schema)))
                first += len(rows)
            if first == 0:
                yield pl.DataFrame(schema=schema)
        finally:
            connection.close()

    return scan_batches(make, schema, name="rowsift sqlite")


# -- DuckDB ---------------------------------------------------------------------------------------


def _duckdb_connect(path: Path, *, external: bool) -> Any:
    import duckdb

    config: dict[str, str | bool | int | float | list[str]] = (
        {} if external else {"enable_external_access": False}
    )
    return duckdb.connect(str(path), read_only=True, config=config)


def _duckdb_single_select(query: str, where: str) -> None:
    import duckdb

    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise _refused(where, str(exc).splitlines()[0]) from None
    if len(statements) != 1:
        raise _refused(where, f"it holds {len(statements)} statements")
    if statements[0].type != duckdb.StatementType.SELECT:
        raise _refused(where, f"it is a {statements[0].type.name} statement, not a SELECT")


_DUCKDB_TEXT_TYPES = ("INTERVAL", "UNION", "BIGNUM", "VARINT", "BIT", "TIME WITH TIME ZONE")
"""DuckDB types Polars cannot take (an interval, a union) or takes losing what they hold (a
time's offset, a bit string as bytes, a number of any size as opaque bytes): read as DuckDB
writes them as text."""


def _duckdb_as_text(query: str, relation: Any) -> str:
    """The query, with its columns of `_DUCKDB_TEXT_TYPES` cast to text."""
    texted = [
        _quoted(name)
        for name, kind in zip(relation.columns, relation.types, strict=True)
        if str(kind).startswith(_DUCKDB_TEXT_TYPES)
    ]
    if not texted:
        return query
    casts = ", ".join(f"CAST({name} AS VARCHAR) AS {name}" for name in texted)
    return f"SELECT * REPLACE ({casts}) FROM ({query})"


def scan_duckdb(path: Path, source: SourceSpec) -> pl.LazyFrame:
    """A table of a DuckDB database file, with its column types."""
    import duckdb

    external = _EXTERNAL_ACCESS.get()
    try:
        with _duckdb_connect(path, external=external) as connection:
            tables = [row[0] for row in connection.execute("SHOW TABLES").fetchall()]
            query = _select(source, tables, str(path))
            if source.query:
                _duckdb_single_select(query, str(path))
            query = _duckdb_as_text(query, connection.sql(query))
            empty = connection.sql(query).limit(0).pl()
    except duckdb.PermissionException as exc:
        raise UsageError(
            f"source.query is refused: {str(exc).splitlines()[0]}",
            hint="a recipe's query may read only its own database; to let it read other "
            "files, run with --allow-external-access",
        ) from None
    except duckdb.Error as exc:
        raise InputError(f"cannot read the DuckDB database: {exc}", file=str(path)) from None
    names = make_unique(empty.columns)
    schema: dict[str, pl.DataType] = {ROW: pl.Int64()}
    schema.update({name: empty.dtypes[i] for i, name in enumerate(names)})

    def make(size: int) -> Iterator[pl.DataFrame]:
        with _duckdb_connect(path, external=external) as connection:
            reader = connection.sql(query).to_arrow_reader(size)
            first = 0
            for batch in reader:
                frame = pl.DataFrame(pl.from_arrow(batch))
                frame.columns = list(names)
                yield _with_row(frame, first).select(named(list(schema)))
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


def _pg_connect(url: str) -> Any:
    """A connection whose every transaction is read-only, from its first statement on."""
    import psycopg

    connection = psycopg.connect(
        url, connect_timeout=10, options="-c default_transaction_read_only=on"
    )
    connection.read_only = True
    return connection


def _pg_error(exc: BaseException, where: str, url: str = "") -> InputError:
    """The driver's error, without any part of the URL's password (a password holding an
    unencoded ``@`` is split by the driver, which then names a part of it as the host)."""
    said = str(exc).strip().splitlines()[0]
    password = urlsplit(url).password or "" if url else ""
    for part in sorted({password, *password.split("@")}, key=len, reverse=True):
        if len(part) >= 3:
            said = said.replace(part, "***")
    return InputError(
        f"cannot read from PostgreSQL: {said}",
        file=where,
        hint="check the URL, source.table and source.query",
    )


def scan_postgres(url: str, source: SourceSpec) -> pl.LazyFrame:
    """A table (or query result) of a PostgreSQL database given by URL, with its column types.

    Numeric, text and every other type not listed in `_PG_TYPES` are read as text, so no digit
    of a ``numeric`` is lost.
    """
    import psycopg

    where = without_credentials(url).rsplit("@", maxsplit=1)[-1]
    try:
        with _pg_connect(url) as connection:
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
            # a prepared statement holds exactly one statement: nothing can follow the query
            cursor = connection.execute(f"SELECT * FROM (\n{query}\n) AS q LIMIT 0", prepare=True)
            described = cursor.description or []
    except psycopg.errors.ReadOnlySqlTransaction:
        raise _refused(where, "it writes to the database") from None
    except psycopg.errors.SyntaxError as exc:
        if source.query and "multiple commands" in str(exc):
            raise _refused(where, "it holds more than one statement") from None
        raise _pg_error(exc, where, url) from None
    except psycopg.Error as exc:
        raise _pg_error(exc, where, url) from None
    names = make_unique([column.name for column in described])
    types = [_PG_TYPES.get(column.type_code, pl.String()) for column in described]
    schema: dict[str, pl.DataType] = {ROW: pl.Int64()}
    schema.update(dict(zip(names, types, strict=True)))

    def make(size: int) -> Iterator[pl.DataFrame]:
        with (
            _pg_connect(url) as connection,
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
                yield _with_row(frame, first).select(named(list(schema)))
                first += len(rows)
            if first == 0:
                yield pl.DataFrame(schema=schema)

    return scan_batches(make, schema, name="rowsift postgres")
