"""Monitoring measures columns named like Polars' patterns (`*`, `^…$`) as themselves."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import rowsift
from rowsift.monitor.config import Monitoring
from rowsift.monitor.measure import measure_batch

TABLE = {"a": [1.0, 2.0, 3.0, 4.0], "*": [10.0, 20.0, None, 40.0], "^b$": ["x", "y", "x", "x"]}


@pytest.mark.parametrize("kind", ["polars", "pandas"])
def test_a_pattern_named_column_is_measured_under_its_own_name(kind: str) -> None:
    frame = pl.DataFrame(TABLE) if kind == "polars" else pd.DataFrame(TABLE)
    metrics = measure_batch(frame, edges={"*": [15.0, 30.0]})
    assert list(metrics.columns) == ["a", "*", "^b$"]
    star = metrics.columns["*"]
    assert (star.name, star.nulls, star.mean) == ("*", 1, pytest.approx(70 / 3))
    assert star.histogram is not None
    assert list(star.histogram.edges) == [15.0, 30.0]
    assert metrics.columns["^b$"].top == (("x", 3), ("y", 1))
    assert metrics.columns["a"].mean == pytest.approx(2.5)


def test_a_monitored_file_run_records_pattern_named_columns(tmp_path: Path) -> None:
    source = tmp_path / "s.csv"
    source.write_text("*,^b$\n1,x\n2,y\n3,x\n", encoding="utf-8")
    recipe = rowsift.load_recipe_text('version: 1\ncolumns:\n  "*": {type: int}\n')
    store = f"duckdb:///{tmp_path / 'store.duckdb'}"
    for batch in ("one", "two"):
        summary = rowsift.run_file(
            recipe,
            source,
            tmp_path / batch,
            monitor=Monitoring(store=store, dataset="d", batch=batch),
        )
        assert summary.monitor is not None
        assert summary.monitor.recorded, summary.monitor.error
