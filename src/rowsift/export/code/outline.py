"""What every exported program is made of: the compiled plan, how the source is read, and the
recipe's own words (descriptions, evidence, review notes) to show as comments."""

from __future__ import annotations

from dataclasses import dataclass, field

from rowsift.engine import compile_recipe
from rowsift.engine.plan import Plan
from rowsift.export.code.source import Reading, reading
from rowsift.recipe.comments import describe
from rowsift.recipe.ids import rule_ids
from rowsift.recipe.model import Recipe


@dataclass(frozen=True, kw_only=True)
class Outline:
    """A recipe ready to be written as a program."""

    plan: Plan
    reading: Reading
    name: str | None
    description: str | None
    column_notes: dict[str, list[str]] = field(default_factory=dict)
    rule_notes: dict[str, list[str]] = field(default_factory=dict)


def outline(recipe: Recipe) -> Outline:
    """The plan (a recipe error raises as in `rowsift run`), the reader and the comments."""
    plan = compile_recipe(recipe)
    column_notes: dict[str, list[str]] = {}
    for name, spec in recipe.columns.items():
        notes = [spec.description] if spec.description else []
        notes += [f"{about}: {describe(evidence)}" for about, evidence in spec.evidence.items()]
        column_notes[name] = notes
    rule_notes: dict[str, list[str]] = {}
    for location, rule_id in rule_ids(recipe):
        entry = _entry(recipe, location)
        args = getattr(entry, "args", None)
        notes = []
        evidence = getattr(args, "evidence", None)
        if evidence is not None:
            notes.append(describe(evidence))
        review = getattr(args, "review", None)
        if review is not None:
            by = f" by {review.by}" if review.by else ""
            note = f": {review.note}" if review.note else ""
            notes.append(f"reviewed{by}: {review.decision}{note}")
        rule_notes[rule_id] = notes
    return Outline(
        plan=plan,
        reading=reading(recipe.source),
        name=recipe.name,
        description=recipe.description,
        column_notes=column_notes,
        rule_notes=rule_notes,
    )


def _entry(recipe: Recipe, location: tuple[object, ...]) -> object:
    if location[0] == "columns":
        return recipe.columns[str(location[1])].rules[int(str(location[3]))]
    entries = recipe.rows if location[0] == "rows" else recipe.dataset
    return entries[int(str(location[1]))]
