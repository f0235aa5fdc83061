"""`rowsift run --audit-repairs`: the clean output (CSV: lists as compact JSON) keeps the values as
read next to the repaired ones; without the option the outputs are those of a plain run."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from tests.cli.conftest import Outcome

RECIPE = """\
version: 1
columns:
  id: {type: int, rules: [not_null]}
  city: {transforms: [strip, {map: {NYC: New York}}]}
"""
INPUT = 'id,city\n1,NYC\n2," Paris"\n3,Rome\n,NYC\n4,"=1+2 "\n'


def _run(cli: Callable[..., Outcome], tmp_path: Path, *options: str) -> Path:
    (tmp_path / "in.csv").write_text(INPUT, encoding="utf-8")
    (tmp_path / "recipe.yaml").write_text(RECIPE, encoding="utf-8")
    out = tmp_path / ("audit" if "--audit-repairs" in options else "plain")
    outcome = cli(
        "run", str(tmp_path / "recipe.yaml"), str(tmp_path / "in.csv"), "--out", str(out), "-q",
        *options,
    )  # fmt: skip
    assert outcome.code == 0, outcome.stderr
    return out


@pytest.mark.parametrize("engine", ["polars", "duckdb", "spark"])
def test_csv_audit_lists_changed_columns_and_values_as_read(
    engine: str, cli: Callable[..., Outcome], tmp_path: Path
) -> None:
    options = ("--output-format", "csv", "--engine", engine)
    out = _run(cli, tmp_path, *options, "--audit-repairs")
    header, *records = _csv_rows(out / "clean.csv")
    rows = [dict(zip(header, record, strict=True)) for record in records]
    audit = [(row["city"], row["_rowsift_repaired"], row["_rowsift_read_city"]) for row in rows]
    assert audit == [
        ("New York", '["city"]', "NYC"),
        ("Paris", '["city"]', " Paris"),
        ("Rome", "", ""),
        ("'=1+2", '["city"]', "'=1+2 "),  # the formula guard covers the audit too
    ]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["repairs"]["columns"]["city"] == {"strip": 2, "map": 2}
    assert summary["repairs"]["audited"] is True
    if engine == "spark":  # its own CSV writer is what this case is for; a second run is slow
        return
    plain = _run(cli, tmp_path, *options)
    assert json.loads((plain / "summary.json").read_text())["repairs"]["audited"] is False
    kept = [n for n, name in enumerate(header) if not name.startswith("_rowsift_re")]
    assert _csv_rows(plain / "clean.csv") == [[row[n] for n in kept] for row in [header, *records]]


def _csv_rows(path: Path) -> list[list[str]]:
    """The header and records of a CSV output: one file, or a folder of parts (Spark, Dask)."""
    parts = sorted(path.glob("part-*")) if path.is_dir() else [path]
    rows: list[list[str]] = []
    for part in parts:
        with part.open(newline="", encoding="utf-8") as handle:
            read = list(csv.reader(handle))
        rows.extend(read if not rows else read[1:])
    return rows


def test_parquet_audit_is_a_list_column(cli: Callable[..., Outcome], tmp_path: Path) -> None:
    out = _run(cli, tmp_path, "--audit-repairs")
    clean = pl.read_parquet(out / "clean.parquet")
    assert clean.schema["_rowsift_repaired"] == pl.List(pl.String)
    assert clean["_rowsift_repaired"].to_list() == [["city"], ["city"], None, ["city"]]
    assert clean["_rowsift_read_city"].to_list() == ["NYC", " Paris", None, "=1+2 "]
