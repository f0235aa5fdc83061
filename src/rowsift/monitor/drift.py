"""Drift between a baseline batch and the current one, computed from their metrics alone.

What is compared, per column (``settings.columns`` / ``settings.ignore`` choose the columns):

- **schema**: a column added, removed or retyped (its data type changed) always alerts, with no
  p-value. A change of kind between *identifier* and numeric/categorical under the same data
  type is not a retyping: whether a column looks like an identifier depends on the share of
  distinct values, which depends on the batch size; it is reported, not alerted, and the
  column's distribution is then not compared.
- **null rate** of every column: a two-proportion z-test; the effect is the absolute change.
- **numeric** columns, on the baseline's histogram bins (a batch measured with other edges is
  re-binned from its quantiles): Kolmogorov-Smirnov on the binned CDFs (the test), PSI and the
  normalised Wasserstein distance (the effects).
- **categorical** columns, on the union of the top values: chi-squared (the test, rare
  categories pooled so every expected count is at least 5), Jensen-Shannon distance (the
  effect), and new or vanished categories (an exact binomial test each; the effect is the
  category's share).
- identifier, temporal and other columns: null rate and schema only.

Decision rule. Every p-value of the comparison — every column's tests together — goes through
one Benjamini-Hochberg correction at ``settings.alpha`` (the false discovery rate). A finding
drifts when its test is significant after that correction **and** its effect size reaches its
threshold (``psi`` or ``wasserstein`` for numeric columns, ``jensen_shannon`` for categorical
ones, ``null_rate``, ``category_share`` for a new or vanished category). The two conditions
divide the work by sample size: with small batches an effect can pass its threshold by chance
and the p-value decides; with large batches every p-value is tiny and the effect size decides,
so a real but negligible change stays quiet. Effect sizes are always reported next to the
p-value of the test behind them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import special

from rowsift.monitor.alerts import Alert
from rowsift.monitor.metrics import (
    QUANTILE_LEVELS,
    TOP_VALUES,
    BatchMetrics,
    ColumnMetrics,
    Histogram,
    Kind,
)
from rowsift.monitor.settings import DriftSettings

Check = Literal[
    "psi",
    "ks",
    "wasserstein",
    "chi2",
    "jensen_shannon",
    "new_category",
    "vanished_category",
    "null_rate",
    "schema",
]
Floats = npt.NDArray[np.float64]

#: levels at which the Wasserstein distance compares the two quantile functions; the 5% at
#: each end are left to the difference of the means (min and max are single extreme rows)
_W_LEVELS = np.linspace(0.05, 0.95, 91)
#: every expected count of the chi-squared table is at least this
_MIN_EXPECTED = 5.0
_CATEGORY_CHECKS = ("new_category", "vanished_category")
#: an alert names at most this many new or vanished categories, the largest first
_NAMED_CATEGORIES = 3


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One check of one column: its statistic, p-value, effect size and verdict.

    `p_value` is the raw p-value of the test behind the finding (the KS test for PSI and
    Wasserstein, chi-squared for Jensen-Shannon), `q_value` the same after Benjamini-Hochberg.
    `before` and `after` are the baseline's and the current batch's value of what moved: the
    mean (numeric checks), the null rate, or the category's share.
    """

    column: str
    check: Check
    statistic: float | None
    p_value: float | None
    effect: float | None
    threshold: float | None
    drifted: bool
    message: str
    q_value: float | None = None
    category: str | None = None
    before: float | None = None
    after: float | None = None


