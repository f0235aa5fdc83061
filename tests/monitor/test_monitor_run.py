"""`monitor_run` on a frame run: recorded, judged, and its measurement handed on."""

from __future__ import annotations

from pathlib import Path

import polars as pl

import rowsift
from rowsift.monitor import Monitoring, monitor_run, open_store, resolve_monitoring
from rowsift.monitor.record import Recorded

RECIPE = "version: 1\nname: prices\ncolumns:\n  price: {type: float, rules: [not_null]}\n"


def test_a_frame_run_is_recorded_and_its_measurement_handed_on(tmp_path: Path) -> None:
    recipe = rowsift.load_recipe_text(RECIPE)
    store = str(tmp_path / "m.duckdb")
    target = resolve_monitoring(Monitoring(store=store, batch="b1"), recipe=recipe)
    assert target is not None
    result = rowsift.run(recipe, pl.DataFrame({"price": ["1.5", "2.5", None, "4"]}))
    seen: list[Recorded] = []
    summary = monitor_run(
        result.summary, result.clean, recipe=recipe, target=target, on_recorded=seen.append
    )
    assert summary.monitor is not None
    assert (summary.monitor.recorded, summary.monitor.dataset, summary.monitor.batch) == (
        True,
        "prices",
        "b1",
    )
    assert len(seen) == 1
    assert seen[0].run.run_id == summary.monitor.run_id
    assert seen[0].run.metrics is not None
    assert seen[0].run.metrics.columns["price"].mean == 8 / 3
    stored = open_store(store).get(summary.monitor.run_id)
    assert stored.rows_in == 4
    assert stored.rows_quarantined == 1


def test_a_database_table_is_compared_with_the_run_that_read_it(
    fresh_postgres: str, tmp_path: Path
) -> None:
    """`drift --current URL`: the table is read and cleaned by the baseline run's recipe as the
    store keeps it (its `source.table`), and the address is shown without its password."""
    import psycopg

    from rowsift.monitor.watch import compare_with_run

    with psycopg.connect(fresh_postgres, autocommit=True) as connection:
        connection.execute("CREATE TABLE sales (id int, amount double precision, shop text)")
        connection.execute(
            "INSERT INTO sales SELECT i, (i % 97) * 1.5, "
            "CASE WHEN i % 3 = 0 THEN 'a' ELSE 'b' END FROM generate_series(1, 600) i"
        )
    recipe = rowsift.load_recipe_text(
        "version: 1\nname: sales\nsource: {table: sales}\ncolumns:\n"
        "  amount: {type: float, rules: [{between: {min: 0, max: 1000}}]}\n"
        "  shop: {rules: [{in_set: [a, b]}]}\n"
    )
    store = tmp_path / "m.duckdb"
    summary = rowsift.run_file(
        recipe, fresh_postgres, tmp_path / "out", monitor=Monitoring(store=str(store))
    )
    assert summary.monitor is not None
    assert summary.monitor.recorded, summary.monitor.error
    secret = fresh_postgres.replace("postgresql://postgres@", "postgresql://postgres:hunter2@")
    same = compare_with_run(open_store(store), baseline=None, current=secret)
    assert (same.stored_recipe, same.alerts) == (True, ())
    assert "hunter2" not in same.current
    assert "postgres:***@" in same.current
    with psycopg.connect(fresh_postgres, autocommit=True) as connection:
        connection.execute("UPDATE sales SET shop = 'z'")
    changed = compare_with_run(open_store(store), baseline=None, current=fresh_postgres)
    assert ("anomaly", "quarantine_rate") in {(a.kind, a.subject) for a in changed.alerts}
