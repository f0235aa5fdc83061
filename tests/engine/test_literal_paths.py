"""A path is read as itself: ``x[1].csv`` is not a pattern that finds ``x1.csv``."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

import rowsift
from rowsift.io.convert import convert
from rowsift.io.write import scan_written

FILE_ENGINES = ("polars", "pandas", "duckdb", "dask")


@pytest.mark.parametrize("engine", FILE_ENGINES)
@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_name_with_glob_characters_reads_that_file_on_every_engine(
    tmp_path: Path, engine: str, suffix: str
) -> None:
    def write(name: str, value: str) -> Path:
        path = tmp_path / f"{name}{suffix}"
        table = pl.DataFrame({"a": [value]})
        table.write_csv(path) if suffix == ".csv" else table.write_parquet(path)
        return path

    named = write("x[1]*?", "named")
    write("x1ab", "other")  # what `x[1]*?` finds as a pattern
    recipe = tmp_path / "r.yaml"
    recipe.write_text("version: 1\ncolumns: {a: {}}\n")
    out = tmp_path / f"out[{engine}]"
    summary = rowsift.run_file(recipe, named, out, engine=engine)
    assert summary.rows_in == 1
    clean = scan_written(out / "clean.parquet", "parquet", {"a": "string"}).collect()
    assert clean["a"].to_list() == ["named"]
    converted = convert(named, tmp_path / f"c[{engine}]{suffix}.csv")
    assert converted.rows == 1
    written = pl.read_csv((tmp_path / f"c[{engine}]{suffix}.csv").read_bytes())
    assert written["a"].to_list() == ["named"]
