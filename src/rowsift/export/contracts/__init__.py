"""Contracts and suites out of a recipe, and back in, through one mapping table.

`FORMATS` names each format a recipe can be exported to (`export_contract`), and
`import_contract` reads a suite, contract or schema back into a recipe with the list of what it
could not map. What each format can say is `mapping.MAPPING` (shown in docs/export.md).

>>> from rowsift.recipe import load_recipe_text
>>> recipe = load_recipe_text("version: 1\\ncolumns: {id: {rules: [not_null]}}")
>>> back, notes = import_contract(export_contract(recipe, "gx"))
>>> back.columns["id"].rules[0].kind, notes
('not_null', [])
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from rowsift.exceptions import Problem, RecipeError, UsageError
from rowsift.export.contracts.gx import from_gx, to_gx
from rowsift.recipe import Recipe

__all__ = ["FORMATS", "ContractFormat", "export_contract", "import_contract"]


@dataclass(frozen=True)
class ContractFormat:
    """One format: how a recipe is written in it, its usual file suffix, a line of help."""

    write: Callable[[Recipe], str]
    suffix: str
    description: str


FORMATS: dict[str, ContractFormat] = {
    "gx": ContractFormat(to_gx, ".json", "Great Expectations 1.x expectation suite (JSON)"),
}


def export_contract(recipe: Recipe, fmt: str) -> str:
    """The recipe written in `fmt` (a key of `FORMATS`)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
    return FORMATS[fmt].write(recipe)


def import_contract(text: str) -> tuple[Recipe, list[str]]:
    """A recipe from a GX suite (JSON), and what could not be mapped.

    Raises `RecipeError` (exit 2) when the text is none of the formats read.
    """
    try:
        data = json.loads(text)
    except ValueError as error:
        raise _unreadable(f"not JSON: {error}") from None
    if isinstance(data, dict) and isinstance(data.get("expectations"), list):
        return from_gx(text)
    raise _unreadable("not a GX suite (no `expectations` list)")


def _unreadable(why: str) -> RecipeError:
    hint = "give a Great Expectations 1.x suite (JSON)"
    return RecipeError([Problem(f"cannot import: {why}", hint=hint)])
