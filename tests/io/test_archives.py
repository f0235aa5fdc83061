"""Compressed files and zip archives read as the file they hold; archives that hold no single
table are refused, naming what they hold."""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import lzma
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st
from loading_helpers import detected, good, read

from rowsift.exceptions import InputError
from rowsift.io import sniff


def _zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


PACKERS = {
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".zst": zstandard.ZstdCompressor().compress,
    ".xz": lzma.compress,
    ".zip": lambda data: _zipped({"table.csv": data}),
}

cells = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(st.tuples(cells, cells), min_size=1, max_size=8))
def test_every_compression_reads_the_rows_the_plain_file_holds(
    rows: list[tuple[str, str]],
) -> None:
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerows([("id", "note"), *rows])
    data = text.getvalue().encode()
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / "t.csv"
        plain.write_bytes(data)
        expected = read(plain).drop("_rowsift_row")
        for suffix, pack in PACKERS.items():
            packed = Path(folder) / f"t.csv{suffix}"
            packed.write_bytes(pack(data))
            assert read(packed).drop("_rowsift_row").equals(expected), suffix


def test_a_zip_of_one_file_is_read_as_that_file_and_detected_as_zip(tmp_path: Path) -> None:
    path = tmp_path / "flights.csv.zip"
    path.write_bytes(
        _zipped(
            {
                "__MACOSX/._flights.csv": b"\x00\x05\x16\x07",
                "export/": b"",
                "export/flights.csv": b"id;carrier\n1;UA\n2;AA\n",
            }
        )
    )
    found = sniff(path)
    assert (found.compression, found.delimiter, found.names) == ("zip", ";", ("id", "carrier"))
    assert found.to_source()["compression"] == "zip"
    assert good(detected(path)) == [("1", "UA"), ("2", "AA")]


def test_a_zip_without_an_extension_is_told_by_its_member(tmp_path: Path) -> None:
    records = b'[{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]'
    json_zip = tmp_path / "download"
    json_zip.write_bytes(_zipped({"people.json": records}))
    assert good(detected(json_zip)) == [("1", "a"), ("2", "b")]
    csv_zip = tmp_path / "export"
    csv_zip.write_bytes(_zipped({"rows": b"a,b\n1,2\n"}))
    assert good(detected(csv_zip)) == [("1", "2")]


def test_a_workbook_is_still_read_as_excel(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "book"  # no extension: told by its bytes
    book = xlsxwriter.Workbook(str(tmp_path / "book.xlsx"))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["id", "name"])
    sheet.write_row(1, 0, [1, "a"])
    book.close()
    path.write_bytes((tmp_path / "book.xlsx").read_bytes())
    assert good(detected(path)) == [("1", "a")]


def test_an_archive_of_several_files_is_refused_naming_them(tmp_path: Path) -> None:
    path = tmp_path / "both.csv.zip"
    path.write_bytes(_zipped({"a.csv": b"x\n1\n", "b.csv": b"y\n2\n"}))
    with pytest.raises(InputError, match=re.escape("holds 2 files ('a.csv', 'b.csv')")) as raised:
        detected(path)
    assert raised.value.file == str(path)
    assert "unzip" in (raised.value.hint or "")
    empty = tmp_path / "empty.zip"
    empty.write_bytes(_zipped({"folder/": b""}))
    with pytest.raises(InputError, match="holds 0 files"):
        detected(empty, format="csv")


@pytest.mark.parametrize("compress", ["zip", "gzip"])
def test_an_archive_of_a_parquet_file_is_refused_saying_to_unpack_it(
    tmp_path: Path, compress: str
) -> None:
    """Parquet is read as a file of its own: its reader took the archive for the file."""
    import polars as pl

    buffer = io.BytesIO()
    pl.DataFrame({"a": [1, 2]}).write_parquet(buffer)
    data = buffer.getvalue()
    path = tmp_path / ("t.zip" if compress == "zip" else "t.parquet.gz")
    path.write_bytes(_zipped({"t.parquet": data}) if compress == "zip" else gzip.compress(data))
    with pytest.raises(InputError, match=f"{compress}-compressed and holds parquet") as raised:
        read(path, format="parquet")
    assert raised.value.file == str(path)
    assert "the parquet file" in (raised.value.hint or "")


def test_an_encrypted_member_is_refused(tmp_path: Path) -> None:
    data = bytearray(_zipped({"t.csv": b"a\n1\n"}))
    # set bit 0 (encrypted) of the general purpose flags, in the local and central headers
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x1
    path = tmp_path / "secret.csv.zip"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=re.escape("'t.csv' is encrypted")):
        detected(path)


@pytest.mark.parametrize("suffix", [".xz", ".zip"])
def test_a_damaged_archive_is_a_clear_error_from_the_cli(tmp_path: Path, suffix: str) -> None:
    whole = PACKERS[suffix](b"a,b\n" + b"1,2\n" * 5000)
    path = tmp_path / f"cut.csv{suffix}"
    path.write_bytes(whole[: len(whole) // 2])
    done = subprocess.run(
        [sys.executable, "-m", "rowsift", "convert", str(path), str(tmp_path / "out.csv")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert "damaged" in done.stderr
    assert not (tmp_path / "out.csv").exists()


def test_a_damaged_zip_without_an_extension_is_a_clear_error(tmp_path: Path) -> None:
    whole = _zipped({"t.csv": b"a,b\n" + b"1,2\n" * 5000})
    path = tmp_path / "download"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError, match="damaged"):
        detected(path)
