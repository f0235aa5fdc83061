"""dbt schema.yml and SodaCL: every rule mapped or noted; recipe text stays data through YAML,
dbt's Jinja rendering and the SQL its test macros write."""

from __future__ import annotations

import re
from typing import Any

import jinja2
import pytest
import yaml
from tests.hostile.payloads import NAMES, PAYLOADS

from rowsift.demo import orders_recipe_path
from rowsift.export.contracts.dbt import to_dbt
from rowsift.export.contracts.soda import to_soda
from rowsift.recipe import Recipe, load_recipe

JINJA_MARKS = re.compile(r"({[{%#]|[#}%]})")
"""dbt renders a YAML text through Jinja only when it holds one of these."""


def rendered(value: Any) -> Any:
    """What dbt sees after rendering a YAML value through Jinja."""
    if isinstance(value, str):
        if not JINJA_MARKS.search(value):
            return value
        return jinja2.Environment(keep_trailing_newline=True).from_string(value).render()
    if isinstance(value, list):
        return [rendered(item) for item in value]
    if isinstance(value, dict):
        return {key: rendered(item) for key, item in value.items()}
    return value


def test_the_demo_recipe_as_dbt_tests() -> None:
    text = to_dbt(load_recipe(orders_recipe_path()))
    (model,) = yaml.safe_load(text)["models"]
    tests = {
        next(iter(test)): next(iter(test.values()))["config"]["meta"]["rowsift_rule_id"]
        for column in model["columns"]
        for test in column.get("data_tests", [])
        if column["name"] == "status"
    }
    assert tests == {"not_null": "status.not_null", "accepted_values": "status.in_set"}
    assert "# - shipped_at.compare: no built-in test compares two columns" in text
    table = [next(iter(test)) for test in model["data_tests"]]
    assert table == [
        "dbt_utils.unique_combination_of_columns",
        "dbt_expectations.expect_table_row_count_to_be_between",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_hostile_text_stays_data_through_jinja_and_sql(name: str) -> None:
    values = PAYLOADS[:30]
    recipe = Recipe.model_validate(
        {
            "version": 1,
            "name": "{{ run_query('drop table x') }}\n- oops",
            "columns": {name: {"rules": [{"in_set": values}, {"matches": "[{][{]x'"}]}},
        }
    )
    text = to_dbt(recipe)
    assert all(line.startswith("#") for line in text.splitlines()[:3])
    document = rendered(yaml.safe_load(text))
    (model,) = document["models"]
    assert model["name"] == recipe.name
    (column,) = model["columns"]
    assert column["name"] == name
    assert column.get("quote") is (None if name.isidentifier() else True)
    accepted = column["data_tests"][0]["accepted_values"]["arguments"]["values"]
    # dbt pastes each value between single quotes: doubled quotes make it one SQL literal
    assert [value.replace("''", "'") for value in accepted] == values
    assert all("'" not in value.replace("''", "") for value in accepted)


def test_the_demo_recipe_as_soda_checks() -> None:
    text = to_soda(load_recipe(orders_recipe_path()))
    checks = yaml.safe_load(text)["checks for orders"]
    keys = [next(iter(check)) for check in checks]
    assert keys[:3] == [
        "missing_count(order_id) = 0",
        "invalid_count(order_id) = 0",
        "duplicate_count(order_id) = 0",
    ]
    assert "row_count >= 1000" in keys
    assert {"missing_count(country)": {"name": "country.not_null", "warn": "when > 0"}} in checks


@pytest.mark.parametrize("name", NAMES)
def test_soda_names_are_quoted_or_left_out(name: str) -> None:
    recipe = Recipe.model_validate(
        {"version": 1, "columns": {name: {"rules": ["not_null", {"in_set": ["a", "${HOME}"]}]}}}
    )
    text = to_soda(recipe)
    checks = yaml.safe_load(text)["checks for table"]
    if name.isidentifier():
        assert next(iter(checks[0])) == f"missing_count({name}) = 0"
    elif '"' in name or not name.isprintable():
        assert checks == []
        assert "cannot be written in SodaCL" in text
    else:
        assert next(iter(checks[0])) == f'missing_count("{name}") = 0'
    assert "${HOME}" not in "".join(str(check) for check in checks)
