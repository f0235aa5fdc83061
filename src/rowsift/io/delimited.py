"""Reading delimited text in bounded memory, losing nothing.

Every record becomes a row: fields as text when it has exactly as many fields as the header;
otherwise a parse failure (`_rowsift_parse`) with its raw text and its fields as split. A quote
that opens and never closes is not allowed to swallow the lines after it: the record is cut back
to its first line, which is quarantined, and the following lines are read again. Blocks of lines
whose quotes all close on their line are split by Polars (`_split_block`); the others record by
record with the `csv` module (`RecordReader`); both give the same rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from rowsift._names import FIELDS, LINE, PARSE, RAW, ROW
from rowsift.exceptions import InputError
from rowsift.io.compressed import decompress
from rowsift.io.csvtext import (
    csv_dialect,
    csv_reader,
    join_fields,
    lenient_split,
)
from rowsift.io.dialect import NUMERIC
from rowsift.io.records import (
    LoadingCounts,
    Record,
    named,
    record_batches,
    scan_batches,
    schema_of,
)
from rowsift.io.sniff import Dialect

READ_CHARS = 1 << 22
"""How much text is read at a time."""
MAX_RECORD_LINES = 1_000_000
"""A quoted field longer than this many lines is taken for a quote that was never closed."""
MAX_RECORD_CHARS = 1 << 26
"""Likewise a record longer than this many characters (so memory stays bounded)."""

_UNDECODABLE = re.compile("[\udc80-\udcff]")
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
"""A multi-byte UTF-8 character: in a single-byte encoding's text, the mark of UTF-8 mixed in."""
SINGLE_BYTE = ("cp1252", "windows-1252", "latin-1", "latin1", "iso-8859-1", "iso8859-1")


@dataclass(frozen=True, slots=True)
class BlankLine:
    """A line with nothing on it: a record (an empty value) only in a one-column table."""

    line: int


class _TooLong(Exception):
    """A record ran over `MAX_RECORD_LINES` lines or `MAX_RECORD_CHARS` characters."""


@dataclass(frozen=True, slots=True)
class Line:
    """One physical line: its 1-based number, its text with terminator, its byte offset."""

    number: int
    text: str
    offset: int
    problem: str | None
    """Why the line's text cannot be trusted (bytes that do not decode, another encoding)."""


def _byte_length(encoding: str) -> Any:
    codec = encoding.lower().replace("_", "-")
    if codec.startswith(("utf-16", "utf-32")):  # the plain codec would count a BOM each time
        wide = codec[:6] + "-le"
        return lambda text: len(text.encode(wide, "surrogatepass"))
    return lambda text: len(text) if text.isascii() else len(text.encode(codec, "surrogateescape"))


