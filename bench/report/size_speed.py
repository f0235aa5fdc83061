"""Reports: size and render time of a wide run's report, and the dashboard over many runs.

    python -m bench.report.size_speed --rows 1000000 --columns 200        # the issue's budget
    python -m bench.report.size_speed --rows 20000 --columns 200 --dashboard-runs 1000

Targets (docs/reports.md): a report for a run over 1M rows x 200 columns is at most 2 MB and is
rendered in at most 2 s from the stored results (summary.json and details.json; the data is not
read); a dashboard page over 1,000 runs answers in at most 300 ms. It also prints what recording
details.json costs the run (summary.json `durations_s.details` against the run itself) and what
the first report pays to measure the clean output's profile (`completed_details`), which a run
without a store leaves to it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import yaml

import rowsift
from rowsift.monitor.store import RuleFailures, RunRecord, open_store
from rowsift.report import render_run_report
from rowsift.report.details import completed_details


def wide_table(path: Path, rows: int, columns: int, seed: int = 7) -> dict[str, object]:
    """A table of numeric, categorical and coded text columns with some bad values; its recipe."""
    rng = np.random.default_rng(seed)
    data: dict[str, pl.Series] = {}
    spec: dict[str, object] = {}
    for c in range(columns):
        name = f"col_{c:03d}"
        kind = c % 3
        if kind == 0:
            values = rng.normal(100 + c, 15, rows).round(2).astype(str).astype(object)
            values[rng.random(rows) < 0.002] = "n/a"
            spec[name] = {"type": "float", "rules": [{"between": {"min": 0}}]}
        elif kind == 1:
            values = rng.choice(["red", "green", "blue", "grey", "black"], rows).astype(object)
            values[rng.random(rows) < 0.001] = "purple"
            spec[name] = {"rules": [{"in_set": ["red", "green", "blue", "grey", "black"]}]}
        else:
            values = np.char.add("C-", rng.integers(1000, 9999, rows).astype(str)).astype(object)
            values[rng.random(rows) < 0.001] = "bad"
            spec[name] = {"rules": [{"matches": "^C-[0-9]{4}$"}]}
        data[name] = pl.Series(name, values, dtype=pl.String)
    pl.DataFrame(data).write_csv(path)
    return {"version": 1, "name": "wide", "columns": spec}


def bench_report(rows: int, columns: int, folder: Path, repeat: int) -> dict[str, object]:
    source = folder / "wide.csv"
    clock = time.perf_counter()
    recipe = wide_table(source, rows, columns)
    print(f"generated {rows:,} x {columns} in {time.perf_counter() - clock:.1f} s", file=sys.stderr)
    recipe_path = folder / "wide.recipe.yaml"
    recipe_path.write_text(yaml.safe_dump(recipe))
    out = folder / "out"
    cpu = time.process_time()
    summary = rowsift.run_file(recipe_path, source, out, monitor=False)
    run_cpu = time.process_time() - cpu
    durations = summary.durations
    # the first report's measurement of the clean output, in CPU time (steadier than the wall
    # clock on a loaded machine); the renders below read the two JSON files only
    cpu = time.process_time()
    completed_details(out)
    profile_cpu = time.process_time() - cpu
    times = []
    html = ""
    for _ in range(repeat):
        clock = time.perf_counter()
        html = render_run_report(out)
        times.append(time.perf_counter() - clock)
    size = len(html.encode())
    return {
        "rows": rows,
        "columns": columns,
        "quarantined": summary.rows_quarantined,
        "run_s": round(durations["run"], 3),
        "details_s": round(durations["details"], 3),
        "details_share_of_run": round(durations["details"] / durations["run"], 3),
        "run_cpu_s": round(run_cpu, 3),
        "first_report_profile_cpu_s": round(profile_cpu, 3),
        "first_report_profile_cpu_share_of_run": round(profile_cpu / max(run_cpu, 1e-9), 3),
        "details_json_bytes": (out / "details.json").stat().st_size,
        "report_bytes": size,
        "render_s_median": round(statistics.median(times), 3),
        "render_s_all": [round(t, 3) for t in times],
        "within_2mb": size <= 2_000_000,
        "within_2s": statistics.median(times) <= 2.0,
    }


def bench_dashboard(runs: int, folder: Path, repeat: int) -> dict[str, object]:
    from bench.report.serve import fetch_times

    store_path = folder / "store.duckdb"
    store = open_store(store_path)
    now = datetime.now(UTC)
    rng = np.random.default_rng(3)
    for k in range(runs):
        when = (now - timedelta(hours=2 * (runs - k))).isoformat(timespec="microseconds")
        rows_in = int(rng.integers(9_000, 11_000))
        failed = [int(x) for x in rng.integers(0, 100, 20)]
        alerts = (
            ({"kind": "drift", "subject": f"col_{k % 7}", "message": "drifted", "details": {}},)
            if k % 25 == 0
            else ()
        )
        store.record(
            RunRecord(
                run_id=f"run-{k:05d}",
                dataset="orders",
                batch=f"b{k}",
                started_at=when,
                finished_at=when,
                status="pass",
                rows_in=rows_in,
                rows_clean=rows_in - sum(failed),
                rows_quarantined=sum(failed),
                rules=tuple(
                    RuleFailures(rule_id=f"col_{i}.rule", severity="error", failed=n)
                    for i, n in enumerate(failed)
                ),
                alerts=alerts,
            )
        )
    pages = {
        "datasets": "/",
        "dataset": "/dataset?name=orders",
        "dataset, older runs": "/dataset?name=orders&start=500",
        "alerts": "/alerts",
        "run": "/run/run-00500",
    }
    found = fetch_times(str(store_path), pages, repeat=repeat)
    return {
        "runs": runs,
        "pages_ms_median": {k: round(statistics.median(v) * 1000, 1) for k, v in found.items()},
        "pages_ms_max": {k: round(max(v) * 1000, 1) for k, v in found.items()},
        "within_300ms": all(
            statistics.median(v) <= 0.3 for k, v in found.items() if not k.endswith("(cpu)")
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, default=200)
    parser.add_argument("--dashboard-runs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-report", action="store_true")
    args = parser.parse_args()
    results: dict[str, object] = {"when": datetime.now(UTC).isoformat(timespec="seconds")}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not args.skip_report:
            results["report"] = bench_report(args.rows, args.columns, folder, args.repeat)
        if args.dashboard_runs:
            results["dashboard"] = bench_dashboard(args.dashboard_runs, folder, args.repeat)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
