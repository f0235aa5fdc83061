"""Real dirty tables with their hand-cleaned versions: detection and correction, zero labels.

Reads the row-aligned pairs in ``../shared/data/realdirty/<table>/{dirty,clean}.csv`` (never
copied into the repository; the test suite does not use them). `rowsift.suggest_recipe` learns on
the dirty table; the recipe runs on it **unedited**. Scored per cell, as the corpus's README
defines an error (``dirty.strip() != clean.strip()``):

- **detection**: a cell is flagged when its quarantined row's reasons name its column, or when a
  clean row's output value no longer means what the dirty text meant (a transform or a repair
  changed it; a cast alone does not: ``66.0700`` read as the float 66.07 is unchanged);
- **correction**: a changed cell is correct when its new value means what the clean text says
  (the same number, date, boolean or stripped text);
- **false alarms on the clean version**: the share of clean.csv rows quarantined by the recipe
  suggested on dirty.csv, and by the recipe suggested on clean.csv itself.

REAL and INJECTED pairs are reported apart.

    .venv/bin/python -m bench.suggest.realdirty
    .venv/bin/python -m bench.suggest.realdirty --only stock --no-repair
    .venv/bin/python -m bench.suggest.realdirty --split 11   # learn on half, score the other
    .venv/bin/python -m bench.suggest.realdirty --repairs majority   # with the opt-in repair
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

import rowsift


def _corpus() -> Path:
    """``$ROWSIFT_REALDIRTY``, else ``shared/data/realdirty`` in the nearest folder above."""
    given = os.environ.get("ROWSIFT_REALDIRTY")
    if given:
        return Path(given)
    for folder in Path(__file__).resolve().parents:
        found = folder / "shared" / "data" / "realdirty"
        if found.is_dir():
            return found
    return Path("shared/data/realdirty")


CORPUS = _corpus()
RESULTS = Path(__file__).parent / "results"
REAL = ("stock", "nyc_address", "population", "babyproduct")
INJECTED = ("spotify_10k", "soccer_bart_5k", "nasa_airfoil")
_TRUE = {"true", "t", "yes", "y", "1"}
_FALSE = {"false", "f", "no", "n", "0"}


def read(path: Path) -> pl.DataFrame:
    """A pair file as text: every value a string, an empty field null (as rowsift reads it)."""
    return pl.read_csv(path, infer_schema=False)


def means(
    text: str | None, value: Any, kind: str, fmt: str | None, *, clothing: bool = False
) -> bool:
    """Whether an output `value` of a column of type `kind` means what `text` says.

    With `clothing`, a number's currency, unit, percent sign or thousands marks do not count
    (``88%`` means 88).
    """
    stripped = None if text is None else text.strip()
    if value is None:
        return stripped is None or stripped == ""
    if stripped is None or stripped == "":
        return False
    if kind in ("int", "float", "decimal"):
        try:
            number = float(_bare(stripped) if clothing else stripped)
        except ValueError:
            return False
        return math.isclose(number, float(value), rel_tol=1e-9, abs_tol=1e-12)
    if kind == "bool":
        word = stripped.lower()
        return (word in _TRUE) if value else (word in _FALSE)
    if kind in ("date", "datetime"):
        fmt = fmt or ("%Y-%m-%d" if kind == "date" else "%Y-%m-%dT%H:%M:%S")
        try:
            parsed = datetime.strptime(stripped, fmt)
        except ValueError:
            return False
        if isinstance(value, datetime):
            return parsed == value.replace(tzinfo=None)
        if isinstance(value, date):
            return parsed.date() == value
        return False
    return stripped == str(value).strip()


def _bare(text: str) -> str:
    from rowsift.suggest.numbers import _CLOTHED

    found = _CLOTHED.match(text)
    return text if found is None else found["num"].replace(",", "")


def score(hits: int, flagged: int, errors: int) -> dict[str, float]:
    """Precision, recall and F1."""
    precision = hits / flagged if flagged else 0.0
    recall = hits / errors if errors else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def evaluate(
    name: str, *, repair: bool, split: int | None = None, repairs: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Detection, correction and false alarms for one pair.

    With `split` (a seed), the recipe is learned on one random half of the dirty rows and
    everything is scored on the other half (and on the clean version of that half).
    """
    dirty, clean = read(CORPUS / name / "dirty.csv"), read(CORPUS / name / "clean.csv")
    train = dirty
    if split is not None:
        from bench.suggest.heldout import halves

        train, dirty, unseen = halves(dirty, split)
        clean = clean[unseen]
    columns = dirty.columns
    started = time.perf_counter()
    recipe = rowsift.suggest_recipe(train, repair=repair, repairs=repairs)
    seconds = time.perf_counter() - started
    result = rowsift.run(recipe, dirty)
    errors = {
        (row, column)
        for column in columns
        for row, (a, b) in enumerate(zip(dirty[column], clean[column], strict=True))
        if (a or "").strip() != (b or "").strip()
    }
    flagged: set[tuple[int, str]] = set()
    for row, reasons in zip(
        result.quarantine["_rowsift_row"].to_list(),
        result.quarantine["_rowsift_reasons"].to_list(),
        strict=True,
    ):
        for reason in reasons:
            column = reason.rsplit(".", 1)[0]
            if column in columns:
                flagged.add((int(row), column))
    changed: set[tuple[int, str]] = set()
    corrected: set[tuple[int, str]] = set()
    output = result.clean
    rows = output["_rowsift_row"].to_list()
    for column in columns:
        spec = recipe.columns.get(column)
        kind = spec.type if spec is not None else "string"
        fmt = spec.format if spec is not None else None
        for row, value in zip(rows, output[column].to_list(), strict=True):
            if means(dirty[column][row], value, kind, fmt):
                continue
            changed.add((row, column))
            if means(clean[column][row], value, kind, fmt):
                corrected.add((row, column))
    detected = flagged | changed
    on_clean = rowsift.run(recipe, clean).summary.rows_quarantined
    own = rowsift.run(rowsift.suggest_recipe(clean, repair=repair, repairs=repairs), clean).summary
    return {
        "table": name,
        "split": split,
        "group": "REAL" if name in REAL else "INJECTED",
        "rows": dirty.height,
        "errors": len(errors),
        "quarantined_cells": len(flagged),
        "changed_cells": len(changed),
        "detection": score(len(detected & errors), len(detected), len(errors)),
        "correction": score(len(corrected & errors), len(changed), len(errors)),
        "clean_quarantined_by_dirty_recipe": on_clean / clean.height,
        "clean_quarantined_by_own_recipe": own.rows_quarantined / clean.height,
        "suggest_seconds": round(seconds, 3),
    }