@dataclass(frozen=True, kw_only=True)
class DriftReport:
    """Every finding of one comparison; the drifted ones become alerts.

    >>> DriftReport().drifted
    False
    """

    findings: tuple[Finding, ...] = ()

    @property
    def drifted(self) -> bool:
        """True when at least one finding drifted (a column or the schema changed)."""
        return any(finding.drifted for finding in self.findings)

    def alerts(self) -> list[Alert]:
        """One alert per schema change and one per drifted column, in column order."""
        found: list[Alert] = []
        by_column: dict[str, list[Finding]] = {}
        for finding in self.findings:
            if not finding.drifted:
                continue
            if finding.check == "schema":
                found.append(
                    Alert(
                        kind="schema",
                        subject=finding.column,
                        message=finding.message,
                        details={"findings": [asdict(finding)]},
                    )
                )
            else:
                by_column.setdefault(finding.column, []).append(finding)
        for column, findings in by_column.items():
            every = [f for f in self.findings if f.column == column and f.check != "schema"]
            found.append(
                Alert(
                    kind="drift",
                    subject=column,
                    message=_drift_sentence(column, findings),
                    details={"findings": [asdict(f) for f in every]},
                )
            )
        return found

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "drifted": self.drifted,
            "findings": [asdict(finding) for finding in self.findings],
        }


# --------------------------------------------------------------------------- merging


def merge(batches: Sequence[BatchMetrics]) -> BatchMetrics:
    """One baseline from several batches, as if they had been measured as one table.

    Rows, nulls, histogram counts and top-value counts add up; mean and standard deviation
    are combined exactly; quantiles come from the mixture of the batches' distributions. A
    column takes the data type that covers the most rows; batches where it is missing or has
    another type do not count towards it. A value missing from a batch's top list counts in
    that batch's `other`, so the merged top counts are lower bounds unless every batch listed
    the value or was complete.

    >>> m = BatchMetrics(rows=4, columns={"x": ColumnMetrics(
    ...     name="x", dtype="String", kind="categorical", rows=4, nulls=0, top=(("a", 4),))})
    >>> merge([m, m]).columns["x"].top
    (('a', 8),)
    """
    if not batches:
        raise ValueError("merge needs at least one batch")
    if len(batches) == 1:
        return batches[0]
    names: dict[str, None] = {}
    for batch in batches:
        names.update(dict.fromkeys(batch.columns))
    columns: dict[str, ColumnMetrics] = {}
    for name in names:
        present = [batch.columns[name] for batch in batches if name in batch.columns]
        dtype = _most_rows(present, lambda column: column.dtype)
        same = [column for column in present if column.dtype == dtype]
        columns[name] = _merge_column(name, same)
    return BatchMetrics(rows=sum(batch.rows for batch in batches), columns=columns)


def _most_rows(columns: Sequence[ColumnMetrics], key: Callable[[ColumnMetrics], str]) -> str:
    """The value of `key` that covers the most rows (on a tie, the later batch's)."""
    weight: dict[str, int] = {}
    for column in columns:
        weight[key(column)] = weight.get(key(column), 0) + column.rows
    best = max(weight.values())
    return next(key(c) for c in reversed(columns) if weight[key(c)] == best)


def _merge_column(name: str, parts: Sequence[ColumnMetrics]) -> ColumnMetrics:
    if len(parts) == 1:
        return parts[0]
    kind: Kind = _most_rows(parts, lambda column: column.kind)  # type: ignore[assignment]
    rows = sum(part.rows for part in parts)
    nulls = sum(part.nulls for part in parts)
    distinct = [part.distinct for part in parts if part.distinct is not None]
    merged = ColumnMetrics(
        name=name,
        dtype=parts[0].dtype,
        kind=kind,
        rows=rows,
        nulls=nulls,
        # the union has at least as many distinct values as its largest part
        distinct=max(distinct) if distinct else None,
        min=_extreme([part.min for part in parts], min),
        max=_extreme([part.max for part in parts], max),
    )
    numeric = [p for p in parts if p.histogram is not None and p.rows > p.nulls]
    if numeric and all(p.mean is not None for p in numeric):
        merged = replace(merged, **_merge_numeric(numeric))
    if kind == "categorical":
        top, other, highest = _merge_top(parts)
        count = merged.distinct or 0
        merged = replace(
            merged,
            top=top,
            other=other,
            other_max=highest,
            distinct=len(top) if not other else max(count, len(top)),
        )
    return merged


