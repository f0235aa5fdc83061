"""The compiled plan: what a run will do, rule by rule, with no data touched."""

from __future__ import annotations

from dataclasses import dataclass

from rowsift._names import LINE, REASONS, ROW
from rowsift.recipe.ids import type_rule_id
from rowsift.recipe.model import ColumnType, SourceSpec
from rowsift.rules import ColumnRule, DatasetRule, RowSetRule
from rowsift.transforms import Transform

__all__ = ["LINE", "REASONS", "ROW", "CastSpec", "ColumnPlan", "Plan"]


@dataclass(frozen=True, kw_only=True)
class CastSpec:
    """The type a column's text is parsed into."""

    type: ColumnType
    format: str | None = None
    precision: int = 38
    scale: int = 9


@dataclass(frozen=True, kw_only=True)
class ColumnRuleStep:
    """A column rule with its id (``amount.between``)."""

    id: str
    rule: ColumnRule


@dataclass(frozen=True, kw_only=True)
class ColumnPlan:
    """One declared column: transforms, cast and rules, in the order they run."""

    name: str
    required: bool
    transforms: tuple[Transform, ...]
    cast: CastSpec
    rules: tuple[ColumnRuleStep, ...]

    @property
    def type_rule_id(self) -> str:
        """The id of the implicit rule that fails when a value does not cast."""
        return type_rule_id(self.name)


@dataclass(frozen=True, kw_only=True)
class RowSetStep:
    """A row-set rule with its id and the columns whose values it groups by (dependent last)."""

    id: str
    rule: RowSetRule
    columns: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class DatasetStep:
    """A dataset rule with its id."""

    id: str
    rule: DatasetRule


@dataclass(frozen=True, kw_only=True)
class Plan:
    """A compiled recipe."""

    name: str | None
    recipe_fingerprint: str
    source: SourceSpec
    columns: tuple[ColumnPlan, ...]
    rowset: tuple[RowSetStep, ...]
    dataset: tuple[DatasetStep, ...]

    def rule_ids(self) -> list[str]:
        """Every row-level rule id in recipe order; a typed column's type rule leads its rules."""
        ids: list[str] = []
        for column in self.columns:
            if column.cast.type != "string":
                ids.append(column.type_rule_id)
            ids.extend(step.id for step in column.rules)
        ids.extend(step.id for step in self.rowset)
        return ids


def _rule_data(rule: object) -> dict[str, object]:
    from dataclasses import fields

    data: dict[str, object] = {"rule": getattr(rule, "name", type(rule).__name__)}
    for item in fields(rule):  # type: ignore[arg-type]
        value = getattr(rule, item.name)
        data[item.name] = list(value) if isinstance(value, tuple) else value
    return data


def plan_to_dict(plan: Plan) -> dict[str, object]:
    """The plan as plain data (for ``rowsift explain --json``)."""
    return {
        "name": plan.name,
        "recipe_sha256": plan.recipe_fingerprint,
        "source": plan.source.model_dump(mode="json"),
        "columns": [
            {
                "name": column.name,
                "required": column.required,
                "transforms": [t.name for t in column.transforms],
                "cast": {"type": column.cast.type, "format": column.cast.format},
                "rules": [{"id": step.id, **_rule_data(step.rule)} for step in column.rules],
            }
            for column in plan.columns
        ],
        "rowset": [
            {"id": step.id, "columns": list(step.columns), **_rule_data(step.rule)}
            for step in plan.rowset
        ],
        "dataset": [{"id": step.id, **_rule_data(step.rule)} for step in plan.dataset],
        "rule_ids": plan.rule_ids(),
    }
