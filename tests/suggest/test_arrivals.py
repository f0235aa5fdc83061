"""Values that keep arriving: a table ordered by a column of years or dates whose latest rows
bring values the earlier ones never held gets a set that only warns; a set whose values all
appear early keeps quarantining."""

from __future__ import annotations

import random

import polars as pl

import rowsift


def inspections(seed: int = 2) -> pl.DataFrame:
    """Restaurants inspected every year from 2000 to 2009: a few open each year, each is
    inspected a dozen times, and the grade is one of three."""
    draw = random.Random(seed)
    rows = []
    open_now = [f"Diner {number}" for number in range(60)]
    for year in range(2000, 2010):
        open_now += [f"Bistro {year}-{number}" for number in range(6)]
        for name in open_now:
            for _ in range(draw.randint(1, 3)):
                rows.append((str(year), name, draw.choice("ABC")))
    draw.shuffle(rows)  # the file is in no order: the years give it one
    return pl.DataFrame(rows, schema=["year", "restaurant", "grade"], orient="row")


def in_set(recipe: rowsift.Recipe, column: str) -> rowsift.recipe.ColumnRuleSpec | None:
    return next((r for r in recipe.columns[column].rules if r.kind == "in_set"), None)


def test_names_that_keep_arriving_only_warn_and_the_next_year_passes() -> None:
    frame = inspections()
    recipe = rowsift.suggest_recipe(frame)
    names = in_set(recipe, "restaurant")
    assert names is not None
    assert names.args.severity == "warn"
    assert "keep arriving" in names.args.evidence.note
    assert "`year` 2009 on" in names.args.evidence.note
    grades = in_set(recipe, "grade")
    assert grades is not None
    assert grades.args.severity == "error"
    later = pl.DataFrame(
        {
            "year": ["2010"] * 3,
            "restaurant": ["Diner 1", "Bistro 2010-0", "Bistro 2010-1"],
            "grade": ["A", "B", "D"],
        }
    )
    result = rowsift.run(recipe, later)
    assert result.summary.rows_quarantined == 1  # the grade D, not the new restaurants
    assert result.quarantine["_rowsift_reasons"].to_list() == [["grade.in_set"]]


def test_without_a_time_column_the_count_of_rows_decides_as_before() -> None:
    frame = inspections().drop("year")
    names = in_set(rowsift.suggest_recipe(frame), "restaurant")
    assert names is not None
    assert names.args.severity == "error"
