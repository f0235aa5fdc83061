"""The plain fast path reads exactly what the record-by-record reader reads, and only then."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rowsift.io import plain
from rowsift.io.delimited import scan_delimited
from rowsift.io.read import sniff
from rowsift.recipe import SourceSpec

SOURCE = SourceSpec(delimiter=",", quote='"')


def both_ways(path: Path) -> tuple[bool, pl.DataFrame, pl.DataFrame]:
    dialect = sniff(path, SOURCE)
    fast = plain.is_plain(path, dialect)
    robust = scan_delimited(path, dialect).collect()
    quick = plain.scan_plain(path, dialect).collect() if fast else robust
    return fast, quick, robust


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b\n1,2\n3,4\n", True),
        ('a,b\r\n"1,5",2\r\n"say ""hi""",4\r\n', True),
        ("a,b\n1,2\r\n", False),  # mixed line ends
        ("a,b\n1,2\n\n3,4\n", False),  # a blank line
        ("a,b\n1,2\n3\n", False),  # too few fields
        ("a,b\n1,2\n3,4,5\n", False),  # too many
        ('a,b\n"1\n5",2\n', False),  # a line break inside quotes
        ('a,b\n1,"2\n3,4\n', False),  # a quote that never closes
        ('a,b\n1,x"y\n', False),  # a quote inside an unquoted field
        ("a,b\n,\n", False),  # a blank record
        ("a,b,\n1,2\n", False),  # the header is wider than the records
        ("a,b\n", True),  # no records
    ],
)
def test_plain_files_are_recognised(tmp_path: Path, text: str, expected: bool) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode())
    fast, quick, robust = both_ways(path)
    assert fast is expected
    assert quick.equals(robust)


def test_undecodable_bytes_are_not_plain(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n1,\xff\n")
    assert not plain.is_plain(path, sniff(path, SOURCE))


fields = st.text(alphabet=st.sampled_from('ab ,"1é\t'), max_size=5)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(fields, min_size=3, max_size=3), min_size=1, max_size=12))
def test_both_readers_agree_on_well_formed_files(tmp_path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["x", "y", "z"])
    writer.writerows(rows)
    path = tmp_path / "t.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    _, quick, robust = both_ways(path)
    assert quick.equals(robust)
