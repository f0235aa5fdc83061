"""A recipe as a standalone pandas program (`rowsift export --to pandas`).

The program is written from the compiled plan, as the Polars program is (one function per rule
named after its rule id), and does what rowsift's pandas engine does: every column is
Arrow-backed (``pd.ArrowDtype``), so text, numbers, dates and lists have one representation
each, a NaN stays a number apart from a null, and pandas' string methods run pyarrow's
kernels (RE2 regular expressions, which read rowsift's patterns as Rust's `regex` does).
The repairs, and `lower` and `upper` (pyarrow maps a letter to one letter; rowsift gives
Unicode's full case mapping), are written from the expressions rowsift's pandas engine runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rowsift.engine.parse import guard
from rowsift.engine.plan import ColumnPlan
from rowsift.export.code import program
from rowsift.export.code.expression_tree import WRITTEN_FROM_EXPRESSIONS
from rowsift.export.code.outline import Outline, outline
from rowsift.export.code.pandas_expressions import pandas_function
from rowsift.export.code.pandas_helpers import HELPERS
from rowsift.export.code.pandas_layout import layout
from rowsift.export.code.python_text import Names, call, listed, literal
from rowsift.export.code.rowset_rules import GroupSpelling, rowset_rule
from rowsift.recipe.model import Recipe
from rowsift.rules import (
    Between,
    ColumnRule,
    Compare,
    InSet,
    Length,
    Matches,
    NotNull,
)
from rowsift.transforms import (
    CollapseSpaces,
    FillNull,
    Lower,
    Majority,
    Map,
    NullTokens,
    Replace,
    Strip,
    Transform,
    Upper,
)
from rowsift.transforms.canonical import ignored_run
from rowsift.transforms.text import WHITESPACE

__all__ = ["EXPORTED", "LIBRARIES", "LIBRARY", "outline", "pandas_program"]

LIBRARY = "pandas"
"""The library a pandas program is written for."""

LIBRARIES = ("pandas", "pyarrow")
"""What it imports: pandas, and pyarrow for its Arrow-backed column types (pandas needs it
for Parquet too)."""


@dataclass
class _Functions:
    """The functions written from a transform's expression, one per distinct transform,
    named after the first column that uses it (`column` "": after the transform alone)."""

    functions: dict[object, tuple[str, str]] = field(default_factory=dict)
    names: dict[str, Names] = field(default_factory=dict)

    def call(
        self,
        transform: Transform,
        column: str,
        helpers: set[str],
        expression: Callable[[Any], Any] | None = None,
    ) -> str:
        if transform not in self.functions:
            names = self.names.setdefault(transform.name, Names(transform.name))
            function = names.make(column)
            text, used = pandas_function(
                function, transform, constants=_CONSTANTS, expression=expression
            )
            helpers.update(used)
            self.functions[transform] = (function, text)
        return f".pipe({self.functions[transform][0]})"


_CONSTANTS = {WHITESPACE: "WHITESPACE", ignored_run(): "IGNORED_RUN"}
"""Texts a repair's expression holds that the program names (see HELPERS)."""


def _transform(transform: Transform, helpers: set[str], repairs: _Functions, column: str) -> str:
    """One step of a column's chain, as the method call that follows the column."""
    if isinstance(transform, WRITTEN_FROM_EXPRESSIONS):
        return repairs.call(transform, column, helpers)
    if isinstance(transform, Lower | Upper):
        # pyarrow maps each letter to one: the expression that expands the others first; the
        # same for every column, so the function is named `lower` or `upper`
        return repairs.call(transform, "", helpers, expression=transform.apply_full)
    if isinstance(transform, Strip):
        helpers.add("WHITESPACE")
        return ".str.strip(WHITESPACE)"
    if isinstance(transform, CollapseSpaces):
        helpers.add("WHITESPACE_RUN")
        return '.str.replace(WHITESPACE_RUN, " ", regex=True)'
    if isinstance(transform, NullTokens):
        helpers.add("null_tokens")
        return f".pipe(null_tokens, {literal(list(transform.tokens))})"
    if isinstance(transform, Map):
        helpers.add("mapped")
        pairs = ", ".join(f"{literal(old)}: {literal(new)}" for old, new in transform.mapping)
        return f".pipe(mapped, {{{pairs}}})"
    if isinstance(transform, Replace):
        pattern, replacement = literal(transform.pattern), literal(transform.replacement)
        return f".str.replace({pattern}, {replacement}, regex=True)"
    if isinstance(transform, FillNull):
        return f".fillna({literal(transform.value)})"
    raise program.not_exported("pandas", "transform", transform)


