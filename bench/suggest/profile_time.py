"""Time profiling and suggesting on a large CSV against one Polars `scan_csv` pass over it.

Each contender runs in a fresh process; wall time and the child's peak RSS (``ru_maxrss``) are
taken from `os.wait4`. The baseline reads every column as text and computes one aggregate per
column, so it cannot skip any byte of the file.

    .venv/bin/python -m bench.suggest.profile_time bench/data/orders_10m.csv
    .venv/bin/python -m bench.suggest.wide_table --rows 1000000 --out bench/data/suggest_wide_1m.csv
    .venv/bin/python -m bench.suggest.profile_time bench/data/suggest_wide_1m.csv \\
        --only suggest_scan_csv --only suggest_cli_path
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

CONTENDERS = {
    "scan_csv": (
        "import polars as pl, sys\n"
        "pl.scan_csv(sys.argv[1], infer_schema=False).select(pl.all().null_count()).collect()\n"
    ),
    "profile_scan_csv": (
        "import polars as pl, sys, rowsift\n"
        "rowsift.profile_table(pl.scan_csv(sys.argv[1], infer_schema=False))\n"
    ),
    "profile_read_table": (
        "import sys, rowsift\n"
        "from rowsift.io import read_table\n"
        "from rowsift.recipe import SourceSpec\n"
        "rowsift.profile_table(read_table(sys.argv[1], SourceSpec()))\n"
    ),
    "suggest_scan_csv": (
        "import polars as pl, sys, rowsift\n"
        "rowsift.suggest_recipe(pl.scan_csv(sys.argv[1], infer_schema=False))\n"
    ),
    "suggest_cli_path": (
        "import sys, rowsift\n"
        "from rowsift.profile import profile_table\n"
        "from rowsift.profile.reading import read_detected\n"
        "table, source = read_detected(sys.argv[1])\n"
        "rowsift.suggest_recipe(table, source=source, profile=profile_table(table))\n"
    ),
}


def timed(code: str, path: Path) -> dict[str, float]:
    """Wall and CPU seconds and peak RSS (MiB) of one fresh process running `code`."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, str(path)])
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"contender failed: {code}")
    return {
        "seconds": wall,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_mib": usage.ru_maxrss / 1024,
    }


def main() -> None:
    """Run every contender `--repeat` times and print the median ratio to the baseline."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", action="append", choices=sorted(CONTENDERS))
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {}
    for _ in range(args.repeat):
        for name, code in CONTENDERS.items():
            if args.only and name not in args.only and name != "scan_csv":
                continue
            runs.setdefault(name, []).append(timed(code, args.path))
            print(name, runs[name][-1], flush=True)
    median = {
        name: sorted(r["seconds"] for r in found)[(len(found) - 1) // 2]
        for name, found in runs.items()
    }
    cpu = {
        name: sorted(r["cpu_seconds"] for r in found)[(len(found) - 1) // 2]
        for name, found in runs.items()
    }
    base, base_cpu = median["scan_csv"], cpu["scan_csv"]
    for name, seconds in median.items():
        peak = max(r["peak_rss_mib"] for r in runs[name])
        print(
            f"{name:20s} wall {seconds:6.1f} s {seconds / base:5.2f}x   "
            f"cpu {cpu[name]:6.1f} s {cpu[name] / base_cpu:5.2f}x   peak {peak:,.0f} MiB"
        )
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    record = {
        "path": str(args.path),
        "bytes": args.path.stat().st_size,
        "runs": runs,
        "load_average": os.getloadavg(),
    }
    (out / f"profile-time-{stamp}.json").write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
