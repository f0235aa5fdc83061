"""rowsift: turn any messy table into clean rows plus a quarantine with reasons.

>>> import rowsift
>>> sorted(rowsift.__all__)[:3]
['InputError', 'Recipe', 'RecipeError']
"""

from __future__ import annotations

from rowsift._version import __version__
from rowsift.api import RunResult, run, run_file
from rowsift.engine import compile_recipe
from rowsift.exceptions import InputError, RecipeError, RowsiftError, UsageError
from rowsift.profile import TableProfile, profile_table
from rowsift.recipe import Recipe, load_recipe, load_recipe_text
from rowsift.suggest import suggest_recipe
from rowsift.summary import RunSummary

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
