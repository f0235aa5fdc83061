"""Regressions of issue 18's corpora: wide encodings, offsets of re-read lines, a byte order
mark inside the file, long quoted fields, column names Polars reads as patterns."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from loading_helpers import detected, failed, good, names, read

from rowsift.io import sniff
from rowsift.io.convert import convert
from rowsift.io.delimited import scan_delimited
from rowsift.io.encoding import wide_encoding
from rowsift.io.plain import is_plain, scan_plain
from rowsift.recipe import SourceSpec

MakeFile = Callable[..., Path]
TEXT = "id,name,city\n1,café,Zürich\n2,naïve,Malmö\n3,Ærø,São Paulo\n4,plain,Oslo\n"
ROWS = [tuple(line.split(",")) for line in TEXT.splitlines()[1:]]


@pytest.mark.parametrize(
    "codec", ["utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-16"]
)
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_wide_encodings_read_with_or_without_detection(
    csv_file: MakeFile, codec: str, ending: str
) -> None:
    path = csv_file(TEXT.replace("\n", ending).encode(codec))
    for frame in (read(path), detected(path)):
        assert good(frame) == ROWS
        assert failed(frame) == []


def test_an_encoding_written_in_the_recipe_is_not_second_guessed(csv_file: MakeFile) -> None:
    path = csv_file("id,n\n1,a\n".encode("utf-16-le"))
    assert sniff(path, SourceSpec(encoding="utf-16-le")).encoding == "utf-16-le"
    assert sniff(path, SourceSpec(encoding="latin-1")).encoding == "latin-1"


def test_nul_separated_fields_are_not_taken_for_utf16(csv_file: MakeFile) -> None:
    data = b"a\x00b\n1\x002\n3\x004\n"
    assert wide_encoding(data) is None
    path = csv_file(data)
    for frame in (read(path), detected(path)):
        assert len(frame) == 2, "both records, none lost"
    result = convert(path, path.with_name("out.csv"))
    assert result.rows + result.failures == 2


def test_utf8_in_a_cp1252_file_after_a_lone_cr_keeps_its_byte_offsets(
    csv_file: MakeFile,
) -> None:
    # found by fuzzing: a line read again as UTF-8 was measured in the file's own encoding
    path = csv_file(b"\x81\r\xc4\x80")
    frame = detected(path)
    assert len(frame) == 1


def test_a_byte_order_mark_inside_the_file_is_a_value_on_both_paths(
    csv_file: MakeFile,
) -> None:
    path = csv_file(b"id,x\n1,a\n\xef\xbb\xbf2,b\n3,c\n")
    dialect = sniff(path, SourceSpec(detect=True))
    assert is_plain(path, dialect)
    fast = scan_plain(path, dialect).collect()
    careful = scan_delimited(path, dialect).collect()
    assert fast.to_dicts() == careful.to_dicts()
    assert careful["id"].to_list() == ["1", "\ufeff2", "3"]


def test_a_quoted_field_of_many_lines_that_closes_is_one_value(csv_file: MakeFile) -> None:
    path = csv_file('a,b\n1,"' + "x\n" * 20_000 + '"\n2,y\n')
    frame = read(path)
    assert failed(frame) == []
    assert [row[0] for row in good(frame)] == ["1", "2"]
    assert good(frame)[0][1] == "x\n" * 20_000


@pytest.mark.parametrize("name", ["*", "^id.*$"])
def test_column_names_polars_reads_as_patterns_are_names(csv_file: MakeFile, name: str) -> None:
    path = csv_file(f'id,{name},z\n1,x,=1+1\n2,"y,",w\n')
    for frame in (read(path), detected(path)):
        assert [c for c in frame.columns if not c.startswith("_rowsift_")] == ["id", name, "z"]
        assert good(frame) == [("1", "x", "=1+1"), ("2", "y,", "w")]
    target = path.with_name("out.csv")
    result = convert(path, target)
    assert result.rows == 2
    assert target.read_text().splitlines() == [f"id,{name},z", "1,x,'=1+1", '2,"y,",w']


@pytest.mark.parametrize(
    ("text", "header", "rows"),
    [
        # a note above the header, and a quoted line break in the only record
        ('Note\na,b,c\n1,"x\ny",3\n', ["a", "b", "c"], [("1", "x\ny", "3")]),
        (
            'Note\na,b,c\n1,"x\ny",3\n4,"z\nw",6\n7,8,9\n',
            ["a", "b", "c"],
            [("1", "x\ny", "3"), ("4", "z\nw", "6"), ("7", "8", "9")],
        ),
        # a line break in a header name, under a note
        (
            'Report\n"a\nb",c,d\n1,2,3\n4,5,6\n',
            ["a\nb", "c", "d"],
            [("1", "2", "3"), ("4", "5", "6")],
        ),
    ],
)
def test_a_record_over_several_lines_below_a_note_is_one_record(
    csv_file: MakeFile, text: str, header: list[str], rows: list[tuple[str, ...]]
) -> None:
    path = csv_file(text.encode())
    frame = detected(path)
    assert names(frame) == header
    assert good(frame) == rows
    assert failed(frame) == []
    explicit = read(path, header_row=1)
    assert good(explicit) == rows


def test_a_note_and_a_total_of_as_many_words_as_columns_do_not_make_spaces_the_delimiter(
    csv_file: MakeFile,
) -> None:
    """Two lines of another width (a note above, a total below) are too few to halve the
    score of the delimiter that splits every record alike."""
    text = "Report generated today\na, b, c\n1, 2, 3\n4, 5, 6\n7, 8, 9\nTotal: 3 rows\n"
    frame = detected(csv_file(text.encode()))
    assert names(frame) == ["a", "b", "c"]
    assert good(frame) == [("1", "2", "3"), ("4", "5", "6"), ("7", "8", "9")]


@pytest.mark.parametrize(
    "values",
    [
        ["red, blue", "plain text", "a, b, c", "hello world", "x, y"],
        ["one", "two words here", "a, b", "three more words", "x; y", "c d", "e\nf g", "h"],
    ],
)
def test_one_column_of_free_text_is_not_split_at_its_spaces(
    csv_file: MakeFile, values: list[str]
) -> None:
    """Values quoted because they hold a comma, the others words of any number: one column."""
    quoted = [f'"{v}"' if any(mark in v for mark in ",;\n") else v for v in values]
    written = "".join(f"{v}\n" for v in quoted)
    frame = detected(csv_file(("notes\n" + written).encode()))
    assert names(frame) == ["notes"]
    assert good(frame) == [(v,) for v in values]
    assert failed(frame) == []


def test_a_space_delimited_table_with_quoted_notes_keeps_its_delimiter(
    csv_file: MakeFile,
) -> None:
    """Whole quoted lines that hold a comma do not make a table of one width one column."""
    rows = [(str(i), f"n{i}", str(i * 2)) for i in range(12)]
    text = '"Report, today"\n"Sites, all"\nid name size\n'
    text += "".join(" ".join(row) + "\n" for row in rows)
    frame = detected(csv_file(text.encode()))
    assert names(frame) == ["id", "name", "size"]
    assert good(frame) == rows


@pytest.mark.parametrize(
    "values",
    [
        ["John Smith", "Ann Lee", "Bob Stone", "Mary Jane Watson", "Tom Hanks"],
        ["New York", "Los Angeles", "San Francisco", "Boston", "Salt Lake City", "Denver"],
    ],
)
def test_one_column_of_several_words_keeps_its_header_and_every_value(
    csv_file: MakeFile, values: list[str]
) -> None:
    """A header of one name above values of several words: the first value is no header and
    the name no note above the table."""
    frame = detected(csv_file(("name\n" + "".join(f"{v}\n" for v in values)).encode()))
    assert names(frame) == ["name"]
    assert good(frame) == [(v,) for v in values]


def test_a_one_word_note_above_a_space_delimited_table_stays_a_note(csv_file: MakeFile) -> None:
    rows = [(str(i), f"n{i}", str(i * 2)) for i in range(12)]
    text = "Report\nid name size\n" + "".join(" ".join(row) + "\n" for row in rows)
    frame = detected(csv_file(text.encode()))
    assert names(frame) == ["id", "name", "size"]
    assert good(frame) == rows


@pytest.mark.parametrize(
    "values",
    [
        ["Fixed wing multi engine"] * 8,
        ["2010/01/01 00:00", "2010/01/01 01:00", "2010/01/01 02:00", "2010/01/01 03:00"],
    ],
)
def test_one_column_of_values_alike_is_not_a_table_below_a_note(
    csv_file: MakeFile, values: list[str]
) -> None:
    """Values of one word count: as a table below a note, it would have no header."""
    frame = detected(csv_file(("type\n" + "".join(f"{v}\n" for v in values)).encode()))
    assert names(frame) == ["type"]
    assert good(frame) == [(v,) for v in values]


@pytest.mark.parametrize(
    "values",
    [
        ["New York", "Los Angeles", "San Diego", "San Jose", "El Paso", "Las Vegas"],
        ["Oracular Spectacular", "Blue Train"] * 6 + ['"Alright, Still"', '"Yes, Please"'] * 2,
        ["Blue Train", "Kind Of", '"Alright, Still"', "Sea Change", '"Yes, Please"'] * 4,
        [
            f"contributor #0 (10.{n}.{n * 7 % 250}.1)"
            if n % 3 == 1
            else f"contributor #{n * 7919}: {['bot', 'music monkey', 'quarl', 'gogo dodo'][n % 4]}"
            for n in range(30)
        ],
    ],
)
def test_one_column_of_values_of_one_width_keeps_its_header(
    csv_file: MakeFile, values: list[str]
) -> None:
    """Values that all split to one width (two words; a quoted value with a comma among them;
    a `#` in each): a table below a note would have no header, or a quoted line between its
    rows, so the name heads one column."""
    frame = detected(csv_file(("name\n" + "".join(f"{v}\n" for v in values)).encode()))
    assert names(frame) == ["name"]
    assert good(frame) == [(v.strip('"'),) for v in values]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_notes_around_a_table_whose_values_hold_spaces_and_colons(
    csv_file: MakeFile, delimiter: str
) -> None:
    """Notes hold no delimiter: lines a delimiter leaves whole below a table of its width do
    not count against it (`;` lost its header and records to `:` or a space here)."""
    rows = [("46.6", "2010/01/05 08:00:00"), ("48.3", "2010/01/05 09:00:00")]
    text = "Source: Office for National Statistics\nExtracted 2024-03-01 from the data warehouse\n"
    text += f"temp{delimiter}date\n" + "".join(delimiter.join(r) + "\n" for r in rows)
    text += "Source: World Bank\n"
    frame = detected(csv_file(text.encode()))
    assert names(frame) == ["temp", "date"]
    assert good(frame) == rows


def test_a_mark_at_the_start_of_values_is_no_delimiter(csv_file: MakeFile) -> None:
    """`#` before every value splits no line into two values: it is no delimiter."""
    rows = [("#1", "5"), ("#2", "6"), ("#3", "7"), ("#4", "8")]
    frame = detected(csv_file(("tag,n\n" + "".join(",".join(r) + "\n" for r in rows)).encode()))
    assert names(frame) == ["tag", "n"]
    assert good(frame) == rows


@pytest.mark.parametrize("status", ["pending", "TBD"])
def test_a_first_record_of_text_is_no_second_header_row(csv_file: MakeFile, status: str) -> None:
    """Below a header that names every column, a row whose values are written as the values
    below them (`SO-1` above `SO-2`) is a record, whatever text it holds over numbers."""
    rows = [("SO-1", "Anna Smith", status)] + [
        (f"SO-{i}", name, f"{i * 10.5}")
        for i, name in enumerate(["Bob Jones", "Ann Lee", "Cy Young", "Di Ross", "Ed Wood"], 2)
    ]
    text = "Order,Customer,Amount\n" + "".join(",".join(r) + "\n" for r in rows)
    frame = detected(csv_file(text.encode()))
    assert names(frame) == ["Order", "Customer", "Amount"]
    assert good(frame) == rows


def test_a_title_above_a_table_without_header_stays_a_note(csv_file: MakeFile) -> None:
    rows = [("2020-01-01", "3.4", "5"), ("2020-01-02", "3.5", "5"), ("2020-01-03", "3.1", "5")]
    text = "Station\n" + "".join(";".join(row) + "\n" for row in rows)
    frame = detected(csv_file(text.encode()))
    assert names(frame) == ["column_1", "column_2", "column_3"]
    assert good(frame) == rows


def test_a_one_word_note_above_a_table_of_text_stays_a_note(csv_file: MakeFile) -> None:
    rows = [("Ann", "Rome"), ("Bob", "Oslo"), ("Cy", "Lima"), ("Di", "Kyiv"), ("Ed", "Bern")]
    text = "Customers\nname;city\n" + "".join(";".join(row) + "\n" for row in rows)
    frame = detected(csv_file(text.encode()))
    assert names(frame) == ["name", "city"]
    assert good(frame) == rows


def test_a_column_of_one_quoted_value_is_one_column(csv_file: MakeFile) -> None:
    values = ["Fertility rate, total (births per woman)"] * 6
    frame = detected(csv_file(("Indicator Name\n" + "".join(f'"{v}"\n' for v in values)).encode()))
    assert names(frame) == ["Indicator Name"]
    assert good(frame) == [(v,) for v in values]
