"""The store's tables and their migrations: a store written by an earlier rowsift still opens.

Version 1 (rowsift 0.x before incidents) had the runs, rule failures and column metrics, and
no version table. Version 2 adds ``rowsift_schema`` (the version), ``rowsift_baseline_marks``
(accepted, pinned and unpinned runs, by whom and why) and ``rowsift_incidents``. Version 3
adds ``rowsift_recipes``: the recipe of each run by the fingerprint the run records, as YAML
without its ``monitor:`` section (a webhook's address is a credential), so that `drift` can
clean a file as the baseline run was cleaned. A migration only adds: nothing an earlier version
wrote is changed, so an older rowsift can still read the runs (it does not know incidents).
"""

from __future__ import annotations

from typing import Any

from rowsift.exceptions import InputError

SCHEMA_VERSION = 3

_VERSION_1 = (
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

#: what each version adds to the one before it
MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: (
        """CREATE TABLE IF NOT EXISTS rowsift_baseline_marks (
            dataset TEXT NOT NULL,
            run_id TEXT NOT NULL,
            action TEXT NOT NULL,
            marked_by TEXT NOT NULL,
            reason TEXT,
            marked_at TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS rowsift_incidents (
            incident_id TEXT PRIMARY KEY,
            dataset TEXT NOT NULL,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            status TEXT NOT NULL,
            first_run TEXT NOT NULL,
            first_batch TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_run TEXT NOT NULL,
            last_batch TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            count BIGINT NOT NULL,
            quiet BIGINT NOT NULL,
            message TEXT NOT NULL,
            resolved_at TEXT,
            resolution TEXT
        )""",
    ),
    3: (
        """CREATE TABLE IF NOT EXISTS rowsift_recipes (
            recipe_sha256 TEXT PRIMARY KEY,
            recipe TEXT NOT NULL
        )""",
    ),
}


def ensure_schema(cursor: Any, *, dialect: str, url: str) -> None:
    """Create the tables of a new store, or bring an older store up to `SCHEMA_VERSION`.

    Runs inside the caller's transaction, so a migration is applied whole or not at all.
    """
    if dialect == "postgresql":
        # concurrent CREATE TABLE IF NOT EXISTS can collide in the catalog: serialise it
        cursor.execute("SELECT pg_advisory_xact_lock(74211)")
    version = schema_version(cursor)
    if version > SCHEMA_VERSION:
        raise InputError(
            f"the store {url} was written by a newer rowsift (store version {version}; this "
            f"rowsift knows up to {SCHEMA_VERSION})",
            hint="upgrade rowsift (pip install -U rowsift) to record into this store",
        )
    if version == SCHEMA_VERSION:
        return
    for statement in _VERSION_1:
        cursor.execute(statement)
    for step in range(max(version, 1) + 1, SCHEMA_VERSION + 1):
        for statement in MIGRATIONS[step]:
            cursor.execute(statement)
    cursor.execute("CREATE TABLE IF NOT EXISTS rowsift_schema (version INTEGER NOT NULL)")
    cursor.execute("DELETE FROM rowsift_schema")
    cursor.execute("INSERT INTO rowsift_schema VALUES (?)", [SCHEMA_VERSION])


def schema_version(cursor: Any) -> int:
    """The store's version: 0 for an empty database, 1 for a store from before versions."""
    if cursor.has_table("rowsift_schema"):
        rows = cursor.fetch("SELECT max(version) FROM rowsift_schema", [])
        if rows and rows[0][0] is not None:
            return int(rows[0][0])
    return 1 if cursor.has_table("rowsift_runs") else 0
