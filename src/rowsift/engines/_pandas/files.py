"""pandas' own CSV and Parquet readers; outputs written through Polars' writer, which tells an
empty text (``""``) from a null in CSV as every engine does."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd
import polars as pl
import pyarrow as pa

from rowsift._names import FIELDS, PARSE, RAW
from rowsift.engines._polars.files import write_frame
from rowsift.engines.outputs import one_after_another
from rowsift.engines.protocol import DelimitedLayout, OutputFormat, Totals

OWN_READERS = True


def read_options(layout: DelimitedLayout) -> dict[str, Any]:
    """`read_csv` options for pandas and Dask: every field as text, as the file has it."""
    return {
        "sep": layout.delimiter,
        "quotechar": layout.quote or '"',
        "quoting": csv.QUOTE_MINIMAL if layout.quote else csv.QUOTE_NONE,
        "encoding": "utf-8-sig" if layout.encoding.lower().startswith("utf") else layout.encoding,
        "skiprows": layout.header_row + 1,
        "header": None,
        "names": list(layout.names),
        "dtype": pd.ArrowDtype(pa.string()),
        "keep_default_na": False,
        "na_filter": False,
    }


def with_parse_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The reader's parse columns, all null: no record of a plain file fails to parse."""

    def nulls(kind: pa.DataType) -> pd.Series[Any]:
        return pd.Series([None] * len(frame), index=frame.index, dtype=pd.ArrowDtype(kind))

    return frame.assign(
        **{PARSE: nulls(pa.string()), RAW: nulls(pa.string()), FIELDS: nulls(pa.list_(pa.string()))}
    )


def read_plain(path: Path, layout: DelimitedLayout) -> pd.DataFrame:
    """pandas' `read_csv`, every field as text."""
    return with_parse_columns(pd.read_csv(path, **read_options(layout)))


def read_parquet(path: Path) -> pd.DataFrame:
    """The Parquet file, Arrow-backed: a NaN stays a value (NumPy floats read it as missing)
    and a null a null, as on every engine; pandas' own index columns (a file pandas wrote
    from a frame with an index) are columns, as the other engines read them."""
    import pyarrow.parquet as pq

    frame: pd.DataFrame = pq.read_table(path).to_pandas(
        types_mapper=pd.ArrowDtype, ignore_metadata=True
    )
    return frame


def adopt(table: pl.LazyFrame) -> Any:
    """rowsift's reader's table, collected, as an Arrow-backed pandas frame."""
    return table.collect().to_arrow().to_pandas(types_mapper=pd.ArrowDtype)


def write(frame: pd.DataFrame, target: Path, fmt: OutputFormat) -> None:
    """One output, through Polars' writer (a filtered frame's index is not written)."""
    native = nw.from_native(frame.reset_index(drop=True), eager_only=True)
    write_frame(pl.from_arrow(native.to_arrow()), target, fmt)  # type: ignore[arg-type]


def write_outputs(
    outputs: Mapping[str, nw.LazyFrame[Any]],
    totals: nw.LazyFrame[Any],
    paths: Mapping[str, Path],
    fmt: OutputFormat,
) -> Totals:
    """Totals, counts and writes one after another (each reads frames computed already)."""
    return one_after_another(outputs, totals, paths, fmt, write)
