"""The engines every run-level test goes through, a plain-Python view of a run's outputs, and
the markers that sort tests into lanes.

Lanes: `make test-fast` deselects the markers in `FAST_LANE_SKIPS` and runs a quarter of the
examples of the property tests that ask `examples(n)`; `make test` runs everything.
A test is marked `spark` or `dask` automatically when a parameter (the `engine` fixture's, or
any of its own) names that engine, and `postgres` when it uses the `postgres_url` fixture
(directly or through other fixtures) or a `postgresql` parameter; any other test that needs one
of them carries the marker itself (``@pytest.mark.spark``). A test that starts Spark or imports
Dask without its marker fails, naming the marker it lacks, so the fast lane stays free of them.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import polars as pl
import pytest

import rowsift
from tests.peers import agreement_log

ENGINES = ("polars-eager", "polars-lazy", "pandas", "duckdb", "dask", "spark")
FAST_ENGINES = ("polars-eager", "polars-lazy", "pandas", "duckdb")
"""In-process engines, cheap enough for property tests with many examples per test."""
ROW = "_rowsift_row"
REASONS = "_rowsift_reasons"

Table = Mapping[str, Sequence[str | None]]


@dataclass(frozen=True)
class Outcome:
    """One run's outputs as plain Python, keyed by ``_rowsift_row``.

    `order` lists the ``_rowsift_row`` of every output row, clean ones first, so a row that
    came out twice is still seen.
    """

    clean: dict[int, dict[str, Any]]
    quarantine: dict[int, list[str]]
    originals: dict[int, dict[str, Any]]
    summary: rowsift.RunSummary
    order: list[int]


@dataclass(frozen=True)
class Engine:
    """Builds an input frame of one kind from text columns and runs a recipe on it."""

    name: str

    def frame(self, table: Table) -> Any:
        """The input as this engine's native frame; every column holds text or null."""
        if self.name == "pandas":
            return pd.DataFrame(
                {col: pd.Series(list(vals), dtype=object) for col, vals in table.items()}
            )
        if self.name in ("duckdb", "spark", "dask"):
            return query_engine_frame(self.name, table)
        frame = pl.DataFrame(
            {col: pl.Series(col, list(vals), dtype=pl.String) for col, vals in table.items()}
        )
        return frame.lazy() if self.name == "polars-lazy" else frame

    def run(self, recipe: rowsift.Recipe, table: Table) -> Outcome:
        """Run `recipe` on `table` and return both outputs as plain Python."""
        result = rowsift.run(recipe, self.frame(table))
        self.check_kind(result)
        order: list[int] = []
        clean: dict[int, dict[str, Any]] = {}
        for row in records(result.clean):
            order.append(row.pop(ROW))
            clean[order[-1]] = row
        quarantine: dict[int, list[str]] = {}
        originals: dict[int, dict[str, Any]] = {}
        for row in records(result.quarantine):
            order.append(row.pop(ROW))
            quarantine[order[-1]] = list(row.pop(REASONS))
            originals[order[-1]] = row
        return Outcome(
            clean=clean,
            quarantine=quarantine,
            originals=originals,
            summary=result.summary,
            order=order,
        )

    def check_kind(self, result: rowsift.RunResult) -> None:
        """Both outputs come back as the same kind of frame as the input."""
        expected = native_type(self.name)
        assert isinstance(result.clean, expected), type(result.clean)
        assert isinstance(result.quarantine, expected), type(result.quarantine)


def plain(value: Any) -> Any:
    """A cell as a Python value: pandas' missing markers become None; a float NaN is kept."""
    return None if value is pd.NA or value is pd.NaT else value


def native_type(name: str) -> type:
    """The frame class an engine's results come back as."""
    if name == "duckdb":
        import duckdb

        return duckdb.DuckDBPyRelation
    if name == "dask":
        import dask.dataframe as dd

        return dd.DataFrame
    if name == "spark":
        from pyspark.sql import DataFrame

        return DataFrame
    return {"polars-eager": pl.DataFrame, "polars-lazy": pl.LazyFrame, "pandas": pd.DataFrame}[name]


def query_engine_frame(name: str, table: Table) -> Any:
    """A DuckDB relation, Dask or Spark DataFrame of text columns, in the table's row order."""
    import pyarrow as pa

    arrow = pa.table({col: pa.array(list(vals), type=pa.string()) for col, vals in table.items()})
    if name == "duckdb":
        import duckdb

        return duckdb.connect().from_arrow(arrow)
    if name == "dask":
        import dask.dataframe as dd

        return dd.from_pandas(arrow.to_pandas(types_mapper=pd.ArrowDtype), npartitions=2)
    spark = spark_session()
    schema = ", ".join(f"`{col}` string" for col in table)
    rows = list(zip(*table.values(), strict=True)) if table else []
    return spark.createDataFrame(rows, schema, verifySchema=False).coalesce(1)


SPARK_TEST_CONFIG = {
    "spark.sql.shuffle.partitions": "1",
    "spark.default.parallelism": "1",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "1g",
}
"""The test run's local Spark session: one partition, so tiny tables make tiny jobs."""


