"""Reading an Excel sheet (xlsx, xlsm, xlsb, xls, ods) with python-calamine.

Cells come as the text they show (a whole number without ``.0``, a date as ``2024-03-01``) or,
with ``cells: typed``, as typed columns where a column holds one kind of value. Excel serial
dates are turned into dates by calamine, for the 1900 and the 1904 date systems alike.
``_rowsift_line`` is the sheet's row number, as Excel shows it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from rowsift._names import LINE, ROW
from rowsift.exceptions import InputError
from rowsift.io.records import Record, record_batches, scan_batches, schema_of
from rowsift.io.sniff import make_unique
from rowsift.recipe.model import SourceSpec


def display(value: Any) -> str:
    """A cell as the text it shows.

    >>> display(3.0), display(0.1), display(True), display(date(2024, 3, 1))
    ('3', '0.1', 'TRUE', '2024-03-01')
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _sheet_rows(path: Path, source: SourceSpec) -> list[list[Any]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for unreadable workbooks
        raise InputError(
            f"cannot read the workbook: {exc}",
            file=str(path),
            hint="is it an xlsx, xlsm, xlsb, xls or ods file?",
        ) from None
    names = list(book.sheet_names)
    chosen = source.sheet if source.sheet is not None else 0
    if isinstance(chosen, str) and chosen.isdecimal() and chosen not in names:
        chosen = int(chosen)  # `--sheet 1` on the command line: an index, as in a recipe
    try:
        if isinstance(chosen, int):
            sheet = book.get_sheet_by_index(chosen)
        else:
            sheet = book.get_sheet_by_name(chosen)
    except Exception:  # an unknown name or an index out of range
        raise InputError(
            f"the workbook has no sheet {chosen!r}",
            file=str(path),
            hint=f"its sheets are {names}; set source.sheet (--sheet) to a name or a 0-based index",
        ) from None
    rows = [list(row) for row in sheet.to_python(skip_empty_area=False)]
    if not any(_filled(row) for row in rows):
        others = [name for name in names if name != sheet.name]
        raise InputError(
            f"sheet {sheet.name!r} of the workbook is empty: it holds no header and no records",
            file=str(path),
            hint=f"set source.sheet (--sheet) to another of its sheets: {others}"
            if others
            else "the workbook has no other sheet",
        )
    return rows


def _filled(row: Sequence[Any]) -> int:
    return sum(1 for cell in row if cell not in ("", None))


def _header_index(rows: list[list[Any]], source: SourceSpec) -> int:
    if not source.detect or "header_row" in source.model_fields_set:
        return source.header_row
    width = max((_filled(row) for row in rows[:50]), default=0)
    for index, row in enumerate(rows[:50]):
        if _filled(row) * 2 >= width and _filled(row) > 0:
            return index
    return 0


def _typed_schema(rows: list[list[Any]], names: Sequence[str]) -> dict[str, pl.DataType]:
    schema: dict[str, pl.DataType] = {ROW: pl.Int64()}
    for index, name in enumerate(names):
        kinds = {type(row[index]) for row in rows if index < len(row) and row[index] != ""}
        if kinds <= {int, float} and kinds:
            schema[name] = pl.Float64()
        elif kinds == {bool}:
            schema[name] = pl.Boolean()
        elif kinds == {datetime}:
            schema[name] = pl.Datetime("us")
        elif kinds == {date}:
            schema[name] = pl.Date()
        else:
            schema[name] = pl.String()
    schema[LINE] = pl.Int64()
    return schema


def scan_excel(path: Path, source: SourceSpec) -> pl.LazyFrame:
    """A table of one sheet: header at `source.header_row` (or found), every cell kept."""
    rows = _sheet_rows(path, source)
    start = _header_index(rows, source)
    width = max((len(row) for row in rows), default=0)
    if source.header and rows[start:]:
        header = [display(cell) if cell not in (None, "") else "" for cell in rows[start]]
        first = start + 1
    else:
        header = []
        first = start
    names = (
        make_unique(header + [""] * (width - len(header)))
        if source.header
        else tuple(f"column_{i}" for i in range(1, width + 1))
    )
    body = [(number, row) for number, row in enumerate(rows[first:], start=first + 1)]
    body = [(number, row) for number, row in body if _filled(row)]
    if source.cells == "typed":
        schema = _typed_schema([row for _, row in body], names)
        data: dict[str, list[Any]] = {name: [] for name in schema}
        for position, (number, row) in enumerate(body):
            data[ROW].append(position)
            data[LINE].append(number)
            for index, name in enumerate(names):
                cell = row[index] if index < len(row) else None
                if schema[name] == pl.String():
                    cell = display(cell) if cell is not None else None
                data[name].append(None if cell == "" else cell)
        return pl.DataFrame(data, schema=schema, strict=False).lazy()

    def records() -> Iterator[Record]:
        for number, row in body:
            cells = [display(cell) if cell is not None else None for cell in row]
            yield Record(number, cells + [""] * (len(names) - len(cells)), "", None)

    def make(size: int) -> Iterator[pl.DataFrame]:
        return record_batches(records(), names, lines=True, size=size)

    return scan_batches(make, schema_of(names, lines=True), name="rowsift excel")
