"""DuckDB: lenient parsing with TRY_CAST and try_strptime; first occurrences by row_number;
a computed relation held in a temporary table. The SQL text is `rowsift.engines.sql`'s."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb
import narwhals.stable.v2 as nw

from rowsift.engines import sql
from rowsift.engines.by_narwhals import by_windows
from rowsift.engines.protocol import ParseJob, SeenBeforeJob
from rowsift.rules.rowset import GroupStat


def replace_columns(native: Any, columns: dict[str, str]) -> Any:
    """The relation with each named column (SQL text) added, or replaced where it exists."""
    existing = [name for name in columns if name in native.columns]
    star = duckdb.StarExpression(exclude=existing)
    added = [
        duckdb.SQLExpression(f"{text} AS {sql.identifier(name, 'duckdb')}")
        for name, text in columns.items()
    ]
    return native.select(star, *added)


def parse_columns(native: Any, jobs: Sequence[ParseJob]) -> Any:
    """Replace each job's column by its typed value."""
    return replace_columns(native, {job.target: sql.parsed(job, "duckdb") for job in jobs})


def seen_before(native: Any, jobs: Sequence[SeenBeforeJob]) -> Any:
    """True where an earlier row (by ``_rowsift_row``) has equal keys.

    Two jobs whose keys nest (``unique`` on an id and ``duplicate`` on every column) share
    one window (`sql.seen_before_nested`); each window sorts every working column, and one
    sort is most of the cost of both.
    """
    columns: dict[str, str] = {}
    for outer, inner in _nested_pairs(jobs):
        if inner is None:
            columns[outer.target] = sql.seen_before(outer.keys, "duckdb")
        else:
            columns[outer.target], columns[inner.target] = sql.seen_before_nested(
                outer.keys, inner.keys
            )
    return replace_columns(native, {job.target: columns[job.target] for job in jobs})


def _nested_pairs(
    jobs: Sequence[SeenBeforeJob],
) -> list[tuple[SeenBeforeJob, SeenBeforeJob | None]]:
    """The jobs in pairs whose first one's keys are among the second one's, fewest keys
    first; a job that nests with no other one is alone (None).

    >>> a, ab, c = (SeenBeforeJob(keys=tuple(keys), target=keys) for keys in ("a", "ab", "c"))
    >>> [(outer.target, inner and inner.target) for outer, inner in _nested_pairs([ab, a, c])]
    [('a', 'ab'), ('c', None)]
    """
    left = sorted(jobs, key=lambda job: len(set(job.keys)))
    pairs: list[tuple[SeenBeforeJob, SeenBeforeJob | None]] = []
    while left:
        outer = left.pop(0)
        inner = next((job for job in left if set(outer.keys) <= set(job.keys)), None)
        if inner is not None:
            left.remove(inner)
        pairs.append((outer, inner))
    return pairs


def group_stats(native: Any, stats: Sequence[GroupStat]) -> Any:
    """Windows (`GroupStat.window`)."""
    return by_windows(native, stats)


@contextmanager
def held(native: Any) -> Iterator[Any]:
    """The relation computed once into a temporary table of its own connection.

    A relation exposes no handle on its connection, so the table is created, read and dropped
    through `query`, which runs in the relation's connection; the table lives until the block
    ends.
    """
    table = sql.identifier(f"__rs_held_{uuid.uuid4().hex}", "duckdb")
    source = "__rs_working"
    native.query(source, f"CREATE TEMP TABLE {table} AS SELECT * FROM {source}")
    try:
        yield native.query(source, f"SELECT * FROM {table}")
    finally:
        native.query(source, f"DROP TABLE IF EXISTS {table}")


def kept(native: Any) -> Any:
    """Nothing is kept: DuckDB runs the plan again quickly, on input numbered once."""
    return native


def collect_together(frames: Sequence[nw.LazyFrame[Any]]) -> list[nw.DataFrame[Any]]:
    """Each frame in turn."""
    return [frame.collect() for frame in frames]
