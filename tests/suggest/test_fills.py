"""Null fills: a null takes the one value its entity's other rows agree on, and nothing else
changes; a column no entity determines, or too few such nulls, gets none."""

from __future__ import annotations

import random

import polars as pl
import pytest

import rowsift
from rowsift.export import export_recipe
from rowsift.export.code import EXPORTERS

BOROUGHS = ["BRONX", "BROOKLYN", "MANHATTAN", "QUEENS", "STATEN IS"]


def filings(seed: int = 3) -> tuple[pl.DataFrame, list[str]]:
    """Charities filed several times each; a fifth of the filings leave the borough out, and
    a few charities moved (their filings disagree). Returns the table and each row's true
    borough (None for the charities that moved: a filing left empty may be either)."""
    draw = random.Random(seed)
    rows, truth = [], []
    for number in range(150):
        ein = f"{draw.randint(10, 99)}-{draw.randint(1_000_000, 9_999_999)}"
        home = draw.choice(BOROUGHS)
        moved = draw.choice(BOROUGHS) if number % 15 == 0 else home
        for filing in range(draw.randint(2, 7)):
            borough = moved if filing % 2 else home
            rows.append((ein, f"Charity {number}", None if draw.random() < 0.2 else borough))
            truth.append(borough if moved == home else None)
    return pl.DataFrame(rows, schema=["ein", "name", "borough"], orient="row"), truth


def test_nulls_take_the_value_their_entity_agrees_on_and_nothing_else_changes() -> None:
    frame, truth = filings()
    recipe = rowsift.suggest_recipe(frame)
    majority = recipe.columns["borough"].transforms[-1]
    assert majority.compact() == {
        "majority": {"by": ["ein"], "min_share": 1.0, "min_rows": 2, "fill_nulls": True}
    }
    result = rowsift.run(recipe, frame)
    clean = result.clean.sort("_rowsift_row")
    before, after = frame["borough"].to_list(), clean["borough"].to_list()
    assert len(after) == frame.height  # nothing quarantined
    changed = [row for row, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed
    assert all(before[row] is None for row in changed)
    assert all(after[row] == truth[row] for row in changed if truth[row] is not None)
    groups = (
        frame.filter(pl.col("borough").is_not_null())
        .group_by("ein")
        .agg(pl.col("borough").n_unique().alias("values"), pl.len().alias("present"))
    )
    unanimous = set(groups.filter((pl.col("values") == 1) & (pl.col("present") >= 2))["ein"])
    fillable = frame.filter(pl.col("borough").is_null() & pl.col("ein").is_in(unanimous))
    assert len(changed) == fillable.height
    assert result.summary.repairs["borough"]["majority"] == fillable.height
    evidence = recipe.columns["borough"].evidence["majority"]
    assert evidence.observed == fillable.height


def test_a_column_no_entity_determines_gets_no_fill() -> None:
    frame, _ = filings()
    draw = random.Random(5)
    scattered = frame.with_columns(
        pl.Series(
            "borough",
            [None if draw.random() < 0.2 else draw.choice(BOROUGHS) for _ in range(frame.height)],
        )
    )
    assert "majority" not in [
        t.kind for t in rowsift.suggest_recipe(scattered).columns["borough"].transforms
    ]


def test_a_few_nulls_are_no_evidence() -> None:
    frame, truth = filings()
    settled = frame.filter(pl.Series([known is not None for known in truth]))
    complete = settled.with_columns(pl.Series("borough", [t for t in truth if t is not None]))
    two = complete.with_columns(
        pl.when(pl.int_range(pl.len()).is_in([4, 40]))
        .then(None)
        .otherwise(pl.col("borough"))
        .alias("borough")
    )
    assert "majority" not in [
        t.kind for t in rowsift.suggest_recipe(two).columns["borough"].transforms
    ]


def seasons(structural: bool, seed: int = 4) -> pl.DataFrame:
    """Teams by season, 1950 to 1989; a team's division is null in some seasons: before
    divisions began (1969) when `structural`, else in seasons drawn at random."""
    draw = random.Random(seed)
    rows = []
    for team in range(24):
        division = ["East", "West"][team % 2]
        for year in range(1950, 1990):
            missing = year < 1969 if structural else draw.random() < 0.2
            rows.append((f"T{team:02d}", str(year), None if missing else division))
    return pl.DataFrame(rows, schema=["team", "year", "division"], orient="row")


@pytest.mark.parametrize("structural", [True, False])
def test_nulls_at_the_edges_of_an_entitys_time_are_not_filled(structural: bool) -> None:
    """A team had no division before divisions began: those nulls are no missing value."""
    recipe = rowsift.suggest_recipe(seasons(structural))
    kinds = [t.kind for t in recipe.columns["division"].transforms]
    assert ("majority" in kinds) is not structural


@pytest.mark.parametrize("target", sorted(EXPORTERS))
def test_the_suggested_fills_export_to_every_program(target: str) -> None:
    """Two fills from one entity: neither groups by a filled column, so every program writes
    them."""
    frame, _ = filings()
    draw = random.Random(7)
    names = frame["name"].to_list()
    frame = frame.with_columns(
        pl.Series("name", [None if draw.random() < 0.2 else name for name in names])
    )
    recipe = rowsift.suggest_recipe(frame)
    filled = [
        name
        for name, spec in recipe.columns.items()
        if spec.transforms and spec.transforms[-1].kind == "majority"
    ]
    assert sorted(filled) == ["borough", "name"]
    assert "majority" in export_recipe(recipe, to=target)
