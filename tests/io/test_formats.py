"""Excel, JSON, NDJSON, Parquet, SQLite, DuckDB and PostgreSQL sources give rows with identity."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from loading_helpers import failed, good, read

from rowsift.exceptions import InputError
from rowsift.io import read_table
from rowsift.io.records import LoadingCounts
from rowsift.recipe import SourceSpec


def _xlsx(path: Path, *, date_1904: bool = False) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"date_1904": date_1904})
    sheet = book.add_worksheet("orders")
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["Orders export"])
    sheet.write_row(2, 0, ["id", "amount", "when", "ok", "id"])
    sheet.write_row(3, 0, ["001", 2.5, None, True, "x"])
    sheet.write_datetime(3, 2, dt.datetime(2024, 3, 1), dates)
    sheet.write_row(4, 0, ["002", 3.0, None, False, "y"])
    sheet.write_datetime(4, 2, dt.datetime(1999, 12, 31), dates)
    book.add_worksheet("empty")
    book.close()


@pytest.mark.parametrize("date_1904", [False, True])
def test_xlsx_cells_as_displayed_text_with_header_found(tmp_path: Path, date_1904: bool) -> None:
    path = tmp_path / "t.xlsx"
    _xlsx(path, date_1904=date_1904)
    frame = read(path, detect=True)
    assert frame.columns[1:6] == ["id", "amount", "when", "ok", "id_2"]
    assert good(frame) == [
        ("001", "2.5", "2024-03-01", "TRUE", "x"),
        ("002", "3", "1999-12-31", "FALSE", "y"),
    ]
    assert frame["_rowsift_line"].to_list() == [4, 5]  # the sheet's row numbers
    assert frame["_rowsift_row"].to_list() == [0, 1]


def test_xlsx_typed_cells_and_sheet_choice(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    _xlsx(path)
    frame = read(path, header_row=2, cells="typed", sheet="orders")
    assert frame.schema["amount"] == pl.Float64
    assert frame["when"].to_list()[0] == dt.date(2024, 3, 1)
    with pytest.raises(InputError, match="no sheet 'nope'") as caught:
        read(path, sheet="nope")
    assert "orders" in caught.value.hint
    # `--sheet 0` arrives as text: an index where no sheet has that name
    by_index = read(path, header_row=2, sheet="0")
    assert by_index["id"].to_list() == frame["id"].to_list()


def _report_xlsx(path: Path) -> None:
    """A sheet as reports lay it out: a title, a header over two rows (a year above each
    group of columns), records with a blank row among them, a total, and notes below."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Sales by region"])
    sheet.write_row(2, 0, ["region", "2019", None, "2020"])
    sheet.write_row(3, 0, [None, "units", "revenue", "units", "revenue"])
    sheet.write_row(4, 0, ["North", 10, 100.5, 11, 101.5])
    sheet.write_row(5, 0, ["South", 20, 200.25, 21, 201.25])
    sheet.write_row(7, 0, ["East", 30, 300, 31, 301])
    sheet.write_row(8, 0, ["Total", 60, 600.75, 63, 603.75])
    sheet.write_row(10, 0, ["Source: a survey of 2021"])
    sheet.write_row(11, 0, ["Figures rounded"])
    book.close()


def test_a_report_sheet_reads_its_header_rows_joined_and_leaves_its_notes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "report.xlsx"
    _report_xlsx(path)
    counted: list[LoadingCounts] = []
    frame = read_table(path, SourceSpec(detect=True), on_loaded=counted.append).collect()
    names = ["region", "2019 units", "revenue", "2020 units", "revenue_2"]
    assert [n for n in frame.columns if not n.startswith("_rowsift_")] == names
    assert good(frame.to_native()) == [
        ("North", "10", "100.5", "11", "101.5"),
        ("South", "20", "200.25", "21", "201.25"),
        ("East", "30", "300", "31", "301"),
        ("Total", "60", "600.75", "63", "603.75"),
    ]
    assert frame["_rowsift_line"].to_list() == [5, 6, 8, 9]  # the sheet's row numbers
    (counts,) = counted
    # 12 rows: 2 above the header, 2 of it, 1 blank among the records, 3 after the total
    assert (counts.preamble, counts.header, counts.blank, counts.footer) == (2, 2, 1, 3)
    # told where the header is, the sheet is read as it says (its second row a record); the
    # notes are still found, and kept as records where the source says there are none
    told = read(path, detect=True, header_row=2)
    assert told.columns[1:6] == ["region", "2019", "column_3", "2020", "column_5"]
    assert good(told)[0] == ("", "units", "revenue", "units", "revenue")
    assert len(told) == 5
    assert len(read(path, detect=True, header_row=2, footer_rows=0)) == 7