class LineSource:
    """The file's physical lines, one by one or in blocks, with push-back.

    The last `footer_rows` non-blank lines are never handed out. Undecodable bytes are marked on
    the line (as lone surrogates in its text, and `Line.bad_byte`), never fatal.
    """

    def __init__(self, text: io.TextIOBase, dialect: Dialect, path: Path) -> None:
        self._text = text
        self._path = path
        self._length = _byte_length(dialect.encoding)
        self._footer = dialect.footer_rows
        self._buffer: list[str] = []
        self._start = 0
        self._back: deque[Line] = deque()
        self._eof = False
        self.number = 0
        """The number of the last line handed out (pushed-back lines do not count again)."""
        self.offset = 3 if dialect.encoding == "utf-8-sig" else 0
        codec = dialect.encoding.lower().replace("_", "-")
        self._single_byte = codec if codec in SINGLE_BYTE else None

    def _read(self) -> None:
        try:
            lines = self._text.readlines(READ_CHARS)
        except (OSError, EOFError, ValueError, UnicodeError) as exc:
            raise InputError(
                f"cannot read past byte {self.offset} (line {self.number + 1}): {exc}",
                file=str(self._path),
                line=self.number + 1,
                hint="the file may be truncated or not what its name says; "
                "check source.compression",
            ) from None
        if not lines:
            self._eof = True
            return
        if self._start:
            del self._buffer[: self._start]
            self._start = 0
        self._buffer.extend(lines)

    def _available(self) -> int:
        size = len(self._buffer) - self._start
        if self._footer == 0:
            return size
        need, index = self._footer, len(self._buffer)
        while index > self._start and need:
            index -= 1
            if self._buffer[index].strip():
                need -= 1
        return index - self._start if need == 0 else 0

    def _ensure(self, count: int) -> int:
        while not self._eof and self._available() < count + (1 if self._footer else 0):
            self._read()
        return min(count, self._available())

    @property
    def left_over(self) -> int:
        """Lines never handed out (the footer's), once the end is reached."""
        return len(self._buffer) - self._start if self._eof else 0

    @property
    def pushed_back(self) -> bool:
        """Whether lines were pushed back and are to be read again first."""
        return bool(self._back)

    def peek(self, count: int) -> list[str]:
        """Up to `count` next lines' text, not yet taken (nothing may be pushed back)."""
        available = self._ensure(count)
        return self._buffer[self._start : self._start + available]

    def take(self, lines: list[str], nbytes: int | None = None) -> tuple[int, int]:
        """Take the lines `peek` gave (`nbytes` long in the file, if known); returns the first
        one's number and byte offset."""
        first = (self.number + 1, self.offset)
        self._start += len(lines)
        self.number += len(lines)
        self.offset += nbytes if nbytes is not None else self._length("".join(lines))
        return first

    def line(self) -> Line | None:
        """The next line, or None at the end (or at the footer)."""
        if self._back:
            return self._back.popleft()
        if not self._ensure(1):
            return None
        text = self._buffer[self._start]
        self._start += 1
        self.number += 1
        problem = None
        length = self._length(text)  # of the bytes as read, before any reading as UTF-8
        if not text.isascii():
            found = _UNDECODABLE.search(text)
            if found is not None:
                at = self.offset + self._length(text[: found.start()])
                problem = f"bytes that do not decode at byte offset {at} (line {self.number})"
            elif self._single_byte is not None:
                text, problem = _mixed_in_utf8(text, self._single_byte, self.number)
        line = Line(self.number, text, self.offset, problem)
        self.offset += length
        return line

    def push_back(self, lines: list[Line]) -> None:
        """Hand these lines out again, first, in order."""
        self._back.extendleft(reversed(lines))


def _mixed_in_utf8(text: str, encoding: str, number: int) -> tuple[str, str | None]:
    """A line of a single-byte-encoded file whose bytes are UTF-8 text: its UTF-8 reading and
    why it is not trusted (read as the file's encoding it would be mojibake, ``cafÃ©``)."""
    raw = text.encode(encoding, "surrogateescape")
    if _UTF8_SEQUENCE.search(raw) is None:
        return text, None
    try:
        utf8 = raw.decode("utf-8")
    except UnicodeDecodeError:
        return text, None
    return utf8, f"UTF-8 text in a {encoding} file (line {number})"


def _strip_end(text: str) -> str:
    return text.removesuffix("\n").removesuffix("\r")


class RecordReader:
    """Splits lines into records with the `csv` module, keeping each record's own lines."""

    def __init__(self, source: LineSource, dialect: Dialect) -> None:
        self._source = source
        self._dialect = csv_dialect(dialect.delimiter, dialect.quote, dialect.escape, strict=True)
        self._consumed: list[Line] = []
        self.width = dialect.width
        self._well_formed = _record_pattern(dialect)
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
        return self._well_formed.fullmatch(_strip_end(text)) is not None

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
                yield self._bad(first, reason, _split_alone(first[0].text, self._dialect))
                continue
            reason = error or f"expected {self.width} fields, got {len(fields)}"
            if error is not None and consumed:
                fields = _split_alone(consumed[0].text, self._dialect)
            yield self._bad(consumed, reason, fields)

    def _bad(self, lines: list[Line], reason: str, fields: list[str]) -> Record:
        raw = _strip_end("".join(line.text for line in lines))
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
        if not _UNDECODABLE.search(text):
            return text
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _record_pattern(dialect: Dialect) -> re.Pattern[str] | None:
    """A record whose every field is unquoted without a quote, or quoted with inner quotes
    doubled (or escaped)."""
    if dialect.quote is None:
        return None
    d, q = re.escape(dialect.delimiter), re.escape(dialect.quote)
    # a one-character delimiter is left out of a field by a character class, a longer one by a
    # look-ahead
    one, not_d = (d, "") if len(dialect.delimiter) == 1 else ("", f"(?!{d})")
    if dialect.escape is not None:
        e = re.escape(dialect.escape)
        quoted = f"{q}(?:[^{q}{e}]|{q}{q}|{e}.)*{q}"
        plain = f"(?:{not_d}[^{q}{e}\r\n{one}]|{e}.)*"
    else:
        quoted = f"{q}(?:[^{q}]|{q}{q})*{q}"
        plain = f"(?:{not_d}[^{q}\r\n{one}])*"
    field = f"(?:{quoted}|{plain})"
    return re.compile(f"{field}(?:{d}{field})*", re.DOTALL)