def _cast(column: ColumnPlan, helpers: set[str]) -> str:
    """The typed value of a column, from its transformed text."""
    text, cast = f"text(frame, {literal(column.name)})", column.cast
    if cast.type == "string":
        return text
    helpers.add("shaped")
    if cast.type in ("int", "float", "bool"):
        helpers.add(f"to_{cast.type}")
        return f"to_{cast.type}({text})"
    shape = literal(guard(cast))
    indent = " " * 12  # inside `with_columns(frame, {name: ...})`
    if cast.type == "decimal":
        helpers.add("to_decimal")
        arguments = [text, shape, f"precision={cast.precision}", f"scale={cast.scale}"]
        return call("to_decimal", arguments, indent=indent)
    helpers.add(f"to_{cast.type}")
    return call(f"to_{cast.type}", [text, shape, literal(cast.format or "")], indent=indent)


_OPS = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _passes(rule: ColumnRule, value: str, helpers: set[str], *, integer: bool = False) -> str:
    """Where a non-null value passes a column rule (`integer`: its value is a 64-bit integer)."""
    if isinstance(rule, Matches):
        return call(f"{value}.str.contains", [literal(rule.pattern)], indent="    ")
    if isinstance(rule, Between):
        parts = []
        if rule.floating:
            helpers.add("is_nan")
            parts.append(f"~is_nan({value})")
        if rule.min is not None:
            op = ">=" if rule.include_min else ">"
            parts.append(_bounded(value, op, rule.min, integer=integer))
        if rule.max is not None:
            op = "<=" if rule.include_max else "<"
            parts.append(_bounded(value, op, rule.max, integer=integer))
        return _conjunction(parts)
    if isinstance(rule, InSet):
        # NaN is matched apart, as rowsift does (engines disagree on finding it in a list)
        members = [m for m in rule.values if not (isinstance(m, float) and math.isnan(m))]
        helpers.add("found_in")
        found = f"found_in({value}, {listed([literal(m) for m in members], indent='    ')})"
        if len(members) < len(rule.values):
            helpers.add("is_nan")
            return f"{found} | is_nan({value})"
        return found
    if isinstance(rule, Length):
        parts = []
        if rule.min is not None:
            parts.append(f"{value}.str.len() >= {rule.min}")
        if rule.max is not None:
            parts.append(f"{value}.str.len() <= {rule.max}")
        return _conjunction(parts)
    if isinstance(rule, Compare):
        other = f"value(frame, {literal(rule.column)})"
        outcome = f"{value} {_OPS[rule.op]} {other}"
        if not rule.floating:
            return f"({outcome}) | {other}.isna()"
        # IEEE 754: a NaN on either side makes every comparison false but `!=`
        helpers.update({"is_nan", "when"})
        return (
            f"when(is_nan({value}) | is_nan({other}), {rule.op == '!='}, {outcome})"
            f" | {other}.isna()"
        )
    raise program.not_exported("pandas", "rule", rule)


def _bounded(value: str, op: str, bound: object, *, integer: bool) -> str:
    """``value op bound``; against a whole number beyond 64 bits, which pandas cannot compare
    with a 64-bit column, the outcome every 64-bit integer has."""
    if integer and isinstance(bound, int) and not -(2**63) <= bound < 2**63:
        above = bound > 0
        holds = above == (op in ("<", "<="))
        return f"pd.Series({holds}, index={value}.index)"
    return f"{value} {op} {literal(bound)}"


