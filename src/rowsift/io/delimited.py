"""Reading delimited text in bounded memory, losing nothing.

Every record becomes a row: fields as text when it has exactly as many fields as the header;
otherwise a parse failure (`_rowsift_parse`) with its raw text and its fields as split. A quote
that opens and never closes is not allowed to swallow the lines after it: the record is cut back
to its first line, which is quarantined, and the following lines are read again. The file's
physical lines come from `rowsift.io.lines`; blocks of them that hold runs of well-formed
records (`rowsift.io.well_formed`) or pass vectorised checks (`rowsift.io.blocks`) are split by
Polars; the others record by record with the `csv` module (`RecordReader`); both give the same
rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from rowsift._names import LINE, PARSE, ROW
from rowsift.io.blocks import (
    MAX_RECORD_LINES,
    Pace,
    count_lines,
    fast_run,
    fast_split,
    records_frame,
    split_alone,
    strip_end,
)
from rowsift.io.compressed import decompress
from rowsift.io.csvtext import (
    csv_dialect,
    csv_reader,
    join_fields,
)
from rowsift.io.dialect import NUMERIC
from rowsift.io.joining import join_extra
from rowsift.io.lines import UNDECODABLE, Line, LineSource
from rowsift.io.records import (
    LoadingCounts,
    Record,
    named,
    scan_batches,
    schema_of,
)
from rowsift.io.shapes import record_pattern
from rowsift.io.sniff import Dialect
from rowsift.io.well_formed import may_run

MAX_RECORD_CHARS = 1 << 26
"""Likewise a record longer than this many characters (so memory stays bounded)."""
MAX_TEXT_CHARS = 1 << 24
"""The most text a run of well-formed records is looked for in at once (a block's lines times
the length of a typical line so far, which a long header could make huge)."""


@dataclass(frozen=True, slots=True)
class BlankLine:
    """A line with nothing on it: a record (an empty value) only in a one-column table."""

    line: int


class _TooLong(Exception):
    """A record ran over `MAX_RECORD_LINES` lines or `MAX_RECORD_CHARS` characters."""


class RecordReader:
    """Splits lines into records with the `csv` module, keeping each record's own lines."""

    def __init__(self, source: LineSource, dialect: Dialect) -> None:
        self._source = source
        self._dialect = csv_dialect(dialect.delimiter, dialect.quote, dialect.escape, strict=True)
        self._consumed: list[Line] = []
        self.width = dialect.width
        self._well_formed = record_pattern(dialect)
        self._quote = dialect.quote or ""
        self.merged = 0
        """Lines joined to a record that began on an earlier line."""

    def _by_the_book(self, lines: list[Line]) -> bool:
        """Whether the record's every quote opens or closes a quoted field, or is doubled."""
        if self._well_formed is None:
            return True
        text = lines[0].text if len(lines) == 1 else "".join(line.text for line in lines)
        if self._quote not in text:
            return True
        return self._well_formed.fullmatch(strip_end(text)) is not None

    def _feed(self) -> Iterator[str]:
        chars = 0
        while True:
            line = self._source.line()
            if line is None:
                return
            if not self._consumed:
                chars = 0
            self._consumed.append(line)
            chars += len(line.text)
            if len(self._consumed) > MAX_RECORD_LINES or chars > MAX_RECORD_CHARS:
                raise _TooLong
            yield line.text

    def _reader(self) -> Iterator[list[str]]:
        return csv_reader(self._feed(), self._dialect)

    def records(self) -> Iterator[Record | BlankLine]:
        """Each record in order, and each blank line."""
        reader = self._reader()
        while True:
            self._consumed = []
            error: str | None = None
            fields: list[str] = []
            try:
                fields = next(reader)
            except StopIteration:
                if any(line.text.strip() for line in self._consumed):
                    self.merged += len(self._consumed) - 1
                    yield self._bad(self._consumed, "the file ends inside a quoted field", [])
                return
            except csv.Error as exc:
                error = f"broken quoting: {exc}"
                reader = self._reader()
            except _TooLong:
                error = (
                    f"a quoted field runs over {MAX_RECORD_LINES:,} lines "
                    f"or {MAX_RECORD_CHARS:,} characters"
                )
                reader = self._reader()
            consumed = self._consumed
            if error is None and not fields:
                yield BlankLine(consumed[0].number)
                continue
            if error is None and not self._by_the_book(consumed):
                # a record must be quoted by the book: a quote inside a field that is not
                # quoted is a sign that the record is not what it seems (and over several
                # lines, of a quote that never closed swallowing the lines after it)
                error = "broken quoting: a quote inside a field that is not quoted"
            if error is None and len(fields) == self.width:
                bad = next((line for line in consumed if line.problem is not None), None)
                if bad is None:
                    text = (
                        consumed[0].text
                        if len(consumed) == 1
                        else "".join(line.text for line in consumed)
                    )
                    self.merged += len(consumed) - 1
                    yield Record(consumed[0].number, fields, text, None)
                    continue
                assert bad.problem is not None
                self.merged += len(consumed) - 1
                yield self._bad(consumed, bad.problem, fields)
                continue
            if len(consumed) > 1:
                # a quote that never closed: keep the first line alone, read the rest again
                self._source.push_back(consumed[1:])
                reason = error or (
                    f"broken quoting: a quoted field opened on line {consumed[0].number} "
                    f"spans {len(consumed)} lines and leaves {len(fields)} fields, "
                    f"expected {self.width}"
                )
                if error is None:
                    reader = self._reader()
                first = consumed[:1]
                yield self._bad(first, reason, split_alone(first[0].text, self._dialect))
                continue
            reason = error or f"expected {self.width} fields, got {len(fields)}"
            if error is not None and consumed:
                fields = split_alone(consumed[0].text, self._dialect)
            yield self._bad(consumed, reason, fields)

    def _bad(self, lines: list[Line], reason: str, fields: list[str]) -> Record:
        raw = strip_end("".join(line.text for line in lines))
        bad = next((line for line in lines if line.problem is not None), None)
        if bad is not None:
            assert bad.problem is not None
            if not reason.startswith(bad.problem):
                reason = f"{bad.problem}; {reason}"
            # undecodable bytes are shown as \xNN escapes: text that can be stored, bytes kept
            raw = self._escaped(raw)
            fields = [self._escaped(field) for field in fields]
        return Record(lines[0].number if lines else 0, fields, raw, reason)

    def _escaped(self, text: str) -> str:
        if not UNDECODABLE.search(text):
            return text
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class _Table:
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
            return Record(record.line, record.fields, raw, "blank record: every field is empty")
        return record


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
        yield from _blocks(text, path, dialect, size, tell, counts or LoadingCounts())
        if progress:
            progress(total, total)


