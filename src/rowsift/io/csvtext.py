"""Splitting delimited text with the `csv` module: dialects, any delimiter, no field limit."""

from __future__ import annotations

import csv
import io
import itertools
import re
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
STAND_IN = "\x1f"
"""A delimiter of several characters (``, ``) stands as this one character for the csv module
(a control character text files do not hold)."""


def csv_dialect(delimiter: str, quote: str | None, escape: str | None, *, strict: bool) -> type:
    """A `csv` module dialect class for these characters; a delimiter of several characters is
    split at by `csv_reader` (and written by `join_fields`)."""
    attributes = {
        "delimiter": delimiter if len(delimiter) == 1 else STAND_IN,
        "quotechar": quote or '"',
        "quoting": csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE,
        "escapechar": escape,
        "doublequote": True,
        "skipinitialspace": False,
        "strict": strict,
        "lineterminator": "\n",
        "text_delimiter": delimiter,
    }
    return type("SniffedDialect", (csv.Dialect,), attributes)


_FIELD_LIMIT = threading.Lock()
"""Held while the csv module's field size limit is raised for one record."""


class csv_reader:
    """`csv.reader` with no limit on a field's size (the csv module stops at 128 KiB), and
    delimiters of several characters.

    The limit is process-wide state: it is raised only while a record is read, then put back.
    A delimiter of several characters is turned into `STAND_IN` before the csv module splits
    the line (so inside a quoted field it stays text) and back inside the fields.
    """

    def __init__(self, lines: Iterable[str], dialect: type) -> None:
        delimiter: str = getattr(dialect, "text_delimiter", "")
        self._wide = delimiter if len(delimiter) > 1 else None
        if self._wide is not None:
            lines = (line.replace(delimiter, STAND_IN) for line in lines)
        self._reader = csv.reader(lines, dialect)

    @property
    def line_num(self) -> int:
        """How many lines the reader has read."""
        return self._reader.line_num

    def __iter__(self) -> csv_reader:
        return self

    def __next__(self) -> list[str]:
        # the limit is the process's: readers in other threads (Polars evaluates a source in
        # its own threads, two at once for two outputs) must not put it back under each other
        with _FIELD_LIMIT:
            limit = csv.field_size_limit(sys.maxsize)
            try:
                fields = next(self._reader)
            finally:
                csv.field_size_limit(limit)
        if self._wide is not None:
            return [field.replace(STAND_IN, self._wide) for field in fields]
        return fields


def join_fields(fields: Sequence[str | None], dialect: type) -> str:
    """Fields written as one record of the dialect (no line terminator)."""
    buffer = io.StringIO()
    csv.writer(buffer, dialect).writerow(fields)
    text = buffer.getvalue().removesuffix("\n")
    delimiter: str = getattr(dialect, "text_delimiter", "")
    return text.replace(STAND_IN, delimiter) if len(delimiter) > 1 else text


def lenient_split(line: str, delimiter: str, quote: str | None) -> list[str]:
    """One line's fields, read leniently: a quote opens a quoted field only if a closing quote
    follows that is itself followed by the delimiter or the line's end; any other quote is text.

    >>> lenient_split('"28/01,2018,"a, b",x', ",", '"')
    ['"28/01', '2018', 'a, b', 'x']
    """
    line = line.removesuffix("\n").removesuffix("\r")
    fields: list[str] = []
    at, end = 0, len(line)
    while True:
        if quote and line.startswith(quote, at):
            closed = _closing_quote(line, at + 1, delimiter, quote)
            if closed is not None:
                fields.append(line[at + 1 : closed].replace(quote * 2, quote))
                at = closed + 1
                if at >= end:
                    return fields
                at += len(delimiter)
                continue
        found = line.find(delimiter, at)
        if found < 0:
            fields.append(line[at:])
            return fields
        fields.append(line[at:found])
        at = found + len(delimiter)


def _next_width(lines: Sequence[str], at: int, dialect: type) -> int | None:
    """The width of the first non-blank record from line `at` on, if it reads cleanly within
    a few lines."""
    try:
        for row in csv_reader(itertools.islice(lines, at, at + 8), dialect):
            if any(row) or len(row) > 1:
                return len(row)
    except csv.Error:
        return None
    return None


def _closing_quote(line: str, at: int, delimiter: str, quote: str) -> int | None:
    """Where the quoted field opened before `at` closes: at a quote followed by the delimiter
    or the line's end. A quote followed by anything else is text (an apostrophe, ``men's``),
    unless the delimiter comes right before it: then it opens another field, and the first
    quote was a stray one (None)."""
    while True:
        found = line.find(quote, at)
        if found < 0:
            return None
        if line.startswith(quote, found + 1):
            at = found + 2
            continue
        after = found + 1
        if after == len(line) or line.startswith(delimiter, after):
            return found
        if line.endswith(delimiter, 0, found):
            return None
        at = after


def split_records(
    lines: Sequence[str], delimiter: str, quote: str | None, escape: str | None
) -> list[tuple[int, list[str]]]:
    """(0-based first line, fields) of each non-blank record of the lines. A record whose
    quoting is broken, or that runs over several lines to a width that is neither the usual
    one so far, nor the previous record's, nor the next one's, is cut back to its first line,
    split leniently (`lenient_split`): a stray quote cannot swallow the lines after it. (A
    header with a line break in a name, under a one-line note, has the next record's width.)

    >>> split_records(["Report\\n", '"a\\n', 'b",c\\n', "1,2\\n"], ",", '"', None)
    [(0, ['Report']), (1, ['a\\nb', 'c']), (3, ['1', '2'])]
    """
    dialect = csv_dialect(delimiter, quote, escape, strict=True)
    found: list[tuple[int, list[str]]] = []
    widths: Counter[int] = Counter()
    usual = -1

    def count(row: list[str]) -> None:
        nonlocal usual
        widths[len(row)] += 1
        if usual < 0 or widths[len(row)] > widths[usual]:
            usual = len(row)

    start = 0
    previous = -1
    while start < len(lines):
        reader = csv_reader((lines[i] for i in range(start, len(lines))), dialect)
        done = 0
        try:
            for row in reader:
                if (
                    reader.line_num - done > 1
                    and len(row) not in (usual if usual >= 0 else len(row), previous)
                    and _next_width(lines, start + reader.line_num, dialect) != len(row)
                ):
                    break
                if (row and any(row)) or len(row) > 1:
                    found.append((start + done, row))
                    count(row)
                    previous = len(row)
                done = reader.line_num
            else:
                return found
        except csv.Error:
            pass
        if lines[start + done].strip("\r\n"):
            alone = lenient_split(lines[start + done], delimiter, quote)
            found.append((start + done, alone))
            count(alone)
            previous = len(alone)
        start += done + 1
    return found


def physical_lines(text: str) -> list[str]:
    """Lines with their terminators, split only at ``\\r\\n``, ``\\n`` and ``\\r``."""
    return _LINE.findall(text)


def lines_of(text: str) -> Iterator[str]:
    """`physical_lines`, lazily."""
    for found in _LINE.finditer(text):
        yield found.group()
