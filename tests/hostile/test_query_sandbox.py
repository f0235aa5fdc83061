"""A recipe's `source.query` only reads: one SELECT, read-only, no other files (real SQLite,
DuckDB and PostgreSQL)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import psycopg
import pytest
from hostile_checks import Outcome, assert_clean_exit, assert_conserved, assert_no_outputs

from rowsift.io.database import without_credentials


def _recipe(tmp_path: Path, query: str, fmt: str | None = None) -> Path:
    path = tmp_path / f"r{uuid.uuid4().hex[:6]}.yaml"
    source = {"query": query, **({"format": fmt} if fmt else {})}
    import yaml

    path.write_text(yaml.safe_dump({"version": 1, "source": source, "columns": {"a": {}}}))
    return path


@pytest.fixture
def duck(tmp_path: Path) -> Path:
    path = tmp_path / "t.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE t AS SELECT i AS a FROM range(3) r(i)")
    (tmp_path / "secret.csv").write_text("a\nsecret\n")
    return path


@pytest.fixture
def lite(tmp_path: Path) -> Path:
    path = tmp_path / "t.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (a TEXT)")
        connection.executemany("INSERT INTO t VALUES (?)", [("x",), ("y",), ("z",)])
    return path


def _table_rows(path: Path) -> int:
    if path.suffix == ".duckdb":
        with duckdb.connect(str(path), read_only=True) as connection:
            return int(connection.execute("SELECT count(*) FROM t").fetchone()[0])  # type: ignore[index]
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM t").fetchone()[0])


DUCKDB_REFUSED = [
    "COPY t TO '{dir}/leak.csv'",
    "SELECT * FROM read_csv('{dir}/secret.csv')",
    "SELECT * FROM t; COPY t TO '{dir}/leak.csv'",
    "SELECT 1 AS a; DROP TABLE t",
    "ATTACH '{dir}/other.duckdb' AS o",
    "INSTALL httpfs",
    "SET enable_external_access = true",
    "CREATE TABLE u AS SELECT 1 AS a",
    "SELECT * FROM read_text('/etc/hostname')",
    "PRAGMA version",
]
SQLITE_REFUSED = [
    "SELECT a FROM t; DELETE FROM t",
    "ATTACH DATABASE '{dir}/other.sqlite' AS o",
    "DELETE FROM t RETURNING a",
    "PRAGMA writable_schema = 1",
    "SELECT a FROM t) LIMIT 0; DELETE FROM t; SELECT a FROM (SELECT a FROM t",
]


@pytest.mark.parametrize("query", DUCKDB_REFUSED)
def test_duckdb_queries_that_do_more_than_read_their_database_are_refused(
    cli: Callable[..., Outcome], duck: Path, tmp_path: Path, query: str
) -> None:
    recipe = _recipe(tmp_path, query.format(dir=tmp_path))
    out = tmp_path / "out"
    outcome = cli("run", recipe, duck, "--out", out)
    assert_clean_exit(outcome, allowed=(2, 3))
    assert "source.query" in outcome.stderr or "cannot read" in outcome.stderr
    assert not (tmp_path / "leak.csv").exists()
    assert not (tmp_path / "other.duckdb").exists()
    assert _table_rows(duck) == 3
    assert_no_outputs(out)


def test_duckdb_external_access_is_given_on_the_command_line_only(
    cli: Callable[..., Outcome], duck: Path, tmp_path: Path
) -> None:
    recipe = _recipe(tmp_path, f"SELECT a FROM read_csv('{tmp_path}/secret.csv', all_varchar=1)")
    outcome = cli("run", recipe, duck, "--out", tmp_path / "refused")
    assert_clean_exit(outcome, allowed=(2,))
    assert "--allow-external-access" in outcome.stderr
    out = tmp_path / "allowed"
    outcome = cli("run", recipe, duck, "--out", out, "--allow-external-access", "-q")
    assert_clean_exit(outcome, allowed=(0,))
    assert assert_conserved(out, 1).clean["a"].to_list() == ["secret"]


def test_a_reading_query_still_works_everywhere(
    cli: Callable[..., Outcome], duck: Path, lite: Path, tmp_path: Path
) -> None:
    for database in (duck, lite):
        recipe = _recipe(tmp_path, "SELECT a FROM t WHERE a IS NOT NULL ORDER BY a;  ")
        out = tmp_path / database.suffix[1:]
        assert_clean_exit(cli("run", recipe, database, "--out", out, "-q"), allowed=(0,))
        assert_conserved(out, 3)


@pytest.mark.parametrize("query", SQLITE_REFUSED)
def test_sqlite_queries_that_do_more_than_read_are_refused(
    cli: Callable[..., Outcome], lite: Path, tmp_path: Path, query: str
) -> None:
    recipe = _recipe(tmp_path, query.format(dir=tmp_path))
    out = tmp_path / "out"
    assert_clean_exit(cli("run", recipe, lite, "--out", out), allowed=(2, 3))
    assert not (tmp_path / "other.sqlite").exists()
    assert _table_rows(lite) == 3
    assert_no_outputs(out)


@pytest.fixture
def pg_table(postgres_url: str) -> Iterator[tuple[str, str]]:
    name = f"hostile_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f"CREATE TABLE {name} (a text)")
        connection.execute(f"INSERT INTO {name} VALUES ('x'), ('y'), ('z')")
    yield postgres_url, name
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f"DROP TABLE IF EXISTS {name}")


def _pg_rows(url: str, name: str) -> int:
    with psycopg.connect(url) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0])  # type: ignore[index]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT a FROM {t}; DELETE FROM {t}",
        "SELECT a FROM {t}) AS q LIMIT 0; DELETE FROM {t}; SELECT * FROM (SELECT a FROM {t}",
        "WITH gone AS (DELETE FROM {t} RETURNING a) SELECT a FROM gone",
        "SELECT a FROM {t}) AS q; COMMIT; DELETE FROM {t}; SELECT * FROM (SELECT 1 AS a",
        "SELECT set_config('default_transaction_read_only', 'off', false) AS a",
        "DELETE FROM {t}",
        "SELECT a FROM {t} -- ) AS q LIMIT 0; DELETE FROM {t}",
    ],
)
def test_postgres_queries_run_read_only_as_one_statement(
    cli: Callable[..., Outcome], pg_table: tuple[str, str], tmp_path: Path, query: str
) -> None:
    url, name = pg_table
    recipe = _recipe(tmp_path, query.format(t=name), fmt="postgres")
    out = tmp_path / "out"
    outcome = cli("run", recipe, url, "--out", out)
    assert_clean_exit(outcome)
    assert _pg_rows(url, name) == 3
    if outcome.code == 0:  # a comment or a harmless setting: read, and nothing else
        assert_conserved(out, None)
    else:
        assert_no_outputs(out)


def test_postgres_from_the_command_line_reads_and_masks_the_password(
    cli: Callable[..., Outcome], pg_table: tuple[str, str], tmp_path: Path
) -> None:
    url, name = pg_table
    recipe = _recipe(tmp_path, f"SELECT a FROM {name} ORDER BY a")
    with_password = url.replace("postgres@", "postgres:hunter2@")
    out = tmp_path / "out"
    outcome = cli("run", recipe, with_password, "--out", out, "-q")
    assert_clean_exit(outcome, allowed=(0,))
    written = assert_conserved(out, 3)
    assert written.clean["a"].to_list() == ["x", "y", "z"]
    assert "hunter2" not in (out / "summary.json").read_text()
    assert written.summary["input"]["path"] == without_credentials(with_password)
    converted = tmp_path / "pg.csv"
    outcome = cli("convert", with_password, converted, "--query", f"SELECT a FROM {name}", "-q")
    assert_clean_exit(outcome, allowed=(0,))
    assert converted.read_text().splitlines() == ["a", "x", "y", "z"]


def test_help_names_every_input_format(cli: Callable[..., Outcome]) -> None:
    for command in ("run", "convert"):
        text = " ".join(cli(command, "--help").stdout.split())
        for name in ("CSV", "TSV", "Excel", "JSON", "NDJSON", "Parquet", "SQLite", "DuckDB"):
            assert name in text, (command, name)
        assert "postgresql://" in text
