"""Reading delimited records one by one with the `csv` module, where the fast paths cannot.

A record must be quoted by the book; one that is not, or has another number of fields than the
header, is a parse failure with its raw text and its fields as split leniently. A quote that
opens and never closes is not allowed to swallow the lines after it: a record over several
lines that is not of the header's width, or longer than `MAX_RECORD_LINES` lines or
`MAX_RECORD_CHARS` characters, is cut back to its first line and the lines after it are read
again.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from rowsift.io.blocks import MAX_RECORD_LINES, split_alone, strip_end
from rowsift.io.csvtext import csv_dialect, csv_reader
from rowsift.io.lines import UNDECODABLE, Line
from rowsift.io.records import Record
from rowsift.io.shapes import record_pattern
from rowsift.io.sniff import Dialect

__all__ = ["MAX_RECORD_CHARS", "BlankLine", "LineFeed", "RecordReader"]

MAX_RECORD_CHARS = 1 << 26
"""A record longer than this many characters counts as a quote that never closes (so memory
stays bounded), as one longer than `MAX_RECORD_LINES` lines does."""


@dataclass(frozen=True, slots=True)
class BlankLine:
    """A line with nothing on it: a record (an empty value) only in a one-column table."""

    line: int


class LineFeed(Protocol):
    """Where a `RecordReader` takes its lines: a file's (`rowsift.io.lines.LineSource`) or a
    block's held in memory (`rowsift.io.lines.BlockLines`)."""

    def line(self) -> Line | None: ...

    def push_back(self, lines: list[Line]) -> None: ...


class _TooLong(Exception):
    """A record ran over `MAX_RECORD_LINES` lines or `MAX_RECORD_CHARS` characters."""


class RecordReader:
    """Splits lines into records with the `csv` module, keeping each record's own lines."""

    def __init__(self, source: LineFeed, dialect: Dialect) -> None:
        self._source = source
        self._dialect = csv_dialect(dialect.delimiter, dialect.quote, dialect.escape, strict=True)
        self._consumed: list[Line] = []
        self.width = dialect.width
        self._well_formed = record_pattern(dialect)
        self._quote = dialect.quote or ""
        self.merged = 0
        """Lines joined to a record that began on an earlier line."""
        self.comment: str | None = None
        """Lines that start with this text where a record would start are comments: skipped,
        counted in `comments`. Set once the header is read (a header may start with ``#``)."""
        self.comments = 0

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
                if self.comment is not None and line.text.startswith(self.comment):
                    self.comments += 1
                    continue
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
