"""Records of too many fields joined back into the one column that can hold the delimiter."""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from loading_helpers import detected, names, read

from rowsift import load_recipe_text, run_file
from rowsift.io import sniff
from rowsift.io.joining import (
    ColumnEvidence,
    column_evidence,
    joined,
    literal_fields,
    quoted_fields,
    refitted,
    shape,
)

WORDS = ["Sofa", "Heated", "Tent", "Men's", "Lamp", "Kraków", "O'Brien", "Mug", "Ana", "Vest"]
PIECE = st.sampled_from(["", "1", "2.5", "-3", "Sofa", "a b", "x:y", "$9.99", "N10"])


@settings(max_examples=300, deadline=None)
@given(
    fields=st.lists(PIECE, min_size=1, max_size=9),
    shapes=st.lists(
        st.frozensets(st.sampled_from(["", "9", "9.9", "-9", "a", "a a", "$9.9"])),
        min_size=2,
        max_size=5,
    ),
    data=st.data(),
)
def test_a_join_never_loses_or_invents_a_field(
    fields: list[str], shapes: list[frozenset[str]], data: st.DataObject
) -> None:
    """Whatever the evidence, a joined record has the header's width, and its fields with the
    delimiter between them are the record's as split, in order; else nothing is joined."""
    free = data.draw(st.lists(st.integers(0, len(shapes) - 1), min_size=1, unique=True))
    evidence = ColumnEvidence(shapes=tuple(shapes), free_text=tuple(sorted(free)))
    found = joined(fields, evidence, " ")
    if found is None:
        return
    assert len(found) == len(shapes)
    assert " ".join(found) == " ".join(fields)
    assert len(fields) > len(shapes)
    extra = [i for i, value in enumerate(found) if value not in fields]
    assert len(extra) == 1
    assert extra[0] in free


def _line(values: list[str], delimiter: str) -> str:
    return delimiter.join(values)


@st.composite
def spaced_tables(draw: st.DrawFn) -> tuple[str, list[list[str]]]:
    """A table whose one free-text column holds the delimiter unquoted in some records, the
    other columns numbers; at least five records do not. The free-text column's values are
    all different (names, not a closed set of words: see `joining`)."""
    delimiter = draw(st.sampled_from([" ", ":", ";", "|"]))
    width = draw(st.integers(2, 4))
    column = draw(st.integers(0, width - 1))
    first = [WORDS[number * 2 + number % 2] for number in range(5)]
    more = draw(
        st.lists(
            st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(delimiter.join),
            min_size=1,
            max_size=9,
            unique=True,
        ).map(lambda values: [value for value in values if value not in first])
    )
    rows: list[list[str]] = []
    for value in [*first, *more]:
        row = [str(draw(st.integers(0, 999))) for _ in range(width)]
        row[column] = value
        rows.append(row)
    return delimiter, rows


