"""Plain files but for a few damaged records: Polars reads the rest, the record reader those.

The plain-file check (`rowsift.io.plain`) steps over a record that Polars' reader would refuse
or misread (a field too many or too few, a stray quote) as the record-by-record reader does
(`rowsift.io.well_formed.step_through`, which reads the damaged record with that reader from
the block's bytes). When such records are few, Polars reads a copy of the file without them
(`copy_without`, written by the kernel where it can, in the temporary folder:
`rowsift.io.copies`), and they are put back in their places by their lines
(`with_damaged`): every row's number and line, the parse failures and the loading counts are
the record reader's.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import polars as pl

from rowsift._names import LINE, ROW
from rowsift.io.copies import temporary_copy
from rowsift.io.records import LoadingCounts, named, record_batches, schema_of
from rowsift.io.shapes import has_spacer
from rowsift.io.sniff import Dialect

if TYPE_CHECKING:
    from rowsift.io.well_formed import Damage

MOST_DAMAGED = 10_000
"""The most damaged records a file is read so with (they are held in memory); a file with more
is read record by record."""
MOST_DAMAGED_BYTES = 1 << 26
"""The most bytes its damaged records may hold in all."""
LINES_PER_DAMAGED = 5_000
"""Past a few (`FEW_DAMAGED`), at least this many lines for each damaged record: stepping over
one costs about what reading a few thousand lines does, so where they are denser the record
reader reads the file sooner."""
FEW_DAMAGED = 64
"""Damaged records read apart wherever they stand in a file, however few its lines."""
_COPY_BYTES = 1 << 22
"""How much of the file is copied at a time where the kernel does not copy it."""


@dataclass(frozen=True, slots=True)
class BlockDamage:
    """What stepping through a block found: its damaged records, and how much of it was taken
    (all of it, unless a record at its end may go on past it: the rest is read with the next
    block)."""

    records: list[Damage]
    """Its damaged records, their lines and bytes' spans the file's."""
    taken: int
    """Bytes of the block taken."""
    lines: int
    """Lines of the block taken."""


def block_damage(
    data: bytes, offset: int, first: int, dialect: Dialect, *, header: bool
) -> BlockDamage | None:
    """The damaged records of `data`, whole records of a file from `offset` in it and from
    line `first` on (the `header` first, when told), as the record reader reads them; None
    when Polars would read the rest otherwise
    than the record reader: a lone carriage return, bytes that are not UTF-8, a blank line, a
    record of delimiters alone, a damaged header."""
    from rowsift.io.delimited import TableSoFar, damaged_record
    from rowsift.io.well_formed import step_through

    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None
    step = damaged_record(first, dialect, TableSoFar(dialect))
    try:
        damage, taken, lines = step_through(data, dialect, step)
    except pl.exceptions.ComputeError:  # not UTF-8
        return None
    if data[taken : taken + 1] in (b"\n", b"\r") or (header and damage and damage[0].start == 0):
        return None  # a blank line; a damaged header
    if _spaced(data, taken, damage, dialect):
        return None  # a blank record (",,,"), which Polars would read as empty values
    records = [
        found._replace(
            record=replace(found.record, line=found.record.line + first),
            start=offset + found.start,
            end=offset + found.end,
        )
        for found in damage
    ]
    return BlockDamage(records, taken, lines)


def _spaced(data: bytes, taken: int, damage: list[Damage], dialect: Dialect) -> bool:
    """Whether a well-formed record of the first `taken` bytes of `data` (less the `damage`)
    is a line of delimiters alone (`has_spacer`; looked for exactly only where such a line
    stands)."""
    spacer = (dialect.delimiter * (len(dialect.names) - 1)).encode()
    if not data.startswith(spacer) and data.find(b"\n" + spacer, 0, taken) < 0:
        return False
    kept, at = [], 0
    for found in damage:
        kept.append(data[at : found.start])
        at = found.end
    kept.append(data[at:taken])
    return has_spacer(b"".join(kept), dialect)


def too_much(damaged: Sequence[Damage], lines: int) -> bool:
    """Whether `damaged` records found in `lines` lines are too many to read them apart."""
    held = sum(record.end - record.start for record in damaged)
    dense = len(damaged) > FEW_DAMAGED + lines // LINES_PER_DAMAGED
    return dense or len(damaged) > MOST_DAMAGED or held > MOST_DAMAGED_BYTES


def copy_without(
    path: Path, damaged: Sequence[Damage], hold: ExitStack, *, end: int | None = None
) -> Path | None:
    """A copy of `path` without its `damaged` records' bytes (and what follows `end`, when
    told), removed when `hold` closes; None when it cannot be written."""
    try:
        with open(path, "rb") as source, temporary_copy(hold) as (target, copy):
            at = 0
            for record in damaged:
                _copy_span(source, target, at, record.start)
                at = record.end
            last = os.fstat(source.fileno()).st_size if end is None else end
            _copy_span(source, target, at, last)
    except OSError:
        return None
    return copy


def _copy_span(source: BinaryIO, target: BinaryIO, start: int, end: int) -> None:
    """Append the bytes of `source` from `start` to `end` to `target` (by the kernel where it
    can: `os.copy_file_range`)."""
    target.flush()
    while start < end:
        try:
            done = os.copy_file_range(source.fileno(), target.fileno(), end - start, start)
        except OSError:  # another file system, or a kernel without it
            done = 0
        if not done:
            break
        start += done
    source.seek(start)
    while start < end and (data := source.read(min(_COPY_BYTES, end - start))):
        target.write(data)
        start += len(data)


def damaged_rows(
    dialect: Dialect, damaged: Sequence[Damage], counts: LoadingCounts
) -> pl.DataFrame:
    """The damaged records as the record reader's rows (numbered later), those that read back
    to the header's width made good as it makes them, counted in `counts`."""
    from rowsift.io.delimited import read_back

    (frame,) = record_batches(
        iter([found.record for found in damaged]),
        dialect.names,
        lines=True,
        size=len(damaged) + 1,
    )
    return read_back(frame, dialect, counts)


def with_damaged(
    copy_rows: pl.LazyFrame, dialect: Dialect, damaged: Sequence[Damage], rows: pl.DataFrame
) -> pl.LazyFrame:
    """The rows Polars read from the copy without the damaged records (numbered and lined in
    the copy) with those records' `rows` put back in their places: each row's line moved down
    by the damaged records' lines above it, every row numbered again in the file's order."""
    schema = schema_of(dialect.names, lines=True)
    # where each damaged record was cut out: its line in the copy
    cut_lines = [0, *accumulate(found.lines for found in damaged)]
    cut_at = [found.record.line - above for found, above in zip(damaged, cut_lines, strict=False)]
    above = pl.lit(pl.Series(cut_at, dtype=pl.Int64)).search_sorted(pl.col(LINE), side="right")
    moved = pl.lit(pl.Series(cut_lines, dtype=pl.Int64)).gather(above)
    good = copy_rows.with_columns(pl.col(LINE) + moved)
    merged = good.merge_sorted(rows.lazy().select(named(list(schema))), key=LINE)
    return (
        merged.drop(ROW)
        .with_row_index(ROW)
        .with_columns(pl.col(ROW).cast(pl.Int64))
        .select(named(list(schema)))
    )
