"""Ranges from robust statistics, rounded outward to readable bounds."""

from __future__ import annotations

import math

from rowsift.profile import ColumnProfile, TableProfile
from rowsift.profile.columns import plain_number
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


LOG_SPREAD = 10.0
"""The smallest spread (a ratio) of a log-scale range: its bounds lie at least this factor to
the power `range_margin` beyond the quantiles."""
RANGED = frozenset({"measure", "count"})
"""Classes that get a range (never identifiers, codes, years or booleans)."""
LOG_FLOOR = 100.0
"""A log-scale lower bound more than this factor below the lowest positive quantile is 0: a
log scale cannot place zero, and a bound that far down only tells zero from the rest (a count
of deaths learned without a 0 would quarantine every 0 of the next batch)."""
SCATTERED_ROWS = 5
"""Values beyond a far top seen at most this many times each, on average, are errors (see
`_scattered`)."""


def suggest_range(
    column: ColumnProfile, column_type: str, limits: Thresholds, *, ranged: int = 1
) -> ColumnRuleSpec | None:
    """``between`` bounds `range_margin` spreads beyond the 1% and 99% quantiles (5%, 95% below
    200 values), for measures and counts of at least `range_rows` values.

    `ranged` is how many columns of the table get a range. Each adds its own small chance that
    a sound row falls outside, and a row fails if any one does: beyond 10 such columns the margin
    grows with the logarithm of their number (twice as wide at 100 columns, three times at 1,000),
    so a wide table's rows fail no more often than a narrow one's.

    When at least half the values are one value (a spike: a median absolute deviation of 0),
    the values around it are measurements too, and the 5% to 95% quantiles of a small sample can
    miss them all: the spread is then at least that of the 1% and 99% quantiles.

    A column that is 0 up to its top quantile but holds a few positive values gets a bound
    beyond the largest of them (`_rare_positives_top`): the quantiles say nothing of so few.

    A value just above the upper bound that the sample holds more than `SCATTERED_ROWS` times
    is taken in (`_repeated_top`): an error is not written the same way that often so near.

    When the top 1% to 5% lie far beyond the rest and are scattered over many values (an
    error's repeated digits or dropped decimal point, `_far_beyond` and `_scattered`), the 95%
    quantile takes the 99%'s place: those values are no measure of the spread.

    For positive numbers whose logarithms are more symmetric than the numbers themselves
    (incomes, prices, counts of things), the spreads are taken on the log scale, so a long but
    natural right tail stays inside; there, a lower bound more than `LOG_FLOOR` times below
    the lowest positive quantile is 0. A lower bound never goes below 0 for a column without
    negative values.

    >>> from rowsift.profile import profile_table
    >>> from rowsift.suggest.strictness import thresholds
    >>> import polars as pl
    >>> values = [str(v) for v in range(-50, 50)] + ["9000"]
    >>> col = profile_table(pl.DataFrame({"n": values})).column("n")
    >>> rule = suggest_range(col, "int", thresholds("balanced"))
    >>> rule.args.min, rule.args.max
    (-180, 180)
    """
    stats = column.numeric
    if column_type not in ("int", "float") or stats is None or column.semantic not in RANGED:
        return None
    if stats.count < max(MIN_VALUES, limits.range_rows):
        return None
    # with few values the 1% quantiles are the extremes themselves: use 5% ones
    tail = 0.01 if stats.count >= 200 else 0.05
    low_q, high_q = stats.quantiles[tail], stats.quantiles[1 - tail]
    median = stats.quantiles[0.5]
    margin = limits.range_margin * max(1.0, math.log10(max(ranged, 1)))
    spike = stats.mad == 0
    top = 1 - tail
    # a spike has no spread of its body to tell a far top by (codes: 1 for most rows)
    far = _far_beyond(stats.quantiles) if tail < 0.05 and not spike else None
    if far is not None and _scattered(column.values, far):
        # the top 1% to 5% lie far beyond the rest, scattered over many values (digits
        # repeated, decimal points dropped): no measure of the spread, and left out of it
        top, high_q = 0.95, stats.quantiles[0.95]
    positive = _lowest_positive(stats.quantiles, tail, 1 - tail) if stats.min >= 0 else None
    # mostly zeros (rain, rare events), then a tail: only a log scale spans it
    mostly_zeros = stats.quantiles.get(0.75, 0) == 0
    logged = positive is not None and (
        mostly_zeros or _skewed(positive, max(median, positive), high_q)
    )
    floored = False  # a log-scale lower bound set to 0 (`LOG_FLOOR`)
    if logged and positive is not None:
        # the spread of the positive values on a log scale (at least LOG_SPREAD): zeros and a
        # long right tail are what measures such as incomes, counts and prices look like
        spread = max(math.log(high_q / positive), math.log(LOG_SPREAD))
        if spike:
            spread = max(spread, math.log(stats.quantiles[0.99] / positive))
        low = math.exp(math.log(positive) - margin * spread) if stats.min > 0 else 0
        if 0 < low * LOG_FLOOR < positive:
            low, floored = 0, True
        high = math.exp(math.log(high_q) + margin * spread)
    else:
        spread = high_q - low_q
        if spike:
            spread = max(spread, stats.quantiles[0.99] - stats.quantiles[0.01])
        if spread <= 0:
            spread = max(stats.mad * 1.4826 * 3, abs(high_q) * 0.1, 1.0)
        low = low_q - margin * spread
        high = high_q + margin * spread
    if stats.min >= 0:  # no negative value: a negative one is an error
        low = max(low, 0.0)
    high, widened = _widened_top(column, high, high_q, margin)
    if floored:
        widened = "; 0 allowed: a log scale cannot place it" + widened
    low, high = readable(low, up=False), readable(high, up=True)
    if column_type == "int":
        bounds: tuple[float | int, float | int] = (math.floor(low), math.ceil(high))
    else:
        bounds = (low, high)
    scale = " on a log scale" if logged else ""
    evidence = Evidence(
        statistic=f"{top:.0%} quantile",
        observed=round(high_q, 6),
        threshold=float(high),
        note=f"{tail:.0%} to {top:.0%} quantiles {low_q:g} .. {high_q:g}, median "
        f"{median:g}, MAD {stats.mad:g}; bounds {margin:g} spreads beyond them{scale}"
        + (f" (wider for the {ranged} ranged columns)" if margin > limits.range_margin else "")
        + ("; a spike: the spread is at least that of the 1% to 99% quantiles" if spike else "")
        + (
            f"; the 99% quantile {stats.quantiles[0.99]:g} lies far beyond the rest"
            if top < 1 - tail
            else ""
        )
        + widened,
    )
    return ColumnRuleSpec.model_validate(
        {"between": {"min": bounds[0], "max": bounds[1], "evidence": evidence}}
    )


