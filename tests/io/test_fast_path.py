"""Property: the fast split of blocks (records over several lines included) gives exactly what
the record-by-record reader gives, whatever the block size and the damage."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rowsift.io import blocks, delimited, shapes, sniff, well_formed
from rowsift.io.records import LoadingCounts
from rowsift.recipe import SourceSpec

VALUE = st.text(alphabet='ab 1,"\n#', max_size=8)


@st.composite
def files(draw: st.DrawFn) -> bytes:
    width = draw(st.integers(2, 4))
    rows = draw(st.lists(st.lists(VALUE, min_size=width, max_size=width), max_size=15))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow([f"c{i}" for i in range(width)])
    for row in rows:
        writer.writerow(row)
    lines = buffer.getvalue().splitlines(keepends=True)
    for _ in range(draw(st.integers(0, 2))):  # damage: a stray quote, a field too many, ...
        if len(lines) > 1:
            at = draw(st.integers(1, len(lines) - 1))
            kinds = ["quote", "extra", "blank", "formula", "bad formula", "comment", "# record"]
            kind = draw(st.sampled_from(kinds))
            text = lines[at]
            lines[at] = {
                "quote": '"' + text,
                "extra": "x," + text,
                "blank": "\n" + text,
                "formula": '="0 1",' + text,  # a spreadsheet's text formula: well formed
                "bad formula": '="0"1",' + text,
                "comment": "# a note, x\n" + text,  # a comment line of two fields
                "# record": "#" + text,
            }[kind]
    return "".join(lines).encode()


def _read(
    path: Path, size: int, counts: LoadingCounts | None = None, comment: str | None = None
) -> pl.DataFrame:
    source = SourceSpec(delimiter=",", quote='"', header_row=0, comment=comment)
    dialect = sniff(path, source)
    frames = list(delimited._frames(path, dialect, size, counts=counts))
    if not frames:
        return pl.DataFrame()
    return pl.concat(frames).drop(delimited.ROW)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=files(), size=st.sampled_from([1, 2, 3, 7, 50_000]), comment=st.sampled_from([None, "#"])
)
# a blank line, then a record over two lines, in one block: the record clears the blank line
@example(data=b'c0,c1\n\n,"\n"\n","1,\n"\n', size=3, comment=None)
# a lone carriage return inside a quoted field (the same reason on every path)
@example(data=b'c0,c1\n\n,",\r"\nx,,a\n', size=3, comment=None)
# a line inside a quoted field that starts with the comment mark is part of the value
@example(data=b'c0,c1\na,b\nc,"x\n# y"\n# note, two\nd,e\n', size=50_000, comment="#")
def test_the_fast_split_agrees_with_the_record_reader(
    data: bytes, size: int, comment: str | None
) -> None:
    """With a comment mark too: a comment line (which may split into the header's width) is
    never taken by a run or a block, and the counts agree (comment lines included)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.csv"
        path.write_bytes(data)
        with pytest.MonkeyPatch.context() as patch:
            # any run of well-formed records is taken, however short, up to a damaged record
            patch.setattr(well_formed, "MIN_RUN_LINES", 1)
            patch.setattr(blocks.Pace, "least_run", 1)
            fast = _read(path, size, comment=comment)
            # and steps over every damaged record it can, matched a few bytes at a time
            patch.setattr(well_formed, "MIN_STEP_RUN", 0)
            patch.setattr(well_formed, "MIN_WINDOW", 1)
            patch.setattr(shapes, "RUN_WINDOW", 8)
            stepped = LoadingCounts()
            stepping = _read(path, size, stepped, comment)
        with pytest.MonkeyPatch.context() as patch:
            # the line-by-line checks alone, without the runs of well-formed records
            patch.setattr(blocks, "split_well_formed", lambda *args, **kwargs: None)
            by_lines = _read(path, size, comment=comment)
            patch.setattr(blocks, "_segment", lambda lines, dialect: (0, None))
            alone = LoadingCounts()
            slow = _read(path, size, alone, comment)
    assert fast.to_dicts() == slow.to_dicts()
    assert stepping.to_dicts() == slow.to_dicts()
    assert stepped == alone  # lines merged into records, blank lines
    assert by_lines.to_dicts() == slow.to_dicts()


def test_records_over_several_lines_take_the_fast_split(tmp_path: Path) -> None:
    rows = [["1", "a\nb", "x"], ["2", 'say "hi"\n\nbye', "y"], ["3", "plain", "z"]] * 400
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([["id", "note", "v"], *rows])
    path = tmp_path / "m.csv"
    path.write_text(buffer.getvalue())
    calls: list[int] = []
    original = delimited.RecordReader.records

    def counting(self: delimited.RecordReader):  # type: ignore[no-untyped-def]
        for record in original(self):
            calls.append(1)
            yield record

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(delimited.RecordReader, "records", counting)
        frame = _read(path, 50_000)
    assert frame["_rowsift_parse"].null_count() == len(rows)
    assert frame["note"].to_list()[:2] == ["a\nb", 'say "hi"\n\nbye']
    assert frame["_rowsift_line"].to_list()[:4] == [2, 4, 7, 8]
    assert len(calls) <= 1  # the header only: no data record went record by record


def _runs_taken(path: Path) -> tuple[pl.DataFrame, list[int]]:
    """The file read with the runs of well-formed records counted, and their lines."""
    taken: list[int] = []
    original = blocks.split_well_formed

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        run = original(*args, **kwargs)
        if run is not None:
            taken.append(run[0])
        return run

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(blocks, "split_well_formed", counting)
        frame = _read(path, 50_000)
    return frame, taken


@pytest.mark.parametrize("every", [300, 8])
def test_records_damaged_every_few_lines_are_not_one_run_each(tmp_path: Path, every: int) -> None:
    lines = ["id,note,v"]
    for i in range(9000):
        line = f"{i},n{i},x"
        if i % every == every - 1:
            line += ",extra"  # a field too many
        lines.append(line)
    path = tmp_path / "d.csv"
    path.write_text("\n".join(lines) + "\n")
    frame, taken = _runs_taken(path)
    assert len(frame) == 9000
    assert frame["_rowsift_line"].to_list() == list(range(2, 9002))
    assert frame["_rowsift_parse"].null_count() == 9000 - 9000 // every
    # one in 300: one run steps over them all; one in 8, more than the runs step over: the
    # blocks go to the line-by-line checks, which take their damaged records at once
    assert len(taken) == (1 if every == 300 else 0)


def test_a_run_steps_over_a_few_damaged_records(tmp_path: Path) -> None:
    lines = ["id,note,v"]
    for i in range(6000):
        line = f'{i},"n{i}\nmore",x' if i % 7 == 0 else f"{i},n{i},x"  # some over two lines
        if i % 1000 == 999:
            line = f"{i},n{i},x,extra"  # a field too many
        if i % 1000 == 499:
            line = f'"{i},n{i},x'  # a stray quote
        lines.append(line)
    path = tmp_path / "few.csv"
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    frame, taken = _runs_taken(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(blocks, "split_well_formed", lambda *args, **kwargs: None)
        patch.setattr(blocks, "_segment", lambda lines, dialect: (0, None))
        slow = _read(path, 50_000)
    assert frame.to_dicts() == slow.to_dicts()
    # one run of the whole file, the damaged records read by the record reader on the way
    assert taken == [text.count("\n") - 1]
    failed = frame.filter(frame["_rowsift_parse"].is_not_null())
    assert len(failed) == 12
    assert failed["_rowsift_raw"].str.starts_with('"').sum() == 6


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=files(), window=st.integers(1, 64))
def test_a_run_matched_in_windows_ends_where_matched_whole(data: bytes, window: int) -> None:
    dialect = sniff_text(data)
    body = data.split(b"\n", 1)[1] if b"\n" in data else b""
    pattern = shapes.well_formed_pattern(dialect, terminator="any", line_breaks=True)
    whole = len(body) - shapes.bytes_after_run(body, pattern)
    assert shapes.run_end(body, 0, dialect, window) == whole


def sniff_text(data: bytes):  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.csv"
        path.write_bytes(data)
        return sniff(path, SourceSpec(delimiter=",", quote='"', header_row=0))
