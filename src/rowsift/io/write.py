"""Writing outputs atomically: every file appears complete, or not at all."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import narwhals.stable.v2 as nw

from rowsift._atomic import atomic_path, remove_partials
from rowsift._names import FIELDS, LINE, RAW, REASON_SEPARATOR, REASONS
from rowsift.io.formulas import FormulaPolicy, neutralised
from rowsift.io.frames import reasons_as_list

OutputFormat = Literal["parquet", "csv"]


def _to_polars(frame: nw.DataFrame[Any]) -> Any:
    import polars as pl

    native = frame.to_native()
    return native if isinstance(native, pl.DataFrame) else pl.from_arrow(frame.to_arrow())


def write_frame(
    frame: nw.DataFrame[Any],
    target: Path,
    fmt: OutputFormat,
    *,
    formulas: FormulaPolicy = "escape",
) -> None:
    """Write one frame as Parquet or RFC 4180 CSV (reasons as a JSON array in CSV; text that
    a spreadsheet would run as a formula neutralised unless `formulas` is ``"keep"``)."""
    import polars as pl

    native = _to_polars(reasons_as_list(frame))
    with atomic_path(target) as tmp:
        if fmt == "parquet":
            native.write_parquet(tmp)
        else:
            lists = [name for name in (REASONS, FIELDS) if name in native.columns]
            native = native.with_columns(json_text(pl.col(name)).alias(name) for name in lists)
            neutralised(nw.from_native(native, eager_only=True), formulas).to_native().write_csv(
                tmp
            )


def _reasons_for(fmt: OutputFormat) -> Any:
    """The reasons column as a list (Parquet) or as a JSON array in text (CSV), as an expression."""
    import polars as pl

    text = pl.col(REASONS)
    if fmt == "parquet":
        return text.str.split(REASON_SEPARATOR)
    escaped = text.str.replace_all("\\", "\\\\", literal=True).str.replace_all(
        '"', '\\"', literal=True
    )
    joined = escaped.str.replace_all(REASON_SEPARATOR, '","', literal=True)
    return pl.concat_str([pl.lit('["'), joined, pl.lit('"]')])


def with_parse_columns(quarantine: Any) -> Any:
    """The quarantine of a text source always has ``_rowsift_raw`` and ``_rowsift_fields``,
    empty when the reader found nothing it could not parse."""
    import polars as pl

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


def json_text(items: Any) -> Any:
    """A list-of-text expression as the text of a compact JSON array (null stays null), as
    every engine writes a list column to CSV: ``["a","b"]``."""
    import polars as pl

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


def _count_rows(path: Path, fmt: OutputFormat) -> int:
    import polars as pl

    scan = pl.scan_parquet(path) if fmt == "parquet" else pl.scan_csv(path, infer_schema=False)
    return int(scan.select(pl.len()).collect().item())


def stream_outputs(
    clean: nw.LazyFrame[Any],
    quarantine: nw.LazyFrame[Any],
    totals: nw.LazyFrame[Any],
    out_dir: Path,
    fmt: OutputFormat,
    *,
    formulas: FormulaPolicy = "escape",
) -> tuple[dict[str, Any], int, int]:
    """Evaluate the three lazy results in one streaming pass, writing clean and quarantine.

    Returns the totals row and the numbers of rows counted in the two written files.
    """
    paths = prepare_outputs(out_dir, fmt)
    if clean.implementation is not nw.Implementation.POLARS:
        clean_df, quarantine_df, totals_df = (f.collect() for f in (clean, quarantine, totals))
        write_outputs(clean_df, quarantine_df, out_dir, fmt, formulas=formulas)
        return totals_df.rows(named=True)[0], len(clean_df), len(quarantine_df)
    import polars as pl

    clean_native = clean.to_native()
    quarantine_native = quarantine.to_native().with_columns(_reasons_for(fmt).alias(REASONS))
    quarantine_native = with_parse_columns(quarantine_native)
    if fmt == "csv" and FIELDS in quarantine_native.collect_schema().names():
        quarantine_native = quarantine_native.with_columns(json_text(pl.col(FIELDS)).alias(FIELDS))
    if fmt == "csv":
        clean_native = neutralised(nw.from_native(clean_native), formulas).to_native()
        quarantine_native = neutralised(nw.from_native(quarantine_native), formulas).to_native()
    with atomic_path(paths["clean"]) as clean_tmp, atomic_path(paths["quarantine"]) as q_tmp:
        if fmt == "parquet":
            sinks = [
                clean_native.sink_parquet(clean_tmp, lazy=True),
                quarantine_native.sink_parquet(q_tmp, lazy=True),
            ]
        else:
            sinks = [
                clean_native.sink_csv(clean_tmp, lazy=True),
                quarantine_native.sink_csv(q_tmp, lazy=True),
            ]
        *_, totals_native = pl.collect_all([*sinks, totals.to_native()], engine="streaming")
    return (
        totals_native.row(0, named=True),
        _count_rows(paths["clean"], fmt),
        _count_rows(paths["quarantine"], fmt),
    )


def prepare_outputs(out_dir: Path, fmt: OutputFormat) -> dict[str, Path]:
    """The two output paths; a previous summary.json and leftover partial files are removed."""
    paths = {"clean": out_dir / f"clean.{fmt}", "quarantine": out_dir / f"quarantine.{fmt}"}
    if out_dir.is_dir():
        # summary.json marks a complete set of outputs: it goes first and comes back last
        (out_dir / "summary.json").unlink(missing_ok=True)
        remove_partials(out_dir, [path.name for path in paths.values()] + ["summary.json"])
    return paths


def write_json(data: dict[str, Any], target: Path) -> None:
    """Write a JSON document atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")


