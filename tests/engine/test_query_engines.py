"""Spark Connect, partitioned Spark frames, and `rowsift run --engine`, against Polars."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import polars as pl
import pytest

import rowsift
from rowsift.demo import orders_recipe_path
from rowsift.demo.generate import generate_orders
from rowsift.exceptions import InputError, UsageError

RECIPE = """\
version: 1
columns:
  id: {transforms: [strip], rules: [not_null, unique]}
  n: {type: int, rules: [{between: {min: 0}}]}
rows: [duplicate]
"""
ROWS = [(" a", "1"), ("a", "2"), (None, "x"), ("b", "-1"), ("c", "3"), ("c", "3")]


def polars_reasons() -> list[tuple[int, list[str]]]:
    frame = pl.DataFrame(ROWS, schema=["id", "n"], orient="row")
    result = rowsift.run(rowsift.load_recipe_text(RECIPE), frame)
    rows = result.quarantine.select("_rowsift_row", "_rowsift_reasons").rows()
    return sorted((row, list(reasons)) for row, reasons in rows)


@pytest.mark.spark
@pytest.mark.slow
def test_spark_connect_gives_the_polars_answer() -> None:
    """A Spark Connect server started locally (as managed platforms are reached)."""
    script = textwrap.dedent(
        f"""
        import json, rowsift
        from pyspark.sql import SparkSession
        spark = (SparkSession.builder.remote("local[1]")
                 .config("spark.ui.enabled", "false").getOrCreate())
        assert type(spark).__module__.startswith("pyspark.sql.connect"), type(spark)
        frame = spark.createDataFrame({ROWS!r}, "id string, n string").coalesce(1)
        result = rowsift.run(rowsift.load_recipe_text({RECIPE!r}), frame)
        rows = [(r["_rowsift_row"], list(r["_rowsift_reasons"]))
                for r in result.quarantine.collect()]
        kind = type(result.clean).__module__
        print(json.dumps({{"rows": sorted(rows), "kind": kind,
                           "clean": result.summary.rows_clean}}))
        spark.stop()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=600
    )
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["kind"].startswith("pyspark.sql.connect")
    assert [tuple(item) for item in outcome["rows"]] == [
        (row, reasons) for row, reasons in polars_reasons()
    ]
    assert outcome["clean"] == 2


@pytest.mark.spark
def test_spark_row_numbers_follow_partitions() -> None:
    from tests.conftest import spark_session

    spark = spark_session()
    frame = spark.createDataFrame(ROWS, "id string, n string").repartition(3)
    table, kind = rowsift.io.to_table(frame)
    numbered = table.to_native().collect()
    assert kind == "spark"
    assert sorted(row["_rowsift_row"] for row in numbered) == list(range(len(ROWS)))


