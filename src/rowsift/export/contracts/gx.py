"""Great Expectations 1.x: a recipe as an expectation suite (JSON), and a suite as a recipe.

Each expectation carries its rule's id in ``meta.rowsift_rule_id``; the suite's ``meta.rowsift``
holds the declared column types (GX judges typed frames and has no place for them) and
``notes`` lists what was left out. Expectations judge the values after transforms and casts.
"""

from __future__ import annotations

import json
from typing import Any

from rowsift.export.contracts.common import Contract, RuleStep, plain
from rowsift.export.contracts.patterns import python_search
from rowsift.export.contracts.recipe_data import RecipeData
from rowsift.recipe import Recipe
from rowsift.rules import (
    Between,
    Compare,
    DeterminedBy,
    Duplicate,
    InSet,
    Length,
    Matches,
    NotNull,
    NullRate,
    QuarantineRate,
    RowCount,
    Unique,
)

GX_VERSION = "1.24.1"
"""The version the suites are written for and tested with."""

Expectation = tuple[str, dict[str, Any]]


def to_gx(recipe: Recipe) -> str:
    """The recipe as a GX 1.x expectation suite, JSON text.

    >>> from rowsift.recipe import load_recipe_text
    >>> suite = json.loads(to_gx(load_recipe_text('''
    ... version: 1
    ... columns: {id: {rules: [not_null, {matches: '^A\\\\d$'}]}}
    ... ''')))
    >>> [(e["type"], e["kwargs"]) for e in suite["expectations"]][1:]
    [('expect_column_values_to_not_be_null', {'column': 'id'}), \
('expect_column_values_to_match_regex', {'column': 'id', 'regex': '^A[0-9]\\\\Z'})]
    """
    contract = Contract.of(recipe, "gx")
    expectations: list[dict[str, Any]] = []

    def add(step: RuleStep | None, found: Expectation | None) -> None:
        if found is not None:
            kind, kwargs = found
            entry: dict[str, Any] = {"type": kind, "kwargs": kwargs, "meta": {}}
            if step is not None:
                entry["meta"]["rowsift_rule_id"] = step.id
                entry["severity"] = "warning" if step.warn else "critical"
            expectations.append(entry)

    for column in contract.plan.columns:
        if column.required:
            add(None, ("expect_column_to_exist", {"column": column.name}))
        for step in contract.column_steps(column):
            add(step, _expectation(contract, step))
    for step in contract.table_steps():
        add(step, _expectation(contract, step))
    contract.note_transforms()
    suite = {
        "name": contract.name,
        "expectations": expectations,
        "meta": {
            "great_expectations_version": GX_VERSION,
            "rowsift": {
                "recipe_sha256": contract.plan.recipe_fingerprint,
                "column_types": {c.name: c.cast.type for c in contract.plan.columns},
                "column_formats": {
                    c.name: c.cast.format for c in contract.plan.columns if c.cast.format
                },
            },
        },
        "notes": ["Not exported (no GX equivalent): " + note for note in contract.notes] or None,
    }
    return json.dumps(suite, indent=2, ensure_ascii=False) + "\n"


