"""A plain file but for a few damaged records: Polars reads a copy without them, the record
reader reads them, and the rows, lines and counts are the record reader's alone."""

from __future__ import annotations

import csv
import io
from contextlib import ExitStack
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from loading_helpers import read_counted, record_reader, temporary_copies

from rowsift.io import damaged, plain
from rowsift.io.read import sniff
from rowsift.io.records import LoadingCounts
from rowsift.io.sniff import Dialect
from rowsift.recipe import SourceSpec

SOURCE = SourceSpec(delimiter=",", quote='"')


def read_held(path: Path) -> tuple[pl.DataFrame, LoadingCounts]:
    """The file read as a run reads it (held open: a copy may be made), and its counts."""
    with ExitStack() as hold:
        return read_counted(path, SOURCE, hold)


@pytest.mark.parametrize("block", [64, 256, 1 << 22])
def test_a_few_damaged_records_are_read_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    """In blocks of any size: a stray quote leaves a block's end inside a record, and the
    reading goes on from the last whole record."""
    monkeypatch.setattr(plain, "_BLOCK_BYTES", block)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    good = "".join(f'{i},"x\ny",{i}\n' for i in range(20))  # 40 lines
    damage = ["3,4\n", "5,6,7,8\n", '"9,10,11\n']
    path = tmp_path / "t.csv"
    path.write_text("a,b,c\n" + good + good.join(damage) + good)
    dialect = sniff(path, SOURCE)
    found = plain.check_plain(path, dialect, damaged=True)
    assert found is not None
    assert [record.record.line for record in found.damaged] == [42, 83, 124]
    assert plain.check_plain(path, dialect) is None  # only when told to look for them
    robust, counts = record_reader(path, dialect)
    quick, quick_counts = read_held(path)
    assert quick.equals(robust)
    assert quick_counts == counts
    assert robust["_rowsift_parse"].null_count() == robust.height - 3  # the reader's reasons
    assert robust["_rowsift_line"].to_list()[19:23] == [40, 42, 43, 45]
    assert not temporary_copies(tmp_path)  # removed once the reading is over


