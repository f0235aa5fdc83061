"""Runs whose names and values are hostile, recorded in a metric store."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import yaml
from report_payloads import PAYLOADS

import rowsift
from rowsift.monitor.config import Monitoring


@dataclass(frozen=True)
class HostileRun:
    out: Path
    store: str
    dataset: str
    recipe: Path


def hostile_recipe(name: str) -> dict[str, object]:
    """A recipe whose name, column names and therefore rule ids carry the payloads."""
    columns: dict[str, object] = {
        payload: {"rules": ["not_null", {"in_set": ["ok", "fine"]}]} for payload in PAYLOADS
    }
    columns["amount"] = {"type": "float", "rules": [{"between": {"min": 0}}]}
    return {"version": 1, "name": name, "columns": columns}


def hostile_batch(path: Path, *, rows: int, seed: int, shifted: bool) -> Path:
    """Values that are payloads too; a shifted batch brings new categories and larger amounts."""
    data: dict[str, list[str | None]] = {}
    for k, payload in enumerate(PAYLOADS):
        values: list[str | None] = []
        for i in range(rows):
            pick = (i * (k + 3) + seed) % 10
            if pick == 0:
                values.append(PAYLOADS[(i + k) % len(PAYLOADS)])
            elif pick == 1 and shifted:
                values.append(payload)
            else:
                values.append("ok" if pick % 2 else "fine")
        data[payload] = values
    data["amount"] = [str((i % 50) * (5 if shifted else 1)) for i in range(rows)]
    data["amount"][3] = "<script>window.__pwned=4</script>"
    pl.DataFrame(data).write_csv(path)
    return path


def make_hostile_runs(folder: Path, store_url: str, dataset: str, batches: int = 3) -> HostileRun:
    folder.mkdir(parents=True, exist_ok=True)
    recipe = folder / "hostile.recipe.yaml"
    recipe.write_text(yaml.safe_dump(hostile_recipe(PAYLOADS[0]), allow_unicode=True))
    out = folder / "out"
    for batch in range(batches):
        data = hostile_batch(
            folder / f"batch{batch}.csv", rows=400, seed=batch, shifted=batch == batches - 1
        )
        rowsift.run_file(
            recipe,
            data,
            out,
            monitor=Monitoring(store=store_url, dataset=dataset, batch=PAYLOADS[batch]),
        )
    return HostileRun(out=out, store=store_url, dataset=dataset, recipe=recipe)


def read_hostile(path: Path) -> pl.DataFrame:
    """The hostile table as text columns (Polars' reader keeps a header's doubled quotes)."""
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    return pl.DataFrame(rows, schema=header, orient="row")


def hostile_frame(folder: Path) -> pl.DataFrame:
    """A hostile table in memory, as a notebook user would hold it."""
    return read_hostile(hostile_batch(folder / "hostile.csv", rows=60, seed=2, shifted=False))
