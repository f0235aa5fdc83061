"""Anomalies: quiet on a steady series, one plain sentence on a spike, nothing on no history."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from rowsift.monitor.anomaly import detect
from rowsift.monitor.settings import AnomalySettings

QUARANTINE = [0.004, 0.006, 0.009, 0.005, 0.007, 0.005, 0.006]
QUARANTINE += [0.004, 0.008, 0.005, 0.006, 0.007, 0.005, 0.006]


def test_a_constant_history_and_the_same_value_is_quiet() -> None:
    assert detect("rows", [25_000.0] * 14, 25_000.0) is None
    assert detect("quarantine rate", [0.0] * 14, 0.0) is None


def test_a_constant_history_tolerates_small_changes() -> None:
    # no spread at all: the floor of min_relative_change * median keeps the z-score sane
    assert detect("rows", [25_000.0] * 14, 26_000.0) is None
    assert detect("rows", [25_000.0] * 14, 24_000.0) is None
    assert detect("rows", [25_000.0] * 14, 10_000.0) is not None


def test_a_spike_in_a_rate_is_one_sentence_in_percent() -> None:
    alert = detect(
        "quarantine rate",
        QUARANTINE,
        0.079,
        counts=[20_000] * len(QUARANTINE),
        current_count=20_000,
    )
    assert alert is not None
    assert alert.kind == "anomaly"
    assert alert.subject == "quarantine rate"
    assert alert.message == "quarantine rate 7.9% vs usual 0.4–0.9% over the last 14 batches"
    assert alert.details["median"] == pytest.approx(0.006)
    assert alert.details["z"] > 10


def test_a_volume_drop_is_one_sentence_with_thousands_separators() -> None:
    rng = np.random.default_rng(7)
    history = list(rng.normal(25_000, 800, 20).round())
    alert = detect("rows in", history, 12_000.0)
    assert alert is not None
    low, high = min(history[-14:]), max(history[-14:])
    assert alert.message == (
        f"rows in 12,000 vs usual {low:,.0f}–{high:,.0f} over the last 14 batches"
    )
    assert alert.details["history"] == 14


def test_ordinary_noise_is_quiet() -> None:
    rng = np.random.default_rng(3)
    quiet = 0
    for _ in range(200):
        series = list(rng.normal(10_000, 500, 15))
        quiet += detect("rows", series[:-1], series[-1]) is None
    assert quiet == 200


def test_a_short_history_says_nothing() -> None:
    assert detect("rows", [100.0, 100.0, 100.0, 100.0], 1_000_000.0) is None
    assert detect("rows", [], 5.0) is None
    short = AnomalySettings(min_history=3)
    assert detect("rows", [100.0, 100.0, 100.0], 1_000.0, settings=short) is not None


def test_only_the_last_history_values_count() -> None:
    # an old regime of 1,000-row batches is forgotten after `history` batches
    history = [1_000.0] * 30 + [20_000.0] * 14
    assert detect("rows", history, 20_500.0) is None
    assert detect("rows", history, 1_000.0) is not None


def test_a_rate_with_few_rows_is_judged_by_its_binomial_error() -> None:
    steady = [0.005] * 14
    # 7 of 1,000 rows instead of 5: within the binomial noise of a 1,000-row batch
    assert detect("failure rate", steady, 0.007, counts=[1_000] * 14, current_count=1_000) is None
    # the same rate on 1,000,000 rows is far outside it
    alert = detect("failure rate", steady, 0.007, counts=[1_000_000] * 14, current_count=1_000_000)
    assert alert is not None
    assert alert.message == "failure rate 0.7% vs usual 0.5% over the last 14 batches"


def test_weekly_seasonality_compares_the_same_weekday() -> None:
    start = dt.date(2026, 9, 7)  # a Monday
    dates = [start + dt.timedelta(days=i) for i in range(42)]
    history = [4_000.0 if d.weekday() >= 5 else 20_000.0 for d in dates]
    saturday = start + dt.timedelta(days=47)
    weekly = AnomalySettings(seasonality="weekly")
    assert detect("rows", history, 4_100.0, dates=dates, current_date=saturday) is not None
    assert (
        detect("rows", history, 4_100.0, settings=weekly, dates=dates, current_date=saturday)
        is None
    )
    alert = detect("rows", history, 9_000.0, settings=weekly, dates=dates, current_date=saturday)
    assert alert is not None
    assert alert.message == "rows 9,000 vs usual 4,000 over the last 6 Saturdays"


def test_weekly_seasonality_falls_back_to_every_batch_without_enough_weeks() -> None:
    start = dt.date(2026, 9, 7)
    dates = [start + dt.timedelta(days=i) for i in range(14)]
    weekly = AnomalySettings(seasonality="weekly")
    alert = detect(
        "rows",
        [20_000.0] * 14,
        5_000.0,
        settings=weekly,
        dates=dates,
        current_date=start + dt.timedelta(days=14),
    )
    assert alert is not None
    assert alert.message.endswith("over the last 14 batches")


def test_missing_values_in_the_history_are_skipped() -> None:
    history = [100.0, math.nan, 101.0, 99.0, 100.0, math.nan, 100.0, 102.0]
    assert detect("mean amount", history, 100.5) is None
    alert = detect("mean amount", history, 180.0)
    assert alert is not None
    assert alert.message == "mean amount 180 vs usual 99–102 over the last 6 batches"
    assert detect("mean amount", history, math.nan) is None


def test_mismatched_counts_or_dates_are_an_error() -> None:
    with pytest.raises(ValueError, match="2 counts for a history of 3"):
        detect("rate", [0.1, 0.1, 0.1], 0.1, counts=[1, 2])
    with pytest.raises(ValueError, match="1 dates for a history of 3"):
        detect("rate", [0.1, 0.1, 0.1], 0.1, dates=[dt.date(2026, 1, 1)])


def test_a_rare_event_is_judged_against_its_pooled_rate() -> None:
    history = [0.0] * 10 + [0.0002] * 4  # most batches see none
    counts = [10_000] * 14
    # 2 rows in 10,000: the usual few
    assert detect("failure rate", history, 0.0002, counts=counts, current_count=10_000) is None
    alert = detect("failure rate", history, 0.002, counts=counts, current_count=10_000)
    assert alert is not None
    assert alert.message == "failure rate 0.20% vs usual 0.00–0.02% over the last 14 batches"
