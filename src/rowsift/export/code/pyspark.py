"""A recipe as a standalone PySpark program (`rowsift export --to pyspark`).

The program is written from the compiled plan, one function per rule named after its rule id,
and does what rowsift's Spark engine does, step by step: read the text, apply the transforms,
parse the types, flag every rule, split. Each step is the Spark call rowsift's engine makes
through narwhals' Spark backend (``rlike``, ``F.btrim``, windows over the key columns); types
are parsed and "seen before" marked by the Spark SQL of `rowsift.engines.sql`, the text the
engine runs; the repairs are written from their own narwhals expressions (`spark_expressions`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from rowsift.engine.parse import guard
from rowsift.engine.plan import ColumnPlan, RowSetStep
from rowsift.engines import sql
from rowsift.engines.protocol import ParseJob
from rowsift.export.code import program
from rowsift.export.code.expression_tree import WRITTEN_FROM_EXPRESSIONS
from rowsift.export.code.outline import Outline, outline
from rowsift.export.code.pyspark_helpers import Step, helper_texts
from rowsift.export.code.pyspark_layout import layout
from rowsift.export.code.python_text import Names, call, listed, literal
from rowsift.export.code.rowset_rules import GroupSpelling, rowset_rule
from rowsift.export.code.spark_expressions import spark_function_text
from rowsift.recipe.model import Recipe
from rowsift.rules import (
    Between,
    ColumnRule,
    Compare,
    DeterminedBy,
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

__all__ = ["EXPORTED", "LIBRARY", "outline", "pyspark_program"]

LIBRARY = "pyspark"
"""The one library a PySpark program imports."""

VALUE = "_rowsift_value:"
PAIR = "_rowsift_pair:"
SUPPORT = "_rowsift_support:"


@dataclass
class _Repairs:
    """The functions written for the transforms of `WRITTEN_FROM_EXPRESSIONS`, one per
    distinct transform, named after the first column that uses it."""

    functions: dict[object, tuple[str, str]] = field(default_factory=dict)
    names: dict[str, Names] = field(default_factory=dict)

    def call(self, transform: Transform, helpers: set[str], column: str) -> str:
        if transform not in self.functions:
            names = self.names.setdefault(transform.name, Names(transform.name))
            function = names.make(column)
            text, used = spark_function_text(function, transform, constants=_CONSTANTS)
            helpers.update(used)
            self.functions[transform] = (function, text)
        return self.functions[transform][0]


_CONSTANTS = {WHITESPACE: "WHITESPACE", ignored_run(): "IGNORED_RUN"}
"""Texts a repair's expression holds that the program names (see HELPERS)."""


def _transform(
    transform: Transform, helpers: set[str], repairs: _Repairs, column: str, position: int
) -> Step:
    """One step of a column's chain, as the call that takes the value first (a repair takes
    the frame first, and the names its held parts start with last)."""
    if isinstance(transform, WRITTEN_FROM_EXPRESSIONS):
        return repairs.call(transform, helpers, column), [literal(f"{column}:{position}")], True
    if isinstance(transform, Strip):
        helpers.add("WHITESPACE")
        return "F.btrim", ["F.lit(WHITESPACE)"], False
    if isinstance(transform, Lower):
        return "F.lower", [], False
    if isinstance(transform, Upper):
        return "F.upper", [], False
    if isinstance(transform, CollapseSpaces):
        helpers.add("WHITESPACE_RUN")
        return "F.regexp_replace", ["WHITESPACE_RUN", '" "'], False
    if isinstance(transform, NullTokens):
        helpers.add("null_tokens")
        return "null_tokens", [literal(list(transform.tokens))], False
    if isinstance(transform, Map):
        helpers.add("mapped")
        pairs = [f"{literal(old)}: {literal(new)}" for old, new in transform.mapping]
        return "mapped", [listed(pairs, indent="        ").replace("[", "{", 1)[:-1] + "}"], False
    if isinstance(transform, Replace):
        return (
            "F.regexp_replace",
            [literal(transform.pattern), literal(transform.replacement)],
            False,
        )
    if isinstance(transform, FillNull):
        return "F.coalesce", [f"F.lit({literal(transform.value)})"], False
    raise program.not_exported("pyspark", "transform", transform)


