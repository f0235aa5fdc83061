"""What every contract exporter reads from a recipe, and how it says what it left out.

`Contract` is the compiled plan seen as a contract: columns with their type, rules with their ids
(from the plan, never rebuilt), and the notes each exporter adds where a format cannot say
something. Values become JSON-able here (`plain`), and text written into a comment line is
escaped (`comment_text`), so a recipe's names and values never become markup or code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rowsift.engine import compile_recipe
from rowsift.engine.plan import ColumnPlan, Plan
from rowsift.export.contracts.mapping import Format, why_not
from rowsift.recipe import Recipe
from rowsift.recipe.ids import rule_ids
from rowsift.rules import ColumnRule, DatasetRule, RowSetRule


@dataclass(frozen=True)
class RuleStep:
    """One rule of the recipe with its id; `column` is None for row and dataset rules."""

    id: str
    rule: ColumnRule | RowSetRule | DatasetRule
    column: ColumnPlan | None

    @property
    def kind(self) -> str:
        """The rule's registry name."""
        return self.rule.name

    @property
    def warn(self) -> bool:
        """Whether the rule only warns."""
        return self.rule.severity == "warn"


@dataclass
class Contract:
    """A recipe as the exporters read it, and the notes they write about what they left out."""

    recipe: Recipe
    plan: Plan
    fmt: Format
    notes: list[str] = field(default_factory=list)
    declared: dict[str, str] = field(default_factory=dict)
    """The id of each rule written under a column, and that column."""

    @classmethod
    def of(cls, recipe: Recipe, fmt: Format) -> Contract:
        """Compile the recipe (its meaning is checked here) for one format."""
        declared = {
            rule_id: str(location[1])
            for location, rule_id in rule_ids(recipe)
            if location[0] == "columns"
        }
        return cls(recipe=recipe, plan=compile_recipe(recipe), fmt=fmt, declared=declared)

    @property
    def name(self) -> str:
        """The recipe's name, or ``table``."""
        return self.plan.name or "table"

    def column_steps(self, column: ColumnPlan) -> list[RuleStep]:
        """The column's own rules, then the row-set rules declared on it alone (`unique`)."""
        steps = [RuleStep(step.id, step.rule, column) for step in column.rules]
        for step in self.plan.rowset:
            if self.declared.get(step.id) == column.name and step.columns == (column.name,):
                steps.append(RuleStep(step.id, step.rule, column))
        return steps

    def table_steps(self) -> list[RuleStep]:
        """Row-set rules not in `column_steps`, then dataset rules."""
        steps = [
            RuleStep(step.id, step.rule, None)
            for step in self.plan.rowset
            if step.columns != (self.declared.get(step.id),)
        ]
        steps.extend(RuleStep(step.id, step.rule, None) for step in self.plan.dataset)
        return steps

    def leave_out(self, step: RuleStep | None, kind: str, why: str | None = None) -> None:
        """Note that a rule (or a column's transforms, `step` None) is not exported, and why."""
        where = step.id if step is not None else kind
        self.notes.append(f"{where}: {why or why_not(kind, self.fmt)}")

    def note_transforms(self) -> None:
        """One note naming every column's transforms, which no contract format applies."""
        listed = [
            f"{column.name}: {', '.join(transform.name for transform in column.transforms)}"
            for column in self.plan.columns
            if column.transforms
        ]
        if listed:
            why = why_not(
                self.plan.columns[0].transforms[0].name
                if self.plan.columns[0].transforms
                else "strip",
                self.fmt,
            )
            self.notes.append(f"transforms ({'; '.join(listed)}) {why}")

    def left_out_warnings(self, step: RuleStep) -> bool:
        """True (and a note) when the format has no severity and the rule only warns."""
        if step.warn and why_not("severity", self.fmt).startswith("no severity"):
            self.leave_out(step, "severity")
            return True
        return False


def plain(value: Any) -> Any:
    """A rule's literal as JSON or YAML data: dates as ISO text, decimals as numbers."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def comment_text(text: str) -> str:
    """Text safe on one comment line: line breaks and other control characters escaped."""
    return "".join(
        char if char.isprintable() or char == " " else char.encode("unicode_escape").decode()
        for char in text
    )
