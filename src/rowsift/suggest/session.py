"""A review session from Python: each rule in full, what it does on a table, and a decision.

`rowsift review` is this loop with terminal prompts; a notebook or a script passes its own
`answer` function instead.

>>> import polars as pl
>>> import rowsift
>>> from rowsift.suggest.session import Answer, review_recipe
>>> recipe = rowsift.load_recipe_text("version: 1\\ncolumns:\\n  a: {rules: [not_null]}\\n")
>>> reviewed, decided = review_recipe(
...     recipe, pl.DataFrame({"a": ["x", None]}), lambda item: Answer(decision="rejected"), by="ana"
... )
>>> decided, [r.id for r in reviewed.rejected]
(1, ['a.not_null'])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

from rowsift.recipe.comments import describe
from rowsift.recipe.model import ColumnRuleSpec, Recipe, RowRuleSpec
from rowsift.recipe.yaml_text import parse_yaml
from rowsift.suggest.build import measure
from rowsift.suggest.review import compact_entry, decide, review_ids, rule_entry

LONG_LIST = 20
"""Lists longer than this (an `in_set` of many values) are summarised; `ReviewItem.written`
keeps them whole."""


@dataclass(frozen=True, kw_only=True)
class ReviewItem:
    """One rule to decide on: its id, the rule in full, why it was suggested, and what it
    quarantines on the table under review."""

    rule_id: str
    written: str
    """The whole rule as YAML (every value of a long `in_set`)."""
    why: str | None
    failed: int
    rows: int
    examples: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        """The share of the table's rows the rule quarantines."""
        return self.failed / self.rows if self.rows else 0.0

    @property
    def summary(self) -> str:
        """The rule with long lists cut to their first `LONG_LIST` values and a count of the
        others (``written`` has them all)."""
        body = parse_yaml(self.written)[0]
        return yaml.safe_dump(_summarised(body), default_flow_style=True, width=100).strip()

    @property
    def summarised(self) -> bool:
        """Whether `summary` leaves values out."""
        return (
            self.summary
            != yaml.safe_dump(
                parse_yaml(self.written)[0], default_flow_style=True, width=100
            ).strip()
        )


@dataclass(frozen=True, kw_only=True)
class Answer:
    """A decision on one rule; `skip` leaves it undecided, `quit` ends the session."""

    decision: Literal["accepted", "rejected", "edited", "skip", "quit"]
    note: str | None = None
    edited: ColumnRuleSpec | RowRuleSpec | None = None


def _summarised(body: Any) -> Any:
    if isinstance(body, dict):
        return {key: _summarised(value) for key, value in body.items()}
    if isinstance(body, list) and len(body) > LONG_LIST:
        return [*body[:LONG_LIST], f"... and {len(body) - LONG_LIST} more"]
    return body


def review_items(recipe: Recipe, frame: Any, *, all_rules: bool = False) -> list[ReviewItem]:
    """The rules still to review (every rule with `all_rules`), measured on `frame`."""
    failures, examples, _, rows = measure(recipe, frame)
    items = []
    for rule_id in review_ids(recipe):
        entry = rule_entry(recipe, rule_id)
        if entry.args.review is not None and not all_rules:
            continue
        written = yaml.safe_dump(compact_entry(entry), default_flow_style=False, allow_unicode=True)
        items.append(
            ReviewItem(
                rule_id=rule_id,
                written=written.strip(),
                why=None if entry.args.evidence is None else describe(entry.args.evidence),
                failed=failures.get(rule_id, 0),
                rows=rows,
                examples=examples.get(rule_id, []),
            )
        )
    return items


GUESSING_REPAIRS = ("map", "canonical", "majority")
"""Transforms that put a value in place of another by judgement (a typo's likely spelling, a
group's value), not by a rule of writing (``strip``, a number's clothing)."""


def guessing_repairs(recipe: Recipe) -> list[tuple[str, str, str | None]]:
    """(column, transform, why) of each transform that puts a guessed value in place of the one
    read; `review` shows them, as it cannot ask about them (a transform has no rule id).

    >>> import rowsift
    >>> recipe = rowsift.load_recipe_text(
    ...     "version: 1\\ncolumns: {k: {}, v: {transforms: [strip, {majority: {by: [k]}}]}}")
    >>> guessing_repairs(recipe)
    [('v', 'majority', None)]
    """
    found = []
    for name, spec in recipe.columns.items():
        for transform in spec.transforms:
            if transform.kind in GUESSING_REPAIRS:
                why = spec.evidence.get(transform.kind)
                found.append((name, transform.kind, None if why is None else describe(why)))
    return found


def review_recipe(
    recipe: Recipe,
    frame: Any,
    answer: Callable[[ReviewItem], Answer],
    *,
    by: str | None = None,
    all_rules: bool = False,
) -> tuple[Recipe, int]:
    """Ask `answer` about each rule and record the decisions; the reviewed recipe and how many
    decisions were recorded."""
    decided = 0
    for item in review_items(recipe, frame, all_rules=all_rules):
        given = answer(item)
        if given.decision == "quit":
            break
        if given.decision == "skip":
            continue
        recipe = decide(
            recipe, item.rule_id, given.decision, by=by, note=given.note, edited=given.edited
        )
        decided += 1
    return recipe, decided