def test_a_sheet_of_a_measure_per_month_is_named_by_its_date_cells(tmp_path: Path) -> None:
    """Dates held as dates in the header row, newest first, over numbers: the header."""
    import xlsxwriter

    path = tmp_path / "wide.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    as_date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_string(0, 0, "item")
    for column, month in enumerate((3, 2, 1), start=1):
        sheet.write_datetime(0, column, dt.datetime(2024, month, 1), as_date)
    for row, item in enumerate(("apples", "pears", "plums", "figs"), start=1):
        sheet.write_row(row, 0, [item, row * 10, row * 10 + 1, row * 10 + 2])
    book.close()
    frame = read_table(path, SourceSpec(detect=True)).collect()
    names = [n for n in frame.columns if not n.startswith("_rowsift_")]
    assert names == ["item", "2024-03-01", "2024-02-01", "2024-01-01"]
    assert good(frame.to_native())[0] == ("apples", "10", "11", "12")


def _sites(path: Path, *below: list[Any]) -> tuple[int, LoadingCounts]:
    """Six records of three columns (`Site 1, 1, a`…) and the rows `below` them, read with
    detection: the records read, and the counts."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["name", "size", "kind"])
    for row in range(1, 7):
        sheet.write_row(row, 0, [f"Site {row}", row, "a"])
    for row, cells in enumerate(below, start=7):
        sheet.write_row(row, 0, cells)
    book.close()
    counted: list[LoadingCounts] = []
    frame = read_table(path, SourceSpec(detect=True), on_loaded=counted.append).collect()
    return len(frame), counted[0]


@pytest.mark.parametrize(
    ("last", "records"),
    [
        (["Source: a census", None, None], 6),  # its columns filled in every record: a note
        (["Site 7", None, "b"], 7),  # two values: a record with one missing
        ([None, 7, None], 7),  # a lone number: no note
        (["Site 99", None, None], 7),  # written as the names above: a record missing values
    ],
)
def test_only_words_alone_below_a_sheet_s_records_are_a_note(
    tmp_path: Path, last: list[Any], records: int
) -> None:
    read_records, counts = _sites(tmp_path / "last.xlsx", last)
    assert read_records == records
    assert counts.footer == 7 - records


def test_cells_of_spaces_only_are_empty(tmp_path: Path) -> None:
    """A row of cells holding spaces only is a blank row, not a record of blanks, and a note
    below it is still a note."""
    read_records, counts = _sites(tmp_path / "spaces.xlsx", [" ", "  ", " "], ["Source: a census"])
    assert read_records == 6
    assert counts.footer == 2


@pytest.mark.parametrize("layout", ["labels", "stray date"])
def test_a_sheet_s_rows_above_its_table_are_no_header(tmp_path: Path, layout: str) -> None:
    """Rows of a label and its value above a blank row (`Report: | Monthly`), or a title
    with a print date far to its right, are above the table, as lines of another width
    are above a delimited file's header."""
    import xlsxwriter

    path = tmp_path / "above.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    if layout == "labels":
        sheet.write_row(0, 0, ["Report:", "Monthly figures"])
        sheet.write_row(1, 0, ["Period:", "March 2024"])
    else:
        sheet.write_row(0, 0, ["Scores"])
        sheet.write_row(0, 12, ["Printed 2024-05-01"])
    sheet.write_row(3, 0, ["date", "store", "units", "revenue"])
    records = [(f"2024-03-0{day}", f"S{day}", str(day), f"{day * 10.5:g}") for day in range(1, 8)]
    for row, record in enumerate(records, start=4):
        sheet.write_row(row, 0, [record[0], record[1], int(record[2]), float(record[3])])
    book.close()
    frame = read(path, detect=True)
    assert frame.columns[1:5] == ["date", "store", "units", "revenue"]
    assert [row[:4] for row in good(frame)] == records


