"""DuckDB relations in, numbered by `row_number`; results back as relations."""

from __future__ import annotations

from typing import Any

import duckdb
import narwhals.stable.v2 as nw

from rowsift._names import ROW
from rowsift.engines import sql
from rowsift.engines.by_narwhals import split_text
from rowsift.engines.protocol import FrameKind
from rowsift.exceptions import UsageError

__all__ = ["result", "split_text", "table"]


def table(frame: Any, *, stable: bool = False) -> tuple[nw.LazyFrame[Any], FrameKind]:
    """The relation with ``_rowsift_row``.

    row_number() OVER () numbers rows in scan order, which DuckDB keeps for a relation read
    from one source (preserve_insertion_order is on by default).
    """
    if not isinstance(frame, duckdb.DuckDBPyRelation):
        raise UsageError(
            f"cannot run a recipe on a duckdb {type(frame).__name__}",
            hint="pass a DuckDB relation",
        )
    relation = frame
    if ROW not in relation.columns:
        relation = relation.select(duckdb.StarExpression(), duckdb.SQLExpression(sql.row_number()))
    return nw.from_native(relation), "duckdb"


def result(frame: nw.DataFrame[Any] | nw.LazyFrame[Any], kind: FrameKind) -> Any:
    """The relation."""
    return frame.to_native()