def markdown(reports: list[dict[str, Any]]) -> str:
    """One line per pair, REAL first."""
    lines = [
        "| group | table | rows | error cells | detection P / R / F1 | correction P / R / F1 "
        "| clean rows quarantined (dirty's recipe / own recipe) |",
        "|---|---|---|---|---|---|---|",
    ]
    for report in sorted(reports, key=lambda r: (r["group"] != "REAL", r["table"])):
        d, c = report["detection"], report["correction"]
        lines.append(
            f"| {report['group']} | {report['table']} | {report['rows']:,} | "
            f"{report['errors']:,} | {d['precision']:.2f} / {d['recall']:.2f} / {d['f1']:.2f} | "
            f"{c['precision']:.2f} / {c['recall']:.2f} / {c['f1']:.2f} | "
            f"{report['clean_quarantined_by_dirty_recipe']:.2%} / "
            f"{report['clean_quarantined_by_own_recipe']:.2%} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Score every pair, print the table and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", action="append", choices=[*REAL, *INJECTED])
    parser.add_argument(
        "--no-repair", action="store_true", help="suggest with repair=False (default: True)"
    )
    parser.add_argument("--label", default="run")
    parser.add_argument(
        "--repairs", action="append", default=[], help="an opt-in repair (majority)"
    )
    parser.add_argument(
        "--split",
        type=int,
        metavar="SEED",
        help="learn on a random half of the dirty rows, score on the other half",
    )
    args = parser.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"the corpus is not at {CORPUS}")
    reports = []
    for name in (*REAL, *INJECTED):
        if args.only and name not in args.only:
            continue
        reports.append(
            evaluate(name, repair=not args.no_repair, split=args.split, repairs=tuple(args.repairs))
        )
        print(f"{name}: done", flush=True)
    print(markdown(reports))
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    out = RESULTS / f"realdirty-{args.label}-{stamp}.json"
    summary = {
        "repair": not args.no_repair,
        "repairs": args.repairs,
        "split": args.split,
        "tables": reports,
    }
    out.write_text(json.dumps(summary, indent=1) + "\n")
    print(f"results in {out}")


if __name__ == "__main__":
    main()
