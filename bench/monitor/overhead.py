"""What monitoring costs: a wide batch run with and without `--store`, and one drift comparison.

The batch is 1,000,000 rows x 200 columns (120 float, 40 integer, 40 categorical), read from
CSV and from Parquet. Each variant runs `rowsift run` in a fresh process `--repeat` times,
round-robin after one untimed warm-up; the store already holds one run of the dataset, so every
timed run measures, compares with its baseline, looks for anomalies and records. The drift
comparison of two such batches is timed in-process (`compare` on their metrics) and as the
whole `rowsift drift` command.

The store of the timed runs holds one earlier run, so their baseline is that run alone. A feed
in its steady state has a full window (7 clean runs, compared pair by pair to learn how much
they differ): `steady_state` times each step of recording one batch into a store that already
holds `--window` runs (in-process, CPU and wall seconds): reading the history, measuring the
batch, judging it (merging the window, comparing) and writing it.

    python -m bench.monitor.overhead [--rows 1000000] [--repeat 3] [--formats csv,parquet]
    python -m bench.monitor.overhead --rows 200000 --formats none   # steady state only
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

BENCH = Path(__file__).resolve().parents[1]
DATA = BENCH / "data"
FLOATS, INTS, CATEGORIES = 120, 40, 40
TARGET_OVERHEAD = 0.30
TARGET_DRIFT_S = 2.0


def wide_table(rows: int, seed: int) -> pl.DataFrame:
    """A wide batch: shifted normals, counts and skewed categories."""
    rng = np.random.default_rng(seed)
    columns: dict[str, np.ndarray] = {}
    for i in range(FLOATS):
        columns[f"f{i:03d}"] = rng.normal(i, 1 + i % 5, rows).round(4)
    for i in range(INTS):
        columns[f"i{i:03d}"] = rng.poisson(3 + i % 7, rows)
    labels = np.array([f"cat_{k}" for k in range(25)])
    weights = 1 / np.arange(1, 26)
    for i in range(CATEGORIES):
        columns[f"s{i:03d}"] = labels[rng.choice(25, rows, p=weights / weights.sum())]
    return pl.DataFrame(columns)


def recipe_text() -> str:
    """Every column typed, one rule on each."""
    lines = ["version: 1", "name: wide", "columns:"]
    lines += [
        f"  f{i:03d}: {{type: float, rules: [{{between: {{min: -1000}}}}]}}" for i in range(FLOATS)
    ]
    lines += [f"  i{i:03d}: {{type: int, rules: [not_null]}}" for i in range(INTS)]
    cats = ", ".join(f"cat_{k}" for k in range(25))
    lines += [f"  s{i:03d}: {{rules: [{{in_set: [{cats}]}}]}}" for i in range(CATEGORIES)]
    return "\n".join(lines) + "\n"


def _prepare(rows: int) -> dict[str, Path]:
    DATA.mkdir(exist_ok=True)
    files = {"csv": DATA / f"wide_{rows}.csv", "parquet": DATA / f"wide_{rows}.parquet"}
    other = DATA / f"wide_{rows}_b.parquet"
    if not all(path.exists() for path in (*files.values(), other)):
        table = wide_table(rows, seed=1)
        table.write_csv(files["csv"])
        table.write_parquet(files["parquet"])
        wide_table(rows, seed=2).write_parquet(other)
    files["other"] = other
    return files


def _rowsift() -> str:
    return str(Path(sys.executable).parent / "rowsift")


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 4):
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print a JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--formats", default="csv,parquet", help="input formats, comma-separated, or none"
    )
    parser.add_argument("--window", type=int, default=7, help="runs in the steady-state store")
    args = parser.parse_args(argv)
    files = _prepare(args.rows)
    work = Path(tempfile.mkdtemp(prefix="rowsift-monitor-bench-"))
    recipe = work / "wide.recipe.yaml"
    recipe.write_text(recipe_text())
    report: dict[str, object] = {"rows": args.rows, "columns": FLOATS + INTS + CATEGORIES}
    try:
        for fmt in [f for f in args.formats.split(",") if f != "none"]:
            store = work / f"store-{fmt}.duckdb"
            plain = [
                _rowsift(),
                "run",
                str(recipe),
                str(files[fmt]),
                "--out",
                str(work / "o"),
                "-q",
            ]
            stored = [*plain, "--store", str(store)]
            _timed(stored)  # warm-up, and the baseline run the timed runs compare with
            _timed(plain)
            times: dict[str, list[float]] = {"without store": [], "with store": []}
            for _ in range(args.repeat):
                times["without store"].append(_timed(plain))
                times["with store"].append(_timed(stored))
            medians = {name: statistics.median(values) for name, values in times.items()}
            overhead = medians["with store"] / medians["without store"] - 1
            report[fmt] = {
                "runs_s": times,
                "median_s": medians,
                "overhead": round(overhead, 4),
                "target_met": overhead <= TARGET_OVERHEAD,
            }
        if "parquet" in args.formats:
            report["drift"] = _drift_timing(files, work)
        report["steady_state"] = _steady_state(files, work, args.window)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(report, indent=2))


def _steady_state(
    files: dict[str, Path], work: Path, window: int, *, earlier_rows: int = 20_000
) -> dict[str, object]:
    """Each step of `record_run` for one batch, into a store holding `window` earlier runs."""
    from dataclasses import replace

    from rowsift.monitor.measure import measure_batch
    from rowsift.monitor.record import record_run
    from rowsift.monitor.settings import MonitorSettings
    from rowsift.monitor.store import RunRecord, open_store
    from rowsift.monitor.watch import assess, load_history

    store = open_store(work / "steady.duckdb")
    settings = MonitorSettings(baseline_window=window)

    def run(t: int, rows: int) -> RunRecord:
        moment = f"2026-01-01T00:{t:02d}:00.000000+00:00"
        return RunRecord(
            run_id=f"20260101T00{t:02d}00Z-{t:06x}",
            dataset="wide",
            batch=f"b{t:02d}",
            started_at=moment,
            finished_at=moment,
            status="pass",
            rows_in=rows,
            rows_clean=rows,
            rows_quarantined=0,
        )

    # the metrics' size does not depend on the rows: earlier runs are measured on small batches
    for t in range(window):
        batch = wide_table(earlier_rows, seed=100 + t)
        record_run(store, run(t, earlier_rows), batch, settings=settings)
    steps: dict[str, tuple[float, float]] = {}

    def timed(name: str, step: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        value = step()
        steps[name] = (time.perf_counter() - wall, time.process_time() - cpu)
        return value

    current = run(window, 0)
    history = timed("read history", lambda: load_history(store, "wide", settings))
    metrics = timed(
        "measure",
        lambda: measure_batch(pl.scan_parquet(files["parquet"]), edges=history.edges),
    )
    measured = replace(current, metrics=metrics)
    assessment = timed("judge", lambda: assess(store, history, measured, settings=settings))
    stored = replace(measured, alerts=tuple(a.to_dict() for a in assessment.alerts))
    timed("write", lambda: store.record(stored))
    return {
        "window": window,
        "baseline_runs": len(assessment.baseline.run_ids),
        "steps_s": {
            name: {"wall": round(w, 3), "cpu": round(c, 3)} for name, (w, c) in steps.items()
        },
    }


def _drift_timing(files: dict[str, Path], work: Path) -> dict[str, object]:
    from rowsift.monitor.drift import compare
    from rowsift.monitor.measure import measure_batch
    from rowsift.monitor.metrics import bin_edges

    first = measure_batch(pl.scan_parquet(files["parquet"]))
    second = measure_batch(pl.scan_parquet(files["other"]), edges=bin_edges(first))
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        report = compare(first, second)
        timings.append(time.perf_counter() - started)
    store = work / "store-parquet.duckdb"
    recipe = work / "wide.recipe.yaml"
    _timed(
        [
            _rowsift(),
            "run",
            str(recipe),
            str(files["other"]),
            "--out",
            str(work / "o"),
            "-q",
            "--store",
            str(store),
        ]
    )
    history = json.loads(
        subprocess.run(
            [_rowsift(), "history", "--store", str(store), "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    runs = [run["run_id"] for run in history["runs"]]
    command = [
        _rowsift(),
        "drift",
        "--store",
        str(store),
        "--baseline",
        runs[-1],
        "--current",
        runs[0],
        "--json",
    ]
    wall = min(_timed(command) for _ in range(3))
    return {
        "compare_s": statistics.median(timings),
        "findings": len(report.findings),
        "drift_command_s": wall,
        "target_met": wall <= TARGET_DRIFT_S,
    }


if __name__ == "__main__":
    main()
