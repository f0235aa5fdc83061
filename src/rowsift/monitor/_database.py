"""The two databases a store lives in: connecting (in turns, for a DuckDB file) and the handful
of calls the store makes, with one placeholder style for both."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rowsift.exceptions import InputError
from rowsift.monitor.urls import masked_text, shown_store

#: how long a process waits for a DuckDB store that another process is writing
LOCK_TIMEOUT_S = 120.0


def require_store_file(path: Path) -> None:
    """A store that is only read must be there: opening a DuckDB file creates it, and an empty
    store would answer "no runs" for a mistyped path."""
    if not path.is_file():
        raise InputError(
            f"there is no store at {path}",
            hint="check the path; runs are recorded there with rowsift run RECIPE INPUT --store "
            + str(path),
        )


DUCKDB_MAGIC = b"DUCK"
"""What a DuckDB database file holds at bytes 8 to 12."""


def _require_duckdb_file(path: Path) -> None:
    """Refuse a file that is there and is not a DuckDB database: DuckDB would open some (a
    ``.csv``, a ``.parquet``) as a database in memory, and every run recorded would be lost."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(12)
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise InputError(
            f"the store {path} is a folder",
            hint="point --store at a DuckDB file, e.g. " + str(path / "rowsift.duckdb"),
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot read the store {path}: {exc.strerror}",
            hint="check the path and its permissions",
        ) from None
    if head and head[8:12] != DUCKDB_MAGIC:
        raise InputError(
            f"{path} is not a DuckDB store: it holds other data",
            hint="point --store at a new path (it is created) or at a store rowsift wrote",
        )


@contextmanager
def duckdb_connection(path: Path, *, read_only: bool = False) -> Iterator[Any]:
    """An exclusive connection to the store file.

    A DuckDB file admits one writing process, and a process opening a file that another is
    still creating sees an invalid file: rowsift processes therefore take turns through an
    advisory lock on a sidecar ``.lock`` file, and wait (with jitter) for any other program
    that holds the database itself.
    """
    import fcntl

    import duckdb

    if not path.parent.is_dir():
        raise InputError(
            f"the folder of the store {path} does not exist",
            hint="create the folder first, or point --store at another path",
        )
    if read_only:
        require_store_file(path)
    _require_duckdb_file(path)
    deadline = time.monotonic() + LOCK_TIMEOUT_S
    with open(path.with_name(path.name + ".lock"), "a") as turn:
        while True:
            try:
                fcntl.flock(turn, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise InputError(
                        f"the store {path} stayed locked by another run for {LOCK_TIMEOUT_S:.0f} s",
                        hint=f"is another rowsift process stuck? the lock is {path}.lock",
                    ) from None
                # jitter, so that waiting processes do not retry in step
                time.sleep(random.uniform(0.01, 0.1))
        while True:
            try:
                connection = duckdb.connect(str(path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    raise InputError(
                        f"cannot open the store {path}: {str(exc).splitlines()[0]}",
                        hint="another program may hold the file open; close it and run again",
                    ) from None
                time.sleep(random.uniform(0.02, 0.2))
            except duckdb.Error as exc:
                raise InputError(
                    f"cannot open the store {path}: {str(exc).splitlines()[0]}",
                    hint="is it a DuckDB file written by rowsift?",
                ) from None
        try:
            yield connection
        finally:
            connection.close()


@contextmanager
def postgres_connection(url: str, *, read_only: bool = False) -> Iterator[Any]:
    import psycopg

    try:
        connection = psycopg.connect(url, connect_timeout=10)
        connection.read_only = read_only
    except psycopg.Error as exc:
        raise InputError(
            f"cannot reach the store {shown_store(url)}: "
            + masked_text(str(exc).strip().splitlines()[0]),
            hint="check host, port, user and database in the URL, and that the server runs",
        ) from None
    try:
        yield connection
    finally:
        connection.close()


class DuckCursor:
    """The handful of database calls the store makes, on a DuckDB connection."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def begin(self) -> None:
        self.connection.begin()

    def commit(self) -> None:
        self.connection.commit()

    def rollback(self) -> None:
        self.connection.rollback()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.connection.execute(sql, list(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.connection.executemany(sql, [list(row) for row in rows])

    def fetch(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return list(self.connection.execute(sql, list(params)).fetchall())

    def has_table(self, name: str) -> bool:
        rows = self.fetch(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        )
        return bool(rows[0][0])


class PgCursor:
    """The same calls on a psycopg connection (placeholders `%s`, explicit transactions)."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.in_transaction = False

    def begin(self) -> None:
        """psycopg opens a transaction with the first statement; reads stop committing."""
        self.in_transaction = True

    def commit(self) -> None:
        self.connection.commit()
        self.in_transaction = False

    def rollback(self) -> None:
        self.connection.rollback()
        self.in_transaction = False

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.connection.execute(sql.replace("?", "%s"), list(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(sql.replace("?", "%s"), [list(row) for row in rows])

    def fetch(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        rows = self.connection.execute(sql.replace("?", "%s"), list(params)).fetchall()
        if not self.in_transaction:  # a read alone holds no transaction open
            self.connection.commit()
        return list(rows)

    def has_table(self, name: str) -> bool:
        rows = self.fetch("SELECT to_regclass(?) IS NOT NULL", [name])
        return bool(rows[0][0])
