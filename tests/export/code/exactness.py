"""Run an exported program in this process and compare what it gives with rowsift's answer.

A program is executed from its own text (`runpy`, under a name that is not ``__main__``, so
its `main` does not run); its `split(frame)` is called on the same table of text that
`rowsift.run` gets. Both outputs are compared row for row and value for value (types too),
reasons in order, and the dataset verdicts and per-rule counts.
"""

from __future__ import annotations

import ast
import runpy
import sys
from pathlib import Path
from typing import Any

import polars as pl
from polars.testing import assert_frame_equal

import rowsift
from rowsift._names import REASONS, ROW

Table = dict[str, list[str | None]]

STANDARD_LIBRARY = sys.stdlib_module_names


def refused_kinds(recipe: rowsift.Recipe, target: str) -> list[str]:
    """The kinds of the recipe that the target documents it cannot write (docs/export.md)."""
    from rowsift.export.code import CANNOT_EXPORT

    entries = [e for spec in recipe.columns.values() for e in (*spec.transforms, *spec.rules)]
    kinds = {entry.kind for entry in (*entries, *recipe.rows, *recipe.dataset)}
    return sorted(kinds & set(CANNOT_EXPORT.get(target, {})))


def assert_refused(recipe: rowsift.Recipe, target: str, kinds: list[str]) -> None:
    """Exporting a recipe with a kind the target cannot write fails, naming the kind."""
    import pytest

    from rowsift.exceptions import ExportError
    from rowsift.export import export_recipe

    with pytest.raises(ExportError) as refused:
        export_recipe(recipe, to=target)
    assert any(repr(kind) in str(refused.value) for kind in kinds), str(refused.value)


def imported_modules(source: str) -> set[str]:
    """The top-level modules a program's source imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def load_program(source: str, folder: Path, name: str) -> dict[str, Any]:
    """The program's globals, as a module run from a file (so tracebacks show its lines)."""
    path = folder / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    return runpy.run_path(str(path), run_name=f"exported_{name}")


def polars_table(table: Table) -> pl.DataFrame:
    """The table as Polars text columns."""
    return pl.DataFrame(
        {name: pl.Series(name, values, dtype=pl.String) for name, values in table.items()}
    )


def same_frames(got: pl.DataFrame, expected: pl.DataFrame, what: str) -> None:
    """Equal names, types and values, in the same order."""
    try:
        assert_frame_equal(got, expected, check_exact=True)
    except AssertionError as exc:
        raise AssertionError(f"{what}: {exc}\ngot:\n{got}\nexpected:\n{expected}") from None


def pandas_table(table: Table) -> Any:
    """The table as a pandas program reads it: Arrow-backed text, numbered by ROW."""
    import pandas as pd
    import pyarrow as pa

    columns = {
        name: pd.Series(values, dtype=pd.ArrowDtype(pa.string())) for name, values in table.items()
    }
    rows = len(next(iter(table.values()), []))
    return pd.DataFrame(columns, index=pd.RangeIndex(rows)).assign(
        **{ROW: pd.Series(range(rows), dtype="int64[pyarrow]")}
    )


def from_pandas(frame: Any) -> pl.DataFrame:
    """A pandas program's output as Polars sees it (through Arrow, as its Parquet file)."""
    import pyarrow as pa

    converted = pl.from_arrow(pa.Table.from_pandas(frame, preserve_index=False))
    assert isinstance(converted, pl.DataFrame)
    return converted


def spark_table(numbered: pl.DataFrame) -> Any:
    """A numbered table of text as a Spark DataFrame, in the suite's one Spark session."""
    from pyspark.sql.types import LongType, StringType, StructField, StructType
    from tests.conftest import spark_session

    schema = StructType(
        [
            StructField(name, LongType() if name == ROW else StringType())
            for name in numbered.columns
        ]
    )
    return spark_session().createDataFrame(numbered.rows(), schema, verifySchema=False)


def from_spark(frame: Any) -> pl.DataFrame:
    """A Spark DataFrame's rows as Polars, through Arrow (types kept: decimals, timestamps
    without time zone, lists)."""
    converted = pl.from_arrow(frame.toArrow())
    assert isinstance(converted, pl.DataFrame)
    return converted


def compare(
    recipe: rowsift.Recipe,
    table: Table,
    program: dict[str, Any],
    *,
    what: str,
    target: str = "polars",
) -> None:
    """The program's split of `table` equals rowsift's run (on Polars, the reference), in every
    respect it can show; `target` says which frames the program takes and gives."""
    frame = polars_table(table)
    expected = rowsift.run(recipe, frame)
    if target == "pandas":
        clean, quarantine, stats = program["split"](pandas_table(table))
        clean, quarantine = from_pandas(clean), from_pandas(quarantine)
    elif target == "pyspark":
        numbered = frame.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64))
        clean, quarantine, stats = program["split"](spark_table(numbered))
        clean, quarantine = from_spark(clean), from_spark(quarantine)
    else:
        numbered = frame.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64))
        clean, quarantine, stats = program["split"](numbered)
    same_frames(clean.sort(ROW), expected.clean.sort(ROW), f"{what}: clean")
    same_frames(quarantine.sort(ROW), expected.quarantine.sort(ROW), f"{what}: quarantine")
    summary = expected.summary
    counted = {rule.id: rule.failed for rule in summary.rules}
    assert stats["failures"] == counted, (what, stats["failures"], counted)
    verdicts = {
        rule_id: (observed, passed)
        for rule_id, _, judge in program["DATASET"]
        for observed, passed in [judge(stats)]
    }
    assert verdicts == {
        outcome.id: (outcome.observed, outcome.passed) for outcome in summary.dataset
    }, what
    assert REASONS in quarantine.columns