def _conjunction(parts: list[str]) -> str:
    """Conditions joined by `&` (each in parentheses when there are several)."""
    if len(parts) == 1:
        return parts[0]
    return " & ".join(f"({part})" for part in parts) or "pd.Series(True, index=values.index)"


def _column_rule(column: ColumnPlan, rule: ColumnRule, helpers: set[str]) -> list[str]:
    if isinstance(rule, NotNull):
        return [f"return text(frame, {literal(column.name)}).isna()"]
    return [
        f"values = value(frame, {literal(column.name)})",
        f"passes = {_passes(rule, 'values', helpers, integer=column.cast.type == 'int')}",
        "return fails(values, passes)",
    ]


GROUPS = GroupSpelling(
    target="pandas",
    key=lambda name: f"value(frame, {name})",
    row="frame[ROW]",
    count_over=lambda what, keys: f'per_group({what}, {keys}, "count")',
    max_over=lambda what, keys: f'per_group({what}, {keys}, "max")',
    seen_before=lambda step: "seen_before(keys)",
    seen_before_reads_keys=True,
    helpers=("present", "seen_before", "per_group"),
)
"""How a pandas program spells the row rules' groups."""


EXPORTED = (*program.EXPORTED, Majority)
"""Every rule and transform kind this target writes."""


def pandas_program(recipe: Recipe) -> str:
    """The recipe as a Python program that needs only pandas (with pyarrow).

    >>> from rowsift.recipe import load_recipe_text
    >>> text = pandas_program(load_recipe_text("version: 1\\ncolumns: {id: {rules: [not_null]}}"))
    >>> body = text[text.index("def rule_id_not_null"):].splitlines()
    >>> print(*body[:3], sep=chr(10))
    def rule_id_not_null(frame: pd.DataFrame) -> pd.Series:
        # id.not_null: a null value fails (the only rule that fails on null)
        return text(frame, "id").isna()
    """
    return _write(outline(recipe))


def _write(plan_outline: Outline) -> str:
    plan = plan_outline.plan
    helpers: set[str] = set()
    repairs = _Functions()
    tokens = plan_outline.reading.null_tokens
    first: list[Transform] = [NullTokens(tokens)] if tokens else []
    texts = [
        (
            column,
            [
                _transform(t, helpers, repairs, column.name)
                for t in [*first, *column.transforms]
                if not isinstance(t, Majority)
            ],
        )
        for column in plan.columns
    ]
    casts = [(column, _cast(column, helpers)) for column in plan.columns]
    rules, literals = program.rule_codes(
        plan_outline,
        type_rule=lambda column: [
            f"return text(frame, {literal(column.name)}).notna() "
            f"& value(frame, {literal(column.name)}).isna()"
        ],
        column_rule=lambda column, rule: _column_rule(column, rule, helpers),
        rowset_rule=lambda step: rowset_rule(step, GROUPS, helpers),
    )
    if plan.columns:
        helpers.add("with_columns")  # `transformed` and `typed` add the declared columns
    if "to_date" in helpers:
        helpers.add("to_datetime")
    if "lit" in helpers:
        helpers.add("when")  # lit is written with when's column_like
    if any(column.cast.type == "decimal" for column in plan.columns):
        literals.append(Decimal(0))  # to_decimal reads text as Decimal
    majorities = program.majority_steps(plan, "pandas")
    if majorities:
        helpers.add("majority")
    helper_text = [HELPERS[name].strip("\n") for name in HELPERS if name in helpers]
    helper_text += [text for _, text in repairs.functions.values()]
    grouped = [program.majority_call(column, transform) for column, transform in majorities]
    return layout(plan_outline, texts, casts, rules, helper_text, literals, grouped)
