"""A numeric column's distribution from its metrics: a CDF through its bins and quantiles."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from rowsift.monitor.metrics import QUANTILE_LEVELS, ColumnMetrics

Floats = npt.NDArray[np.float64]


@lru_cache(maxsize=4096)
def cdf_knots(column: ColumnMetrics) -> tuple[Floats, Floats]:
    """A piecewise-linear CDF of a numeric column, as (x, F(x)) with x strictly increasing:
    exact at its bin edges, and beyond them approximated by its quantiles and min and max.

    Cached, and read-only: a window of 7 batches compares each batch with 6 others, and the
    CDF was most of the cost of a comparison.
    """
    xs, fs = _knots(column)
    xs.setflags(write=False)
    fs.setflags(write=False)
    return xs, fs


def _knots(column: ColumnMetrics) -> tuple[Floats, Floats]:
    assert column.histogram is not None
    n = sum(column.histogram.counts)
    edges = list(column.histogram.edges)
    exact = list(np.cumsum(column.histogram.counts[:-1]) / n) if edges else []
    quantiles = column.quantiles
    levels: Sequence[float] = (
        QUANTILE_LEVELS
        if len(quantiles) == len(QUANTILE_LEVELS)
        else [i / (len(quantiles) - 1) for i in range(len(quantiles))]
        if len(quantiles) > 1
        else [1.0] * len(quantiles)
    )
    points = list(zip(quantiles, levels, strict=True))
    if isinstance(column.min, int | float) and isinstance(column.max, int | float):
        points += [(float(column.min), 0.0), (float(column.max), 1.0)]
    # between the edges the exact counts are the CDF; quantiles there would only add the
    # interpolation noise of discrete values, so they describe the tails alone
    if edges:
        below = sorted((x, min(f, exact[0])) for x, f in points if x < edges[0])
        above = sorted((x, max(f, exact[-1])) for x, f in points if x > edges[-1])
        pairs = [*below, *zip(edges, exact, strict=True), *above]
    else:
        pairs = sorted(points)
    if not pairs:
        return np.zeros(1), np.ones(1)
    xs: list[float] = []
    fs: list[float] = []
    for x, f in pairs:
        if xs and x == xs[-1]:
            fs[-1] = max(fs[-1], f)  # the CDF counts values <= x: one knot, the largest F
        else:
            xs.append(float(x))
            fs.append(max(f, fs[-1]) if fs else f)
    return np.array(xs), np.array(fs)


def invert(xs: Floats, fs: Floats, levels: Floats) -> Floats:
    """The quantile function of a piecewise-linear CDF at `levels`."""
    # where F is flat, the next rise starts at the plateau's last knot: keep that one
    rising = np.append(fs[1:] > fs[:-1], True)
    return np.asarray(np.interp(levels, fs[rising], xs[rising]), dtype=np.float64)


def counts_on(column: ColumnMetrics, edges: tuple[float, ...]) -> npt.NDArray[np.int64]:
    """The column's histogram on `edges`: its own counts, or re-binned from its CDF."""
    assert column.histogram is not None
    if column.histogram.edges == edges:
        return np.array(column.histogram.counts, dtype=np.int64)
    n = sum(column.histogram.counts)
    xs, fs = cdf_knots(column)
    share = np.interp(np.array(edges, dtype=np.float64), xs, fs, left=0.0, right=1.0)
    cumulative = np.minimum(np.maximum.accumulate(np.rint(share * n)), n).astype(np.int64)
    return np.diff(np.concatenate([[0], cumulative, [n]]))


def spread(column: ColumnMetrics) -> float:
    """The baseline's scale for the Wasserstein distance: std, else IQR, else the level."""
    if column.std is not None and column.std > 0 and math.isfinite(column.std):
        return column.std
    q = column.quantiles
    if len(q) == len(QUANTILE_LEVELS) and q[15] > q[5]:
        return (q[15] - q[5]) / 1.349  # the IQR of a normal distribution is 1.349 std
    level = abs(column.mean) if column.mean is not None else 0.0
    return level if level > 0 else 1.0
