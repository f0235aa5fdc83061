"""Runs of well-formed records, checked in one pass and split by Polars in one call.

A block of lines (records may run over several) is matched at once against the shape of a
well-formed record of the header's width (`rowsift.io.shapes`). The run of such records the
block starts with goes to Polars' CSV reader whole, which splits such records exactly; each
record's first line is told by the line breaks inside its fields. A run steps over a few
damaged records, each read by the record reader from the block's text (`Step`), and goes on
after it. What stops it (damaged records every few lines, a blank line, a record that goes on
past the block) is left to the line-by-line checks of `rowsift.io.blocks` and to the record
reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import accumulate
from typing import NamedTuple

import polars as pl

from rowsift._names import FIELDS, LINE, PARSE, RAW, ROW
from rowsift.io import shapes
from rowsift.io.records import LoadingCounts, Record, named, record_batches
from rowsift.io.shapes import (
    MAX_PATTERN_WIDTH,
    has_spacer,
    run_end,
)
from rowsift.io.sniff import Dialect

SINGLE_BYTE = ("cp1252", "windows-1252", "latin-1", "latin1", "iso-8859-1", "iso8859-1")
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
"""A multi-byte UTF-8 character: in a single-byte encoding's text, the mark of UTF-8 mixed in."""
MIN_STEP_RUN = 16
"""A run steps over damaged records (`split_well_formed`) while they are fewer than one in
this many of its lines: stepping over one costs about what the line-by-line checks of ten
lines or so do."""
MIN_WINDOW = 1 << 12
"""The least text looked at for the run after a damaged record (`rowsift.io.shapes.run_end`)."""
MIN_RUN_LINES = 256
"""The fewest lines of a run taken from a block that goes on (see `split_well_formed`)."""
RUN_SHARE = 32
"""Nor fewer than this share of a full block's lines (`rowsift.io.blocks.Pace.least_run`): a
run costs about as much as the line-by-line checks of a thousand lines or two."""


def may_run(dialect: Dialect) -> bool:
    """Whether the file's records may be taken in runs: a one-byte delimiter (Polars splits at
    one byte), no escape character, at least two columns (a blank line is then never a
    record) and at most `MAX_PATTERN_WIDTH`."""
    return (
        2 <= len(dialect.names) <= MAX_PATTERN_WIDTH
        and dialect.escape is None
        and len(dialect.delimiter) == 1
        and len(dialect.delimiter.encode()) == 1
    )


Step = Callable[[bytes, int, int], "tuple[Record, int, int] | None"]
"""Reads the damaged record that stops a run. Given the block's UTF-8 bytes, the byte offset
of the record's first line and that line's index in the block: the record the record reader
makes of the lines from there, as the reader's table judges it (``_rowsift_line`` counted
from 0 in the block), the offset where a run may start again, and the lines merged into it;
None when that cannot be told from the block alone (the record may go on past it, or a blank
line is there)."""


def split_well_formed(
    text: str,
    dialect: Dialect,
    counts: LoadingCounts,
    *,
    least: int = MIN_RUN_LINES,
    step: Step | None = None,
) -> tuple[int, pl.DataFrame, int | None, int] | None:
    """The run of well-formed records `text` (whole lines) starts with: its number of lines,
    its records (``_rowsift_line`` counted from 0 in the text), its length in the file in bytes
    (if known) and in characters; None when there is no run, or a run shorter than `least`
    lines in a text that goes on: the line-by-line checks take a block with many damaged
    records at once, where each record that stops a run costs a pass of its own.

    With `step`, a run goes on past each damaged record `step` reads while such records are
    fewer than one in `MIN_STEP_RUN` of its lines (`_Run.step_over`): a few damaged records
    cost a block one Polars split, not two runs each."""
    if not may_run(dialect):
        return None
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # a lone CR ends a line for the record reader, not for Polars
    encoded = encoded_block(text, dialect)
    if encoded is None:
        return None
    data, nbytes = encoded
    length = run_end(data, 0, dialect)
    if not length:
        return None
    run = _Run(data, dialect, length, _lines(data, 0, length))
    if step is not None:
        run.step_over(step)
    length, taken = run.length, run.taken
    if length < len(data) and taken < least:
        return None
    if length == len(data):
        chars = len(text)
    else:  # the run's characters: its bytes, unless the text is not ASCII
        chars = length if text.isascii() else len(text) - len(data[length:].decode())
    good = run.good()
    if has_spacer(good, dialect):
        return None  # a blank record (",,,"), which is quarantined: line by line
    parsed = parse_records(good, list(dialect.names), dialect.delimiter, dialect.quote)
    starts = pl.int_range(len(parsed), dtype=pl.Int64, eager=True)
    good_lines = taken - run.damaged_lines
    if good_lines != len(parsed):  # records over several lines: their line breaks move the next
        breaks = line_breaks(parsed, good_lines - len(parsed))
        starts = starts + breaks.cum_sum() - breaks
    counts.merged += good_lines - len(parsed) + run.merged
    frame = good_rows(parsed, run.in_block(starts))
    if run.damaged:
        records = iter([found.record for found in run.damaged])
        (damaged,) = record_batches(records, dialect.names, lines=True, size=len(run.damaged) + 1)
        frame = pl.concat([frame, damaged.select(named(frame.columns))]).sort(LINE)
    return taken, frame, length if nbytes is not None else None, chars