def _split_alone(text: str, dialect: type) -> list[str]:
    """One line's fields as far as they can be told (`lenient_split`); with an escape
    character, as the csv module splits it leniently."""
    if dialect.escapechar is None:  # type: ignore[attr-defined]
        quote = None if dialect.quoting == csv.QUOTE_NONE else dialect.quotechar  # type: ignore[attr-defined]
        return lenient_split(text, dialect.text_delimiter, quote)  # type: ignore[attr-defined]
    lenient = type("Lenient", (dialect,), {"strict": False})
    try:
        return next(csv_reader([_strip_end(text)], lenient), [])
    except csv.Error:
        return [_strip_end(text)]


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
            raw = _strip_end(record.raw) or _join(record.fields, self.dialect)
            reason = f"a second table starts on line {self.other_table}"
            return Record(record.line, record.fields, raw, reason)
        if record.error is None and width >= 2 and _blank(record, self.dialect.delimiter):
            raw = _strip_end(record.raw)
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
    pace = _Pace(size)
    while True:
        target = source.number + 1
        if (
            pace.ready()
            and not source.pushed_back
            and table.other_table is None
            and not table.after_blank
            and not blanks
        ):
            block = source.peek(pace.size)
            if not block:
                break
            taken, split = _fast_split(block, dialect, table, counts)
            if split is not None:
                pace.after(taken, len(block))
                fast, nbytes = split
                if pending:
                    yield _records_frame(pending, dialect)
                    pending = []
                first_line, _ = source.take(block[:taken], nbytes)
                yield fast.with_columns((pl.col(LINE) + first_line).cast(pl.Int64))
                tell()
                continue
            # record by record: the whole block, or the one record that stopped the fast split
            target = source.number + (len(block) if taken else 1)
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
                yield _records_frame(pending, dialect)
                pending = []
                tell()
        else:
            continue
        break
    if pending:
        yield _records_frame(pending, dialect)
    # a one-column table's blank lines that no record follows are blank lines
    _count(counts, len(blanks), None, merged=reader.merged, footer=source.left_over)


class _Pace:
    """How many lines the next fast split looks at. A block cut short ends before a record the
    fast split cannot take: that record goes record by record at once (looking at the block
    again would find it first), and the next blocks are about twice the part taken, growing
    back to full size, so a few bad records do not make every block's lines be looked at over
    and over."""

    def __init__(self, size: int) -> None:
        self.full = self.size = size
        self._record_next = False

    def ready(self) -> bool:
        """Whether the next record may take the fast split (once a record has gone alone)."""
        ready, self._record_next = not self._record_next, False
        return ready

    def after(self, taken: int, looked: int) -> None:
        """Told how many of the lines looked at the fast split took."""
        if taken < looked:
            self.size, self._record_next = max(1024, 2 * taken), True
        else:
            self.size = min(self.full, 2 * self.size)


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


def _records_frame(records: list[Record], dialect: Dialect) -> pl.DataFrame:
    (frame,) = record_batches(iter(records), dialect.names, lines=True, size=len(records) + 1)
    return frame


def _fast_split(
    block: list[str], dialect: Dialect, table: _Table, counts: LoadingCounts
) -> tuple[int, tuple[pl.DataFrame, int | None] | None]:
    """How many of the block's lines hold whole records (`_segment`), and those lines split by
    Polars, or None where they go record by record (see `_split_block`)."""
    try:
        lines = pl.Series(block, dtype=pl.String)
    except UnicodeEncodeError:  # undecodable bytes: the block goes record by record
        return len(block), None
    taken, multi = _segment(lines, dialect)
    if not taken:
        return 0, None
    return taken, _split_block(block[:taken], lines.head(taken), dialect, table, multi, counts)


