"""Writing outputs atomically: every file appears complete, or not at all."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import narwhals.stable.v2 as nw

from rowsift._atomic import atomic_path, remove_partials
from rowsift._names import REASONS
from rowsift.io.frames import reasons_as_list

OutputFormat = Literal["parquet", "csv"]


def _to_polars(frame: nw.DataFrame[Any]) -> Any:
    import polars as pl

    native = frame.to_native()
    return native if isinstance(native, pl.DataFrame) else pl.from_arrow(frame.to_arrow())


def write_frame(frame: nw.DataFrame[Any], target: Path, fmt: OutputFormat) -> None:
    """Write one frame as Parquet or RFC 4180 CSV (reasons as a JSON array in CSV)."""
    import polars as pl

    native = _to_polars(reasons_as_list(frame))
    with atomic_path(target) as tmp:
        if fmt == "parquet":
            native.write_parquet(tmp)
        else:
            if REASONS in native.columns:
                encoded = native[REASONS].map_elements(
                    lambda items: json.dumps(list(items)), return_dtype=pl.String
                )
                native = native.with_columns(encoded.alias(REASONS))
            native.write_csv(tmp)


def write_json(data: dict[str, Any], target: Path) -> None:
    """Write a JSON document atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")


def write_outputs(
    clean: nw.DataFrame[Any],
    quarantine: nw.DataFrame[Any],
    out_dir: Path,
    fmt: OutputFormat,
) -> dict[str, Path]:
    """Write ``clean`` and ``quarantine`` into `out_dir`; return their paths."""
    paths = {"clean": out_dir / f"clean.{fmt}", "quarantine": out_dir / f"quarantine.{fmt}"}
    if out_dir.is_dir():
        # summary.json marks a complete set of outputs: it goes first and comes back last
        (out_dir / "summary.json").unlink(missing_ok=True)
        remove_partials(out_dir, [path.name for path in paths.values()] + ["summary.json"])
    write_frame(clean, paths["clean"], fmt)
    write_frame(quarantine, paths["quarantine"], fmt)
    return paths
