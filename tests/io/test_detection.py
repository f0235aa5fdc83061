"""Detection of the layouts real files have: wide delimiters, headers over rows, bad first rows."""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from loading_helpers import detected, failed, good, read

from rowsift.io import sniff
from rowsift.io.csvtext import lenient_split
from rowsift.io.sniff import HEAD_BYTES, HEAD_LINES
from rowsift.recipe import SourceSpec

MakeFile = Callable[..., Path]

ROWS = [
    ["28/01/2018", "00:00", "2", "Boots, Tall", "$74.69"],
    ["29/01/2018", "00:15", "0", "Light Jacket", "$29.81"],
    ["30/01/2018", "00:30", "1", "Trail Shoes", "$80.08"],
    ["31/01/2018", "00:45", "1", "Fly Rods", "$25.55"],
    ["13/02/2018", "01:00", "9", "Pillow, Paddles", "$48.00"],
]
HEADER = ["DATE", "TIME", "Qty", "Product", "Price"]


def _text(rows: list[list[str]], delimiter: str = ",", quote: str = '"') -> str:
    def cell(value: str) -> str:
        return f"{quote}{value}{quote}" if "," in value else value

    return "".join(delimiter.join(cell(v) for v in row) + "\n" for row in rows)


@pytest.mark.parametrize("delimiter", [", ", "; ", "\t", ";", "|"])
def test_delimiters_of_one_or_two_characters(csv_file: MakeFile, delimiter: str) -> None:
    path = csv_file(_text([HEADER, *ROWS], delimiter))
    assert sniff(path).delimiter == delimiter
    frame = detected(path)
    assert good(frame) == [tuple(row) for row in ROWS]
    assert SourceSpec.model_validate(sniff(path).to_source())  # the keys make a valid recipe


def test_a_wide_delimiter_written_in_a_recipe_reads_without_detection(csv_file: MakeFile) -> None:
    path = csv_file(_text([HEADER, *ROWS], ", ").replace("Trail Shoes", '"Trail, Shoes"'))
    frame = read(path, delimiter=", ")
    assert good(frame)[2][3] == "Trail, Shoes"


@pytest.mark.parametrize("rows", [2, 3])
def test_a_header_over_several_rows_is_joined(csv_file: MakeFile, rows: int) -> None:
    units = [["", "", "pieces", "", "USD"], ["day", "hh:mm", "", "", ""]][: rows - 1]
    path = csv_file(_text([HEADER, *units, *ROWS]))
    found = sniff(path)
    assert found.header_rows == rows
    expected = [" ".join(r[i] for r in [HEADER, *units] if r[i]) for i in range(len(HEADER))]
    assert list(found.names) == expected
    assert found.to_source()["header_rows"] == rows
    assert good(detected(path)) == [tuple(row) for row in ROWS]
    # the sniffed keys read the file the same way without detection
    source = found.to_source()
    assert good(read(path, **source)) == good(detected(path))


def test_a_repeated_header_row_is_one_header(csv_file: MakeFile) -> None:
    path = csv_file(_text([HEADER, HEADER, *ROWS]))
    assert sniff(path).names == tuple(f"{n} {n}" for n in HEADER)
    assert len(good(detected(path))) == len(ROWS)


def test_a_text_only_first_record_is_not_a_second_header_row(csv_file: MakeFile) -> None:
    rows = [["name", "city"], ["Anna", "Paris"], ["Li", "Oslo"], ["Sam", "Köln"]]
    path = csv_file(_text(rows))
    found = sniff(path)
    assert found.header_rows == 1
    assert found.names == ("name", "city")


def test_a_headerless_file_gets_generated_names_and_says_so(csv_file: MakeFile) -> None:
    path = csv_file(_text(ROWS))
    found = sniff(path)
    assert not found.header
    assert found.names == tuple(f"column_{i}" for i in range(1, 6))
    assert found.to_source()["header"] is False
    assert len(good(detected(path))) == len(ROWS)