def _segment(lines: pl.Series, dialect: Dialect) -> tuple[int, pl.DataFrame | None]:
    """How many of the block's lines hold whole records that are quoted by the book, and the
    records among them that run over several lines: a frame of their first line in the block
    (`_rowsift_line`), their number of lines and their text (None when there are none).

    A line with an odd number of quotes opens or closes a record over several lines. The lines
    taken end at the last record's end, or before a record that is not quoted by the book or,
    over several lines, not of the header's width (the record reader then takes that record).
    Every check is one vectorised pass over the block: no record is looked at alone.
    """
    quote = dialect.quote
    if quote is None or dialect.escape is not None or len(dialect.delimiter) != 1:
        return len(lines), None
    well_formed = _record_pattern(dialect)
    assert well_formed is not None
    counts = lines.str.count_matches(quote, literal=True).to_numpy()
    if not counts.any():
        return len(lines), None
    odd = (counts % 2).astype(np.int64)
    after = np.cumsum(odd) % 2
    before = after ^ odd
    shape = f"^(?s:{well_formed.pattern})$"
    # a one-line record with quotes must be quoted by the book (the pattern is costly: it
    # runs on those lines only)
    alone = np.flatnonzero((counts > 0) & (before == 0) & (after == 0))
    by_the_book = lines.gather(alone).str.strip_chars_end("\r\n").str.contains(shape)
    wrong = np.zeros(len(lines), dtype=bool)
    wrong[alone[~by_the_book.to_numpy()]] = True
    end = int(np.argmax(wrong)) if wrong.any() else len(lines)
    if after[-1]:  # the last record goes on past the block
        end = min(end, int(np.flatnonzero((before == 0) & (after == 1))[-1]))
    inside = ((before == 1) | (after == 1))[:end]  # the lines of records over several lines
    if not inside.any():
        return end, None
    record = np.cumsum(before[:end] == 0)  # each line's record: a record starts outside quotes
    multi = (
        pl.DataFrame(
            {
                "record": record[inside],
                LINE: np.flatnonzero(inside),
                "text": lines[:end].filter(pl.Series(inside)),
            }
        )
        .group_by("record", maintain_order=True)
        .agg(pl.col(LINE).first(), pl.len().alias("lines"), pl.col("text").str.join(""))
        .with_columns(pl.col("text").str.strip_chars_end("\r\n"))
    )
    q = re.escape(quote)
    fields = (
        pl.col("text")
        .str.replace_all(f"{q}(?:[^{q}]|{q}{q})*{q}", "")
        .str.count_matches(dialect.delimiter, literal=True)
        + 1
    )
    fits = (
        pl.col("text").str.contains(shape)
        & (fields == len(dialect.names))
        & (pl.col("lines") <= MAX_RECORD_LINES)
    )
    judged = multi.select(LINE, "lines", "text", fits.alias("fits"))
    if judged["fits"].all():
        return end, judged.drop("fits")
    first_bad = int(judged["fits"].arg_min() or 0)
    cut = int(judged[LINE][first_bad])
    kept = judged.head(first_bad).drop("fits")
    return cut, kept if len(kept) else None


def _without_multi_line(lines: pl.DataFrame, size: int, multi: pl.DataFrame | None) -> pl.DataFrame:
    """The block's lines less those of its records over several lines."""
    if multi is None:
        return lines
    starts = multi[LINE].to_numpy().astype(np.int64)
    sizes = multi["lines"].to_numpy().astype(np.int64)
    inside = np.zeros(size, dtype=bool)
    offsets = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    inside[np.repeat(starts, sizes) + offsets] = True
    return lines.filter(~pl.Series(inside))


def _multi_line_rows(multi: pl.DataFrame, dialect: Dialect) -> pl.DataFrame:
    """The records over several lines, parsed (`_segment` let only records of the header's
    width, quoted by the book, through: Polars reads their quoted line breaks exactly)."""
    parsed = _parse_plain(multi["text"], list(dialect.names), dialect.delimiter, dialect.quote)
    return _good_rows(parsed, multi[LINE])


def _line_table(lines: pl.Series, dialect: Dialect, quoted: bool) -> pl.DataFrame:
    """Each line of the block: its number in the block, text without terminator, whether it is
    blank, its quotes, its fields as delimiters + 1, whether it is a spacer (``,,,``), and
    whether it is good as it is (the header's width, no quote, not a spacer)."""
    width = len(dialect.names)
    text = pl.col("text")
    count = text.str.count_matches(dialect.delimiter, literal=True) + 1
    # a spacer (",,,") is exactly width - 1 delimiters and nothing else
    spacer = (text.str.len_bytes() == width - 1) & (count == width) & pl.lit(width >= 2)
    quotes = text.str.count_matches(dialect.quote or "", literal=True) if quoted else pl.lit(0)
    return (
        lines.rename("text")
        .to_frame()
        .lazy()
        .with_row_index(LINE)
        .with_columns(text.str.strip_chars_end("\r\n"))
        .with_columns(
            (text == "").alias("blank"),
            quotes.alias("quotes"),
            count.alias("count"),
            spacer.alias("spacer"),
        )
        .with_columns(
            ((pl.col("count") == width) & ~pl.col("spacer") & (pl.col("quotes") == 0)).alias("good")
        )
        .collect()
    )