def ranged_columns(profile: TableProfile) -> int:
    """How many columns of the table are measures or counts with numbers: those that may get a
    range."""
    return sum(
        1 for column in profile.columns if column.semantic in RANGED and column.numeric is not None
    )


def _far_beyond(quantiles: dict[float, float]) -> float | None:
    """Where values lie far beyond the rest, when the 99% quantile does; else None.

    Far is a step from the 95% quantile longer than the whole body below it, and at least
    tenfold: on a log scale from the lowest positive quantile up to the median for non-negative
    numbers, three times the 5%-95% span on the numbers' own scale for numbers of either sign.
    A column that is 0 up to its median is not judged: its top is the tail of its few positive
    values (rain, rare events). Natural tails do not step so: from 95% to 99% a log-normal's
    quantiles grow by a fifth of its 5%-95% span on the log scale, a Pareto's with exponent
    0.5 by about half, a normal's by a fifth on its own scale, a Cauchy's by twice.

    >>> _far_beyond({0.05: 31.7, 0.25: 39.6, 0.5: 55.5, 0.95: 71.3, 0.99: 5555.0})
    713.0
    >>> _far_beyond({0.05: 1.1, 0.25: 1.8, 0.5: 4.0, 0.95: 400.0, 0.99: 10000.0}) is None
    True
    >>> _far_beyond({0.05: -20.0, 0.25: -8.0, 0.5: 0.0, 0.95: 20.0, 0.99: 900.0})
    200.0
    >>> _far_beyond({0.05: 0.0, 0.25: 0.0, 0.5: 0.0, 0.95: 0.01, 0.99: 0.13}) is None
    True
    """
    low, high, top = quantiles[0.05], quantiles[0.95], quantiles[0.99]
    if high <= 0:
        return None
    if low < 0:
        far = max(high + 3 * (high - low), LOG_SPREAD * high)
    else:
        positive = _lowest_positive(quantiles, 0.05, 0.5)
        if positive is None:
            return None
        far = high * max(high / positive, LOG_SPREAD)
    return far if top > far else None


