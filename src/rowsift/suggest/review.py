"""Review decisions: record accept, reject or edit on a rule, and keep them when suggesting again.

An accepted or edited rule carries ``review: {decision, by, note, at}``; a rejected rule leaves
the rules and is listed under the recipe's ``rejected:`` key, so it is never run and a later
`suggest_recipe(..., previous=recipe)` does not bring it back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rowsift.recipe.ids import rule_ids
from rowsift.recipe.model import (
    ColumnRuleSpec,
    Decision,
    Recipe,
    RejectedRule,
    Review,
    RowRuleSpec,
)


def rule_locations(recipe: Recipe) -> dict[str, tuple[str, str | None, int]]:
    """Rule id → (where, column, index) for column and row rules."""
    found: dict[str, tuple[str, str | None, int]] = {}
    for location, rule_id in rule_ids(recipe):
        if location[0] == "columns":
            found[rule_id] = ("columns", str(location[1]), int(location[3]))
        elif location[0] == "rows":
            found[rule_id] = ("rows", None, int(location[1]))
    return found


def rule_entry(recipe: Recipe, rule_id: str) -> ColumnRuleSpec | RowRuleSpec:
    """The rule with this id."""
    where, column, index = rule_locations(recipe)[rule_id]
    if where == "columns" and column is not None:
        return recipe.columns[column].rules[index]
    return recipe.rows[index]


def review_ids(recipe: Recipe) -> list[str]:
    """The ids of the column and row rules, in recipe order."""
    return list(rule_locations(recipe))


def _stamped(entry: Any, review: Review) -> Any:
    field = entry.chosen_keys()[0]
    return entry.model_copy(update={field: entry.args.model_copy(update={"review": review})})


def decide(
    recipe: Recipe,
    rule_id: str,
    decision: Decision,
    *,
    by: str | None = None,
    note: str | None = None,
    edited: ColumnRuleSpec | RowRuleSpec | None = None,
) -> Recipe:
    """The recipe with a decision recorded on one rule.

    >>> import rowsift
    >>> recipe = rowsift.load_recipe_text("version: 1\\ncolumns:\\n  a: {rules: [not_null]}\\n")
    >>> decide(recipe, "a.not_null", "rejected", by="ana").rejected[0].id
    'a.not_null'
    """
    review = Review(
        decision=decision, by=by, note=note, at=datetime.now(UTC).isoformat(timespec="seconds")
    )
    where, column, index = rule_locations(recipe)[rule_id]
    entry = rule_entry(recipe, rule_id)
    if decision == "rejected":
        body = compact_entry(entry)
        rejected = [*recipe.rejected, RejectedRule(id=rule_id, rule=body, review=review)]
        return _replace(recipe, where, column, index, None).model_copy(
            update={"rejected": rejected}
        )
    chosen = edited if (decision == "edited" and edited is not None) else entry
    if decision == "edited" and edited is not None and chosen.args.evidence is None:
        chosen = chosen.model_copy(
            update={
                chosen.chosen_keys()[0]: chosen.args.model_copy(
                    update={"evidence": entry.args.evidence}
                )
            }
        )
    return _replace(recipe, where, column, index, _stamped(chosen, review))


def compact_entry(entry: ColumnRuleSpec | RowRuleSpec) -> dict[str, Any] | str:
    """One rule entry in the compact form people write, without evidence or review."""
    field = entry.chosen_keys()[0]
    bare = entry.model_copy(
        update={field: entry.args.model_copy(update={"evidence": None, "review": None})}
    )
    body: dict[str, Any] | str = bare.compact()
    return body


def _replace(recipe: Recipe, where: str, column: str | None, index: int, entry: Any) -> Recipe:
    if where == "columns" and column is not None:
        spec = recipe.columns[column]
        rules = list(spec.rules)
        if entry is None:
            del rules[index]
        else:
            rules[index] = entry
        columns = {**recipe.columns, column: spec.model_copy(update={"rules": rules})}
        return recipe.model_copy(update={"columns": columns})
    rows = list(recipe.rows)
    if entry is None:
        del rows[index]
    else:
        rows[index] = entry
    return recipe.model_copy(update={"rows": rows})


def keep_reviewed(suggested: Recipe, previous: Recipe) -> Recipe:
    """A new suggestion that keeps a reviewed recipe's decisions.

    Accepted and edited rules of the previous recipe replace suggestions of the same kind on
    the same column (or are added); rejected rules stay rejected and are not suggested again.
    """
    rejected = {rejection.id for rejection in previous.rejected}
    columns = dict(suggested.columns)
    for column, spec in suggested.columns.items():
        before = previous.columns.get(column)
        reviewed = [e for e in (before.rules if before else []) if e.args.review is not None]
        kinds = {e.kind for e in reviewed}
        fresh_ids = rule_locations(suggested)
        kept = [
            entry
            for rule_id, (where, name, index) in fresh_ids.items()
            if where == "columns" and name == column
            for entry in (spec.rules[index],)
            if rule_id not in rejected and entry.kind not in kinds
        ]
        columns[column] = spec.model_copy(update={"rules": [*kept, *reviewed]})
    reviewed_rows = [e for e in previous.rows if e.args.review is not None]
    row_kinds = {e.kind for e in reviewed_rows}
    rows = [
        e for e in suggested.rows if e.kind not in row_kinds and f"row.{e.kind}" not in rejected
    ]
    return suggested.model_copy(
        update={
            "columns": columns,
            "rows": [*rows, *reviewed_rows],
            "rejected": list(previous.rejected),
        }
    )


__all__ = ["compact_entry", "decide", "keep_reviewed", "review_ids", "rule_entry", "rule_locations"]
