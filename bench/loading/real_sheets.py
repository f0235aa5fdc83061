"""Real tables written to Excel sheets: does detection find the header and keep every record?

    python -m bench.loading.real_sheets [--rows 2000]

Every delimited file `bench.loading.real_files` reads (the tables the `bench` extra's packages
ship, and the realdirty tables) is read as text by Polars (its first `--rows` records), and
written by xlsxwriter into a workbook twice:

- *plain*: the header in the first row, the records below it (a value that reads back as the
  same text from a number is written as a number, as a spreadsheet holds it);
- *report*: the same table below a title and a blank row, and two notes below it after a blank
  row (``Source: …``, ``Figures as published``), as a report lays out a sheet;
- *labels*: the table below rows of a label and its value (``Report:`` | ``Monthly figures``,
  ``Period:`` | ``March 2024``) and a blank row, as business exports lay out a sheet.

Each sheet is read back by rowsift with detection only. A sheet counts as right when its header
names and every record come back as written, in order. The wrong ones are listed. Files whose
first line is numbers only are left out: they have no header (sklearn's `digits`), and Polars
took a record for one.
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.loading.real_files import real_files

ROWS = 2000
TITLE = "Table 1. Figures by record"
NOTES = ("Source: a public data set, as published", "Figures as published")
Table = tuple[str, list[str], list[list[str | None]]]
"""A file's name, its header and its records as text (`tables`)."""


def tables(rows: int) -> list[Table]:
    """(file name, header, records as text) of every real file Polars reads plainly."""
    import polars as pl

    found = []
    for path in real_files():
        opened = {".bz2": bz2.open, ".gz": gzip.open}.get(path.suffix, open)
        try:
            with opened(path, "rb") as handle:
                frame = pl.read_csv(handle.read(), infer_schema=False, n_rows=rows)
        except Exception:  # a file Polars cannot read plainly has no table to write here
            continue
        names = frame.columns
        if len(names) < 2 or len(frame) < 2 or any(not n.strip() for n in names):
            continue
        if all(_number(name.split("_duplicated_")[0]) is not None for name in names):
            continue  # a file with no header (sklearn's digits): Polars read a record as one

        found.append((path.name, names, [list(row) for row in frame.iter_rows()]))
    return found


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _cell(value: str | None) -> Any:
    """The value as a spreadsheet would hold it: a number where it reads back as this text
    (xlsxwriter writes 16 significant digits, so a number that needs 17 stays text)."""
    from rowsift.io.excel import display

    if value is None or value.strip() != value or not value:
        return value
    number = _number(value)
    if number is None or not math.isfinite(number) or float(f"{number:.16g}") != number:
        return value
    return number if display(number) == value else value


LABELS = (("Report:", "Monthly figures"), ("Period:", "March 2024"), ("Prepared by:", "J. Smith"))


def write(path: Path, names: list[str], records: list[list[str | None]], *, layout: str) -> int:
    """The sheet in a layout (``plain``, ``report`` or ``labels``); the 0-based row of its
    header."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "nan_inf_to_errors": True})
    sheet = book.add_worksheet()
    report = layout == "report"
    top = {"plain": 0, "report": 2, "labels": len(LABELS) + 1}[layout]
    if report:
        sheet.write_string(0, 0, TITLE)
    if layout == "labels":
        for row, (label, value) in enumerate(LABELS):
            sheet.write_string(row, 0, label)
            sheet.write_string(row, 1, value)
    for column, name in enumerate(names):
        sheet.write_string(top, column, name)
    for offset, record in enumerate(records, start=top + 1):
        for column, value in enumerate(record):
            cell = _cell(value)
            if isinstance(cell, float):
                sheet.write_number(offset, column, cell)
            elif cell:
                sheet.write_string(offset, column, cell)
    if report:
        below = top + len(records) + 2
        for offset, note in enumerate(NOTES):
            sheet.write_string(below + offset, 0, note)
    book.close()
    return top


def reads_right(path: Path, names: list[str], records: list[list[str | None]]) -> bool:
    """Whether rowsift reads the sheet back as written (blank rows, which a sheet cannot tell
    from missing records, left out of both)."""
    from rowsift.io import read_table
    from rowsift.recipe import SourceSpec

    try:
        frame = read_table(path, SourceSpec(detect=True)).collect().to_native()
    except Exception:  # a sheet that fails to load is read wrong
        return False
    read_names = [n for n in frame.columns if not n.startswith("_rowsift_")]
    if read_names != names:
        return False
    written = [[v or "" for v in r] for r in records if any(v and v.strip() for v in r)]
    got = [[v or "" for v in r] for r in frame.select(read_names).iter_rows()]
    return got == written


def tally(
    found: list[Table],
    layouts: tuple[str, ...],
    suffix: str,
    read_right: Callable[[Path, Table, str], bool],
) -> dict[str, list[str]]:
    """For each layout, the names of the tables `read_right` says come back wrong, each
    written to one temporary file ending in `suffix` and read there; printed as counts."""
    wrong: dict[str, list[str]] = {layout: [] for layout in layouts}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"table{suffix}"
        for table in found:
            for layout in layouts:
                if not read_right(path, table, layout):
                    wrong[layout].append(table[0])
    for layout, names in wrong.items():
        print(f"{layout}: {len(found) - len(names)} of {len(found)} tables read right")
        for item in names:
            print("  wrong:", item)
    return wrong


def _sheet_reads_right(path: Path, table: Table, layout: str) -> bool:
    _, names, records = table
    write(path, names, records, layout=layout)
    return reads_right(path, names, records)


def main() -> None:
    """Command line: every layout of every table, the share read right and the wrong ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args()
    tally(tables(args.rows), ("plain", "report", "labels"), ".xlsx", _sheet_reads_right)


if __name__ == "__main__":
    main()
