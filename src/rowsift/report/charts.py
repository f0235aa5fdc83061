"""Charts as plain data: binned values become bars, lines and cells with their coordinates.

The templates draw them as inline SVG; nothing here reads a table. Every chart has a title and
its labels, so that it can be read without colour and by a screen reader.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rowsift.report.visible import visible

WIDTH = 240
HEIGHT = 64
#: a timeline draws at most this many dots; neighbouring runs share one beyond that
DOTS = 120


@dataclass(frozen=True, kw_only=True)
class Bar:
    """One bar: where it is drawn and what it says."""

    x: float
    y: float
    width: float
    height: float
    label: str
    series: int = 0


@dataclass(frozen=True, kw_only=True)
class Chart:
    """A small chart: its title, its bars (or lines), and its axis labels."""

    title: str
    kind: str
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    low: str = ""
    high: str = ""
    legend: list[str] = field(default_factory=list)
    trace: str = ""
    """A timeline's line, as SVG polyline points."""


def number(value: Any) -> str:
    """A number for people: three significant digits, thousands separated.

    >>> number(12345.678), number(0.012345), number(None), number(3)
    ('12,346', '0.0123', '', '3')
    """
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value == int(value) and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.0f}" if abs(value) >= 999.5 else f"{value:.3g}"
    return visible(value)


def _bin_label(edges: Sequence[float], index: int) -> str:
    if not edges:
        return "all values"
    if index == 0:
        return f"≤ {number(edges[0])}"
    if index == len(edges):
        return f"> {number(edges[-1])}"
    return f"{number(edges[index - 1])} – {number(edges[index])}"


def histogram(title: str, edges: Sequence[float], series: Sequence[Sequence[int]]) -> Chart:
    """Bars per bin, one colour per series (a batch, or a baseline and a batch side by side).

    Bins are drawn at equal widths: the edges are quantiles, so equal widths show each bin's
    share fairly; the labels give the ranges.
    """
    bins = len(series[0]) if series else 0
    totals = [max(sum(counts), 1) for counts in series]
    shares = [
        [count / total for count in counts] for counts, total in zip(series, totals, strict=True)
    ]
    peak = max((share for row in shares for share in row), default=0.0) or 1.0
    slot = WIDTH / max(bins, 1)
    width = slot / max(len(series), 1)
    bars = []
    for s, row in enumerate(shares):
        for index, share in enumerate(row):
            height = (HEIGHT - 2) * share / peak
            bars.append(
                Bar(
                    x=round(index * slot + s * width, 2),
                    y=round(HEIGHT - height, 2),
                    width=round(max(width - 1, 0.5), 2),
                    height=round(height, 2),
                    label=f"{_bin_label(edges, index)}: {share:.1%}",
                    series=s,
                )
            )
    low = f"≤ {number(edges[0])}" if edges else ""
    high = f"> {number(edges[-1])}" if edges else ""
    return Chart(title=title, kind="histogram", bars=bars, low=low, high=high)


def top_values(
    title: str, series: Sequence[Mapping[str, int]], totals: Sequence[int], *, limit: int = 8
) -> Chart:
    """Horizontal bars of the most frequent values, with their shares of non-null rows."""
    first = series[0] if series else {}
    order = list(first)
    for other in series[1:]:
        order += [value for value in other if value not in first]
    order = order[:limit]
    row = 14
    height = max(row * len(order), row)
    peak = (
        max(
            (
                counts.get(value, 0) / max(total, 1)
                for counts, total in zip(series, totals, strict=True)
                for value in order
            ),
            default=0.0,
        )
        or 1.0
    )
    bars = []
    thick = (row - 3) / max(len(series), 1)
    for index, value in enumerate(order):
        for s, (counts, total) in enumerate(zip(series, totals, strict=True)):
            share = counts.get(value, 0) / max(total, 1)
            bars.append(
                Bar(
                    x=0,
                    y=round(index * row + s * thick, 2),
                    width=round((WIDTH - 100) * share / peak, 2),
                    height=round(thick, 2),
                    label=f"{visible(value, limit=40)}: {share:.1%}",
                    series=s,
                )
            )
    return Chart(title=title, kind="top", bars=bars, height=height)


