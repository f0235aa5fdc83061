"""Reading files made in tmp_path: the table, and the parse failures apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import polars.selectors as cs

from rowsift.io import read_table
from rowsift.recipe import SourceSpec

PARSE = "_rowsift_parse"


def read(path: Path, **source: Any) -> pl.DataFrame:
    """Every row the reader gives, good and failed."""
    frame = read_table(path, SourceSpec.model_validate(source)).collect().to_native()
    assert isinstance(frame, pl.DataFrame)
    return frame


def detected(path: Path, **source: Any) -> pl.DataFrame:
    """Every row the reader gives with detection on."""
    return read(path, detect=True, **source)


def good(frame: pl.DataFrame) -> list[tuple[Any, ...]]:
    """The good records, as tuples of their named fields."""
    names = [n for n in frame.columns if not n.startswith("_rowsift_")]
    if PARSE not in frame.columns:
        return list(frame.select(cs.by_name(names)).iter_rows())
    return list(frame.filter(pl.col(PARSE).is_null()).select(cs.by_name(names)).iter_rows())


def failed(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The parse failures: line, reason, raw text and fields (none from the plain fast path,
    which only reads files in which no record can fail and so adds no parse columns)."""
    if PARSE not in frame.columns:
        return []
    columns = ["_rowsift_row", "_rowsift_line", PARSE, "_rowsift_raw", "_rowsift_fields"]
    columns = [name for name in columns if name in frame.columns]
    return frame.filter(pl.col(PARSE).is_not_null()).select(columns).to_dicts()
