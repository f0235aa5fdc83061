"""Guards against false alarms: a rule must hold on rows it did not learn from, and on its own.

Held-out check: the heuristics run again on one random half of the sample; the recipe they
give runs on both halves. A rule that fails on the unseen half clearly more often than on the
half it learned from has learned the sample, not the data (a value set missing valid values, a
range too tight, a dependency by chance): the matching rule of the full recipe is downgraded to
``severity: warn``, and a type that does not hold there falls back to text. This is the very
measure a next batch applies.

Many rules failing once each: on a small or wide table, every rule may fail on only one unseen
row (too few to judge one rule), yet together they quarantine many. When the rules that failed
on no row of their own half and on one unseen row quarantine, between them, more unseen rows
than `heldout_excess` allows, each of them has learned the sample too.

Self-consistency: a rule that would quarantine more than `own_share` of the rows it was learned
from is downgraded to ``severity: warn`` too. Either way the rule's evidence says why.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rowsift.profile import TableProfile, profile_table
from rowsift.recipe.model import Recipe
from rowsift.suggest.strictness import Thresholds

MIN_HALF = 20
"""Each half needs this many rows for the held-out check (smaller samples skip it)."""
HALF_ROWS = 25_000
"""Rows per half at most: a larger sample says no more about a rule's false-alarm rate than
the 0.3% `heldout_excess` needs (two standard errors of a 0.3% rate on 25,000 rows are 0.07%),
and costs a full suggestion more."""
MIN_FAILED = 2
"""One failing row on the unseen half is no evidence that a rule learned the sample."""
SEED = 20261204


@dataclass(frozen=True, kw_only=True)
class Measured:
    """What a recipe does to a frame: failures per rule id, example values, each quarantined
    row's reasons, the number of rows, and the rows each transform changed
    (``{column: {transform key: rows}}``, as `summary.json` counts repairs)."""

    failures: dict[str, int]
    examples: dict[str, list[str]]
    reasons: list[set[str]]
    rows: int
    repairs: dict[str, dict[str, int]]


Measure = Callable[[Recipe, Any], Measured]
"""How a recipe is run on a frame and counted (`rowsift.suggest.build.measure`)."""


@dataclass(frozen=True, kw_only=True)
class HeldOut:
    """A rule learned on half the sample: its failures on that half and on the other."""

    own: float
    unseen: float
    unseen_rows: int
    unseen_failed: int
    among_lone: bool = False
    """Whether the rule is one of many that failed once each on the unseen half and never on
    their own, which together quarantined too many unseen rows (`lone_failures`)."""

    def overfits(self, full: float, limits: Thresholds) -> bool:
        """Whether the rule fails on unseen rows clearly more often than on rows it has seen
        (its own half, or the whole sample for the rule learned on it: errors found there are
        errors anywhere, not a sign of a rule that learned the sample).

        >>> from rowsift.suggest.strictness import thresholds
        >>> HeldOut(own=0.0, unseen=0.05, unseen_rows=200, unseen_failed=10).overfits(
        ...     0.0, thresholds("balanced"))
        True
        >>> HeldOut(own=0.0, unseen=0.005, unseen_rows=200, unseen_failed=1).overfits(
        ...     0.0025, thresholds("balanced"))
        False
        """
        if self.among_lone and full == 0:
            return True
        if self.unseen_failed < MIN_FAILED:
            return False
        seen = max(self.own, full)
        return self.unseen - seen > max(limits.heldout_excess, _allowance(seen, self.unseen_rows))

    def note(self) -> str:
        """What the check saw, for the rule's evidence."""
        if self.among_lone and self.unseen_failed < MIN_FAILED:
            return (
                "learned on half the rows, it failed on one row of the other half (on none of "
                "its own), as did rules enough to quarantine too many of those rows together"
            )
        return (
            f"learned on half the rows, it failed on {self.unseen:.2%} of the other half "
            f"(on {self.own:.2%} of its own)"
        )


