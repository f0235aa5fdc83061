"""Records to lazy frames: the shape every row-by-row reader gives (text, parse failures)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from rowsift._names import FIELDS, LINE, PARSE, RAW, ROW

BATCH_ROWS = 50_000


@dataclass(frozen=True, slots=True)
class Record:
    """One data record: good (`error` is None) or a parse failure with its raw text."""

    line: int
    fields: Sequence[str | None]
    raw: str
    error: str | None


def schema_of(names: Sequence[str], *, lines: bool) -> dict[str, pl.DataType]:
    """The columns a record reader gives, in order: row, fields as text, line, parse columns."""
    schema: dict[str, pl.DataType] = {ROW: pl.Int64()}
    schema.update({name: pl.String() for name in names})
    if lines:
        schema[LINE] = pl.Int64()
    schema.update({PARSE: pl.String(), RAW: pl.String(), FIELDS: pl.List(pl.String())})
    return schema


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


def scan_batches(
    make: Callable[[int], Iterator[pl.DataFrame]], schema: dict[str, pl.DataType], *, name: str
) -> pl.LazyFrame:
    """A lazy, streaming frame over batches that `make(batch_size)` yields (read on collect)."""
    from polars.io.plugins import register_io_source

    def source(
        with_columns: list[str] | None,
        predicate: pl.Expr | None,
        n_rows: int | None,
        batch_size: int | None,
    ) -> Iterator[pl.DataFrame]:
        left = n_rows
        for batch in make(max(batch_size or 0, BATCH_ROWS)):
            frame = batch if with_columns is None else batch.select(with_columns)
            if predicate is not None:
                frame = frame.filter(predicate)
            if left is not None:
                frame = frame.head(left)
                left -= len(frame)
            yield frame
            if left is not None and left <= 0:
                return

    return register_io_source(source, schema=schema, is_pure=True, explain_name=name)
