"""Checks of what a structurally valid recipe means: references, patterns, types of literals.

Every problem is collected, so a recipe author sees them all at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from rowsift.exceptions import Problem
from rowsift.recipe._regex import regex_problem
from rowsift.recipe.model import ColumnSpec, Recipe
from rowsift.recipe.values import ORDERED_TYPES, coerce_literal

TEXT_RULES = frozenset({"matches", "length"})


def check_meaning(recipe: Recipe) -> list[Problem]:
    """Every problem of meaning in the recipe, in file order."""
    return [*_source_problems(recipe), *_column_problems(recipe), *_table_problems(recipe)]


def _source_problems(recipe: Recipe) -> Iterator[Problem]:
    import codecs

    try:
        codecs.lookup(recipe.source.encoding)
    except LookupError:
        yield Problem(
            f"unknown encoding {recipe.source.encoding!r}",
            path="source.encoding",
            hint="use a Python codec name such as utf-8, utf-16, cp1252 or latin-1",
        )


def _unknown_column(name: str, recipe: Recipe, path: str) -> Problem:
    close = difflib.get_close_matches(name, list(recipe.columns), n=1)
    hint = f"did you mean {close[0]!r}?" if close else "declare it under columns:"
    return Problem(f"unknown column {name!r}", path=path, hint=hint)


def _column_problems(recipe: Recipe) -> Iterator[Problem]:
    for name, column in recipe.columns.items():
        here = f"columns.{name}"
        yield from _type_options(column, here)
        for index, transform in enumerate(column.transforms):
            if transform.kind == "replace":
                problem = regex_problem(transform.args.pattern)
                if problem:
                    path = f"{here}.transforms[{index}].replace.pattern"
                    yield Problem(problem[0], path=path, hint=problem[1])
                elif _matches_empty(transform.args.pattern):
                    yield Problem(
                        f"the replace pattern {transform.args.pattern!r} matches the empty text",
                        path=f"{here}.transforms[{index}].replace.pattern",
                        hint="engines disagree on where empty matches fall; use + instead of *",
                    )
                if any(ch in transform.args.with_ for ch in "$\\"):
                    yield Problem(
                        "the replacement text may not contain '$' or '\\'",
                        path=f"{here}.transforms[{index}].replace.with",
                        hint="`with` is literal text; group references are not supported yet",
                    )
        for index, rule in enumerate(column.rules):
            yield from _rule_problems(
                recipe, name, column, rule.kind, rule.args, f"{here}.rules[{index}]"
            )


def _matches_empty(pattern: str) -> bool:
    import polars as pl

    return bool(pl.Series([""], dtype=pl.String).str.contains(pattern).item())


def _type_options(column: ColumnSpec, here: str) -> Iterator[Problem]:
    if column.format is not None and column.type not in ("date", "datetime"):
        yield Problem(
            f"'format' applies to date and datetime columns, this one is {column.type}",
            path=f"{here}.format",
            hint="remove 'format' or set 'type: date' or 'type: datetime'",
        )
    for option in ("precision", "scale"):
        if getattr(column, option) is not None and column.type != "decimal":
            yield Problem(
                f"'{option}' applies to decimal columns, this one is {column.type}",
                path=f"{here}.{option}",
                hint="remove it or set 'type: decimal'",
            )
    if column.type == "decimal" and (column.scale or 0) > (column.precision or 38):
        yield Problem("scale is larger than precision", path=f"{here}.scale")


def _rule_problems(
    recipe: Recipe, name: str, column: ColumnSpec, kind: str, args: object, path: str
) -> Iterator[Problem]:
    if kind in TEXT_RULES and column.type != "string":
        yield Problem(
            f"'{kind}' looks at text, but column {name!r} is {column.type}",
            path=path,
            hint="use it on a string column, or 'between' for numbers and dates",
        )
    if kind == "matches":
        problem = regex_problem(args.pattern)  # type: ignore[attr-defined]
        if problem:
            yield Problem(problem[0], path=f"{path}.matches", hint=problem[1])
    if kind == "between":
        if column.type not in ORDERED_TYPES:
            yield Problem(
                f"'between' needs an ordered type, column {name!r} is {column.type}", path=path
            )
            return
        bounds = []
        for bound in ("min", "max"):
            value = getattr(args, bound)
            if value is not None:
                problems = list(_literal(value, column, f"{path}.between.{bound}"))
                yield from problems
                bounds.append(None if problems else coerce_literal(value, column.type))
        if len(bounds) == 2 and None not in bounds:
            yield from _empty_interval(
                bounds[0],
                bounds[1],
                args.include_min and args.include_max,  # type: ignore[attr-defined]
                f"{path}.between",
            )
    if kind == "length":
        low, high = args.min, args.max  # type: ignore[attr-defined]
        if low is not None and high is not None:
            yield from _empty_interval(low, high, True, f"{path}.length")
    if kind == "in_set":
        for index, value in enumerate(args.values):  # type: ignore[attr-defined]
            yield from _literal(value, column, f"{path}.in_set[{index}]")
    if kind == "compare":
        other = args.column  # type: ignore[attr-defined]
        if other not in recipe.columns:
            yield _unknown_column(other, recipe, f"{path}.compare.column")
        elif column.type == "decimal" and (
            (column.precision, column.scale)
            != (recipe.columns[other].precision, recipe.columns[other].scale)
        ):
            yield Problem(
                f"cannot compare decimal columns {name!r} and {other!r} of different precision "
                "or scale",
                path=f"{path}.compare.column",
                hint="give both columns the same precision and scale",
            )
        elif recipe.columns[other].type != column.type:
            yield Problem(
                f"cannot compare {name!r} ({column.type}) with {other!r} "
                f"({recipe.columns[other].type})",
                path=f"{path}.compare.column",
                hint="compare columns of the same type",
            )
    if kind == "determined_by":
        for index, other in enumerate(args.columns):  # type: ignore[attr-defined]
            if other not in recipe.columns:
                yield _unknown_column(other, recipe, f"{path}.determined_by.columns[{index}]")


def _empty_interval(low: Any, high: Any, closed: bool, path: str) -> Iterator[Problem]:
    """A range no value can fall in: every non-null value would fail the rule."""
    try:
        empty = low > high or (low == high and not closed)
    except TypeError:  # a datetime with a time zone and one without: not comparable here
        return
    if empty:
        shown = f"min {low} and max {high}" + ("" if low > high else ", not both included")
        yield Problem(
            f"no value can pass: {shown}",
            path=path,
            hint="swap min and max, or include both bounds",
        )


def _literal(value: object, column: ColumnSpec, path: str) -> Iterator[Problem]:
    try:
        coerce_literal(value, column.type)
    except ValueError as exc:
        yield Problem(f"{exc} (the column is {column.type})", path=path)


def _table_problems(recipe: Recipe) -> Iterator[Problem]:
    for index, row_rule in enumerate(recipe.rows):
        for position, other in enumerate(row_rule.args.columns or []):
            if other not in recipe.columns:
                path = f"rows[{index}].{row_rule.kind}.columns[{position}]"
                yield _unknown_column(other, recipe, path)
    for index, dataset_rule in enumerate(recipe.dataset):
        args = dataset_rule.args
        if dataset_rule.kind == "null_rate" and args.column not in recipe.columns:
            yield _unknown_column(args.column, recipe, f"dataset[{index}].null_rate.column")
        bounded = dataset_rule.kind == "row_count" and None not in (args.min, args.max)
        if bounded and args.min > args.max:
            yield Problem("min is larger than max", path=f"dataset[{index}].row_count")
