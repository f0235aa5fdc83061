"""Compile a recipe into a plan: rules become frozen steps with ids; no data is read.

Compile knows no rule or transform by name: each entry's arguments build their own rule
(`rowsift.recipe.arguments`), and the rule's class decides the kind of step it becomes.
"""

from __future__ import annotations

from typing import assert_never

from rowsift.engine.plan import (
    CastSpec,
    ColumnPlan,
    ColumnRuleStep,
    DatasetStep,
    Plan,
    RowSetStep,
)
from rowsift.exceptions import RecipeError
from rowsift.recipe.context import Context
from rowsift.recipe.ids import rule_ids
from rowsift.recipe.meaning import check_meaning
from rowsift.recipe.model import ColumnSpec, Recipe
from rowsift.rules import ColumnRule, RowSetRule

DEFAULT_FORMATS = {"date": "%Y-%m-%d", "datetime": "%Y-%m-%dT%H:%M:%S"}


def compile_recipe(recipe: Recipe) -> Plan:
    """Turn a (checked) recipe into a plan.

    >>> from rowsift.recipe import load_recipe_text
    >>> plan = compile_recipe(load_recipe_text('''
    ... version: 1
    ... columns:
    ...   id: {rules: [not_null, unique]}
    ...   amount: {type: float, rules: [{between: {min: 0}}, {between: {max: 9}}]}
    ... '''))
    >>> plan.rule_ids()
    ['id.not_null', 'amount.type', 'amount.between', 'amount.between_2', 'id.unique']

    A recipe built in Python is checked as a loaded one is: its problems raise `RecipeError`.
    """
    problems = check_meaning(recipe)
    if problems:
        raise RecipeError(problems)
    context = recipe.context()
    ids = dict(rule_ids(recipe))
    columns: list[ColumnPlan] = []
    rowset: list[RowSetStep] = []
    for name, spec in recipe.columns.items():
        steps = []
        for index, entry in enumerate(spec.rules):
            rule_id = ids["columns", name, "rules", index]
            rule = entry.args.build(context.under(name))
            if isinstance(rule, ColumnRule):
                steps.append(ColumnRuleStep(id=rule_id, rule=rule))
            elif isinstance(rule, RowSetRule):
                rowset.append(RowSetStep(id=rule_id, rule=rule, columns=rule.grouped))
            else:
                assert_never(rule)
        columns.append(_column_plan(name, spec, context, tuple(steps)))
    for index, row_entry in enumerate(recipe.rows):
        row_rule = row_entry.args.build(context)
        step = RowSetStep(id=ids["rows", index], rule=row_rule, columns=row_rule.grouped)
        rowset.append(step)
    dataset = [
        DatasetStep(id=ids["dataset", index], rule=entry.args.build(context))
        for index, entry in enumerate(recipe.dataset)
    ]
    return Plan(
        name=recipe.name,
        recipe_fingerprint=recipe.fingerprint(),
        source=recipe.source,
        columns=tuple(columns),
        rowset=tuple(rowset),
        dataset=tuple(dataset),
    )


def _column_plan(
    name: str, spec: ColumnSpec, context: Context, steps: tuple[ColumnRuleStep, ...]
) -> ColumnPlan:
    info = context.columns[name]
    return ColumnPlan(
        name=name,
        required=spec.required,
        transforms=tuple(entry.args.build() for entry in spec.transforms),
        cast=CastSpec(
            type=spec.type,
            format=spec.format or DEFAULT_FORMATS.get(spec.type),
            precision=info.precision,
            scale=info.scale,
        ),
        rules=steps,
    )
