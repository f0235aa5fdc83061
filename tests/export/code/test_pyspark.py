"""`--to pyspark`: the program gives rowsift's answer on every conformance case and the demo.

Spark is slow to start and slow per job, so every case runs in one test, in the suite's one
Spark session (`tests.conftest.spark_session`): the program's `split` is called on a Spark
DataFrame of the case's text, its outputs brought back as Polars frames and compared with
rowsift's own run (`tests.export.code.exactness.compare`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from tests.conformance.test_cases import CASES, Case, kinds
from tests.conftest import spark_session
from tests.export.code.exactness import (
    STANDARD_LIBRARY,
    compare,
    imported_modules,
    load_program,
    same_frames,
)
from tests.export.code.test_polars import recipe_of

import rowsift
from rowsift._names import ROW
from rowsift.demo import orders_csv_path, orders_recipe_path
from rowsift.export import export_recipe
from rowsift.recipe.formats import Directive, tokens

EVERY_CASE = os.environ.get("ROWSIFT_SPARK_EXPORT_CASES") == "all"
"""Spark takes about a second a case (several jobs each): the suite runs the cases that
between them use every word of the recipe vocabulary (`covering`); with
``ROWSIFT_SPARK_EXPORT_CASES=all`` it runs every case (docs/export.md gives that run's
figure)."""

ALSO = (
    "names_read_as_patterns_every_engine",
    "case_folding_unicode",
    "normalize_datetime_written_forms",
    "canonical_symbols_and_controls",
    "names_read_as_spark_variables",
)
"""Cases run beyond the covering ones: odd column names, case mapping, repairs' edges."""


def words(case: Case) -> set[str]:
    """What a case exercises: each rule on each type, transforms, format directives, row rules
    with their options, dataset rules, source keys, optional columns."""
    found: set[str] = set()
    for written in (case.recipe.get("columns") or {}).values():
        spec = written or {}
        kind = spec.get("type", "string")
        found |= {kind, *kinds(spec.get("transforms", []))}
        found |= {f"{rule}:{kind}" for rule in kinds(spec.get("rules", []))}
        found |= {"optional"} if spec.get("required") is False else set()
        found |= {
            f"%{token.letter}"
            for token in tokens(spec.get("format") or "")
            if isinstance(token, Directive)
        }
    for entry in case.recipe.get("rows", []):
        rule, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        found.add(f"{rule}:{sorted((k, str(v)) for k, v in options.items() if k != 'columns')}")
    found |= kinds(case.recipe.get("dataset", []))
    found |= {f"source.{key}" for key in case.recipe.get("source") or {}}
    return found


def covering(cases: list[Case]) -> list[Case]:
    """Few cases that between them have every word any case has (greedy), and `ALSO`."""
    left = set().union(*(words(case) for case in cases))
    chosen = [case for case in cases if case.name in ALSO]
    for case in chosen:
        left -= words(case)
    while left:
        best = max(cases, key=lambda case: len(words(case) & left))
        chosen.append(best)
        left -= words(best)
    return sorted(chosen, key=lambda case: case.name)


def test_the_covering_cases_use_every_word() -> None:
    chosen = covering(CASES)
    assert set().union(*(words(case) for case in chosen)) == set().union(
        *(words(case) for case in CASES)
    )
    assert len(chosen) < len(CASES) / 3


@contextmanager
def interpreted(spark: Any) -> Iterator[None]:
    """Spark without code generation while the block runs: on tables of a few rows, compiling
    each query's Java costs more than running it (12 cases: a third less time); the answers
    are the same. The session's settings are restored after."""
    settings = {
        "spark.sql.codegen.wholeStage": "false",
        "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    }
    before = {key: spark.conf.get(key, None) for key in settings}
    for key, setting in settings.items():
        spark.conf.set(key, setting)
    try:
        yield
    finally:
        for key, setting in before.items():
            if setting is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, setting)


@pytest.mark.spark
def test_the_program_gives_rowsifts_answer(tmp_path: Path) -> None:
    with interpreted(spark_session()):
        each_case_gives_rowsifts_answer(tmp_path)


def each_case_gives_rowsifts_answer(tmp_path: Path) -> None:
    failures = []
    for case in CASES if EVERY_CASE else covering(CASES):
        recipe = recipe_of(case)
        source = export_recipe(recipe, to="pyspark")
        assert imported_modules(source) <= {"pyspark"} | STANDARD_LIBRARY, case.name
        program = load_program(source, tmp_path, case.name)
        try:
            compare(recipe, case.table, program, what=case.name, target="pyspark")
        except AssertionError as exc:
            failures.append(f"{case.name}: {str(exc)[:2000]}")
    # a bound beyond 64 bits, as suggest writes for large counts (no Spark literal holds it)
    bounded = "{type: int, rules: [{between: {min: -1, max: 72000000000000003087007744}}]}"
    recipe = rowsift.load_recipe_text(f"version: 1\ncolumns: {{n: {bounded}}}")
    program = load_program(export_recipe(recipe, to="pyspark"), tmp_path, "beyond_64_bits")
    table: dict[str, list[str | None]] = {"n": ["5", "-7", None, "9223372036854775807"]}
    try:
        compare(recipe, table, program, what="beyond 64 bits", target="pyspark")
    except AssertionError as exc:
        failures.append(f"beyond 64 bits: {exc}")
    assert not failures, "\n\n".join(failures)


@pytest.mark.spark
def test_the_demo_program_writes_rowsifts_files(tmp_path: Path) -> None:
    """The program's `run`, in the suite's session, on the bundled demo writes the files
    `rowsift run` writes (Spark's: folders of parts), equal column for column."""
    recipe = rowsift.load_recipe(orders_recipe_path())
    program = load_program(export_recipe(recipe, to="pyspark"), tmp_path, "orders_clean")
    status = program["run"](spark_session(), str(orders_csv_path()), str(tmp_path / "program"))
    assert status == 0
    rowsift.run_file(recipe, orders_csv_path(), tmp_path / "rowsift", monitor=False)
    for name in ("clean", "quarantine"):
        mine = pl.read_parquet(tmp_path / "program" / f"{name}.parquet" / "*.parquet")
        theirs = pl.read_parquet(tmp_path / "rowsift" / f"{name}.parquet")
        assert mine.height + (theirs.height if name == "clean" else 0) > 0
        same_frames(mine.sort(ROW), theirs.sort(ROW), name)


def test_the_demo_program_passes_ruff(tmp_path: Path) -> None:
    """A reviewer reads the program as they read code: ruff's format leaves it unchanged, and
    ruff finds no unused name, undefined name or likely bug in it."""
    program = tmp_path / "orders_clean.py"
    program.write_text(
        export_recipe(rowsift.load_recipe(orders_recipe_path()), to="pyspark"), encoding="utf-8"
    )
    for command in (
        ["format", "--check", "--diff"],
        ["check", "--isolated", "--select", "F,E9,B,I", "--target-version", "py311"],
    ):
        ran = subprocess.run(
            [sys.executable, "-m", "ruff", *command, str(program)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert ran.returncode == 0, ran.stdout + ran.stderr
