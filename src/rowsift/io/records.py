"""Records to lazy frames: the shape every row-by-row reader gives (text, parse failures)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import polars as pl
import polars.selectors as cs

from rowsift._names import FIELDS, LINE, PARSE, RAW, ROW
from rowsift.engines._polars.io_source import BATCH_ROWS, scan_batches

__all__ = [
    "BATCH_ROWS",
    "LoadingCounts",
    "Record",
    "named",
    "record_batches",
    "scan_batches",
    "schema_of",
]


@dataclass(frozen=True, slots=True)
class Record:
    """One data record: good (`error` is None) or a parse failure with its raw text."""

    line: int
    fields: Sequence[str | None]
    raw: str
    error: str | None


@dataclass(slots=True)
class LoadingCounts:
    """What loading did with a text file's physical lines besides reading one record from each.

    Every line is counted once: ``preamble + header + blank + comment + merged + footer`` plus
    the rows read (each counts its first line) is the file's line count; ``quarantined`` of
    the rows could not be split (``row.parse``).
    """

    preamble: int = 0
    """Lines before the header, skipped (``source.header_row``)."""
    header: int = 0
    """Lines of the header (and blank lines between its rows)."""
    blank: int = 0
    """Blank lines that are not records (every table but a one-column one)."""
    merged: int = 0
    """Lines joined to the record that began on an earlier line (quoted line breaks)."""
    footer: int = 0
    """Lines after the last record that were left out (``source.footer_rows``)."""
    comment: int = 0
    """Lines below the header that are comments (``source.comment``), skipped."""
    quarantined: int = 0
    """Records that could not be split into the header's fields (``row.parse``)."""
    joined: int = 0
    """Records read back to the header's width: extra fields joined into the one column that
    can hold them, a missing delimiter put back, an empty field too many dropped, or quotes
    inside fields that are not quoted read as text (kept, flagged ``row.joined``;
    `rowsift.io.joining`)."""
    record_lines: int | None = None
    """The lines after the header, when they were counted before the records were (a plain
    file with quoted line breaks, read by Polars): `settle` then finds ``merged``."""

    def settle(self, rows: int) -> LoadingCounts:
        """The counts once `rows` records have been read: lines not one of their first lines
        were merged into them."""
        if self.record_lines is None:
            return self
        return replace(self, merged=self.record_lines - rows, record_lines=None)

    def to_dict(self) -> dict[str, int]:
        """Plain data for summary.json: ``lines_skipped`` (preamble, header, blank, comment,
        footer), ``lines_merged``, ``records_quarantined``, ``records_joined``, and the parts."""
        counts = asdict(self)
        del counts["record_lines"]
        skipped = self.preamble + self.header + self.blank + self.comment + self.footer
        return {
            "lines_skipped": skipped,
            "lines_merged": self.merged,
            "records_quarantined": self.quarantined,
            "records_joined": self.joined,
            **counts,
        }


def schema_of(names: Sequence[str], *, lines: bool) -> dict[str, pl.DataType]:
    """The columns a record reader gives, in order: row, fields as text, line, parse columns."""
    schema: dict[str, pl.DataType] = {ROW: pl.Int64()}
    schema.update({name: pl.String() for name in names})
    if lines:
        schema[LINE] = pl.Int64()
    schema.update({PARSE: pl.String(), RAW: pl.String(), FIELDS: pl.List(pl.String())})
    return schema


def named(names: Sequence[str]) -> cs.Selector:
    """The columns of these names, in this order, taken literally: `pl.col` would read a
    column named ``*`` as every column and ``^…$`` as a pattern."""
    return cs.by_name(*names, require_all=True)


def record_batches(
    records: Iterator[Record], names: Sequence[str], *, lines: bool, size: int = BATCH_ROWS
) -> Iterator[pl.DataFrame]:
    """Records as frames of at most `size` rows, numbered from 0 in order."""
    schema = schema_of(names, lines=lines)
    width = len(names)
    empty: list[str | None] = [None] * width
    row = 0
    values: list[Sequence[str | None]] = []
    line_numbers: list[int] = []
    parse: list[str | None] = []
    raw: list[str | None] = []
    split: list[Sequence[str | None] | None] = []

    def frame() -> pl.DataFrame:
        columns = list(zip(*values, strict=True)) if values else [() for _ in range(width)]
        data: dict[str, Any] = {ROW: range(row - len(values), row)}
        data.update({name: columns[i] for i, name in enumerate(names)})
        if lines:
            data[LINE] = line_numbers
        data.update({PARSE: parse, RAW: raw, FIELDS: split})
        return pl.DataFrame(data, schema=schema)

    for record in records:
        if record.error is None:
            values.append(record.fields)
            parse.append(None)
            raw.append(None)
            split.append(None)
        else:
            values.append(empty)
            parse.append(record.error)
            raw.append(record.raw)
            split.append(record.fields)
        line_numbers.append(record.line)
        row += 1
        if len(values) >= size:
            yield frame()
            values, line_numbers, parse, raw, split = [], [], [], [], []
    if values or row == 0:
        yield frame()
