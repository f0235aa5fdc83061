"""`rowsift demo`: copy the bundled messy table and its recipe, run, and show the quarantine."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import polars as pl
from rich.table import Table

from rowsift._cli.console import out, print_json, stages
from rowsift._cli.render import dataset_table, rules_table, status_line
from rowsift.api import run_file
from rowsift.demo import copy_demo
from rowsift.report import write_run_report


def run_demo(out_dir: Path, *, json_output: bool, quiet: bool) -> int:
    """Run the demo into `out_dir`; the exit code is that of `rowsift run`."""
    table, recipe = copy_demo(out_dir)
    results = out_dir / "out"
    with stages(enabled=not (quiet or json_output)) as stage:
        # the demo is not a batch of the project: never record it in rowsift.toml's store
        summary = run_file(recipe, table, results, monitor=False, on_stage=stage)
    report = write_run_report(results)
    if json_output:
        print_json(summary.to_dict())
    elif not quiet:
        out.print(f"rowsift demo: a messy orders table ({table}) and its recipe ({recipe})\n")
        out.print(status_line(summary))
        out.print(rules_table(summary))
        out.print(dataset_table(summary))
        out.print(_examples(results / "quarantine.parquet"))
        out.print(
            f"\nclean rows: {results / 'clean.parquet'}\n"
            f"quarantined rows with reasons: {results / 'quarantine.parquet'}\n"
            f"summary: {results / 'summary.json'}\n"
            f"try: rowsift explain {recipe}\n"
            f"     rowsift show {results} --reason amount.type\n"
        )
        out.print(f"the run's report, for your browser: {report.resolve().as_uri()}")
    return 1 if summary.status == "fail" else 0


def _examples(path: Path, per_reason: int = 2) -> Table:
    """A few quarantined rows per reason, with the original values that failed."""
    quarantine = pl.read_parquet(path)
    table = Table(title="Quarantined examples", title_justify="left", show_edge=False)
    table.add_column("line", justify="right")
    table.add_column("reasons")
    table.add_column("value as read")
    shown: Counter[str] = Counter()
    for row in quarantine.iter_rows(named=True):
        reasons = row["_rowsift_reasons"]
        first = reasons[0]
        if shown[first] >= per_reason:
            continue
        shown[first] += 1
        column = first.split(".")[0]
        value = row.get(column) if column in row else "(whole row)"
        table.add_row(str(row["_rowsift_line"]), ", ".join(reasons), repr(value))
    return table
