"""Compile a recipe into a plan: rules become frozen steps with ids; no data is read."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from decimal import Decimal, localcontext
from typing import Any

from rowsift.engine.plan import (
    CastSpec,
    ColumnPlan,
    ColumnRuleStep,
    DatasetStep,
    Plan,
    RowSetStep,
)
from rowsift.recipe._regex import portable_pattern
from rowsift.recipe.model import ColumnSpec, ColumnType, Recipe, TransformSpec
from rowsift.recipe.values import coerce_literal
from rowsift.rules import (
    Between,
    ColumnRule,
    Compare,
    DatasetRule,
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
from rowsift.transforms import (
    CollapseSpaces,
    FillNull,
    Lower,
    Map,
    NullTokens,
    Replace,
    Strip,
    Transform,
    Upper,
)

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
    """
    columns: list[ColumnPlan] = []
    rowset: list[RowSetStep] = []
    for name, spec in recipe.columns.items():
        seen: Counter[str] = Counter()
        steps: list[ColumnRuleStep] = []
        for entry in spec.rules:
            seen[entry.kind] += 1
            rule_id = f"{name}.{entry.kind}" + (
                f"_{seen[entry.kind]}" if seen[entry.kind] > 1 else ""
            )
            rule = _column_rule(entry.kind, entry.args, spec.type, _cast(spec).scale)
            if isinstance(rule, Unique):
                rowset.append(RowSetStep(id=rule_id, rule=rule, columns=(name,)))
            elif isinstance(rule, DeterminedBy):
                rowset.append(RowSetStep(id=rule_id, rule=rule, columns=(*rule.columns, name)))
            else:
                steps.append(ColumnRuleStep(id=rule_id, rule=rule))
        columns.append(
            ColumnPlan(
                name=name,
                required=spec.required,
                transforms=tuple(_transform(t) for t in spec.transforms),
                cast=_cast(spec),
                rules=tuple(steps),
            )
        )
    declared = tuple(recipe.columns)
    seen_rows: Counter[str] = Counter()
    for row_rule in recipe.rows:
        kind = row_rule.kind
        seen_rows[kind] += 1
        suffix = f"_{seen_rows[kind]}" if seen_rows[kind] > 1 else ""
        rule_set = _row_rule(kind, row_rule.args, declared)
        rowset.append(RowSetStep(id=f"row.{kind}{suffix}", rule=rule_set, columns=rule_set.columns))
    dataset: list[DatasetStep] = []
    seen_ids: Counter[str] = Counter()
    for dataset_rule in recipe.dataset:
        step = _dataset_step(dataset_rule.kind, dataset_rule.args)
        seen_ids[step.id] += 1  # a second rule of one kind and column: `…_2`, as for columns
        if seen_ids[step.id] > 1:
            step = replace(step, id=f"{step.id}_{seen_ids[step.id]}")
        dataset.append(step)
    return Plan(
        name=recipe.name,
        recipe_fingerprint=recipe.fingerprint(),
        source=recipe.source,
        columns=tuple(columns),
        rowset=tuple(rowset),
        dataset=tuple(dataset),
    )


def _cast(spec: ColumnSpec) -> CastSpec:
    return CastSpec(
        type=spec.type,
        format=spec.format or DEFAULT_FORMATS.get(spec.type),
        precision=spec.precision or 38,
        scale=spec.scale if spec.scale is not None else 9,
    )


def _transform(entry: TransformSpec) -> Transform:
    args = entry.args
    simple: dict[str, Transform] = {
        "strip": Strip(),
        "lower": Lower(),
        "upper": Upper(),
        "collapse_spaces": CollapseSpaces(),
    }
    if entry.kind in simple:
        return simple[entry.kind]
    if entry.kind == "null_tokens":
        return NullTokens(tuple(args))
    if entry.kind == "map":
        return Map(tuple(args.items()))
    if entry.kind == "replace":
        return Replace(portable_pattern(args.pattern), args.with_)
    return FillNull(coerce_literal(args, "string"))


def _column_rule(
    kind: str, args: Any, column_type: ColumnType, scale: int
) -> ColumnRule | Unique | DeterminedBy:
    severity = args.severity
    if kind == "not_null":
        return NotNull(severity=severity)
    if kind == "matches":
        return Matches(pattern=portable_pattern(args.pattern), severity=severity)
    if kind == "between":
        return Between(
            min=None if args.min is None else _bound(args.min, column_type),
            max=None if args.max is None else _bound(args.max, column_type),
            include_min=args.include_min,
            include_max=args.include_max,
            floating=column_type == "float",
            severity=severity,
        )
    if kind == "in_set":
        values = tuple(coerce_literal(value, column_type) for value in args.values)
        if column_type == "decimal":
            values = _fitting_decimals(values, scale)
        return InSet(values=values, severity=severity)
    if kind == "length":
        return Length(min=args.min, max=args.max, severity=severity)
    if kind == "compare":
        return Compare(
            op=args.op, column=args.column, floating=column_type == "float", severity=severity
        )
    if kind == "unique":
        return Unique(columns=(), blame=args.blame, severity=severity)
    return DeterminedBy(
        columns=tuple(args.columns), min_support=args.min_support, severity=severity
    )


def _fitting_decimals(values: tuple[Any, ...], scale: int) -> tuple[Any, ...]:
    """Members with more fraction digits than the column's scale can never match: dropped."""
    step = Decimal(1).scaleb(-scale)
    with localcontext() as context:
        context.prec = 80  # room for 38 digits and any scale
        return tuple(value.quantize(step) for value in values if value == value.quantize(step))


def _bound(value: Any, column_type: ColumnType) -> Any:
    """A bound in the column's type; decimal bounds compare as floats, which every engine
    supports against a decimal column (Dask has no decimal literals)."""
    bound = coerce_literal(value, column_type)
    return float(bound) if column_type == "decimal" else bound


def _row_rule(kind: str, args: Any, declared: tuple[str, ...]) -> Unique | Duplicate:
    if kind == "duplicate":
        columns = tuple(args.columns) if args.columns else declared
        return Duplicate(columns=columns, keep=args.keep, severity=args.severity)
    return Unique(
        columns=tuple(args.columns),
        blame=args.blame,
        ignore_if_null=args.ignore_if_null,
        severity=args.severity,
    )


def _dataset_step(kind: str, args: Any) -> DatasetStep:
    rule: DatasetRule
    if kind == "row_count":
        rule = RowCount(min=args.min, max=args.max, of=args.of, severity=args.severity)
        return DatasetStep(id="dataset.row_count", rule=rule)
    if kind == "quarantine_rate":
        rule = QuarantineRate(max=args.max, severity=args.severity)
        return DatasetStep(id="dataset.quarantine_rate", rule=rule)
    rule = NullRate(column=args.column, max=args.max, severity=args.severity)
    return DatasetStep(id=f"dataset.null_rate.{args.column}", rule=rule)