def test_damaged_records_in_every_block_are_read_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blocks each holding one (each looked through whole, the bytes after the last whole
    record carried to the next), stray quotes among them."""
    monkeypatch.setattr(plain, "_BLOCK_BYTES", 256)
    lines = [f'{i},"n\n{i}",{i}' if i % 3 else f"{i},x,{i}" for i in range(600)]
    for at in range(5, 600, 20):  # 30, fewer than `FEW_DAMAGED` with those spoilt after them
        lines[at] = ('"' if at % 40 == 5 else "") + lines[at] + ("" if at % 40 == 5 else ",x")
    path = tmp_path / "t.csv"
    path.write_text("a,b,c\n" + "\n".join(lines) + "\n")
    dialect = sniff(path, SOURCE)
    found = plain.check_plain(path, dialect, damaged=True)
    assert found is not None
    assert len(found.damaged) >= 30  # a stray quote may spoil the record after it too
    robust, counts = record_reader(path, dialect)
    quick, quick_counts = read_held(path)
    assert quick.equals(robust)
    assert quick_counts == counts


def test_a_damaged_header_is_left_to_the_record_reader(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('a,"b,c\n1,2,3\n')
    dialect = Dialect(names=("a", "b", "c"), delimiter=",", quote='"')
    assert plain.check_plain(path, dialect, damaged=True) is None


def test_a_blank_line_among_the_records_is_left_to_the_record_reader(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n1,2\n\n3,4\n5\n")
    assert plain.check_plain(path, sniff(path, SOURCE), damaged=True) is None


def test_too_many_damaged_records_are_left_to_the_record_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n" + "".join(f"{i},{i}\n" if i % 40 else f"{i}\n" for i in range(800)))
    dialect = sniff(path, SOURCE)
    found = plain.check_plain(path, dialect, damaged=True)
    assert found is not None
    assert len(found.damaged) == 20
    monkeypatch.setattr(damaged, "MOST_DAMAGED", 19)
    monkeypatch.setattr(damaged, "FEW_DAMAGED", 19)
    assert plain.check_plain(path, dialect, damaged=True) is None


good_values = st.text(alphabet=st.sampled_from('ab ,"\n'), max_size=5)
damages = st.sampled_from(
    [
        "{line},x",  # a field too many
        '"{line}',  # a quote that never closes
        "q",  # one field only
        'x"y,{line}',  # a quote inside a field that is not quoted
        '{line}"z',  # a quote after the last field
        "",  # a blank line
        ",,",  # a record of delimiters alone
    ]
)


@example(rows=[["a", "b", "c"]], damage=[(0, '"{line}')], ending="\n", block=16)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(good_values, min_size=3, max_size=3), min_size=1, max_size=14),
    damage=st.lists(st.tuples(st.integers(0, 120), damages), max_size=4),
    ending=st.sampled_from(["\n", "\r\n"]),
    block=st.sampled_from([16, 64, 1 << 22]),
)
def test_both_readers_agree_on_files_with_damaged_records(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[list[str]],
    damage: list[tuple[int, str]],
    ending: str,
    block: int,
) -> None:
    """Well-formed records, some over several lines, with damaged records put among them, read
    in blocks small enough to end beside or inside any record: read held open, the file gives
    what the record reader gives, whether a copy was read or not; and no copy is left."""
    monkeypatch.setattr(plain, "_BLOCK_BYTES", block)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=ending)
    writer.writerow(["x", "y", "z"])
    writer.writerows(rows * 8)  # damaged records among more than a few are read apart
    lines = buffer.getvalue().split(ending)
    for at, text in sorted(damage, reverse=True):  # anywhere below the header
        lines.insert(1 + min(at, len(lines) - 1), text.format(line=",".join(rows[0])))
    path = tmp_path / "t.csv"
    path.write_bytes(ending.join(lines).encode())
    dialect = sniff(path, SOURCE)
    robust, counts = record_reader(path, dialect)
    quick, quick_counts = read_held(path)
    assert quick.equals(robust)
    assert quick_counts == counts
    assert not temporary_copies(tmp_path)


@pytest.mark.parametrize("engine", ["polars", "duckdb", "pandas"])
def test_a_run_gives_what_the_record_reader_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    """Through `run_file`, on each engine: the same clean rows, quarantine and loading
    counts as when the file goes record by record; and no copy is left."""
    import rowsift

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    lines = [f'{i},"note {i}\nsee chart",{i * 3}' if i % 7 else f"{i},x,{i}" for i in range(300)]
    lines[42] += ",extra"  # a field too many
    lines[126] = '"' + lines[126]  # a quote that never closes
    lines[252] = '252,said "fine",7'  # quotes inside a field that is not quoted
    path = tmp_path / "visits.csv"
    path.write_text("id,note,n\n" + "\n".join(lines) + "\n")
    recipe = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n  id: {type: int, rules: [unique]}\n  n: {type: int}\n"
    )

    def outputs(folder: str) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, int]]:
        out = tmp_path / folder
        summary = rowsift.run_file(recipe, path, out, engine=engine, monitor=False)  # type: ignore[arg-type]
        loading = summary.to_dict()["input"]["loading"]
        # in the order of the rows (DuckDB writes its parts in any order)
        clean = pl.read_parquet(out / "clean.parquet").sort("_rowsift_row")
        return clean, pl.read_parquet(out / "quarantine.parquet").sort("_rowsift_row"), loading

    found = plain.check_plain(path, sniff(path, SourceSpec(detect=True)), damaged=True)
    assert found is not None
    starts = [2 + i + sum(1 for j in range(i) if j % 7) for i in (42, 126, 252)]
    assert [damaged.record.line for damaged in found.damaged] == starts
    quick = outputs("quick")
    assert not temporary_copies(tmp_path)
    monkeypatch.setattr(plain, "check_plain", lambda *_, **__: None)  # record by record
    robust = outputs("robust")
    assert quick[0].equals(robust[0])
    assert quick[1].equals(robust[1])
    assert quick[2] == robust[2]
    # the inner quotes are read as text (kept, flagged); the other two are quarantined
    assert (quick[0].height, quick[1].height) == (298, 2)
    assert (quick[2]["records_quarantined"], quick[2]["records_joined"]) == (2, 1)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(good_values, min_size=3, max_size=3), min_size=1, max_size=8),
    blank=st.integers(0, 3),
    ending=st.sampled_from(["\n", "\r\n"]),
    last=st.booleans(),
)
def test_blank_lines_at_the_end_are_left_out_as_the_record_reader_leaves_them(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rows: list[list[str]],
    blank: int,
    ending: str,
    last: bool,
) -> None:
    """Records, some over several lines, then blank lines: Polars stops before them (told how
    many rows there are where each record is one line; else reading a copy without them, held
    open), and they are counted as the record reader counts them."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=ending).writerows([["x", "y", "z"], *rows])
    text = buffer.getvalue() + ending * blank
    path = tmp_path / "t.csv"
    path.write_bytes((text if last else text.removesuffix(ending)).encode())
    dialect = sniff(path, SOURCE)
    robust, counts = record_reader(path, dialect)
    for hold in (None, ExitStack()):
        with hold or ExitStack():
            quick, quick_counts = read_counted(path, SOURCE, hold)
        assert quick.equals(robust)
        assert quick_counts == counts
    assert not temporary_copies(tmp_path)
    found = plain.check_plain(path, dialect, damaged=True)
    spacer = any(not any(row) for row in rows)  # a record of delimiters alone: not plain
    if (
        blank > int(not last)
        and not spacer
        and (dialect.delimiter, dialect.names) == (",", ("x", "y", "z"))
    ):
        assert found is not None
        assert found.blank == blank - int(not last)
