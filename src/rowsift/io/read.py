"""Reading a file into a lazy table with row identity; every text field stays text.

`read_table` is the one entry point, so a more forgiving reader can replace it wholesale.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw
import polars as pl

from rowsift._names import LINE, ROW
from rowsift.exceptions import InputError
from rowsift.recipe.model import SourceFormat, SourceSpec

_EXTENSIONS: dict[str, SourceFormat] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
}


def detect_format(path: Path, source: SourceSpec) -> SourceFormat:
    """The recipe's `source.format`, else the one the file extension names."""
    if source.format is not None:
        return source.format
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise InputError(
            f"cannot tell the format of {path.name!r} from its extension",
            file=str(path),
            hint="set source.format in the recipe (csv, tsv, parquet or ndjson)",
        )
    return found


def read_table(path: str | os.PathLike[str], source: SourceSpec) -> nw.LazyFrame[Any]:
    """A lazy table of the file's records with ``_rowsift_row`` (and ``_rowsift_line`` for text)."""
    file = Path(path)
    if not file.is_file():
        raise InputError("file not found", file=str(file), hint="check the input path")
    kind = detect_format(file, source)
    try:
        if kind in ("csv", "tsv"):
            frame = _read_delimited(file, source, "\t" if kind == "tsv" else ",")
        elif kind == "parquet":
            frame = pl.scan_parquet(file, row_index_name=ROW)
        else:
            frame = pl.scan_ndjson(file, row_index_name=ROW, infer_schema_length=None)
        frame = frame.with_columns(pl.col(ROW).cast(pl.Int64))
        frame.collect_schema()
    except InputError:
        raise
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read the file as {kind}: {_first_line(exc)}",
            file=str(file),
            hint="check source.format, source.encoding and source.delimiter in the recipe",
        ) from None
    return nw.from_native(frame)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _read_delimited(file: Path, source: SourceSpec, default_delimiter: str) -> pl.LazyFrame:
    options: dict[str, Any] = {
        "separator": source.delimiter or default_delimiter,
        "quote_char": source.quote,
        "skip_lines": source.header_row,
        "infer_schema": False,
        "empty_string_is_null": False,
        "row_index_name": ROW,
    }
    encoding = source.encoding.lower().replace("_", "-")
    if encoding in ("utf-8", "utf8"):
        frame = pl.scan_csv(file, encoding="utf8", **options)
    else:
        text = file.read_bytes().decode(source.encoding)
        frame = pl.read_csv(io.BytesIO(text.encode("utf-8")), **options).lazy()
    return _with_lines(frame, first_data_line=source.header_row + 2)


def _with_lines(frame: pl.LazyFrame, *, first_data_line: int) -> pl.LazyFrame:
    """Line numbers: a record starts after the line breaks inside the records before it."""
    fields = [name for name in frame.collect_schema().names() if name != ROW]
    breaks = pl.sum_horizontal(
        [pl.col(name).str.count_matches("\n", literal=True).fill_null(0) for name in fields]
    )
    earlier = breaks.cum_sum().shift(1, fill_value=0)
    line = pl.col(ROW).cast(pl.Int64) + first_data_line + earlier
    return frame.with_columns(line.cast(pl.Int64).alias(LINE))
