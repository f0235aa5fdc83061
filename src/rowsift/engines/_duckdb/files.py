"""DuckDB's own CSV and Parquet readers and writers, on rowsift's own connection."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import narwhals.stable.v2 as nw

from rowsift._atomic import atomic_path
from rowsift._names import FIELDS, LIST_COLUMNS, PARSE, RAW
from rowsift.engines import sql
from rowsift.engines._duckdb.connection import connection
from rowsift.engines.outputs import one_after_another
from rowsift.engines.paths import glob_escaped
from rowsift.engines.protocol import DelimitedLayout, OutputFormat, Totals
from rowsift.exceptions import UsageError

OWN_READERS = True


def read_plain(path: Path, layout: DelimitedLayout) -> Any:
    """DuckDB's `read_csv` with the dialect given (its own sniffing fails on a file of no
    records), every field as text; an empty field is an empty text, as in the file."""
    relation = connection().read_csv(
        glob_escaped(path),
        auto_detect=False,
        header=False,
        columns=dict.fromkeys(layout.names, "VARCHAR"),
        sep=layout.delimiter,
        quotechar=layout.quote or "",
        escapechar=layout.quote or "",
        skiprows=layout.header_row + 1,
        encoding="utf-8",
    )
    # DuckDB reads an empty field as null, which a delimited file cannot hold
    texts = [
        duckdb.CoalesceOperator(duckdb.ColumnExpression(name), duckdb.ConstantExpression("")).alias(
            name
        )
        for name in relation.columns
    ]
    nulls = {PARSE: "VARCHAR", RAW: "VARCHAR", FIELDS: "VARCHAR[]"}
    parse = [duckdb.SQLExpression(f"NULL::{kind} AS {name}") for name, kind in nulls.items()]
    return relation.select(*texts, *parse)


def read_parquet(path: Path) -> Any:
    """DuckDB's `read_parquet`; a file whose column names differ only in case is refused:
    DuckDB's names are not case-sensitive, and it would rename one (``NAME`` to ``NAME_1``)."""
    import pyarrow.parquet as pq

    relation = connection().read_parquet(glob_escaped(path))
    names = pq.read_schema(path).names
    if list(relation.columns) == names:
        return relation
    seen: dict[str, str] = {}
    pairs = []
    for name in names:
        if name.casefold() in seen:
            pairs.append(f"{_short(seen[name.casefold()])} and {_short(name)}")
        seen.setdefault(name.casefold(), name)
    raise UsageError(
        "the DuckDB engine cannot hold columns whose names differ only in case: "
        + "; ".join(pairs[:3]),
        hint="run it with --engine polars (or pandas), or rename the columns",
    )


def _short(name: str) -> str:
    return repr(name if len(name) <= 60 else f"{name[:60]}…")


def adopt(table: Any) -> Any:
    """rowsift's reader's table, collected, as a relation of rowsift's connection."""
    return connection().from_arrow(table.collect().to_arrow())


def write(relation: Any, target: Path, fmt: OutputFormat) -> None:
    """One output in one file, lists as JSON text in CSV, as every engine writes them."""
    if fmt == "csv":
        relation = relation.select(
            *[
                duckdb.SQLExpression(f"to_json({name})::VARCHAR AS {name}")
                if name in LIST_COLUMNS
                else duckdb.ColumnExpression(name)
                for name in relation.columns
            ]
        )
    with atomic_path(target, over_parts=True) as tmp:
        if fmt == "parquet":
            relation.write_parquet(str(tmp))
        else:
            relation.write_csv(
                str(tmp), header=True, timestamp_format=sql.CSV_TIMESTAMP["strftime"]
            )


def write_outputs(
    outputs: Mapping[str, nw.LazyFrame[Any]],
    totals: nw.LazyFrame[Any],
    paths: Mapping[str, Path],
    fmt: OutputFormat,
) -> Totals:
    """Totals, counts and writes one after another, each reading the held judged rows."""
    return one_after_another(outputs, totals, paths, fmt, write)
