"""The recipe: a versioned YAML file of how to read a table, transforms and rules."""

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