def _extreme(values: Sequence[float | str | None], pick: Any) -> float | str | None:
    """The smallest or largest of values of one type (numbers, or ISO texts that sort)."""
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    texts = [v for v in values if isinstance(v, str)]
    if numbers:
        return float(pick(numbers))
    return str(pick(texts)) if texts else None


def _merge_numeric(parts: Sequence[ColumnMetrics]) -> dict[str, Any]:
    sizes = np.array([p.rows - p.nulls for p in parts], dtype=np.float64)
    means = np.array([p.mean for p in parts], dtype=np.float64)
    total = float(sizes.sum())
    mean = float(np.dot(sizes, means) / total)
    # exact pooled variance: each part's own sum of squares plus its mean's distance
    stds = np.array([p.std if p.std is not None else 0.0 for p in parts], dtype=np.float64)
    squares = float(np.dot(np.maximum(sizes - 1, 0), stds**2) + np.dot(sizes, (means - mean) ** 2))
    std = math.sqrt(squares / (total - 1)) if total > 1 else None
    knots = [_knots(p) for p in parts]
    grid = np.unique(np.concatenate([xs for xs, _ in knots]))
    mixture = (
        sum(
            (
                w * np.interp(grid, xs, fs, left=0.0, right=1.0)
                for w, (xs, fs) in zip(sizes, knots, strict=True)
            ),
            start=np.zeros_like(grid),
        )
        / total
    )
    levels = np.array(QUANTILE_LEVELS[1:-1])
    low, high = float(grid[0]), float(grid[-1])
    quantiles = (low, *(float(q) for q in _invert(grid, mixture, levels)), high)
    return {
        "mean": mean,
        "std": std,
        "quantiles": quantiles,
        "histogram": _merge_histograms(parts),
    }


def _merge_histograms(parts: Sequence[ColumnMetrics]) -> Histogram:
    """Add the histograms bin by bin, on the edges most of the rows were counted with."""
    every = [part.histogram.edges for part in parts if part.histogram is not None]
    weight: dict[tuple[float, ...], int] = {}
    for edges, part in zip(every, parts, strict=True):
        weight[edges] = weight.get(edges, 0) + part.rows - part.nulls
    best = max(weight.values())
    edges = next(edges for edges in reversed(every) if weight[edges] == best)
    counts = np.zeros(len(edges) + 1, dtype=np.int64)
    for part in parts:
        counts += _counts_on(part, edges)
    return Histogram(edges=edges, counts=tuple(int(c) for c in counts))


def _merge_top(parts: Sequence[ColumnMetrics]) -> tuple[tuple[tuple[str, int], ...], int, int]:
    """The merged top values, `other`, and the largest count an unlisted value can have."""
    counts: dict[str, int] = {}
    for part in parts:
        for value, count in part.top:
            counts[value] = counts.get(value, 0) + count
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    non_null = sum(part.rows - part.nulls for part in parts)
    kept = ordered[:TOP_VALUES]
    # whatever is not listed, including values a batch kept in its own `other`, is `other`
    other = non_null - sum(count for _, count in kept)
    # a value missing from a batch's list may still have up to that batch's unlisted maximum
    # there: the merged counts are lower bounds, and an unlisted value's count is bounded by
    # its known part plus every batch's unlisted maximum where it was not listed
    bounds = [
        part.unlisted_max if part.kind == "categorical" else part.rows - part.nulls
        for part in parts
    ]
    listed = [{value for value, _ in part.top} for part in parts]
    highest = sum(bounds)
    for value, count in ordered[TOP_VALUES:]:
        missing = sum(b for b, values in zip(bounds, listed, strict=True) if value not in values)
        highest = max(highest, count + missing)
    return tuple(kept), other, min(highest, other)


# --------------------------------------------------------------------------- distributions


def _knots(column: ColumnMetrics) -> tuple[Floats, Floats]:
    """A piecewise-linear CDF of a numeric column, as (x, F(x)) with x strictly increasing:
    exact at its bin edges, and beyond them approximated by its quantiles and min and max."""
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


