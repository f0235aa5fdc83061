"""Reading delimited text in bounded memory, losing nothing.

Every record becomes a row: fields as text when it has exactly as many fields as the header;
otherwise a parse failure (`_rowsift_parse`) with its raw text and its fields as split. A quote
that opens and never closes is not allowed to swallow the lines after it: the record is cut back
to its first line, which is quarantined, and the following lines are read again. The file's
physical lines come from `rowsift.io.lines`; blocks of them that hold runs of well-formed
records (`rowsift.io.well_formed`) or pass vectorised checks (`rowsift.io.blocks`) are split by
Polars; the others record by record with the `csv` module (`rowsift.io.record_reader`); both
give the same rows.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import polars as pl

from rowsift._names import LINE, PARSE, ROW
from rowsift.io.aligned import CollapsedText
from rowsift.io.blocks import (
    Pace,
    count_lines,
    fast_run,
    fast_split,
    records_frame,
    strip_end,
)
from rowsift.io.compressed import decompress
from rowsift.io.csvtext import (
    csv_dialect,
    join_fields,
)
from rowsift.io.dialect import NUMERIC
from rowsift.io.joining import join_extra, read_inner_quotes
from rowsift.io.lines import BlockLines, LineSource
from rowsift.io.record_reader import BlankLine, RecordReader
from rowsift.io.records import (
    LoadingCounts,
    Record,
    named,
    scan_batches,
    schema_of,
)
from rowsift.io.sniff import Dialect
from rowsift.io.well_formed import Step, may_run

MAX_TEXT_CHARS = 1 << 24
"""The most text a run of well-formed records is looked for in at once (a block's lines times
the length of a typical line so far, which a long header could make huge)."""


class TableSoFar:
    """What the records seen so far say about the ones to come: a blank line, a second table."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.names = list(dialect.names)
        self.after_blank = False
        self.other_table: int | None = None

    def judge(self, record: Record) -> Record:
        """The record as it goes into the output: a second table's, or a blank, is quarantined."""
        width = len(self.names)
        if (
            self.other_table is None
            and self.after_blank
            and width >= 2
            and _starts_table(record, self.names, width)
        ):
            self.other_table = record.line
        self.after_blank = False
        if self.other_table is not None:
            raw = strip_end(record.raw) or _join(record.fields, self.dialect)
            reason = f"a second table starts on line {self.other_table}"
            return Record(record.line, record.fields, raw, reason)
        if record.error is None and width >= 2 and _blank(record, self.dialect.delimiter):
            raw = strip_end(record.raw)
            return Record(record.line, record.fields, raw, BLANK_RECORD)
        return record


BLANK_RECORD = "blank record: every field is empty"
"""Why a record of bare delimiters (``,,,``) is quarantined: unless no other record follows it,
when it is a blank line (spreadsheets save their formatted empty rows so)."""


Progress = Callable[[int, int], None]
"""Told (bytes of the file read so far, its size in bytes) as reading goes on."""


def _frames(
    path: Path,
    dialect: Dialect,
    size: int,
    progress: Progress | None = None,
    counts: LoadingCounts | None = None,
) -> Iterator[pl.DataFrame]:
    """The file's records as frames (rows not yet numbered): plain blocks split at once by
    Polars, and any block with a quote, an escape or undecodable bytes record by record."""
    total = path.stat().st_size
    with (
        open(path, "rb") as disk,
        io.TextIOWrapper(
            decompress(disk, dialect.compression),
            encoding=dialect.encoding,
            errors="surrogateescape",
            newline="",
        ) as text,
    ):
        tell = (lambda: progress(disk.tell(), total)) if progress else (lambda: None)
        lines = (
            CollapsedText(text, dialect.quote, dialect.column_starts) if dialect.aligned else text
        )
        yield from _blocks(lines, path, dialect, size, tell, counts or LoadingCounts())
        if progress:
            progress(total, total)


def _blocks(
    text: io.TextIOBase,
    path: Path,
    dialect: Dialect,
    size: int,
    tell: Callable[[], None],
    counts: LoadingCounts,
) -> Iterator[pl.DataFrame]:
    """The records of an open text stream, as `_frames` gives them; what was done with the
    lines that are not a record's first goes into `counts`."""
    source = LineSource(text, dialect, path)
    reader = RecordReader(source, dialect)
    records = _past_the_header(source, reader, dialect, counts)
    table = TableSoFar(dialect)
    pending: list[Record] = []
    held = Unfollowed()
    one_column = len(dialect.names) == 1
    pace = Pace(size)
    runs = may_run(dialect)
    while True:
        target = source.number + 1
        if (
            pace.ready()
            and not source.pushed_back
            and table.other_table is None
            and not table.after_blank
            and not held
        ):
            found = _at_once(source, dialect, table, counts, pace, runs=runs)
            if isinstance(found, pl.DataFrame):
                if pending:
                    yield records_frame(pending, dialect)
                    pending = []
                yield found
                tell()
                continue
            if not found:
                break
            target = source.number + found
        while source.number < target or source.pushed_back:
            try:
                record = next(records)
            except StopIteration:
                break
            if isinstance(record, BlankLine):
                if one_column:
                    held.blanks.append(record.line)
                else:
                    counts.blank += 1
                    table.after_blank = True
                continue
            judged = table.judge(record)
            if held.holds(judged):
                continue
            pending.extend([*held.released(), judged])
            if len(pending) >= size:
                yield records_frame(pending, dialect)
                pending = []
                tell()
        else:
            continue
        break
    if pending:
        yield records_frame(pending, dialect)
    count_lines(counts, len(held), None, merged=reader.merged, footer=source.left_over)
    counts.comment += reader.comments


