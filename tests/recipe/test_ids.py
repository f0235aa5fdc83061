"""Rule ids never collide, whatever the columns are named, and the failing cell is recoverable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rowsift
from rowsift._names import PARSE_RULE_ID, declarable
from rowsift.exceptions import RecipeError
from rowsift.recipe.ids import column_scope, rule_ids

NAMES = st.sampled_from(
    ["row", "dataset", "columns", "row.x", "dataset.null_rate", "a", "a_2", "a.b", "a.type", "x"]
) | st.text(min_size=1, max_size=6).filter(declarable)


def recipe_of(names: list[str], draw: st.DrawFn) -> dict[str, Any]:
    rules = st.lists(st.sampled_from(["not_null", "unique", {"length": {"max": 3}}]), max_size=3)
    columns = {name: {"rules": draw(rules)} for name in names}
    rows = draw(
        st.lists(
            st.sampled_from(
                [{"unique": {"columns": [names[0]]}}, {"duplicate": {"keep": "first"}}]
            ),
            max_size=3,
        )
    )
    dataset = draw(
        st.lists(
            st.sampled_from(
                [
                    {"row_count": {"min": 1}},
                    *({"null_rate": {"column": n, "max": 1}} for n in names),
                ]
            ),
            max_size=4,
        )
    )
    return {"version": 1, "columns": columns, "rows": rows, "dataset": dataset}


@settings(max_examples=300, deadline=None)
@given(data=st.data(), names=st.lists(NAMES, min_size=1, max_size=5, unique=True))
def test_no_two_rules_share_an_id(data: st.DataObject, names: list[str]) -> None:
    recipe = rowsift.Recipe.model_validate(recipe_of(names, data.draw))
    plan = rowsift.compile_recipe(recipe)
    every = [PARSE_RULE_ID, *plan.rule_ids(), *(step.id for step in plan.dataset)]
    assert len(every) == len(set(every))
    for location, rule_id in rule_ids(recipe):
        if location[0] == "columns":  # the column is recoverable from a column rule's id
            assert rule_id.startswith(column_scope(str(location[1])) + ".")
            assert not rule_id.startswith(("row.", "dataset."))


def test_a_column_named_row_has_its_own_ids_in_the_summary() -> None:
    recipe = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n  row: {rules: [unique]}\nrows: [{unique: {columns: [row]}}]\n"
    )
    result = rowsift.run(recipe, pl.DataFrame({"row": ["a", "a", "b"]}))
    assert result.summary.failures == {"columns.row.unique": 1, "row.unique": 1}
    assert result.quarantine["_rowsift_reasons"].to_list() == [["columns.row.unique", "row.unique"]]


def test_a_second_null_rate_and_a_column_ending_in_a_number_do_not_collide() -> None:
    recipe = rowsift.load_recipe_text(
        "version: 1\ncolumns: {a: {}, a_2: {}}\n"
        "dataset: [{null_rate: {column: a, max: 1}}, {null_rate: {column: a, max: 0}},"
        " {null_rate: {column: a_2, max: 1}}]\n"
    )
    ids = [step.id for step in rowsift.compile_recipe(recipe).dataset]
    assert ids == ["dataset.null_rate.a", "dataset.null_rate.a_2", "dataset.null_rate.a_2_2"]


def test_run_with_a_store_records_a_column_named_like_a_scope(tmp_path: Path) -> None:
    recipe = tmp_path / "r.yaml"
    recipe.write_text(
        "version: 1\ncolumns:\n  row: {rules: [unique]}\n  dataset: {rules: [not_null]}\n"
        "rows: [{unique: {columns: [row]}}]\n",
        encoding="utf-8",
    )
    table = tmp_path / "t.csv"
    table.write_text("row,dataset\na,1\na,\nb,2\n", encoding="utf-8")
    store = tmp_path / "metrics.duckdb"
    out = tmp_path / "out"
    done = rowsift_command("run", recipe, table, "--out", out, "--store", store)
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["failures"] == {
        "columns.row.unique": 1,
        "columns.dataset.not_null": 1,
        "row.unique": 1,
    }
    history = rowsift_command("history", "--store", store, "--json")
    assert history.returncode == 0, history.stderr
    [run] = json.loads(history.stdout)["runs"]
    assert run["failures"] == summary["failures"]


def rowsift_command(*args: Any) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "rowsift._cli", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("name", ["_rowsift_row", "_rowsift_reasons", "_rowsift_anything"])
def test_a_recipe_may_not_declare_rowsift_own_columns(name: str) -> None:
    with pytest.raises(RecipeError) as caught:
        rowsift.load_recipe_text(f"version: 1\ncolumns:\n  {name}: {{}}\n", file="r.yaml")
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == (f"columns.{name}", 3)
    assert "the columns rowsift adds" in problem.message
    assert "rename the column in the input" in problem.hint


def test_a_recipe_may_not_declare_a_column_holding_the_separator_of_rule_ids() -> None:
    """Rule ids and repaired columns travel joined by U+001F: a name holding it would split."""
    with pytest.raises(RecipeError) as caught:
        rowsift.load_recipe_text('version: 1\ncolumns:\n  "a\\x1fb": {}\n', file="r.yaml")
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("columns.a\x1fb", 3)
    assert "U+001F" in problem.message