def _invert(xs: Floats, fs: Floats, levels: Floats) -> Floats:
    """The quantile function of a piecewise-linear CDF at `levels`."""
    # where F is flat, the next rise starts at the plateau's last knot: keep that one
    rising = np.append(fs[1:] > fs[:-1], True)
    return np.asarray(np.interp(levels, fs[rising], xs[rising]), dtype=np.float64)


def _counts_on(column: ColumnMetrics, edges: tuple[float, ...]) -> npt.NDArray[np.int64]:
    """The column's histogram on `edges`: its own counts, or re-binned from its CDF."""
    assert column.histogram is not None
    if column.histogram.edges == edges:
        return np.array(column.histogram.counts, dtype=np.int64)
    n = sum(column.histogram.counts)
    xs, fs = _knots(column)
    share = np.interp(np.array(edges, dtype=np.float64), xs, fs, left=0.0, right=1.0)
    cumulative = np.minimum(np.maximum.accumulate(np.rint(share * n)), n).astype(np.int64)
    return np.diff(np.concatenate([[0], cumulative, [n]]))


def _spread(column: ColumnMetrics) -> float:
    """The baseline's scale for the Wasserstein distance: std, else IQR, else the level."""
    if column.std is not None and column.std > 0 and math.isfinite(column.std):
        return column.std
    q = column.quantiles
    if len(q) == len(QUANTILE_LEVELS) and q[15] > q[5]:
        return (q[15] - q[5]) / 1.349  # the IQR of a normal distribution is 1.349 std
    level = abs(column.mean) if column.mean is not None else 0.0
    return level if level > 0 else 1.0


# --------------------------------------------------------------------------- comparing


class _Tests:
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


def compare(
    baseline: BatchMetrics,
    current: BatchMetrics,
    *,
    settings: DriftSettings = DriftSettings(),  # noqa: B008 - frozen, so one shared default is safe
) -> DriftReport:
    """Every drift and schema finding of `current` against `baseline` (see the module doc).

    >>> import polars as pl
    >>> from rowsift.monitor.measure import measure
    >>> m = measure(pl.DataFrame({"x": [1.0, 2.0, 3.0], "c": ["a", "b", "a"]}))
    >>> compare(m, m).drifted
    False
    """
    tests = _Tests()
    for name in _selected(baseline, current, settings):
        base, cur = baseline.columns.get(name), current.columns.get(name)
        if base is None:
            assert cur is not None
            _schema(tests, name, f"column {name!r} is new ({cur.dtype})", drifted=True)
            continue
        if cur is None:
            _schema(tests, name, f"column {name!r} is missing (was {base.dtype})", drifted=True)
            continue
        if base.dtype != cur.dtype:
            _schema(tests, name, f"{name} changed type: {base.dtype} → {cur.dtype}", drifted=True)
        elif base.kind != cur.kind:
            message = (
                f"{name} looks like {_article(cur.kind)} column now ({base.kind} in the"
                f" baseline); its share of distinct values depends on the batch size"
            )
            _schema(tests, name, message, drifted=False)
        _null_rate(tests, name, base, cur, settings)
        if base.kind != cur.kind:
            continue
        if base.kind == "numeric":
            _numeric(tests, name, base, cur, settings)
        elif base.kind == "categorical":
            _categorical(tests, name, base, cur, settings)
    return DriftReport(findings=_decide(tests, settings))


def _selected(baseline: BatchMetrics, current: BatchMetrics, settings: DriftSettings) -> list[str]:
    names = list(dict.fromkeys([*baseline.columns, *current.columns]))
    chosen = set(settings.columns) if settings.columns else None
    return [
        name for name in names if (chosen is None or name in chosen) and name not in settings.ignore
    ]


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _schema(tests: _Tests, name: str, message: str, *, drifted: bool) -> None:
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


