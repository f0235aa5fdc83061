"""The engines rowsift runs on: one private package per dataframe library, behind `Engine`.

Each package (`_polars`, `_pandas`, `_duckdb`, `_spark`, `_dask`) holds everything rowsift does
natively with its library, in the same modules: `steps` (parsing, first occurrences, group
sizes, holding a computed frame), `frames` (a user's frame numbered in, results of the same
kind out) and `files` (the library's own readers and writers), and exposes them as `ENGINE`, an
`Engine` (`rowsift.engines.protocol`). The SQL text the DuckDB and Spark packages run is in
`rowsift.engines.sql`. Nothing above this package imports a library's own API for a run: the
engine core speaks narwhals and asks `engine_for` for the rest. This module names the engines
and finds the one a frame belongs to, importing a package (and its library) only when asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from typing import Any, cast

import narwhals.stable.v2 as nw

from rowsift.engines.protocol import Engine, EngineName, FrameKind
from rowsift.exceptions import UsageError

__all__ = [
    "ENGINES",
    "Engine",
    "EngineName",
    "FrameKind",
    "check_names",
    "engine_for",
    "engine_named",
]

ENGINES: tuple[EngineName, ...] = ("polars", "pandas", "duckdb", "spark", "dask")
"""Every engine, the default first."""

_BY_LIBRARY: dict[str, EngineName] = {
    "polars": "polars",
    "pandas": "pandas",
    "duckdb": "duckdb",
    "pyspark": "spark",
    "dask": "dask",
}
"""The top-level module of each library's frame classes, and its engine."""


def engine_named(name: str) -> Engine:
    """The engine called `name` (``polars``, ``pandas``, ``duckdb``, ``spark``, ``dask``).

    >>> engine_named("duckdb").name
    'duckdb'
    """
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r}", hint=f"use one of {', '.join(ENGINES)}")
    return cast(Engine, import_module(f"rowsift.engines._{name}").ENGINE)


def engine_for(frame: Any) -> Engine:
    """The engine of a native frame, or of the native frame behind a narwhals one.

    >>> import polars as pl
    >>> engine_for(pl.DataFrame({"a": [1]})).name
    'polars'
    """
    native = frame.to_native() if isinstance(frame, nw.DataFrame | nw.LazyFrame) else frame
    library = type(native).__module__.split(".")[0]
    if library not in _BY_LIBRARY:
        raise UsageError(
            f"cannot run a recipe on a {type(native).__module__}.{type(native).__name__}",
            hint="pass a Polars, pandas, Dask or Spark DataFrame, or a DuckDB relation",
        )
    return engine_named(_BY_LIBRARY[library])


def _misread(engine: EngineName, name: str) -> bool:
    """Whether the engine's library, through narwhals, takes this column name for something
    else at some step of a run: DuckDB reads ``*`` as every column; Spark reads ``*`` so too,
    and a backtick as quoting (a dot, as a field of a struct, is refused by its
    `Frames.table`). Polars reads ``*`` and ``^…$`` as patterns too, but the engine core
    renames those (`rowsift.engine.execute.build`)."""
    if engine == "duckdb":
        return name == "*"
    if engine == "spark":
        return name == "*" or "`" in name
    return False


def check_names(engine: Engine, frame: Any = None, *, names: Sequence[str] = ()) -> None:
    """A clear error, before the engine reads `frame` (or columns of these `names`), where its
    library cannot take a column name literally (see `_misread`)."""
    if engine.name not in ("duckdb", "spark"):
        return
    if frame is not None:
        try:
            names = nw.from_native(frame).collect_schema().names()
        except (TypeError, AttributeError):  # not a frame: the engine's `table` says so
            return
    refused = [name for name in names if _misread(engine.name, name)]
    if refused:
        raise UsageError(
            f"the {engine.name} engine cannot run a column named {refused[0]!r}: "
            f"{engine.name} reads such a name as something else than a column name",
            hint="run it on the polars (default), pandas or dask engine, or rename the column",
        )
