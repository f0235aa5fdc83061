"""A recipe as a standalone Polars program (`rowsift export --to polars`).

The program is written from the compiled plan, one function per rule named after its rule id,
and does what rowsift's Polars engine does, step by step: read the text, apply the transforms,
parse the types, flag every rule, split. Where this module does not know a rule or a transform
it raises `ExportError` naming it (`EXPORTED` lists what it knows; the tests check that every
registered kind is exported or listed in docs/export.md as one that cannot be).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from rowsift.engine.parse import FLOAT_GUARD, INT_GUARD, guard
from rowsift.engine.plan import CastSpec, ColumnPlan
from rowsift.engines.protocol import BOOL_TRIM, FALSE_TOKENS, TRUE_TOKENS
from rowsift.export.code import program
from rowsift.export.code.expression_tree import WRITTEN_FROM_EXPRESSIONS
from rowsift.export.code.outline import Outline, outline
from rowsift.export.code.polars_layout import layout
from rowsift.export.code.python_expressions import function_text, python_literal
from rowsift.export.code.python_text import Names, call, listed, literal
from rowsift.export.code.rowset_rules import GroupSpelling, rowset_rule
from rowsift.recipe.formats import chrono_format, reads_offset
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
from rowsift.transforms.text import _WHITESPACE_RUN, WHITESPACE

__all__ = ["EXPORTED", "LIBRARY", "outline", "polars_program"]

LIBRARY = "polars"
"""The one library a Polars program imports."""


@dataclass
class _Repairs:
    """The functions written for the transforms of `WRITTEN_FROM_EXPRESSIONS`, one per
    distinct transform, named after the first column that uses it."""

    functions: dict[object, tuple[str, str]] = field(default_factory=dict)
    names: dict[str, Names] = field(default_factory=dict)

    def call(self, transform: Transform, column: str, helpers: set[str]) -> str:
        if transform not in self.functions:
            names = self.names.setdefault(transform.name, Names(transform.name))
            function = names.make(column)
            text, used = function_text(function, transform, constants=_CONSTANTS)
            helpers.update(used)
            self.functions[transform] = (function, text)
        return f".pipe({self.functions[transform][0]})"


_CONSTANTS = {WHITESPACE: "WHITESPACE", ignored_run(): "IGNORED_RUN"}
"""Texts a repair's expression holds that the program names (see HELPERS)."""


def _transform(transform: Transform, helpers: set[str], repairs: _Repairs, column: str) -> str:
    """One step of a column's chain, as the method call that follows ``pl.col(...)``."""
    if isinstance(transform, WRITTEN_FROM_EXPRESSIONS):
        return repairs.call(transform, column, helpers)
    if isinstance(transform, Strip):
        helpers.add("WHITESPACE")
        return ".str.strip_chars(WHITESPACE)"
    if isinstance(transform, Lower):
        return ".str.to_lowercase()"
    if isinstance(transform, Upper):
        return ".str.to_uppercase()"
    if isinstance(transform, CollapseSpaces):
        helpers.add("WHITESPACE_RUN")
        return '.str.replace_all(WHITESPACE_RUN, " ")'
    if isinstance(transform, NullTokens):
        helpers.add("null_tokens")
        return f".pipe(null_tokens, {literal(list(transform.tokens))})"
    if isinstance(transform, Map):
        pairs = ", ".join(f"{literal(old)}: {literal(new)}" for old, new in transform.mapping)
        return f".replace({{{pairs}}})"
    if isinstance(transform, Replace):
        return f".str.replace_all({literal(transform.pattern)}, {literal(transform.replacement)})"
    if isinstance(transform, FillNull):
        return f".fill_null(pl.lit({literal(transform.value)}))"
    raise program.not_exported("polars", "transform", transform)