def test_header_rows_a_source_gives_may_differ_in_width(tmp_path: Path) -> None:
    """Header rows the source names, above the table's rows, are joined however wide each
    is (rows above a blank row keep their own width)."""
    import xlsxwriter

    path = tmp_path / "given.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Report:", "Monthly"])
    sheet.write_row(1, 0, ["Title"])
    sheet.write_row(3, 0, ["a", "b", "c"])
    for row in range(4, 9):
        sheet.write_row(row, 0, [row, row * 2, row * 3])
    book.close()
    frame = read(path, detect=True, header_row=0, header_rows=2)
    assert frame.columns[1:4] == ["Report: Title", "Monthly", "column_3"]
    assert len(frame) == 6


@pytest.mark.parametrize("before", ["hidden", "chart"])
def test_the_default_sheet_is_the_first_visible_worksheet(tmp_path: Path, before: str) -> None:
    """A hidden lookup sheet, or a chart sheet, before the data is not the one read."""
    import xlsxwriter

    path = tmp_path / "sheets.xlsx"
    book = xlsxwriter.Workbook(str(path))
    if before == "hidden":
        lookup = book.add_worksheet("lookup")
        lookup.write_row(0, 0, ["code", "label"])
        lookup.write_row(1, 0, ["a", "A"])
        lookup.hide()
    else:
        book.add_chartsheet("chart")
    data = book.add_worksheet("data")
    data.activate()
    data.write_row(0, 0, ["x", "y"])
    for row in range(1, 7):
        data.write_row(row, 0, [row, row * row])
    if before == "chart":
        chart = book.add_chart({"type": "line"})
        chart.add_series({"values": "=data!$B$2:$B$7"})
        book.get_worksheet_by_name("chart").set_chart(chart)
    book.close()
    frame = read(path, detect=True)
    assert frame.columns[1:3] == ["x", "y"]
    assert len(frame) == 6
    if before == "hidden":  # an index still names the hidden sheet
        assert read(path, detect=True, sheet=0).columns[1:3] == ["code", "label"]