def spark_session() -> Any:
    """One local Spark session for the whole test run (Java 17; started on first use), the
    one rowsift itself uses (`rowsift.engines._spark.session`), stopped when the run ends."""
    from rowsift.engines._spark.session import session

    spark = session(master="local[1]", config=SPARK_TEST_CONFIG)
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def records(frame: Any) -> list[dict[str, Any]]:
    """The rows of any engine's frame as dicts of Python values."""
    module = type(frame).__module__.split(".")[0]
    if module == "duckdb":
        frame = frame.pl()
    elif module == "dask":
        frame = frame.compute()
    elif module == "pyspark":
        return [row.asDict(recursive=True) for row in frame.collect()]
    if isinstance(frame, pl.LazyFrame):
        frame = frame.collect()
    if isinstance(frame, pl.DataFrame):
        return frame.to_dicts()
    return [{key: plain(value) for key, value in row.items()} for row in frame.to_dict("records")]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each engine in turn: Polars eager and lazy, pandas, DuckDB, Dask, Spark."""
    return Engine(request.param)


@pytest.fixture(autouse=True)
def _test_spark_session(request: pytest.FixtureRequest) -> None:
    """A test marked `spark` finds the test run's session started, whichever runs first, so
    rowsift never starts one of its own defaults (``local[*]``) in the middle of the run."""
    if request.node.get_closest_marker("spark") is not None:
        spark_session()


@pytest.fixture(scope="session", autouse=True)
def _stop_spark_at_the_end() -> Iterator[None]:
    """The local Spark session, if a test started one, stops when the test run ends."""
    yield
    if "pyspark" in sys.modules:
        from rowsift.engines._spark.session import stop

        stop()


@pytest.fixture(scope="session")
def engines() -> tuple[Engine, ...]:
    """The in-process engines at once, for tests that compare them on the same input."""
    return tuple(Engine(name) for name in FAST_ENGINES)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """URL of a real PostgreSQL server for the tests (started by scripts/test-services.sh);
    a test that uses it, even through a session fixture, is marked `postgres` at collection."""
    return _postgres_url()


@functools.cache
def _postgres_url() -> str:
    import os
    import subprocess
    from pathlib import Path

    url = os.environ.get("ROWSIFT_TEST_POSTGRES_URL")
    if url:
        return url
    script = Path(__file__).resolve().parents[1] / "scripts" / "test-services.sh"
    return subprocess.run([str(script)], capture_output=True, text=True, check=True).stdout.strip()


# -- lanes -----------------------------------------------------------------------------------

MARKED_PARAMETERS = {"spark": "spark", "dask": "dask", "postgresql": "postgres"}
"""Parameter values (engines, stores) whose tests carry a marker, and the marker."""
FAST_LANE_SKIPS = ("spark", "dask", "postgres", "browser", "slow")
"""What `make test-fast` leaves out (see the Makefile)."""
FAST_LANE = os.environ.get("ROWSIFT_TEST_LANE") == "fast"


def examples(full: int) -> int:
    """How many examples a property test runs: `full` in `make test`, a quarter in the fast
    lane (``ROWSIFT_TEST_LANE=fast``)."""
    return max(2, full // 4) if FAST_LANE else full


def _parameter_markers(item: pytest.Item) -> set[str]:
    """The markers a test's parameters call for (strings, or objects with a `name`)."""
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return set()
    markers = set()
    for value in callspec.params.values():
        name = value if isinstance(value, str) else getattr(value, "name", None)
        if isinstance(name, str) and name in MARKED_PARAMETERS:
            markers.add(MARKED_PARAMETERS[name])
    return markers


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by the engines their parameters name and the services their fixtures use."""
    for item in items:
        for marker in _parameter_markers(item):
            item.add_marker(marker)
        if "postgres_url" in getattr(item, "fixturenames", ()):
            item.add_marker("postgres")


def _spark_running() -> bool:
    context = sys.modules.get("pyspark")
    if context is None:
        return False
    from pyspark import SparkContext

    return SparkContext._active_spark_context is not None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail a test that starts Spark or imports Dask without carrying that marker."""
    spark_before, dask_before = _spark_running(), "dask.dataframe" in sys.modules
    outcome = yield
    unmarked = []
    if not spark_before and _spark_running() and item.get_closest_marker("spark") is None:
        unmarked.append("spark")
    if not dask_before and "dask.dataframe" in sys.modules and not item.get_closest_marker("dask"):
        unmarked.append("dask")
    if unmarked:
        pytest.fail(
            f"{item.nodeid} uses {' and '.join(unmarked)} but is not marked: add "
            + " ".join(f"@pytest.mark.{name}" for name in unmarked)
            + " (tests/conftest.py explains the lanes)",
            pytrace=False,
        )
    return outcome


# -- the peer agreement table, across parallel workers -------------------------------------


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A worker of a parallel run (pytest-xdist) hands its peer results to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["peer_agreement"] = agreement_log.rows()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """The controller of a parallel run gathers each worker's peer results."""
    agreement_log.merge(getattr(node, "workeroutput", {}).get("peer_agreement", []))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the agreement table when tests/peers ran."""
    lines = agreement_log.summary_lines()
    if lines:
        terminalreporter.section("agreement with peer tools (cases agreeing / cases)")
        for line in lines:
            terminalreporter.write_line(line)
