"""The recipe: a versioned YAML file of how to read a table, its transforms and its rules.

Layers, top to bottom (an import-linter contract keeps them): `load` (YAML text → model, every
problem at once with its line and field path); `meaning` (what a recipe means given its
columns) and `schema` (the JSON Schema that ships in the package); `model` (the pydantic model,
unknown keys are errors; it writes itself, evidence as comments); `entries` (the one-key list
entries, made from the registries of `rowsift.rules` and `rowsift.transforms`); the arguments of
each rule and transform (`column_rule_args`, `table_rule_args`, `transform_args`, on
`arguments`); and the plain pieces below: `comments`, `context`, `annotations`, `yaml_text`
(YAML 1.2 in and out), `values`. Nothing here touches data.

The names below are loaded on first use: reading a file needs `SourceSpec` alone
(`rowsift.recipe.source`), not the model of the rest of the recipe, its rules and transforms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rowsift._lazy import lazy_names

if TYPE_CHECKING:
    from rowsift.recipe.load import load_recipe, load_recipe_text
    from rowsift.recipe.model import (
        CURRENT_VERSION,
        ColumnSpec,
        Recipe,
        dump_recipe,
        save_recipe,
    )
    from rowsift.recipe.source import SourceSpec

#: each public name and the module it comes from
_HOMES = {
    "CURRENT_VERSION": "rowsift.recipe.model",
    "ColumnSpec": "rowsift.recipe.model",
    "Recipe": "rowsift.recipe.model",
    "SourceSpec": "rowsift.recipe.source",
    "dump_recipe": "rowsift.recipe.model",
    "load_recipe": "rowsift.recipe.load",
    "load_recipe_text": "rowsift.recipe.load",
    "save_recipe": "rowsift.recipe.model",
}

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


__getattr__, __dir__ = lazy_names(globals(), _HOMES)
