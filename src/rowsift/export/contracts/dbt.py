"""dbt: a recipe as the data tests of a model's ``schema.yml`` (dbt 1.10+ `arguments:` form).

dbt's own tests (`not_null`, `unique`, `accepted_values`) and those of the dbt_utils and
dbt_expectations packages. Each test carries its rule id in ``config.meta.rowsift_rule_id``;
warn rules have ``config.severity: warn``. dbt renders YAML values through Jinja and pastes test
arguments into SQL, so every text is written to stay data there: a value holding Jinja
delimiters becomes a Jinja string literal, a quote inside an SQL string is doubled, and a
column whose name is not a plain identifier gets ``quote: true``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from rowsift.engine.plan import ColumnPlan
from rowsift.export.contracts.common import Contract, RuleStep, comment_text, plain
from rowsift.export.contracts.patterns import rust_search
from rowsift.recipe import Recipe
from rowsift.rules import (
    Between,
    Duplicate,
    InSet,
    Length,
    Matches,
    NotNull,
    NullRate,
    RowCount,
    Unique,
)

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_JINJA = ("{{", "{%", "{#", "}}", "%}", "#}")


def to_dbt(recipe: Recipe) -> str:
    """The recipe as a dbt ``schema.yml`` with one model named after the recipe."""
    contract = Contract.of(recipe, "dbt")
    shares: dict[str, list[dict[str, Any]]] = {}  # null_rate: a column's test in dbt_utils
    for step in contract.table_steps():
        if isinstance(step.rule, NullRate):
            args = {"at_least": round(1 - step.rule.max, 12)}
            test = _test(step, "dbt_utils.not_null_proportion", args)
            shares.setdefault(step.rule.column, []).append(test)
    columns = [_column(contract, column, shares) for column in contract.plan.columns]
    model: dict[str, Any] = {"name": _text(contract.name), "columns": columns}
    found = [_table_test(contract, step) for step in contract.table_steps()]
    tests = [test for test in found if test is not None]
    if tests:
        model["data_tests"] = tests
    contract.note_transforms()
    lines = [
        f"# dbt data tests of the rowsift recipe {comment_text(contract.name)}.",
        "# They judge the values after the recipe's transforms and casts. Tests named",
        "# dbt_utils.* and dbt_expectations.* need those packages in packages.yml.",
    ]
    if contract.notes:
        lines.append("# Not exported (no dbt equivalent):")
        lines += [f"# - {comment_text(note)}" for note in contract.notes]
    body = yaml.safe_dump(
        {"version": 2, "models": [model]}, sort_keys=False, allow_unicode=True, width=100
    )
    return "\n".join(lines) + "\n" + body


def _text(value: str) -> str:
    """Text dbt's Jinja rendering leaves as it is."""
    if any(mark in value for mark in _JINJA):
        return "{{ " + json.dumps(value) + " }}"
    return value


def _sql_text(value: Any) -> Any:
    """A literal pasted between SQL single quotes by a test macro: quotes doubled."""
    return _text(value.replace("'", "''")) if isinstance(value, str) else plain(value)


def _test(step: RuleStep, name: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
    config: dict[str, Any] = {"meta": {"rowsift_rule_id": _text(step.id)}}
    if step.warn:
        config["severity"] = "warn"
    body: dict[str, Any] = {}
    if arguments:
        body["arguments"] = arguments
    body["config"] = config
    return {name: body}


def _sql_literal(value: Any) -> Any:
    """A value pasted into SQL as it is (accepted_range's bounds): text becomes a quoted
    literal."""
    value = plain(value)
    return _text("'" + value.replace("'", "''") + "'") if isinstance(value, str) else value


def _column(
    contract: Contract, column: ColumnPlan, shares: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": _text(column.name)}
    if not _IDENTIFIER.fullmatch(column.name):
        entry["quote"] = True
    tests: list[dict[str, Any]] = []
    for step in contract.column_steps(column):
        rule = step.rule
        match rule:
            case NotNull():
                tests.append(_test(step, "not_null"))
            case Unique():
                tests.append(_test(step, "unique"))
            case InSet():
                values = [_sql_text(value) for value in rule.values]
                quoted = column.cast.type in ("string", "date", "datetime")
                args: dict[str, Any] = {"values": values}
                if not quoted:
                    args["quote"] = False
                tests.append(_test(step, "accepted_values", args))
            case Matches():
                pattern = _sql_text(rust_search(rule.pattern))
                tests.append(
                    _test(
                        step,
                        "dbt_expectations.expect_column_values_to_match_regex",
                        {"regex": pattern},
                    )
                )
            case Length():
                args = {"min_value": rule.min, "max_value": rule.max}
                name = "dbt_expectations.expect_column_value_lengths_to_be_between"
                tests.append(_test(step, name, {k: v for k, v in args.items() if v is not None}))
            case Between() if rule.include_min == rule.include_max or None in (rule.min, rule.max):
                inclusive = rule.include_min if rule.min is not None else rule.include_max
                args = {
                    "min_value": _sql_literal(rule.min),
                    "max_value": _sql_literal(rule.max),
                    "inclusive": inclusive,
                }
                tests.append(
                    _test(
                        step,
                        "dbt_utils.accepted_range",
                        {k: v for k, v in args.items() if v is not None},
                    )
                )
            case Between():
                contract.leave_out(
                    step, "between", "accepted_range has one `inclusive` for both bounds"
                )
            case _:
                contract.leave_out(step, step.kind)
    tests += shares.get(column.name, [])
    if tests:
        entry["data_tests"] = tests
    return entry


def _table_test(contract: Contract, step: RuleStep) -> dict[str, Any] | None:
    rule = step.rule
    match rule:
        case Duplicate() | Unique():
            columns = [_text(name) for name in rule.columns]
            return _test(
                step, "dbt_utils.unique_combination_of_columns", {"combination_of_columns": columns}
            )
        case RowCount() if rule.of == "input":
            args = {"min_value": rule.min, "max_value": rule.max}
            return _test(
                step,
                "dbt_expectations.expect_table_row_count_to_be_between",
                {k: v for k, v in args.items() if v is not None},
            )
        case NullRate():
            return None  # a test of its column (`to_dbt`)
    contract.leave_out(step, step.kind)
    return None
