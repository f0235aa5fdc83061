"""Property: whatever the dialect and the damage, every record lands exactly once.

Random tables are written in random dialects, some records are damaged (a field too many or
too few, a quote that never closes at the end, a byte that does not decode), and the file is
read back: each intact record is in the table, exactly, on its line; each damaged one is a parse
failure on its line with its raw text (a record of bare delimiters too, unless no other record
follows it: then it is a blank line); nothing else is there.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from loading_helpers import read

VALUE = st.text(alphabet="ab 1é,;|\"'\t\n\r", max_size=6)
BREAKS = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Written:
    """One record as written: its fields, its text, and the damage done to it (if any)."""

    fields: list[str]
    text: bytes
    damage: str | None


def _record_text(fields: list[str], delimiter: str, quote: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, quotechar=quote, lineterminator="\r\n").writerow(fields)
    return buffer.getvalue().removesuffix("\r\n")


@st.composite
def files(draw: st.DrawFn) -> tuple[bytes, str, str, list[Written], list[str]]:
    """A file's bytes, its dialect, its records, and its header."""
    width = draw(st.integers(2, 5))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    quote = draw(st.sampled_from(['"', "'"]))
    terminator = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    header = [f"c{i}" for i in range(width)]
    rows = draw(st.lists(st.lists(VALUE, min_size=width, max_size=width), max_size=12))
    written: list[Written] = []
    for number, fields in enumerate(rows, start=1):
        text = _record_text(fields, delimiter, quote)
        damage = None
        if "\n" not in text and "\r" not in text and not text.startswith(quote):
            # a quote that never closes is only sure to be seen when nothing after it can close
            # it (bytes that are valid CSV with another meaning are read with that meaning)
            kinds = [None, None, "extra", "fewer", "byte"] + (
                ["quote"] if number == len(rows) else []
            )
            damage = draw(st.sampled_from(kinds))
        if damage == "extra":
            text = text + delimiter + "x"
        elif damage == "fewer":
            text = _record_text(fields[:-1], delimiter, quote)
        elif damage == "quote":
            text = quote + "x" + text
        raw = text.encode("utf-8")
        if damage == "byte":
            raw = raw + b"\xff"
        if damage is None and not any(fields):
            damage = "blank"  # a record of empty fields written as bare delimiters
        written.append(Written(fields, raw, damage))
    head = _record_text(header, delimiter, quote).encode()
    data = terminator.encode().join([head, *(w.text for w in written)]) + terminator.encode()
    return data, delimiter, quote, written, header


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files())
def test_every_record_lands_exactly_once(
    case: tuple[bytes, str, str, list[Written], list[str]],
) -> None:
    data, delimiter, quote, written, header = case
    # records of one field more than the header, as many as the intact ones or more, are not
    # damage but the file's layout: R's, whose header leaves out the row names' column
    # (docs/loading.md); `,,x` twice under `c0,c1` is read so
    extra = sum(1 for record in written if record.damage == "extra")
    assume(extra == 0 or extra < sum(1 for record in written if record.damage is None))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(data)
        frame = read(path, delimiter=delimiter, quote=quote)
    assert frame.columns[1 : 1 + len(header)] == header
    rows = frame.to_dicts()
    # records of bare delimiters that no other record follows are blank lines, not records
    while written and written[-1].damage == "blank":
        written = written[:-1]
    assert len(rows) == len(written)
    line = 2
    for position, (record, row) in enumerate(zip(written, rows, strict=True)):
        assert row["_rowsift_row"] == position
        assert row["_rowsift_line"] == line
        if record.damage is None:
            assert row["_rowsift_parse"] is None, row
            assert [row[name] for name in header] == record.fields
        elif record.damage == "quote" and row["_rowsift_parse"] is None:
            # a stray quote can make another valid record: then it is read as it reads
            text = record.text.decode()
            expected = next(csv.reader([text], delimiter=delimiter, quotechar=quote))
            assert [row[name] for name in header] == expected
        elif record.damage in ("extra", "fewer") and row["_rowsift_parse"] is None:
            # read back to the header's width (joined, an empty field dropped, or split in two
            # where a delimiter is missing): every character is there, in order, the raw text
            # is kept
            text = record.text.decode()
            assert row["_rowsift_raw"] == text
            split = next(csv.reader([text], delimiter=delimiter, quotechar=quote))
            values = [row[name] for name in header]
            dropped = [split[:i] + split[i + 1 :] for i, value in enumerate(split) if not value]
            assert (
                delimiter.join(values) == delimiter.join(split)
                or values in dropped
                or "".join(values) == "".join(split)
            )
        else:
            assert row["_rowsift_parse"] is not None, (record, row)
            raw = record.text.decode("utf-8", "backslashreplace")
            assert row["_rowsift_raw"] == raw
        line += 1 + len(BREAKS.findall(record.text.decode("utf-8", "replace")))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files())
def test_polars_blocks_and_the_record_reader_agree(
    case: tuple[bytes, str, str, list[Written], list[str]],
) -> None:
    from unittest import mock

    from rowsift.io import blocks, shapes, well_formed

    data, delimiter, quote, _, _ = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(data)
        fast = read(path, delimiter=delimiter, quote=quote)
        with (  # runs however short, stepping over every damaged record, a few bytes at a time
            mock.patch.object(well_formed, "MIN_RUN_LINES", 1),
            mock.patch.object(blocks.Pace, "least_run", 1),
            mock.patch.object(well_formed, "MIN_STEP_RUN", 0),
            mock.patch.object(well_formed, "MIN_WINDOW", 1),
            mock.patch.object(shapes, "RUN_WINDOW", 8),
        ):
            stepping = read(path, delimiter=delimiter, quote=quote)
        with (
            mock.patch.object(blocks, "_split_block", return_value=None),
            mock.patch.object(blocks, "split_well_formed", return_value=None),
        ):
            slow = read(path, delimiter=delimiter, quote=quote)
    assert fast.to_dicts() == slow.to_dicts()
    assert stepping.to_dicts() == slow.to_dicts()
