"""Delimited text: RFC 4180 edge cases load exactly; messy records are quarantined, never lost."""

from __future__ import annotations

import bz2
import gzip
from collections.abc import Callable
from pathlib import Path

import pytest
import zstandard
from loading_helpers import detected, failed, good, read

from rowsift.io import read_table, sniff
from rowsift.io.records import LoadingCounts
from rowsift.recipe import SourceSpec

CsvFile = Callable[..., Path]

# (file content, expected records): RFC 4180 section 2 and the classic edge cases
RFC_4180 = [
    ("a,b\r\n1,2\r\n", [("1", "2")]),  # CRLF line ends
    ("a,b\n1,2", [("1", "2")]),  # no line break after the last record
    ('a,b\n"1","2"\n', [("1", "2")]),  # every field quoted
    ('a,b\n"x,y",z\n', [("x,y", "z")]),  # a delimiter inside quotes
    ('a,b\n"say ""hi""",z\n', [('say "hi"', "z")]),  # a doubled quote is one quote
    ('a,b\n"line\r\nbreak",z\n', [("line\r\nbreak", "z")]),  # CRLF inside a field
    ('a,b\n"line\nbreak",z\n', [("line\nbreak", "z")]),  # LF inside a field
    ('a,b\n"",\n', [("", "")]),  # empty fields, quoted and not
    ("a,b\n ,x \n", [(" ", "x ")]),  # spaces are part of a field
    ('a,b\n"""",z\n', [('"', "z")]),  # a field that is one quote
    ('a,b\n"a""b""c",z\n', [('a"b"c', "z")]),
    ("a,b\n1,2\r3,4\r", [("1", "2"), ("3", "4")]),  # old Mac line ends
    ("a,b\n1,2\r\n3,4\n5,6\r", [("1", "2"), ("3", "4"), ("5", "6")]),  # mixed line ends
    ("\ufeffa,b\n1,2\n", [("1", "2")]),  # a UTF-8 byte order mark
    ('a,b\n1,"x"\n', [("1", "x")]),
]


@pytest.mark.parametrize(("content", "records"), RFC_4180)
def test_rfc_4180_cases_load_exactly(
    csv_file: CsvFile, content: str, records: list[tuple[str, ...]]
) -> None:
    frame = detected(csv_file(content))
    assert frame.columns[1:3] == ["a", "b"]
    assert good(frame) == records
    assert failed(frame) == []


def test_unclosed_quote_does_not_swallow_the_next_lines(csv_file: CsvFile) -> None:
    frame = read(csv_file('id,v\n1,"open\n2,b\n3,c\n'))
    assert good(frame) == [("2", "b"), ("3", "c")]
    (bad,) = failed(frame)
    assert bad["_rowsift_line"] == 2
    assert bad["_rowsift_raw"] == '1,"open'
    assert "quot" in bad["_rowsift_parse"]


def test_text_after_a_closing_quote_is_broken_quoting(csv_file: CsvFile) -> None:
    frame = read(csv_file('id,v\n1,"a"b\n2,c\n'))
    assert good(frame) == [("2", "c")]
    assert failed(frame)[0]["_rowsift_raw"] == '1,"a"b'


def test_undecodable_bytes_are_quarantined_with_their_byte_offset(csv_file: CsvFile) -> None:
    frame = read(csv_file(b"id,v\n1,ok\n2,caf\xe9\n3,fine\n"))
    assert good(frame) == [("1", "ok"), ("3", "fine")]
    (bad,) = failed(frame)
    assert bad["_rowsift_line"] == 3
    assert "byte offset 15" in bad["_rowsift_parse"]
    assert bad["_rowsift_raw"] == "2,caf\\xe9"


def test_blank_lines_are_no_records_but_count_as_lines(csv_file: CsvFile) -> None:
    frame = read(csv_file("id,v\n\n1,a\n\n\n2,b\n"))
    assert good(frame) == [("1", "a"), ("2", "b")]
    assert frame["_rowsift_line"].to_list() == [3, 6]


def test_a_record_of_empty_fields_is_quarantined_not_dropped(csv_file: CsvFile) -> None:
    frame = read(csv_file("id,v\n1,a\n,\n2,b\n"))
    assert good(frame) == [("1", "a"), ("2", "b")]
    assert failed(frame)[0]["_rowsift_parse"].startswith("blank record")


@pytest.mark.parametrize("rows", [3, 30_000], ids=["record_by_record", "by_polars"])
def test_records_of_bare_delimiters_at_the_end_are_blank_lines(
    csv_file: CsvFile, rows: int
) -> None:
    """A spreadsheet saved as CSV writes its formatted empty rows as bare delimiters (``;;``):
    at the end of the file, with no record after them, they are blank lines, counted, not
    quarantined, whichever reader takes the file; among the records they are quarantined."""
    records = [(str(n), f"x{n}", str(n * 2)) for n in range(rows)]
    text = "a;b;c\r\n" + "".join(";".join(r) + "\r\n" for r in records)
    counted: list[LoadingCounts] = []
    path = csv_file(text + ";;\r\n;;\r\n;;")
    frame = read_table(path, SourceSpec(detect=True), on_loaded=counted.append).collect()
    assert good(frame.to_native()) == records
    assert failed(frame.to_native()) == []
    (counts,) = counted
    assert (counts.blank, counts.quarantined) == (3, 0)
    inside = read(csv_file(text + ";;\r\n9;y;18\r\n;;\r\n"), detect=True)
    assert good(inside) == [*records, ("9", "y", "18")]
    (blank,) = failed(inside)
    assert blank["_rowsift_parse"].startswith("blank record")


