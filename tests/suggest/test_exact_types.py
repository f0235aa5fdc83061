"""A suggested type never changes a value: numbers a 64-bit int or float cannot hold exactly
(account numbers beyond 64 bits, money of 19 digits) stay text, the bounds of 64 bits are ints,
and floats as Python writes them stay floats."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rowsift


def _run(tmp_path: Path, values: list[str]) -> tuple[str | None, list[object], list[int]]:
    """The type suggested for the column `v` of these values, its clean values and their rows."""
    data = tmp_path / "t.csv"
    data.write_text("v,n\n" + "".join(f"{v},{i}\n" for i, v in enumerate(values)))
    recipe = rowsift.suggest_recipe(pl.scan_csv(data, infer_schema=False))
    out = tmp_path / "out"
    summary = rowsift.run_file(recipe, data, out, monitor=False)
    assert summary.rows_in == summary.rows_clean + summary.rows_quarantined == len(values)
    clean = pl.read_parquet(out / "clean.parquet").sort("_rowsift_row")
    return recipe.columns["v"].type, clean["v"].to_list(), clean["_rowsift_row"].to_list()


@pytest.mark.parametrize(
    "values",
    [
        [str(2**64 + 7 * i) for i in range(40)],  # account numbers beyond 64 bits
        [str(Decimal("12345678901234567.89") + i) for i in range(40)],  # money of 19 digits
    ],
)
def test_numbers_no_64_bit_type_holds_stay_text_and_exact(
    tmp_path: Path, values: list[str]
) -> None:
    kind, clean, _ = _run(tmp_path, values)
    assert kind == "string"
    assert clean == values


def test_the_64_bit_bounds_are_ints(tmp_path: Path) -> None:
    values = [str(-(2**63)), str(2**63 - 1), *(str(2**62 + i) for i in range(30))]
    kind, clean, _ = _run(tmp_path, values)
    assert kind == "int"
    assert clean == [int(v) for v in values]


def test_floats_as_python_writes_them_stay_floats(tmp_path: Path) -> None:
    values = [repr(0.1 * i + 0.2) for i in range(40)]  # 0.30000000000000004 and the like
    kind, clean, _ = _run(tmp_path, values)
    assert kind == "float"
    assert clean == [float(v) for v in values]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.integers(min_value=-(2**70), max_value=2**70), min_size=25, max_size=40))
def test_every_whole_number_comes_back_exactly(tmp_path_factory, numbers: list[int]) -> None:  # type: ignore[no-untyped-def]
    """Whatever type is suggested, a clean value means the number written in its row (a value
    the type cannot hold is quarantined, never changed)."""
    kind, clean, rows = _run(tmp_path_factory.mktemp("n"), [str(n) for n in numbers])
    assert kind in ("int", "string")
    assert [int(v) for v in clean] == [numbers[row] for row in rows]  # type: ignore[call-overload]


@pytest.mark.parametrize("engine", ["polars", "pandas", "duckdb", "dask"])
def test_nested_bytes_and_durations_pass_through_undeclared(tmp_path: Path, engine: str) -> None:
    """Columns with no text form every engine writes alike (lists, structs, bytes, durations,
    times of day) are profiled by their nulls and left out of the recipe, so every engine
    passes them on; a float's NaN is a value, not a spelling of missing."""
    from datetime import time, timedelta

    data = tmp_path / "t.parquet"
    pl.DataFrame(
        {
            "id": list(range(30)),
            "tags": [[i, i + 1] for i in range(30)],
            "point": [{"x": i, "y": f"s{i}"} for i in range(30)],
            "blob": [bytes([i, 255]) for i in range(30)],
            "took": [timedelta(seconds=i) for i in range(30)],
            "at": [time(i % 24, i) for i in range(30)],
            "x": [float("nan") if i % 7 == 0 else i / 2 for i in range(30)],
        }
    ).write_parquet(data)
    recipe = rowsift.suggest_recipe(pl.scan_parquet(data))
    assert set(recipe.columns) == {"id", "x"}
    assert not recipe.columns["x"].transforms
    summary = rowsift.run_file(recipe, data, tmp_path / "out", engine=engine, monitor=False)
    assert (summary.rows_in, summary.rows_clean) == (30, 30)
