"""Checks of what a structurally valid recipe means: references, patterns, types of literals.

The checks of one rule or transform live with its arguments (`problems`); this module walks
the recipe, adds what is about a column as a whole, and collects every problem, so a recipe
author sees them all at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from rowsift._names import INTERNAL_PREFIX, REASON_SEPARATOR
from rowsift.exceptions import Problem
from rowsift.recipe.context import Context
from rowsift.recipe.formats import format_problem
from rowsift.recipe.model import ColumnSpec, Recipe


def check_meaning(recipe: Recipe) -> list[Problem]:
    """Every problem of meaning in the recipe, in file order."""
    context = recipe.context()
    return [
        *_source_problems(recipe),
        *_column_problems(recipe, context),
        *_entries_problems("rows", recipe.rows, context),
        *_entries_problems("dataset", recipe.dataset, context),
    ]


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


def _column_problems(recipe: Recipe, context: Context) -> Iterator[Problem]:
    for name, column in recipe.columns.items():
        here = f"columns.{name}"
        own = context.under(name)
        if name.startswith(INTERNAL_PREFIX):
            yield Problem(
                f"column names starting with {INTERNAL_PREFIX!r} are the columns rowsift adds",
                path=here,
                hint="rename the column in the input; a column the recipe does not declare "
                "passes through",
            )
        if REASON_SEPARATOR in name:
            yield Problem(
                "a column name may not hold the control character U+001F: rowsift joins rule "
                "ids and repaired columns with it",
                path=here,
                hint="rename the column in the input",
            )
        yield from _type_options(column, here)
        yield from _entries_problems(f"{here}.transforms", column.transforms, own)
        yield from _majority_last(column, here)
        for index, rule in enumerate(column.rules):
            if rule.args.text_only and column.type != "string":
                yield Problem(
                    f"'{rule.kind}' looks at text, but column {name!r} is {column.type}",
                    path=f"{here}.rules[{index}]",
                    hint="use it on a string column, or 'between' for numbers and dates",
                )
        yield from _entries_problems(f"{here}.rules", column.rules, own)


def _majority_last(column: ColumnSpec, here: str) -> Iterator[Problem]:
    """`majority` reads other rows once every per-value transform ran: it must come last."""
    kinds = [entry.kind for entry in column.transforms]
    for index, kind in enumerate(kinds[:-1]):
        if kind == "majority":
            yield Problem(
                "'majority' must be the last transform of its column",
                path=f"{here}.transforms[{index}].majority",
                hint="move it after the other transforms (they run on each value first)",
            )


def _entries_problems(where: str, entries: Iterable[Any], context: Context) -> Iterator[Problem]:
    """The problems each entry's arguments find, located under `where[index].kind`."""
    for index, entry in enumerate(entries):
        path = f"{where}[{index}].{entry.kind}"
        for problem in entry.args.problems(context):
            yield replace(problem, path=path + problem.path)


def _type_options(column: ColumnSpec, here: str) -> Iterator[Problem]:
    if column.format is not None and column.type not in ("date", "datetime"):
        yield Problem(
            f"'format' applies to date and datetime columns, this one is {column.type}",
            path=f"{here}.format",
            hint="remove 'format' or set 'type: date' or 'type: datetime'",
        )
    elif column.format is not None:
        problem = format_problem(column.format)
        if problem:
            yield Problem(problem[0], path=f"{here}.format", hint=problem[1])
    for option in ("precision", "scale"):
        if getattr(column, option) is not None and column.type != "decimal":
            yield Problem(
                f"'{option}' applies to decimal columns, this one is {column.type}",
                path=f"{here}.{option}",
                hint="remove it or set 'type: decimal'",
            )
    if column.type == "decimal" and (column.scale or 0) > (column.precision or 38):
        yield Problem("scale is larger than precision", path=f"{here}.scale")
