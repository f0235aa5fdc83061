"""Column names that dataframe libraries read as patterns (`*`, `^…$`) run as themselves, or are
refused with an error that names them; never an internal error or a lost row."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

import rowsift
from rowsift.exceptions import UsageError

RECIPE = """
version: 1
columns:
  "*": {type: int, rules: [{between: {min: 0, max: 9}}]}
"""
TABLE = {"*": ["5", "12"], "^b$": ["x", "y"], "^.*$": ["p", "q"]}


def test_a_polars_frame_keeps_its_pattern_named_columns() -> None:
    result = rowsift.run(rowsift.load_recipe_text(RECIPE), pl.DataFrame(TABLE))
    assert result.clean.columns[:3] == ["*", "^b$", "^.*$"]
    assert result.clean.row(0)[:3] == (5, "x", "p")
    assert result.quarantine["_rowsift_reasons"].to_list() == [["*.between"]]
    assert result.quarantine.select(pl.nth(2, 3, 4)).row(0) == ("12", "y", "q")


def test_duckdb_refuses_a_column_named_star_by_name() -> None:
    relation = duckdb.connect().from_arrow(pl.DataFrame(TABLE).to_arrow())
    with pytest.raises(UsageError, match=r"duckdb engine cannot run a column named '\*'"):
        rowsift.run(rowsift.load_recipe_text(RECIPE), relation)


def test_a_duckdb_file_run_refuses_before_writing(tmp_path: Path) -> None:
    source = tmp_path / "s.csv"
    source.write_text("*,b\n1,2\n", encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(UsageError, match=r"column named '\*'") as raised:
        rowsift.run_file(rowsift.load_recipe_text(RECIPE), source, out, engine="duckdb")
    assert "polars" in (raised.value.hint or "")
    assert not (out / "clean.parquet").exists()
