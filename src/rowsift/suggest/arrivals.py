"""Values that keep arriving: a set is as open as the share of the latest rows it had not seen.

A table with a column of dates or years says what its next batch will be like: its later rows.
Restaurants inspected from 2000 to 2009 repeat each name a dozen times, so any count of rows
calls the set of names closed, yet every year brings restaurants never inspected before (the
next batch, 2015 on, held 40% new names). Ordered by time, the table shows it: of its rows from
the latest moments (the last `LATEST` of them, and every row of the moment the cut falls in),
the share whose value no earlier row holds is the chance that a value of the next batch is new.
A typo the recipe repairs is not counted: it is no new value.

The time column is the first of class date, datetime or year with at least `MIN_MOMENTS`
distinct values, read by its own format (a value that does not read is left out of the order).
A column whose values do not come back over time (`RECURRING`) is not judged this way.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rowsift.profile import ColumnProfile, TableProfile

if TYPE_CHECKING:  # Polars is imported when a table is cut, not with the suggest package
    import polars as pl

TIME_CLASSES = ("date", "datetime", "year")
LATEST = 0.1
"""The share of the rows, latest by time, taken for the next batch."""
MIN_MOMENTS = 5
"""Distinct times a column needs to order a table: a few survey waves order little."""
MIN_LATEST = 20
"""Rows from the latest moments needed to measure a share."""
RECURRING = 0.5
"""Share of the rows whose value is seen at two moments or more, at least: a value that comes
back over time can be said to be new or not; one that belongs to a single moment (a code with
its own timestamp) says nothing of what arrives when."""


@dataclass(frozen=True)
class Arrivals:
    """A sample cut by time: the rows before the latest moments, and the rows of those."""

    time: str
    since: str
    earlier: pl.DataFrame
    latest: pl.DataFrame

    def share(self, name: str, typos: Collection[str]) -> float | None:
        """The share of the latest rows' present values of column `name` that no earlier row
        holds, leaving out the `typos`; None when too few latest rows hold a value, or when
        the values do not recur over time (`RECURRING`)."""
        import polars as pl

        latest = self.latest.get_column(name).drop_nulls()
        if typos:
            latest = latest.filter(~latest.is_in(pl.Series(list(typos), dtype=latest.dtype)))
        if len(latest) < MIN_LATEST:
            return None
        earlier = self.earlier.get_column(name).drop_nulls().unique()
        new = int((~latest.is_in(earlier)).sum())
        if new and self.recurring(name) < RECURRING:
            return None
        return new / len(latest)

    def recurring(self, name: str) -> float:
        """The share of the rows holding a value of column `name` whose value is seen at two
        moments or more."""
        import polars as pl

        rows = pl.concat([self.earlier.select(name, MOMENT), self.latest.select(name, MOMENT)])
        counted = (
            rows.filter(pl.col(name).is_not_null())
            .group_by(name)
            .agg(pl.col(MOMENT).n_unique().alias("moments"), pl.len().alias("rows"))
        )
        total = counted["rows"].sum()
        if not total:
            return 0.0
        return float(counted.filter(pl.col("moments") >= 2)["rows"].sum()) / float(total)


def arrivals(profile: TableProfile) -> Arrivals | None:
    """The profile's sample cut at its latest moments, by its first time column; None when it
    has none, or when every row is of one moment.

    >>> import polars as pl
    >>> from rowsift.profile import profile_table
    >>> years = [str(2000 + i // 50) for i in range(500)]
    >>> names = [f"R{i % 40 + 4 * (i // 50)}" for i in range(500)]
    >>> frame = pl.DataFrame({"year": years, "name": names, "kind": ["a", "b"] * 250})
    >>> cut = arrivals(profile_table(frame, dependencies=False))
    >>> cut.time, cut.since, cut.share("name", ()), cut.share("kind", ())
    ('year', '2009', 0.08, 0.0)
    """
    import polars as pl

    time = time_column(profile.columns)
    sample = profile.sample.to_native()
    if time is None or not isinstance(sample, pl.DataFrame) or time.name not in sample.columns:
        return None
    moment = _moment(sample[time.name], time.semantic, time.format)
    if moment is None:
        return None
    ordered = sample.with_columns(moment.alias(MOMENT)).filter(pl.col(MOMENT).is_not_null())
    if len(ordered) < 2 * MIN_LATEST:
        return None
    ordered = ordered.sort(MOMENT, maintain_order=True)
    cut = ordered[MOMENT][min(len(ordered) - 1, int(len(ordered) * (1 - LATEST)))]
    late = pl.col(MOMENT) >= cut
    earlier, latest = ordered.filter(~late), ordered.filter(late)
    if not len(earlier):
        return None
    return Arrivals(time=time.name, since=str(latest[time.name][0]), earlier=earlier, latest=latest)


MOMENT = "__rowsift_moment"


def time_column(columns: Iterable[ColumnProfile]) -> ColumnProfile | None:
    """The column that orders the table in time: the first of class date, datetime or year
    with at least `MIN_MOMENTS` distinct values."""
    return next(
        (
            column
            for column in columns
            if column.semantic in TIME_CLASSES and column.distinct >= MIN_MOMENTS
        ),
        None,
    )


def moments(values: pl.Series, time: ColumnProfile) -> pl.Series | None:
    """The `time` column's values (as read, or as a run's cast writes them back as text) as
    years or timestamps to order by; None when they do not read that way."""
    read = _moment(values, time.semantic, time.format)
    return read if read is not None else _moment(values, time.semantic, None)


def _moment(values: pl.Series, kind: str, fmt: str | None) -> pl.Series | None:
    """The column's values as years or timestamps, to order by; None when they do not read
    that way."""
    import polars as pl

    text = values.cast(pl.String).str.strip_chars()
    try:
        if kind == "year":
            read = text.cast(pl.Int64, strict=False)
        elif fmt is not None:
            read = text.str.to_datetime(format=fmt, strict=False, time_unit="us")
        else:
            read = text.str.to_datetime(strict=False, time_unit="us")
    except pl.exceptions.PolarsError:
        return None
    return None if read.null_count() == len(read) else read
