"""Fixtures of the report tests: a hostile dataset recorded in a real DuckDB store."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from hostile_runs import HostileRun, make_hostile_runs  # noqa: E402
from report_payloads import PAYLOADS  # noqa: E402


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> HostileRun:
    """Three batches of a hostile dataset in a DuckDB store; the last one drifted."""
    folder = tmp_path_factory.mktemp("hostile")
    return make_hostile_runs(folder, str(folder / "store.duckdb"), PAYLOADS[2])


@pytest.fixture(scope="session")
def postgres_hostile_run(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HostileRun]:
    """The same hostile dataset in its own database on the suite's PostgreSQL server."""
    import os

    import psycopg

    name = f"rowsift_reports_{os.getpid()}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    url = postgres_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield make_hostile_runs(tmp_path_factory.mktemp("pg"), url, PAYLOADS[3])
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
