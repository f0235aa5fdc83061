"""DuckDB's nested row-set rules share one window and mark the rows one window each would."""

from __future__ import annotations

import duckdb
import pytest

from rowsift._names import ROW
from rowsift.engines import sql
from rowsift.engines._duckdb import steps
from rowsift.engines.protocol import SeenBeforeJob

VALUES = {
    "float": ["0.0", "-0.0", "'NaN'", "'-NaN'", "'inf'", "NULL", "1.5"],
    "text": ["'a'", "'A'", "''", "'a '", "NULL", "'ä'", "'a' || chr(776)"],
    "list": ["[1, NULL]", "[NULL]", "[]", "NULL", "[1]"],
    "timestamp": ["TIMESTAMP '2020-01-01'", "TIMESTAMP '2020-01-01 00:00:00.000001'", "NULL"],
}
TYPES = {"float": "DOUBLE", "text": "VARCHAR", "list": "INTEGER[]", "timestamp": "TIMESTAMP"}


def relation(kind: str) -> duckdb.DuckDBPyRelation:
    """Every pair of a few keys of `kind` and a few values of `kind`, each pair twice and in an
    order unlike the sorted one, with a third column."""
    values = VALUES[kind]
    rows = [
        f"({a}::{TYPES[kind]}, {b}::{TYPES[kind]}, {c})"
        for c, (a, b) in enumerate(
            (a, b) for _ in range(2) for b in reversed(values) for a in values[:3]
        )
    ]
    return duckdb.connect().sql(
        f"SELECT (row_number() OVER () - 1)::BIGINT AS {ROW}, * "
        f"FROM (VALUES {', '.join(rows)}) AS t(a, b, c)"
    )


@pytest.mark.parametrize("kind", sorted(VALUES))
@pytest.mark.parametrize(
    "keys",
    [
        [("a",), ("a", "b")],
        [("a", "b", "c"), ("b",), ("a", "b")],
        [("b", "a"), ("a", "b")],
        [("a",), ("c",)],
    ],
)
def test_shared_windows_mark_what_one_window_each_marks(
    kind: str, keys: list[tuple[str, ...]]
) -> None:
    jobs = [SeenBeforeJob(keys=job, target=f"s{index}") for index, job in enumerate(keys)]
    shared = steps.seen_before(relation(kind), jobs)
    alone = steps.replace_columns(
        relation(kind), {job.target: sql.seen_before(job.keys, "duckdb") for job in jobs}
    )
    targets = ", ".join(job.target for job in jobs)
    ordered = f"SELECT {ROW}, {targets} FROM data ORDER BY {ROW}"
    assert shared.query("data", ordered).fetchall() == alone.query("data", ordered).fetchall()
    assert alone.query("data", "SELECT bool_or(s0 OR s1) FROM data").fetchall() == [(True,)]
