"""How fast the exported programs clean the demo orders table, next to `rowsift run`.

    python -m bench.export.programs --rows 200000 --repeat 3

generates the orders table (`rowsift.demo.generate`, the bundled recipe), then times, each
`--repeat` times, the wall time of: `rowsift run` (Polars engine, monitoring off, outputs
Parquet), the exported Polars and pandas programs (`rowsift export --to polars`, `--to
pandas`, each run as its own Python process, start-up included), and the exported DuckDB SQL
(views read, then `COPY clean` and `COPY quarantine` to Parquet, in one DuckDB connection). It
prints the median of each and checks that every target wrote as many clean and quarantined rows
as rowsift. A timing figure needs a quiet machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

import rowsift
from rowsift.demo import orders_recipe_path
from rowsift.demo.generate import DEFAULT_SEED, generate_orders
from rowsift.export import export_recipe


def _timed(step: Callable[[], None], repeat: int) -> float:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def _rows(folder: Path) -> tuple[int, int]:
    return (
        pl.scan_parquet(folder / "clean.parquet").select(pl.len()).collect().item(),
        pl.scan_parquet(folder / "quarantine.parquet").select(pl.len()).collect().item(),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="rowsift-export-bench-"))
    table = folder / "orders.csv"
    table.write_bytes(generate_orders(args.rows, DEFAULT_SEED).encode("utf-8"))
    recipe = rowsift.load_recipe(orders_recipe_path())
    program = folder / "orders_clean.py"
    program.write_text(export_recipe(recipe, to="polars"), encoding="utf-8")
    pandas_program = folder / "orders_clean_pandas.py"
    pandas_program.write_text(export_recipe(recipe, to="pandas"), encoding="utf-8")
    script = export_recipe(recipe, to="duckdb-sql")

    def run_rowsift() -> None:
        rowsift.run_file(recipe, table, folder / "rowsift", monitor=False)

    def run_program() -> None:
        command = [sys.executable, str(program), str(table), str(folder / "polars")]
        subprocess.run(command, check=True, capture_output=True)

    def run_pandas() -> None:
        command = [sys.executable, str(pandas_program), str(table), str(folder / "pandas")]
        subprocess.run(command, check=True, capture_output=True)

    def run_sql() -> None:
        out = folder / "duckdb"
        out.mkdir(exist_ok=True)
        connection = duckdb.connect()
        connection.execute("SET VARIABLE rowsift_input = $path", {"path": str(table)})
        connection.execute(script)
        for name in ("clean", "quarantine"):
            connection.execute(f"COPY {name} TO '{out / name}.parquet' (FORMAT parquet)")

    timings = {
        "rowsift run (polars)": _timed(run_rowsift, args.repeat),
        "exported polars program": _timed(run_program, args.repeat),
        "exported pandas program": _timed(run_pandas, args.repeat),
        "exported duckdb-sql": _timed(run_sql, args.repeat),
    }
    expected = _rows(folder / "rowsift")
    for name, target in (
        ("polars", "exported polars program"),
        ("pandas", "exported pandas program"),
        ("duckdb", "exported duckdb-sql"),
    ):
        got = _rows(folder / name)
        assert got == expected, f"{target}: {got} clean/quarantined rows, rowsift {expected}"
    print(f"{args.rows} rows, median of {args.repeat} (clean, quarantined = {expected})")
    for label, seconds in timings.items():
        print(f"  {label:<26} {seconds:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