def _null_rate(
    tests: _Tests, name: str, base: ColumnMetrics, cur: ColumnMetrics, settings: DriftSettings
) -> None:
    if not base.rows or not cur.rows:
        return
    pooled = (base.nulls + cur.nulls) / (base.rows + cur.rows)
    if pooled in (0.0, 1.0):
        return  # no null (or nothing but nulls) on either side: nothing to test
    error = math.sqrt(pooled * (1 - pooled) * (1 / base.rows + 1 / cur.rows))
    z = (cur.null_rate - base.null_rate) / error
    tests.add(
        tests.add_test(math.erfc(abs(z) / math.sqrt(2))),
        column=name,
        check="null_rate",
        statistic=z,
        effect=abs(cur.null_rate - base.null_rate),
        threshold=settings.null_rate,
        message=(
            f"null rate {_percent(base.null_rate)} → {_percent(cur.null_rate)}"
            f" (threshold ±{settings.null_rate * 100:.1f} points)"
        ),
        before=base.null_rate,
        after=cur.null_rate,
    )


def _numeric(
    tests: _Tests, name: str, base: ColumnMetrics, cur: ColumnMetrics, settings: DriftSettings
) -> None:
    if base.histogram is None or cur.histogram is None or base.mean is None or cur.mean is None:
        return
    # the histograms count every non-null value; their totals keep every share within [0, 1]
    n_b, n_c = sum(base.histogram.counts), sum(cur.histogram.counts)
    if not n_b or not n_c:
        return
    edges = base.histogram.edges
    counts_b = np.array(base.histogram.counts, dtype=np.float64)
    counts_c = _counts_on(cur, edges).astype(np.float64)
    gap = np.abs(np.cumsum(counts_b[:-1]) / n_b - np.cumsum(counts_c[:-1]) / n_c)
    ks = float(gap.max()) if len(gap) else 0.0
    test = tests.add_ks(ks, n_b * n_c / (n_b + n_c))
    # half a row in every bin keeps an empty bin's log ratio finite (PSI's epsilon)
    bins = len(counts_b)
    share_b = (counts_b + 0.5) / (n_b + 0.5 * bins)
    share_c = (counts_c + 0.5) / (n_c + 0.5 * bins)
    psi = float(np.dot(share_c - share_b, np.log(share_c / share_b)))
    quantiles_b = _invert(*_knots(base), _W_LEVELS)
    quantiles_c = _invert(*_knots(cur), _W_LEVELS)
    central = float(np.mean(np.abs(quantiles_b - quantiles_c)))
    # both terms are lower bounds of W1: the central 90% of the quantile functions, and the
    # difference of the means (which sees a change confined to the tails)
    distance = max(0.9 * central, abs(cur.mean - base.mean))
    effect = distance / _spread(base)
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


def _ks_p_values(statistics: Floats, n_eff: Floats) -> Floats:
    """P(D >= statistic) for two samples of effective size n_eff = n_b n_c / (n_b + n_c).

    The Kolmogorov distribution with Stephens' finite-sample correction: within 2% of the
    exact one-sample distribution (scipy.stats.kstwo) from n = 50, conservative below, and
    one vectorised call, where kstwo's cost grows with n (a tenth of a second at n = 100,000).
    """
    root = np.sqrt(n_eff)
    return np.asarray(special.kolmogorov(statistics * (root + 0.12 + 0.11 / root)))


