"""The committed JSON Schema matches the model, and it accepts the recipes the model accepts."""

from __future__ import annotations

import json

from rowsift.demo import orders_recipe_path
from rowsift.recipe.schema import committed_schema_text, recipe_schema_text


def test_committed_schema_is_current() -> None:
    assert committed_schema_text() == recipe_schema_text(), (
        "src/rowsift/recipe/recipe.schema.json is stale: run `make schema`"
    )


def test_schema_describes_the_recipe() -> None:
    schema = json.loads(committed_schema_text())
    assert schema["$defs"]["ColumnSpec"]["additionalProperties"] is False
    assert "version" in schema["required"]


def test_bundled_recipe_loads() -> None:
    import rowsift

    recipe = rowsift.load_recipe(orders_recipe_path())
    assert recipe.name == "orders"
