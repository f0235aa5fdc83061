"""A review session from Python: each repair that guesses a value and each rule in full, what it
does on a table, and a decision.

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
from rowsift.recipe.model import ColumnRuleSpec, Recipe, RowRuleSpec, TransformSpec
from rowsift.recipe.yaml_text import parse_yaml
from rowsift.suggest.build import measure
from rowsift.suggest.guard import Measured
from rowsift.suggest.review import (
    compact_entry,
    decide,
    repair_locations,
    review_ids,
    rule_entry,
)

LONG_LIST = 20
"""Lists and mappings longer than this (an `in_set` of many values, a `map` of many typos) are
summarised; `ReviewItem.written` keeps them whole."""


@dataclass(frozen=True, kw_only=True)
class ReviewItem:
    """One rule or repair to decide on: its id, the entry in full, why it was suggested, and
    what it does on the table under review: the rows a rule quarantines, or for a `repair` the
    rows it changes."""

    rule_id: str
    kind: str
    """The rule's name (``in_set``), or the repair's transform (``map``)."""
    written: str
    """The whole entry as YAML (every value of a long `in_set` or `map`)."""
    why: str | None
    failed: int
    """Rows the rule quarantines, or the repair changes."""
    rows: int
    examples: list[str] = field(default_factory=list)
    repair: bool = False

    @property
    def share(self) -> float:
        """The share of the table's rows the rule quarantines (the repair changes)."""
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
    edited: ColumnRuleSpec | RowRuleSpec | TransformSpec | None = None
    """With ``edited``: the new rule, or for a repair the new transform."""


def _summarised(body: Any) -> Any:
    if isinstance(body, dict):
        items = list(body.items())
        kept = {key: _summarised(value) for key, value in items[:LONG_LIST]}
        if len(items) > LONG_LIST:  # a long `map`
            kept["..."] = f"and {len(items) - LONG_LIST} more"
        return kept
    if isinstance(body, list) and len(body) > LONG_LIST:
        return [*body[:LONG_LIST], f"... and {len(body) - LONG_LIST} more"]
    return body


def review_items(recipe: Recipe, frame: Any, *, all_rules: bool = False) -> list[ReviewItem]:
    """The repairs, then the rules, still to review (every one with `all_rules`), measured on
    `frame`."""
    found = measure(recipe, frame)
    return [*_repair_items(recipe, found, all_rules), *_rule_items(recipe, found, all_rules)]


def _repair_items(recipe: Recipe, found: Measured, all_rules: bool) -> list[ReviewItem]:
    items = []
    for repair_id, (column, index, key) in repair_locations(recipe).items():
        spec = recipe.columns[column]
        if key in spec.reviews and not all_rules:
            continue
        transform = spec.transforms[index]
        why = spec.evidence.get(transform.kind)
        items.append(
            ReviewItem(
                rule_id=repair_id,
                kind=transform.kind,
                written=_written(transform.compact()),
                why=None if why is None else describe(why),
                failed=found.repairs.get(column, {}).get(key, 0),
                rows=found.rows,
                repair=True,
            )
        )
    return items


def _rule_items(recipe: Recipe, found: Measured, all_rules: bool) -> list[ReviewItem]:
    items = []
    for rule_id in review_ids(recipe):
        entry = rule_entry(recipe, rule_id)
        if entry.args.review is not None and not all_rules:
            continue
        items.append(
            ReviewItem(
                rule_id=rule_id,
                kind=entry.kind,
                written=_written(compact_entry(entry)),
                why=None if entry.args.evidence is None else describe(entry.args.evidence),
                failed=found.failures.get(rule_id, 0),
                rows=found.rows,
                examples=found.examples.get(rule_id, []),
            )
        )
    return items


def _written(body: Any) -> str:
    return yaml.safe_dump(body, default_flow_style=False, allow_unicode=True).strip()


def review_recipe(
    recipe: Recipe,
    frame: Any,
    answer: Callable[[ReviewItem], Answer],
    *,
    by: str | None = None,
    all_rules: bool = False,
) -> tuple[Recipe, int]:
    """Ask `answer` about each repair and rule and record the decisions; the reviewed recipe and
    how many decisions were recorded."""
    decided = 0
    places = repair_locations(recipe)
    rejected: list[tuple[str, Answer]] = []
    for item in review_items(recipe, frame, all_rules=all_rules):
        given = answer(item)
        if given.decision == "quit":
            break
        if given.decision == "skip":
            continue
        decided += 1
        if item.repair and given.decision == "rejected":
            rejected.append((item.rule_id, given))
            continue
        recipe = decide(
            recipe, item.rule_id, given.decision, by=by, note=given.note, edited=given.edited
        )
    # rejected repairs leave last, the later of a column first: each keeps the place it had
    for repair_id, given in sorted(rejected, key=lambda pair: -places[pair[0]][1]):
        recipe = decide(
            recipe, repair_id, "rejected", by=by, note=given.note, place=places[repair_id]
        )
    return recipe, decided
