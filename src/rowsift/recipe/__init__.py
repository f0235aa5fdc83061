"""The recipe: a versioned YAML file of how to read a table, transforms and rules.

`model` is the pydantic model of a recipe (unknown keys are errors); the arguments of each
rule and transform live in `column_rule_args`, `table_rule_args` and `transform_args`, made
from the registries of `rowsift.rules` and `rowsift.transforms`. `yaml_io` loads (safe YAML,
every problem at once with its line and field path) and saves (with evidence as comments);
`meaning` checks what a recipe means given its columns; `schema` exports the JSON Schema that
ships in the package. Nothing here touches data.
"""

from __future__ import annotations

from rowsift.recipe.model import CURRENT_VERSION, ColumnSpec, Recipe, SourceSpec
from rowsift.recipe.yaml_io import dump_recipe, load_recipe, load_recipe_text, save_recipe

__all__ = [
    "CURRENT_VERSION",
    "ColumnSpec",
    "Recipe",
    "SourceSpec",
    "dump_recipe",
    "load_recipe",
    "load_recipe_text",
    "save_recipe",
]