def _encoded(joined: str, dialect: Dialect) -> tuple[bytes, int | None] | None:
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
        and _UTF8_SEQUENCE.search(joined.encode(codec, "surrogateescape"))
    ):
        return None  # UTF-8 lines mixed in: record by record, where each is judged
    utf8 = codec in ("utf-8", "utf8", "ascii")
    return data, len(data) if utf8 or joined.isascii() else None


def _split_block(
    block: list[str],
    line_texts: pl.Series,
    dialect: Dialect,
    table: _Table,
    multi: pl.DataFrame | None,
    counts: LoadingCounts,
) -> tuple[pl.DataFrame, int | None] | None:
    """A block of whole records, split by Polars; None when the block needs the
    record-by-record reader. `_rowsift_line` counts from 0 in the block."""
    if len(dialect.delimiter.encode()) != 1:
        return None  # Polars splits at one byte
    joined = "".join(block)
    encoded = _encoded(joined, dialect)
    if encoded is None:
        return None
    data, nbytes = encoded
    quoted = dialect.quote is not None and dialect.quote in joined
    delimiter = dialect.delimiter
    width = len(dialect.names)
    names = list(dialect.names)
    lines = _without_multi_line(_line_table(line_texts, dialect, quoted), len(block), multi)
    blank = lines["blank"]
    if width == 1 and blank.any():
        return None  # blank lines are records here, unless at the end: record by record
    if blank.any():
        filled = (~blank).arg_true()
        last = int(filled[-1]) if len(filled) else -1
        if last >= 0 and bool(blank[: last + 1].any()):
            return None  # a blank line inside the block: a second table may start after it
        table.after_blank = True
        lines = lines.filter(~blank)
    _count(counts, int(blank.sum()), multi)  # the block is split here: its lines are counted
    lone_cr = "\r" in joined and joined.count("\r") != joined.count("\r\n")
    special: pl.DataFrame | None = None
    if quoted:
        has_quote = lines["quotes"] > 0
        with_quotes = lines.filter(has_quote)
        by_polars = _quoted_fitting(with_quotes, dialect)
        if (
            not blank.any()
            and not lone_cr
            and by_polars.all()
            and lines.filter(~has_quote)["good"].all()
        ):
            # every record is good: Polars reads the whole block at once, quotes and all
            starts = lines[LINE].cast(pl.Int64)
            if multi is not None:
                starts = pl.concat([starts, multi[LINE].cast(pl.Int64)])
            parsed = _parse_plain(data, names, delimiter, dialect.quote)
            return _good_rows(parsed, starts.sort()), nbytes
        special = _quoted_lines(with_quotes, dialect, by_polars)
        if multi is not None:
            special = pl.concat([special, _multi_line_rows(multi, dialect)])
        lines = lines.filter(~has_quote)
    judged = lines
    count, spacer = pl.col("count"), pl.col("spacer")
    fitting = judged.filter(pl.col("good"))
    whole = special is None and len(fitting) == len(block) and not lone_cr
    parsed = _parse_plain(data if whole else fitting["text"], names, delimiter)
    plain = parsed.select(
        pl.lit(0, dtype=pl.Int64).alias(ROW),
        pl.all(),
        fitting[LINE].cast(pl.Int64).alias(LINE),
        pl.lit(None, dtype=pl.String).alias(PARSE),
        pl.lit(None, dtype=pl.String).alias(RAW),
        pl.lit(None, dtype=pl.List(pl.String)).alias(FIELDS),
    )
    bad = judged.filter(~pl.col("good"))
    if not bad.is_empty():
        reason = (
            pl.when(spacer)
            .then(pl.lit("blank record: every field is empty"))
            .otherwise(pl.format(f"expected {width} fields, got {{}}", count))
        )
        failed = bad.select(
            pl.lit(0, dtype=pl.Int64).alias(ROW),
            *[pl.lit(None, dtype=pl.String).alias(name) for name in names],
            pl.col(LINE).cast(pl.Int64),
            reason.alias(PARSE),
            pl.col("text").alias(RAW),
            pl.col("text").str.split(delimiter, literal=True).alias(FIELDS),
        )
        plain = pl.concat([plain, failed]).sort(LINE)
    if special is None or special.is_empty():
        return plain, nbytes
    return pl.concat([plain, special.select(named(plain.columns))]).sort(LINE), nbytes


