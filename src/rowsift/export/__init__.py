"""A recipe in other tools' terms: standalone programs, contracts and suites.

`export_recipe(recipe, to=NAME)` gives the text of one target of `TARGETS` (see
docs/export.md: what each target can say, and where a program is not exact).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from rowsift._atomic import atomic_path
from rowsift.exceptions import ExportError
from rowsift.export.targets import TARGETS, Target
from rowsift.recipe.model import Recipe

__all__ = ["TARGETS", "Target", "export_file", "export_recipe"]


def export_recipe(recipe: Recipe, *, to: str) -> str:
    """The recipe as the text of the target named `to`.

    >>> from rowsift.recipe import load_recipe_text
    >>> recipe = load_recipe_text("version: 1\\ncolumns: {id: {rules: [not_null]}}")
    >>> "def rule_id_not_null()" in export_recipe(recipe, to="polars")
    True
    >>> export_recipe(recipe, to="polar")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    rowsift.exceptions.ExportError: unknown export target 'polar'; did you mean 'polars'?
      Hint: the targets are: polars, ...
    """
    target = TARGETS.get(to)
    if target is None:
        close = difflib.get_close_matches(to, list(TARGETS), n=1)
        guess = f"; did you mean {close[0]!r}?" if close else ""
        raise ExportError(
            f"unknown export target {to!r}{guess}", hint="the targets are: " + ", ".join(TARGETS)
        )
    return target.write(recipe)


def export_file(recipe_path: str | os.PathLike[str], *, to: str, output: Path | None = None) -> str:
    """Load a recipe file and export it; with `output`, also write the text there atomically
    (never over the recipe itself). Returns the text."""
    from rowsift.io.output_folder import refuse_overwrite
    from rowsift.recipe import load_recipe

    text = export_recipe(load_recipe(recipe_path), to=to)
    if output is not None:
        refuse_overwrite([recipe_path], [output])
        with atomic_path(output) as partial:
            partial.write_text(text, encoding="utf-8")
    return text