def test_years_naming_columns_of_a_measure_are_a_header(csv_file: MakeFile) -> None:
    header = ["Country", "Code", "1960", "1961", "1962"]
    rows = [["Aruba", "ABW", "4.82", "4.655", ""], ["Chad", "TCD", "6.25", "6.3", "6.35"]]
    rows += [["Peru", "PER", "", "6.9", "6.85"], ["Fiji", "FJI", "6.1", "5.95", "5.8"]]
    found = sniff(csv_file(_text([header, *rows])))
    assert found.header_rows == 1
    assert found.names == tuple(header)
    # the same table without its header: the first record's fractions are values
    assert not sniff(csv_file(_text(rows))).header


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        (["name", "value", "2019"], [[f"N{i}", f"{i}.5", str(100 + i)] for i in range(8)]),
        (["country", "2019", "2020", "2021"], [[c, "10", "12", "15"] for c in "ABCDEFGH"]),
    ],
)
def test_a_header_holding_a_year_among_its_names_is_a_header(
    csv_file: MakeFile, header: list[str], rows: list[list[str]]
) -> None:
    """Text naming a column of numbers (``value`` over ``1.5``), or years in order over whole
    numbers: the numbers among the names are names too."""
    found = sniff(csv_file(_text([header, *rows])))
    assert found.header
    assert found.names == tuple(header)
    assert not sniff(csv_file(_text(rows))).header  # without it, the first record is data


PERIODS = [
    # newest first, as statistics offices publish (over whole numbers, and over fractions)
    ["Country Name", "Country Code", "2019", "2018", "2017"],
    ["region", "2021", "2020", "2019"],
    # one column per day or month: ISO, month/day/two-digit year, day.month.year
    ["item", "2024-01-01", "2024-02-01", "2024-03-01"],
    ["Province/State", "Country/Region", "Lat", "Long", "1/22/20", "1/23/20", "1/24/20"],
    ["Kreis", "31.03.2024", "29.02.2024", "31.01.2024"],
]


@pytest.mark.parametrize("header", PERIODS, ids=lambda h: h[-1])
def test_periods_naming_the_columns_of_a_wide_table_are_a_header(
    csv_file: MakeFile, header: list[str]
) -> None:
    """A measure with one column per period: the years or dates over its values, in order
    either way, name the columns; the same records without them have no header."""
    rng = random.Random(len(header))
    texts = [f"place {n}" for n in range(12)]
    measures = len([n for n in header if n[0].isdigit()])
    names = len(header) - measures
    rows = [
        [
            *(f"{texts[n]} {k}" for k in range(names)),
            *(str(rng.randint(0, 90_000)) for _ in range(measures)),
        ]
        for n in range(12)
    ]
    found = sniff(csv_file(_text([header, *rows])))
    assert (found.header_rows, found.names) == (1, tuple(header))
    assert good(detected(csv_file(_text([header, *rows])))) == [tuple(r) for r in rows]
    assert not sniff(csv_file(_text(rows))).header


SPARSE = [
    ["ROYAL", "1", "", "", ""],
    ["BRAEBURN", "13", "", "", ""],
    ["Fuji", "25", "", "121", "169"],
    ["GRANNY", "37", "", "", ""],
    ["Red Delicious", "49", "79", "139", "181"],
    ["Gala", "", "67", "", ""],
    ["Splendour", "", "91", "", ""],
    ["Pacific Rose", "", "", "103", "157"],
]


def test_the_first_record_of_a_sparse_table_without_a_header_is_kept(
    csv_file: MakeFile,
) -> None:
    """A first record with most of its cells empty, as many below it are, is a record; below
    a title, a header still starts the table."""
    path = csv_file(_text(SPARSE))
    found = sniff(path)
    assert (found.header, found.header_row) == (False, 0)
    assert good(detected(path)) == [tuple(row) for row in SPARSE]
    titled = csv_file(_text([["Apples by year", "", "", "", ""], ["name", *"ABCD"], *SPARSE]))
    assert (sniff(titled).header_row, sniff(titled).names) == (1, ("name", *"ABCD"))
    assert good(detected(titled)) == [tuple(row) for row in SPARSE]


def test_a_first_record_with_values_missing_is_kept(csv_file: MakeFile) -> None:
    """Numbers over columns of numbers, most of its cells empty (the first day of a series:
    no return yet): a record, not a title, though every record below is full."""
    rows = [["1", "49.75", "", "", "", ""]]
    rows += [[str(n), f"{50 + n}.5", f"0.{n}1", f"-0.{n}2", str(n), "7"] for n in range(2, 14)]
    path = csv_file(_text(rows))
    assert (sniff(path).header, sniff(path).header_row) == (False, 0)
    assert good(detected(path)) == [tuple(row) for row in rows]
    # a title of text over them is no record (it names the first column, as read before)
    titled = csv_file(_text([["Prices", "", "", "", "", ""], *rows[1:]]))
    assert good(detected(titled)) == [tuple(row) for row in rows[1:]]


