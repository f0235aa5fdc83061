"""The fast path for plain delimited text: files Polars can split exactly, checked first.

A file is plain when it is uncompressed UTF-8, has a header and no footer, no escape
character, and every line after the header is exactly one record of the header's width:
fields that are either unquoted (no delimiter, no quote) or quoted with doubled inner quotes and
no line break (so no blank line, no ragged record, no broken quoting). Such a file has one
record per line, and Polars' own streaming CSV reader reads it exactly; the check is one
streaming pass that matches every line against that shape (a linear-time pattern). Anything
else goes through the record-by-record reader in `delimited`, which never loses a record.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from rowsift._names import LINE, ROW
from rowsift.io.records import LoadingCounts, named, schema_of
from rowsift.io.sniff import Dialect

_NOWHERE = "\x1f"
"""The separator of the line scan: a control character CSV files do not hold; a line that does
hold it is cut there, and then fails the delimiter count (it is not plain)."""


def is_plain(path: Path, dialect: Dialect) -> bool:
    """Whether `path` can be read exactly by Polars' own reader (see the module docstring)."""
    eligible = (
        dialect.encoding.lower().replace("_", "-") in ("utf-8", "utf-8-sig", "ascii")
        and dialect.compression == "none"
        and dialect.escape is None
        and dialect.header
        and dialect.header_rows == 1
        and dialect.footer_rows == 0
        and dialect.line_terminator in ("\n", "\r\n")
        and len(dialect.names) >= 2
        and len(dialect.delimiter) == 1
        and dialect.delimiter != _NOWHERE
    )
    if not eligible:
        return False
    lines_in_file = _count_lines(path)
    if lines_in_file is None:
        return False
    lines = pl.scan_csv(
        path,
        has_header=False,
        separator=_NOWHERE,
        quote_char=None,
        skip_lines=dialect.header_row,
        infer_schema=False,
        empty_string_is_null=False,
        truncate_ragged_lines=True,
        new_columns=["line"],
        encoding="utf8",
    )
    text = pl.col("line").str.strip_suffix("\r")
    # a line of delimiters only is a blank record, which the record reader quarantines
    blank = text.str.contains(f"^[{re.escape(dialect.delimiter)} \\t]*$")
    odd = ~text.str.contains(_record_shape(dialect)) | blank
    try:
        found = lines.select(odd.any().alias("odd"), pl.len().alias("lines")).collect(
            engine="streaming"
        )
    except (pl.exceptions.PolarsError, OSError):  # undecodable, empty, or not line-shaped
        return False
    # every line, the header included, has the record shape, and Polars saw every line
    return not found["odd"][0] and found["lines"][0] == lines_in_file - dialect.header_row


def _count_lines(path: Path) -> int | None:
    """Lines in the file, or None when one is blank (Polars would skip it) or the file is empty."""
    count = 0
    last = b"\n"
    with open(path, "rb") as handle:
        while block := handle.read(1 << 22):
            if b"\n\n" in block or b"\n\r\n" in block or (last == b"\n" and block[:1] in b"\r\n"):
                return None
            count += block.count(b"\n")
            last = block[-1:]
    if count == 0 and last == b"\n":
        return None
    return count + (0 if last == b"\n" else 1)


def _record_shape(dialect: Dialect) -> str:
    """A pattern matching exactly one record of the dialect's width on one line."""
    delimiter = re.escape(dialect.delimiter)
    if dialect.quote:
        quote = re.escape(dialect.quote)
        field = f"(?:[^{delimiter}{quote}\\n]*|{quote}(?:[^{quote}\\n]|{quote}{quote})*{quote})"
    else:
        field = f"[^{delimiter}\\n]*"
    return f"^{field}(?:{delimiter}{field}){{{len(dialect.names) - 1}}}$"


def plain_counts(dialect: Dialect) -> LoadingCounts:
    """What loading a plain file does with its lines: skips those before the header and the
    header's; every other line is one record."""
    return LoadingCounts(preamble=dialect.header_row, header=1)


def scan_plain(path: Path, dialect: Dialect) -> pl.LazyFrame:
    """The file through Polars' streaming reader, in the record reader's schema (its parse
    columns are empty: in a plain file no record can fail to parse)."""
    schema = schema_of(dialect.names, lines=True)
    frame = pl.scan_csv(
        path,
        has_header=True,
        separator=dialect.delimiter,
        quote_char=dialect.quote,
        skip_lines=dialect.header_row,
        infer_schema=False,
        empty_string_is_null=False,
        new_columns=list(dialect.names),
        row_index_name=ROW,
        encoding="utf8",
    )
    first_line = dialect.header_row + 2
    return frame.with_columns(
        pl.col(ROW).cast(pl.Int64),
        (pl.col(ROW).cast(pl.Int64) + first_line).alias(LINE),
        *[pl.lit(None, dtype=dtype).alias(name) for name, dtype in list(schema.items())[-3:]],
    ).select(named(list(schema)))
