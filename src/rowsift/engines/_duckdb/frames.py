"""DuckDB relations in, numbered by `row_number`; results back as relations."""

from __future__ import annotations

import uuid
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
    """The relation with ``_rowsift_row``, numbered once.

    row_number() OVER () numbers rows in the order the relation gives them, which a query may
    change from one evaluation to the next (``ORDER BY random()``, a parallel aggregation);
    unless the relation is `stable` (a file scan keeps its order), the numbered rows are
    computed once into a temporary table of the relation's connection, which lives as long as
    that connection, so the outputs and the totals, each its own evaluation, see the same rows.
    """
    if not isinstance(frame, duckdb.DuckDBPyRelation):
        raise UsageError(
            f"cannot run a recipe on a duckdb {type(frame).__name__}",
            hint="pass a DuckDB relation",
        )
    relation = frame
    if ROW not in relation.columns:
        relation = relation.select(duckdb.StarExpression(), duckdb.SQLExpression(sql.row_number()))
        if not stable:
            relation = _materialised(relation)
    return nw.from_native(relation), "duckdb"


def _materialised(relation: Any) -> Any:
    """The relation computed into a temporary table of its own connection (reached through
    `query`, which runs in the relation's connection)."""
    table = sql.identifier(f"__rs_numbered_{uuid.uuid4().hex}", "duckdb")
    source = "__rs_input"
    relation.query(source, f"CREATE TEMP TABLE {table} AS SELECT * FROM {source}")
    return relation.query(source, f"SELECT * FROM {table}")


def result(frame: nw.DataFrame[Any] | nw.LazyFrame[Any], kind: FrameKind) -> Any:
    """The relation."""
    return frame.to_native()
