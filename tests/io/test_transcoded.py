"""A plain file in a single-byte encoding is read by Polars from a UTF-8 copy (made only where
the run holds it open, removed after): the same rows, lines and counts as the record reader
gives, and no copy where the record reader would read a line otherwise."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from loading_helpers import read_counted, table_rows, temporary_copies

from rowsift.io import plain, sniff, transcoded
from rowsift.io.convert import convert
from rowsift.io.well_formed import UTF8_SEQUENCE
from rowsift.recipe import SourceSpec

SOURCE = SourceSpec(detect=True)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=table_rows('aé€ñ ,"', min_size=1, max_size=5),
    encoding=st.sampled_from(["cp1252", "latin-1"]),
    block=st.sampled_from([4, 64, 1 << 22]),
)
def test_a_plain_single_byte_file_reads_as_the_record_reader_reads_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[list[str]],
    encoding: str,
    block: int,
) -> None:
    if encoding == "latin-1":
        rows = [[value.replace("€", "¤") for value in row] for row in rows]
    monkeypatch.setattr(transcoded, "_BLOCK_BYTES", block)
    monkeypatch.setattr(plain, "_BLOCK_BYTES", max(block, 16))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([["x", "y", "z"], *rows])
    path = tmp_path / "t.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    source = SourceSpec(encoding=encoding)
    robust = read_counted(path, source, None)
    # bytes that read as UTF-8 (``é€€`` in cp1252) are UTF-8 text to the record reader
    mixed = UTF8_SEQUENCE.search(path.read_bytes()) is not None
    with ExitStack() as hold:
        quick = read_counted(path, source, hold)
        copies = temporary_copies(tmp_path)
        assert len(copies) == (0 if mixed else 1)
        for copy in copies:
            as_utf8 = source.model_copy(update={"encoding": "utf-8"})
            assert plain.check_plain(copy, sniff(copy, as_utf8)) is not None  # Polars read it
    assert quick[0].equals(robust[0])
    assert quick[1] == robust[1]
    assert not temporary_copies(tmp_path)  # removed once the reading is over


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ("a,b\n1,café\n2,x\n".encode() + "3,né\n".encode("cp1252"), "UTF-8 text mixed in"),
        (b"a,b\n1,x\x81y\n", "a byte cp1252 does not define"),
    ],
)
def test_no_copy_where_the_record_reader_reads_a_line_otherwise(
    tmp_path: Path, data: bytes, why: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    dialect = sniff(path, SourceSpec(encoding="cp1252"))
    with ExitStack() as hold:
        assert transcoded.utf8_copy(path, dialect, hold) is None, why
    robust = read_counted(path, SourceSpec(encoding="cp1252"), None)
    with ExitStack() as hold:
        assert read_counted(path, SourceSpec(encoding="cp1252"), hold)[0].equals(robust[0])


def test_utf8_cut_by_a_block_end_is_still_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transcoded, "_BLOCK_BYTES", 8)
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n1,ab" + "é".encode() + b"\n")  # the sequence straddles bytes 8 and 9
    with ExitStack() as hold:
        assert transcoded.utf8_copy(path, sniff(path, SourceSpec(encoding="cp1252")), hold) is None


def test_a_utf8_file_is_never_copied(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,café\n")
    with ExitStack() as hold:
        assert transcoded.utf8_copy(path, sniff(path, SOURCE), hold) is None


@given(st.binary(max_size=24) | st.text(alphabet=st.sampled_from("aé€ñ,\n")).map(str.encode))
def test_every_line_the_record_reader_reads_as_utf8_stops_the_copy(data: bytes) -> None:
    """A single-byte file's line is read as UTF-8 text when it decodes as UTF-8 whole and holds
    a multi-byte sequence; any text holding such a line stops the copy."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return
    if UTF8_SEQUENCE.search(data):
        assert transcoded._holds_utf8(b"x" + data + b"\xe9")


def test_convert_reads_a_windows_1252_file_through_a_copy_it_removes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    source = tmp_path / "t.csv"
    source.write_bytes('id,note\n1,rappelé\n2,"a, b €"\n'.encode("cp1252"))
    done = convert(source, tmp_path / "out.csv")
    assert (done.rows, done.failures) == (2, 0)
    assert (tmp_path / "out.csv").read_text() == 'id,note\n1,rappelé\n2,"a, b €"\n'
    assert not temporary_copies(tmp_path)


def test_a_copy_left_by_a_killed_process_is_removed_by_the_next_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    orphan = tmp_path / f"rowsift-copy-{finished.stdout.strip()}-x1y2.csv"  # its process is gone
    alive = tmp_path / f"rowsift-copy-{os.getpid()}-a1b2.csv"  # this process's, in use
    orphan.write_text("a,b\n")
    alive.write_text("a,b\n")
    path = tmp_path / "t.csv"
    path.write_bytes("a,b\n1,né\n".encode("cp1252"))
    with ExitStack() as hold:
        assert transcoded.utf8_copy(path, sniff(path, SourceSpec(encoding="cp1252")), hold)
    assert not orphan.exists()
    assert alive.exists()