def write_outputs(
    clean: nw.DataFrame[Any],
    quarantine: nw.DataFrame[Any],
    out_dir: Path,
    fmt: OutputFormat,
    *,
    formulas: FormulaPolicy = "escape",
) -> dict[str, Path]:
    """Write ``clean`` and ``quarantine`` into `out_dir`; return their paths."""
    paths = prepare_outputs(out_dir, fmt)
    write_frame(clean, paths["clean"], fmt, formulas=formulas)
    write_frame(quarantine, paths["quarantine"], fmt, formulas=formulas)
    return paths


_POLARS_TYPES = {
    "int": "Int64",
    "float": "Float64",
    "bool": "Boolean",
    "date": "Date",
    "datetime": "Datetime",
    "decimal": "Float64",
}


def scan_written(target: Path, fmt: OutputFormat, types: Mapping[str, str]) -> Any:
    """A Polars LazyFrame over an output rowsift wrote (a file, or a folder of parts).

    Parquet keeps its types; CSV is read as text and cast to the recipe's column `types`
    (values that do not cast become null), so both formats give the same typed columns.
    """
    import polars as pl

    if fmt == "parquet":
        return pl.scan_parquet(target / "**" / "*.parquet" if target.is_dir() else target)
    source = target / "**" / "*.csv" if target.is_dir() else target
    frame = pl.scan_csv(source, infer_schema=False)
    names = frame.collect_schema().names()
    return frame.with_columns(
        cast_text(pl.col(name), getattr(pl, _POLARS_TYPES[kind]))
        for name, kind in types.items()
        if name in names and kind != "string"
    )


def cast_text(text: Any, dtype: Any) -> Any:
    """A Polars text expression cast leniently to `dtype`: what does not fit becomes null."""
    import polars as pl

    if dtype == pl.Date:
        return text.str.to_date(strict=False)
    if dtype == pl.Datetime:
        return text.str.to_datetime(strict=False)
    if dtype == pl.Boolean:
        return text.str.to_lowercase().replace_strict(
            {"true": True, "false": False}, default=None, return_dtype=pl.Boolean
        )
    return text.cast(dtype, strict=False)
