"""Dataset rules: a band for the row count and a budget for the quarantine rate."""

from __future__ import annotations

import math

from rowsift.recipe.model import DatasetRuleSpec, Evidence

MAX_BUDGET = 0.5
"""A budget of twice today's rate at or above this share says little: the budget is then
half-way from today's rate to every row."""


def row_count_band(rows: int) -> DatasetRuleSpec | None:
    """Between a tenth and ten times today's row count, rounded; none for an empty table.

    >>> row_count_band(12345).args.min, row_count_band(12345).args.max
    (1200, 130000)
    """
    if rows <= 0:
        return None
    low = _round(rows / 10, up=False)
    high = _round(rows * 10, up=True)
    evidence = Evidence(
        statistic="rows", observed=rows, note="a batch far smaller or larger is suspect"
    )
    return DatasetRuleSpec.model_validate(
        {"row_count": {"min": low, "max": high, "evidence": evidence}}
    )


def quarantine_budget(rate: float) -> DatasetRuleSpec | None:
    """Twice today's quarantine rate plus a point, rounded up to a readable share; when that
    would allow half the rows or more (a file most of whose lines are no records: notes, a
    README), half-way from today's rate to every row; none when even that rounds to every row.

    >>> quarantine_budget(0.004).args.max
    0.02
    >>> quarantine_budget(0.67).args.max
    0.84
    >>> quarantine_budget(0.995) is None
    True
    """
    budget = math.ceil((2 * rate + 0.01) * 100) / 100
    if budget >= MAX_BUDGET:
        budget = math.ceil((rate + (1 - rate) / 2) * 100) / 100
    if budget >= 1:
        return None
    evidence = Evidence(
        statistic="quarantine rate now",
        observed=round(rate, 6),
        threshold=budget,
        note="a batch much dirtier than this one fails",
    )
    return DatasetRuleSpec.model_validate(
        {"quarantine_rate": {"max": budget, "evidence": evidence}}
    )


def _round(value: float, *, up: bool) -> int:
    if value < 10:
        return math.ceil(value) if up else math.floor(value)
    scale = 10 ** (math.floor(math.log10(value)) - 1)
    return int((math.ceil if up else math.floor)(value / scale) * scale)
