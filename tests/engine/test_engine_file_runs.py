"""File runs on the query engines (`run_file(engine=...)`), and group sizes on Dask."""

from __future__ import annotations

import json
import random
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from tests.conftest import Engine, records

import rowsift
from rowsift.demo import orders_recipe_path
from rowsift.demo.generate import generate_orders
from rowsift.engine import build, compile_recipe
from rowsift.io import OutputFormat, to_table
from rowsift.io.engine_files import EngineName

GROUP_RECIPE = """\
version: 1
columns:
  k: {rules: [{unique: {blame: all}}]}
  city: {rules: [{determined_by: {columns: [zip], min_support: 3}}]}
  zip: {}
  x: {type: float}
rows:
  - duplicate: {columns: [k, x], keep: last}
  - duplicate: {columns: [zip, x], keep: none}
"""


def group_table(rows: int, seed: int) -> dict[str, list[str | None]]:
    """Few distinct values, so groups are large; nulls and NaN in every key column."""
    rng = random.Random(seed)

    def pick(values: tuple[str | None, ...]) -> list[str | None]:
        return [rng.choice(values) for _ in range(rows)]

    return {
        "k": pick(("a", "b", "c", None, *(f"k{n}" for n in range(40)))),
        "city": pick(("Oslo", "Bergen", "Oslo", None)),
        "zip": pick(("0150", "5003", None)),
        "x": pick(("1", "1.0", "nan", "NaN", "-0", "0", None, "x")),
    }


def reasons_by_row(frame: Any) -> dict[int, list[str]]:
    return {row["_rowsift_row"]: list(row["_rowsift_reasons"]) for row in records(frame)}


def test_group_sizes_on_dask_agree_with_polars() -> None:
    """Shuffled partitions, null and NaN keys: unique blame all, keep last and none, and
    determined_by give Polars' answer."""
    recipe = rowsift.load_recipe_text(GROUP_RECIPE)
    table = group_table(rows=600, seed=7)
    arrow = pa.table({name: pa.array(values, type=pa.string()) for name, values in table.items()})
    frame = dd.from_pandas(arrow.to_pandas(types_mapper=pd.ArrowDtype), npartitions=5)
    on_dask = rowsift.run(recipe, frame)
    on_polars = rowsift.run(recipe, Engine("polars-eager").frame(table))
    expected = reasons_by_row(on_polars.quarantine)
    assert {reason for reasons in expected.values() for reason in reasons} >= {
        "k.unique",
        "city.determined_by",
        "row.duplicate",
        "row.duplicate_2",
    }
    assert isinstance(on_dask.quarantine, dd.DataFrame)
    assert reasons_by_row(on_dask.quarantine) == expected
    assert on_dask.summary.failures == on_polars.summary.failures


def read_output(path: Path, fmt: str) -> pl.DataFrame:
    """An output file, or a folder of parts, as text columns."""
    if fmt == "parquet":
        return pl.read_parquet(path / "*.parquet" if path.is_dir() else path)
    return pl.read_csv(path / "*.csv" if path.is_dir() else path, infer_schema=False)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("engine", ["pandas", "duckdb", "dask", "spark"])
def test_file_runs_write_what_polars_writes(
    engine: EngineName, fmt: OutputFormat, tmp_path: Path
) -> None:
    data = tmp_path / "orders.csv"
    data.write_text(generate_orders(rows=900, seed=5))
    written = {}
    names: tuple[EngineName, EngineName] = ("polars", engine)
    for name in names:
        out = tmp_path / name
        summary = rowsift.run_file(orders_recipe_path(), data, out, engine=name, output_format=fmt)
        quarantine = read_output(out / f"quarantine.{fmt}", fmt)
        if fmt == "csv":  # reasons are JSON text in CSV
            reasons = [json.loads(text) for text in quarantine["_rowsift_reasons"]]
            quarantine = quarantine.with_columns(_rowsift_reasons=pl.Series(reasons))
        rows = quarantine.select(
            pl.col("_rowsift_row").cast(pl.Int64),
            pl.col("_rowsift_reasons").cast(pl.List(pl.String)),
        ).sort("_rowsift_row")
        clean_rows = read_output(out / f"clean.{fmt}", fmt).height
        written[name] = (summary.to_dict(), rows, clean_rows)
    (base, base_rows, base_clean), (other, other_rows, other_clean) = written.values()
    assert other["engine"] == engine
    for key in ("rows_in", "rows_clean", "rows_quarantined", "failures", "status"):
        assert other[key] == base[key], key
    assert other_clean == base_clean == base["rows_clean"]
    assert other_rows.equals(base_rows)


def held_tables() -> int:
    query = "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '__rs_held_%'"
    return int(duckdb.sql(query).fetchall()[0][0])


def test_duckdb_holds_the_judged_rows_once_and_drops_them() -> None:
    recipe = rowsift.load_recipe_text(GROUP_RECIPE)
    arrow = pa.table({k: pa.array(v, type=pa.string()) for k, v in group_table(50, 1).items()})
    table, _kind = to_table(duckdb.from_arrow(arrow))
    before = held_tables()
    with ExitStack() as hold:
        outputs = build(compile_recipe(recipe), table, hold=hold)
        assert held_tables() == before + 1
        counted = outputs.totals.collect().rows(named=True)[0]
        assert counted["rows_in"] == 50
    assert held_tables() == before


@pytest.mark.parametrize("engine", ["duckdb", "dask"])
def test_a_run_killed_while_writing_parts_does_not_stop_the_next(
    engine: EngineName, tmp_path: Path
) -> None:
    """A killed run leaves a hidden staging file or folder; the next run clears it."""
    data = tmp_path / "orders.csv"
    data.write_text(generate_orders(rows=200, seed=3))
    out = tmp_path / "out"
    leftovers = [
        out / ".clean.parquet.x1.partial" / "parts",
        out / ".quarantine.parquet.x2.partial",
    ]
    leftovers[0].mkdir(parents=True)
    (leftovers[0] / "part.0.parquet").write_bytes(b"half")
    leftovers[1].write_bytes(b"half")
    summary = rowsift.run_file(orders_recipe_path(), data, out, engine=engine)
    assert summary.rows_in == 200
    assert sorted(path.name for path in out.iterdir()) == [
        "clean.parquet",
        "quarantine.parquet",
        "summary.json",
    ]
