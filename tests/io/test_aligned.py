"""Tables aligned with whitespace: runs of spaces and tabs between fields, as R and reports
write them."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from loading_helpers import detected, failed, good, read

from rowsift.io import sniff
from rowsift.io.aligned import (
    CollapsedText,
    collapse_block,
    collapse_line,
    cut_line,
    looks_aligned,
    names_by_position,
)
from rowsift.io.csvtext import lines_of
from rowsift.recipe import SourceSpec

MakeFile = Callable[..., Path]

ALIGNED = (
    " YR   MON  NINO1+2   ANOM\n"
    "1950   1   23.11   -1.42\n"
    "1950   2   24.20   -1.71\n"
    "1950  12   25.37   -1.00\n"
    "1951   1   23.86   -1.71\n"
    "1951   2   23.03   -1.39\n"
)
ROWS = [
    ("1950", "1", "23.11", "-1.42"),
    ("1950", "2", "24.20", "-1.71"),
    ("1950", "12", "25.37", "-1.00"),
    ("1951", "1", "23.86", "-1.71"),
    ("1951", "2", "23.03", "-1.39"),
]


@pytest.mark.parametrize(
    ("line", "collapsed"),
    [
        ("  a   b\t c  \n", "a b c\n"),
        ("a\t\tb\r\n", "a b\r\n"),
        ('x  "New   York"   3\n', 'x "New   York" 3\n'),
        ('5\'10"   tall  "a  b"\n', '5\'10" tall "a  b"\n'),  # a quote inside a value is text
        ('"open  quote   1\n', '"open quote 1\n'),
        ("   \n", "\n"),
        ("no end", "no end"),
    ],
)
def test_a_line_is_collapsed_outside_quoted_fields(line: str, collapsed: str) -> None:
    assert collapse_line(line, '"') == collapsed


def test_the_collapsed_stream_keeps_every_line(csv_file: MakeFile) -> None:
    text = "a  b\r\nc\t d\r  e   f\n\n   \nlast  one"
    stream = CollapsedText(io.StringIO(text, newline=""), '"')
    pieces = []
    while chunk := stream.read(3):
        pieces.append(chunk)
    assert "".join(pieces) == "a b\r\nc d\re f\n\n\nlast one"


def test_an_aligned_table_is_detected_and_read(csv_file: MakeFile) -> None:
    path = csv_file(ALIGNED, ".dat")
    found = sniff(path)
    assert found.aligned
    assert found.names == ("YR", "MON", "NINO1+2", "ANOM")
    assert found.to_source()["delimiter"] == "whitespace"
    frame = detected(path)
    assert good(frame) == ROWS
    assert frame["_rowsift_line"].to_list() == [2, 3, 4, 5, 6]
    # the sniffed keys read the file the same way without detection
    again = read(path, **SourceSpec.model_validate(found.to_source()).model_dump())
    assert good(again) == ROWS


def test_r_row_names_under_a_header_one_name_short(csv_file: MakeFile) -> None:
    text = (
        "          \t      SIZE SUBS  STAFF\n"
        "Appropriations   \t58   13    109\n"
        "Budget   \t\t42   0     39\n"
        "Rules   \t\t13   2     25\n"
        "Ways_and_Means  \t39   5     23\n"
    )
    path = csv_file(text, ".dat")
    found = sniff(path)
    assert found.names == ("column_1", "SIZE", "SUBS", "STAFF")
    expected = [
        ("Appropriations", "58", "13", "109"),
        ("Budget", "42", "0", "39"),
        ("Rules", "13", "2", "25"),
        ("Ways_and_Means", "39", "5", "23"),
    ]
    assert good(detected(path)) == expected
    # a recipe's keys (no detection) take the same unnamed first column
    assert good(read(path, **found.to_source())) == expected


def test_a_comma_file_with_row_names_reads_the_same_from_its_recipe_keys(
    csv_file: MakeFile,
) -> None:
    path = csv_file("a,b\nx,1,2\ny,3,4\nz,5,6\n")
    found = sniff(path)
    assert found.names == ("column_1", "a", "b")
    expected = [("x", "1", "2"), ("y", "3", "4"), ("z", "5", "6")]
    assert good(read(path, **found.to_source())) == expected


def test_records_closed_by_a_delimiter_under_a_header_that_is_not(csv_file: MakeFile) -> None:
    """Every record ends in a delimiter the header lacks (``1,Anna,1.50,``): the header's one
    name short is the blank last column's, not R's row names; nothing shifts."""
    path = csv_file("id,name,amount\n1,Anna,1.50,\n2,Bob,2.75,\n3,Carl,3.00,\n")
    found = sniff(path)
    assert found.names == ("id", "name", "amount", "column_4")
    expected = [("1", "Anna", "1.50", ""), ("2", "Bob", "2.75", ""), ("3", "Carl", "3.00", "")]
    assert good(detected(path)) == expected
    assert good(read(path, **found.to_source())) == expected
    # one record with a value there: R's row names after all
    named = csv_file("a,b\nx,1,\ny,3,\nz,5,6\n")
    assert sniff(named).names == ("column_1", "a", "b")


def test_a_short_record_is_read_by_position_and_notes_are_quarantined(
    csv_file: MakeFile,
) -> None:
    path = csv_file(
        "   MONTHLY MEANS\n"
        "=================\n"
        "Year   Jan   Feb   Mar\n"
        "1749  58.0  62.6  70.0\n"
        "1750  73.3  75.9  89.2\n"
        "1751  70.0  43.5  45.3\n"
        "1752  35.0  50.0  71.0\n"
        "1753  44.0  32.0\n"
        "\n"
        "Note:  Data are preliminary after 1752.\n",
        ".dat",
    )
    found = sniff(path)
    assert found.aligned
    assert found.header_row == 2
    assert found.column_starts == (0, 6, 12, 18)
    frame = detected(path)
    # the short record's values lie under Jan and Feb: its Mar is an empty cell
    assert good(frame)[-1] == ("1753", "44.0", "32.0", "")
    assert [row[0] for row in good(frame)] == ["1749", "1750", "1751", "1752", "1753"]
    # the note's words cross the columns: split at whitespace, it has the wrong width
    assert [f["_rowsift_line"] for f in failed(frame)] == [10]


def test_one_space_with_empty_fields_stays_one_space(csv_file: MakeFile) -> None:
    rows = ["id name score", "1 ann 3", "2  4", "3 bob ", "4 cy 5", "5  6", "6 di 7"]
    path = csv_file("\n".join(rows) + "\n")
    found = sniff(path)
    assert found.delimiter == " "
    assert not found.aligned
    assert good(detected(path))[1] == ("2", "", "4")


def test_tabs_with_empty_fields_stay_tabs(csv_file: MakeFile) -> None:
    rows = ["id\tname\tscore", "1\tann\t3", "2\t\t4", "3\tbob\t", "4\tcy\t5", "5\t\t6"]
    path = csv_file("\n".join(rows) + "\n", ".txt")
    found = sniff(path)
    assert found.delimiter == "\t"
    assert not found.aligned


def test_a_comma_file_with_padded_values_is_not_aligned(csv_file: MakeFile) -> None:
    path = csv_file("id,  name, score\n1,  ann,  3\n2,  bob,  4\n3,  cy,   5\n")
    assert sniff(path).delimiter in (",", ", ")
    assert not sniff(path).aligned
    assert not looks_aligned("a,b\n1,2\n")


TOKENS = st.text(alphabet=st.sampled_from("abcxyz0123456789.-_+"), min_size=1, max_size=6).filter(
    lambda t: not t.startswith(("-", "+"))
)
PADDING = st.text(alphabet=st.sampled_from(" \t"), min_size=1, max_size=4)


@settings(max_examples=40, deadline=None)
@given(
    table=st.integers(min_value=2, max_value=5).flatmap(
        lambda width: st.lists(
            st.lists(st.tuples(TOKENS, PADDING), min_size=width, max_size=width),
            min_size=3,
            max_size=8,
        )
    ),
    lead=st.text(alphabet=st.sampled_from(" \t"), max_size=3),
)
def test_any_padding_reads_back_the_values(
    tmp_path_factory: pytest.TempPathFactory,
    table: list[list[tuple[str, str]]],
    lead: str,
) -> None:
    """Whatever runs of spaces and tabs separate the values, a recipe that says whitespace
    reads back exactly the values, on the line each was written."""
    width = len(table[0])
    header = "  ".join(f"c{i}" for i in range(width))
    body = "".join(lead + "".join(v + pad for v, pad in row).rstrip(" \t") + "\n" for row in table)
    path = tmp_path_factory.mktemp("aligned") / "t.dat"
    path.write_text(header + "\n" + body)
    frame = read(path, delimiter="whitespace")
    assert good(frame) == [tuple(v for v, _ in row) for row in table]
    assert frame["_rowsift_line"].to_list() == list(range(2, len(table) + 2))


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.sampled_from([" ", "\t", "\r", "\n", "\r\n", '"', "a", "7", ".", "\xa0", "\x0b"]),
        max_size=60,
    ).map("".join)
)
def test_a_block_is_collapsed_as_its_lines_are(text: str) -> None:
    """The block-at-once collapse (`str.split` for lines without quotes) gives what each line
    collapsed alone gives, whatever the spaces, line ends and quotes."""
    by_line = "".join(collapse_line(line, '"') for line in lines_of(text))
    assert collapse_block(text, '"') == by_line
    assert collapse_block(text, None) == "".join(
        collapse_line(line, None) for line in lines_of(text)
    )


WEEKLY = (
    "These weekly averages are based on four air samples per hour, taken atop\n"
    "intake lines on several towers.\n"
    "\n"
    "Station Sample Weight Flag  CO2 concentration\n"
    " code   date          code     (ppmv)\n"
    "\n"
    + "".join(
        f"MLO    58{week:04d}   {week % 7 + 1}    0         {316 + week / 10:.2f}\n"
        for week in range(329, 349)
    )
)


def test_names_with_spaces_over_two_lines_are_read_by_position(csv_file: MakeFile) -> None:
    """An aligned header whose names hold spaces (so their words do not line up one to a
    column) is read by where its words lie over the columns below."""
    path = csv_file(WEEKLY, ".dat")
    found = sniff(path)
    assert found.names == (
        "Station code",
        "Sample date",
        "Weight",
        "Flag code",
        "CO2 concentration (ppmv)",
    )
    assert (found.header_row, found.header_rows) == (3, 2)
    rows = good(detected(path))
    assert len(rows) == 20
    assert rows[0] == ("MLO", "580329", "1", "0", "348.90")
    # the recipe's keys read the same names without detection
    again = read(path, **found.to_source())
    assert again.columns[1:6] == list(found.names)
    assert good(again) == rows


@pytest.mark.parametrize(
    ("header", "names"),
    [
        ("Station Sample Weight", ["Station", "Sample", "Weight"]),
        ("  id     when    value", ["id", "when", "value"]),
        ("An interesting note on these rows", None),  # words over two columns: prose
        ("id when", None),  # a column without a name
    ],
)
def test_a_header_line_placed_by_position(header: str, names: list[str] | None) -> None:
    lines = [header, "MLO    580329   4", "MLO    580405  16", "XY     580412   7"]
    assert names_by_position(lines, [0], [1, 2, 3], 3) == names


@pytest.mark.parametrize(
    ("header", "names"),
    [
        ("Data:   Treatment   Response", ["Treatment", "Response"]),  # the line's label
        ("Data    Treatment   Response", None),  # a word left of every column: no label
    ],
)
def test_a_label_left_of_every_column_is_no_name(header: str, names: list[str] | None) -> None:
    lines = [header, "           1         1.4", "           2         1.3"]
    assert names_by_position(lines, [0], [1, 2], 2) == names


def test_tabs_give_no_positions() -> None:
    assert names_by_position(["a  b", "1\t2", "3\t4"], [0], [1, 2], 2) is None


def _described(rows: int, *, damaged_at: int | None = None) -> str:
    """A reference data set as NIST writes one: a description whose lines of two words are
    scattered among others, then a label and the names above the aligned rows."""
    lines = [
        "NIST/ITL StRD",
        "Dataset Name:   Demo   (Demo.dat)",
        "",
        "Procedure:      Analysis of Variance",
        "Data:           1 Factor",
        "                2 Treatments",
        "                21 Replicates/Cell",
        "                Generated Data",
        "Model:          10 Parameters (mu,tau_1, ... , tau_9)",
        "Certified Values:",
        "Between Treatment 8 1.68 2.1E-01 2.1E+01",
        "Within Treatment 180 1.8 1.0E-02",
        "",
        "Data:  Treatment   Response",
    ]
    lines += [f"           {1 + i % 9}         1.{3 + i % 3}" for i in range(rows)]
    if damaged_at is not None:
        lines[14 + damaged_at] = "           1         1.3  extra"
    return "\n".join(lines) + "\n"


def test_the_header_right_above_the_rows_under_a_description(csv_file: MakeFile) -> None:
    """A description above an aligned table whose lines of the table's width are scattered is
    no header: the names are those right above the rows (a label like ``Data:`` left out)."""
    path = csv_file(_described(60), ".dat")
    found = sniff(path)
    assert (found.names, found.header_row, found.aligned) == (("Treatment", "Response"), 13, True)
    rows = good(detected(path))
    assert len(rows) == 60
    assert rows[0] == ("1", "1.3")
    again = read(path, **found.to_source())
    assert good(again) == rows


def test_a_damaged_row_near_the_top_moves_no_header(csv_file: MakeFile) -> None:
    """A run of rows broken by one damaged record: the rows above it are rows, not notes, and
    the damaged record is no header."""
    lines = ["id  amount", *(f"{i:3d}  {i * 1.5:7.2f}" for i in range(80))]
    lines[4] = "  3     4.50  extra"
    path = csv_file("\n".join(lines) + "\n", ".dat")
    found = sniff(path)
    assert (found.names, found.header_row) == (("id", "amount"), 0)
    frame = detected(path)
    assert len(good(frame)) == 79
    assert [row["_rowsift_line"] for row in failed(frame)] == [5]


CITIES = (
    "name      city           state   population\n"
    "Alice     New York       NY         8336817\n"
    "Bob       Los Angeles    CA         3979576\n"
    "Carol     Chicago        IL         2693976\n"
    "Eve       Phoenix                   1680992\n"
    "Heidi     Dallas         TX         1343573\n"
    "Grace     San Antonio    TX         1547253\n"
)


def test_values_with_spaces_and_empty_cells_are_read_by_position(csv_file: MakeFile) -> None:
    path = csv_file(CITIES, ".txt")
    found = sniff(path)
    assert found.aligned
    assert found.column_starts == (0, 10, 25, 33)  # where `population` starts
    assert found.names == ("name", "city", "state", "population")
    rows = good(detected(path))
    assert rows[0] == ("Alice", "New York", "NY", "8336817")
    assert rows[3] == ("Eve", "Phoenix", "", "1680992")
    assert len(rows) == 6
    assert not failed(detected(path))
    # the recipe's keys read the file the same way
    assert good(read(path, **found.to_source())) == rows


def test_a_table_whose_records_all_have_its_width_gets_no_positions(csv_file: MakeFile) -> None:
    path = csv_file(ALIGNED, ".txt")
    assert sniff(path).column_starts == ()
    assert "column_starts" not in sniff(path).to_source()


@pytest.mark.parametrize(
    ("line", "cut"),
    [
        ("Alice     New York       NY         8336817\n", 'Alice "New York" NY 8336817\n'),
        ("Eve       Phoenix                   1680992", 'Eve Phoenix "" 1680992'),
        ("           \n", "\n"),
        # a word across a column's start: the line is split at whitespace instead
        ("Note: the 2020 figures are estimates\n", "Note: the 2020 figures are estimates\n"),
        ('Zed       "Old  Town"    ZZ         1\n', 'Zed "Old  Town" ZZ 1\n'),
        ('Ann       Kid "Q" City   KS         2\n', 'Ann "Kid ""Q"" City" KS 2\n'),
    ],
)
def test_a_line_is_cut_at_the_columns_starts(line: str, cut: str) -> None:
    assert cut_line(line, [0, 10, 25, 36], '"') == cut


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "a", "New York", "b c d", 'say "hi"', "x"]),
            st.sampled_from(["", "1", "22", "-3.5"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_cells_written_in_their_columns_read_back_by_position(
    rows: list[tuple[str, str]],
) -> None:
    """Whatever the cells (a space inside, a quote, empty), a line cut at the columns' starts
    reads back, as a space-delimited record, to the cells written there."""
    for name, number in rows:
        cut = cut_line(f"{name:<12}{number:>6}\n", [0, 12], '"')
        (record,) = list(csv.reader(io.StringIO(cut), delimiter=" ", quotechar='"')) or [[]]
        assert record == ([name, number] if name or number else [])


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"column_starts": [0, 5]}, "needs delimiter: whitespace"),
        ({"delimiter": "whitespace", "column_starts": [5, 5]}, "increasing"),
        ({"delimiter": "whitespace", "column_starts": [0]}, "increasing"),
        ({"delimiter": "whitespace", "column_starts": [0, 4], "quoting": False}, "quoting"),
    ],
)
def test_column_starts_are_checked(keys: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SourceSpec(**keys)