def _categorical(
    tests: _Tests, name: str, base: ColumnMetrics, cur: ColumnMetrics, settings: DriftSettings
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
    tests: _Tests,
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
        was = _percent(bound / n_before)
        if vanished:
            check: Check = "vanished_category"
            message = (
                f"{value!r} vanished (was {_percent(share)} of the baseline)"
                if not bound
                else f"{value!r} fell from {_percent(share)} to at most {was}"
            )
        else:
            check = "new_category"
            message = (
                f"new category {value!r} at {_percent(share)} of rows"
                if not bound
                else f"{value!r} grew to {_percent(share)} from at most {was}"
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


def benjamini_hochberg(p_values: Sequence[float]) -> npt.NDArray[np.float64]:
    """Benjamini-Hochberg adjusted p-values (q-values), in the order given.

    The same numbers as ``scipy.stats.false_discovery_control(p, method="bh")``, without
    importing scipy.stats, which takes longer than a whole comparison of 200 columns.

    >>> [round(float(q), 3) for q in benjamini_hochberg([0.01, 0.04, 0.03, 0.5])]
    [0.04, 0.053, 0.053, 0.5]
    """
    p = np.asarray(p_values, dtype=np.float64)
    if p.size == 0:
        return p
    order = np.argsort(p)
    scaled = p[order] * p.size / np.arange(1, p.size + 1)
    # each q-value is the smallest scaled p-value at its rank or above
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1]
    q = np.empty_like(p)
    q[order] = np.minimum(adjusted, 1.0)
    return q


def _decide(tests: _Tests, settings: DriftSettings) -> tuple[Finding, ...]:
    """Benjamini-Hochberg over every p-value, then each finding's effect against its threshold."""
    if tests.ks:
        index, statistic, n_eff = (np.array(v) for v in zip(*tests.ks, strict=True))
        for i, p in zip(index, _ks_p_values(statistic, n_eff), strict=True):
            tests.p_values[int(i)] = min(max(float(p), 0.0), 1.0)
    q_values = [float(q) for q in benjamini_hochberg(tests.p_values)]
    verdicts: list[bool] = []
    for fields, test in tests.drafts:
        if test is None:
            verdicts.append(bool(fields["drifted"]))
            continue
        threshold = fields["threshold"]
        reached = threshold is not None and fields["effect"] >= threshold
        verdicts.append(q_values[test] <= settings.alpha and reached)
    # a test with no threshold of its own (KS, chi-squared) drifts when an effect it backs does
    backed = {test for (_, test), drifted in zip(tests.drafts, verdicts, strict=True) if drifted}
    findings = []
    for (fields, test), drifted in zip(tests.drafts, verdicts, strict=True):
        if test is None:
            findings.append(Finding(**fields))
            continue
        findings.append(
            Finding(
                **fields,
                p_value=tests.p_values[test],
                q_value=q_values[test],
                drifted=drifted or (fields["threshold"] is None and test in backed),
            )
        )
    return tuple(findings)


# --------------------------------------------------------------------------- sentences


def _drift_sentence(column: str, drifted: Iterable[Finding]) -> str:
    """'amount drifted: PSI 0.41 (threshold 0.2), mean 12.3 → 15.8'."""
    findings = list(drifted)
    parts = [f.message for f in findings if f.check not in ("ks", "chi2", *_CATEGORY_CHECKS)]
    moved = next((f for f in findings if f.check in ("psi", "wasserstein")), None)
    if moved is not None and moved.before is not None and moved.after is not None:
        parts.append(f"mean {_number(moved.before)} → {_number(moved.after)}")
    # a renamed code list makes every value new and every old one vanish: name a few
    categories = sorted(
        (f for f in findings if f.check in _CATEGORY_CHECKS),
        key=lambda f: -(f.effect or 0.0),
    )
    parts += [f.message for f in categories[:_NAMED_CATEGORIES]]
    if len(categories) > _NAMED_CATEGORIES:
        parts.append(f"and {len(categories) - _NAMED_CATEGORIES} more new or vanished categories")
    return f"{column} drifted: " + ", ".join(parts)


def _percent(rate: float) -> str:
    """A share as a percentage with enough digits to tell small rates apart."""
    value = rate * 100
    if value == 0 or value >= 1:
        return f"{value:.1f}%"
    return f"{value:.2g}%"


def _number(value: float) -> str:
    """Three significant digits, thousands separated: 12.3, 0.0412, 15,800."""
    if abs(value) >= 999.5:
        return f"{value:,.0f}"
    return f"{value:.3g}"
