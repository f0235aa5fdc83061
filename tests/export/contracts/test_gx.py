"""Great Expectations 1.x suites: GX itself runs them and agrees with rowsift; they read back."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from tests.conftest import examples
from tests.export.contracts.recipes import mappable_recipes, same_rules
from tests.hostile.payloads import NAMES, PAYLOADS

from rowsift.exceptions import RecipeError
from rowsift.export.contracts.gx import from_gx, to_gx
from rowsift.recipe import Recipe, load_recipe, load_recipe_text

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.export.peer_agreement import run  # noqa: E402


def test_gx_agrees_with_rowsift_on_a_tenth_of_the_conformance_cases() -> None:
    """The whole suite is `python -m bench.export.peer_agreement gx` (docs/export.md)."""
    tally = run(["gx"], every=10)["gx"]
    assert tally.disagreements == []
    assert tally.outcomes["agree"] >= 10


@settings(max_examples=examples(60), deadline=None)
@given(
    mappable_recipes(
        blame="all",
        kinds=(
            "not_null",
            "matches",
            "between",
            "in_set",
            "length",
            "unique",
            "compare",
            "warn",
            "null_rate",
        ),
    )
)
def test_a_recipe_survives_a_trip_through_gx(recipe: Recipe) -> None:
    back, notes = from_gx(to_gx(recipe))
    assert notes == []
    same_rules(recipe, back)


def test_the_demo_recipe_reads_back_with_every_mappable_rule() -> None:
    from rowsift.demo import orders_recipe_path

    recipe = load_recipe(orders_recipe_path())
    suite = json.loads(to_gx(recipe))
    assert any("quarantine_rate" in note for note in suite["notes"])
    back, notes = from_gx(to_gx(recipe))
    assert notes == []
    assert [spec.kind for spec in back.columns["order_id"].rules] == [
        "not_null",
        "matches",
        "unique",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_hostile_names_and_values_stay_data(name: str) -> None:
    recipe = Recipe.model_validate(
        {"version": 1, "columns": {name: {"rules": [{"in_set": PAYLOADS[:30]}]}}}
    )
    suite = json.loads(to_gx(recipe))
    (entry,) = [e for e in suite["expectations"] if e["type"].endswith("in_set")]
    assert entry["kwargs"] == {"column": name, "value_set": PAYLOADS[:30]}
    back, _ = from_gx(json.dumps(suite))
    assert back.columns[name].rules[0].compact() == {"in_set": PAYLOADS[:30]}


def test_an_example_suite_imports_with_what_it_cannot_map_listed() -> None:
    """A suite written the way GX's docs write one (not by rowsift)."""
    suite = {
        "name": "taxi_trips",
        "expectations": [
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "vendor_id"}},
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "passenger_count", "min_value": 1, "max_value": 6},
            },
            {
                "type": "expect_column_values_to_be_in_set",
                "kwargs": {"column": "payment_type", "value_set": [1, 2, 3, 4]},
                "severity": "warning",
            },
            {
                "type": "expect_column_mean_to_be_between",
                "kwargs": {"column": "fare_amount", "min_value": 5, "max_value": 40},
            },
            {
                "type": "expect_column_values_to_match_regex",
                "kwargs": {"column": "store_flag", "regex": "^[YN]$", "mostly": 0.9},
            },
            {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1000}},
            {
                "type": "expect_column_values_to_be_of_type",
                "kwargs": {"column": "fare_amount", "type_": "float64"},
            },
        ],
        "meta": {"great_expectations_version": "1.3.0"},
    }
    recipe, notes = from_gx(json.dumps(suite))
    assert recipe.columns["passenger_count"].type == "int"
    assert recipe.columns["fare_amount"].type == "float"
    assert recipe.columns["payment_type"].rules[0].compact() == {
        "in_set": {"values": [1, 2, 3, 4], "severity": "warn"}
    }
    assert [note.split(":")[0] for note in notes] == [
        "expectations[3] (expect_column_mean_to_be_between)",
        "expectations[4] (expect_column_values_to_match_regex)",
    ]
    assert recipe.dataset[0].compact() == {"row_count": {"min": 1000}}


def test_gx_builds_the_suite_of_every_conformance_recipe() -> None:
    import great_expectations as gx
    from bench.export.peer_agreement import load_cases

    from rowsift.recipe.yaml_text import dump_yaml

    built = 0
    for name, data, _ in load_cases():
        try:
            recipe = load_recipe_text(dump_yaml(data))
        except RecipeError:
            continue
        suite = gx.ExpectationSuite(**json.loads(to_gx(recipe)))
        assert len(suite.expectations) >= len(recipe.columns), name
        built += 1
    assert built > 150
