"""The statistical tests of one column against its baseline; each adds findings to `Tests`.

A finding waits in `Tests` for its p-value to be corrected with every other p-value of the
comparison (see `rowsift.monitor.drift.decide`).
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import special

from rowsift.monitor.drift.quantiles import Floats, cdf_knots, counts_on, invert, spread
from rowsift.monitor.drift.report import Check, percent
from rowsift.monitor.metrics import ColumnMetrics
from rowsift.monitor.settings import DriftSettings

#: levels at which the Wasserstein distance compares the two quantile functions; the 5% at
#: each end are left to the difference of the means (min and max are single extreme rows)
_W_LEVELS = np.linspace(0.05, 0.95, 91)
#: every expected count of the chi-squared table is at least this
_MIN_EXPECTED = 5.0


class Tests:
    """The p-values of one comparison, and the findings waiting for them (as Finding fields)."""

    def __init__(self) -> None:
        self.p_values: list[float] = []
        self.drafts: list[tuple[dict[str, Any], int | None]] = []
        # KS p-values are computed together at the end: one vectorised call for every column
        self.ks: list[tuple[int, float, float]] = []

    def add_test(self, p_value: float) -> int:
        self.p_values.append(min(max(p_value, 0.0), 1.0))
        return len(self.p_values) - 1

    def add_ks(self, statistic: float, n_eff: float) -> int:
        test = self.add_test(1.0)
        self.ks.append((test, statistic, n_eff))
        return test

    def add(self, test: int | None, **fields: Any) -> None:
        self.drafts.append((fields, test))


def schema_change(tests: Tests, name: str, message: str, *, drifted: bool) -> None:
    tests.add(
        None,
        column=name,
        check="schema",
        statistic=None,
        p_value=None,
        effect=None,
        threshold=None,
        drifted=drifted,
        message=message,
    )


def proportion_z(before: int, rows_before: int, after: int, rows_after: int) -> float | None:
    """The two-proportion z statistic of a share that moved from `before` of `rows_before`
    rows to `after` of `rows_after` (pooled standard error); None when there is nothing to
    test: an empty batch, or a share of 0 (or 1) on both sides.

    >>> round(proportion_z(50, 1000, 80, 1000), 2), proportion_z(0, 10, 0, 20)
    (2.72, None)
    """
    if not rows_before or not rows_after:
        return None
    pooled = (before + after) / (rows_before + rows_after)
    if pooled in (0.0, 1.0):
        return None
    error = math.sqrt(pooled * (1 - pooled) * (1 / rows_before + 1 / rows_after))
    return (after / rows_after - before / rows_before) / error


def null_rate_tests(
    tests: Tests, name: str, base: ColumnMetrics, cur: ColumnMetrics, settings: DriftSettings
) -> None:
    z = proportion_z(base.nulls, base.rows, cur.nulls, cur.rows)
    if z is None:
        return  # no null (or nothing but nulls) on either side: nothing to test
    tests.add(
        tests.add_test(math.erfc(abs(z) / math.sqrt(2))),
        column=name,
        check="null_rate",
        statistic=z,
        effect=abs(cur.null_rate - base.null_rate),
        threshold=settings.null_rate,
        message=(
            f"null rate {percent(base.null_rate)} → {percent(cur.null_rate)}"
            f" (threshold ±{settings.null_rate * 100:.1f} points)"
        ),
        before=base.null_rate,
        after=cur.null_rate,
    )


def numeric_tests(
    tests: Tests, name: str, base: ColumnMetrics, cur: ColumnMetrics, settings: DriftSettings
) -> None:
    if base.histogram is None or cur.histogram is None or base.mean is None or cur.mean is None:
        return
    # the histograms count every non-null value; their totals keep every share within [0, 1]
    n_b, n_c = sum(base.histogram.counts), sum(cur.histogram.counts)
    if not n_b or not n_c:
        return
    edges = base.histogram.edges
    counts_b = np.array(base.histogram.counts, dtype=np.float64)
    counts_c = counts_on(cur, edges).astype(np.float64)
    gap = np.abs(np.cumsum(counts_b[:-1]) / n_b - np.cumsum(counts_c[:-1]) / n_c)
    ks = float(gap.max()) if len(gap) else 0.0
    test = tests.add_ks(ks, n_b * n_c / (n_b + n_c))
    # half a row in every bin keeps an empty bin's log ratio finite (PSI's epsilon)
    bins = len(counts_b)
    share_b = (counts_b + 0.5) / (n_b + 0.5 * bins)
    share_c = (counts_c + 0.5) / (n_c + 0.5 * bins)
    psi = float(np.dot(share_c - share_b, np.log(share_c / share_b)))
    quantiles_b, quantiles_c = _w_quantiles(base), _w_quantiles(cur)
    central = float(np.mean(np.abs(quantiles_b - quantiles_c)))
    # both terms are lower bounds of W1: the central 90% of the quantile functions, and the
    # difference of the means (which sees a change confined to the tails)
    distance = max(0.9 * central, abs(cur.mean - base.mean))
    effect = distance / spread(base)
    moved = {"column": name, "before": base.mean, "after": cur.mean}
    tests.add(
        test,
        check="ks",
        statistic=ks,
        effect=ks,
        threshold=None,
        message=f"Kolmogorov–Smirnov {ks:.3f} at the baseline's bin edges",
        **moved,
    )
    tests.add(
        test,
        check="psi",
        statistic=psi,
        effect=psi,
        threshold=settings.psi,
        message=f"PSI {psi:.2f} (threshold {settings.psi:g})",
        **moved,
    )
    tests.add(
        test,
        check="wasserstein",
        statistic=distance,
        effect=effect,
        threshold=settings.wasserstein,
        message=f"Wasserstein {effect:.2f} std (threshold {settings.wasserstein:g})",
        **moved,
    )


@lru_cache(maxsize=4096)
def _w_quantiles(column: ColumnMetrics) -> Floats:
    """The column's quantiles at the Wasserstein levels (cached: a window compares each batch
    with every other)."""
    return invert(*cdf_knots(column), _W_LEVELS)


def ks_p_values(statistics: Floats, n_eff: Floats) -> Floats:
    """P(D >= statistic) for two samples of effective size n_eff = n_b n_c / (n_b + n_c).

    The Kolmogorov distribution with Stephens' finite-sample correction: within 2% of the
    exact one-sample distribution (scipy.stats.kstwo) from n = 50, conservative below, and
    one vectorised call, where kstwo's cost grows with n (a tenth of a second at n = 100,000).
    """
    root = np.sqrt(n_eff)
    return np.asarray(special.kolmogorov(statistics * (root + 0.12 + 0.11 / root)))


def categorical_tests(
    tests: Tests, name: str, base: ColumnMetrics, cur: ColumnMetrics, settings: DriftSettings
) -> None:
    n_b, n_c = base.rows - base.nulls, cur.rows - cur.nulls
    if not n_b or not n_c:
        return
    top_b, top_c = dict(base.top), dict(cur.top)
    # a value listed on one side only has a known count on the other side (0) only when that
    # side's top list is complete; otherwise it stays in the pooled rest on both sides
    known = [v for v in top_b if v in top_c or cur.complete]
    known += [v for v in top_c if v not in top_b and base.complete]
    table = np.array(
        [[top_b.get(v, 0) for v in known], [top_c.get(v, 0) for v in known]], dtype=np.float64
    ).reshape(2, len(known))
    rest = np.array([[n_b - table[0].sum()], [n_c - table[1].sum()]])
    full = np.hstack([table, rest]) if rest.sum() > 0 else table
    if full.shape[1] >= 2:
        js = _jensen_shannon(full[0] / n_b, full[1] / n_c)
        chi2, dof = _chi_squared(table, rest)
        test = tests.add_test(float(special.chdtrc(dof, chi2)) if dof > 0 else 1.0)
        tests.add(
            test,
            column=name,
            check="chi2",
            statistic=chi2,
            effect=math.sqrt(chi2 / (n_b + n_c)),  # Cramér's V of the 2 x k table
            threshold=None,
            message=f"chi-squared {chi2:.1f} on {dof} degrees of freedom",
        )
        tests.add(
            test,
            column=name,
            check="jensen_shannon",
            statistic=js,
            effect=js,
            threshold=settings.jensen_shannon,
            message=f"Jensen–Shannon {js:.2f} (threshold {settings.jensen_shannon:g})",
        )
    _appeared(tests, name, base, cur, settings, vanished=False)
    _appeared(tests, name, cur, base, settings, vanished=True)


def _jensen_shannon(p: Floats, q: Floats) -> float:
    """The Jensen-Shannon distance, base 2 (0 = same distribution, 1 = disjoint)."""
    m = (p + q) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        left = np.where(p > 0, p * np.log2(p / m), 0.0)
        right = np.where(q > 0, q * np.log2(q / m), 0.0)
    return math.sqrt(max(float(left.sum() + right.sum()) / 2, 0.0))


def _chi_squared(table: Floats, rest: Floats) -> tuple[float, int]:
    """Chi-squared of a 2 x k table, the rarest categories pooled into the rest until every
    expected count is at least 5."""
    n = np.array([table[0].sum() + rest[0, 0], table[1].sum() + rest[1, 0]])
    total = n.sum()
    # a category's expected count on the smaller side is its total times that side's share
    needed = _MIN_EXPECTED * total / n.min()
    totals = table.sum(axis=0)
    order = np.argsort(totals, kind="stable")
    pooled = rest[:, 0].copy()
    keep = np.ones(len(totals), dtype=bool)
    for j in order:
        if totals[j] >= needed and (pooled.sum() == 0 or pooled.sum() >= needed):
            break
        pooled += table[:, j]
        keep[j] = False
    cells = table[:, keep]
    if pooled.sum() > 0:
        cells = np.hstack([cells, pooled[:, None]])
    if cells.shape[1] < 2:
        return 0.0, 0
    expected = np.outer(n, cells.sum(axis=0)) / total
    return float(np.sum((cells - expected) ** 2 / expected)), cells.shape[1] - 1


def _appeared(
    tests: Tests,
    name: str,
    before: ColumnMetrics,
    after: ColumnMetrics,
    settings: DriftSettings,
    *,
    vanished: bool,
) -> None:
    """New categories (listed in `after`, not in `before`), or vanished ones when the two
    batches are given the other way round."""
    n_before, n_after = before.rows - before.nulls, after.rows - after.nulls
    listed = dict(before.top)
    bound = before.unlisted_max
    share_of_before = n_before / (n_before + n_after)
    for value, count in after.top:
        if value in listed:
            continue
        share = count / n_after
        # exact test conditional on the value's total: its rows split between the batches
        # in proportion to their sizes; for a large current batch this tends to
        # (1 - share) ** n_before, the chance that the baseline missed such a category
        test = tests.add_test(float(special.bdtr(bound, count + bound, share_of_before)))
        was = percent(bound / n_before)
        if vanished:
            check: Check = "vanished_category"
            message = (
                f"{value!r} vanished (was {percent(share)} of the baseline)"
                if not bound
                else f"{value!r} fell from {percent(share)} to at most {was}"
            )
        else:
            check = "new_category"
            message = (
                f"new category {value!r} at {percent(share)} of rows"
                if not bound
                else f"{value!r} grew to {percent(share)} from at most {was}"
            )
        tests.add(
            test,
            column=name,
            check=check,
            statistic=share,
            effect=share - bound / n_before,
            threshold=settings.category_share,
            message=message,
            category=value,
            before=share if vanished else bound / n_before,
            after=bound / n_before if vanished else share,
        )
