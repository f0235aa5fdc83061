"""Ranges from robust statistics, rounded outward to readable bounds."""

from __future__ import annotations

import math

from rowsift.profile import ColumnProfile
from rowsift.recipe.model import ColumnRuleSpec, Evidence
from rowsift.suggest.strictness import Thresholds

MIN_VALUES = 20


def readable(value: float, *, up: bool, digits: int = 2) -> float:
    """Round outward to `digits` significant digits.

    >>> readable(20.43, up=True), readable(20.43, up=False), readable(-5.33, up=False)
    (21.0, 20.0, -5.4)
    >>> readable(123456, up=True)
    130000.0
    """
    if value == 0 or not math.isfinite(value):
        return value
    scale = 10 ** (math.floor(math.log10(abs(value))) - digits + 1)
    rounded = (math.ceil if up else math.floor)(value / scale) * scale
    return float(round(rounded, max(0, -math.floor(math.log10(scale)))))


def suggest_range(
    column: ColumnProfile, column_type: str, limits: Thresholds
) -> ColumnRuleSpec | None:
    """``between`` bounds `range_margin` spreads beyond the 1% and 99% quantiles (5%, 95% below
    200 values).

    A lower bound never goes below 0 for a column whose low quantile is not negative.

    >>> from rowsift.profile import profile_table
    >>> from rowsift.suggest.strictness import thresholds
    >>> import polars as pl
    >>> values = [str(v) for v in range(1, 101)] + ["9000"]
    >>> col = profile_table(pl.DataFrame({"n": values})).column("n")
    >>> suggest_range(col, "int", thresholds("balanced")).args.max
    240
    """
    stats = column.numeric
    if column_type not in ("int", "float") or stats is None or stats.count < MIN_VALUES:
        return None
    # with few values the 1% quantiles are the extremes themselves: use 5% ones
    tail = 0.01 if stats.count >= 200 else 0.05
    low_q, high_q = stats.quantiles[tail], stats.quantiles[1 - tail]
    spread = high_q - low_q
    if spread <= 0:
        spread = max(stats.mad * 1.4826 * 3, abs(high_q) * 0.1, 1.0)
    low = low_q - limits.range_margin * spread
    high = high_q + limits.range_margin * spread
    if low_q >= 0:  # (nearly) no negative values: a negative one is an error
        low = max(low, 0.0)
    low, high = readable(low, up=False), readable(high, up=True)
    if column_type == "int":
        bounds: tuple[float | int, float | int] = (math.floor(low), math.ceil(high))
    else:
        bounds = (low, high)
    evidence = Evidence(
        statistic=f"{tail:.0%} and {1 - tail:.0%} quantiles",
        observed=round(high_q, 6),
        threshold=float(high),
        note=f"quantiles {low_q:g} .. {high_q:g}, median {stats.quantiles[0.5]:g}, "
        f"MAD {stats.mad:g}; bounds {limits.range_margin:g} spreads beyond",
    )
    return ColumnRuleSpec.model_validate(
        {"between": {"min": bounds[0], "max": bounds[1], "evidence": evidence}}
    )
