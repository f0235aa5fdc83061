"""The metric store on a real DuckDB file and a real PostgreSQL server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import polars as pl
import pytest

from rowsift.exceptions import InputError, UsageError
from rowsift.monitor.measure import measure_batch
from rowsift.monitor.store import RuleFailures, RunRecord, SqlStore, open_store

COLUMNS = 12


def _frame(seed: int) -> pl.DataFrame:
    rows = 200 + seed
    return pl.DataFrame(
        {
            f"c{i}": [float((seed * 31 + r * (i + 1)) % 97) for r in range(rows)]
            for i in range(COLUMNS)
        }
        | {"city": [("Oslo", "Rome", "Lima")[(r + seed) % 3] for r in range(rows)]}
    )


def _run(seed: int, dataset: str = "orders") -> RunRecord:
    frame = _frame(seed)
    return RunRecord(
        run_id=f"run-{seed:04d}-{uuid.uuid4().hex[:6]}",
        dataset=dataset,
        batch=f"2026-01-{seed % 28 + 1:02d}",
        started_at=f"2026-01-01T00:00:{seed % 60:02d}+00:00",
        finished_at=f"2026-01-01T00:{seed % 60:02d}:00+00:00",
        status="pass",
        rows_in=frame.height + 3,
        rows_clean=frame.height,
        rows_quarantined=3,
        recipe_name="orders",
        recipe_version=1,
        recipe_sha256="ab" * 32,
        rules=(
            RuleFailures(rule_id="c0.not_null", severity="error", failed=2),
            RuleFailures(rule_id="city.in_set", severity="error", failed=1),
        ),
        metrics=measure_batch(frame),
        alerts=({"kind": "volume", "subject": "rows_in", "message": "m", "details": {}},),
    )


@pytest.fixture(params=["duckdb", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> SqlStore:
    if request.param == "duckdb":
        return open_store(tmp_path / "store.duckdb")
    url: str = request.getfixturevalue("fresh_postgres")
    return open_store(url)


def test_a_run_comes_back_as_it_was_recorded(store: SqlStore) -> None:
    run = _run(1)
    store.record(run)
    again = store.get(run.run_id)
    assert again == run
    assert again.metrics is not None
    assert again.metrics.to_dict() == run.metrics.to_dict()  # type: ignore[union-attr]


def test_runs_come_newest_first_and_filter_by_dataset(store: SqlStore) -> None:
    assert store.runs() == []
    for seed in (3, 1, 2):
        store.record(_run(seed))
    store.record(_run(9, dataset="payments"))
    listed = store.runs(dataset="orders")
    assert [run.run_id.split("-")[1] for run in listed] == ["0003", "0002", "0001"]
    assert all(run.metrics is None for run in listed)
    assert len(store.runs(limit=2)) == 2
    with_metrics = store.runs(dataset="payments", metrics=True)
    assert with_metrics[0].metrics is not None
    assert list(with_metrics[0].metrics.columns) == [f"c{i}" for i in range(COLUMNS)] + ["city"]


def test_an_unknown_run_is_a_usage_error_and_a_unique_prefix_is_enough(store: SqlStore) -> None:
    run = _run(5)
    store.record(run)
    assert store.get(run.run_id[:12]).run_id == run.run_id
    with pytest.raises(UsageError, match="no run 'nope'"):
        store.get("nope")


def test_a_failed_write_leaves_nothing_of_the_run(store: SqlStore) -> None:
    run = _run(7)
    store.record(run)
    # the same rule twice violates the key half-way through the transaction
    broken = RunRecord(**{**run.__dict__, "run_id": "broken", "rules": run.rules + run.rules[:1]})
    with pytest.raises(Exception, match=r"(?i)constraint|duplicate|unique"):
        store.record(broken)
    assert [r.run_id for r in store.runs()] == [run.run_id]
    with pytest.raises(UsageError):
        store.get("broken")


def _record_many(url: str, start: int, count: int) -> None:
    target = open_store(url)
    for seed in range(start, start + count):
        target.record(_run(seed))


def _writer(url: str, start: int, count: int) -> subprocess.Popen[bytes]:
    root = str(Path(__file__).resolve().parents[2])
    code = (
        f"import sys; sys.path.insert(0, {root!r})\n"
        "from tests.monitor.test_store import _record_many\n"
        f"_record_many({url!r}, {start}, {count})\n"
    )
    return subprocess.Popen([sys.executable, "-c", code])


@pytest.mark.slow
def test_eight_processes_writing_at_once_lose_nothing(store: SqlStore) -> None:
    workers = [_writer(store.target, w * 10, 5) for w in range(8)]
    assert [worker.wait(timeout=180) for worker in workers] == [0] * 8
    runs = store.runs(metrics=True)
    assert len(runs) == 40
    assert len({run.run_id for run in runs}) == 40
    for run in runs:
        assert run.metrics is not None
        assert len(run.metrics.columns) == COLUMNS + 1
        assert len(run.rules) == 2


def test_a_writer_killed_mid_run_leaves_only_whole_runs(store: SqlStore) -> None:
    writer = _writer(store.url, 0, 10_000)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # let it record a few runs, then kill it mid-stream
        time.sleep(0.5)
        if len(_ids(store)) >= 3:
            break
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    runs = store.runs(metrics=True)
    assert len(runs) >= 3
    for run in runs:
        assert run.metrics is not None
        assert len(run.metrics.columns) == COLUMNS + 1
        assert len(run.rules) == 2


def _ids(store: SqlStore) -> list[str]:
    try:
        return [run.run_id for run in store.runs()]
    except InputError:
        return []


def test_a_runs_recipe_is_kept_once_per_fingerprint_and_comes_back(store: SqlStore) -> None:
    assert store.recipe("ab" * 32) is None
    text = "version: 1\nname: orders\ncolumns:\n  id: {rules: [not_null]}\n"
    store.record(_run(1), recipe=lambda: text)
    asked: list[int] = []
    store.record(_run(2), recipe=lambda: str(asked.append(1)))  # the same fingerprint again
    assert asked == []  # kept once: its text is not even made again
    store.record(_run(3))  # a run recorded without it
    assert store.recipe("ab" * 32) == text
    assert store.recipe("cd" * 32) is None
    with store._connect() as cursor:
        assert cursor.fetch("SELECT count(*) FROM rowsift_recipes", []) == [(1,)]


def test_store_urls() -> None:
    assert open_store("duckdb:///tmp/x.duckdb").target == "/tmp/x.duckdb"
    assert open_store("postgresql://u@h:5432/db").dialect == "postgresql"
    assert open_store("relative/x.duckdb").dialect == "duckdb"
    with pytest.raises(UsageError, match="unknown store URL scheme 'mysql'"):
        open_store("mysql://u@h/db")
    with pytest.raises(UsageError, match="three slashes"):
        open_store("duckdb://relative.duckdb")


def test_a_store_in_a_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        open_store(tmp_path / "nope" / "store.duckdb").runs()


@pytest.mark.parametrize("written", [b"id,amount\na,1\n", b"PAR1" + bytes(64), b"\x00" * 4096])
def test_a_file_that_is_not_a_duckdb_database_is_refused_as_a_store(
    tmp_path: Path, written: bytes
) -> None:
    """DuckDB opens some files (a .csv, a .parquet) as a database in memory: every run
    recorded there would be lost without a word."""
    path = tmp_path / "store.csv"
    path.write_bytes(written)
    with pytest.raises(InputError, match="is not a DuckDB store"):
        open_store(path).runs()
    assert path.read_bytes() == written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.csv"]


def test_a_new_store_path_with_any_suffix_becomes_a_duckdb_store(tmp_path: Path) -> None:
    store = open_store(tmp_path / "runs.csv")
    assert store.runs() == []
    assert (tmp_path / "runs.csv").read_bytes()[8:12] == b"DUCK"


def test_a_connection_string_with_a_password_is_refused_not_made_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError) as caught:
        open_store("host=127.0.0.1 dbname=m password=s3cret").runs()
    assert "s3cret" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_postgres_is_an_input_error_without_the_password() -> None:
    target = open_store("postgresql://me:secret@127.0.0.1:1/db")
    with pytest.raises(InputError) as caught:
        target.runs()
    assert "secret" not in str(caught.value)
    assert "me:***@" in str(caught.value)


#: the tables as rowsift wrote them before store versions (no rowsift_schema table)
_VERSION_1_STORE = (
    "CREATE TABLE rowsift_runs (run_id TEXT PRIMARY KEY, dataset TEXT NOT NULL, batch TEXT NOT"
    " NULL, recipe_name TEXT, recipe_version INTEGER, recipe_sha256 TEXT, input_path TEXT,"
    " input_sha256 TEXT, engine TEXT, started_at TEXT NOT NULL, finished_at TEXT NOT NULL,"
    " status TEXT NOT NULL, rows_in BIGINT NOT NULL, rows_clean BIGINT NOT NULL,"
    " rows_quarantined BIGINT NOT NULL, alerts TEXT NOT NULL)",
    "CREATE TABLE rowsift_rule_failures (run_id TEXT NOT NULL, rule_id TEXT NOT NULL,"
    " severity TEXT NOT NULL, failed BIGINT NOT NULL, PRIMARY KEY (run_id, rule_id))",
    "CREATE TABLE rowsift_column_metrics (run_id TEXT NOT NULL, position INTEGER NOT NULL,"
    " column_name TEXT NOT NULL, kind TEXT NOT NULL, dtype TEXT NOT NULL, rows BIGINT NOT NULL,"
    " nulls BIGINT NOT NULL, null_rate DOUBLE PRECISION NOT NULL, distinct_count BIGINT,"
    " mean DOUBLE PRECISION, std DOUBLE PRECISION, detail TEXT NOT NULL,"
    " PRIMARY KEY (run_id, column_name))",
    "INSERT INTO rowsift_runs VALUES ('20260101T000000Z-0ld0ld', 'orders', '2026-01-01',"
    " 'orders', 1, NULL, NULL, NULL, 'polars', '2026-01-01T00:00:00+00:00',"
    " '2026-01-01T00:00:01+00:00', 'pass', 10, 10, 0,"
    ' \'[{"kind": "volume", "subject": "rows_in", "message": "old", "details": {}}]\')',
)


def _old_store(store: SqlStore) -> None:
    if store.dialect == "duckdb":
        import duckdb

        with duckdb.connect(store.target) as connection:
            for statement in _VERSION_1_STORE:
                connection.execute(statement)
    else:
        import psycopg

        with psycopg.connect(store.target) as connection:
            for statement in _VERSION_1_STORE:
                connection.execute(statement)


def test_a_store_written_before_versions_opens_and_is_migrated(store: SqlStore) -> None:
    from rowsift.monitor._schema import SCHEMA_VERSION

    _old_store(store)
    assert store.recipe("ab" * 32) is None  # read before any migration: no table, no recipe
    [old] = store.runs()
    assert (old.run_id, old.alerts[0]["message"]) == ("20260101T000000Z-0ld0ld", "old")
    assert store.incidents() == []
    assert store.marks("orders") == []
    assert store.get("0ld0ld").batch == "2026-01-01"
    new = _run(5)
    changes = store.record(new, recipe=lambda: "version: 1\n")
    assert store.recipe("ab" * 32) == "version: 1\n"
    assert [i.subject for i in changes.opened] == ["rows_in"]
    assert [run.run_id for run in store.runs()] == [new.run_id, old.run_id]
    with store._connect() as cursor:
        assert cursor.fetch("SELECT version FROM rowsift_schema", []) == [(SCHEMA_VERSION,)]
    store.record(_run(6))  # a migrated store is not migrated again
    assert len(store.runs()) == 3


def test_a_version_2_store_gains_the_recipes_on_its_next_write(store: SqlStore) -> None:
    first = _run(1)
    store.record(first)
    with store._transaction() as cursor:  # the store as version 2 left it
        cursor.execute("DROP TABLE rowsift_recipes")
        cursor.execute("UPDATE rowsift_schema SET version = 2")
    assert store.recipe("ab" * 32) is None
    store.record(_run(2), recipe=lambda: "version: 1\n")
    assert store.recipe("ab" * 32) == "version: 1\n"
    assert store.get(first.run_id) == first
    with store._connect() as cursor:
        assert cursor.fetch("SELECT version FROM rowsift_schema", []) == [(3,)]


def test_a_store_from_a_newer_rowsift_is_refused_clearly(tmp_path: Path) -> None:
    store = open_store(tmp_path / "new.duckdb")
    store.record(_run(1))
    with store._connect() as cursor:
        cursor.execute("UPDATE rowsift_schema SET version = 99")
    with pytest.raises(InputError, match="written by a newer rowsift"):
        store.record(_run(2))
