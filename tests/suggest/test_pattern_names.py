"""Profile and suggest take columns named like Polars' patterns (`*`, `^…$`) as themselves."""

from __future__ import annotations

import polars as pl

import rowsift

NAMES = ["*", "^b$", "^.*$"]


def _table() -> pl.DataFrame:
    rows = 60
    return pl.DataFrame(
        {
            "*": [str(i) for i in range(rows)],  # a key of integers
            "^b$": [["red", "green", "blue"][i % 3] for i in range(rows)],
            "^.*$": [f"2024-01-{1 + i % 28:02d}" for i in range(rows)],
        }
    )


def test_profile_sees_each_pattern_named_column_as_itself() -> None:
    prof = rowsift.profile_table(_table())
    assert [column.name for column in prof.columns] == NAMES
    assert prof.column("*").inferred_type == "int"
    assert prof.column("*").distinct == 60
    assert prof.column("^b$").distinct == 3
    assert prof.column("^.*$").inferred_type == "date"
    assert ("*",) in prof.keys


def test_a_suggested_recipe_for_pattern_named_columns_runs_on_them() -> None:
    table = _table()
    recipe = rowsift.suggest_recipe(table)
    assert list(recipe.columns) == NAMES
    assert recipe.columns["*"].type == "int"
    result = rowsift.run(recipe, table)
    assert result.summary.rows_clean == 60
    assert result.clean.columns[:3] == NAMES
    assert result.clean["*"].to_list() == list(range(60))