_PAIRS = [("Sofa", "Sofa"), ("Sofa", "Heated"), ("Sofa", "Tent"), ("Sofa", "Men's")]
_PAIRS += [("Heated", "Sofa"), ("Heated", "Heated"), ("Tent", "Sofa")]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(spaced_tables())
@example(
    # most records wider than the header: a value's space, not R's unnamed row-name column
    (
        " ",
        [[word, "0"] for word in ("Sofa", "Men's", "Lamp", "Mug", "Ana")]
        + [[f"{first} {second}", "0"] for first, second in _PAIRS],
    )
)
def test_values_holding_the_delimiter_are_joined_back(
    case: tuple[str, list[list[str]]],
) -> None:
    """Every record is kept with its values as written; the ones that held the delimiter have
    their raw text and the ``row.joined`` mark (raw text, no parse failure)."""
    delimiter, rows = case
    width = len(rows[0])
    header = [f"c{i}" for i in range(width)]
    lines = [_line(header, delimiter), *(_line(row, delimiter) for row in rows)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        frame = read(path, delimiter=delimiter, quoting=False)
    assert frame["_rowsift_parse"].null_count() == len(rows)
    assert [list(row) for row in frame.select(header).iter_rows()] == rows
    for row, line, got in zip(rows, lines[1:], frame.iter_rows(named=True), strict=True):
        wide = len(line.split(delimiter)) > width
        assert got["_rowsift_raw"] == (line if wide else None)
        assert (got["_rowsift_fields"] is not None) == wide
        assert [got[name] for name in header] == row


def test_most_records_one_wider_than_the_header_are_joined_when_detected(tmp_path: Path) -> None:
    """Detection reads a space-delimited table whose names hold a space in most records at the
    header's width: the records of that width are not a preamble above a wider table."""
    rows = [
        [word, str(number)] for number, word in enumerate(["Sofa", "Lamp", "Mug", "Ana", "Vest"])
    ]
    rows += [[f"Big {word}", "9"] for word in ["Sofa", "Lamp", "Mug", "Tent", "Vest", "Hat", "Cap"]]
    path = tmp_path / "t.csv"
    path.write_text("\n".join(["item count", *(" ".join(row) for row in rows)]) + "\n")
    frame = detected(path)
    assert names(frame) == ["item", "count"]
    assert [list(row) for row in frame.select("item", "count").iter_rows()] == rows
    assert frame["_rowsift_parse"].null_count() == len(rows)


def test_r_row_names_stay_an_unnamed_first_column(tmp_path: Path) -> None:
    """R's ``write.table`` writes every record one field wider than its header: the first
    column is the row names', unnamed, even when a value holds the delimiter."""
    rows = [[str(n), word, str(n * 3)] for n, word in enumerate(WORDS[:8], start=1)]
    rows[2][1] = "Big Tent"
    path = tmp_path / "t.csv"
    lines = ["item count", *(" ".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n")
    frame = read(path, delimiter=" ", quoting=False)
    assert names(frame)[1:] == ["item", "count"]
    assert [list(row) for row in frame.select(names(frame)).iter_rows()] == rows


def test_a_column_of_repeated_words_does_not_take_extra_fields(tmp_path: Path) -> None:
    """Five different words among eleven values of two lengths are a set of categories, not
    names: a record one field too wide stays a parse failure, with its raw text, not a
    guessed join."""
    rows = [["Sofa", "0"], ["Men's", "0"], ["Lamp", "0"], ["Mug", "0"], ["Ana", "0"]]
    rows += [["Sofa", "0"]] * 6
    path = tmp_path / "t.csv"
    lines = ["c0 c1", *(" ".join(row) for row in rows), "Sofa Sofa 0"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    frame = read(path, delimiter=" ", quoting=False)
    assert [list(row) for row in frame.select("c0", "c1").iter_rows()][:-1] == rows
    last = frame.row(frame.height - 1, named=True)
    assert (last["_rowsift_parse"], last["_rowsift_raw"]) == (
        "expected 2 fields, got 3",
        "Sofa Sofa 0",
    )


def test_shapes_are_runs_of_letters_digits_and_spaces() -> None:
    assert shape("Zürich 8001") == "a 9"
    assert shape("-80.6195833") == "-9.9"
    assert shape("a  b") == "a a"


def _airports(extra: str = "") -> str:
    lines = ["faa name lat alt tz"]
    names = ["Lansdowne", "Moton Field", "Schaumburg", "Randall", "Jekyll Island", "Williams"]
    names += ["Finger Lakes Regional", "Elizabethton", "Shoestring Aviation", "Dekalb Peach"]
    names += ["Hilltop Lakes", "Fort Smith", "Mesa Del Rey"]
    for number, name in enumerate(names):
        lines.append(f"0{number}G {name} 41.{number}30 {1000 + number} -5")
    return "\n".join(lines) + "\n" + extra


def test_the_header_names_the_columns_when_most_records_are_wider(tmp_path: Path) -> None:
    """Five records of the header's width are evidence enough: the wider ones, more of them,
    are names holding the delimiter, not an unnamed column."""
    path = tmp_path / "airports.txt"
    path.write_text(_airports())
    found = sniff(path)
    assert (found.delimiter, found.names) == (" ", ("faa", "name", "lat", "alt", "tz"))
    frame = read(path, detect=True)
    assert frame["name"].to_list()[1] == "Moton Field"
    assert frame["_rowsift_parse"].null_count() == frame.height


def test_two_columns_that_could_take_the_fields_leave_the_record_a_parse_failure(
    tmp_path: Path,
) -> None:
    lines = ["id first last n"]
    lines += [
        f"{i} {a} {b} {i * 3}" for i, (a, b) in enumerate(zip(WORDS, WORDS[::-1], strict=True))
    ]
    lines.append("99 Ana Maria Smith 7")
    path = tmp_path / "people.txt"
    path.write_text("\n".join(lines) + "\n")
    frame = read(path, delimiter=" ", quoting=False)
    last = frame.row(-1, named=True)
    assert last["_rowsift_parse"] == "expected 4 fields, got 5"
    assert last["first"] is None


def test_a_run_flags_joined_records_and_counts_them(tmp_path: Path) -> None:
    """Kept in the clean output, the warn-severity rule ``row.joined`` failed on them, counted
    under input.loading; an empty field (two delimiters in a row) is not a value: row.parse."""
    path = tmp_path / "airports.txt"
    path.write_text(_airports("99G Two  Spaces 41.5 12 -5\n"))
    recipe = load_recipe_text(
        "version: 1\nsource: {detect: true}\ncolumns:\n  name: {}\n  alt: {type: int}\n"
    )
    summary = run_file(recipe, path, tmp_path / "out")
    written = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert written["failures"] == {"row.parse": 1, "row.joined": 8}
    assert written["status"] == "warn"
    assert written["input"]["loading"]["records_joined"] == 8
    assert (summary.rows_clean, summary.rows_quarantined) == (13, 1)
    clean = pl.read_parquet(tmp_path / "out" / "clean.parquet")
    assert "Finger Lakes Regional" in clean["name"].to_list()


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.lists(PIECE, min_size=3, max_size=3), min_size=5, max_size=12),
    fields=st.lists(PIECE, min_size=2, max_size=4),
)
def test_a_record_read_back_to_the_headers_width_keeps_its_text(
    rows: list[list[str]], fields: list[str]
) -> None:
    """Whatever the evidence, a record read back has the header's width and fits every column;
    one field too few is split in two (their text unchanged), one too many loses an empty one
    or is joined; else it is left alone."""
    evidence = column_evidence(rows, 3, " ")
    found = None if evidence is None else refitted(fields, evidence, " ")
    if found is None:
        return
    assert evidence is not None
    assert len(found) == 3
    dropped = [fields[:j] + fields[j + 1 :] for j in range(len(fields)) if not fields[j]]
    if len(fields) == 2 or found in dropped:
        assert evidence.fits(found)  # a join fits the columns but the one that takes the fields
    if len(fields) == 2:
        assert any(
            found[:i] == fields[:i]
            and found[i] + found[i + 1] == fields[i]
            and found[i + 2 :] == fields[i + 1 :]
            for i in range(2)
        )
    else:
        assert found in dropped or " ".join(found) == " ".join(fields)


def test_one_delimiter_too_few_or_too_many_is_read_back_when_one_reading_fits(
    tmp_path: Path,
) -> None:
    """Two fields run together are split where exactly one place fits both columns (a closed
    set of flags, then a name); an empty field too many is dropped; a run flags both."""
    names = ["Sofa", "Big Tent", "Lamp Shade", "Mug", "Vest", "Boots", "Hat", "Socks"]
    lines = ["id,flag,name,price"]
    lines += [f"{i},{['true', 'false'][i % 2]},{names[i % 8]},{i}.50" for i in range(1, 17)]
    lines += ["17,falseHeated Sofa,3.25", "18,true,,Mug,4.75", "19,true,Mug3.25"]
    path = tmp_path / "orders.csv"
    path.write_text("\n".join(lines) + "\n")
    frame = read(path, detect=True)
    rows = frame.filter(pl.col("id").is_in(["17", "18"])).select("id", "flag", "name", "price")
    assert rows.rows() == [("17", "false", "Heated Sofa", "3.25"), ("18", "true", "Mug", "4.75")]
    kept = frame.filter(pl.col("_rowsift_raw").is_not_null() & pl.col("_rowsift_parse").is_null())
    assert kept["_rowsift_raw"].to_list() == lines[-3:]
    # "Mug3.25": Mug|3.25 or Mug3|.25? only the first fits; "3.25" has the shape of a price
    last = frame.row(-1, named=True)
    assert (last["name"], last["price"]) == ("Mug", "3.25")
    recipe = load_recipe_text("version: 1\nsource: {detect: true}\ncolumns:\n  id: {}\n")
    run_file(recipe, path, tmp_path / "out")
    written = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert written["failures"] == {"row.joined": 3}
    assert written["input"]["loading"]["records_joined"] == 3


CARRIERS = [
    ("9E", "Endeavor Air Inc."),
    ("AA", "American Airlines Inc."),
    ("B6", "JetBlue Airways"),
    ("DL", "Delta Air Lines Inc."),
    ("MQ", "Envoy Air"),
    ("OO", "SkyWest Airlines Inc."),
    ("VX", "Virgin America"),
    ("WN", "Southwest Airlines Co."),
]


def test_a_header_narrower_than_every_record_names_a_code_and_a_free_text_column(
    tmp_path: Path,
) -> None:
    """Delimited by spaces, with the names written unquoted: no record has the header's two
    fields, every one a varying number more. The header still names the columns (it was taken
    for a preamble, and the commonest width, 4, for the table's), and each name is one value
    again, flagged row.joined."""
    path = tmp_path / "carriers.txt"
    path.write_text("carrier name\n" + "".join(f"{c} {n}\n" for c, n in CARRIERS))
    found = sniff(path)
    assert (found.delimiter, found.header, found.names) == (" ", True, ("carrier", "name"))
    frame = read(path, detect=True)
    assert list(zip(frame["carrier"], frame["name"], strict=True)) == CARRIERS
    assert frame["_rowsift_parse"].null_count() == frame.height
    # each record read back keeps its fields as split
    assert frame["_rowsift_fields"].drop_nulls().len() == len(CARRIERS)


def test_two_free_text_columns_under_a_narrower_header_are_not_guessed(tmp_path: Path) -> None:
    """Which words belong to which of two free-text columns cannot be told: the header is not
    taken on that evidence, and no record is joined."""
    path = tmp_path / "pairs.txt"
    rows = [f"{c} {n} {n.split()[0]} Ltd {i}" for i, (c, n) in enumerate(CARRIERS)]
    path.write_text("code name owner n\n" + "\n".join(rows) + "\n")
    frame = read(path, detect=True)
    assert "name" not in frame.columns
    read_back = frame.filter(
        pl.col("_rowsift_parse").is_null() & pl.col("_rowsift_fields").is_not_null()
    )
    assert read_back.height == 0


def test_times_holding_the_delimiter_are_joined_back(tmp_path: Path) -> None:
    """Delimited by colons, every record splits its time of day: the header names the
    columns, and each time is one value again, flagged row.joined."""
    lines = ["day:time:qty:note"]
    lines += [f"2018-01-{d:02d}:{d % 24:02d}:{d * 7 % 60:02d}:{d}:item {d}" for d in range(1, 21)]
    path = tmp_path / "times.txt"
    path.write_text("\n".join(lines) + "\n")
    found = sniff(path)
    assert (found.delimiter, found.names) == (":", ("day", "time", "qty", "note"))
    frame = read(path, detect=True)
    assert frame["time"].to_list()[:2] == ["01:07", "02:14"]
    assert frame["_rowsift_parse"].null_count() == frame.height
    assert frame["_rowsift_raw"].to_list()[0] == lines[1]


def _products(*more: str) -> str:
    """Pollock's product table delimited by spaces: the description and the URL always quoted
    (so are their names in the header), the product type only when it holds a comma, the last
    column empty (each line ends with the delimiter)."""
    lines = ['DATE TIME Qty ProductType "ProductDescription" "URL" Comments']
    types = ["Sandals", "Headlamp", '"Throw Pillow, Wooden"', "Tent", "Mug", "Heated Insoles"]
    types += ["Lamp", '"Socks, Two-Pack"', "Vest", "Boots", "Sofa", '"Tee, Print"']
    for i, kind in enumerate(types):
        note = f"Soft, warm and light: for {kind.strip(chr(34))}."
        lines.append(
            f'{10 + i}/02/2018 {i:02d}:15 {i} {kind} "{note}" "https://example.com/{i}.html" '
        )
    return "\n".join([*lines, *more]) + "\n"


def test_a_quoted_field_is_never_joined_with_another(tmp_path: Path) -> None:
    """The extra fields of a product type holding spaces go to the product type: the quoted
    description next to it is one whole value, as its quotes say, so it neither takes them nor
    keeps the reading from fitting (whatever its shape, it is free text)."""
    path = tmp_path / "products.txt"
    path.write_text(
        _products(
            '30/03/2018 09:15 0 Tropic Cap "Made with the same fabric as our shirts." '
            '"https://example.com/20.html" ',
            '31/03/2018 09:30 2 Men\'s Waterproof Hiking Boots "Rugged, yet light." '
            '"https://example.com/21.html" ',
        )
    )
    frame = read(path, detect=True)
    assert frame["_rowsift_parse"].null_count() == frame.height
    tropic, boots = frame.tail(2).iter_rows(named=True)
    assert tropic["ProductType"] == "Tropic Cap"
    assert tropic["ProductDescription"] == "Made with the same fabric as our shirts."
    assert boots["ProductType"] == "Men's Waterproof Hiking Boots"
    assert boots["URL"] == "https://example.com/21.html"
    assert (tropic["Comments"], boots["Comments"]) == ("", "")


def test_quoted_fields_are_told_by_the_book_only() -> None:
    assert quoted_fields('a "b c" "d ""e"""', " ", '"') == [False, True, True]
    assert quoted_fields("a  b ", " ", '"') == [False, False, False, False]
    assert quoted_fields('a "b c"x d', " ", '"') is None  # text after the closing quote
    assert quoted_fields('a "b c d', " ", '"') is None  # never closed
    assert quoted_fields("a b", " ", None) is None


def test_literal_fields_read_quotes_inside_unquoted_fields_as_text() -> None:
    assert literal_fields('1,"a, ""b""",5" pipe,', ",", '"') == ["1", 'a, "b"', '5" pipe', ""]
    assert literal_fields("7;O'Brien;x", ";", "'") == ["7", "O'Brien", "x"]
    assert literal_fields('1,"5" pipe,2', ",", '"') is None  # text after a closing quote
    assert literal_fields('1,"5 pipe,2', ",", '"') is None  # a quote that never closes
    assert literal_fields('1,"a",2', ",", '"') is None  # by the book: nothing to read back
    assert literal_fields('1,5" pipe\n2,x', ",", '"') is None  # more than one line
    assert literal_fields('1,x"a, b",2', ",", '"') is None  # may be a quoted "a, b" after x
    assert literal_fields('1,5" pipe,6" pipe', ",", '"') is None  # the two quotes may pair
    assert literal_fields('1,37.8"N 17.9"W,6" pipe', ",", '"') == ["1", '37.8"N 17.9"W', '6" pipe']
    assert literal_fields('1,5" pipe', ",", None) is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(alphabet="ab \"'", max_size=6).filter(lambda v: not v.startswith('"')),
        min_size=1,
        max_size=5,
    )
)
def test_literal_fields_read_as_the_csv_module_does(values: list[str]) -> None:
    """Fields that do not start with a quote, any quotes inside them: read back exactly as
    Python's lenient `csv` module reads them, unless an odd number of quotes in one field may
    pair with a quote in a later one."""
    raw = ",".join(values)
    found = literal_fields(raw, ",", '"')
    counts = [v.count('"') for v in values]
    paired = any(n % 2 and any(counts[i + 1 :]) for i, n in enumerate(counts))
    if any(counts) and not paired:
        assert found == values == next(csv.reader([raw]))
    else:
        assert found is None


