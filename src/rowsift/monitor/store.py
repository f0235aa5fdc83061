"""The metric store: every run, its rule failures and its column metrics, in DuckDB or PostgreSQL.

One run is written in one transaction, so a killed run leaves nothing half-recorded. A DuckDB
file admits one writing process at a time: a process that finds it locked waits and retries,
so several runs recording at once lose nothing.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from rowsift.exceptions import UsageError
from rowsift.monitor._database import (
    DuckCursor,
    PgCursor,
    duckdb_connection,
    postgres_connection,
)
from rowsift.monitor.metrics import BatchMetrics, ColumnMetrics
from rowsift.monitor.urls import shown_store

_TABLES = (
    """CREATE TABLE IF NOT EXISTS rowsift_runs (
        run_id TEXT PRIMARY KEY,
        dataset TEXT NOT NULL,
        batch TEXT NOT NULL,
        recipe_name TEXT,
        recipe_version INTEGER,
        recipe_sha256 TEXT,
        input_path TEXT,
        input_sha256 TEXT,
        engine TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        status TEXT NOT NULL,
        rows_in BIGINT NOT NULL,
        rows_clean BIGINT NOT NULL,
        rows_quarantined BIGINT NOT NULL,
        alerts TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS rowsift_rule_failures (
        run_id TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        failed BIGINT NOT NULL,
        PRIMARY KEY (run_id, rule_id)
    )""",
    """CREATE TABLE IF NOT EXISTS rowsift_column_metrics (
        run_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        column_name TEXT NOT NULL,
        kind TEXT NOT NULL,
        dtype TEXT NOT NULL,
        rows BIGINT NOT NULL,
        nulls BIGINT NOT NULL,
        null_rate DOUBLE PRECISION NOT NULL,
        distinct_count BIGINT,
        mean DOUBLE PRECISION,
        std DOUBLE PRECISION,
        detail TEXT NOT NULL,
        PRIMARY KEY (run_id, column_name)
    )""",
)

_RUN_COLUMNS = (
    "run_id",
    "dataset",
    "batch",
    "recipe_name",
    "recipe_version",
    "recipe_sha256",
    "input_path",
    "input_sha256",
    "engine",
    "started_at",
    "finished_at",
    "status",
    "rows_in",
    "rows_clean",
    "rows_quarantined",
    "alerts",
)


@dataclass(frozen=True, kw_only=True)
class RuleFailures:
    """How many rows one rule failed in one run."""

    rule_id: str
    severity: str
    failed: int


@dataclass(frozen=True, kw_only=True)
class RunRecord:
    """Everything the store keeps about one run of a recipe on one batch."""

    run_id: str
    dataset: str
    batch: str
    started_at: str
    finished_at: str
    status: str
    rows_in: int
    rows_clean: int
    rows_quarantined: int
    recipe_name: str | None = None
    recipe_version: int | None = None
    recipe_sha256: str | None = None
    input_path: str | None = None
    input_sha256: str | None = None
    engine: str | None = None
    rules: tuple[RuleFailures, ...] = ()
    metrics: BatchMetrics | None = None
    alerts: tuple[dict[str, Any], ...] = ()

    @property
    def quarantine_rate(self) -> float:
        """Share of input rows quarantined (0 for an empty batch)."""
        return self.rows_quarantined / self.rows_in if self.rows_in else 0.0

    def to_dict(self, *, with_metrics: bool = False) -> dict[str, Any]:
        """Plain data for JSON."""
        data: dict[str, Any] = {name: getattr(self, name) for name in _RUN_COLUMNS}
        data["alerts"] = list(self.alerts)
        data["failures"] = {rule.rule_id: rule.failed for rule in self.rules if rule.failed}
        if with_metrics and self.metrics is not None:
            data["metrics"] = self.metrics.to_dict()
        return data


class Store(Protocol):
    """Where runs are kept: `record` one, read them back newest first."""

    @property
    def url(self) -> str:
        """The store's address as it may be shown (credentials masked)."""

    def record(self, run: RunRecord) -> None:
        """Write one run in a single transaction."""

    def runs(
        self,
        *,
        dataset: str | None = None,
        limit: int | None = None,
        metrics: bool = False,
        since: str | None = None,
    ) -> list[RunRecord]:
        """Runs newest first, optionally of one dataset and since a time, with their metrics."""

    def get(self, run_id: str) -> RunRecord:
        """One run with its metrics; an unknown id is an error with the closest known ids."""


@dataclass(frozen=True)
class SqlStore:
    """A store in a DuckDB file or a PostgreSQL database; the SQL is the same for both.

    `url` is the address as it may be shown (its password masked); `target` is what is
    connected to, and is never printed.
    """

    url: str
    dialect: str
    target: str = field(repr=False)
    #: a read-only store refuses every write at the database (DuckDB read-only connections,
    #: PostgreSQL read-only transactions): what a dashboard or a report opens
    read_only: bool = False

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        if self.dialect == "duckdb":
            with duckdb_connection(Path(self.target), read_only=self.read_only) as connection:
                yield DuckCursor(connection)
        else:
            with postgres_connection(self.target, read_only=self.read_only) as connection:
                yield PgCursor(connection)

    def _ensure_tables(self, cursor: Any) -> None:
        if self.dialect == "postgresql":
            # concurrent CREATE TABLE IF NOT EXISTS can collide in the catalog: serialise it
            cursor.execute("SELECT pg_advisory_xact_lock(74211)")
        for statement in _TABLES:
            cursor.execute(statement)

    def record(self, run: RunRecord) -> None:
        """Write one run in a single transaction."""
        with self._connect() as cursor:
            cursor.begin()
            try:
                self._ensure_tables(cursor)
                cursor.execute(
                    f"INSERT INTO rowsift_runs ({', '.join(_RUN_COLUMNS)}) "
                    f"VALUES ({', '.join('?' for _ in _RUN_COLUMNS)})",
                    _run_row(run),
                )
                if run.rules:
                    cursor.executemany(
                        "INSERT INTO rowsift_rule_failures VALUES (?, ?, ?, ?)",
                        [(run.run_id, r.rule_id, r.severity, r.failed) for r in run.rules],
                    )
                if run.metrics is not None:
                    cursor.executemany(
                        "INSERT INTO rowsift_column_metrics VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        _metric_rows(run.run_id, run.metrics),
                    )
                cursor.commit()
            except BaseException:
                cursor.rollback()
                raise

    def runs(
        self,
        *,
        dataset: str | None = None,
        limit: int | None = None,
        metrics: bool = False,
        since: str | None = None,
    ) -> list[RunRecord]:
        """Runs newest first, optionally of one dataset, with their column metrics if asked.

        `since` (an ISO 8601 time in UTC) keeps the runs that finished at or after it.
        """
        conditions: list[str] = []
        params: list[Any] = []
        if dataset is not None:
            conditions.append("dataset = ?")
            params.append(dataset)
        if since is not None:
            conditions.append("finished_at >= ?")
            params.append(since)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        page = f" LIMIT {int(limit)}" if limit is not None else ""
        with self._connect() as cursor:
            if not cursor.has_table("rowsift_runs"):
                return []
            rows = cursor.fetch(
                f"SELECT {', '.join(_RUN_COLUMNS)} FROM rowsift_runs {where} "
                f"ORDER BY finished_at DESC, run_id DESC{page}",
                params,
            )
            ids = [row[0] for row in rows]
            rules = self._rules(cursor, ids)
            measured = self._metrics(cursor, ids) if metrics else {}
        return [_run_from_row(row, rules.get(row[0], ()), measured.get(row[0])) for row in rows]

    def get(self, run_id: str) -> RunRecord:
        """One run with its metrics; an unknown id is an error with the closest known ids."""
        with self._connect() as cursor:
            known = (
                [r[0] for r in cursor.fetch("SELECT run_id FROM rowsift_runs", [])]
                if cursor.has_table("rowsift_runs")
                else []
            )
            rows = (
                cursor.fetch(
                    f"SELECT {', '.join(_RUN_COLUMNS)} FROM rowsift_runs WHERE run_id = ?", [run_id]
                )
                if known
                else []
            )
            prefixed = [k for k in known if k.startswith(run_id)] if not rows else []
            if not rows and len(prefixed) != 1:
                raise UsageError(
                    f"no run {run_id!r} in the store {self.url}",
                    hint="`rowsift history` lists the runs"
                    + (f"; did you mean {', '.join(sorted(prefixed)[:3])}?" if prefixed else ""),
                )
            if not rows:  # a unique prefix: read that run
                run_id = prefixed[0]
                rows = cursor.fetch(
                    f"SELECT {', '.join(_RUN_COLUMNS)} FROM rowsift_runs WHERE run_id = ?",
                    [run_id],
                )
            rules = self._rules(cursor, [run_id])
            measured = self._metrics(cursor, [run_id])
        return _run_from_row(rows[0], rules.get(run_id, ()), measured.get(run_id))

    @staticmethod
    def _rules(cursor: Any, ids: Sequence[str]) -> dict[str, tuple[RuleFailures, ...]]:
        found: dict[str, list[RuleFailures]] = {}
        for chunk in _chunks(ids):
            rows = cursor.fetch(
                "SELECT run_id, rule_id, severity, failed FROM rowsift_rule_failures "
                f"WHERE run_id IN ({', '.join('?' for _ in chunk)}) ORDER BY run_id, rule_id",
                list(chunk),
            )
            for run_id, rule_id, severity, failed in rows:
                found.setdefault(run_id, []).append(
                    RuleFailures(rule_id=rule_id, severity=severity, failed=int(failed))
                )
        return {key: tuple(value) for key, value in found.items()}

    @staticmethod
    def _metrics(cursor: Any, ids: Sequence[str]) -> dict[str, BatchMetrics]:
        found: dict[str, dict[str, ColumnMetrics]] = {}
        rows_of: dict[str, int] = {}
        for chunk in _chunks(ids):
            rows = cursor.fetch(
                "SELECT run_id, column_name, detail FROM rowsift_column_metrics "
                f"WHERE run_id IN ({', '.join('?' for _ in chunk)}) ORDER BY run_id, position",
                list(chunk),
            )
            for run_id, name, detail in rows:
                column = ColumnMetrics.from_dict(name, json.loads(detail))
                found.setdefault(run_id, {})[name] = column
                rows_of[run_id] = column.rows
        return {
            run_id: BatchMetrics(rows=rows_of[run_id], columns=columns)
            for run_id, columns in found.items()
        }


def open_store(url: str | os.PathLike[str], *, read_only: bool = False) -> SqlStore:
    """The store at `url`: a DuckDB file path, ``duckdb:///path``, or ``postgresql://…``.

    >>> open_store("duckdb:///tmp/metrics.duckdb").dialect
    'duckdb'
    """
    text = os.fspath(url)
    if re.match(r"^postgres(ql)?://", text):
        return SqlStore(
            url=shown_store(text), dialect="postgresql", target=text, read_only=read_only
        )
    if text.startswith("duckdb://"):
        path = text.removeprefix("duckdb://")
        if not path.startswith("/"):
            raise UsageError(
                f"cannot understand the store URL {shown_store(text)!r}",
                hint="write duckdb:///absolute/path/store.duckdb (three slashes) or a plain path",
            )
        return SqlStore(url=text, dialect="duckdb", target=path, read_only=read_only)
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise UsageError(
            f"unknown store URL scheme {scheme!r}",
            hint="use a DuckDB file path, duckdb:///path/store.duckdb or postgresql://user@host/db",
        )
    return SqlStore(url=text, dialect="duckdb", target=text, read_only=read_only)


def _run_row(run: RunRecord) -> list[Any]:
    values = {name: getattr(run, name) for name in _RUN_COLUMNS}
    values["alerts"] = json.dumps(list(run.alerts), sort_keys=True)
    return [values[name] for name in _RUN_COLUMNS]


def _metric_rows(run_id: str, metrics: BatchMetrics) -> list[tuple[Any, ...]]:
    return [
        (
            run_id,
            position,
            name,
            column.kind,
            column.dtype,
            column.rows,
            column.nulls,
            column.null_rate,
            column.distinct,
            column.mean,
            column.std,
            json.dumps(column.to_dict()),
        )
        for position, (name, column) in enumerate(metrics.columns.items())
    ]


def _run_from_row(
    row: Sequence[Any], rules: tuple[RuleFailures, ...], metrics: BatchMetrics | None
) -> RunRecord:
    values = dict(zip(_RUN_COLUMNS, row, strict=True))
    values["alerts"] = tuple(json.loads(values["alerts"]))
    for count in ("rows_in", "rows_clean", "rows_quarantined"):
        values[count] = int(values[count])
    return RunRecord(**values, rules=rules, metrics=metrics)


def _chunks(ids: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
