"""rowsift's own DuckDB connection, never DuckDB's default one.

Files a run reads (and tables it hands to DuckDB) live in one in-memory database of rowsift's,
opened on first use and closed when the process exits, so a run neither sees nor changes the
settings, tables and temporary state that other code keeps in DuckDB's default connection.
Each thread reads through a cursor of its own, as DuckDB asks of threads sharing a database.
"""

from __future__ import annotations

import atexit
import threading

import duckdb

_LOCK = threading.Lock()
_OPEN: dict[str, duckdb.DuckDBPyConnection] = {}
_GENERATION = [0]
_THREAD = threading.local()


def connection() -> duckdb.DuckDBPyConnection:
    """This thread's cursor on rowsift's in-memory database (opened on first use)."""
    with _LOCK:
        if getattr(_THREAD, "generation", None) != _GENERATION[0] or "database" not in _OPEN:
            if "database" not in _OPEN:
                _OPEN["database"] = duckdb.connect(":memory:")
            _THREAD.cursor = _OPEN["database"].cursor()
            _THREAD.generation = _GENERATION[0]
        cursor: duckdb.DuckDBPyConnection = _THREAD.cursor
    return cursor


def close() -> None:
    """Close the database and every cursor on it; a later `connection()` opens a new one."""
    with _LOCK:
        database = _OPEN.pop("database", None)
        _GENERATION[0] += 1
    if database is not None:
        database.close()


atexit.register(close)