def test_a_run_keeps_and_flags_quotes_inside_unquoted_fields(tmp_path: Path) -> None:
    """`5" pipe` is text: the record stays in the clean output, its raw text kept, flagged by
    the warn-severity row.joined and counted; a quote at a field's start that does not close
    by the book is still row.parse."""
    path = tmp_path / "pipes.csv"
    path.write_text('id,item,price\n1,5" pipe,2.5\n2,"elbow, 90",1.5\n3,"6" pipe,3.5\n4,cap,1\n')
    recipe = load_recipe_text("version: 1\ncolumns:\n  id: {type: int}\n  item: {}\n")
    summary = run_file(recipe, path, tmp_path / "out")
    written = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert written["failures"] == {"row.parse": 1, "row.joined": 1}
    assert written["input"]["loading"]["records_joined"] == 1
    assert (summary.rows_clean, summary.rows_quarantined) == (3, 1)
    clean = pl.read_parquet(tmp_path / "out" / "clean.parquet")
    assert clean["item"].to_list() == ['5" pipe', "elbow, 90", "cap"]
    frame = read(path)
    kept = frame.filter(pl.col("_rowsift_raw").is_not_null() & pl.col("_rowsift_parse").is_null())
    assert kept["_rowsift_raw"].to_list() == ['1,5" pipe,2.5']
