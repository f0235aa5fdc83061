"""Drift: no alert between batches of one distribution, an alert for each injected change."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rowsift.monitor.drift import DriftReport, compare, merge
from rowsift.monitor.measure import measure_batch
from rowsift.monitor.metrics import BatchMetrics, bin_edges
from rowsift.monitor.settings import DriftSettings

STATUSES = ["paid", "shipped", "delivered", "new", "cancelled"]
STATUS_SHARES = [0.4, 0.25, 0.2, 0.1, 0.05]


def _table(
    rows: int,
    seed: int,
    *,
    shift: float = 0.0,
    new_category: float = 0.0,
    email_nulls: float = 0.01,
    without: str | None = None,
) -> pl.DataFrame:
    """Orders: a normal amount, a log-normal price, counts, two categoricals, an id, a date."""
    rng = np.random.default_rng(seed)
    status = rng.choice(STATUSES, rows, p=STATUS_SHARES).astype(object)
    status[rng.random(rows) < new_category] = "refunded"
    if without is not None:
        status[status == without] = "paid"
    score = rng.normal(0.0, 1.0, rows)
    score[rng.random(rows) < email_nulls] = np.nan
    return pl.DataFrame(
        {
            "order_id": np.arange(seed * 1_000_000, seed * 1_000_000 + rows),
            "amount": rng.normal(100.0 + 15.0 * shift, 15.0, rows),
            "price": rng.lognormal(3.0, 0.8, rows),
            "items": rng.poisson(3.0, rows),
            "status": status.astype(str),
            "country": rng.choice(["NO", "IT", "PE", "IN", "DE", "FR"], rows),
            "score": score,
            "day": [
                dt.date(2026, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 30, rows)
            ],
        }
    )


def _pair(rows: int = 5_000, seed: int = 1, **change: object) -> tuple[BatchMetrics, BatchMetrics]:
    baseline = measure_batch(_table(rows, seed))
    current = measure_batch(_table(rows, seed + 1, **change), edges=bin_edges(baseline))  # type: ignore[arg-type]
    return baseline, current


def _drifted(report: DriftReport) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in report.findings:
        if finding.drifted:
            found.setdefault(finding.column, set()).add(finding.check)
    return found


def test_batches_of_one_distribution_do_not_drift() -> None:
    report = compare(*_pair())
    assert not report.drifted
    assert report.alerts() == []
    checks = {(f.column, f.check) for f in report.findings}
    # effect sizes are reported next to p-values, for every kind of column
    assert {("amount", "ks"), ("amount", "psi"), ("amount", "wasserstein")} <= checks
    assert {("status", "chi2"), ("status", "jensen_shannon"), ("score", "null_rate")} <= checks
    # identifiers and dates are compared by null rate and schema only (no nulls here: nothing)
    assert not {column for column, _ in checks} & {"order_id", "day"}
    for finding in report.findings:
        assert finding.p_value is not None
        assert 0.0 <= finding.p_value <= 1.0
        assert finding.q_value is not None
        assert finding.q_value >= finding.p_value
    json.dumps(report.to_dict())


@settings(max_examples=8, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**31), rows=st.integers(50, 3_000))
def test_a_batch_compared_with_itself_finds_nothing(seed: int, rows: int) -> None:
    metrics = measure_batch(_table(rows, seed))
    report = compare(metrics, metrics)
    assert not report.drifted
    assert report.alerts() == []
    for finding in report.findings:
        assert finding.p_value == pytest.approx(1.0)
        assert finding.effect == pytest.approx(0.0, abs=1e-12)


def _wide(rows: int, seed: int) -> pl.DataFrame:
    """300 columns: normal, log-normal, integer counts and skewed categoricals."""
    rng = np.random.default_rng(seed)
    columns: dict[str, object] = {}
    for i in range(75):
        columns[f"n{i}"] = rng.normal(i, 1.0 + i % 5, rows)
        columns[f"l{i}"] = rng.lognormal(i % 4, 0.5 + (i % 3) / 2, rows)
        columns[f"k{i}"] = rng.poisson(0.5 + i % 7, rows)
        shares = 1.0 / np.arange(1, 3 + i % 20) ** 1.2
        columns[f"c{i}"] = rng.choice(
            [f"v{j}" for j in range(len(shares))], rows, p=shares / shares.sum()
        )
    return pl.DataFrame(columns)


@pytest.mark.slow
@settings(max_examples=4, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**31), rows=st.sampled_from([500, 5_000]))
def test_300_columns_of_one_distribution_raise_no_alert(seed: int, rows: int) -> None:
    baseline = measure_batch(_wide(rows, seed))
    current = measure_batch(_wide(rows, seed + 1), edges=bin_edges(baseline))
    report = compare(baseline, current)
    assert len({f.column for f in report.findings}) == 300
    assert report.alerts() == [], [a.message for a in report.alerts()]


def test_a_mean_shift_of_a_quarter_std_is_detected() -> None:
    report = compare(*_pair(shift=0.25))
    assert _drifted(report) == {"amount": {"ks", "wasserstein"}}
    (alert,) = report.alerts()
    assert alert.kind == "drift"
    assert alert.subject == "amount"
    assert alert.message.startswith("amount drifted: Wasserstein 0.2")
    assert "(threshold 0.1), mean 100 → 104" in alert.message
    wasserstein = next(f for f in report.findings if f.check == "wasserstein")
    assert wasserstein.effect == pytest.approx(0.25, abs=0.05)
    assert wasserstein.q_value is not None
    assert wasserstein.q_value < 1e-6


def test_a_large_shift_moves_psi_too() -> None:
    report = compare(*_pair(shift=1.0))
    assert _drifted(report) == {"amount": {"ks", "psi", "wasserstein"}}
    psi = next(f for f in report.findings if f.check == "psi")
    assert psi.effect is not None
    assert psi.effect > 0.5


def test_a_new_category_at_2_percent_is_detected() -> None:
    report = compare(*_pair(new_category=0.02))
    drifted = _drifted(report)
    assert set(drifted) == {"status"}
    assert "new_category" in drifted["status"]
    new = next(f for f in report.findings if f.check == "new_category")
    assert new.category == "refunded"
    assert new.effect == pytest.approx(0.02, abs=0.005)
    (alert,) = report.alerts()
    assert alert.message.startswith("status drifted: ")
    assert "new category 'refunded' at 2." in alert.message


def test_a_vanished_category_is_detected() -> None:
    report = compare(*_pair(without="cancelled"))
    assert "vanished_category" in _drifted(report)["status"]
    (alert,) = report.alerts()
    assert "'cancelled' vanished (was 5." in alert.message


def test_a_null_rate_jump_from_1_to_10_percent_is_detected() -> None:
    report = compare(*_pair(email_nulls=0.10))
    assert _drifted(report) == {"score": {"null_rate"}}
    (alert,) = report.alerts()
    assert re.fullmatch(
        r"score drifted: null rate [01]\.\d+% → (9|10)\.\d% \(threshold ±2\.0 points\)",
        alert.message,
    ), alert.message


def test_a_retyped_column_is_a_schema_alert() -> None:
    baseline = measure_batch(_table(2_000, 1))
    current = measure_batch(_table(2_000, 2).with_columns(pl.col("items").cast(pl.String)))
    report = compare(baseline, current)
    (alert,) = report.alerts()
    assert alert.kind == "schema"
    assert alert.message == "items changed type: Int64 → String"
    schema = next(f for f in report.findings if f.check == "schema")
    assert schema.p_value is None


def test_added_and_removed_columns_are_schema_alerts() -> None:
    baseline = measure_batch(_table(2_000, 1))
    current = measure_batch(_table(2_000, 2).drop("price").with_columns(pl.lit("x").alias("note")))
    messages = sorted(alert.message for alert in compare(baseline, current).alerts())
    assert messages == ["column 'note' is new (String)", "column 'price' is missing (was Float64)"]


def test_columns_and_ignore_choose_what_is_compared() -> None:
    baseline, current = _pair(shift=1.0, email_nulls=0.2)
    only = compare(baseline, current, settings=DriftSettings(columns=("score",)))
    assert {f.column for f in only.findings} == {"score"}
    ignored = compare(baseline, current, settings=DriftSettings(ignore=("amount",)))
    assert set(_drifted(ignored)) == {"score"}


def test_a_tiny_significant_change_on_a_large_batch_stays_quiet() -> None:
    # 0.05 std at 200,000 rows: KS is very significant, but the effect is below its threshold
    baseline, current = _pair(rows=200_000, shift=0.05)
    report = compare(baseline, current)
    ks = next(f for f in report.findings if f.column == "amount" and f.check == "ks")
    assert ks.q_value is not None
    assert ks.q_value < 1e-6
    assert not report.drifted


def test_batches_measured_with_their_own_edges_are_rebinned() -> None:
    baseline = measure_batch(_table(5_000, 1))
    same = compare(baseline, measure_batch(_table(5_000, 2)))
    assert not same.drifted
    shifted = compare(baseline, measure_batch(_table(5_000, 2, shift=0.5)))
    assert _drifted(shifted) == {"amount": {"ks", "psi", "wasserstein"}}


def test_small_batches_rely_on_the_p_value() -> None:
    # with 40 rows a large effect is not enough: the test cannot be significant
    baseline = measure_batch(_table(40, 1))
    current = measure_batch(_table(40, 2, shift=0.3), edges=bin_edges(baseline))
    report = compare(baseline, current)
    wasserstein = next(f for f in report.findings if f.check == "wasserstein")
    assert wasserstein.effect is not None
    assert wasserstein.effect > 0.1
    assert not report.drifted


# --------------------------------------------------------------------------- merge


def test_merging_one_batch_is_the_identity() -> None:
    metrics = measure_batch(_table(1_000, 3))
    assert merge([metrics]) == metrics
    with pytest.raises(ValueError, match="at least one batch"):
        merge([])


def test_merged_counts_add_up_and_moments_are_exact() -> None:
    first = measure_batch(_table(3_000, 1))
    edges = bin_edges(first)
    tables = [_table(rows, seed) for rows, seed in ((3_000, 1), (1_000, 2), (6_000, 3))]
    batches = [measure_batch(table, edges=edges) for table in tables]
    merged = merge(batches)
    whole = measure_batch(pl.concat(tables), edges=edges)
    assert merged.rows == sum(batch.rows for batch in batches) == whole.rows
    for name, column in merged.columns.items():
        assert column.rows == whole.columns[name].rows
        assert column.nulls == whole.columns[name].nulls
    amount, expected = merged.columns["amount"], whole.columns["amount"]
    assert amount.histogram == expected.histogram
    assert amount.mean == pytest.approx(expected.mean, rel=1e-12)
    assert amount.std == pytest.approx(expected.std, rel=1e-9)
    assert (amount.min, amount.max) == (expected.min, expected.max)
    # quantiles come from the mixture of the batches' CDFs: close, not exact
    assert amount.quantiles == pytest.approx(expected.quantiles, abs=0.05 * 15.0)
    assert merged.columns["status"].top == whole.columns["status"].top
    assert merged.columns["status"].complete
    assert merged.columns["day"].min == whole.columns["day"].min
    assert not compare(whole, merged).drifted


def test_merging_batches_with_different_edges_rebins_them() -> None:
    tables = [_table(4_000, seed) for seed in (1, 2)]
    merged = merge([measure_batch(table) for table in tables])
    whole = measure_batch(pl.concat(tables), edges=bin_edges(merged))
    assert merged.columns["amount"].histogram is not None
    assert sum(merged.columns["amount"].histogram.counts) == 8_000
    assert not compare(whole, merged).drifted


def test_a_column_missing_from_some_batches_counts_only_where_present() -> None:
    full = measure_batch(_table(1_000, 1))
    partial = measure_batch(_table(2_000, 2).drop("price"))
    merged = merge([full, partial])
    assert merged.rows == 3_000
    assert merged.columns["price"].rows == 1_000
    assert merged.columns["amount"].rows == 3_000
    assert list(merged.columns)[:3] == ["order_id", "amount", "price"]


def test_merged_top_values_keep_what_was_cut_off_in_other() -> None:
    def codes(seed: int) -> pl.DataFrame:
        rng = np.random.default_rng(seed)
        return pl.DataFrame({"code": [f"c{v}" for v in rng.zipf(1.3, 3_000) % 200]})

    tables = [codes(seed) for seed in range(3)]
    merged = merge([measure_batch(table) for table in tables]).columns["code"]
    truth = pl.concat(tables)["code"].value_counts()
    exact = dict(zip(truth["code"], truth["count"], strict=True))
    assert merged.rows - merged.nulls == 9_000
    assert sum(count for _, count in merged.top) + merged.other == 9_000
    assert not merged.complete
    for value, count in merged.top:
        assert count <= exact[value]  # a lower bound when a batch kept the value in `other`


def test_findings_are_plain_data() -> None:
    report = compare(*_pair(shift=0.5))
    for finding in report.findings:
        json.dumps(asdict(finding), allow_nan=False)
    for alert in report.alerts():
        json.dumps(alert.to_dict(), allow_nan=False)


def test_identifiers_and_durations_are_measured_exactly() -> None:
    # an estimated distinct count (HyperLogLog) put 5,000 unique ids below the 90% line
    frame = pl.DataFrame(
        {"id": np.arange(5_000), "wait": [dt.timedelta(minutes=m % 90) for m in range(5_000)]}
    )
    metrics = measure_batch(frame)
    assert metrics.columns["id"].kind == "identifier"
    assert metrics.columns["id"].distinct == 5_000
    assert metrics.columns["wait"].kind == "temporal"
    assert metrics.columns["wait"].max == "1:29:00"
    assert not compare(metrics, measure_batch(frame.reverse())).drifted


def test_a_renamed_code_list_names_a_few_categories() -> None:
    baseline = measure_batch(pl.DataFrame({"code": [f"a{i % 10}" for i in range(5_000)]}))
    current = measure_batch(pl.DataFrame({"code": [f"b{i % 10}" for i in range(5_000)]}))
    (alert,) = compare(baseline, current).alerts()
    assert alert.message.startswith("code drifted: Jensen–Shannon 1.00 (threshold 0.1), ")
    assert alert.message.endswith(", and 17 more new or vanished categories")
    assert len(alert.details["findings"]) == 2 + 20


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=0, max_size=300))
def test_benjamini_hochberg_matches_scipy(p_values: list[float]) -> None:
    from scipy.stats import false_discovery_control

    from rowsift.monitor.drift import benjamini_hochberg

    expected = false_discovery_control(p_values, method="bh") if p_values else []
    assert np.allclose(benjamini_hochberg(p_values), expected)