def _cast(column: ColumnPlan, helpers: set[str]) -> str:
    """The typed value of a column, from its transformed text."""
    text, cast = f"text({literal(column.name)})", column.cast
    if cast.type == "string":
        return text
    helpers.add("shaped")
    if cast.type in ("int", "float", "bool"):
        helpers.add(f"to_{cast.type}")
        return f"to_{cast.type}({text})"
    shape = literal(guard(cast))
    indent = " " * 8  # inside `frame.with_columns(`
    if cast.type == "decimal":
        helpers.add("to_decimal")
        arguments = [text, shape, f"precision={cast.precision}", f"scale={cast.scale}"]
        return call("to_decimal", arguments, indent=indent)
    fmt = literal(chrono_format(cast.format or ""))
    helpers.add(f"to_{cast.type}")
    if cast.type == "date":
        return call("to_date", [text, shape, fmt], indent=indent)
    offset = f"utc_offset={reads_offset(cast.format or '')}"
    return call("to_datetime", [text, shape, fmt, offset], indent=indent)


_OPS = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _passes(rule: ColumnRule, value: str) -> str:
    """Where a non-null value passes a column rule."""
    if isinstance(rule, Matches):
        return call(f"{value}.str.contains", [literal(rule.pattern)], indent="    ")
    if isinstance(rule, Between):
        parts = [f"{value}.is_not_nan()"] if rule.floating else []
        if rule.min is not None:
            parts.append(f"{value} {'>=' if rule.include_min else '>'} {literal(rule.min)}")
        if rule.max is not None:
            parts.append(f"{value} {'<=' if rule.include_max else '<'} {literal(rule.max)}")
        return _conjunction(parts)
    if isinstance(rule, InSet):
        # NaN is matched apart, as rowsift does (engines disagree on finding it in a list)
        members = [m for m in rule.values if not (isinstance(m, float) and math.isnan(m))]
        found = f"{value}.is_in({listed([literal(m) for m in members], indent='    ')})"
        return f"{found} | {value}.is_nan()" if len(members) < len(rule.values) else found
    if isinstance(rule, Length):
        parts = []
        if rule.min is not None:
            parts.append(f"{value}.str.len_chars() >= {rule.min}")
        if rule.max is not None:
            parts.append(f"{value}.str.len_chars() <= {rule.max}")
        return _conjunction(parts)
    if isinstance(rule, Compare):
        other = f"value({literal(rule.column)})"
        outcome = f"{value} {_OPS[rule.op]} {other}"
        if not rule.floating:
            return f"({outcome}) | {other}.is_null()"
        # IEEE 754: a NaN on either side makes every comparison false but `!=`
        return (
            "(\n"
            f"        pl.when({value}.is_nan() | {other}.is_nan())\n"
            f"        .then(pl.lit({rule.op == '!='}))\n"
            f"        .otherwise({outcome})\n"
            f"        | {other}.is_null()\n"
            "    )"
        )
    raise program.not_exported("polars", "rule", rule)


def _conjunction(parts: list[str]) -> str:
    """Conditions joined by `&` (each in parentheses when there are several)."""
    if len(parts) == 1:
        return parts[0]
    return " & ".join(f"({part})" for part in parts) or "pl.lit(True)"


def _column_rule(column: ColumnPlan, rule: ColumnRule) -> list[str]:
    value = f"value({literal(column.name)})"
    if isinstance(rule, NotNull):
        return [f"return text({literal(column.name)}).is_null()"]
    return [f"passes = {_passes(rule, value)}", f"return fails({value}, passes)"]


GROUPS = GroupSpelling(
    target="polars",
    key=lambda name: f"value({name})",
    row="pl.col(ROW)",
    count_over=lambda what, keys: f"{what}.count().over({keys})",
    max_over=lambda what, keys: f"{what}.max().over({keys})",
    seen_before=lambda step: "seen_before(keys)",
    seen_before_reads_keys=True,
    helpers=("present", "seen_before"),
)
"""How a Polars program spells the row rules' groups."""


EXPORTED = (*program.EXPORTED, Majority)
"""Every rule and transform kind this target writes."""


