"""Spark (classic and Connect): try_cast and try_to_timestamp parse; row_number marks repeats.

Spark's datetime patterns are Java's: a recipe's strftime format is translated by
`rowsift.recipe.formats.java_pattern`; the lexical guard has already pinned each value to the
format's exact shape.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rowsift._names import ROW
from rowsift.engine.parse import BOOL_TRIM, FALSE_TOKENS, TRUE_TOKENS, ParseJob
from rowsift.recipe.formats import java_pattern

if TYPE_CHECKING:
    from rowsift.engine.backends import SeenBeforeJob


def quote(name: str) -> str:
    """A Spark SQL identifier."""
    return "`" + name.replace("`", "``") + "`"


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("'", "\\'")
    for plain, spelled in (("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        escaped = escaped.replace(plain, spelled)
    return f"'{escaped}'"


def _parsed(job: ParseJob) -> str:
    column = quote(job.source)
    cast = job.cast
    if cast.type == "int":
        return f"try_cast({column} AS BIGINT)"
    if cast.type == "float":
        return f"(try_cast({column} AS DOUBLE) + 0.0)"
    if cast.type == "decimal":
        return f"try_cast({column} AS DECIMAL({cast.precision}, {cast.scale}))"
    if cast.type == "bool":
        folded = f"lower(trim(BOTH {_literal(BOOL_TRIM)} FROM {column}))"
        truth = ", ".join(_literal(token) for token in TRUE_TOKENS)
        falsity = ", ".join(_literal(token) for token in FALSE_TOKENS)
        return (
            f"CASE WHEN {folded} IN ({truth}) THEN true WHEN {folded} IN ({falsity}) THEN false END"
        )
    pattern = java_pattern(cast.format or "").replace("'", "\\'")
    stamp = f"try_to_timestamp({column}, '{pattern}')"
    return f"to_date({stamp})" if cast.type == "date" else f"CAST({stamp} AS TIMESTAMP_NTZ)"


def parse_columns(native: Any, jobs: Sequence[ParseJob]) -> Any:
    """Replace each job's column by its typed value."""
    from pyspark.sql import functions as F

    return native.withColumns({job.target: F.expr(_parsed(job)) for job in jobs})


def seen_before(native: Any, jobs: Sequence[SeenBeforeJob]) -> Any:
    """True where an earlier row (by ``_rowsift_row``) has equal keys; partitions group nulls."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    marks = {}
    for job in jobs:
        window = Window.partitionBy(*job.keys).orderBy(ROW)
        marks[job.target] = F.row_number().over(window) > 1
    return native.withColumns(marks)


@contextmanager
def held(native: Any) -> Iterator[Any]:
    """The frame cached (memory, then disk) by the first job that reads it, dropped after."""
    cached = native.persist()
    try:
        yield cached
    finally:
        cached.unpersist()
