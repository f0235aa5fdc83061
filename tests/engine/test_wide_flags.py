"""A row's verdict joins every rule's flag: on a table of a thousand rules and more, every
engine must still write that join (DuckDB's relational API renders a chain of ``OR`` one
Python call per level, so a flat chain of 1,500 flags exceeded the recursion limit)."""

from __future__ import annotations

import duckdb
import narwhals.stable.v2 as nw
import polars as pl

from rowsift.engine.execute import any_true

WIDTH = 1_500


def _flags() -> pl.DataFrame:
    rows = {f"f{i}": [i == WIDTH - 1, False, None, i % 2 == 0] for i in range(WIDTH)}
    return pl.DataFrame(rows)


def test_the_flags_of_many_rules_join_on_duckdb_as_on_polars() -> None:
    frame = _flags()
    exprs = [nw.col(f"f{i}") for i in range(WIDTH)]
    on_polars = nw.from_native(frame).select(any_true(exprs).alias("any")).to_native()
    relation = duckdb.connect().from_arrow(frame.to_arrow())
    on_duckdb = nw.from_native(relation).select(any_true(exprs).alias("any")).to_native().pl()
    assert on_polars["any"].to_list() == [True, False, False, True]
    assert on_duckdb["any"].to_list() == on_polars["any"].to_list()
