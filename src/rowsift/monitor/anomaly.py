"""Anomalies in a metric series: is the latest value unusual for the recent batches?

Built for short histories (a few days to a few weeks of batches) and robust to the odd bad
batch among them. The usual value is the median of the last ``settings.history`` values, the
usual spread the MAD (median absolute deviation, times 1.4826 so it estimates a standard
deviation). The current value is anomalous when

- its robust z-score ``|x - median| / scale`` reaches ``settings.threshold``, and
- it differs from the median by at least ``settings.min_relative_change`` of the median.

The scale is floored so that a history that hardly moved does not turn a tiny change into a
huge z-score: at least ``min_relative_change * |median|`` and, for a rate whose row counts are
known, the binomial standard error ``sqrt(p (1 - p) / n)`` of the current batch. Row counts
(a series whose name says rows or count) are judged on the log scale, where their noise is a
share of their level: the floor is then ``log(1 + min_relative_change)``, and a halving is as
unusual as a doubling. A history shorter than ``settings.min_history`` says nothing. With
weekly seasonality and the dates of the batches, the current value is compared with the same
weekday's values, when there are enough of them.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from datetime import date
from typing import Literal

from rowsift.monitor.alerts import Alert
from rowsift.monitor.settings import AnomalySettings

Style = Literal["percent", "count", "number"]

#: the MAD of a normal sample times this estimates its standard deviation
_MAD_TO_STD = 1.4826
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def detect(
    name: str,
    history: Sequence[float],
    current: float,
    *,
    settings: AnomalySettings = AnomalySettings(),  # noqa: B008 - frozen, one shared default is safe
    counts: Sequence[int] | None = None,
    current_count: int | None = None,
    dates: Sequence[date] | None = None,
    current_date: date | None = None,
) -> Alert | None:
    """An "anomaly" alert when `current` is unusual for `history` (oldest first), else None.

    `counts` / `current_count` are the row counts behind a rate (they floor the scale at the
    rate's binomial standard error); `dates` / `current_date` enable weekly seasonality.

    >>> detect("rows", [1000.0] * 14, 1000.0) is None
    True
    >>> detect("rows", [1000.0, 1010.0, 990.0, 1005.0, 995.0] * 3, 400.0).subject
    'rows'
    """
    if counts is not None and len(counts) != len(history):
        raise ValueError(f"{len(counts)} counts for a history of {len(history)} values")
    if dates is not None and len(dates) != len(history):
        raise ValueError(f"{len(dates)} dates for a history of {len(history)} values")
    if not math.isfinite(current):
        return None
    keep = [i for i, value in enumerate(history) if math.isfinite(value)]
    recent = keep[-settings.history :]
    label = "batches"
    if settings.seasonality == "weekly" and dates is not None and current_date is not None:
        weekday = current_date.weekday()
        same = [i for i in keep if dates[i].weekday() == weekday]
        if len(same) >= settings.min_history:
            recent, label = same[-settings.history :], f"{_WEEKDAYS[weekday]}s"
    used = [float(history[i]) for i in recent]
    if len(used) < max(settings.min_history, 1):
        return None
    style = _style(name)
    # a row count varies by a share of its level: on the log scale a halving and a doubling
    # are equally unusual, and a busy feed's noise does not hide a quiet feed's drop
    ratio = style == "count" and current > 0 and all(v > 0 for v in used)
    scaled = [math.log(v) for v in used] if ratio else used
    value = math.log(current) if ratio else current
    center = statistics.median(scaled)
    mad = statistics.median(abs(v - center) for v in scaled)
    # small samples underestimate the MAD; n / (n - 0.8) is the usual correction
    scale = _MAD_TO_STD * mad * len(used) / (len(used) - 0.8)
    if ratio:
        floor = math.log1p(settings.min_relative_change)
    else:
        floor = settings.min_relative_change * abs(center)
        if current_count:
            # the usual rate: pooled over the history's rows when they are known, which
            # stays above 0 for a rare event that most batches do not see
            rows = sum(counts[i] for i in recent) if counts is not None else 0
            pooled = sum(history[i] * counts[i] for i in recent) / rows if counts and rows else 0
            rate = min(max(center, pooled, 1 / current_count), 1 - 1 / current_count)
            floor = max(floor, math.sqrt(max(rate * (1 - rate), 0.0) / current_count))
    scale = max(scale, floor)
    gap = abs(value - center)
    if gap == 0:
        return None
    z = gap / scale if scale > 0 else math.inf
    median = statistics.median(used)
    change = abs(current - median) / abs(median) if median else math.inf
    if z < settings.threshold or change < settings.min_relative_change:
        return None
    low, high = min(used), max(used)
    usual = _format(low, style, [current, low, high], unit=low == high)
    if low != high:
        usual += "–" + _format(high, style, [current, low, high])
    message = (
        f"{name} {_format(current, style, [current, low, high])} vs usual {usual}"
        f" over the last {len(used)} {label}"
    )
    return Alert(
        kind="anomaly",
        subject=name,
        message=message,
        details={
            "value": current,
            "median": median,
            "scale": scale,
            "z": z if math.isfinite(z) else None,
            "relative_change": change if math.isfinite(change) else None,
            "threshold": settings.threshold,
            "history": len(used),
            "low": low,
            "high": high,
            "compared_with": label,
        },
    )


def _style(name: str) -> Style:
    """Rates read best as percentages, row counts with thousands separators."""
    words = name.lower()
    if "rate" in words or "share" in words:
        return "percent"
    if "row" in words or "count" in words:
        return "count"
    return "number"


def _format(value: float, style: Style, every: Sequence[float], *, unit: bool = True) -> str:
    """One value of the sentence; `every` value shares its number of decimals."""
    if style == "count":
        return f"{value:,.0f}"
    if style == "percent":
        smallest = min((abs(v) * 100 for v in every if v), default=1.0)
        decimals = 1 if smallest >= 0.1 else 2 if smallest >= 0.01 else 3
        return f"{value * 100:.{decimals}f}" + ("%" if unit else "")
    if abs(value) >= 999.5:
        return f"{value:,.0f}"
    return f"{value:.3g}"