def _at_once(
    source: LineSource,
    dialect: Dialect,
    table: TableSoFar,
    counts: LoadingCounts,
    pace: Pace,
    *,
    runs: bool,
) -> pl.DataFrame | int:
    """The records of the next lines taken at once, numbered: a run of well-formed records
    (`runs`: the dialect allows them), else a block through the fast split; when neither
    takes them, how many lines go record by record (the whole block, the one record that
    stopped the fast split, or a comment line, which the record reader skips; 0 at the
    end)."""
    comment = dialect.comment
    if comment is not None and source.text_ready and source.peek_text(1).startswith(comment):
        return 1  # a comment line: the record reader skips it, and counts it
    looked_for_run = runs and source.text_ready
    run = _text_run(source, dialect, table, counts, pace) if looked_for_run else None
    if run is not None:
        return run
    block = source.peek(pace.size)
    if not block:
        return 0
    block = block[: _lines_before_comment(block, dialect.comment)]
    if not block:
        return 1  # a comment line: the record reader skips it, and counts it
    taken, split = fast_split(block, dialect, table, counts, pace, run=not looked_for_run)
    if split is None:
        return len(block) if taken else 1
    pace.after(taken, len(block))
    fast, nbytes = split
    first_line, _ = source.take(block[:taken], nbytes)
    return fast.with_columns((pl.col(LINE) + first_line).cast(pl.Int64))


def _text_run(
    source: LineSource, dialect: Dialect, table: TableSoFar, counts: LoadingCounts, pace: Pace
) -> pl.DataFrame | None:
    """The run of well-formed records the next lines start with, taken as one text (never
    split into lines), its rows numbered by line; None when there is none worth taking."""
    text = source.peek_text(min(pace.size * source.typical_line(), MAX_TEXT_CHARS))
    text = text[: _chars_before_comment(text, dialect.comment)]
    step = damaged_record(source.number + 1, dialect, table)
    run = fast_run(text, dialect, counts, pace, step=step) if text else None
    if run is None:
        return None
    taken, looked, chars, frame, nbytes = run
    pace.after(taken, looked)
    first_line, _ = source.take_text(chars, taken, nbytes)
    return frame.with_columns((pl.col(LINE) + first_line).cast(pl.Int64))


def _lines_before_comment(lines: list[str], comment: str | None) -> int:
    """How many of `lines` (each at a record's start, or inside one) come before the first
    that starts with the `comment` mark: a run or a fast split never takes a comment line,
    which may split into the header's width; the record reader skips it. A line inside a
    quoted field that starts with the mark cuts the block there too: the record it is part
    of then goes to the record reader, whole."""
    if comment is None:
        return len(lines)
    return next((i for i, line in enumerate(lines) if line.startswith(comment)), len(lines))


def _chars_before_comment(text: str, comment: str | None) -> int:
    """The characters of `text` (whole lines) before its first line that starts with the
    `comment` mark (see `_lines_before_comment`)."""
    if comment is None or not text:
        return len(text)
    if text.startswith(comment):
        return 0
    at = text.find("\n" + comment)
    return len(text) if at < 0 else at + 1


def damaged_record(first: int, dialect: Dialect, table: TableSoFar) -> Step:
    """How a run of well-formed records from line `first` on steps over a damaged record
    (`rowsift.io.well_formed.Step`): the record reader reads it from the block's bytes as it
    would from the file, and the table judges it as it judges the reader's records."""

    def step(data: bytes, at: int, line: int) -> tuple[Record, int, int] | None:
        lines = BlockLines(data, at, first + line)
        reader = RecordReader(lines, dialect)
        record = next(reader.records(), None)
        if not isinstance(record, Record) or lines.exhausted:
            return None  # a blank line, or a record that may go on past the block
        judged = table.judge(record)
        return replace(judged, line=judged.line - first), lines.offset, reader.merged

    return step


