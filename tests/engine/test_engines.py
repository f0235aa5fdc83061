"""The engine registry, the shape of every engine package, and the engines' own resources:
rowsift's DuckDB connection and its local Spark session."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from contextlib import ExitStack
from pathlib import Path

import duckdb
import polars as pl
import pytest
from tests.conftest import Engine

import rowsift
from rowsift.engine import build, compile_recipe
from rowsift.engines import ENGINES, engine_for, engine_named
from rowsift.engines.protocol import ParseJob
from rowsift.engines.sql import identifier, parsed, text
from rowsift.exceptions import UsageError
from rowsift.io.engine_files import read_with

ENGINES_DIR = Path(rowsift.__file__).parent / "engines"


@pytest.mark.parametrize("name", ENGINES)
def test_every_engine_package_has_the_same_modules_and_says_what_it_is(name: str) -> None:
    package = ENGINES_DIR / f"_{name}"
    assert {"steps.py", "frames.py", "files.py", "__init__.py"} <= {
        path.name for path in package.iterdir()
    }
    docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text()))
    assert docstring, f"rowsift.engines._{name} has no docstring"
    assert len(docstring.split()) >= 30, "a paragraph, not a line"
    assert engine_named(name).name == name


def test_an_unknown_engine_is_a_usage_error_naming_the_engines() -> None:
    with pytest.raises(UsageError) as caught:
        engine_named("cudf")
    assert caught.value.hint == "use one of polars, pandas, duckdb, spark, dask"


def test_a_frame_finds_its_engine_and_anything_else_is_refused() -> None:
    import pandas as pd

    assert engine_for(pl.LazyFrame({"a": [1]})).name == "polars"
    assert engine_for(pd.DataFrame({"a": [1]})).name == "pandas"
    assert engine_for(duckdb.connect().sql("SELECT 1 AS a")).name == "duckdb"
    with pytest.raises(UsageError, match=r"cannot run a recipe on a builtins\.dict"):
        engine_for({"a": [1]})
    with pytest.raises(UsageError, match="cannot run a recipe on a polars Series"):
        rowsift.run(rowsift.load_recipe_text("version: 1\ncolumns: {a: {}}\n"), pl.Series([1]))


def test_sql_quotes_names_and_values_so_they_stay_data() -> None:
    hostile = "x\" OR 1=1; DROP TABLE t; --'`"
    assert duckdb.sql(f"SELECT 1 AS {identifier(hostile, 'duckdb')}").columns == [hostile]
    assert duckdb.sql(f"SELECT {text(hostile, 'duckdb')} AS v").fetchall() == [(hostile,)]
    job = ParseJob(source=hostile, target="t", type="date", format="%d'%m\\%Y")
    relation = duckdb.sql(f"SELECT '01''02\\2024' AS {identifier(hostile, 'duckdb')}")
    (value,) = relation.select(duckdb.SQLExpression(parsed(job, "duckdb"))).fetchall()[0]
    assert str(value) == "2024-02-01"


def held_tables(connection: duckdb.DuckDBPyConnection) -> int:
    query = "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '__rs_held_%'"
    return int(connection.sql(query).fetchall()[0][0])


def test_duckdb_file_runs_use_rowsifts_own_connection_not_the_default_one(tmp_path: Path) -> None:
    from rowsift.engines._duckdb.connection import connection

    data = tmp_path / "t.csv"
    data.write_text("id,n\na,1\nb,x\na,2\n")
    recipe = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n  id: {rules: [unique]}\n  n: {type: int}\n"
    )
    default = duckdb.default_connection()
    with ExitStack() as hold:
        outputs = build(
            compile_recipe(recipe), read_with("duckdb", data, recipe.source).table(), hold=hold
        )
        assert held_tables(connection()) == 1
        assert held_tables(default) == 0
        assert outputs.totals.collect().rows(named=True)[0]["rows_in"] == 3
    assert held_tables(connection()) == 0


def test_rowsifts_duckdb_connection_is_one_per_thread_and_reopens_after_close() -> None:
    import threading

    from rowsift.engines._duckdb import connection as module

    here = module.connection()
    assert module.connection() is here
    other: list[duckdb.DuckDBPyConnection] = []
    thread = threading.Thread(target=lambda: other.append(module.connection()))
    thread.start()
    thread.join()
    assert other[0] is not here
    module.close()
    again = module.connection()
    assert again is not here
    assert again.sql("SELECT 42").fetchall() == [(42,)]


@pytest.mark.spark
def test_spark_sessions_rowsift_starts_are_stopped_and_a_users_is_left_alone(
    tmp_path: Path,
) -> None:
    """In a process of its own: rowsift starts a local session when a run needs one, reuses
    it, stops it (at exit too), and never stops a session the user started."""
    data = tmp_path / "t.csv"
    data.write_text("id,n\na,1\nb,2\n")
    script = textwrap.dedent(
        f"""
        import json, rowsift
        from pyspark.sql import SparkSession
        from rowsift.engines._spark import session as spark
        recipe = rowsift.load_recipe_text("version: 1\\ncolumns: {{id: {{}}, n: {{type: int}}}}\\n")
        out = {str(tmp_path)!r}
        first = rowsift.run_file(recipe, {str(data)!r}, out + "/a", engine="spark", monitor=False)
        own = SparkSession.getActiveSession()
        facts = {{"owned": spark.owns(own), "rows": first.rows_clean}}
        rowsift.run_file(recipe, {str(data)!r}, out + "/b", engine="spark", monitor=False)
        facts["reused"] = SparkSession.getActiveSession() is own
        spark.stop()
        facts["stopped"] = SparkSession.getActiveSession() is None
        user = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
                .getOrCreate())
        rowsift.run_file(recipe, {str(data)!r}, out + "/c", engine="spark", monitor=False)
        facts["user's used"] = SparkSession.getActiveSession() is user
        spark.stop()
        facts["user's kept"] = not user.sparkContext._jsc.sc().isStopped()
        user.stop()
        print(json.dumps(facts))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=600
    )
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    assert facts == {
        "owned": True,
        "rows": 2,
        "reused": True,
        "stopped": True,
        "user's used": True,
        "user's kept": True,
    }


@pytest.mark.spark
def test_spark_refuses_a_name_with_a_dot_clearly() -> None:
    """A column path in narwhals' Spark backend: a usage error naming the column and a way out,
    not UNRESOLVED_COLUMN from deep inside the run."""
    from tests.conftest import spark_session

    frame = spark_session().createDataFrame([("1",)], ["a.b"])
    recipe = rowsift.load_recipe_text("version: 1\ncolumns: {a.b: {type: int}}\n")
    with pytest.raises(UsageError, match=r"name contains a dot: 'a\.b'") as raised:
        rowsift.run(recipe, frame)
    assert "withColumnRenamed" in (raised.value.hint or "")


def test_a_mapped_column_keeps_its_missing_values_missing(engine: Engine) -> None:
    """A `map` leaves a missing value missing (null, not a float NaN) on every engine, so rules
    after it and the outputs see what the other engines see."""
    recipe = rowsift.load_recipe_text(
        "version: 1\ncolumns: {code: {transforms: [{map: {a: b}}], rules: [unique]}}\n"
    )
    for values in ([None, None], [None, "a", "c", None]):
        outcome = engine.run(recipe, {"code": values})
        mapped = ["b" if value == "a" else value for value in values]
        assert [outcome.clean[row]["code"] for row in sorted(outcome.clean)] == mapped
        assert outcome.quarantine == {}
