"""Review decisions: record accept, reject or edit on a rule or a repair, and keep them when
suggesting again.

An accepted or edited rule carries ``review: {decision, by, note, at}``. A repair that puts a
guessed value in place of the one read (`GUESSING_REPAIRS`) is reviewed too, under the id of
its column and transform key (``city.map``); its decision is kept in the column's ``reviews:``
by that key, since a transform's own arguments have no room for it. A rejected rule or repair
leaves the recipe and is listed under its ``rejected:`` key, so it is never run and a later
`suggest_recipe(..., previous=recipe)` does not bring it back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rowsift.engine.repairs import repair_keys
from rowsift.recipe.ids import column_scope, rule_ids
from rowsift.recipe.model import (
    ColumnRuleSpec,
    ColumnSpec,
    Decision,
    Recipe,
    RejectedRule,
    Review,
    RowRuleSpec,
    TransformSpec,
)

GUESSING_REPAIRS = frozenset({"map", "canonical", "majority"})
"""Transforms that put a value in place of another by judgement (a typo's likely spelling, a
group's value, a filled null), not by a rule of writing (``strip``, a number's clothing): the
repairs a review asks about."""


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


def repair_locations(recipe: Recipe) -> dict[str, tuple[str, int, str]]:
    """Repair id (``city.map``) → (column, index in its transforms, transform key) of each
    guessing repair, in recipe order.

    >>> import rowsift
    >>> recipe = rowsift.load_recipe_text(
    ...     "version: 1\\ncolumns: {k: {}, v: {transforms: [strip, {map: {a: b}}, {map: {c: d}}]}}")
    >>> repair_locations(recipe)
    {'v.map#1': ('v', 1, 'map#1'), 'v.map#2': ('v', 2, 'map#2')}
    """
    found: dict[str, tuple[str, int, str]] = {}
    for name, spec in recipe.columns.items():
        keys = repair_keys([transform.kind for transform in spec.transforms])
        for index, (transform, key) in enumerate(zip(spec.transforms, keys, strict=True)):
            if transform.kind in GUESSING_REPAIRS:
                found[f"{column_scope(name)}.{key}"] = (name, index, key)
    return found


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
    edited: ColumnRuleSpec | RowRuleSpec | TransformSpec | None = None,
    place: tuple[str, int, str] | None = None,
) -> Recipe:
    """The recipe with a decision recorded on one rule, or on one repair (`repair_locations`;
    `place` is where the repair was when its id was given: a rejection renumbers the keys of
    later transforms of the same name in its column).

    >>> import rowsift
    >>> recipe = rowsift.load_recipe_text("version: 1\\ncolumns:\\n  a: {rules: [not_null]}\\n")
    >>> decide(recipe, "a.not_null", "rejected", by="ana").rejected[0].id
    'a.not_null'
    """
    review = Review(
        decision=decision, by=by, note=note, at=datetime.now(UTC).isoformat(timespec="seconds")
    )
    repairs = repair_locations(recipe)
    if place is not None or rule_id in repairs:
        transform = edited if isinstance(edited, TransformSpec) else None
        return _decided_repair(recipe, rule_id, place or repairs[rule_id], review, transform)
    if isinstance(edited, TransformSpec):
        raise ValueError(f"{rule_id} is a rule: its edit must be a rule, not a transform")
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


def _decided_repair(
    recipe: Recipe,
    repair_id: str,
    place: tuple[str, int, str],
    review: Review,
    edited: TransformSpec | None,
) -> Recipe:
    """The recipe with a decision on one repair: a rejected one leaves the column's transforms
    (and its evidence, unless another transform of its kind stays) for the recipe's
    ``rejected:``; an accepted or edited one is recorded in the column's ``reviews:``."""
    name, index, key = place
    spec = recipe.columns[name]
    transforms = list(spec.transforms)
    if review.decision != "rejected":
        if review.decision == "edited" and edited is not None:
            if edited.kind != transforms[index].kind:
                raise ValueError(f"an edit of {repair_id} must be a {transforms[index].kind}")
            transforms[index] = edited
        updated = spec.model_copy(
            update={"transforms": transforms, "reviews": {**spec.reviews, key: review}}
        )
        return recipe.model_copy(update={"columns": {**recipe.columns, name: updated}})
    dropped = transforms.pop(index)
    before = repair_keys([transform.kind for transform in spec.transforms])
    del before[index]
    after = repair_keys([transform.kind for transform in transforms])
    # a second transform of the same name is now the only one: its key, and review, follow it
    reviews = {
        new: spec.reviews[old]
        for old, new in zip(before, after, strict=True)
        if old in spec.reviews
    }
    evidence = dict(spec.evidence)
    if all(transform.kind != dropped.kind for transform in transforms):
        evidence.pop(dropped.kind, None)
    updated = spec.model_copy(
        update={"transforms": transforms, "reviews": reviews, "evidence": evidence}
    )
    rejection = RejectedRule(id=repair_id, rule=dropped.compact(), review=review)
    return recipe.model_copy(
        update={
            "columns": {**recipe.columns, name: updated},
            "rejected": [*recipe.rejected, rejection],
        }
    )


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
    Repairs alike (`_kept_repairs`).
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
        repaired = _kept_repairs(column, spec, before, rejected)
        columns[column] = repaired.model_copy(update={"rules": [*kept, *reviewed]})
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


def _kept_repairs(
    column: str, fresh: ColumnSpec, before: ColumnSpec | None, rejected: set[str]
) -> ColumnSpec:
    """A column's fresh transforms without the repairs rejected before, and with the repairs a
    reviewer accepted or edited before in place of the fresh transform of the same key (added
    at the end when there is none), with their reviews and evidence."""
    decided: dict[str, TransformSpec] = {}
    if before is not None:
        keys = repair_keys([transform.kind for transform in before.transforms])
        decided = {
            key: transform
            for key, transform in zip(keys, before.transforms, strict=True)
            if key in before.reviews
        }
    evidence = dict(fresh.evidence)
    for transform in decided.values():
        if before is not None and transform.kind in before.evidence:
            evidence[transform.kind] = before.evidence[transform.kind]
    reviews = {key: before.reviews[key] for key in decided} if before is not None else {}
    transforms: list[TransformSpec] = []
    left = dict(decided)
    decided_kinds = {kept.kind for kept in decided.values()}
    keys = repair_keys([transform.kind for transform in fresh.transforms])
    for key, transform in zip(keys, fresh.transforms, strict=True):
        if transform.kind in GUESSING_REPAIRS and f"{column_scope(column)}.{key}" in rejected:
            if transform.kind not in decided_kinds:
                evidence.pop(transform.kind, None)
            continue
        transforms.append(left.pop(key, transform))
    transforms += left.values()
    return fresh.model_copy(
        update={"transforms": transforms, "reviews": reviews, "evidence": evidence}
    )


__all__ = [
    "GUESSING_REPAIRS",
    "compact_entry",
    "decide",
    "keep_reviewed",
    "repair_locations",
    "review_ids",
    "rule_entry",
    "rule_locations",
]