def _past_the_header(
    source: LineSource, reader: RecordReader, dialect: Dialect, counts: LoadingCounts
) -> Iterator[Record | BlankLine]:
    """The reader's records after the lines before the header and the header's, counted."""
    for _ in range(dialect.header_row):
        if source.line() is None:
            break
    counts.preamble = source.number
    records = reader.records()
    counts.blank += _skip_header(records, dialect)
    # a header record whose quote never closed hands its later lines back: they are not its
    counts.header = source.kept - counts.preamble - counts.blank
    reader.merged = 0  # a header name's line breaks are the header's lines, counted there
    reader.comment = dialect.comment
    return records


def _skip_header(records: Iterator[Record | BlankLine], dialect: Dialect) -> int:
    """Read past the header's records; the blank lines above them, which are not the
    header's, are counted (and returned). Blank lines between header records are the header's."""
    if not dialect.header:
        return 0
    header_records = above = 0
    for record in records:
        if not isinstance(record, Record):
            above += header_records == 0
            continue
        header_records += 1
        if header_records == dialect.header_rows:
            break
    return above


class Unfollowed:
    """Lines that are records only when a record follows them, held until one does: a
    one-column table's blank lines (an empty value each) and records of bare delimiters
    (quarantined as blank records). At the end of the file they are blank lines."""

    def __init__(self) -> None:
        self.blanks: list[int] = []
        """The blank lines' numbers."""
        self.bare: list[Record] = []

    def __bool__(self) -> bool:
        return bool(self.blanks or self.bare)

    def __len__(self) -> int:
        return len(self.blanks) + len(self.bare)

    def holds(self, record: Record) -> bool:
        """Whether a judged record is one of bare delimiters, held."""
        if record.error == BLANK_RECORD:
            self.bare.append(record)
            return True
        return False

    def released(self) -> list[Record]:
        """The held lines as records, in order, now that a record follows them."""
        released = [*(Record(line, [""], "", None) for line in self.blanks), *self.bare]
        self.blanks, self.bare = [], []
        return released


def _blank(record: Record, delimiter: str) -> bool:
    """A record that is only delimiters (``,,,``): a spacer line, not a row of empty values."""
    return not any(record.fields) and not record.raw.replace(delimiter, "").strip()


def _starts_table(record: Record, names: list[str], width: int) -> bool:
    filled = [f for f in record.fields if f and f.strip()]
    if list(record.fields) == names:
        return True
    if len(record.fields) == width or len(filled) < 2:
        return False
    return not any(NUMERIC.match(f.strip()) for f in filled if f)


def _join(fields: Sequence[str | None], dialect: Dialect) -> str:
    writer_dialect = csv_dialect(dialect.delimiter, dialect.quote, dialect.escape, strict=False)
    return join_fields(fields, writer_dialect)


def scan_delimited(
    path: Path,
    dialect: Dialect,
    *,
    progress: Progress | None = None,
    on_loaded: Callable[[LoadingCounts], None] | None = None,
) -> pl.LazyFrame:
    """A lazy, streaming table of the file's records (read again on every collect).

    `on_loaded` is told what loading did with the lines (`LoadingCounts`) each time the file
    has been read to its end.
    """
    schema = schema_of(dialect.names, lines=True)

    def make(size: int) -> Iterator[pl.DataFrame]:
        row = 0
        counts = LoadingCounts()
        for read in _frames(path, dialect, size, progress, counts):
            frame = read_back(read, dialect, counts)
            numbered = frame.with_columns(
                pl.int_range(row, row + len(frame), dtype=pl.Int64).alias(ROW)
            )
            row += len(frame)
            yield numbered.select(named(list(schema)))
        if on_loaded is not None:
            on_loaded(counts)
        if row == 0:
            yield pl.DataFrame(schema=schema)

    return scan_batches(make, schema, name="rowsift delimited")


def read_back(frame: pl.DataFrame, dialect: Dialect, counts: LoadingCounts) -> pl.DataFrame:
    """The reader's records with those that fail to parse but read back to the header's width
    made good (`rowsift.io.joining`: kept and flagged), counted in `counts` with those left
    quarantined."""
    failed = frame[PARSE].null_count() < len(frame)
    # a quote inside a field that is not quoted is text (`read_inner_quotes`) where fields are
    # split at the delimiter alone: no escape character, no columns cut by position
    if failed and dialect.escape is None and not dialect.aligned:
        frame, literal = read_inner_quotes(frame, dialect.names, dialect.delimiter, dialect.quote)
        counts.joined += literal
    # the evidence is read from the sample on the first batch with a parse failure
    if failed and dialect.evidence is not None:
        frame, joined = join_extra(
            frame, dialect.names, dialect.evidence, dialect.delimiter, quote=dialect.quote
        )
        counts.joined += joined
    counts.quarantined += len(frame) - frame[PARSE].null_count()
    return frame
