"""Keys (``unique``) and duplicate rows."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from rowsift.profile import ColumnProfile, TableProfile
from rowsift.profile.semantics import named_like_a_key
from rowsift.recipe.model import ColumnRuleSpec, Evidence, RowRuleSpec
from rowsift.suggest.strictness import Thresholds

if TYPE_CHECKING:
    import narwhals.stable.v2 as nw

MIN_ROWS = 20
CHANCE_PAIRS = 0.01
"""Identical rows expected by chance above which duplicates are natural, not errors."""
KEY_ROWS = 100
"""A column that is merely unique (not named like a key) needs this many rows to be a key."""


def suggest_unique(column: ColumnProfile, column_type: str) -> ColumnRuleSpec | None:
    """``unique`` for an identifier: an exact key of text or integers (of at least `KEY_ROWS`
    rows unless named like a key), or a near key named like one.

    >>> from rowsift.profile import profile_table
    >>> import polars as pl
    >>> ids = [f"A{i}" for i in range(30)]
    >>> suggest_unique(profile_table(pl.DataFrame({"id": ids})).column("id"), "string").kind
    'unique'
    """
    present = column.rows - column.nulls
    if column.rows < MIN_ROWS or column_type not in ("string", "int") or present == 0:
        return None
    if column.semantic != "identifier":
        return None
    share = column.distinct / present
    named = named_like_a_key(column.name)
    exact = column.nulls == 0 and column.distinct == column.rows and (named or present >= KEY_ROWS)
    near = named and share >= 0.98 and column.null_share <= 0.01
    if not (exact or near):
        return None
    evidence = Evidence(
        statistic="distinct values per present value",
        observed=round(share, 6),
        threshold=1.0 if exact else 0.98,
        note="every value is distinct" if exact else "a key named like one, with repeats",
    )
    return ColumnRuleSpec.model_validate({"unique": {"evidence": evidence}})


def accidental_pairs(profile: TableProfile) -> float:
    """The number of pairs of identical rows to expect by chance if columns were independent:
    C(n, 2) · Π Σ p², with Σ p² from the value counts (or 1 / distinct values without them).

    Dependence between columns only adds pairs, so a small number is necessary, not sufficient.
    """
    rows = profile.sampled_rows
    log_collision = 0.0
    for column in profile.columns:
        present = sum(column.values.values())
        if column.values and present:
            nulls = column.rows - present
            share = (sum(c * c for c in column.values.values()) + nulls * nulls) / column.rows**2
        else:
            share = 1 / max(column.distinct + (1 if column.nulls else 0), 1)
        log_collision += math.log(max(share, 1e-300))
    return rows * (rows - 1) / 2 * math.exp(log_collision)


def suggest_duplicate(
    profile: TableProfile, limits: Thresholds, repaired: nw.DataFrame[Any] | None = None
) -> RowRuleSpec | None:
    """``duplicate: {keep: first}`` when duplicate rows are rare (or absent) and identical rows
    cannot happen by chance: the table has an identifier, or fewer than `CHANCE_PAIRS` pairs
    are expected by chance (a table of a few short columns repeats rows naturally).

    Rows are compared as read, and, given the `repaired` sample (every column after its
    transforms, as the rule sees it), as repaired, the larger share of repeats counting: the
    repairs make ``(+0.01)`` and ``0.01`` one value, and such rows repeat at run time.

    Without an identifier, rows that repeat in the very table the rule is learned from say
    that its columns depend on each other more than the chance estimate assumes (survey
    answers, dummies derived from one another): the next batch repeats rows as naturally, so
    the rule only warns."""
    if profile.sampled_rows < MIN_ROWS:
        return None
    duplicates, judged = profile.duplicate_rows, profile.sampled_rows
    if repaired is not None and len(repaired):
        after = len(repaired) - len(repaired.unique())
        if after * judged > duplicates * len(repaired):
            duplicates, judged = after, len(repaired)
    share = duplicates / judged
    if share > limits.duplicate_share:
        return None
    keyed = any(column.semantic == "identifier" for column in profile.columns)
    chance = accidental_pairs(profile)
    if chance > CHANCE_PAIRS and not keyed:
        return None
    natural = not keyed and duplicates > 0
    evidence = Evidence(
        statistic="duplicate row share",
        observed=round(share, 6),
        threshold=limits.duplicate_share,
        note="repeated rows are rare, and "
        + (
            "an identifier column means a repeated row is a copy"
            if keyed
            else f"only {chance:.2g} pairs of rows are expected to repeat by chance"
        )
        + (
            "; warn only: rows repeat in this table, without an identifier to call them copies"
            if natural
            else ""
        ),
    )
    args: dict[str, object] = {"keep": "first", "evidence": evidence}
    if natural:
        args["severity"] = "warn"
    return RowRuleSpec.model_validate({"duplicate": args})
