"""Polars' files: rowsift's own readers are Polars already, and outputs stream into files.

Lists (reasons, the fields of a record that could not be parsed) are written to CSV as the
text of a compact JSON array, as every engine writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw
import polars as pl

from rowsift._atomic import atomic_path
from rowsift._names import FIELDS, LINE, LIST_COLUMNS, RAW
from rowsift.engines.protocol import DelimitedLayout, OutputFormat, Totals

OWN_READERS = False
"""rowsift's own reader reads every file for Polars: its fast path is Polars' own reader."""


def read_plain(path: Path, layout: DelimitedLayout) -> None:
    """Not asked (`OWN_READERS`)."""
    return


def read_parquet(path: Path) -> None:
    """Not asked (`OWN_READERS`)."""
    return


def adopt(table: Any) -> Any:
    """rowsift's reader gives Polars frames."""
    return table


def json_text(items: pl.Expr) -> pl.Expr:
    """A list-of-text expression as the text of a compact JSON array (null stays null), as
    every engine writes a list column to CSV: ``["a","b"]``."""
    element = pl.element()
    for plain, escaped in (
        ("\\", "\\\\"),
        ('"', '\\"'),
        ("\n", "\\n"),
        ("\r", "\\r"),
        ("\t", "\\t"),
    ):
        element = element.str.replace_all(plain, escaped, literal=True)
    joined = items.list.eval(element).list.join('","')
    empty = items.list.len() == 0
    return (
        pl.when(empty)
        .then(pl.lit("[]"))
        .otherwise(pl.concat_str([pl.lit('["'), joined, pl.lit('"]')]))
    )


def _for_format(frame: Any, fmt: OutputFormat) -> Any:
    """An eager or lazy Polars frame as written: list columns as JSON text in CSV."""
    if fmt == "parquet":
        return frame
    names = frame.collect_schema().names()
    lists = [name for name in LIST_COLUMNS if name in names]
    return frame.with_columns(json_text(pl.col(name)).alias(name) for name in lists)


def _with_parse_columns(quarantine: pl.LazyFrame) -> pl.LazyFrame:
    """The quarantine of a text source always has ``_rowsift_raw`` and ``_rowsift_fields``,
    empty when the reader found nothing it could not parse."""
    names = quarantine.collect_schema().names()
    if LINE not in names:
        return quarantine
    missing = {RAW: pl.String(), FIELDS: pl.List(pl.String())}
    return quarantine.with_columns(
        [
            pl.lit(None, dtype=dtype).alias(name)
            for name, dtype in missing.items()
            if name not in names
        ]
    )


def write_frame(frame: pl.DataFrame, target: Path, fmt: OutputFormat) -> None:
    """Write one eager frame as Parquet or RFC 4180 CSV, atomically."""
    written = _for_format(frame, fmt)
    with atomic_path(target, over_parts=True) as tmp:
        if fmt == "parquet":
            written.write_parquet(tmp)
        else:
            written.write_csv(tmp)


def write_outputs(
    outputs: Mapping[str, nw.LazyFrame[Any]],
    totals: nw.LazyFrame[Any],
    paths: Mapping[str, Path],
    fmt: OutputFormat,
) -> Totals:
    """Both outputs streamed into their files and the totals computed, in one pass.

    The rows of each output are counted in the written file.
    """
    clean = _for_format(outputs["clean"].to_native(), fmt)
    quarantine = _for_format(_with_parse_columns(outputs["quarantine"].to_native()), fmt)
    with (
        atomic_path(paths["clean"], over_parts=True) as clean_tmp,
        atomic_path(paths["quarantine"], over_parts=True) as q_tmp,
    ):
        if fmt == "parquet":
            sinks = [
                clean.sink_parquet(clean_tmp, lazy=True),
                quarantine.sink_parquet(q_tmp, lazy=True),
            ]
        else:
            sinks = [clean.sink_csv(clean_tmp, lazy=True), quarantine.sink_csv(q_tmp, lazy=True)]
        *_, row = pl.collect_all([*sinks, totals.to_native()], engine="streaming")
    return (
        row.row(0, named=True),
        _count_rows(paths["clean"], fmt),
        _count_rows(paths["quarantine"], fmt),
    )


def _count_rows(path: Path, fmt: OutputFormat) -> int:
    scan = (
        pl.scan_parquet(path, glob=False)
        if fmt == "parquet"
        else pl.scan_csv(path, infer_schema=False, glob=False)
    )
    return int(scan.select(pl.len()).collect().item())
