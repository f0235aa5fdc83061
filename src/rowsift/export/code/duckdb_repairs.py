"""rowsift's repair transforms as DuckDB SQL: the very SQL rowsift's DuckDB engine runs.

On DuckDB a run hands a transform's narwhals expression to narwhals' DuckDB backend, which
builds DuckDB expressions; their SQL text (DuckDB's own rendering) is what the export writes,
so the SQL a run executes and the SQL the export shows cannot drift apart, and there is no
hand-written copy of the repair's logic. String literals are then written as the rest of the
export writes them (`duckdb_text.text`: a character that is not printable as ``chr(N)``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import narwhals.stable.v2 as nw

from rowsift.export.code.duckdb_text import text


@cache
def _frame() -> Any:
    """A narwhals DuckDB frame to build expressions against (they name columns, not data)."""
    import duckdb

    connection = duckdb.connect(":memory:")
    return nw.from_native(connection.sql("SELECT 1 AS x"))._compliant_frame


def expression_sql(expr: nw.Expr) -> str:
    """The SQL of a narwhals expression on DuckDB, as rowsift's DuckDB engine runs it.

    >>> print(expression_sql(nw.col("a").str.strip_chars(" ").str.contains("^x")))
    regexp_matches("trim"("a", ' '), '^x')
    """
    frame = _frame()
    built = expr._to_compliant_expr(frame.__narwhals_namespace__())(frame)
    (native,) = built
    return _literals_shown(str(native))


def repair_sql(transform: Any, column: str, hold: Callable[[str], str]) -> str:
    """The SQL of a transform applied to `column`; each part it reads more than once (its
    ``staged(value, keep=...)``) is passed to `hold`, which puts it in a column of an earlier
    stage and returns that column's name."""

    def keep(part: nw.Expr) -> nw.Expr:
        return nw.col(hold(expression_sql(part)))

    staged = getattr(transform, "staged", None)
    value = nw.col(column)
    result = staged(value, keep=keep) if staged is not None else transform.apply(value)
    return expression_sql(result)


def _literals_shown(sql: str) -> str:
    """Each ``'...'`` literal of DuckDB's rendering rewritten by `duckdb_text.text`; quoted
    identifiers are kept as they are.

    >>> print(_literals_shown("f(\\"it's\\", 'a''b\\nc')"))
    f("it's", ('a''b' || chr(10) || 'c'))
    """
    pieces: list[str] = []
    at = 0
    while at < len(sql):
        quote = sql[at]
        if quote not in "'\"":
            end = min((i for i in (sql.find("'", at), sql.find('"', at)) if i >= 0), default=-1)
            end = len(sql) if end < 0 else end
            pieces.append(sql[at:end])
            at = end
            continue
        end = at + 1
        while True:
            end = sql.index(quote, end)
            if sql.startswith(quote * 2, end):
                end += 2
                continue
            break
        token = sql[at : end + 1]
        pieces.append(text(token[1:-1].replace("''", "'")) if quote == "'" else token)
        at = end + 1
    return "".join(pieces)
