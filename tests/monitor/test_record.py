"""`rowsift.run_file(..., monitor=Monitoring(store=...))`: record, judge, alert on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import rowsift
from rowsift.demo import orders_recipe_path
from rowsift.demo.generate import generate_orders
from rowsift.monitor import Monitoring, open_store
from rowsift.monitor.record import new_run_id


@pytest.fixture
def store_url(fresh_postgres: str) -> str:
    return fresh_postgres


def test_a_series_of_runs_on_postgres_alerts_only_on_the_changed_batch(
    store_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    summaries = []
    for seed in range(1, 7):
        batch = tmp_path / f"b{seed}.csv"
        batch.write_text(generate_orders(2_000, seed))
        summaries.append(
            rowsift.run_file(
                orders_recipe_path(),
                batch,
                out,
                monitor=Monitoring(store=store_url, batch=str(seed)),
            )
        )
    assert [s.alerts for s in summaries] == [()] * 6
    assert summaries[0].monitor is not None
    assert summaries[0].monitor.baseline == "none (the first batch of this dataset)"
    # a new status value: quarantined by in_set, so the quarantine rate jumps
    table = pl.read_csv(tmp_path / "b6.csv", infer_schema=False)
    changed = tmp_path / "changed.csv"
    table.with_columns(
        pl.when(pl.int_range(pl.len()) % 4 == 0)
        .then(pl.lit("returned"))
        .otherwise(pl.col("status"))
        .alias("status")
    ).write_csv(changed)
    summary = rowsift.run_file(
        orders_recipe_path(), changed, out, monitor=Monitoring(store=store_url, batch="7")
    )
    subjects = {(alert["kind"], alert["subject"]) for alert in summary.alerts}
    assert ("anomaly", "quarantine rate") in subjects
    assert ("anomaly", "status.in_set failure rate") in subjects
    written = json.loads((out / "summary.json").read_text())
    assert written["alerts"] == [dict(alert) for alert in summary.alerts]
    runs = open_store(store_url).runs(metrics=True)
    assert [run.batch for run in runs] == ["7", "6", "5", "4", "3", "2", "1"]
    assert runs[0].alerts == summary.alerts
    assert runs[0].metrics is not None
    assert runs[0].metrics.rows == summary.rows_clean
    failures = {rule.rule_id: rule.failed for rule in runs[0].rules}
    assert failures == {rule.id: rule.failed for rule in summary.rules}


def test_run_ids_sort_by_time_and_do_not_collide() -> None:
    ids = [new_run_id() for _ in range(200)]
    assert len(set(ids)) == 200
    assert all(len(run_id) == 23 for run_id in ids)
