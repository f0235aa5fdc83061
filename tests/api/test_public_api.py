"""The public surface is exactly the intended names, and runs keep frames in kind."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pytest

import rowsift
from rowsift.exceptions import InputError, UsageError

RECIPE = """
version: 1
columns:
  id: {transforms: [strip, upper], rules: [not_null, {matches: '^A\\d$'}, unique]}
  amount: {type: float, rules: [{between: {min: 0}}]}
"""


def test_exported_names_are_exactly_the_intended_ones() -> None:
    assert set(rowsift.__all__) == {
        "InputError",
        "Recipe",
        "RecipeError",
        "RowsiftError",
        "RunResult",
        "RunSummary",
        "TableProfile",
        "UsageError",
        "__version__",
        "compile_recipe",
        "load_recipe",
        "load_recipe_text",
        "profile_table",
        "run",
        "run_file",
        "suggest_recipe",
    }
    for name in rowsift.__all__:
        assert hasattr(rowsift, name)


def frames() -> dict[str, object]:
    data = {"id": ["a1", " a1", None, "b7", "A2"], "amount": ["1", "2", "3", "-1", "x"]}
    return {
        "polars-eager": pl.DataFrame(data),
        "polars-lazy": pl.DataFrame(data).lazy(),
        "pandas": pd.DataFrame(data),
    }


@pytest.mark.parametrize("kind", ["polars-eager", "polars-lazy", "pandas"])
def test_run_returns_the_same_kind_of_frame(kind: str) -> None:
    frame = frames()[kind]
    result = rowsift.run(rowsift.load_recipe_text(RECIPE), frame)
    assert type(result.clean) is type(frame)
    assert type(result.quarantine) is type(frame)
    clean = (
        pl.from_pandas(result.clean)
        if kind == "pandas"
        else pl.DataFrame(result.clean.lazy().collect())
    )
    quarantine = (
        pl.from_pandas(result.quarantine)
        if kind == "pandas"
        else pl.DataFrame(result.quarantine.lazy().collect())
    )
    assert clean["id"].to_list() == ["A1"]
    assert clean["amount"].to_list() == [1.0]
    reasons = dict(
        zip(
            quarantine["_rowsift_row"].to_list(),
            quarantine["_rowsift_reasons"].to_list(),
            strict=True,
        )
    )
    assert {row: list(r) for row, r in reasons.items()} == {
        1: ["id.unique"],
        2: ["id.not_null"],
        3: ["id.matches", "amount.between"],
        4: ["amount.type"],
    }
    assert quarantine.filter(pl.col("_rowsift_row") == 1)["id"].to_list() == [" a1"]
    summary = result.summary
    assert (summary.rows_in, summary.rows_clean, summary.rows_quarantined) == (5, 1, 4)


def test_run_accepts_a_recipe_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "r.yaml"
    path.write_text(RECIPE)
    result = rowsift.run(path, pl.DataFrame({"id": ["A1"], "amount": ["0"]}))
    assert result.summary.rows_clean == 1


def test_missing_column_is_an_input_error_with_a_close_name() -> None:
    with pytest.raises(InputError) as caught:
        rowsift.run(rowsift.load_recipe_text(RECIPE), pl.DataFrame({"ID": ["A1"], "amount": ["1"]}))
    assert "'id'" in caught.value.message
    assert "did you mean 'ID'?" in caught.value.hint
    assert caught.value.exit_code == 3


def test_optional_columns_may_be_absent() -> None:
    recipe = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n  a: {}\n  b: {required: false, rules: [not_null]}\n"
    )
    result = rowsift.run(recipe, pl.DataFrame({"a": ["x"]}))
    assert result.quarantine["_rowsift_reasons"].to_list() == [["b.not_null"]]


def test_an_unsupported_frame_is_a_usage_error() -> None:
    with pytest.raises(UsageError):
        rowsift.run(rowsift.load_recipe_text(RECIPE), [{"id": "A1"}])


def test_recipe_save_round_trips(tmp_path) -> None:  # type: ignore[no-untyped-def]
    recipe = rowsift.load_recipe_text(RECIPE)
    recipe.save(tmp_path / "saved.yaml")
    assert rowsift.load_recipe(tmp_path / "saved.yaml") == recipe
    assert [p.name for p in tmp_path.iterdir()] == ["saved.yaml"]