def held_out(
    suggest: Callable[[TableProfile], Recipe],
    full: Recipe,
    profile: TableProfile,
    measure: Measure,
    excess: float,
) -> dict[str, HeldOut]:
    """Rule ids (and ``<column>.type``) of the heuristics' recipe learned on a random half of
    the sample, with their failures on that half and on the other; `excess` is the share of
    unseen rows that rules failing once each may quarantine together (`lone_failures`).

    The half's rules are judged after the full recipe's transforms, so an error the full recipe
    repairs (a typo seen only in the other half) is not held against a rule.
    """
    sample = profile.sample
    if len(sample) < 2 * MIN_HALF:
        return {}
    import polars as pl

    native = sample.to_native()
    assert isinstance(native, pl.DataFrame)
    # each row's place in a seeded shuffle: the first `cut` places learn, the next `cut` are
    # unseen; filtering keeps the table's order (no sort of Python lists of row numbers)
    place = pl.Series(range(len(native))).shuffle(seed=SEED).arg_sort()
    cut = min(len(native) // 2, HALF_ROWS)
    learn = native.filter(place < cut)
    unseen = native.filter((place >= cut) & (place < 2 * cut))
    recipe = _with_transforms(suggest(profile_table(learn, dependencies=False)), full)
    learned, seen = measure(recipe, learn), measure(recipe, unseen)
    own, own_rows = learned.failures, learned.rows
    new, reasons, new_rows = seen.failures, seen.reasons, seen.rows
    lone = lone_failures(own, new, reasons, new_rows, excess)
    return {
        rule_id: HeldOut(
            own=own.get(rule_id, 0) / max(own_rows, 1),
            unseen=new.get(rule_id, 0) / max(new_rows, 1),
            unseen_rows=new_rows,
            unseen_failed=new.get(rule_id, 0),
            among_lone=rule_id in lone,
        )
        for rule_id in set(own) | set(new)
    }


def lone_failures(
    own: dict[str, int],
    unseen: dict[str, int],
    reasons: list[set[str]],
    rows: int,
    excess: float,
) -> set[str]:
    """The rules (types aside) that failed on one unseen row each and on none of their own half,
    when the unseen rows that only such rules quarantined are more than `excess` of `rows` (and at
    least `MIN_FAILED`): none of them is evidence alone, together they are (else no rule).

    >>> reasons = [{"a.between"}, {"b.between"}, {"c.in_set", "d.between"}]
    >>> sorted(lone_failures({}, {"a.between": 1, "b.between": 1}, reasons, 100, 0.003))
    ['a.between', 'b.between']
    >>> lone_failures({}, {"a.between": 1, "b.between": 1}, reasons, 1000, 0.003)
    set()
    """
    lone = {
        rule_id
        for rule_id, failed in unseen.items()
        if failed < MIN_FAILED and not own.get(rule_id) and not rule_id.endswith(".type")
    }
    return lone if quarantined_together(lone, reasons, rows, excess) else set()


def quarantined_together(
    rules: set[str],
    reasons: list[set[str]],
    rows: int,
    share: float,
    ignored: set[str] | frozenset[str] = frozenset(),
) -> int:
    """The rows that only `rules` quarantine (each row's failing rules, `ignored` aside, all
    among them), when they are at least `MIN_FAILED` and more than `share` of `rows`; else 0.

    >>> reasons = [{"a"}, {"b", "w"}, {"a", "c"}]
    >>> quarantined_together({"a", "b"}, reasons, 10, 0.1, ignored={"w"})
    2
    >>> quarantined_together({"a", "b"}, reasons, 100, 0.1, ignored={"w"})
    0
    """
    count = sum(1 for ids in reasons if (kept := ids - ignored) and kept <= rules)
    return count if count >= MIN_FAILED and count > share * rows else 0


def _with_transforms(recipe: Recipe, full: Recipe) -> Recipe:
    columns = {
        name: spec.model_copy(update={"transforms": full.columns[name].transforms})
        if name in full.columns
        else spec
        for name, spec in recipe.columns.items()
    }
    return recipe.model_copy(update={"columns": columns})


def _allowance(rate: float, rows: int) -> float:
    """Two standard errors of a failure rate measured on `rows` rows (0 when the rate is 0).

    >>> _allowance(0.0, 100), round(_allowance(0.1, 100), 3)
    (0.0, 0.06)
    """
    return 2 * math.sqrt(rate * (1 - rate) / rows) if rows else 0.0


def untyped(recipe: Recipe, columns: set[str]) -> Recipe:
    """The recipe with `columns` read as text: their type, format and number rules go."""
    if not columns:
        return recipe
    changed = {}
    for name in columns:
        spec = recipe.columns[name]
        rules = [rule for rule in spec.rules if rule.kind != "between"]
        evidence = dict(spec.evidence)
        evidence.pop("type", None)
        changed[name] = spec.model_copy(
            update={"type": "string", "format": None, "rules": rules, "evidence": evidence}
        )
    return recipe.model_copy(update={"columns": {**recipe.columns, **changed}})


def warned(entry: Any, why: str) -> Any:
    """A rule entry downgraded to ``severity: warn``, its evidence saying why."""
    args = entry.args
    evidence = args.evidence
    update: dict[str, Any] = {"severity": "warn"}
    if evidence is not None:
        note = f"{evidence.note}; " if evidence.note else ""
        update["evidence"] = evidence.model_copy(update={"note": f"{note}warn only: {why}"})
    field = entry.chosen_keys()[0]
    return entry.model_copy(update={field: args.model_copy(update=update)})
