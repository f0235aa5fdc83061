"""Which findings drift: one false-discovery-rate correction, then effect sizes.

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

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from rowsift.monitor.drift.report import DriftReport, Finding
from rowsift.monitor.drift.tests import (
    Tests,
    categorical_tests,
    ks_p_values,
    null_rate_tests,
    numeric_tests,
    schema_change,
)
from rowsift.monitor.metrics import BatchMetrics
from rowsift.monitor.settings import DriftSettings


def compare(
    baseline: BatchMetrics,
    current: BatchMetrics,
    *,
    settings: DriftSettings = DriftSettings(),  # noqa: B008 - frozen, so one shared default is safe
    tolerance: Mapping[tuple[str, str], float] | None = None,
) -> DriftReport:
    """Every drift and schema finding of `current` against `baseline` (see `rowsift.monitor.drift`).

    `tolerance` raises the effect threshold of a column's check (``(column, check)``) to how
    much the baseline's own batches differ from each other (`rowsift.monitor.baseline`); a
    threshold is never lowered by it.

    >>> import polars as pl
    >>> from rowsift.monitor.measure import measure_batch
    >>> m = measure_batch(pl.DataFrame({"x": [1.0, 2.0, 3.0], "c": ["a", "b", "a"]}))
    >>> compare(m, m).drifted
    False
    """
    tests = Tests()
    for name in _selected(baseline, current, settings):
        base, cur = baseline.columns.get(name), current.columns.get(name)
        if base is None:
            assert cur is not None
            schema_change(tests, name, f"column {name!r} is new ({cur.dtype})", drifted=True)
            continue
        if cur is None:
            schema_change(
                tests, name, f"column {name!r} is missing (was {base.dtype})", drifted=True
            )
            continue
        if base.dtype != cur.dtype:
            schema_change(
                tests, name, f"{name} changed type: {base.dtype} → {cur.dtype}", drifted=True
            )
        elif base.kind != cur.kind:
            message = (
                f"{name} looks like {_article(cur.kind)} column now ({base.kind} in the"
                f" baseline); its share of distinct values depends on the batch size"
            )
            schema_change(tests, name, message, drifted=False)
        null_rate_tests(tests, name, base, cur, settings)
        if base.kind != cur.kind:
            continue
        if base.kind == "numeric":
            numeric_tests(tests, name, base, cur, settings)
        elif base.kind == "categorical":
            categorical_tests(tests, name, base, cur, settings)
    if tolerance:
        for fields, _ in tests.drafts:
            raised = tolerance.get((fields["column"], fields["check"]))
            threshold = fields["threshold"]
            if raised is not None and threshold is not None and raised > threshold:
                fields["threshold"] = raised
                fields["message"] = _raised(fields["message"], fields["check"], raised)
    return DriftReport(findings=decide(tests, settings))


def _raised(message: str, check: str, raised: float) -> str:
    """A finding's sentence with the threshold the baseline's own variation raised it to.

    >>> _raised("PSI 0.58 (threshold 0.2)", "psi", 0.266)
    "PSI 0.58 (threshold 0.266, raised from 0.2 by the baseline's own variation)"
    """
    shown = f"±{raised * 100:.1f} points" if check == "null_rate" else f"{raised:.3g}"
    start = message.find("(threshold ")
    if start < 0:
        return f"{message} (threshold {shown}, raised by the baseline's own variation)"
    end = message.find(")", start)
    was = message[start + len("(threshold ") : end]
    return (
        f"{message[:start]}(threshold {shown}, raised from {was} by the baseline's own"
        f" variation){message[end + 1 :]}"
    )


def _selected(baseline: BatchMetrics, current: BatchMetrics, settings: DriftSettings) -> list[str]:
    names = list(dict.fromkeys([*baseline.columns, *current.columns]))
    chosen = set(settings.columns) if settings.columns else None
    return [
        name for name in names if (chosen is None or name in chosen) and name not in settings.ignore
    ]


def _article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


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


def decide(tests: Tests, settings: DriftSettings) -> tuple[Finding, ...]:
    """Benjamini-Hochberg over every p-value, then each finding's effect against its threshold."""
    if tests.ks:
        index, statistic, n_eff = (np.array(v) for v in zip(*tests.ks, strict=True))
        for i, p in zip(index, ks_p_values(statistic, n_eff), strict=True):
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
