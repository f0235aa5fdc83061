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

The package reads in the order of a comparison: `quantiles` rebuilds a numeric column's
distribution from its metrics, `tests` runs each column's tests, `decide` corrects every
p-value at once and judges each effect size, and `report` holds the findings and their
sentences. `merge` builds a baseline from several batches. ``decide`` states the rule.
"""

from __future__ import annotations

from rowsift.monitor.drift.decide import benjamini_hochberg, compare
from rowsift.monitor.drift.merge import merge
from rowsift.monitor.drift.report import Check, DriftReport, Finding

__all__ = ["Check", "DriftReport", "Finding", "benjamini_hochberg", "compare", "merge"]
