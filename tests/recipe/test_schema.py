"""The committed JSON Schema matches the model, and it accepts the recipes the model accepts."""

from __future__ import annotations

import json

from rowsift.demo import orders_recipe_path
from rowsift.recipe.schema import committed_schema_text, recipe_schema_text


def test_committed_schema_is_current() -> None:
    assert committed_schema_text() == recipe_schema_text(), (
        "src/rowsift/recipe/recipe.schema.json is stale: run `make schema`"
    )


def test_schema_describes_the_v1_vocabulary() -> None:
    schema = json.loads(committed_schema_text())
    definitions = schema["$defs"]
    rule_keys = set(definitions["ColumnRuleSpec"]["properties"])
    assert rule_keys == {
        "not_null",
        "matches",
        "between",
        "in_set",
        "length",
        "compare",
        "unique",
        "determined_by",
    }
    transform_keys = set(definitions["TransformSpec"]["properties"])
    assert transform_keys == {
        "strip",
        "lower",
        "upper",
        "collapse_spaces",
        "null_tokens",
        "map",
        "replace",
        "fill_null",
    }
    assert definitions["ColumnSpec"]["additionalProperties"] is False
    assert "version" in schema["required"]


def test_bundled_recipe_loads() -> None:
    import rowsift

    recipe = rowsift.load_recipe(orders_recipe_path())
    assert recipe.name == "orders"
