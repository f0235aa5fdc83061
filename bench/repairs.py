"""CPU time of the repairs that do the most work, `normalize_number` with units and
`normalize_datetime` with three formats, in one `rowsift.run` over an in-memory Polars table.

    python -m bench.repairs [--rows 1000000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import polars as pl

import rowsift

RECIPE = """\
version: 1
columns:
  weight:
    type: float
    transforms:
      - normalize_number: {thousands: ',', currency: ['$', USD], percent: ratio,
                           units: {oz: 28.3495, lb: 453.592, g: 1, kg: 1000}}
  day:
    type: date
    transforms:
      - normalize_datetime: {formats: ['%m/%d/%Y', '%Y-%m-%d', '%d.%m.%y'], to: '%Y-%m-%d'}
"""
WEIGHTS = ["12 oz", "$1,200.50", "3 kg", "x", "50%", "(3.5)", "1 lb", "2g"]
DAYS = ["1/2/2009", "2009-01-02", "3.4.09", "bad", None, "12/31/1999", "2/29/2001", "1/1/2000"]


def main() -> None:
    """Time one warm run over `--rows` rows and print CPU and wall seconds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        recipe = Path(folder) / "repairs.yaml"
        recipe.write_text(RECIPE)
        repeat = -(-args.rows // len(WEIGHTS))
        table = pl.DataFrame({"weight": WEIGHTS * repeat, "day": DAYS * repeat}).head(args.rows)
        rowsift.run(recipe, table.head(8))  # imports and first compile
        cpu, wall = time.process_time(), time.perf_counter()
        result = rowsift.run(recipe, table)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    clean = result.summary.rows_clean
    print(f"{args.rows:,} rows: {cpu:.2f} CPU s, {wall:.2f} s wall, {clean:,} clean")


if __name__ == "__main__":
    main()
