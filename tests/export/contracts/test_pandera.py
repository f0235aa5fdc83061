"""pandera schemas: pandera itself runs them and agrees with rowsift; the YAML reads back."""

from __future__ import annotations

import ast
import runpy
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from tests.conftest import examples
from tests.export.contracts.recipes import mappable_recipes, same_rules
from tests.hostile.payloads import NAMES, PAYLOADS

from rowsift.export.contracts.pandera import (
    from_pandera_yaml,
    to_pandera_python,
    to_pandera_yaml,
)
from rowsift.recipe import Recipe

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.export.peer_agreement import run  # noqa: E402


def test_pandera_agrees_with_rowsift_on_a_tenth_of_the_conformance_cases() -> None:
    """The whole suite is `python -m bench.export.peer_agreement pandera` (docs/export.md)."""
    tally = run(["pandera"], every=10)["pandera"]
    assert tally.disagreements == []
    assert tally.outcomes["agree"] >= 20


@settings(max_examples=examples(60), deadline=None)
@given(mappable_recipes(blame="all", dataset=False))
def test_a_recipe_survives_a_trip_through_the_pandera_yaml(recipe: Recipe) -> None:
    back, notes = from_pandera_yaml(to_pandera_yaml(recipe))
    assert notes == []
    same_rules(recipe, back)


@pytest.mark.parametrize("name", NAMES)
def test_hostile_names_and_values_never_become_code(name: str, tmp_path: Path) -> None:
    values = [p for p in PAYLOADS if p.isprintable()][:20]
    recipe = Recipe.model_validate(
        {
            "version": 1,
            "name": '"""\nimport os\n"""',
            "description": "x\nimport os",
            "columns": {name: {"transforms": ["strip"], "rules": [{"in_set": values}]}},
        }
    )
    source = to_pandera_python(recipe)
    tree = ast.parse(source)
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert imported == {"pandera.polars", "polars"}
    assert [type(node).__name__ for node in tree.body][1:] == ["Import", "Import", "Assign"]
    module = tmp_path / "schema.py"
    module.write_text(source, encoding="utf-8")
    schema = runpy.run_path(str(module))["schema"]
    assert schema.columns[name].checks[0].statistics["allowed_values"] == values
    back, _ = from_pandera_yaml(to_pandera_yaml(recipe))
    assert back.columns[name].rules[0].compact() == {"in_set": values}


def test_an_example_yaml_schema_imports_with_what_it_cannot_map_listed() -> None:
    """A schema written the way pandera's docs write one (not by rowsift)."""
    text = """
schema_type: dataframe
version: 0.20.0
columns:
  column1:
    dtype: int64
    nullable: false
    checks:
      greater_than: 5
    greater_than_or_equal_to: 0
    less_than: 100
  column2:
    dtype: str
    nullable: true
    str_matches: "^[a-z]+"
    isin: [a, b, c]
  column3:
    dtype: float64
    in_range: {min_value: 0.0, max_value: 1.0, include_max: false}
    is_monotonic: true
unique: [column1, column2]
coerce: true
"""
    recipe, notes = from_pandera_yaml(text)
    assert recipe.columns["column1"].type == "int"
    assert [r.compact() for r in recipe.columns["column1"].rules] == [
        "not_null",
        {"between": {"min": 0}},
        {"between": {"max": 100, "include_max": False}},
        {"between": {"min": 5, "include_min": False}},
    ]
    assert recipe.columns["column2"].rules[0].compact() == {"matches": "^[a-z]+"}
    assert recipe.rows[0].compact() == {
        "duplicate": {"columns": ["column1", "column2"], "keep": "none"}
    }
    assert [note.split(":")[0] for note in notes] == ["columns.column3.is_monotonic"]


def test_a_column_named_like_a_pattern_is_left_out_of_the_polars_module_and_said_so(
    tmp_path: Path,
) -> None:
    """pandera's Polars backend takes `^b$` for a pattern of column names: the module leaves
    that column out, with a note per rule, and judges the others; the YAML keeps it."""
    import pandera.polars as pa
    import polars as pl

    import rowsift

    recipe = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n"
        '  "^b$": {type: int, rules: [{between: {min: 0, max: 9}}]}\n'
        "  c: {type: int, rules: [{between: {min: 0, max: 9}}]}\n"
    )
    module = tmp_path / "schema.py"
    module.write_text(to_pandera_python(recipe), encoding="utf-8")
    text = module.read_text(encoding="utf-8")
    assert "# - ^b$.between: pandera's Polars backend reads a column name" in text
    schema = runpy.run_path(str(module))["schema"]
    assert list(schema.columns) == ["c"]
    with pytest.raises(pa.errors.SchemaErrors) as failed:
        schema.validate(pl.DataFrame({"^b$": [5, 12], "c": [1, 10]}), lazy=True)
    assert failed.value.failure_cases["column"].to_list() == ["c"]
    assert "  ^b$:\n" in to_pandera_yaml(recipe)
