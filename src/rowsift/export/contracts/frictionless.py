"""Frictionless Table Schema (v2): a recipe as a schema (JSON), and a schema as a recipe.

Field constraints say what one value must be; there is no row-set or table-level check but a
column's `unique`, and no severity: what the schema cannot say is listed in its
``description``. Patterns are written for frictionless-py, which wraps them in ``^…$`` and
matches them with Python's `re`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from rowsift.engine.plan import ColumnPlan
from rowsift.export.contracts.common import Contract, plain
from rowsift.export.contracts.patterns import python_full_match
from rowsift.export.contracts.recipe_data import RecipeData
from rowsift.recipe import Recipe
from rowsift.recipe.values import FALSE_TOKENS, TRUE_TOKENS
from rowsift.rules import Between, InSet, Length, Matches, NotNull, Unique

PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
TYPES = {
    "string": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "date": "date",
    "datetime": "datetime",
    "decimal": "number",
}
_FROM_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "float",
    "boolean": "bool",
    "date": "date",
    "datetime": "datetime",
}
_RECIPE_TYPES = {
    "string": "string",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "date": "date",
    "datetime": "datetime",
}


def to_frictionless(recipe: Recipe) -> str:
    """The recipe as a Frictionless Table Schema, JSON text."""
    contract = Contract.of(recipe, "frictionless")
    fields = [_field(contract, column) for column in contract.plan.columns]
    for step in contract.table_steps():
        contract.leave_out(step, step.kind)
    contract.note_transforms()
    # the schema judges values after transforms, as rowsift writes them: a null is an empty
    # field (the source's other null tokens were read as null before the transforms)
    schema: dict[str, Any] = {"$schema": PROFILE, "fields": fields, "missingValues": [""]}
    if contract.notes:
        schema["description"] = "Not exported (no Table Schema equivalent): " + "; ".join(
            contract.notes
        )
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _field(contract: Contract, column: ColumnPlan) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "type": TYPES[column.cast.type]}
    if column.cast.type in ("date", "datetime") and column.cast.format:
        field["format"] = column.cast.format
    if column.cast.type == "bool":
        field["trueValues"] = sorted({v for t in TRUE_TOKENS for v in (t, t.upper(), t.title())})
        field["falseValues"] = sorted({v for t in FALSE_TOKENS for v in (t, t.upper(), t.title())})
    constraints: dict[str, Any] = {}
    for step in contract.column_steps(column):
        rule = step.rule
        if contract.left_out_warnings(step):
            continue
        match rule:
            case NotNull():
                constraints["required"] = True
            case Matches() if "pattern" not in constraints:
                pattern = python_full_match(rule.pattern)
                if pattern is None:
                    contract.leave_out(
                        step, "matches", "the pattern has no spelling in Python's re"
                    )
                else:
                    constraints["pattern"] = pattern
            case Between() if column.cast.type in ("string", "bool"):
                contract.leave_out(step, "between", "Table Schema bounds numbers and dates only")
            case Between() if not {"minimum", "maximum"} & set(constraints):
                constraints.update(_bounds(rule, column))
            case InSet() if "enum" not in constraints:
                constraints["enum"] = [_value(value, column) for value in rule.values]
            case Length() if "minLength" not in constraints:
                if rule.min is not None:
                    constraints["minLength"] = rule.min
                if rule.max is not None:
                    constraints["maxLength"] = rule.max
            case Unique():
                constraints["unique"] = True
            case Matches() | Between() | InSet() | Length():
                contract.leave_out(step, rule.name, "a field holds one constraint of each kind")
            case _:
                contract.leave_out(step, step.kind)
    if constraints:
        field["constraints"] = constraints
    return field


def _value(value: Any, column: ColumnPlan) -> Any:
    """A literal as the field reads it: a date or time in the field's format."""
    if isinstance(value, date | datetime) and column.cast.format:
        return value.strftime(column.cast.format)
    return plain(value)


def _bounds(rule: Between, column: ColumnPlan) -> dict[str, Any]:
    """``minimum``/``maximum``; an exclusive bound on whole numbers moves by one (v1 readers
    know no other), any other is ``exclusiveMinimum``/``exclusiveMaximum`` (Table Schema v2)."""
    found: dict[str, Any] = {}
    for side, value, inclusive, step in (
        ("minimum", rule.min, rule.include_min, 1),
        ("maximum", rule.max, rule.include_max, -1),
    ):
        if value is None:
            continue
        if inclusive:
            found[side] = _value(value, column)
        elif column.cast.type == "int" and isinstance(value, int):
            found[side] = value + step
        else:
            found["exclusive" + side.title()] = _value(value, column)
    return found


def from_frictionless(text: str) -> tuple[Recipe, list[str]]:
    """A recipe from a Frictionless Table Schema (JSON), and what could not be mapped."""
    schema = json.loads(text)
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise ValueError("a Table Schema is a JSON object with a list of `fields`")
    data = RecipeData(name=None)
    for index, found in enumerate(schema["fields"]):
        field = found if isinstance(found, dict) else {}
        name, kind = field.get("name"), field.get("type", "string")
        where = f"fields[{index}]"
        if not data.column(name, _RECIPE_TYPES.get(kind, "string")) or not isinstance(name, str):
            continue
        if kind not in _RECIPE_TYPES:
            data.unmapped(f"{where}.type", f"type {kind} read as text")
        if field.get("format") not in (None, "default", "any") and kind in ("date", "datetime"):
            data.date_format(f"{where}.format", name, field["format"])
        constraints = field.get("constraints")
        _read_constraints(data, where, name, constraints if isinstance(constraints, dict) else {})
    if schema.get("missingValues", [""]) != [""]:
        data.unmapped(
            "missingValues",
            "the values read as null are the recipe's `source.null_tokens`: set them there",
        )
    for key in ("primaryKey", "foreignKeys", "uniqueKeys"):
        if key in schema:
            data.unmapped(key, "not read (declare `unique` or `duplicate` rules instead)")
    return data.recipe()


def _searched(text: str) -> str:
    """A full-match pattern (frictionless-py: Python's `re`, wrapped in ``^…$``) as a search."""
    prefix, suffix = "(?s:.*?)(?:", ")(?s:.*)"
    if text.startswith(prefix) and text.endswith(suffix):  # how `to_frictionless` writes one
        return text[len(prefix) : -len(suffix)]
    if text.endswith("\\Z"):
        return "^" + text
    return f"^(?:{text})$"


def _read_constraints(data: RecipeData, where: str, name: str, constraints: dict[str, Any]) -> None:
    bounds: dict[str, Any] = {}
    lengths: dict[str, Any] = {}
    for key, value in constraints.items():
        here = f"{where}.constraints.{key}"
        match key:
            case "required" if value is True:
                data.rule(here, name, "not_null", None, None)
            case "required":
                pass
            case "unique" if value is True:
                data.rule(here, name, "unique", {"blame": "all"}, None)
            case "pattern":
                data.pattern(here, name, _searched(str(value)), None)
            case "enum":
                data.rule(here, name, "in_set", {"values": value}, None)
            case "minLength" | "maxLength":
                lengths[key[:3]] = value
            case "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum":
                side = "min" if "inimum" in key else "max"
                bounds[side] = value
                if key.startswith("exclusive"):
                    bounds[f"include_{side}"] = False
            case _:
                data.unmapped(here, "no rowsift rule says this")
    if lengths:
        data.rule(f"{where}.constraints", name, "length", lengths, None)
    if bounds:
        data.rule(f"{where}.constraints", name, "between", bounds, None)
