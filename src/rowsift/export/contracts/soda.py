"""SodaCL: a recipe as the checks of one dataset (``checks for NAME:``).

Missing, validity and duplicate metrics, `row_count`; each check is named after its rule id,
and a warn rule warns (``warn: when > 0``) instead of failing. Column and dataset names are
written in double quotes when they are not plain identifiers; a name or value Soda's grammar or
its ``${VAR}`` substitution would read as something else is left out, with a note.
"""

from __future__ import annotations

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
_UNSAFE_NAME = re.compile(r'["\\\x00-\x1f\x7f]|\$\{')
"""What a quoted name cannot hold: a double quote, a backslash, control characters, `${`."""


def _name(text: str) -> str | None:
    """A dataset or column name as SodaCL reads it; None when it cannot be written."""
    if _IDENTIFIER.fullmatch(text):
        return text
    if _UNSAFE_NAME.search(text) or not text.isprintable():
        return None
    return f'"{text}"'


def _safe(value: Any) -> bool:
    return not (isinstance(value, str) and "${" in value)


def _check(step: RuleStep, metric: str, config: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"name": step.id, **(config or {})}
    if step.warn:  # the metric is a count of failing values: warn when it is not zero
        body["warn"] = "when > 0"
        return {metric: body}
    return {f"{metric} = 0": body}


def to_soda(recipe: Recipe) -> str:
    """The recipe as SodaCL checks, YAML text."""
    contract = Contract.of(recipe, "soda")
    dataset = _name(contract.name) or "table"
    checks: list[Any] = []
    for column in contract.plan.columns:
        checks += _column_checks(contract, column)
    for step in contract.table_steps():
        checks += _table_checks(contract, step)
    contract.note_transforms()
    lines = [
        f"# SodaCL checks of the rowsift recipe {comment_text(contract.name)}.",
        "# They judge the values after the recipe's transforms and casts.",
    ]
    if dataset == "table" and contract.name != "table":
        contract.notes.append(f"the dataset name {contract.name!r} cannot be written: use yours")
    if contract.notes:
        lines.append("# Not exported (no SodaCL equivalent):")
        lines += [f"# - {comment_text(note)}" for note in contract.notes]
    body = yaml.safe_dump(
        {f"checks for {dataset}": checks}, sort_keys=False, allow_unicode=True, width=100
    )
    return "\n".join(lines) + "\n" + body


def _column_checks(contract: Contract, column: ColumnPlan) -> list[Any]:
    name = _name(column.name)
    steps = contract.column_steps(column)
    if name is None:
        for step in steps:
            contract.leave_out(step, step.kind, "the column's name cannot be written in SodaCL")
        return []
    checks: list[Any] = []
    for step in steps:
        rule = step.rule
        match rule:
            case NotNull():
                checks.append(_check(step, f"missing_count({name})"))
            case Unique():
                checks.append(_check(step, f"duplicate_count({name})"))
            case Matches():
                pattern = rust_search(rule.pattern)
                checks.append(_check(step, f"invalid_count({name})", {"valid regex": pattern}))
            case InSet() if all(_safe(value) for value in rule.values):
                values = [plain(value) for value in rule.values]
                checks.append(_check(step, f"invalid_count({name})", {"valid values": values}))
            case Length():
                config = {
                    key: value
                    for key, value in (
                        ("valid min length", rule.min),
                        ("valid max length", rule.max),
                    )
                    if value is not None
                }
                checks.append(_check(step, f"invalid_count({name})", config))
            case Between() if _between(rule, column) is not None:
                checks.append(_check(step, f"invalid_count({name})", _between(rule, column)))
            case Between():
                contract.leave_out(step, "between", "valid min and valid max are inclusive numbers")
            case _:
                contract.leave_out(
                    step,
                    step.kind,
                    None
                    if not isinstance(rule, InSet)
                    else "a member holds ${, which Soda substitutes",
                )
    return checks


def _between(rule: Between, column: ColumnPlan) -> dict[str, Any] | None:
    """``valid min``/``valid max``: inclusive numbers; an exclusive whole-number bound moves by
    one, any other exclusive bound has no spelling."""
    whole = column.cast.type == "int"
    config: dict[str, Any] = {}
    for key, value, inclusive, step in (
        ("valid min", rule.min, rule.include_min, 1),
        ("valid max", rule.max, rule.include_max, -1),
    ):
        if value is None:
            continue
        if not isinstance(plain(value), int | float) or isinstance(value, bool):
            return None
        if not inclusive and not whole:
            return None
        config[key] = plain(value) if inclusive else plain(value) + step
    return config


def _table_checks(contract: Contract, step: RuleStep) -> list[Any]:
    rule = step.rule
    match rule:
        case Duplicate() | Unique():
            names = [_name(column) for column in rule.columns]
            if None in names:
                contract.leave_out(step, rule.name, "a column's name cannot be written in SodaCL")
                return []
            return [_check(step, f"duplicate_count({', '.join(map(str, names))})")]
        case RowCount() if rule.of == "input":
            low, high = rule.min, rule.max
            if low is not None and high is not None:
                passing = f"between {low} and {high}"
                failing = f"when not between {low} and {high}"
            elif low is not None:
                passing, failing = f">= {low}", f"when < {low}"
            else:
                passing, failing = f"<= {high}", f"when > {high}"
            if step.warn:
                return [{"row_count": {"name": step.id, "warn": failing}}]
            return [{f"row_count {passing}": {"name": step.id}}]
        case NullRate() if _name(rule.column) is not None:
            key, share = f"missing_percent({_name(rule.column)})", round(rule.max * 100, 10)
            if step.warn:
                return [{key: {"name": step.id, "warn": f"when > {share}"}}]
            return [{f"{key} <= {share}": {"name": step.id}}]
    contract.leave_out(step, step.kind)
    return []