def test_a_sheet_of_numbers_only_has_no_header(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "numbers.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for row in range(6):
        sheet.write_row(row, 0, [row, row * 2.5, row * 10])
    book.close()
    frame = read(path, detect=True)
    assert frame.columns[1:4] == ["column_1", "column_2", "column_3"]
    assert good(frame)[0] == ("0", "0", "0")
    assert len(frame) == 6


def test_xls_is_read(tmp_path: Path) -> None:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("s")
    for col, value in enumerate(["id", "name"]):
        sheet.write(0, col, value)
    sheet.write(1, 0, 7)
    sheet.write(1, 1, "Zoë")
    path = tmp_path / "t.xls"
    book.save(str(path))
    assert good(read(path)) == [("7", "Zoë")]


def test_json_array_is_flattened_to_dotted_names(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(
        '[{"id": 9007199254740993, "user": {"name": "a", "tags": [1, 2]}, "ok": true},'
        ' {"id": 2, "user": {"name": null}, "extra": 1.50}, 3]'
    )
    frame = read(path)
    assert frame.columns[1:6] == ["id", "user.name", "user.tags", "ok", "extra"]
    assert good(frame) == [
        ("9007199254740993", "a", "[1,2]", "true", None),
        ("2", None, None, None, "1.50"),
    ]
    assert failed(frame)[0]["_rowsift_parse"] == "expected a JSON object, got a number"


@pytest.mark.parametrize("suffix", [".json", ".ndjson"])
def test_a_byte_order_mark_opens_a_json_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"t{suffix}"
    text = '{"a": 1}\n{"a": 2}\n' if suffix == ".ndjson" else '[{"a": 1}, {"a": 2}]'
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    frame = read(path)
    assert good(frame) == [("1",), ("2",)]
    assert failed(frame) == []


@pytest.mark.parametrize("suffix", [".json", ".ndjson"])
def test_json_names_alike_keep_their_values(tmp_path: Path, suffix: str) -> None:
    """Keys that differ only in case, and a dotted key beside the nested name it spells, are
    columns of their own (made unique as a header's names are), each with its values."""
    records = ['{"a": 1, "A": 3, "u.n": "x", "u": {"n": "y"}}', '{"a": 4, "A": 5, "u": {"n": "z"}}']
    path = tmp_path / f"t{suffix}"
    path.write_text("\n".join(records) if suffix == ".ndjson" else "[" + ",".join(records) + "]")
    frame = read(path)
    assert [n for n in frame.columns if not n.startswith("_rowsift_")] == [
        "a",
        "A_2",
        "u.n",
        "u.n_2",
    ]
    assert good(frame) == [("1", "3", "x", "y"), ("4", "5", "z", None)]


@pytest.mark.parametrize(
    ("document", "rows"),
    [
        (
            '{"ann": {"age": 31, "city": {"name": "Oslo"}}, "bo": {"age": 4}}',
            [("ann", "31", "Oslo"), ("bo", "4", None)],
        ),
        ('{"a": {"key": 1}, "b": {"key": 2}}', [("a", "1"), ("b", "2")]),
        # pandas' default orient="columns": column -> row label -> value
        (
            '{"city": {"0": "Oslo", "1": "Rome"}, "n": {"0": 1, "1": 2}}',
            [("0", "Oslo", "1"), ("1", "Rome", "2")],
        ),
        (
            '{"airports": "data/airports.csv", "iris": null}',
            [("airports", "data/airports.csv"), ("iris", None)],
        ),
    ],
)
def test_a_json_object_of_records_by_key_is_a_table(
    tmp_path: Path, document: str, rows: list[tuple[str | None, ...]]
) -> None:
    """An object whose values are all objects (pandas' ``orient="index"``) or all plain values
    is one record per key, the key first; objects of the same whole-number row labels
    (pandas' ``orient="columns"``) are columns, one record per label."""
    path = tmp_path / "t.json"
    path.write_text(document)
    frame = read(path)
    assert good(frame) == rows
    assert frame.columns[1] == ("key_2" if '"key"' in document else "key")


def test_a_json_object_of_columns_is_a_table(tmp_path: Path) -> None:
    """An object of arrays of plain values, all as long (R's ``jsonlite`` columns), is one
    record per position; arrays of different lengths are no table."""
    path = tmp_path / "t.json"
    path.write_text('{"id": [1, 2, 3], "name": ["x", null, "z"], "ok": [true, false, true]}')
    frame = read(path)
    assert [name for name in frame.columns if not name.startswith("_rowsift_")] == [
        "id",
        "name",
        "ok",
    ]
    assert good(frame) == [("1", "x", "true"), ("2", None, "false"), ("3", "z", "true")]
    path.write_text('{"std.dev": 10.7, "hat": [0.1, 0.2], "coef": [1, 2, 3]}')
    with pytest.raises(InputError, match="an object, not an array of records"):
        read(path)


def test_a_json_object_of_several_arrays_reads_the_one_named(tmp_path: Path) -> None:
    """An object holding several arrays of records is refused with their keys; `source.table`
    picks one."""
    path = tmp_path / "t.json"
    path.write_text('{"note": "x", "cdf": [{"q": 1}, {"q": 2}], "pdf": [{"p": 3}]}')
    with pytest.raises(InputError, match="an object, not an array") as raised:
        read(path)
    assert "set source.table" in raised.value.hint
    assert "'cdf', 'pdf'" in raised.value.hint
    assert good(read(path, table="pdf")) == [("3",)]
    assert good(read(path, table="cdf")) == [("1",), ("2",)]
    with pytest.raises(InputError, match="no array named 'note'") as raised:
        read(path, table="note")
    assert "['cdf', 'pdf']" in raised.value.hint


def test_an_empty_sheet_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    _xlsx(path)
    with pytest.raises(InputError, match="sheet 'empty' of the workbook is empty") as raised:
        read(path, sheet="empty")
    assert "orders" in raised.value.hint


def test_a_json_object_of_mixed_values_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{"meta": {"v": 1}, "count": 3}')
    with pytest.raises(InputError, match="an object, not an array of records"):
        read(path)


def test_ndjson_bad_line_is_a_parse_failure(tmp_path: Path) -> None:
    path = tmp_path / "t.ndjson"
    path.write_text('{"a": 1}\n\n{"a": 2, oops\n{"a": {"b": "x"}}\n')
    frame = read(path)
    assert frame.columns[1:3] == ["a", "a.b"]
    assert good(frame) == [("1", None), (None, "x")]
    (bad,) = failed(frame)
    assert (bad["_rowsift_line"], bad["_rowsift_raw"]) == (3, '{"a": 2, oops')


def test_sqlite_table_as_text(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE orders (id INTEGER, amount REAL, note TEXT)")
        connection.executemany(
            "INSERT INTO orders VALUES (?, ?, ?)", [(1, 2.5, "a"), (2, None, "b"), ("x", 1, None)]
        )
    frame = read(path)
    assert good(frame) == [("1", "2.5", "a"), ("2", None, "b"), ("x", "1.0", None)]
    assert frame["_rowsift_row"].to_list() == [0, 1, 2]
    assert good(read(path, query="SELECT id FROM orders WHERE note = 'b'")) == [("2",)]
    with pytest.raises(InputError, match="no table 'nope'"):
        read(path, table="nope")


def test_duckdb_table_keeps_types(tmp_path: Path) -> None:
    path = tmp_path / "t.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE a (id INTEGER, d DATE, s VARCHAR)")
        connection.execute("INSERT INTO a VALUES (1, DATE '2024-01-02', 'x'), (2, NULL, NULL)")
        connection.execute("CREATE TABLE b (z INTEGER)")
    frame = read(path, table="a")
    assert frame.schema["id"] == pl.Int32
    assert frame["d"].to_list() == [dt.date(2024, 1, 2), None]
    assert frame["_rowsift_row"].to_list() == [0, 1]
    with pytest.raises(InputError, match="2 tables"):
        read(path)


def test_duckdb_types_polars_cannot_take_are_read_as_text(tmp_path: Path) -> None:
    """An interval, a union, a time with its offset, a bit string: as DuckDB writes them."""
    path = tmp_path / "t.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "CREATE TABLE t AS SELECT 1 AS id, INTERVAL 90 MINUTE AS took, "
            "union_value(k := 2) AS u, TIMETZ '12:00:00+02' AS at, '101'::BIT AS bits"
        )
        connection.execute("INSERT INTO t VALUES (2, NULL, NULL, NULL, NULL)")
    frame = read(path)
    assert good(frame) == [
        (1, "01:30:00", "2", "12:00:00+02", "101"),
        (2, None, None, None, None),
    ]


def test_postgres_table_by_url(postgres_url: str) -> None:
    import psycopg

    table = f"rowsift_io_{uuid.uuid4().hex[:12]}"  # suites running at once never collide
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(
            f"CREATE TABLE {table} (id int, amount numeric(20, 2), name text, at date)"
        )
        connection.execute(
            f"INSERT INTO {table} VALUES "
            "(1, 123456789012345678.91, 'Zoë', '2024-01-02'), (2, NULL, NULL, NULL)"
        )
    frame = read_table(postgres_url, SourceSpec(table=table)).collect().to_native()
    assert frame["amount"].to_list() == ["123456789012345678.91", None]
    assert frame["name"].to_list() == ["Zoë", None]
    assert frame["at"].to_list() == [dt.date(2024, 1, 2), None]
    assert frame["_rowsift_row"].to_list() == [0, 1]
    query = SourceSpec(query=f"SELECT id FROM {table} ORDER BY id DESC")
    assert read_table(postgres_url, query).collect().to_native()["id"].to_list() == [2, 1]
    with pytest.raises(InputError, match="no table"):
        read_table(postgres_url, SourceSpec(table="missing_table"))
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f"DROP TABLE {table}")