def test_dates_in_order_over_columns_of_dates_are_data(csv_file: MakeFile) -> None:
    """A first record of dates over columns of dates is a record: in order by chance (a
    visit before its follow-up), not evenly spaced as the periods of a wide table are."""
    rng = random.Random(7)
    rows = []
    for n in range(12):
        start = 1 + rng.randrange(27)
        rows.append([f"patient {n}", f"2023-0{1 + n % 9}-{start:02d}", f"2024-0{1 + n % 9}-28"])
    assert not sniff(csv_file(_text(rows))).header


@pytest.mark.parametrize("damage", ["extra", "stray_quote", "fewer"])
def test_a_bad_first_record_does_not_decide_the_layout(csv_file: MakeFile, damage: str) -> None:
    first = _text([ROWS[0]]).rstrip("\n")
    bad = {"extra": first + ",x", "stray_quote": '"' + first, "fewer": first.rsplit(",", 1)[0]}
    path = csv_file(_text([HEADER]) + bad[damage] + "\n" + _text(ROWS[1:]))
    found = sniff(path)
    assert (found.delimiter, found.quote, found.names) == (",", '"', tuple(HEADER))
    frame = detected(path)
    assert good(frame) == [tuple(row) for row in ROWS[1:]]
    (failure,) = failed(frame)
    assert failure["_rowsift_line"] == 2


def test_a_header_with_a_stray_quote_keeps_its_names(csv_file: MakeFile) -> None:
    path = csv_file('"' + _text([HEADER, *ROWS]))
    assert sniff(path).names == ('"DATE', *HEADER[1:])
    assert good(detected(path)) == [tuple(row) for row in ROWS]


def test_a_header_with_an_extra_empty_name_fits(csv_file: MakeFile) -> None:
    header = [*HEADER[:2], "", *HEADER[2:]]
    path = csv_file(_text([header, *ROWS]))
    assert sniff(path).names == tuple(HEADER)


PLACES = [[f"town {n}, state {n % 3}", str(1990 + n), f"{n * 37}"] for n in range(30)]


@pytest.mark.parametrize("quote", ['"', "'"])
def test_one_damaged_header_does_not_pick_the_quote(csv_file: MakeFile, quote: str) -> None:
    """Every record quotes a value holding the delimiter: a header with an empty name too many
    (read with the right quote, it is the one record of its width) does not hand the file to
    a wrong quote that gives every other record one field more."""
    header = ["place", "", "year", "count"]
    path = csv_file(_text([header, *PLACES], quote=quote))
    found = sniff(path)
    assert (found.quote, found.names) == (quote, ("place", "year", "count"))
    assert good(detected(path)) == [tuple(row) for row in PLACES]


def test_single_quotes(csv_file: MakeFile) -> None:
    path = csv_file(_text([HEADER, *ROWS], quote="'"))
    found = sniff(path)
    assert found.quote == "'"
    assert good(detected(path)) == [tuple(row) for row in ROWS]


@pytest.mark.parametrize(
    "line",
    [
        '29/01/2018,00:15,0,"Light" Jacket,$29.81',  # text after the closing quote
        '29/01/2018,00:15,0,"Light Jacket,$29.81',  # a quote that never closes
    ],
)
def test_records_a_strict_reader_rejects_are_quarantined(csv_file: MakeFile, line: str) -> None:
    rows = _text([HEADER, ROWS[0]]) + line + "\n" + _text(ROWS[2:])
    for detect in (True, False):
        frame = read(csv_file(rows), detect=detect)
        (failure,) = failed(frame)
        assert "broken quoting" in failure["_rowsift_parse"]
        assert failure["_rowsift_raw"] == line
        assert failure["_rowsift_fields"] == lenient_split(line, ",", '"')
        assert len(good(frame)) == len(ROWS) - 1


@pytest.mark.parametrize("value", ['Light "Jacket"', '5" pipe', "37°36'37.8\"N 121°2'17.9\"W"])
def test_a_quote_inside_a_field_that_is_not_quoted_is_text(csv_file: MakeFile, value: str) -> None:
    """Every lenient reader reads such a record alike: it is kept, as read, with its raw text
    (the mark of a record read back, flagged ``row.joined`` by a run)."""
    line = f"29/01/2018,00:15,0,{value},$29.81"
    rows = _text([HEADER, ROWS[0]]) + line + "\n" + _text(ROWS[2:])
    expected = next(csv.reader([line]))
    for detect in (True, False):
        frame = read(csv_file(rows), detect=detect)
        assert failed(frame) == []
        (row,) = frame.filter(pl.col("_rowsift_raw").is_not_null()).to_dicts()
        assert row["_rowsift_raw"] == line
        assert [row[name] for name in HEADER] == expected
        assert len(good(frame)) == len(ROWS)


