"""Frictionless Table Schemas and ODCS v3.1 contracts: valid by the formats' own validators on
every conformance recipe, read back with every mappable rule, hostile text kept as data."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from tests.conftest import examples
from tests.export.contracts.recipes import mappable_recipes, same_rules
from tests.hostile.payloads import NAMES, PAYLOADS

from rowsift.exceptions import RecipeError
from rowsift.export.contracts import import_contract
from rowsift.export.contracts.frictionless import from_frictionless, to_frictionless
from rowsift.export.contracts.odcs import from_odcs, to_odcs
from rowsift.recipe import Recipe, load_recipe_text
from rowsift.recipe.yaml_text import dump_yaml

CASES = Path(__file__).resolve().parents[2] / "conformance" / "cases"


@cache
def odcs_validator() -> Any:
    """The ODCS v3.1 JSON Schema that the `open-data-contract-standard` package ships."""
    import jsonschema

    schema = json.loads(files("open_data_contract_standard").joinpath("schema.json").read_text())
    assert "v3.1.0" in schema["properties"]["apiVersion"]["enum"]
    return jsonschema.Draft201909Validator(schema)


def frictionless_errors(text: str) -> list[str]:
    import frictionless

    report = frictionless.Schema.validate_descriptor(json.loads(text))
    return [error.message for error in report.errors]


def conformance_recipes() -> list[tuple[str, Recipe]]:
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        try:
            found.append((path.stem, load_recipe_text(dump_yaml(data["recipe"]))))
        except RecipeError:  # cases of invalid recipes
            continue
    return found


def test_every_conformance_recipe_exports_a_valid_schema_and_contract() -> None:
    recipes = conformance_recipes()
    assert len(recipes) > 150
    for name, recipe in recipes:
        assert frictionless_errors(to_frictionless(recipe)) == [], name
        contract = yaml.safe_load(to_odcs(recipe))
        problems = [error.message for error in odcs_validator().iter_errors(contract)]
        assert problems == [], name


@settings(max_examples=examples(60), deadline=None)
@given(mappable_recipes(blame="all", rows=False, dataset=False))
def test_a_recipe_survives_a_trip_through_a_table_schema(recipe: Recipe) -> None:
    # a field holds one constraint of each kind, and every generated column has at most one
    back, notes = from_frictionless(to_frictionless(recipe))
    assert notes == []
    same_rules(recipe, back)


@settings(max_examples=examples(60), deadline=None)
@given(mappable_recipes(blame="all"))
def test_a_recipe_survives_a_trip_through_an_odcs_contract(recipe: Recipe) -> None:
    back, notes = from_odcs(to_odcs(recipe))
    assert notes == []
    same_rules(recipe, back)


@pytest.mark.parametrize("name", NAMES)
def test_hostile_names_and_values_stay_data(name: str) -> None:
    values = PAYLOADS[:30]
    recipe = Recipe.model_validate(
        {"version": 1, "name": "\n- x: y", "columns": {name: {"rules": [{"in_set": values}]}}}
    )
    schema = json.loads(to_frictionless(recipe))
    assert schema["fields"][0] == {"name": name, "type": "string", "constraints": {"enum": values}}
    contract = yaml.safe_load(to_odcs(recipe))
    assert odcs_validator().is_valid(contract)
    (quality,) = contract["schema"][0]["properties"][0]["quality"]
    assert quality["arguments"]["validValues"] == values
    for text in (to_frictionless(recipe), to_odcs(recipe)):
        back, _ = import_contract(text)
        assert back.columns[name].rules[0].compact() == {"in_set": values}


ODCS_EXAMPLE = """
apiVersion: v3.1.0
kind: DataContract
id: 53581432-6c55-4ba2-a65f-72344a91553a
name: seller_payments
version: 2.1.0
status: active
domain: seller
schema:
  - name: payments
    physicalName: pay_v2
    logicalType: object
    properties:
      - name: txn_ref
        logicalType: string
        required: true
        unique: true
        logicalTypeOptions: {pattern: "^[A-Z]{3}-[0-9]{6}$", maxLength: 10}
      - name: amount_eur
        logicalType: number
        logicalTypeOptions: {minimum: 0, exclusiveMaximum: 50000}
        quality:
          - {metric: nullValues, mustBe: 0, severity: warning}
      - name: paid_on
        logicalType: date
        logicalTypeOptions: {format: dd/MM/yyyy}
      - name: channel
        logicalType: string
        classification: restricted
        quality:
          - metric: invalidValues
            arguments: {validValues: [web, store, phone]}
            mustBe: 0
          - type: sql
            query: SELECT COUNT(*) FROM pay_v2 WHERE channel = 'fax'
            mustBe: 0
    quality:
      - {metric: rowCount, mustBeGreaterThan: 100}
      - {metric: duplicateValues, arguments: {properties: [txn_ref, channel]}, mustBe: 0}
      - {type: text, description: Payments arrive before 06:00 UTC.}
  - name: refunds
    logicalType: object
