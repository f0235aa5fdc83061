"""A wide table of a measure per period is named by its periods: years or dates in order."""

from __future__ import annotations

import datetime as dt

from hypothesis import example, given, settings
from hypothesis import strategies as st

from rowsift.io.layout import has_header

WRITTEN = {
    "iso": lambda day: day.isoformat(),
    "us": lambda day: f"{day.month}/{day.day}/{day.year % 100:02d}",
    "dotted": lambda day: f"{day.day:02d}.{day.month:02d}.{day.year}",
    "year": lambda day: str(day.year),
}


def _periods(start: dt.date, step: str, count: int) -> list[dt.date]:
    if step == "year":
        return [dt.date(start.year + n, start.month, 1) for n in range(count)]
    if step == "month":
        return [
            dt.date(start.year + (start.month - 1 + n) // 12, (start.month - 1 + n) % 12 + 1, 1)
            for n in range(count)
        ]
    days = {"day": 1, "week": 7}[step]
    return [start + dt.timedelta(days=days * n) for n in range(count)]


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(dt.date(1900, 1, 1), dt.date(2080, 12, 31)),
    step=st.sampled_from(["year", "month", "week", "day"]),
    written=st.sampled_from(sorted(WRITTEN)),
    count=st.integers(2, 12),
    newest_first=st.booleans(),
    labels=st.integers(1, 3),
    measures=st.lists(
        st.lists(st.integers(0, 10**6), min_size=12, max_size=12), min_size=3, max_size=20
    ),
)
@example(  # month/day/two-digit year across 1999 and 2000, and across 1968 and 1969
    start=dt.date(1999, 10, 1),
    step="month",
    written="us",
    count=6,
    newest_first=False,
    labels=1,
    measures=[[5] * 12] * 3,
)
@example(
    start=dt.date(1968, 7, 1),
    step="month",
    written="us",
    count=12,
    newest_first=True,
    labels=1,
    measures=[[5] * 12] * 3,
)
def test_periods_in_order_over_a_measure_name_its_columns(
    start: dt.date,
    step: str,
    written: str,
    count: int,
    newest_first: bool,
    labels: int,
    measures: list[list[int]],
) -> None:
    """Evenly spaced periods in order either way, written as years or in any of three date
    forms (two-digit years across 1999 and 2000 too), over columns of fractions: the header;
    the records alone have none."""
    if written == "year":
        step = "year"
    periods = [WRITTEN[written](day) for day in _periods(start, step, count)]
    if newest_first:
        periods.reverse()
    header = [f"label {n}" for n in range(labels)] + periods
    rows = [
        [f"place {r} part {n}" for n in range(labels)] + [f"{v / 10:.1f}" for v in values[:count]]
        for r, values in enumerate(measures)
    ]
    assert has_header(header, rows)
    assert not has_header(rows[0], rows[1:])
