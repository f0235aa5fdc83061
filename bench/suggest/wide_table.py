"""A 30-column table of a million rows for timing `suggest` (ids, codes, categories, numbers,
dates, times, text), written as CSV; the same seed gives the same bytes.

    .venv/bin/python -m bench.suggest.wide_table --rows 1000000 --out bench/data/suggest_wide_1m.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import polars as pl


def wide(rows: int, seed: int) -> pl.DataFrame:
    """Ten kinds of column, three of each."""
    rng = np.random.default_rng(seed)
    number = pl.int_range(rows, eager=True)
    columns: dict[str, pl.Series] = {}
    for k in range(3):
        parts = pl.DataFrame(
            {
                "i": number,
                "y": rng.integers(2015, 2025, rows),
                "m": rng.integers(1, 13, rows),
                "d": rng.integers(1, 29, rows),
                "hh": rng.integers(0, 24, rows),
                "mm": rng.integers(0, 60, rows),
            }
        ).with_columns(pl.all().cast(pl.String))
        made = parts.select(
            pl.format("ID-{}{}", pl.lit(k), pl.col("i").str.zfill(8)).alias("id"),
            pl.format("{}-{}-{}", "y", pl.col("m").str.zfill(2), pl.col("d").str.zfill(2)).alias(
                "day"
            ),
            pl.format("{}:{}", "hh", pl.col("mm").str.zfill(2)).alias("time"),
        )
        columns[f"id_{k}"] = made["id"]
        columns[f"code_{k}"] = pl.Series(rng.integers(0, 500, rows)).cast(pl.String).str.zfill(4)
        columns[f"category_{k}"] = pl.Series(
            rng.choice(["new", "paid", "shipped", "delivered", "cancelled"], rows)
        )
        columns[f"amount_{k}"] = pl.Series(np.round(rng.lognormal(3, 1, rows), 2)).cast(pl.String)
        columns[f"count_{k}"] = pl.Series(rng.poisson(4, rows)).cast(pl.String)
        columns[f"score_{k}"] = pl.Series(np.round(rng.normal(0, 1, rows), 4)).cast(pl.String)
        columns[f"day_{k}"] = made["day"]
        columns[f"time_{k}"] = made["time"]
        columns[f"flag_{k}"] = pl.Series(rng.choice(["yes", "no"], rows))
        columns[f"name_{k}"] = pl.Series(rng.choice([f"Name {i}" for i in range(2000)], rows))
    return pl.DataFrame(columns)


def main() -> None:
    """Write the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    wide(args.rows, args.seed).write_csv(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