def _scattered(values: dict[str, int], far: float) -> bool:
    """Whether the values beyond `far` are many values seen a few times each (at most
    `SCATTERED_ROWS` rows per value): garbled digits are, while codes such as 98 for "don't
    know" or a rare category's number are few values seen often. A column with too many values
    to count (`values` empty) is continuous: its values are scattered; so are those of a column
    whose far values are clothed (`$1,200`), which are not counted.

    >>> _scattered({"31.7": 300, "3311": 2, "5555": 3, "7711": 1}, 713.0)
    True
    >>> _scattered({"1": 900, "2": 50, "22": 40, "50": 30}, 20.0)
    False
    """
    counts = [
        count
        for value, count in values.items()
        if (number := plain_number(value)) is not None and number > far
    ]
    return sum(counts) <= SCATTERED_ROWS * len(counts)


def _widened_top(
    column: ColumnProfile, high: float, high_q: float, margin: float
) -> tuple[float, str]:
    """The upper bound widened for values the quantiles miss, and why (for the evidence): the
    few positive values of a column that is 0 up to its top quantile (`_rare_positives_top`),
    then a value repeated just beyond the bound (`_repeated_top`)."""
    stats = column.numeric
    assert stats is not None  # only columns with numbers get a range
    why = ""
    if high_q <= 0 < stats.max:  # the positive values are fewer than the top quantile's share
        rare = _rare_positives_top(column.values, margin)
        if rare > high:
            why = f"; the few positive values: {LOG_SPREAD**margin:.3g} times their largest"
            high = rare
    repeated = _repeated_top(column.values, high, stats.quantiles[0.5])
    if repeated > high:
        why += f"; {repeated:g}, seen more than {SCATTERED_ROWS} times just beyond, taken in"
        high = repeated
    return high, why


def _rare_positives_top(values: dict[str, int], margin: float) -> float:
    """A bound for a column that is 0 (or less) up to its top quantile yet holds a few positive
    values (days lost to illness in a healthy population): they are a population of their own,
    of which the quantiles say nothing, so the bound lies `LOG_SPREAD` to the power `margin`
    beyond the largest of them (0 when the values were not counted).

    >>> _rare_positives_top({"0": 4900, "4": 20, "14": 9, "30": 3}, 1.5)
    948.68
    """
    positives = [
        number for value in values if (number := plain_number(value)) is not None and number > 0
    ]
    return round(max(positives) * LOG_SPREAD**margin, 2) if positives else 0.0


def _repeated_top(values: dict[str, int], high: float, median: float) -> float:
    """The largest value just above `high` (no further beyond it than `high` is from the
    `median`) seen more than `SCATTERED_ROWS` times, else `high`: a value that common next to
    the bound is a value of the column (the square of its largest measure), not an error, and
    the next batch brings it again. Far beyond, a repeated value is an error of a frequent one
    (``100`` and ``1000`` for a quantity of 1 multiplied).

    >>> _repeated_top({"3.9": 900, "16.05": 21, "16.13": 19, "250": 1}, 16.0, 4.0)
    16.13
    >>> _repeated_top({"1": 900, "100": 12, "1000": 9}, 16.0, 1.0)
    16.0
    >>> _repeated_top({"3.9": 900, "17": 2, "18": 1}, 16.0, 4.0)
    16.0
    """
    near = high + max(high - median, 0.0)
    repeated = [
        number
        for value, count in values.items()
        if count > SCATTERED_ROWS
        and (number := plain_number(value)) is not None
        and high < number <= near
    ]
    return max(repeated, default=high)


def _lowest_positive(quantiles: dict[float, float], tail: float, top: float) -> float | None:
    """The lowest quantile up to `top` that is above 0 (zero-inflated columns start higher; in
    a column of mostly zeros, such as rain or rare events, only the top quantiles are).

    >>> _lowest_positive({0.01: 0.0, 0.05: 0.0, 0.25: 2.0, 0.5: 5.0, 0.75: 9.0}, 0.01, 0.99)
    2.0
    >>> _lowest_positive({0.01: 0.0, 0.5: 0.0, 0.75: 0.0, 0.95: 0.02, 0.99: 0.13}, 0.01, 0.99)
    0.02
    """
    for q in (tail, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99):
        if q <= top and quantiles.get(q, 0) > 0:
            return quantiles[q]
    return None


def _skewed(low: float, median: float, high: float) -> bool:
    """Whether the upper tail is much longer than the lower one, and less so on a log scale.

    >>> _skewed(1, 10, 1000), _skewed(40, 50, 60), _skewed(2, 2, 500)
    (True, False, True)
    """
    if high <= median:
        return False
    if median <= low:  # half the values or more sit at the bottom: a tail above them
        return high > 3 * low
    raw = (high - median) / (median - low)
    logged = math.log(high / median) / math.log(median / low)
    return raw > 2 and abs(math.log(logged)) < abs(math.log(raw))
