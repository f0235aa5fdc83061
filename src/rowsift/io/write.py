"""Outputs: their paths, summary.json written atomically, and written outputs read back.

The outputs themselves are written by each engine's writer (`rowsift.io.engine_files`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rowsift._atomic import atomic_path, remove_partials
from rowsift.engines.protocol import OutputFormat

__all__ = ["OutputFormat", "cast_text", "prepare_outputs", "scan_written", "write_json"]


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

    # the parts Spark or Dask wrote, listed here: Polars would read `[`, `*` and `?` in the
    # folder's own name as a pattern
    source = sorted(target.rglob(f"*.{fmt}")) if target.is_dir() else target
    if fmt == "parquet":
        return pl.scan_parquet(source, glob=False)
    import polars.selectors as cs

    frame = pl.scan_csv(source, infer_schema=False, glob=False)
    names = frame.collect_schema().names()
    return frame.with_columns(
        # by name, literally: `pl.col` reads a column named ``*`` or ``^…$`` as a pattern
        cast_text(cs.by_name(name).as_expr(), getattr(pl, _POLARS_TYPES[kind]))
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