def _lines(data: bytes, start: int, end: int) -> int:
    """The lines of ``data[start:end]``, whole lines (a last one may lack its terminator)."""
    ended = start == end or data[end - 1 : end] == b"\n"
    return data.count(b"\n", start, end) + (0 if ended else 1)


class _Piece(NamedTuple):
    """A stretch of well-formed records of a block: its first line in the block, its bytes'
    span, and its lines."""

    first: int
    start: int
    end: int
    lines: int


class Damage(NamedTuple):
    """A damaged record, as the record reader reads it (`Step`), the span of its bytes (in its
    block, or in the file), and its lines."""

    record: Record
    start: int
    end: int
    lines: int


def step_through(data: bytes, dialect: Dialect, step: Step) -> tuple[list[Damage], int, int]:
    """The damaged records among the runs of well-formed records `data` (UTF-8, whole
    records from its start) holds (`_Run.step_over`, however many), and the bytes and lines of
    `data` taken: all of it, unless a run stops where a record may go on past its end, or a
    blank line stands. Raises `polars.exceptions.ComputeError` when `data` is not UTF-8."""
    length = run_end(data, 0, dialect)
    run = _Run(data, dialect, length, _lines(data, 0, length))
    run.step_over(step, sparse=False)
    return run.damaged, run.length, run.taken


class _Run:
    """A run of well-formed records, and the damaged records it steps over
    (`split_well_formed`), in a block's UTF-8 bytes: its pieces of well-formed records."""

    def __init__(self, data: bytes, dialect: Dialect, length: int, lines: int) -> None:
        self.data = data
        self.dialect = dialect
        self.pieces = [_Piece(0, 0, length, lines)]
        self.damaged: list[Damage] = []
        """Each damaged record, with where it stands in the block."""
        self.damaged_lines = 0
        self.merged = 0
        self.length = length
        """Bytes of the block taken."""
        self.taken = lines
        """Lines of the block taken."""

    def step_over(self, step: Step, *, sparse: bool = True) -> None:
        """Go on past each damaged record `step` reads, while the damaged records are fewer
        than one in `MIN_STEP_RUN` of the run's lines (or the run after one reaches the block's
        end; or however many there are, unless `sparse`); each run after one is looked for in
        a window about twice the size of the last."""
        data = self.data
        while self.length < len(data):
            stepped = step(data, self.length, self.taken)
            if stepped is None:
                return
            record, after, merged = stepped
            last = self.pieces[-1]
            window = min(shapes.RUN_WINDOW, max(MIN_WINDOW, 2 * (last.end - last.start)))
            end = run_end(data, after, self.dialect, window)
            lines = _lines(data, after, end)
            dense = sparse and (len(self.damaged) + 1) * MIN_STEP_RUN > self.taken + lines
            if dense and end < len(data):
                return  # records damaged every few lines: left to the line-by-line checks
            skipped = _lines(data, self.length, after)
            self.damaged.append(Damage(record, self.length, after, skipped))
            self.damaged_lines += skipped
            self.merged += merged
            self.taken += skipped
            if lines:
                self.pieces.append(_Piece(self.taken, after, end, lines))
                self.taken += lines
            self.length = end

    def good(self) -> bytes:
        """The well-formed records' bytes, one piece after the other."""
        if len(self.pieces) == 1:
            return self.data[: self.pieces[0].end]
        return b"".join(self.data[piece.start : piece.end] for piece in self.pieces)

    def in_block(self, starts: pl.Series) -> pl.Series:
        """Lines counted in `good` (each record's first), counted in the block instead."""
        if len(self.pieces) == 1:
            return starts
        in_good = list(accumulate((piece.lines for piece in self.pieces[:-1]), initial=0))
        shift = [piece.first - before for piece, before in zip(self.pieces, in_good, strict=True)]
        piece = pl.Series(in_good, dtype=pl.Int64).search_sorted(starts, side="right") - 1
        return starts + pl.Series(shift, dtype=pl.Int64).gather(piece)