def _chain(
    plan_outline: Outline, column: ColumnPlan, helpers: set[str], repairs: _Repairs
) -> list[Step]:
    """The steps of the column's text: the source's null tokens, then its transforms."""
    tokens = plan_outline.reading.null_tokens
    steps: list[Transform] = [NullTokens(tokens)] if tokens else []
    chain = [*steps, *(t for t in column.transforms if not isinstance(t, Majority))]
    return [_transform(t, helpers, repairs, column.name, n) for n, t in enumerate(chain, start=1)]


def _parsed(column: ColumnPlan, helpers: set[str]) -> tuple[Step, str | None]:
    """The typed value's two steps: the text where it has the type's shape, and the Spark
    SQL that parses it (None for a text column)."""
    text, cast = f"text({literal(column.name)})", column.cast
    if cast.type == "string":
        return ("text", [literal(column.name)], False), None
    shape = guard(cast)
    helpers.update(["shaped"] if shape else [])
    shaped: Step = ("shaped", [text, literal(shape)], False)
    if not shape:
        shaped = ("text", [literal(column.name)], False)
    job = ParseJob(
        source=VALUE + column.name,
        target=VALUE + column.name,
        type=cast.type,
        format=cast.format,
        precision=cast.precision,
        scale=cast.scale,
    )
    return shaped, sql.parsed(job, "spark")


def value_literal(value: object) -> str:
    """A recipe value as a PySpark operand: a date or a timestamp as a typed Column (a Python
    datetime would become a timestamp of the session's time zone), others as they are."""
    if isinstance(value, datetime):
        return f'F.lit({literal(value.isoformat(sep=" "))}).cast("timestamp_ntz")'
    if isinstance(value, date):
        return f'F.lit({literal(value.isoformat())}).cast("date")'
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
        # beyond 64 bits (suggest writes such bounds for large counts): compared exactly, as a
        # decimal of 38 digits (a Python int this large is no Spark literal)
        return f'F.lit({literal(str(value))}).cast("decimal(38, 0)")'
    return literal(value)


_OPS = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _passes(rule: ColumnRule, value: str) -> str:
    """Where a non-null value passes a column rule."""
    if isinstance(rule, Matches):
        return call(f"{value}.rlike", [literal(rule.pattern)], indent="    ")
    if isinstance(rule, Between):
        parts = [f"~F.isnan({value})"] if rule.floating else []
        if rule.min is not None:
            op = ">=" if rule.include_min else ">"
            parts.append(f"{value} {op} {value_literal(rule.min)}")
        if rule.max is not None:
            op = "<=" if rule.include_max else "<"
            parts.append(f"{value} {op} {value_literal(rule.max)}")
        return _conjunction(parts)
    if isinstance(rule, InSet):
        # NaN is matched apart, as rowsift does (engines disagree on finding it in a list)
        members = [m for m in rule.values if not (isinstance(m, float) and math.isnan(m))]
        written = listed([value_literal(m) for m in members], indent="    ")
        found = f"{value}.isin({written})" if members else "F.lit(False)"
        return f"{found} | F.isnan({value})" if len(members) < len(rule.values) else found
    if isinstance(rule, Length):
        parts = []
        if rule.min is not None:
            parts.append(f"F.length({value}) >= {rule.min}")
        if rule.max is not None:
            parts.append(f"F.length({value}) <= {rule.max}")
        return _conjunction(parts)
    if isinstance(rule, Compare):
        other = f"value({literal(rule.column)})"
        outcome = f"{value} {_OPS[rule.op]} {other}"
        if not rule.floating:
            return f"({outcome}) | {other}.isNull()"
        # IEEE 754: a NaN on either side makes every comparison false but `!=` (Spark's own
        # comparisons take NaN as equal to itself and above every number)
        return (
            "(\n"
            f"        F.when(F.isnan({value}) | F.isnan({other}), F.lit({rule.op == '!='}))\n"
            f"        .otherwise({outcome})\n"
            f"        | {other}.isNull()\n"
            "    )"
        )
    raise program.not_exported("pyspark", "rule", rule)


def _conjunction(parts: list[str]) -> str:
    """Conditions joined by `&` (each in parentheses when there are several)."""
    if len(parts) == 1:
        return parts[0]
    return " & ".join(f"({part})" for part in parts) or "F.lit(True)"