def _expectation(contract: Contract, step: RuleStep) -> Expectation | None:
    rule = step.rule
    column = step.column.name if step.column is not None else ""
    match rule:
        case NotNull():
            return "expect_column_values_to_not_be_null", {"column": column}
        case Matches():
            regex = python_search(rule.pattern)
            if regex is None:
                contract.leave_out(step, "matches", "the pattern has no spelling in Python's re")
                return None
            return "expect_column_values_to_match_regex", {"column": column, "regex": regex}
        case Between() | InSet() if _dated(step):
            contract.leave_out(
                step,
                rule.name,
                "GX's JSON has no date literal: the bound or member would be compared as text",
            )
            return None
        case Between() if isinstance(rule.min, str | bool) or isinstance(rule.max, str | bool):
            contract.leave_out(step, "between", "GX compares numbers and dates, not text")
            return None
        case Between():
            kwargs: dict[str, Any] = {"column": column}
            if rule.min is not None:
                kwargs.update(min_value=plain(rule.min), strict_min=not rule.include_min)
            if rule.max is not None:
                kwargs.update(max_value=plain(rule.max), strict_max=not rule.include_max)
            return "expect_column_values_to_be_between", kwargs
        case InSet():
            values = [plain(value) for value in rule.values]
            return "expect_column_values_to_be_in_set", {"column": column, "value_set": values}
        case Length():
            kwargs = {"column": column, "min_value": rule.min, "max_value": rule.max}
            return "expect_column_value_lengths_to_be_between", kwargs
        case Compare():
            return _pair(contract, step, rule, column)
        case Unique() | Duplicate() if len(rule.columns) == 1:
            # GX needs two columns for a compound key; on one column nulls are left out
            return "expect_column_values_to_be_unique", {"column": rule.columns[0]}
        case Unique():
            ignore = (
                "any_value_is_missing" if rule.ignore_if_null == "any" else "all_values_are_missing"
            )
            return "expect_compound_columns_to_be_unique", {
                "column_list": list(rule.columns),
                "ignore_row_if": ignore,
            }
        case Duplicate():
            return "expect_compound_columns_to_be_unique", {
                "column_list": list(rule.columns),
                "ignore_row_if": "never",
            }
        case RowCount() if rule.of == "input":
            return "expect_table_row_count_to_be_between", {
                "min_value": rule.min,
                "max_value": rule.max,
            }
        case RowCount():
            contract.leave_out(
                step, "row_count", "GX counts the rows it is given, not rowsift's clean output"
            )
            return None
        case NullRate():
            mostly = round(1 - rule.max, 12)
            return "expect_column_values_to_not_be_null", {"column": rule.column, "mostly": mostly}
        case DeterminedBy() | QuarantineRate():
            contract.leave_out(step, rule.name)
            return None
    raise AssertionError(f"no GX mapping for {step.kind}")  # pragma: no cover


def _dated(step: RuleStep) -> bool:
    return step.column is not None and step.column.cast.type in ("date", "datetime")


def _pair(contract: Contract, step: RuleStep, rule: Compare, column: str) -> Expectation | None:
    both = {"ignore_row_if": "either_value_is_missing"}
    if rule.op == "!=":
        contract.leave_out(step, "compare", "GX has no expectation that two columns differ")
        return None
    if rule.op == "==":
        return "expect_column_pair_values_to_be_equal", {
            "column_A": column,
            "column_B": rule.column,
            **both,
        }
    greater, smaller = (column, rule.column) if rule.op in (">", ">=") else (rule.column, column)
    return "expect_column_pair_values_a_to_be_greater_than_b", {
        "column_A": greater,
        "column_B": smaller,
        "or_equal": rule.op in (">=", "<="),
        **both,
    }


# -- in ----------------------------------------------------------------------------------------


def from_gx(text: str) -> tuple[Recipe, list[str]]:
    """A recipe from a GX 1.x suite (JSON), and what could not be mapped."""
    suite = json.loads(text)
    if not isinstance(suite, dict) or not isinstance(suite.get("expectations"), list):
        raise ValueError("a GX suite is a JSON object with a list of `expectations`")
    data = RecipeData(name=suite.get("name") if isinstance(suite.get("name"), str) else None)
    types = _mapping(_mapping(_mapping(suite.get("meta")).get("rowsift")).get("column_types"))
    formats = _mapping(_mapping(_mapping(suite.get("meta")).get("rowsift")).get("column_formats"))
    for name, kind in types.items():
        if data.column(name, kind) and name in formats:
            data.date_format("meta.rowsift.column_formats", name, formats[name])
    for index, entry in enumerate(suite["expectations"]):
        where = f"expectations[{index}]"
        if not isinstance(entry, dict):
            data.unmapped(where, "not an object")
            continue
        kind = entry.get("type") or entry.get("expectation_type")
        kwargs = _mapping(entry.get("kwargs"))
        severity = "warn" if entry.get("severity") in ("warning", "info") else None
        _read_expectation(data, f"{where} ({kind})", str(kind), kwargs, severity)
    return data.recipe()


