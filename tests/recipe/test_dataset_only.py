"""A recipe of dataset rules alone (no `columns:`) is valid: a row-count check on any table."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import rowsift
from rowsift.exceptions import RecipeError

RECIPE = "version: 1\ndataset:\n  - row_count: {min: 3}\n"


def rowsift_command(*args: Any) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "rowsift._cli", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_it_loads_saves_and_loads_back() -> None:
    recipe = rowsift.load_recipe_text(RECIPE)
    assert recipe.columns == {}
    assert recipe.to_yaml() == "version: 1\ndataset:\n- row_count: {min: 3}\n"
    assert rowsift.load_recipe_text(recipe.to_yaml()) == recipe
    assert rowsift.compile_recipe(recipe).rule_ids() == []


@pytest.mark.parametrize("engine", ["polars", "pandas", "duckdb"])
def test_a_file_run_keeps_every_row_and_the_row_count_decides(tmp_path: Path, engine: str) -> None:
    recipe = tmp_path / "count.yaml"
    recipe.write_text(RECIPE, encoding="utf-8")
    small = tmp_path / "small.csv"
    small.write_text("id,name\n1,a\n2,\n", encoding="utf-8")
    out = tmp_path / "out"
    done = rowsift_command("run", recipe, small, "--out", out, "--engine", engine)
    assert done.returncode == 1, done.stderr  # two rows, at least three wanted: the run fails
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["rows_in"], summary["rows_clean"], summary["status"]) == (2, 2, "fail")
    assert summary["dataset"][0]["id"] == "dataset.row_count"
    small.write_text("id,name\n1,a\n2,\n3,c\n", encoding="utf-8")
    done = rowsift_command("run", recipe, small, "--out", out, "--engine", engine)
    assert done.returncode == 0, done.stderr


def test_check_and_explain_accept_it(tmp_path: Path) -> None:
    recipe = tmp_path / "count.yaml"
    recipe.write_text(RECIPE, encoding="utf-8")
    assert rowsift_command("check", recipe).returncode == 0
    explained = rowsift_command("explain", recipe)
    assert explained.returncode == 0, explained.stderr
    assert "dataset.row_count" in explained.stdout


def test_rules_that_need_columns_still_say_so() -> None:
    text = "version: 1\nrows: [duplicate]\ndataset: [{null_rate: {column: a, max: 0}}]\n"
    with pytest.raises(RecipeError) as caught:
        rowsift.load_recipe_text(text, file="r.yaml")
    found = {(p.path, p.message) for p in caught.value.problems}
    assert found == {
        (
            "rows[0].duplicate",
            "duplicate compares the declared columns, and this recipe declares none",
        ),
        ("dataset[0].null_rate.column", "unknown column 'a'"),
    }