def _blocks(
    text: io.TextIOWrapper,
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
    table = _Table(dialect)
    pending: list[Record] = []
    # in a one-column table a blank line is a record (an empty value), unless no record follows
    blanks: list[int] = []
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
            and not blanks
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
                    blanks.append(record.line)
                else:
                    counts.blank += 1
                    table.after_blank = True
                continue
            pending.extend([*_empty_values(blanks), table.judge(record)])
            blanks = []
            if len(pending) >= size:
                yield records_frame(pending, dialect)
                pending = []
                tell()
        else:
            continue
        break
    if pending:
        yield records_frame(pending, dialect)
    # a one-column table's blank lines that no record follows are blank lines
    count_lines(counts, len(blanks), None, merged=reader.merged, footer=source.left_over)


def _at_once(
    source: LineSource,
    dialect: Dialect,
    table: _Table,
    counts: LoadingCounts,
    pace: Pace,
    *,
    runs: bool,
) -> pl.DataFrame | int:
    """The records of the next lines taken at once, numbered: a run of well-formed records
    (`runs`: the dialect allows them), else a block through the fast split; when neither
    takes them, how many lines go record by record (the whole block, or the one record that
    stopped the fast split; 0 at the end)."""
    looked_for_run = runs and source.text_ready
    run = _text_run(source, dialect, counts, pace) if looked_for_run else None
    if run is not None:
        return run
    block = source.peek(pace.size)
    if not block:
        return 0
    taken, split = fast_split(block, dialect, table, counts, pace, run=not looked_for_run)
    if split is None:
        return len(block) if taken else 1
    pace.after(taken, len(block))
    fast, nbytes = split
    first_line, _ = source.take(block[:taken], nbytes)
    return fast.with_columns((pl.col(LINE) + first_line).cast(pl.Int64))


def _text_run(
    source: LineSource, dialect: Dialect, counts: LoadingCounts, pace: Pace
) -> pl.DataFrame | None:
    """The run of well-formed records the next lines start with, taken as one text (never
    split into lines), its rows numbered by line; None when there is none worth taking."""
    text = source.peek_text(min(pace.size * source.typical_line(), MAX_TEXT_CHARS))
    run = fast_run(text, dialect, counts, pace) if text else None
    if run is None:
        return None
    taken, looked, chars, frame, nbytes = run
    pace.after(taken, looked)
    first_line, _ = source.take_text(chars, taken, nbytes)
    return frame.with_columns((pl.col(LINE) + first_line).cast(pl.Int64))


def _past_the_header(
    source: LineSource, reader: RecordReader, dialect: Dialect, counts: LoadingCounts
) -> Iterator[Record | BlankLine]:
    """The reader's records after the lines before the header and the header's, counted."""
    for _ in range(dialect.header_row):
        if source.line() is None:
            break
    counts.preamble = source.number
    records = reader.records()
    _skip_header(records, dialect)
    counts.header = source.number - counts.preamble
    return records


def _skip_header(records: Iterator[Record | BlankLine], dialect: Dialect) -> None:
    """Read past the header's records (blank lines between them do not count)."""
    if not dialect.header:
        return
    header_records = 0
    for record in records:
        header_records += isinstance(record, Record)
        if header_records == dialect.header_rows:
            return


def _empty_values(lines: list[int]) -> list[Record]:
    """The blank lines of a one-column table as its records: an empty value each."""
    return [Record(line, [""], "", None) for line in lines]


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
            frame = read
            if dialect.evidence is not None:
                frame, joined = join_extra(
                    read, dialect.names, dialect.evidence, dialect.delimiter, quote=dialect.quote
                )
                counts.joined += joined
            counts.quarantined += len(frame) - frame[PARSE].null_count()
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
