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
