"""pandera: a recipe as a Python schema module (Polars backend) or a YAML schema (pandas), and a
YAML schema as a recipe.

Both judge the values after rowsift's transforms and casts. Each check is named after its rule
id (``name=``), warn rules raise a warning (``raise_warning=True``; the YAML format keeps no
severity, so they are left out there). Every string from the recipe reaches the Python module
through `repr` and the YAML through rowsift's YAML writer, so none can become code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import yaml

from rowsift.engine.plan import ColumnPlan
from rowsift.export.contracts.common import Contract, RuleStep, comment_text
from rowsift.export.contracts.patterns import python_search, rust_search
from rowsift.export.contracts.recipe_data import RecipeData
from rowsift.recipe import Recipe
from rowsift.recipe.yaml_text import parse_yaml
from rowsift.rules import Between, Duplicate, InSet, Length, Matches, NotNull, Unique

POLARS_TYPES = {
    "string": "pl.String",
    "int": "pl.Int64",
    "float": "pl.Float64",
    "bool": "pl.Boolean",
    "date": "pl.Date",
    "datetime": 'pl.Datetime("us")',
}
PANDAS_TYPES = {
    "string": "str",
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
    "date": "datetime64[ns]",
    "datetime": "datetime64[ns]",
    "decimal": "float64",
}
_FROM_PANDAS = {
    "str": "string",
    "string": "string",
    "object": "string",
    "Int64": "int",
    "int64": "int",
    "float64": "float",
    "Float64": "float",
    "boolean": "bool",
    "bool": "bool",
    "datetime64[ns]": "datetime",
}


PATTERN_NAME = (
    "pandera's Polars backend reads a column name that starts with ^ and ends with $ as a "
    "pattern of names, so this column is left out of the module (the YAML schema keeps it)"
)


def _read_as_pattern(name: str) -> bool:
    """Whether pandera's Polars backend takes the column name for a pattern of names."""
    return name.startswith("^") and name.endswith("$")


@dataclass(frozen=True)
class _Check:
    """One pandera check: its built-in name and arguments, and the rule it comes from."""

    name: str
    args: dict[str, Any]
    step: RuleStep


@dataclass
class _Column:
    checks: list[_Check]
    nullable: bool
    unique: bool


def _column(contract: Contract, column: ColumnPlan, *, python: bool) -> _Column:
    found = _Column(checks=[], nullable=True, unique=False)
    for step in contract.column_steps(column):
        rule = step.rule
        if not python and contract.left_out_warnings(step):
            continue
        if not python and _not_in_yaml(contract, step, column):
            continue
        match rule:
            case NotNull() if not step.warn:
                found.nullable = False
            case Matches():
                pattern = rust_search(rule.pattern) if python else python_search(rule.pattern)
                if pattern is None:
                    contract.leave_out(
                        step, "matches", "the pattern has no spelling in Python's re"
                    )
                else:
                    found.checks.append(_Check("str_contains", {"pattern": pattern}, step))
            case Between():
                found.checks.append(_between(rule, column, step, python=python))
            case InSet():
                found.checks.append(_Check("isin", {"allowed_values": list(rule.values)}, step))
            case Length():
                args = {"min_value": rule.min, "max_value": rule.max}
                found.checks.append(_Check("str_length", args, step))
            case Unique() | Duplicate() if not step.warn and len(rule.columns) == 1:
                found.unique = True
            case NotNull() | Unique() | Duplicate():
                contract.leave_out(
                    step,
                    "severity",
                    "a warn rule here would be a column property, which cannot warn",
                )
            case _:
                contract.leave_out(step, step.kind if not step.warn else "severity")
    return found


def _not_in_yaml(contract: Contract, step: RuleStep, column: ColumnPlan) -> bool:
    """Dates and infinite bounds have no literal pandera's YAML reader turns back into them."""
    rule = step.rule
    values: list[Any] = []
    if isinstance(rule, Between):
        values = [rule.min, rule.max]
    elif isinstance(rule, InSet):
        values = list(rule.values)
    if column.cast.type in ("date", "datetime") and values:
        contract.leave_out(step, rule.name, "a YAML schema has no date literal")
        return True
    if any(isinstance(value, float) and math.isinf(value) for value in values):
        contract.leave_out(step, rule.name, "a YAML schema has no infinite number")
        return True
    return False