HELPERS: dict[str, str] = {
    "WHITESPACE": f'''
WHITESPACE = {literal(WHITESPACE)}
"""What `strip` removes: ASCII whitespace and the Unicode space separators."""''',
    "WHITESPACE_RUN": f'''
WHITESPACE_RUN = {literal(_WHITESPACE_RUN)}
"""A run of whitespace, which `collapse_spaces` makes one space."""''',
    "IGNORED_RUN": f'''
IGNORED_RUN = {python_literal(ignored_run())}
"""What `canonical` ignores between the letters of a value: whitespace, punctuation and
combining marks (a pattern)."""''',
    "null_tokens": '''
def null_tokens(value: pl.Expr, tokens: list[str]) -> pl.Expr:
    """Null where the value is one of the tokens."""
    return pl.when(~value.is_in(tokens)).then(value)''',
    "shaped": '''
def shaped(text: pl.Expr, shape: str) -> pl.Expr:
    """The text where it has the shape of the type (a regular expression), else null: a
    text of another shape fails the column's `type` rule, whatever the parser would make
    of it."""
    return pl.when(text.str.contains(shape)).then(text)''',
    "to_int": f'''
INT_SHAPE = {literal(INT_GUARD)}


def to_int(text: pl.Expr) -> pl.Expr:
    """A 64-bit integer; null where it does not fit."""
    return shaped(text, INT_SHAPE).cast(pl.Int64, strict=False)''',
    "to_float": f'''
FLOAT_SHAPE = {literal(FLOAT_GUARD)}


def to_float(text: pl.Expr) -> pl.Expr:
    """A 64-bit float; -0.0 is read as 0.0, as on every engine rowsift runs on."""
    number = shaped(text, FLOAT_SHAPE).cast(pl.Float64, strict=False)
    return pl.when(number == 0.0).then(pl.lit(0.0)).otherwise(number)''',
    "to_decimal": '''
def to_decimal(text: pl.Expr, shape: str, *, precision: int, scale: int) -> pl.Expr:
    """A decimal; the shape admits only texts that fit without rounding."""
    return shaped(text, shape).cast(pl.Decimal(precision, scale), strict=False)''',
    "to_bool": f'''
TRUE_TOKENS = {literal(list(TRUE_TOKENS))}
FALSE_TOKENS = {literal(list(FALSE_TOKENS))}
BOOL_SHAPE = {literal(guard(CastSpec(type="bool")))}


def to_bool(text: pl.Expr) -> pl.Expr:
    """True or false from the tokens above, in any case, around blanks; null otherwise."""
    folded = shaped(text, BOOL_SHAPE).str.strip_chars({literal(BOOL_TRIM)}).str.to_lowercase()
    return (
        pl.when(folded.is_in(TRUE_TOKENS))
        .then(pl.lit(True))
        .when(folded.is_in(FALSE_TOKENS))
        .then(pl.lit(False))
        .otherwise(pl.lit(None, dtype=pl.Boolean))
    )''',
    "to_date": '''
def to_date(text: pl.Expr, shape: str, fmt: str) -> pl.Expr:
    """A date written in the format (Polars' spelling of the recipe's strftime format)."""
    return shaped(text, shape).str.to_date(fmt, strict=False)''',
    "to_datetime": '''
def to_datetime(text: pl.Expr, shape: str, fmt: str, *, utc_offset: bool) -> pl.Expr:
    """A timestamp in microseconds; a UTC offset in the text is applied, giving UTC without
    a time zone."""
    stamps = shaped(text, shape).str.to_datetime(fmt, strict=False, time_unit="us")
    return stamps.dt.replace_time_zone(None) if utc_offset else stamps''',
    "majority": '''
GROUP = "_rowsift_group:"  # + a count `majority` works with


def majority(
    frame: pl.LazyFrame,
    column: str,
    by: list[str],
    *,
    share: tuple[int, int],
    min_rows: int,
    fill_nulls: bool = False,
) -> pl.LazyFrame:
    """The text of `column` becomes the most frequent text of its group (equal `by` texts)
    where one value alone has the top count, holds at least `share` (numerator, denominator)
    of the group's present values, and the group has `min_rows` of them; a null never votes,
    and is filled on those terms only with `fill_nulls`; a row with a null `by` text is left."""
    value, keys = pl.col(column), [pl.col(name) for name in by]
    pair, top, votes = pl.col(GROUP + "pair"), pl.col(GROUP + "top"), pl.col(GROUP + "votes")
    at_top, winner = pl.col(GROUP + "at_top"), pl.col(GROUP + "winner")
    candidate = pl.when(pair == top).then(value)
    judged = [] if fill_nulls else [value.is_not_null()]
    present = pl.all_horizontal([*judged, *[key.is_not_null() for key in keys]])
    dominant = (votes >= min_rows) & (at_top == top) & (top * share[1] >= votes * share[0])
    return (
        frame.with_columns(value.count().over([*keys, value]).alias(GROUP + "pair"))
        .with_columns(
            pair.max().over(keys).alias(GROUP + "top"),
            value.count().over(keys).alias(GROUP + "votes"),
        )
        .with_columns(
            candidate.count().over(keys).alias(GROUP + "at_top"),
            candidate.max().over(keys).alias(GROUP + "winner"),
        )
        .with_columns(pl.when(present & dominant).then(winner).otherwise(value).alias(column))
        .drop(GROUP + name for name in ("pair", "top", "votes", "at_top", "winner"))
    )''',
    "present": '''
def present(keys: list[pl.Expr], ignore_if_null: str) -> pl.Expr:
    """Rows a key rule judges: no key null (`any`), or not every key null (`all`)."""
    known = [key.is_not_null() for key in keys]
    return pl.all_horizontal(known) if ignore_if_null == "any" else pl.any_horizontal(known)''',
    "seen_before": '''
def seen_before(keys: list[pl.Expr]) -> pl.Expr:
    """True where an earlier row (rows are in `_rowsift_row` order) has the same keys; null
    equals null."""
    key = keys[0] if len(keys) == 1 else pl.struct(keys)
    return key.is_first_distinct().not_()''',
}


