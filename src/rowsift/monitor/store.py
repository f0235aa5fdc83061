"""The metric store: every run, its rule failures and column metrics, the incidents its alerts
opened, and what people decided about its baseline; in DuckDB or PostgreSQL.

One run is written in one transaction, with the incidents it opened, continued or resolved,
so a killed run leaves nothing half-recorded. A DuckDB file admits one writing process at a
time: a process that finds it locked waits and retries, so several runs recording at once
lose nothing. A store written by an earlier rowsift is migrated on its next write
(`rowsift.monitor._schema`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from rowsift.exceptions import UsageError
from rowsift.monitor._database import (
    DuckCursor,
    PgCursor,
    duckdb_connection,
    postgres_connection,
)
from rowsift.monitor._schema import ensure_schema
from rowsift.monitor.incidents import (
    INCIDENT_COLUMNS,
    Incident,
    IncidentChanges,
    IncidentStatus,
    RunAlerts,
    accepted,
    advance,
    incident_from_row,
)
from rowsift.monitor.metrics import BatchMetrics, ColumnMetrics
from rowsift.monitor.records import (
    MARK_COLUMNS,
    RUN_COLUMNS,
    Mark,
    MarkAction,
    RuleFailures,
    RunRecord,
    metric_rows,
    run_from_row,
    run_row,
)
from rowsift.monitor.urls import masked_text, shown_store

__all__ = ["Mark", "RuleFailures", "RunRecord", "SqlStore", "Store", "open_store"]

#: words that name a run by its place instead of its id
RUN_KEYWORDS = ("latest", "previous")


class Store(Protocol):
    """Where runs are kept: `record` one, read them back newest first."""

    @property
    def url(self) -> str:
        """The store's address as it may be shown (credentials masked)."""

    def record(
        self,
        run: RunRecord,
        *,
        resolve_after: int = 3,
        recipe: Callable[[], str] | None = None,
    ) -> IncidentChanges:
        """Write one run (and the text `recipe` gives, once per fingerprint) and advance its
        dataset's incidents, in a single transaction."""

    def recipe(self, sha256: str) -> str | None:
        """The text of the recipe a run recorded with this fingerprint, if the store has it."""

    def runs(
        self,
        *,
        dataset: str | None = None,
        limit: int | None = None,
        metrics: bool = False,
        since: str | None = None,
        rules: bool = True,
    ) -> list[RunRecord]:
        """Runs newest first, optionally of one dataset and since a time, with their metrics."""

    def get(self, run: str, *, dataset: str | None = None) -> RunRecord:
        """One run with its metrics, by id, unique part of an id, batch, `latest`/`previous`."""

    def metrics(self, run_ids: Sequence[str]) -> dict[str, BatchMetrics]:
        """The column metrics of the given runs."""

    def marks(self, dataset: str) -> list[Mark]:
        """The accept, pin and unpin marks of a dataset, oldest first."""


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

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._connect() as cursor:
            cursor.begin()
            try:
                ensure_schema(cursor, dialect=self.dialect, url=self.url)
                yield cursor
                cursor.commit()
            except BaseException:
                cursor.rollback()
                raise

    def record(
        self,
        run: RunRecord,
        *,
        resolve_after: int = 3,
        recipe: Callable[[], str] | None = None,
    ) -> IncidentChanges:
        """Write one run (and the text `recipe` gives, once per fingerprint: see
        `rowsift.monitor._schema`; it is asked only when the store does not have it yet) and
        advance its dataset's incidents, in a single transaction."""
        with self._transaction() as cursor:
            cursor.execute(
                f"INSERT INTO rowsift_runs ({', '.join(RUN_COLUMNS)}) "
                f"VALUES ({', '.join('?' for _ in RUN_COLUMNS)})",
                run_row(run),
            )
            if recipe is not None and run.recipe_sha256 is not None:
                known = cursor.fetch(
                    "SELECT 1 FROM rowsift_recipes WHERE recipe_sha256 = ?", [run.recipe_sha256]
                )
                if not known:  # and if another run just wrote it, its text is the same
                    cursor.execute(
                        "INSERT INTO rowsift_recipes VALUES (?, ?) ON CONFLICT DO NOTHING",
                        [run.recipe_sha256, recipe()],
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
                    metric_rows(run.run_id, run.metrics),
                )
            changes = advance(
                _incidents(cursor, dataset=run.dataset, status="open"),
                RunAlerts(
                    run_id=run.run_id,
                    dataset=run.dataset,
                    batch=run.batch,
                    seen=run.finished_at,
                    alerts=run.alerts,
                ),
                resolve_after=resolve_after,
            )
            _write_incidents(cursor, changes.changed)
        return changes

    def mark(
        self, run: RunRecord, action: MarkAction, *, by: str, reason: str | None = None
    ) -> tuple[Mark, list[Incident]]:
        """Record a person's decision about `run`; accepting resolves the incidents it raised."""
        mark = Mark(
            dataset=run.dataset,
            run_id=run.run_id,
            action=action,
            marked_by=by,
            reason=reason,
            marked_at=datetime.now(UTC).isoformat(timespec="microseconds"),
        )
        with self._transaction() as cursor:
            cursor.execute(
                f"INSERT INTO rowsift_baseline_marks ({', '.join(MARK_COLUMNS)}) "
                f"VALUES ({', '.join('?' for _ in MARK_COLUMNS)})",
                [getattr(mark, name) for name in MARK_COLUMNS],
            )
            resolved: list[Incident] = []
            if action == "accept":
                keys = {(str(a["kind"]), str(a["subject"])) for a in run.alerts}
                resolved = accepted(
                    _incidents(cursor, dataset=run.dataset, status="open"),
                    keys,
                    at=mark.marked_at,
                )
                _write_incidents(cursor, resolved)
        return mark, resolved

    def recipe(self, sha256: str) -> str | None:
        """The text of the recipe a run recorded with this fingerprint (None in a store from
        before version 3, or for a run recorded without it)."""
        with self._connect() as cursor:
            if not cursor.has_table("rowsift_recipes"):
                return None
            rows = cursor.fetch(
                "SELECT recipe FROM rowsift_recipes WHERE recipe_sha256 = ?", [sha256]
            )
        return str(rows[0][0]) if rows else None

    def marks(self, dataset: str) -> list[Mark]:
        """The accept, pin and unpin marks of a dataset, oldest first."""
        with self._connect() as cursor:
            if not cursor.has_table("rowsift_baseline_marks"):
                return []
            rows = cursor.fetch(
                f"SELECT {', '.join(MARK_COLUMNS)} FROM rowsift_baseline_marks "
                "WHERE dataset = ? ORDER BY marked_at",
                [dataset],
            )
        return [Mark(**dict(zip(MARK_COLUMNS, row, strict=True))) for row in rows]

    def incidents(
        self,
        *,
        dataset: str | None = None,
        status: IncidentStatus | None = None,
        limit: int | None = None,
    ) -> list[Incident]:
        """Incidents, most recently seen first, optionally of one dataset or status."""
        with self._connect() as cursor:
            return _incidents(cursor, dataset=dataset, status=status, limit=limit)

    def runs(
        self,
        *,
        dataset: str | None = None,
        limit: int | None = None,
        metrics: bool = False,
        since: str | None = None,
        rules: bool = True,
    ) -> list[RunRecord]:
        """Runs newest first, optionally of one dataset, with their column metrics if asked.

        `since` (an ISO 8601 time in UTC) keeps the runs that finished at or after it;
        ``rules=False`` leaves each run's rule failures out (a listing that shows none).
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
            chosen = f"FROM rowsift_runs {where} ORDER BY finished_at DESC, run_id DESC{page}"
            rows = cursor.fetch(f"SELECT {', '.join(RUN_COLUMNS)} {chosen}", params)
            ids = [row[0] for row in rows]
            failures = _rules_of(cursor, f"SELECT run_id {chosen}", params) if rules else {}
            measured = _metrics(cursor, ids) if metrics else {}
        return [run_from_row(row, failures.get(row[0], ()), measured.get(row[0])) for row in rows]

    def metrics(self, run_ids: Sequence[str]) -> dict[str, BatchMetrics]:
        """The column metrics of the given runs (runs without metrics are left out)."""
        with self._connect() as cursor:
            return _metrics(cursor, list(run_ids)) if cursor.has_table("rowsift_runs") else {}

    def get(self, run: str, *, dataset: str | None = None) -> RunRecord:
        """One run with its metrics, named by its id, a unique part of its id (the start, or
        the six letters after the dash), its batch, or `latest` / `previous`.

        An unknown name is an error that lists the closest known ids.
        """
        run_id = self._resolve(run, dataset)
        with self._connect() as cursor:
            rows = cursor.fetch(
                f"SELECT {', '.join(RUN_COLUMNS)} FROM rowsift_runs WHERE run_id = ?", [run_id]
            )
            rules = _rules(cursor, [run_id])
            measured = _metrics(cursor, [run_id])
        return run_from_row(rows[0], rules.get(run_id, ()), measured.get(run_id))

    def _resolve(self, name: str, dataset: str | None) -> str:
        where, params = ("WHERE dataset = ?", [dataset]) if dataset is not None else ("", [])
        with self._connect() as cursor:
            known = (
                cursor.fetch(
                    f"SELECT run_id, dataset, batch FROM rowsift_runs {where} "
                    "ORDER BY finished_at DESC, run_id DESC",
                    params,
                )
                if cursor.has_table("rowsift_runs")
                else []
            )
        scope = f" of dataset {dataset!r}" if dataset is not None else ""
        if name in RUN_KEYWORDS:
            return _by_place(name, known, scope, self.url)
        ids = [row[0] for row in known]
        if name in ids:
            return name
        parts = [i for i in ids if name and (i.startswith(name) or i.endswith(f"-{name}"))]
        if len(parts) == 1:
            return str(parts[0])
        batches = [row for row in known if row[2] == name]
        if batches and not parts:
            datasets = sorted({row[1] for row in batches})
            if len(datasets) > 1:
                raise UsageError(
                    f"batch {name!r} was run in several datasets: {', '.join(datasets)}",
                    hint="say which with --dataset",
                )
            return str(batches[0][0])
        hint = "`rowsift history` lists the runs; name one by id, batch, latest or previous"
        if parts:
            hint += f"; did you mean {', '.join(sorted(parts)[:3])}?"
        raise UsageError(f"no run {name!r}{scope} in the store {self.url}", hint=hint)


def _by_place(name: str, known: Sequence[Sequence[Any]], scope: str, url: str) -> str:
    datasets = sorted({str(row[1]) for row in known})
    if len(datasets) > 1:
        raise UsageError(
            f"{name!r} is ambiguous: the store holds runs of {len(datasets)} datasets "
            f"({', '.join(datasets[:5])})",
            hint="say which with --dataset",
        )
    place = RUN_KEYWORDS.index(name)
    if len(known) <= place:
        raise UsageError(
            f"there is no {name} run{scope} in the store {url} ({len(known)} run(s))",
            hint="record runs with `rowsift run --store`",
        )
    return str(known[place][0])


def _incidents(
    cursor: Any,
    *,
    dataset: str | None = None,
    status: IncidentStatus | None = None,
    limit: int | None = None,
) -> list[Incident]:
    if not cursor.has_table("rowsift_incidents"):
        return []
    conditions, params = [], []
    if dataset is not None:
        conditions.append("dataset = ?")
        params.append(dataset)
    if status is not None:
        conditions.append("status = ?")
        params.append(status)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    page = f" LIMIT {int(limit)}" if limit is not None else ""
    rows = cursor.fetch(
        f"SELECT {', '.join(INCIDENT_COLUMNS)} FROM rowsift_incidents {where} "
        f"ORDER BY last_seen DESC, first_seen DESC, incident_id{page}",
        params,
    )
    return [incident_from_row(row) for row in rows]


def _write_incidents(cursor: Any, incidents: Sequence[Incident]) -> None:
    if not incidents:
        return
    ids = [incident.incident_id for incident in incidents]
    cursor.execute(
        f"DELETE FROM rowsift_incidents WHERE incident_id IN ({', '.join('?' for _ in ids)})",
        ids,
    )
    cursor.executemany(
        f"INSERT INTO rowsift_incidents ({', '.join(INCIDENT_COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in INCIDENT_COLUMNS)})",
        [incident.row() for incident in incidents],
    )


def _rules_of(
    cursor: Any, chosen: str, params: Sequence[Any]
) -> dict[str, tuple[RuleFailures, ...]]:
    """The rule failures of the runs a query chooses (one query, however many runs)."""
    found: dict[str, list[RuleFailures]] = {}
    rows = cursor.fetch(
        "SELECT run_id, rule_id, severity, failed FROM rowsift_rule_failures "
        f"WHERE run_id IN ({chosen}) ORDER BY run_id, rule_id",
        params,
    )
    for run_id, rule_id, severity, failed in rows:
        found.setdefault(run_id, []).append(
            RuleFailures(rule_id=rule_id, severity=severity, failed=int(failed))
        )
    return {key: tuple(value) for key, value in found.items()}


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
    if masked_text(text) != text:  # `host=db password=…`: a file named by its password
        raise UsageError(
            "the store looks like a connection string with a secret, which is not read as one",
            hint="give PostgreSQL as postgresql://user@host/db (the password in the URL, or in "
            "PGPASSWORD or ~/.pgpass), or a DuckDB file path",
        )
    return SqlStore(url=text, dialect="duckdb", target=text, read_only=read_only)


def _chunks(ids: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
