"""The fast path for plain delimited text: files Polars can split exactly, checked first.

A file is plain when it is uncompressed UTF-8, has a header and no footer, no escape
character, and every line after the header is exactly one record of the header's width:
fields that are either unquoted (no delimiter, no quote) or quoted with doubled inner quotes and
no line break (so no blank line, no ragged record, no broken quoting). Such a file has one
record per line, and Polars' own streaming CSV reader reads it exactly; the check is one
pass that matches blocks of lines against that shape (a linear-time pattern). Anything
else goes through the record-by-record reader in `delimited`, which never loses a record.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl

from rowsift._names import LINE, ROW
from rowsift.io.records import LoadingCounts, named, schema_of
from rowsift.io.shapes import all_runs, has_spacer, well_formed_pattern
from rowsift.io.sniff import Dialect

_BLOCK_BYTES = 1 << 22
"""How much of the file is matched at a time."""


def is_plain(path: Path, dialect: Dialect) -> bool:
    """Whether `path` can be read exactly by Polars' own reader (see the module docstring).

    The file is read in blocks of whole lines, as many at a time as Polars has threads, and
    each block is matched at once (`rowsift.io.shapes.all_runs`, the blocks in parallel): the
    first group of blocks that is not plain ends the check, so a messy file costs little more
    than its first odd record.
    """
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
    )
    if not eligible:
        return False
    records = well_formed_pattern(dialect, terminator=dialect.line_terminator, line_breaks=False)
    seen = False
    for blocks in _groups(_line_blocks(path, dialect.header_row), pl.thread_pool_size()):
        seen = True
        if any(has_spacer(block, dialect) for block in blocks):
            return False
        if not all_runs(blocks, records, dialect.line_terminator):
            return False  # a record that is not plain, or bytes that are not UTF-8
    return seen


def _groups(blocks: Iterator[bytes], size: int) -> Iterator[list[bytes]]:
    """The blocks, `size` at a time (the last group may be smaller): one for each of Polars'
    threads, matched together."""
    group: list[bytes] = []
    for block in blocks:
        group.append(block)
        if len(group) >= max(size, 1):
            yield group
            group = []
    if group:
        yield group


def _line_blocks(path: Path, skip: int) -> Iterator[bytes]:
    """The file's bytes after its first `skip` lines, in blocks of whole lines."""
    with open(path, "rb") as handle:
        for _ in range(skip):
            handle.readline()
        rest = b""
        while True:
            data = handle.read(_BLOCK_BYTES)
            if not data:
                break
            data = rest + data
            cut = data.rfind(b"\n") + 1
            if not cut:
                rest = data
                continue
            rest = data[cut:]
            yield data[:cut]
        if rest:
            yield rest


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