def test_duplicate_and_blank_header_names_are_made_unique(csv_file: CsvFile) -> None:
    frame = read(csv_file("id,,id,x,id\n1,2,3,4,5\n"))
    assert frame.columns[1:6] == ["id", "column_2", "id_2", "x", "id_3"]


def test_preamble_header_and_footer_are_detected(csv_file: CsvFile) -> None:
    path = csv_file(
        "Sales report\nExported 2024-03-01\n\nid;amount;city\n1;2,50;Köln\n2;3,00;Oslo\n"
        "3;1,25;Rome\n\nTotal: 3 rows\n"
    )
    found = sniff(path)
    assert (found.delimiter, found.header_row, found.footer_rows) == (";", 3, 1)
    assert found.names == ("id", "amount", "city")
    assert good(detected(path)) == [
        ("1", "2,50", "Köln"),
        ("2", "3,00", "Oslo"),
        ("3", "1,25", "Rome"),
    ]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("cp1252", "cp1252"),
    ],
)
def test_encodings_are_detected(csv_file: CsvFile, encoding: str, expected: str) -> None:
    path = csv_file("name,city\nJosé,Zürich\nZoë,Kraków €\n".encode(encoding, errors="replace"))
    assert sniff(path).encoding == expected
    names = [row[0] for row in good(detected(path))]
    assert names == ["José", "Zoë"]


@pytest.mark.parametrize("damaged", [False, True])
def test_text_formulas_are_read_as_written_and_a_broken_one_is_quarantined(
    csv_file: CsvFile, damaged: bool
) -> None:
    """``="00123"`` keeps leading zeros in Excel: a well-formed field, kept as written (as
    Polars, DuckDB, pandas and Python's csv module read it), on the fast path and, in a file
    with a damaged record, on the record-by-record path alike."""
    rows = [f'="{i:05d}",="0213{i % 10}",{i}.5' for i in range(400)]
    if damaged:
        rows[200] = 'x,"open,1'
    path = csv_file("id,zip,amount\n" + "\n".join(rows) + '\n="0"7",="1",2\n')
    frame = detected(path)
    kept = good(frame)
    assert len(kept) == 399 + (not damaged)
    assert kept[0] == ('="00000"', '="02130"', "0.5")
    assert ('="00399"', '="02139"', "399.5") in kept
    assert [row["_rowsift_raw"] for row in failed(frame)][-1] == '="0"7",="1",2'


def test_compressed_files_are_read(tmp_path: Path) -> None:
    text = b"id;v\n1;a\n2;b\n"
    for suffix, packed in (
        (".csv.gz", gzip.compress(text)),
        (".csv.bz2", bz2.compress(text)),
        (".csv.zst", zstandard.ZstdCompressor().compress(text)),
    ):
        path = tmp_path / f"t{suffix}"
        path.write_bytes(packed)
        assert good(detected(path)) == [("1", "a"), ("2", "b")], suffix


def test_no_header_is_detected_and_columns_are_numbered(csv_file: CsvFile) -> None:
    frame = detected(csv_file("1,2.5,2024-01-01\n2,3.5,2024-01-02\n3,4.5,2024-01-03\n"))
    assert frame.columns[1:4] == ["column_1", "column_2", "column_3"]
    assert len(good(frame)) == 3


def test_a_second_table_below_is_quarantined_not_merged(csv_file: CsvFile) -> None:
    frame = detected(csv_file("id,v,w\n1,a,x\n2,b,y\n\nyear,total\n2023,10\n"))
    assert good(frame) == [("1", "a", "x"), ("2", "b", "y")]
    reasons = {row["_rowsift_parse"] for row in failed(frame)}
    assert reasons == {"a second table starts on line 5"}
    assert len(failed(frame)) == 2


def test_source_keys_override_detection(csv_file: CsvFile) -> None:
    path = csv_file("a;b|c\n1;2|3\n")
    frame = detected(path, delimiter=";")
    assert frame.columns[1:3] == ["a", "b|c"]
    assert good(detected(path, delimiter="|")) == [("1;2", "3")]


def test_backslash_escapes_are_detected(csv_file: CsvFile) -> None:
    path = csv_file('id,note\n1,"said \\"hi\\""\n2,"plain"\n3,"a \\"b\\" c"\n')
    assert sniff(path).escape == "\\"
    assert good(detected(path))[0] == ("1", 'said "hi"')


def _bytes_read() -> int:
    """Bytes this process has read through system calls so far (Linux's /proc accounting)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def test_sniffing_reads_a_bounded_sample(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    row = b"1;2024-01-01;some text here;42.50\n"
    with open(path, "wb") as handle:
        handle.write(b"id;day;note;amount\n")
        handle.write(row * 1_500_000)  # about 50 MB
    before = _bytes_read()
    found = sniff(path)
    assert _bytes_read() - before < 8 * 2**20  # a sample, not the 50 MB file
    assert (found.delimiter, found.width, found.footer_rows) == (";", 4, 0)


def test_a_header_with_a_trailing_delimiter_does_not_quarantine_the_rows(
    csv_file: CsvFile,
) -> None:
    frame = detected(csv_file("a,b,c,\n1,2,3\n4,5,6\n"))
    assert frame.columns[1:4] == ["a", "b", "c"]
    assert good(frame) == [("1", "2", "3"), ("4", "5", "6")]
