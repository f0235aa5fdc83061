"""The JSON Schema of the recipe, generated from the model (`python -m rowsift.recipe.schema`)."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from rowsift.recipe.model import Recipe

SCHEMA_FILE = "recipe.schema.json"


def recipe_schema() -> dict[str, Any]:
    """The JSON Schema that recipe files follow."""
    schema = Recipe.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "rowsift recipe, version 1"
    return schema


def recipe_schema_text() -> str:
    """The schema as the text of the committed file."""
    return json.dumps(recipe_schema(), indent=2, sort_keys=True) + "\n"


def committed_schema_text() -> str:
    """The schema file shipped inside the package."""
    return files("rowsift.recipe").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


if __name__ == "__main__":
    print(recipe_schema_text(), end="")