"""


def test_an_example_odcs_contract_imports_with_what_it_cannot_map_listed() -> None:
    recipe, notes = import_contract(ODCS_EXAMPLE)
    columns = recipe.columns
    assert [r.compact() for r in columns["txn_ref"].rules] == [
        "not_null",
        {"unique": {"blame": "all"}},
        {"matches": "^[A-Z]{3}-[0-9]{6}$"},
        {"length": {"max": 10}},
    ]
    assert columns["amount_eur"].type == "float"
    assert [r.compact() for r in columns["amount_eur"].rules] == [
        {"between": {"min": 0, "max": 50000, "include_max": False}},
        {"not_null": {"severity": "warn"}},
    ]
    assert (columns["paid_on"].type, columns["paid_on"].format) == ("date", "%d/%m/%Y")
    assert recipe.rows[0].compact() == {
        "duplicate": {"columns": ["txn_ref", "channel"], "keep": "none"}
    }
    assert [note.split(":")[0] for note in notes] == [
        "schema[1]",
        "schema[0].properties[3].quality[1]",
        "schema[0].quality[0]",
        "schema[0].quality[2]",
    ]


def test_an_example_table_schema_imports_with_what_it_cannot_map_listed() -> None:
    schema = {
        "fields": [
            {
                "name": "station",
                "type": "string",
                "constraints": {"required": True, "pattern": "[A-Z]{4}"},
            },
            {"name": "reading", "type": "number", "constraints": {"minimum": -80, "maximum": 60}},
            {"name": "taken", "type": "datetime", "format": "%Y-%m-%d %H:%M"},
            {"name": "kind", "type": "string", "constraints": {"enum": ["auto", "manual"]}},
            {"name": "where", "type": "geopoint"},
        ],
        "primaryKey": ["station", "taken"],
        "missingValues": ["", "-"],
    }
    recipe, notes = import_contract(json.dumps(schema))
    assert recipe.columns["station"].rules[1].compact() == {"matches": "^(?:[A-Z]{4})$"}
    assert recipe.columns["taken"].format == "%Y-%m-%d %H:%M"
    assert recipe.columns["reading"].rules[0].compact() == {"between": {"min": -80, "max": 60}}
    assert [note.split(":")[0] for note in notes] == [
        "fields[4].type",
        "missingValues",
        "primaryKey",
    ]


def test_frictionless_agrees_with_rowsift_on_a_tenth_of_the_conformance_cases() -> None:
    """The whole suite is `python -m bench.export.peer_agreement frictionless`."""
    import sys

    root = str(Path(__file__).resolve().parents[3])
    if root not in sys.path:
        sys.path.insert(0, root)
    from bench.export.peer_agreement import run

    tally = run(["frictionless"], every=10)["frictionless"]
    assert tally.disagreements == []
    assert tally.outcomes["agree"] >= 8
