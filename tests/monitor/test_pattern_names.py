"""Monitoring measures columns named like Polars' patterns (`*`, `^…$`) as themselves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

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


@pytest.mark.parametrize("output_format", ["parquet", "csv"])
def test_a_monitored_file_run_records_and_details_pattern_named_columns(
    tmp_path: Path, output_format: Literal["parquet", "csv"]
) -> None:
    source = tmp_path / "s.csv"
    source.write_text("*,^b$\n1,x\n2,y\n30,x\n", encoding="utf-8")
    recipe = rowsift.load_recipe_text(
        'version: 1\ncolumns:\n  "*": {type: int, rules: [{between: {min: 0, max: 9}}]}\n'
    )
    store = f"duckdb:///{tmp_path / 'store.duckdb'}"
    for batch in ("one", "two"):
        out = tmp_path / batch
        summary = rowsift.run_file(
            recipe,
            source,
            out,
            output_format=output_format,
            monitor=Monitoring(store=store, dataset="d", batch=batch),
        )
        assert summary.monitor is not None
        assert summary.monitor.recorded, summary.monitor.error
        details = json.loads((out / "details.json").read_text(encoding="utf-8"))
        assert "error" not in details, details.get("error")
        assert details["profile"]["columns"]["*"]["dtype"] == "Int64"
        assert details["profile"]["columns"]["*"]["max"] == 2.0
        example = details["examples"]["reasons"]["*.between"]["examples"][0]
        assert (int(example["row"]), example["values"][:2]) == (2, ["30", "x"])