def _column_rule(column: ColumnPlan, rule: ColumnRule) -> list[str]:
    value = f"value({literal(column.name)})"
    if isinstance(rule, NotNull):
        return [f"return text({literal(column.name)}).isNull()"]
    return [f"passes = {_passes(rule, value)}", f"return fails({value}, passes)"]


def _seen_before(step: RowSetStep) -> str:
    """rowsift's Spark SQL for "an earlier row has the same keys"."""
    seen = sql.seen_before([VALUE + name for name in step.columns], "spark")
    return call("F.expr", [literal(seen)], indent="    ")


def _dependency_counts(step: RowSetStep, number: int) -> list[str]:
    return [
        "determinants = keys[:-1]",
        "# counted beforehand (see `counted`): Spark does not nest windows",
        f"pair = col({literal(f'{PAIR}{number}')})  # rows with this determinant and value",
        f"support = col({literal(f'{SUPPORT}{number}')})  # rows with a value at all",
    ]


def _groups(plan_outline: Outline) -> GroupSpelling:
    """How a PySpark program spells the row rules' groups (a window per group)."""
    rowset = plan_outline.plan.rowset
    return GroupSpelling(
        target="pyspark",
        key=lambda name: f"value({name})",
        row="col(ROW)",
        count_over=lambda what, keys: f"F.count({what}).over(Window.partitionBy(*{keys}))",
        max_over=lambda what, keys: f"F.max({what}).over(Window.partitionBy(*{keys}))",
        seen_before=_seen_before,
        seen_before_reads_keys=False,
        helpers=("present",),
        dependency_counts=lambda step: _dependency_counts(step, rowset.index(step)),
    )


def _counts(plan_outline: Outline) -> list[tuple[str, str, list[str]]]:
    """What each functional dependency counts before its rule compares counts: (column,
    what is counted, the window's keys)."""
    counted = []
    for number, step in enumerate(plan_outline.plan.rowset):
        if isinstance(step.rule, DeterminedBy):
            keys = [f"value({literal(name)})" for name in step.columns]
            dependent = keys[-1]
            counted.append((f"{PAIR}{number}", dependent, keys))
            counted.append((f"{SUPPORT}{number}", dependent, keys[:-1]))
    return counted


EXPORTED = (*program.EXPORTED, Majority)
"""Every rule and transform kind this target writes."""


def pyspark_program(recipe: Recipe) -> str:
    """The recipe as a Python program that needs only PySpark.

    >>> from rowsift.recipe import load_recipe_text
    >>> text = pyspark_program(load_recipe_text("version: 1\\ncolumns: {id: {rules: [not_null]}}"))
    >>> body = text[text.index("def rule_id_not_null"):].splitlines()
    >>> print(*body[:3], sep=chr(10))
    def rule_id_not_null() -> Column:
        # id.not_null: a null value fails (the only rule that fails on null)
        return text("id").isNull()
    """
    return _write(outline(recipe))


def _write(plan_outline: Outline) -> str:
    plan = plan_outline.plan
    helpers: set[str] = set()
    repairs = _Repairs()
    texts = [(column, _chain(plan_outline, column, helpers, repairs)) for column in plan.columns]
    groups = _groups(plan_outline)
    casts = [(column, *_parsed(column, helpers)) for column in plan.columns]
    rules, literals = program.rule_codes(
        plan_outline,
        type_rule=lambda column: [
            f"return text({literal(column.name)}).isNotNull() "
            f"& value({literal(column.name)}).isNull()"
        ],
        column_rule=_column_rule,
        rowset_rule=lambda step: rowset_rule(step, groups, helpers),
    )
    helper_text = helper_texts(helpers)
    helper_text += [text for _, text in repairs.functions.values()]
    counts = _counts(plan_outline)
    majorities = program.majority_steps(plan, "pyspark")
    grouped = [program.majority_call(c, t, method="transform") for c, t in majorities]
    if majorities:
        helper_text.insert(0, helper_texts({"majority"})[0])
    return layout(
        plan_outline, texts, casts, counts, rules, helper_text, _decimals(literals), grouped
    )


def _decimals(values: list[object]) -> list[object]:
    """The decimals among recipe values (the only literals that need an import here: dates
    and timestamps are written as typed text)."""
    found: list[object] = []
    for value in values:
        if isinstance(value, tuple | list):
            found += _decimals(list(value))
        elif isinstance(value, Decimal):
            found.append(value)
    return found
