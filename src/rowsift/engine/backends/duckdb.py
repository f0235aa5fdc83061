"""DuckDB: lenient parsing with TRY_CAST and try_strptime; first occurrences by row_number."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import duckdb

from rowsift._names import ROW
from rowsift.engine.parse import BOOL_TRIM, FALSE_TOKENS, TRUE_TOKENS, ParseJob

if TYPE_CHECKING:
    from rowsift.engine.backends import SeenBeforeJob


def quote(name: str) -> str:
    """A SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _parsed(job: ParseJob) -> str:
    column = quote(job.source)
    cast = job.cast
    if cast.type == "int":
        return f"TRY_CAST({column} AS BIGINT)"
    if cast.type == "float":
        return f"(TRY_CAST({column} AS DOUBLE) + 0.0)"
    if cast.type == "decimal":
        return f"TRY_CAST({column} AS DECIMAL({cast.precision}, {cast.scale}))"
    if cast.type == "bool":
        folded = f"lower(trim({column}, {_literal(BOOL_TRIM)}))"
        truth = ", ".join(_literal(token) for token in TRUE_TOKENS)
        falsity = ", ".join(_literal(token) for token in FALSE_TOKENS)
        return (
            f"CASE WHEN {folded} IN ({truth}) THEN true WHEN {folded} IN ({falsity}) THEN false END"
        )
    parsed = f"CAST(try_strptime({column}, {_literal(cast.format or '')}) AS TIMESTAMP)"
    return f"CAST({parsed} AS DATE)" if cast.type == "date" else parsed


def _replace_columns(native: Any, columns: dict[str, str]) -> Any:
    existing = [name for name in columns if name in native.columns]
    star = duckdb.StarExpression(exclude=existing)
    added = [duckdb.SQLExpression(f"{sql} AS {quote(name)}") for name, sql in columns.items()]
    return native.select(star, *added)


def parse_columns(native: Any, jobs: Sequence[ParseJob]) -> Any:
    """Replace each job's column by its typed value."""
    return _replace_columns(native, {job.target: _parsed(job) for job in jobs})


def seen_before(native: Any, jobs: Sequence[SeenBeforeJob]) -> Any:
    """True where an earlier row (by ``_rowsift_row``) has equal keys; PARTITION BY groups nulls."""
    columns = {
        job.target: (
            f"row_number() OVER (PARTITION BY {', '.join(quote(k) for k in job.keys)} "
            f"ORDER BY {quote(ROW)}) > 1"
        )
        for job in jobs
    }
    return _replace_columns(native, columns)


@contextmanager
def held(native: Any) -> Iterator[Any]:
    """The relation computed once into a temporary table of its own connection.

    A relation exposes no handle on its connection, so the table is created, read and dropped
    through `query`, which runs in the relation's connection; the table lives until the block
    ends.
    """
    table = quote(f"__rs_held_{uuid.uuid4().hex}")
    source = "__rs_working"
    native.query(source, f"CREATE TEMP TABLE {table} AS SELECT * FROM {source}")
    try:
        yield native.query(source, f"SELECT * FROM {table}")
    finally:
        native.query(source, f"DROP TABLE IF EXISTS {table}")