_TYPES = {
    name: kind
    for kind, names in {
        "int": ("int", "int64", "Int64", "int32", "INTEGER", "BIGINT", "IntegerType", "LongType"),
        "float": ("float", "float64", "Float64", "DOUBLE", "FLOAT", "DoubleType", "FloatType"),
        "string": ("str", "string", "object", "VARCHAR", "TEXT", "StringType"),
        "bool": ("bool", "boolean", "BOOLEAN", "BooleanType"),
        "date": ("date", "DATE", "DateType"),
        "datetime": ("datetime64", "datetime64[ns]", "TIMESTAMP", "TimestampType"),
    }.items()
    for name in names
}
"""Type names GX's `expect_column_values_to_be_of_type` takes (pandas, SQL, Spark), as rowsift's."""


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _read_expectation(
    data: RecipeData, where: str, kind: str, kwargs: dict[str, Any], severity: str | None
) -> None:
    column = kwargs.get("column")
    mostly = kwargs.get("mostly", 1)
    if mostly != 1 and kind != "expect_column_values_to_not_be_null":
        data.unmapped(
            where,
            "`mostly` below 1: rowsift quarantines every failing row (a "
            "quarantine_rate dataset rule can bound the share)",
        )
    match kind:
        case "expect_column_to_exist":
            data.column(column)
        case "expect_column_values_to_be_of_type" if _TYPES.get(str(kwargs.get("type_"))):
            data.column(column, _TYPES[str(kwargs.get("type_"))])
        case "expect_column_values_to_not_be_null" if "mostly" in kwargs:  # a null share
            share = round(1 - mostly, 12)
            data.dataset(
                where, {"null_rate": {"column": column, "max": share, "severity": severity}}
            )
        case "expect_column_values_to_not_be_null":
            data.rule(where, column, "not_null", None, severity)
        case "expect_column_values_to_match_regex":
            data.pattern(where, column, str(kwargs.get("regex", "")), severity)
        case "expect_column_values_to_be_between":
            args = {"min": kwargs.get("min_value"), "max": kwargs.get("max_value")}
            if kwargs.get("strict_min"):
                args["include_min"] = False
            if kwargs.get("strict_max"):
                args["include_max"] = False
            data.rule(where, column, "between", args, severity)
        case "expect_column_values_to_be_in_set":
            data.rule(where, column, "in_set", {"values": kwargs.get("value_set")}, severity)
        case "expect_column_value_lengths_to_be_between":
            args = {"min": kwargs.get("min_value"), "max": kwargs.get("max_value")}
            data.rule(where, column, "length", args, severity)
        case "expect_column_value_lengths_to_equal":
            value = kwargs.get("value")
            data.rule(where, column, "length", {"min": value, "max": value}, severity)
        case "expect_column_values_to_be_unique":
            data.rule(where, column, "unique", {"blame": "all"}, severity)
        case _:
            _read_other(data, where, kind, kwargs, severity)


def _read_other(
    data: RecipeData, where: str, kind: str, kwargs: dict[str, Any], severity: str | None
) -> None:
    """Expectations over several columns or the whole table."""
    match kind:
        case "expect_compound_columns_to_be_unique":
            columns = kwargs.get("column_list")
            ignore = kwargs.get("ignore_row_if", "all_values_are_missing")
            if ignore == "never":
                data.row(where, {"duplicate": {"columns": columns, "keep": "none"}}, severity)
            else:
                mode = "any" if ignore == "any_value_is_missing" else "all"
                body = {"columns": columns, "blame": "all", "ignore_if_null": mode}
                data.row(where, {"unique": body}, severity)
        case "expect_column_pair_values_a_to_be_greater_than_b":
            op = ">=" if kwargs.get("or_equal") else ">"
            data.compare(where, kwargs.get("column_A"), op, kwargs.get("column_B"), severity)
        case "expect_column_pair_values_to_be_equal":
            data.compare(where, kwargs.get("column_A"), "==", kwargs.get("column_B"), severity)
        case "expect_table_row_count_to_be_between":
            args = {"min": kwargs.get("min_value"), "max": kwargs.get("max_value")}
            data.dataset(where, {"row_count": {**args, "severity": severity}})
        case "expect_table_row_count_to_equal":
            value = kwargs.get("value")
            data.dataset(where, {"row_count": {"min": value, "max": value, "severity": severity}})
        case _:
            data.unmapped(where, "no rowsift rule says this")
