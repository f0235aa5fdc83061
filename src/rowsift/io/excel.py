"""Reading an Excel sheet (xlsx, xlsm, xlsb, xls, ods) with python-calamine.

Cells come as the text they show (a whole number without ``.0``, a date as ``2024-03-01``) or,
with ``cells: typed``, as typed columns where a column holds one kind of value. Excel serial
dates are turned into dates by calamine, for the 1900 and the 1904 date systems alike.
``_rowsift_line`` is the sheet's row number, as Excel shows it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from rowsift._names import LINE, ROW
from rowsift.exceptions import InputError
from rowsift.io.layout import find_layout, note_rows
from rowsift.io.records import LoadingCounts, Record, record_batches, scan_batches, schema_of
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
    chosen = source.sheet if source.sheet is not None else _first_shown(book)
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


def _first_shown(book: Any) -> int:
    """The index of the workbook's first visible worksheet (a hidden lookup sheet or a chart
    sheet before the data is not what anyone means by "the first sheet"); else 0."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    for index, sheet in enumerate(book.sheets_metadata):
        if sheet.typ == SheetTypeEnum.WorkSheet and sheet.visible == SheetVisibleEnum.Visible:
            return index
    return 0


def _filled(row: Sequence[Any]) -> int:
    """The cells holding something: a cell of spaces only is as empty as a blank one."""
    return sum(
        1 for cell in row if cell is not None and (not isinstance(cell, str) or cell.strip())
    )


@dataclass(frozen=True)
class SheetLayout:
    """Where a sheet's table lies: its header rows (0-based sheet rows), their names, and the
    notes below its last record."""

    header_row: int
    header_rows: int
    """0: no header (columns named ``column_1``…)."""
    names: tuple[str, ...]
    footer_rows: int


def sheet_layout(rows: list[list[Any]], source: SourceSpec) -> SheetLayout:
    """The table's place in the sheet: as the source says, or, with ``detect``, found as a
    delimited file's is (`rowsift.io.layout`): a title block above, a header over one row or
    several (joined with a space), none (names generated), notes below. Keys the source writes
    are kept."""
    given = source.model_fields_set
    texts = [[display(cell) if cell not in (None, "") else "" for cell in row] for row in rows]
    widths = [_trimmed_width(row) for row in texts]
    width = _table_width(widths, texts)
    # rows above a blank row above the first as wide as the table keep their own width, as a
    # delimited file's lines above its header do (a title, `Report: | Monthly figures`); the
    # table's rows, and the rows right above its first (a group title over a header) are
    # padded to its width: an empty cell at a row's end is a missing value there
    first = next((index for index, seen in enumerate(widths) if seen >= width), 0) if width else 0
    while first > 0 and widths[first - 1]:
        first -= 1
    texts = [
        row[: widths[index]] if index < first else row[:width] + [""] * (width - len(row))
        for index, row in enumerate(texts)
    ]
    records = [(index, row) for index, row in enumerate(texts) if _filled(row)]
    detect = source.detect and not {"header_row", "header_rows", "header"} & given
    if detect:
        found = find_layout(records, width) if records else None
        header_row = found.header_row if found else 0
        header_rows = found.header_rows if found else 0
    else:
        header_row = source.header_row
        header_rows = source.header_rows if source.header else 0
    named = [
        row + [""] * (width - len(row))
        for index, row in records
        if header_row <= index < header_row + header_rows
    ]
    names = (
        tuple(named[0])
        if len(named) == 1
        else tuple(
            " ".join(part.strip() for part in column if part.strip())
            for column in zip(*named, strict=True)
        )
    )
    if "footer_rows" in given or not source.detect:
        footer = source.footer_rows
    else:
        body = [row for index, row in records if index >= header_row + header_rows]
        footer = note_rows(body, width, sentences=True)
    return SheetLayout(header_row, header_rows, names, footer)


def sniff_sheet(path: Path, source: SourceSpec) -> dict[str, Any]:
    """The `source:` keys that read the sheet as detection finds it (`sheet_layout`), and the
    column names: what `rowsift sniff` shows of a workbook."""
    rows = _sheet_rows(path, source)
    layout = sheet_layout(rows, source)
    width = max((len(row) for row in rows), default=0)
    found: dict[str, Any] = {"format": "excel"}
    if source.sheet is not None:
        found["sheet"] = source.sheet
    found["header_row"] = layout.header_row
    if layout.header_rows > 1:
        found["header_rows"] = layout.header_rows
    if not layout.header_rows:
        found["header"] = False
    found["footer_rows"] = layout.footer_rows
    return {"source": found, "columns": list(_column_names(layout, width))}


def _column_names(layout: SheetLayout, width: int) -> tuple[str, ...]:
    """The names of a sheet's `width` columns: its header's, made unique (a blank one named by
    its place), or ``column_1``… without a header."""
    if not layout.header_rows:
        return tuple(f"column_{i}" for i in range(1, width + 1))
    return make_unique(list(layout.names) + [""] * (width - len(layout.names)))


def _table_width(widths: list[int], texts: list[list[str]]) -> int:
    """The table's width: the widest of the rows that fill two cells or more and at least half
    of their width (a title with a date far to its right is no row of the table); else the
    widest row's.

    >>> _table_width([13, 3, 3, 3], [["T"] + [""] * 11 + ["d"]] + [["a", "b", "c"]] * 3)
    3
    """
    full = [
        width
        for width, row in zip(widths, texts, strict=True)
        if (filled := _filled(row)) > 1 and filled * 2 >= width
    ]
    return max(full or widths or [0])


def _trimmed_width(row: Sequence[str]) -> int:
    """The row's width without its trailing empty cells."""
    filled = [index for index, cell in enumerate(row) if cell.strip()]
    return filled[-1] + 1 if filled else 0


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


def scan_excel(
    path: Path, source: SourceSpec, on_loaded: Callable[[LoadingCounts], None] | None = None
) -> pl.LazyFrame:
    """A table of one sheet: its header, records and notes where the source says or
    `sheet_layout` finds them, every cell kept. `on_loaded` is told what was done with the
    sheet's rows (`LoadingCounts`: rows above the header, its rows, blank rows among the
    records, notes and blank rows after the last)."""
    rows = _sheet_rows(path, source)
    layout = sheet_layout(rows, source)
    names = _column_names(layout, max((len(row) for row in rows), default=0))
    first = layout.header_row + layout.header_rows
    body = [(number, row) for number, row in enumerate(rows[first:], start=first + 1)]
    filled = [(number, row) for number, row in body if _filled(row)]
    body = filled[: len(filled) - layout.footer_rows]
    if on_loaded is not None:
        after = len(rows) - (body[-1][0] if body else first)  # rows below the last record
        on_loaded(
            LoadingCounts(
                preamble=layout.header_row,
                header=layout.header_rows,
                blank=len(rows) - first - after - len(body),
                footer=after,
            )
        )
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
