"""The opt-in majority repair: suggested only when asked for, only where a dependency's
disagreeing values look like noise, and never on a dependency that holds exactly."""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest

import rowsift
from rowsift.exceptions import UsageError


def prices(noise: float, seed: int = 1) -> pl.DataFrame:
    """Products with one price each; `noise` of the rows carry a slipped decimal point."""
    draw = random.Random(seed)
    products = [f"P{number:03d}" for number in range(60)]
    price = {product: str(draw.randint(100, 999) / 10) for product in products}
    rows = []
    for _ in range(3000):
        product = draw.choice(products)
        value = price[product]
        if draw.random() < noise:
            value = str(round(float(value) * draw.choice([10, 0.1]), 2))
        rows.append((product, value))
    return pl.DataFrame(rows, schema=["product", "price"], orient="row")


def kinds(recipe: rowsift.Recipe, column: str) -> list[str]:
    return [transform.kind for transform in recipe.columns[column].transforms]


def test_noise_off_a_dependency_is_repaired_by_its_group_only_when_asked() -> None:
    frame = prices(noise=0.01)
    assert "majority" not in kinds(rowsift.suggest_recipe(frame), "price")
    recipe = rowsift.suggest_recipe(frame, repairs=("majority",))
    assert kinds(recipe, "price")[-1] == "majority"
    assert recipe.columns["price"].transforms[-1].compact() == {"majority": {"by": ["product"]}}
    assert recipe.columns["price"].evidence["majority"].observed == 1.0
    result = rowsift.run(recipe, frame)
    slipped = frame.filter(pl.col("price") != pl.col("price").mode().first().over("product"))
    assert result.summary.repairs["price"]["majority"] == slipped.height > 0
    assert result.summary.rows_quarantined == 0


def test_an_exact_dependency_gets_no_majority() -> None:
    recipe = rowsift.suggest_recipe(prices(noise=0.0), repairs=("majority",))
    assert "majority" not in kinds(recipe, "price")


def test_an_unknown_opt_in_repair_is_refused() -> None:
    with pytest.raises(UsageError, match="unknown opt-in repair"):
        rowsift.suggest_recipe(prices(noise=0.0), repairs=("mode",))


def test_the_command_line_asks_for_it_by_name(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from rowsift._cli.app import app

    path = tmp_path / "prices.csv"
    prices(noise=0.01).write_csv(path)
    runner = CliRunner()
    wrong = runner.invoke(
        app, ["suggest", str(path), "-o", str(tmp_path / "a.yaml"), "--repairs", "mode"]
    )
    assert wrong.exit_code == 2
    assert "unknown opt-in repair 'mode'" in wrong.stderr
    done = runner.invoke(
        app, ["suggest", str(path), "-o", str(tmp_path / "b.yaml"), "--repairs", "majority"]
    )
    assert done.exit_code == 0, done.stderr
    recipe = rowsift.load_recipe(tmp_path / "b.yaml")
    assert kinds(recipe, "price")[-1] == "majority"
