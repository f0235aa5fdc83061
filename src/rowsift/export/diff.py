"""What changed between two recipes, for code review, and what the change does to a table.

`diff_recipes` lists rules added, removed and changed (by rule id, the name rows are
quarantined under), and changes to columns (type, format, transforms, required) and to the
source. `moved_rows` runs both recipes on one file and counts, per change, the rows it moves
between clean and quarantine.

>>> from rowsift.recipe import load_recipe_text
>>> old = load_recipe_text("version: 1\\ncolumns: {id: {rules: [not_null]}}")
>>> new = load_recipe_text("version: 1\\ncolumns: {id: {rules: [not_null, unique]}}")
>>> [(change.kind, change.id) for change in diff_recipes(old, new).rules]
[('added', 'id.unique')]
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Literal

from rowsift._names import REASON_SEPARATOR, REASONS, ROW
from rowsift.recipe import Recipe
from rowsift.recipe.ids import rule_ids, type_rule_id

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class RuleChange:
    """One rule added, removed or changed; `before` and `after` as the recipe writes them."""

    kind: ChangeKind
    id: str
    before: Any = None
    after: Any = None


@dataclass(frozen=True)
class SettingChange:
    """A column's or the source's setting that changed (``columns.amount.type``)."""

    path: str
    before: Any
    after: Any


@dataclass(frozen=True)
class RecipeDiff:
    """Everything that differs between two recipes."""

    rules: tuple[RuleChange, ...]
    settings: tuple[SettingChange, ...]

    @property
    def empty(self) -> bool:
        """True when the recipes judge every table alike."""
        return not self.rules and not self.settings


def _rules(recipe: Recipe) -> dict[str, Any]:
    """Every rule id with its entry as written, the implicit type rules included."""
    found: dict[str, Any] = {}
    for name, column in recipe.columns.items():
        if column.type != "string":
            found[type_rule_id(name)] = {"type": column.type, "format": column.format}
    for location, rule_id in rule_ids(recipe):
        entry: Any
        if location[0] == "columns":
            entry = recipe.columns[str(location[1])].rules[int(location[3])]
        else:
            entry = (recipe.rows if location[0] == "rows" else recipe.dataset)[int(location[1])]
        found[rule_id] = _bare(_without_annotations(entry.compact()))
    return found


def _without_annotations(entry: Any) -> Any:
    """An entry without its evidence and review notes, which no run reads."""
    if isinstance(entry, dict):
        return {
            k: _without_annotations(v) for k, v in entry.items() if k not in ("evidence", "review")
        }
    return entry


def _bare(entry: Any) -> Any:
    """A rule with no arguments left as its bare name, as it is written without annotations:
    ``{not_null: {evidence: …}}`` and ``not_null`` are one rule.

    >>> _bare({"not_null": {}}), _bare({"unique": {"blame": "all"}})
    ('not_null', {'unique': {'blame': 'all'}})
    """
    if isinstance(entry, dict) and len(entry) == 1:
        ((kind, arguments),) = entry.items()
        if arguments == {}:
            return kind
    return entry


def _settings(recipe: Recipe) -> dict[str, Any]:
    found: dict[str, Any] = {
        f"source.{key}": value for key, value in recipe.source.model_dump(mode="json").items()
    }
    for name, column in recipe.columns.items():
        for key in ("type", "format", "precision", "scale", "required"):
            found[f"columns.{name}.{key}"] = getattr(column, key)
        found[f"columns.{name}.transforms"] = [entry.compact() for entry in column.transforms]
    return found


def diff_recipes(old: Recipe, new: Recipe) -> RecipeDiff:
    """Rules added, removed and changed, in the new recipe's order (removed ones last), and
    settings that changed."""
    before, after = _rules(old), _rules(new)
    changes = [
        RuleChange("added", rule_id, after=entry)
        if rule_id not in before
        else RuleChange("changed", rule_id, before[rule_id], entry)
        for rule_id, entry in after.items()
        if before.get(rule_id) != entry
    ]
    changes += [
        RuleChange("removed", rule_id, before=entry)
        for rule_id, entry in before.items()
        if rule_id not in after
    ]
    old_settings, new_settings = _settings(old), _settings(new)
    settings = [
        SettingChange(path, old_settings.get(path), new_settings.get(path))
        for path in dict.fromkeys([*new_settings, *old_settings])
        if old_settings.get(path) != new_settings.get(path)
    ]
    return RecipeDiff(rules=tuple(changes), settings=tuple(settings))


# -- on a table --------------------------------------------------------------------------------


@dataclass
class RowMoves:
    """How two recipes split one table: per rule id, rows it newly quarantines or releases."""

    rows: int = 0
    to_quarantine: int = 0
    """Rows clean under the old recipe, quarantined under the new one."""
    to_clean: int = 0
    """Rows quarantined under the old recipe, clean under the new one."""
    newly_failing: dict[str, int] = field(default_factory=dict)
    """Per rule id: rows whose reasons gained it (among them, those that moved)."""
    no_longer_failing: dict[str, int] = field(default_factory=dict)
    """Per rule id: rows whose reasons lost it."""
    moved_by: dict[str, int] = field(default_factory=dict)
    """Per rule id: rows that changed side and whose reasons gained or lost that id."""


def _reasons(recipe: Recipe, path: str | os.PathLike[str]) -> tuple[int, dict[int, set[str]]]:
    from rowsift.engine import compile_recipe
    from rowsift.engine.execute import execute
    from rowsift.io import read_table

    evaluation = execute(compile_recipe(recipe), read_table(path, recipe.source), collect=True)
    quarantine = evaluation.quarantine.select(ROW, REASONS)
    rows = quarantine[ROW].to_list()
    reasons = quarantine[REASONS].to_list()
    return evaluation.stats.rows_in, {
        int(row): set(str(text).split(REASON_SEPARATOR)) - {""}
        for row, text in zip(rows, reasons, strict=True)
    }


def moved_rows(old: Recipe, new: Recipe, path: str | os.PathLike[str]) -> RowMoves:
    """Run both recipes on the file (each reads it as its own `source:` says) and count."""
    rows, before = _reasons(old, path)
    _, after = _reasons(new, path)
    moves = RowMoves(rows=rows)
    for row in before.keys() | after.keys():
        gained = after.get(row, set()) - before.get(row, set())
        lost = before.get(row, set()) - after.get(row, set())
        moved = (row in before) != (row in after)
        if moved and row in after:
            moves.to_quarantine += 1
        elif moved:
            moves.to_clean += 1
        for rule_id in gained:
            moves.newly_failing[rule_id] = moves.newly_failing.get(rule_id, 0) + 1
        for rule_id in lost:
            moves.no_longer_failing[rule_id] = moves.no_longer_failing.get(rule_id, 0) + 1
        for rule_id in gained | lost if moved else ():
            moves.moved_by[rule_id] = moves.moved_by.get(rule_id, 0) + 1
    return moves
