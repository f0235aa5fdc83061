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

from rowsift.exceptions import ContractError, Problem, RecipeError, UsageError
from rowsift.export.contracts.dbt import to_dbt
from rowsift.export.contracts.frictionless import from_frictionless, to_frictionless
from rowsift.export.contracts.gx import from_gx, to_gx
from rowsift.export.contracts.odcs import from_odcs, to_odcs
from rowsift.export.contracts.pandera import (
    from_pandera_yaml,
    to_pandera_python,
    to_pandera_yaml,
)
from rowsift.export.contracts.soda import to_soda
from rowsift.recipe import Recipe
from rowsift.recipe.yaml_text import parse_yaml

__all__ = ["FORMATS", "ContractError", "ContractFormat", "export_contract", "import_contract"]


@dataclass(frozen=True)
class ContractFormat:
    """One format: how a recipe is written in it, its usual file suffix, a line of help."""

    write: Callable[[Recipe], str]
    suffix: str
    description: str


FORMATS: dict[str, ContractFormat] = {
    "gx": ContractFormat(to_gx, ".json", "Great Expectations 1.x expectation suite (JSON)"),
    "pandera": ContractFormat(
        to_pandera_python, ".py", "pandera schema, a Python module (Polars backend)"
    ),
    "pandera-yaml": ContractFormat(to_pandera_yaml, ".yaml", "pandera YAML schema (pandas)"),
    "frictionless": ContractFormat(to_frictionless, ".json", "Frictionless Table Schema (JSON)"),
    "odcs": ContractFormat(to_odcs, ".yaml", "ODCS v3.1 data contract (YAML)"),
    "dbt": ContractFormat(to_dbt, ".yml", "dbt schema.yml data tests of one model"),
    "soda": ContractFormat(to_soda, ".yml", "SodaCL checks of one dataset"),
}


def export_contract(recipe: Recipe, fmt: str) -> str:
    """The recipe written in `fmt` (a key of `FORMATS`)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
    return FORMATS[fmt].write(recipe)


def import_contract(text: str, *, file: str = "") -> tuple[Recipe, list[str]]:
    """A recipe from a GX suite, an ODCS contract, a Frictionless Table Schema or a pandera YAML
    schema, and what could not be mapped.

    The format is told from the content. Raises `ContractError` (a `RecipeError`, exit 2) when
    the text is none of the formats read; `file` names it there.

    >>> try:
    ...     import_contract("version: 2\\nmodels: [{name: orders}]\\n", file="schema.yml")
    ... except ContractError as refused:
    ...     print(refused.render())  # doctest: +NORMALIZE_WHITESPACE
    cannot import schema.yml:
      it is a dbt schema.yml: rowsift writes it (`rowsift export`) but does not read it back
        Hint: give a GX 1.x suite, an ODCS v3 contract, a Table Schema or a pandera YAML schema
    """
    data = _plain_data(text, file)
    read = _reader(data)
    if read is None:
        written = _written_only(data)
        raise _unreadable(
            f"it is {written}: rowsift writes it (`rowsift export`) but does not read it back"
            if written
            else "it is none of a GX suite (`expectations`), an ODCS contract (`kind: "
            "DataContract`), a Table Schema (`fields`) or a pandera schema (`columns`)",
            file,
        )
    try:
        return read(text)
    except ValueError as error:  # the format's shape is wrong further in
        raise _unreadable(str(error), file) from None


def _written_only(data: object) -> str | None:
    """The export-only format `data` has the shape of: a dbt schema.yml, SodaCL checks."""
    if not isinstance(data, dict):
        return None
    if data.get("version") == 2 and isinstance(data.get("models"), list):
        return "a dbt schema.yml"
    if any(isinstance(key, str) and key.startswith("checks for ") for key in data):
        return "a file of SodaCL checks"
    return None


def _reader(data: object) -> Callable[[str], tuple[Recipe, list[str]]] | None:
    """The reader of the format the data has the shape of."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("expectations"), list):
        return from_gx
    if data.get("kind") == "DataContract":
        return from_odcs
    if isinstance(data.get("fields"), list):
        return from_frictionless
    if isinstance(data.get("columns"), dict):
        return from_pandera_yaml
    return None


def _plain_data(text: str, file: str) -> object:
    """JSON, else YAML read the way recipes are (no tags, anchors or bombs)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise _unreadable("the JSON is nested too deeply", file) from None
    except ValueError:
        pass
    try:
        return parse_yaml(text)[0]
    except RecipeError as error:
        raise _unreadable(f"neither JSON nor YAML: {error.problems[0].message}", file) from None


def _unreadable(why: str, file: str) -> ContractError:
    hint = "give a GX 1.x suite, an ODCS v3 contract, a Table Schema or a pandera YAML schema"
    return ContractError([Problem(why, hint=hint)], file=file)