def _between(rule: Between, column: ColumnPlan, step: RuleStep, *, python: bool) -> _Check:
    """``in_range`` with both bounds; one bound on whole numbers or text is ``ge``, ``gt``...
    A float's lower bound alone is ``in_range(min, inf)``: pandera orders NaN above every number,
    so this fails NaN as rowsift does (``ge`` would pass it). pandas reads NaN as missing, so
    the YAML schema keeps ``ge``."""
    low, high = rule.min, rule.max
    if python and low is not None and high is None and column.cast.type == "float":
        high = math.inf
    if low is not None and high is not None:
        args = {
            "min_value": low,
            "max_value": high,
            "include_min": rule.include_min,
            "include_max": rule.include_max,
        }
        return _Check("in_range", args, step)
    if low is not None:
        name = "greater_than_or_equal_to" if rule.include_min else "greater_than"
        return _Check(name, {"min_value": low}, step)
    name = "less_than_or_equal_to" if rule.include_max else "less_than"
    return _Check(name, {"max_value": high}, step)


def _table_unique(contract: Contract) -> list[str] | None:
    """The one combination pandera's ``unique=`` holds: the first duplicate or unique row rule."""
    chosen: list[str] | None = None
    for step in contract.table_steps():
        if isinstance(step.rule, Duplicate | Unique) and chosen is None and not step.warn:
            chosen = list(step.rule.columns)
        else:
            contract.leave_out(step, step.kind if not step.warn else "severity")
    return chosen


# -- Python ------------------------------------------------------------------------------------


def to_pandera_python(recipe: Recipe) -> str:
    """The recipe as a Python module defining ``schema``, a `pandera.polars` DataFrameSchema."""
    contract = Contract.of(recipe, "pandera")
    body: list[str] = []
    imports: set[str] = set()
    for column in contract.plan.columns:
        if _read_as_pattern(column.name):
            for step in contract.column_steps(column):
                contract.leave_out(step, "name", PATTERN_NAME)
            continue
        if column.cast.type == "decimal":
            dtype = f"pl.Decimal({column.cast.precision}, {column.cast.scale})"
        else:
            dtype = POLARS_TYPES[column.cast.type]
        found = _column(contract, column, python=True)
        body.append(f"        {column.name!r}: pa.Column(")
        body.append(f"            {dtype},")
        if found.checks:
            body.append("            checks=[")
            for check in found.checks:
                args = ", ".join(f"{k}={_literal(v, imports)}" for k, v in check.args.items())
                warn = ", raise_warning=True" if check.step.warn else ""
                body.append(
                    f"                pa.Check.{check.name}({args}, name={check.step.id!r}{warn}),"
                )
            body.append("            ],")
        body.append(f"            nullable={found.nullable},")
        if found.unique:
            body.append("            unique=True,")
        if not column.required:
            body.append("            required=False,")
        body.append("        ),")
    unique = _table_unique(contract)
    contract.note_transforms()
    head = [
        '"""A pandera schema (Polars backend) of a rowsift recipe.',
        "",
        "It judges the values after the recipe's transforms and casts (rowsift's clean output).",
        '"""',
        "",
        f"# recipe: {comment_text(contract.name)}",
    ]
    if contract.notes:
        head += ["# Not exported (no pandera equivalent):"]
        head += [f"# - {comment_text(note)}" for note in contract.notes]
        head.append("")
    head += [*sorted(imports), "import pandera.polars as pa", "import polars as pl", ""]
    tail = ["    },"]
    if unique is not None:
        tail.append(f"    unique={unique!r},")
    tail.append(f"    name={contract.name!r},")
    tail.append(")")
    return "\n".join([*head, "schema = pa.DataFrameSchema(", "    {", *body, *tail]) + "\n"


def _literal(value: Any, imports: set[str]) -> str:
    """A Python literal for a rule's value (repr, with the imports it needs)."""
    if isinstance(value, list):
        return "[" + ", ".join(_literal(item, imports) for item in value) + "]"
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(value)!r})"
    if isinstance(value, datetime | date):
        imports.add("import datetime")
        return f"datetime.{type(value).__name__}.fromisoformat({value.isoformat()!r})"
    if isinstance(value, Decimal):
        imports.add("from decimal import Decimal")
        return f"Decimal({str(value)!r})"
    return repr(value)


# -- YAML ----------------------------------------------------------------------------------------


