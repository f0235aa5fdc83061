"""Suggestion benchmark: inject known errors into clean tables, suggest a recipe on the dirty
table, run it unedited, and score the cells it flags.

A cell is flagged when a quarantined row's reasons name its column (``zip.matches`` flags the
row's ``zip``), or when a repair changed what it means in a clean row (`bench.suggest.realdirty.
means`). Per error kind, each table is dirtied with that kind alone, so precision,
recall and F1 are exact for the kind; a mixed run injects every kind at once. False alarms are
measured on the clean tables: the share of rows their own suggested recipe quarantines.

    .venv/bin/python -m bench.suggest.evaluate                 # every table, balanced
    .venv/bin/python -m bench.suggest.evaluate --strictness aggressive --rate 0.02
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import polars as pl

import rowsift
from bench.suggest.inject import KINDS, Kind, inject
from bench.suggest.realdirty import means
from bench.suggest.tables import TABLES, CleanTable

RESULTS = Path(__file__).parent / "results"


def flagged_cells(recipe: rowsift.Recipe, frame: pl.DataFrame) -> tuple[set[tuple[int, str]], int]:
    """The cells the recipe flags on the frame (quarantined, or changed by a repair), and the
    number of quarantined rows."""
    result = rowsift.run(recipe, frame)
    columns = set(frame.columns)
    cells: set[tuple[int, str]] = set()
    rows = result.clean["_rowsift_row"].to_list()
    for column in frame.columns:
        spec = recipe.columns.get(column)
        kind, fmt = (spec.type, spec.format) if spec is not None else ("string", None)
        for row, value in zip(rows, result.clean[column].to_list(), strict=True):
            if not means(frame[column][row], value, kind, fmt, clothing=True):
                cells.add((int(row), column))
    for row, reasons in zip(
        result.quarantine["_rowsift_row"].to_list(),
        result.quarantine["_rowsift_reasons"].to_list(),
        strict=True,
    ):
        for reason in reasons:
            column = reason.rsplit(".", 1)[0]
            if column in columns:
                cells.add((int(row), column))
    return cells, result.summary.rows_quarantined


def score(flagged: set[tuple[int, str]], truth: set[tuple[int, str]]) -> dict[str, float]:
    """Precision, recall and F1 of flagged cells against the true error cells."""
    hits = len(flagged & truth)
    precision = hits / len(flagged) if flagged else (1.0 if not truth else 0.0)
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "errors": len(truth),
        "flagged": len(flagged),
    }


def evaluate_table(
    table: CleanTable, *, strictness: str, rate: float, seed: int, repairs: tuple[str, ...] = ()
) -> dict[str, Any]:
    """False alarms on the clean table, then one dirty run per kind and a mixed one (with the
    opt-in `repairs` suggested too)."""
    started = time.perf_counter()
    clean_recipe = rowsift.suggest_recipe(table.frame, strictness=strictness, repairs=repairs)  # type: ignore[arg-type]
    _, quarantined = flagged_cells(clean_recipe, table.frame)
    report: dict[str, Any] = {
        "rows": table.frame.height,
        "false_alarm_rate": quarantined / table.frame.height,
        "kinds": {},
    }
    runs: list[tuple[str, tuple[Kind, ...]]] = [(kind, (kind,)) for kind in KINDS]
    runs.append(("mixed", KINDS))
    for label, kinds in runs:
        dirty = inject(
            table.frame, kinds=kinds, rate=rate, dependencies=table.dependencies, seed=seed
        )
        if not dirty.truth:
            continue
        recipe = rowsift.suggest_recipe(dirty.frame, strictness=strictness, repairs=repairs)  # type: ignore[arg-type]
        cells, _ = flagged_cells(recipe, dirty.frame)
        report["kinds"][label] = score(cells, set(dirty.truth))
    report["seconds"] = time.perf_counter() - started
    return report


def _markdown(results: dict[str, Any]) -> str:
    kinds = [*KINDS, "mixed"]
    lines = [
        "| table | rows | false alarms | " + " | ".join(kinds) + " |",
        "|---|---|---|" + "---|" * len(kinds),
    ]
    for name, report in results["tables"].items():
        cells = []
        for kind in kinds:
            found = report["kinds"].get(kind)
            cells.append(
                "-"
                if found is None
                else f"P {found['precision']:.2f} R {found['recall']:.2f} F1 {found['f1']:.2f}"
            )
        lines.append(
            f"| {name} | {report['rows']} | {report['false_alarm_rate']:.2%} | "
            + " | ".join(cells)
            + " |"
        )
    totals = results["per_kind"]
    lines.append(
        "| **all** | | "
        f"{results['false_alarm_rate']:.2%} | "
        + " | ".join(
            f"P {totals[k]['precision']:.2f} R {totals[k]['recall']:.2f} F1 {totals[k]['f1']:.2f}"
            if k in totals
            else "-"
            for k in kinds
        )
        + " |"
    )
    return "\n".join(lines)


def main() -> None:
    """Run the benchmark, print a Markdown table and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--strictness", default="balanced")
    parser.add_argument("--rate", type=float, default=0.02, help="share of rows per error kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", action="append", choices=sorted(TABLES))
    parser.add_argument(
        "--repairs", action="append", default=[], help="an opt-in repair to suggest (majority)"
    )
    parser.add_argument("--label", default="", help="a word for the result file's name")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "strictness": args.strictness,
        "rate": args.rate,
        "repairs": args.repairs,
        "tables": {},
    }
    for name, make in TABLES.items():
        if args.only and name not in args.only:
            continue
        results["tables"][name] = evaluate_table(
            make(),
            strictness=args.strictness,
            rate=args.rate,
            seed=args.seed,
            repairs=tuple(args.repairs),
        )
        print(f"{name}: done in {results['tables'][name]['seconds']:.1f} s", flush=True)
    reports = results["tables"].values()
    rows = sum(r["rows"] for r in reports)
    results["false_alarm_rate"] = sum(r["false_alarm_rate"] * r["rows"] for r in reports) / rows
    per_kind: dict[str, dict[str, float]] = {}
    for kind in [*KINDS, "mixed"]:
        found = [r["kinds"][kind] for r in reports if kind in r["kinds"]]
        if not found:
            continue
        errors = sum(f["errors"] for f in found)
        flagged = sum(f["flagged"] for f in found)
        hits = sum(f["recall"] * f["errors"] for f in found)
        precision = hits / flagged if flagged else 0.0
        recall = hits / errors if errors else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_kind[kind] = {"precision": precision, "recall": recall, "f1": f1}
    results["per_kind"] = per_kind
    table = _markdown(results)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    label = f"-{args.label}" if args.label else ""
    out = RESULTS / f"suggest-{args.strictness}{label}-{stamp}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"results in {out}")


if __name__ == "__main__":
    main()