def _count(
    counts: LoadingCounts,
    blank: int,
    multi: pl.DataFrame | None,
    *,
    merged: int = 0,
    footer: int = 0,
) -> None:
    """Add blank lines, lines merged (those of records over several lines but their first),
    and the footer's lines."""
    counts.blank += blank
    counts.merged += merged + (0 if multi is None else int(multi["lines"].sum()) - len(multi))
    counts.footer += footer


def _quoted_fitting(lines: pl.DataFrame, dialect: Dialect) -> pl.Series:
    """Which lines with quotes, each one record quoted by the book (`_segment` let no other
    through), have the header's width (their delimiters once the quoted fields are taken out)
    and are not a spacer."""
    q = re.escape(dialect.quote or "")
    fields = (
        pl.col("text")
        .str.replace_all(f"{q}(?:[^{q}]|{q}{q})*{q}", "")
        .str.count_matches(dialect.delimiter, literal=True)
        + 1
    )
    fitting = lines.select(fields.alias("fields"))["fields"] == len(dialect.names)
    return fitting & ~lines["spacer"]


def _quoted_lines(lines: pl.DataFrame, dialect: Dialect, by_polars: pl.Series) -> pl.DataFrame:
    """Lines with quotes, each one record quoted by the book: those of the header's width
    (`by_polars`, `_quoted_fitting`) go to Polars, the others (parse failures) to the `csv`
    module."""
    special = _split_quoted(lines.filter(~by_polars).select(LINE, "text"), dialect)
    if not by_polars.any():
        return special
    chosen = lines.filter(by_polars)
    parsed = _parse_plain(chosen["text"], list(dialect.names), dialect.delimiter, dialect.quote)
    return pl.concat([special, _good_rows(parsed, chosen[LINE])])


def _good_rows(parsed: pl.DataFrame, lines: pl.Series) -> pl.DataFrame:
    """Parsed records in the reader's schema: their line in the block, empty parse columns."""
    return parsed.select(
        pl.lit(0, dtype=pl.Int64).alias(ROW),
        pl.all(),
        lines.cast(pl.Int64).alias(LINE),
        pl.lit(None, dtype=pl.String).alias(PARSE),
        pl.lit(None, dtype=pl.String).alias(RAW),
        pl.lit(None, dtype=pl.List(pl.String)).alias(FIELDS),
    )


def _parse_plain(
    texts: pl.Series | bytes, names: list[str], delimiter: str, quote: str | None = None
) -> pl.DataFrame:
    """Lines known to hold exactly len(names) fields, each one record, parsed by Polars' CSV
    reader (the fastest splitter at hand; with no quote, or quotes by the book on one line, and
    a known width its answer is exact)."""
    schema = {name: pl.String() for name in names}
    if isinstance(texts, bytes):
        blob = texts
    elif texts.is_empty():
        return pl.DataFrame(schema=schema)
    else:
        blob = (texts.str.join("\n").item() + "\n").encode("utf-8")
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


def _split_quoted(lines: pl.DataFrame, dialect: Dialect) -> pl.DataFrame:
    """Lines whose quotes all close on the line, each one record, split by the `csv` module."""
    strict = csv_dialect(dialect.delimiter, dialect.quote, dialect.escape, strict=True)
    width = len(dialect.names)
    well_formed = _record_pattern(dialect)
    records: list[Record] = []
    for index, text in lines.iter_rows():
        try:
            fields = next(csv_reader([text], strict))
        except csv.Error as exc:
            records.append(
                Record(index, _split_alone(text, strict), text, f"broken quoting: {exc}")
            )
            continue
        if well_formed is not None and not well_formed.fullmatch(text):
            reason = "broken quoting: a quote inside a field that is not quoted"
            records.append(Record(index, _split_alone(text, strict), text, reason))
        elif len(fields) == width:
            records.append(Record(index, fields, text, None))
        else:
            reason = f"expected {width} fields, got {len(fields)}"
            records.append(Record(index, fields, text, reason))
    return _records_frame(records, dialect)


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
        for frame in _frames(path, dialect, size, progress, counts):
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
