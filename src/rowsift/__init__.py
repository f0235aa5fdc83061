"""rowsift: turn any messy table into clean rows plus a quarantine with reasons.

The public names are loaded on first use, so that ``import rowsift`` (and ``rowsift --help``)
does not pay for the frame libraries, the engines or monitoring until a name needs them.

>>> import rowsift
>>> sorted(rowsift.__all__)[:3]
['InputError', 'Recipe', 'RecipeError']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rowsift._lazy import lazy_names
from rowsift._version import __version__

if TYPE_CHECKING:
    from rowsift.api import RunResult, run, run_file
    from rowsift.engine import compile_recipe
    from rowsift.exceptions import InputError, RecipeError, RowsiftError, UsageError
    from rowsift.profile import TableProfile, profile_table
    from rowsift.recipe import Recipe, load_recipe, load_recipe_text
    from rowsift.suggest import suggest_recipe
    from rowsift.summary import RunSummary

#: each public name and the module it comes from
_HOMES = {
    "InputError": "rowsift.exceptions",
    "Recipe": "rowsift.recipe",
    "RecipeError": "rowsift.exceptions",
    "RowsiftError": "rowsift.exceptions",
    "RunResult": "rowsift.api",
    "RunSummary": "rowsift.summary",
    "TableProfile": "rowsift.profile",
    "UsageError": "rowsift.exceptions",
    "compile_recipe": "rowsift.engine",
    "load_recipe": "rowsift.recipe",
    "load_recipe_text": "rowsift.recipe",
    "profile_table": "rowsift.profile",
    "run": "rowsift.api",
    "run_file": "rowsift.api",
    "suggest_recipe": "rowsift.suggest",
}

__all__ = [
    "InputError",
    "Recipe",
    "RecipeError",
    "RowsiftError",
    "RunResult",
    "RunSummary",
    "TableProfile",
    "UsageError",
    "__version__",
    "compile_recipe",
    "load_recipe",
    "load_recipe_text",
    "profile_table",
    "run",
    "run_file",
    "suggest_recipe",
]


__getattr__, __dir__ = lazy_names(globals(), _HOMES)