def to_pandera_yaml(recipe: Recipe) -> str:
    """The recipe as a pandera YAML schema (pandas), read by ``DataFrameSchema.from_yaml``."""
    contract = Contract.of(recipe, "pandera")
    columns: dict[str, Any] = {}
    for column in contract.plan.columns:
        found = _column(contract, column, python=False)
        spec: dict[str, Any] = {"dtype": PANDAS_TYPES[column.cast.type], "nullable": found.nullable}
        if found.unique:
            spec["unique"] = True
        if not column.required:
            spec["required"] = False
        for check in found.checks:
            if check.name in spec:
                contract.leave_out(
                    check.step,
                    check.step.kind,
                    "a YAML schema holds one check of each kind per column",
                )
                continue
            spec[check.name] = {**_yaml_args(check.args), "name": check.step.id}
        columns[column.name] = spec
    schema: dict[str, Any] = {
        "schema_type": "dataframe",
        "api": "pandas",
        "columns": columns,
        "coerce": True,
        "name": contract.name,
    }
    unique = _table_unique(contract)
    if unique is not None:
        schema["unique"] = unique
    contract.note_transforms()
    lines = [
        f"# pandera schema of the rowsift recipe {comment_text(contract.name)} (pandas).",
        "# It judges the values after the recipe's transforms and casts.",
    ]
    if contract.notes:
        lines.append("# Not exported (no pandera equivalent):")
        lines += [f"# - {comment_text(note)}" for note in contract.notes]
    # pandera reads the file with PyYAML (YAML 1.1), so PyYAML writes it: its quoting and its
    # floats (``-1.0e+308``; YAML 1.1 reads ``-1e+308`` as text) are the ones its reader expects
    body = yaml.safe_dump(schema, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(lines) + "\n" + body


def _yaml_args(args: dict[str, Any]) -> dict[str, Any]:
    return {key: _yaml_value(value) for key, value in args.items()}


def _yaml_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_yaml_value(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def from_pandera_yaml(text: str) -> tuple[Recipe, list[str]]:
    """A recipe from a pandera YAML schema, and what could not be mapped."""
    schema, _ = parse_yaml(text)
    if not isinstance(schema, dict) or not isinstance(schema.get("columns"), dict):
        raise ValueError("a pandera YAML schema is a mapping with `columns`")
    data = RecipeData(name=schema.get("name") if isinstance(schema.get("name"), str) else None)
    for name, found in schema["columns"].items():
        spec = found if isinstance(found, dict) else {}
        dtype = str(spec.get("dtype"))
        if not data.column(
            name, _FROM_PANDAS.get(dtype), required=spec.get("required", True) is not False
        ):
            continue
        if dtype not in _FROM_PANDAS and spec.get("dtype") is not None:
            data.unmapped(f"columns.{name}.dtype", f"dtype {dtype} read as text")
        where = f"columns.{name}"
        if spec.get("nullable") is False:
            data.rule(where, name, "not_null", None, None)
        if spec.get("unique") is True:
            data.rule(where, name, "unique", {"blame": "all"}, None)
        checks = dict(spec)
        if isinstance(spec.get("checks"), dict):  # the older layout: checks under `checks:`
            checks.update(spec["checks"])
        for key, args in checks.items():
            if key not in (
                "dtype",
                "nullable",
                "unique",
                "required",
                "coerce",
                "title",
                "description",
                "regex",
                "checks",
            ):
                _read_check(data, f"{where}.{key}", name, key, args)
    unique = schema.get("unique")
    if isinstance(unique, str):
        unique = [unique]
    if isinstance(unique, list) and unique:
        data.row("unique", {"duplicate": {"columns": unique, "keep": "none"}}, None)
    return data.recipe()


def _read_check(data: RecipeData, where: str, column: str, key: str, args: Any) -> None:
    named = args if isinstance(args, dict) else {}
    severity = "warn" if named.get("raise_warning") else None
    match key:
        case "str_contains":
            data.pattern(where, column, str(named.get("pattern", args)), severity)
        case "str_matches":  # matched from the start of the text
            pattern = str(named.get("pattern", args))
            if "|" in pattern:
                pattern = f"^(?:{pattern})"
            elif not pattern.startswith("^"):
                pattern = "^" + pattern
            data.pattern(where, column, pattern, severity)
        case "isin":
            values = named.get("allowed_values", args)
            data.rule(where, column, "in_set", {"values": values}, severity)
        case "str_length":
            bounds = {"min": named.get("min_value"), "max": named.get("max_value")}
            if named.get("exact_value") is not None:
                bounds = {"min": named["exact_value"], "max": named["exact_value"]}
            data.rule(where, column, "length", bounds, severity)
        case "in_range":
            bounds = {
                "min": named.get("min_value"),
                "max": named.get("max_value"),
                "include_min": named.get("include_min", True),
                "include_max": named.get("include_max", True),
            }
            if bounds["max"] == math.inf:
                bounds.update(max=None, include_max=None)
            data.rule(where, column, "between", bounds, severity)
        case "greater_than_or_equal_to" | "greater_than" | "less_than_or_equal_to" | "less_than":
            value = named.get("min_value", named.get("max_value", args))
            side = "min" if key.startswith("greater") else "max"
            bounds = {side: value}
            if not key.endswith("equal_to"):
                bounds[f"include_{side}"] = False
            data.rule(where, column, "between", bounds, severity)
        case _:
            data.unmapped(where, "no rowsift rule says this")