def line_breaks(parsed: pl.DataFrame, total: int) -> pl.Series:
    """Each record's line breaks, `total` of them in all: counted in the columns with the most
    text first, and in no more columns once all are found (free text holds them, seldom
    codes and numbers)."""
    sizes = parsed.select(pl.all().str.len_bytes().sum()).row(0)
    breaks = pl.zeros(len(parsed), dtype=pl.Int64, eager=True)
    found = 0
    for index in sorted(range(parsed.width), key=lambda i: -(sizes[i] or 0)):
        column = parsed.to_series(index).str.count_matches("\n", literal=True).cast(pl.Int64)
        breaks, found = breaks + column, found + int(column.sum())
        if found == total:
            break
    return breaks


def encoded_block(joined: str, dialect: Dialect) -> tuple[bytes, int | None] | None:
    """The block as UTF-8 for Polars, and its length in the file if known; None when the
    block must go record by record (an escape character, undecodable bytes, UTF-8 lines in a
    single-byte file)."""
    if dialect.escape is not None and dialect.escape in joined:
        return None
    try:  # lone surrogates (undecodable bytes) cannot be encoded: a fast test for them
        data = joined.encode("utf-8")
    except UnicodeEncodeError:
        return None
    codec = dialect.encoding.lower().replace("_", "-")
    if (
        codec in SINGLE_BYTE
        and not joined.isascii()
        and UTF8_SEQUENCE.search(joined.encode(codec, "surrogateescape"))
    ):
        return None  # UTF-8 lines mixed in: record by record, where each is judged
    utf8 = codec in ("utf-8", "utf8", "ascii")
    # ASCII text is as long in bytes as in UTF-8 in every encoding but UTF-16 and UTF-32
    narrow = not codec.startswith(("utf-16", "utf-32"))
    return data, len(data) if utf8 or (joined.isascii() and narrow) else None


def good_rows(parsed: pl.DataFrame, lines: pl.Series) -> pl.DataFrame:
    """Parsed records in the reader's schema: their line in the block, empty parse columns."""
    return parsed.select(
        pl.lit(0, dtype=pl.Int64).alias(ROW),
        pl.all(),
        lines.cast(pl.Int64).alias(LINE),
        pl.lit(None, dtype=pl.String).alias(PARSE),
        pl.lit(None, dtype=pl.String).alias(RAW),
        pl.lit(None, dtype=pl.List(pl.String)).alias(FIELDS),
    )


def parse_records(
    texts: pl.Series | bytes, names: list[str], delimiter: str, quote: str | None = None
) -> pl.DataFrame:
    """Records known to be well formed with exactly len(names) fields, parsed by Polars' CSV
    reader (the fastest splitter at hand; for such records its answer is exact): UTF-8 text,
    or one record per item of a Series."""
    schema = {name: pl.String() for name in names}
    if isinstance(texts, bytes):
        blob = texts
    elif texts.is_empty():
        return pl.DataFrame(schema=schema)
    else:
        blob = (texts.str.join("\n").item() + "\n").encode("utf-8")
    if not blob:
        return pl.DataFrame(schema=schema)
    # Polars drops a byte order mark at the start of what it reads; here it is a value's first
    # character (the file's own mark was taken by the decoder), so a line to skip goes first
    skip = int(blob.startswith(b"\xef\xbb\xbf"))
    return pl.read_csv(
        b"-\n" + blob if skip else blob,
        skip_rows=skip,
        has_header=False,
        schema=schema,
        separator=delimiter,
        quote_char=quote,
        empty_string_is_null=False,
        infer_schema=False,
    )