@pytest.mark.parametrize("engine", ["pandas", "duckdb", "dask", "spark"])
def test_cli_engines_write_what_polars_writes(engine: str, tmp_path: Path) -> None:
    data = tmp_path / "orders.csv"
    data.write_text(generate_orders(rows=1200, seed=11))
    outputs = {}
    for name in ("polars", engine):
        out = tmp_path / name
        command = [
            sys.executable,
            "-m",
            "rowsift._cli",
            "run",
            str(orders_recipe_path()),
            str(data),
            "--out",
            str(out),
            "--engine",
            name,
            "--json",
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
        summary = json.loads(done.stdout)
        assert summary["engine"] == name
        parts = "*.parquet" if name in ("dask", "spark") else ""
        read = {
            output: pl.read_parquet(
                out / f"{output}.parquet" / parts if parts else out / f"{output}.parquet"
            )
            for output in ("clean", "quarantine")
        }
        outputs[name] = (summary, read)
    (base, base_frames), (other, other_frames) = outputs["polars"], outputs[engine]
    for output in ("clean", "quarantine"):  # no extra columns, such as a pandas index
        assert not [name for name in other_frames[output].columns if name.startswith("__")]
    names = [set(read["clean"].columns) - {"_rowsift_line"} for _, read in outputs.values()]
    assert names[1] == names[0]
    for key in ("rows_in", "rows_clean", "rows_quarantined", "failures", "status"):
        assert other[key] == base[key], key
    reasons = [
        frames["quarantine"]
        .select("_rowsift_row", pl.col("_rowsift_reasons").cast(pl.List(pl.String)))
        .sort("_rowsift_row")
        for frames in (base_frames, other_frames)
    ]
    assert reasons[0].equals(reasons[1])
    clean = [
        frames["clean"]
        .select(
            "_rowsift_row",
            "order_id",
            pl.col("amount").cast(pl.String),
            "quantity",
            pl.col("created_at").cast(pl.String),
        )
        .sort("_rowsift_row")
        for frames in (base_frames, other_frames)
    ]
    assert clean[0].equals(clean[1])


def test_a_second_dataset_rule_of_one_kind_gets_its_own_id() -> None:
    """Two row counts (of the input and of the clean rows) are judged and reported apart."""
    recipe = rowsift.load_recipe_text(
        "version: 1\n"
        "columns:\n  a: {rules: [not_null]}\n"
        "dataset:\n"
        "  - row_count: {min: 3}\n"
        "  - row_count: {min: 3, of: clean}\n"
        "  - null_rate: {column: a, max: 0.5}\n"
        "  - null_rate: {column: a, max: 0.1, severity: warn}\n"
    )
    summary = rowsift.run(recipe, pl.DataFrame({"a": ["x", None, "y"]})).summary
    outcomes = {rule.id: rule.passed for rule in summary.dataset}
    assert outcomes == {
        "dataset.row_count": True,
        "dataset.row_count_2": False,
        "dataset.null_rate.a": True,
        "dataset.null_rate.a_2": False,
    }


def test_a_header_split_by_another_delimiter_is_named_in_the_error(tmp_path: Path) -> None:
    data = tmp_path / "semicolons.csv"
    data.write_text("id;name\n1;a\n2;b\n")
    recipe = rowsift.load_recipe_text("version: 1\ncolumns:\n  id: {}\n  name: {}\n")
    with pytest.raises(InputError) as caught:
        rowsift.run_file(recipe, data, tmp_path / "out")
    assert caught.value.message == (
        f"{data}: the input has one column, 'id;name', which looks like a header split by ';'"
    )
    assert caught.value.file == str(data)
    assert caught.value.hint == "set source.delimiter: ';' in the recipe, or source.detect: true"


def test_parquet_names_that_differ_only_in_case_are_refused_by_duckdb_and_read_elsewhere(
    tmp_path: Path,
) -> None:
    data = tmp_path / "case.parquet"
    pl.DataFrame({"Name": ["a"], "NAME": ["b"]}).write_parquet(data)
    recipe = rowsift.load_recipe_text("version: 1\ncolumns: {Name: {}, NAME: {}}\n")
    with pytest.raises(UsageError, match="differ only in case: 'Name' and 'NAME'"):
        rowsift.run_file(recipe, data, tmp_path / "duck", engine="duckdb")
    assert not (tmp_path / "duck").exists()
    assert rowsift.run_file(recipe, data, tmp_path / "polars").rows_clean == 1


def test_a_missing_column_error_cuts_long_names_and_long_lists(tmp_path: Path) -> None:
    long = "n" * 1000
    data = tmp_path / "wide.csv"
    data.write_text(",".join([long, *[f"c{i}" for i in range(40)]]) + "\n" + "1," * 40 + "1\n")
    recipe = rowsift.load_recipe_text(f"version: 1\ncolumns: {{{long}x: {{}}}}\n")
    with pytest.raises(InputError) as caught:
        rowsift.run_file(recipe, data, tmp_path / "out")
    said = caught.value.render()
    assert len(said) < 2000
    assert "(1,001 chars)" in said
    assert "(1,000 chars)" in said
    assert "and 21 more" in said