def test_lenient_split_tells_a_stray_quote_from_an_apostrophe() -> None:
    assert lenient_split("'Kid's hat, red',2", ",", "'") == ["Kid's hat, red", "2"]
    assert lenient_split('"28/01,2018,"a, b",x', ",", '"') == ['"28/01', "2018", "a, b", "x"]
    assert lenient_split("a, b, c", ", ", None) == ["a", "b", "c"]


AIRLINES = [
    ["9E", "Endeavor Air Inc."],
    ["AA", "American Airlines Inc."],
    ["AS", "Alaska Airlines Inc."],
    ["B6", "JetBlue Airways"],
    ["DL", "Delta Air Lines Inc."],
    ["EV", "ExpressJet Airlines Inc."],
    ["F9", "Frontier Airlines Inc."],
]
"""A table of text only: no column holds numbers or dates to tell a header by."""


def test_a_second_header_row_over_text_columns(csv_file: MakeFile) -> None:
    path = csv_file(_text([["Airline code", "Airline name"], ["carrier", "name"], *AIRLINES]))
    found = sniff(path)
    assert found.header_rows == 2
    assert found.names == ("Airline code carrier", "Airline name name")
    assert good(detected(path)) == [tuple(row) for row in AIRLINES]
    # a first record like the others (a code of their length, a name of their shape) is data,
    # and one with a stray quote is a damaged record, not a second header row
    for first in (["UA", "United Air Lines Inc."], ["VX", '"Virgin America']):
        found = sniff(csv_file(_text([["carrier", "name"], first, *AIRLINES])))
        assert found.header_rows == 1


def test_a_preamble_and_notes_of_the_tables_width(csv_file: MakeFile) -> None:
    notes = [["PREAMBLE", ""]] * 3
    path = csv_file(_text([*notes, ["carrier", "name"], *AIRLINES, ["FOOTNOTE", ""]]))
    found = sniff(path)
    assert (found.header_row, found.names, found.footer_rows) == (3, ("carrier", "name"), 1)
    assert good(detected(path)) == [tuple(row) for row in AIRLINES]
    # a record leaving empty a cell that records below it leave empty too is data
    rows = [["carrier", "name"], ["XX", ""], *AIRLINES, ["YY", ""]]
    path = csv_file(_text(rows))
    found = sniff(path)
    assert (found.header_row, found.footer_rows) == (0, 0)
    assert len(good(detected(path))) == len(AIRLINES) + 2


def test_a_header_one_name_too_many_over_text_columns(csv_file: MakeFile) -> None:
    path = csv_file(_text([["carrier", "", "name"], *AIRLINES]))
    found = sniff(path)
    assert found.names == ("carrier", "name")
    assert good(detected(path)) == [tuple(row) for row in AIRLINES]


def test_apostrophes_in_a_file_quoted_with_single_quotes_are_text(csv_file: MakeFile) -> None:
    """'Men's Tent, Tall' and an unquoted O'Brien break the quoting but read as written; a
    stray quote at a field's start still does not."""
    names = ["Heated Sofa", "Big Tent", "Lamp Shade", "Trail Shoes", "Down Vest", "Fly Rods"]
    rows = [[str(i), names[i % 6], f"{i}.50"] for i in range(1, 9)]
    lines = [*rows, ["9", "Men's Tent, Tall", "2.50"], ["10", "O'Brien Boots", "3.50"]]
    text = _text([["id", "product", "price"], *lines], quote="'") + "'11,Mug,4.50\n"
    frame = detected(csv_file(text))
    assert good(frame)[-2:] == [("9", "Men's Tent, Tall", "2.50"), ("10", "O'Brien Boots", "3.50")]
    (failure,) = failed(frame)
    assert failure["_rowsift_raw"] == "'11,Mug,4.50"


@pytest.mark.parametrize("rows", [5_000, 30_000])  # the whole file in the sample, or not
def test_a_long_narrow_file_is_sniffed_from_its_first_lines_and_its_end(
    csv_file: MakeFile, rows: int
) -> None:
    """A narrow table has more lines in its first bytes than are sniffed: the sample is its
    first lines, and a footnote at its end is still found."""
    lines = [["id", "value"], *([str(i), f"{i % 997}.5"] for i in range(rows))]
    path = csv_file(_text([*lines, ["Source: a survey", ""]]))
    assert path.stat().st_size < HEAD_BYTES or rows > 5_000
    assert rows > HEAD_LINES
    found = sniff(path)
    assert (found.delimiter, found.names, found.footer_rows) == (",", ("id", "value"), 1)
    assert len(good(detected(path))) == rows