def failure_bars(title: str, rules: Sequence[Mapping[str, Any]], rows_in: int) -> Chart:
    """One horizontal bar per rule: the share of rows it failed."""
    row = 18
    bars = []
    peak = max((rule["failed"] for rule in rules), default=0) or 1
    for index, rule in enumerate(rules):
        share = rule["failed"] / rows_in if rows_in else 0.0
        bars.append(
            Bar(
                x=0,
                y=index * row,
                width=round(360 * rule["failed"] / peak, 2),
                height=row - 4,
                label=f"{visible(rule['id'], limit=80)}: {rule['failed']:,} rows ({share:.2%}), "
                f"{rule['severity']}",
                series=0 if rule["severity"] == "error" else 1,
            )
        )
    return Chart(
        title=title, kind="failures", bars=bars, width=360, height=max(row * len(rules), row)
    )


def timeline(
    title: str, points: Sequence[tuple[str, float]], *, percent: bool = False, dots: int = DOTS
) -> Chart:
    """A line over runs, oldest first, with a dot per run labelled by its batch and value.

    Over more runs than `dots`, neighbouring runs share a dot (the one with the highest value,
    so a spike is never hidden; its label says how many runs it stands for), and the line goes
    through each group's lowest and highest value. A dot's ``run`` is the index of its run.

    >>> chart = timeline("t", [(f"b{i}", float(i % 7)) for i in range(1000)], dots=100)
    >>> len(chart.lines), chart.lines[0]["run"], chart.lines[0]["label"]
    (100, 6, 'b6: 6 (highest of 10 runs: b0 … b9)')
    """
    width, height = 480, 80
    values = [value for _, value in points]
    top = max(values, default=0.0) or 1.0
    size = max(1, -(-len(points) // max(dots, 1)))
    groups = [range(start, min(start + size, len(points))) for start in range(0, len(points), size)]
    step = width / max(len(groups) - 1, 1)

    def y(value: float) -> float:
        return round(height - 4 - (height - 8) * value / top, 2)

    def shown(value: float) -> str:
        return f"{value:.2%}" if percent else number(value)

    marks, trace = [], []
    for slot, group in enumerate(groups):
        x = round(slot * step, 2)
        peak = max(group, key=lambda k: (values[k], k))
        label = f"{visible(points[peak][0], limit=60)}: {shown(values[peak])}"
        if len(group) > 1:
            first, last = points[group[0]][0], points[group[-1]][0]
            label += (
                f" (highest of {len(group)} runs: {visible(first, limit=40)} … "
                f"{visible(last, limit=40)})"
            )
        marks.append({"x": x, "y": y(values[peak]), "label": label, "run": peak, "runs": group})
        low = min(values[k] for k in group)
        trace += (
            [f"{x},{y(low)}", f"{x},{y(values[peak])}"]
            if low != values[peak]
            else [f"{x},{y(low)}"]
        )
    return Chart(
        title=title,
        kind="timeline",
        width=width,
        height=height,
        lines=marks,
        trace=" ".join(trace),
        low=f"{0:.1%}" if percent else "0",
        high=f"{top:.1%}" if percent else number(top),
    )


def density(title: str, quantiles: Mapping[float, float]) -> Chart | None:
    """A distribution drawn from its quantiles: between two quantiles lies a known share of the
    values, so each bar spans the values' range there and its height is that share per unit.

    >>> chart = density("x", {0.25: 1.0, 0.5: 2.0, 0.75: 4.0})
    >>> [bar.width for bar in chart.bars], chart.low, chart.high
    ([79.0, 159.0], '1', '4')
    """
    points = sorted((level, value) for level, value in quantiles.items() if math.isfinite(value))
    if len(points) < 2 or points[-1][1] <= points[0][1]:
        return None
    low, high = points[0][1], points[-1][1]
    scale = WIDTH / (high - low)
    spans = []
    for (level_a, a), (level_b, b) in itertools.pairwise(points):
        width = max((b - a) * scale, 1.0)
        spans.append((a, b, level_b - level_a, width))
    peak = max(share / width for _, _, share, width in spans) or 1.0
    bars = []
    for a, b, share, width in spans:
        height = (HEIGHT - 2) * (share / width) / peak
        bars.append(
            Bar(
                x=round((a - low) * scale, 2),
                y=round(HEIGHT - height, 2),
                width=round(max(width - 1, 0.5), 2),
                height=round(height, 2),
                label=f"{number(a)} – {number(b)}: {share:.1%} of values",
            )
        )
    return Chart(title=title, kind="histogram", bars=bars, low=number(low), high=number(high))