def polars_program(recipe: Recipe) -> str:
    """The recipe as a Python program that needs only Polars.

    >>> from rowsift.recipe import load_recipe_text
    >>> text = polars_program(load_recipe_text("version: 1\\ncolumns: {id: {rules: [not_null]}}"))
    >>> body = text[text.index("def rule_id_not_null"):].splitlines()
    >>> print(*body[:3], sep=chr(10))
    def rule_id_not_null() -> pl.Expr:
        # id.not_null: a null value fails (the only rule that fails on null)
        return text("id").is_null()
    """
    return _write(outline(recipe))


def _write(plan_outline: Outline) -> str:
    plan = plan_outline.plan
    helpers: set[str] = set()
    repairs = _Repairs()
    texts = [
        (
            column,
            [
                _transform(t, helpers, repairs, column.name)
                for t in _with_source_tokens(plan_outline, column)
                if not isinstance(t, Majority)
            ],
        )
        for column in plan.columns
    ]
    majorities = program.majority_steps(plan, "polars")
    if majorities:
        helpers.add("majority")
    casts = [(column, _cast(column, helpers)) for column in plan.columns]
    rules, literals = program.rule_codes(
        plan_outline,
        type_rule=lambda column: [
            f"return text({literal(column.name)}).is_not_null() "
            f"& value({literal(column.name)}).is_null()"
        ],
        column_rule=_column_rule,
        rowset_rule=lambda step: rowset_rule(step, GROUPS, helpers),
    )
    helper_text = [HELPERS[name].strip("\n") for name in HELPERS if name in helpers]
    helper_text += [text for _, text in repairs.functions.values()]
    grouped = [program.majority_call(column, transform) for column, transform in majorities]
    return layout(plan_outline, texts, casts, rules, helper_text, literals, grouped)


def _with_source_tokens(plan_outline: Outline, column: ColumnPlan) -> list[Transform]:
    """The source's null tokens run first, as in rowsift, then the column's transforms."""
    tokens = plan_outline.reading.null_tokens
    first: list[Transform] = [NullTokens(tokens)] if tokens else []
    return [*first, *column.transforms]
