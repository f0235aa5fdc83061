"""Smoke test of the monitoring benchmark: a short series runs and scores every change."""

from __future__ import annotations

import numpy as np
from bench.monitor import evaluate


def test_a_short_series_scores_every_change() -> None:
    feed = evaluate.run_feed(0, 10, evaluate.Settings(), seed=5)
    result = evaluate.summary([feed])
    assert result["unchanged_batches"] == 3
    assert set(result["detection"]) == set(evaluate.CHANGES)
    for kind in result["detection"].values():
        assert kind["injected"] == 3
    assert "false alarms" in evaluate.markdown(result)


def test_the_table_has_every_kind_of_column() -> None:
    spec = evaluate.table_spec(np.random.default_rng(1))
    frame = evaluate.batch(
        spec, 1_000, np.random.default_rng(2), first_id=0, day=evaluate.date(2026, 1, 1)
    )
    assert frame.height == 1_000
    assert 20 <= frame.width <= 50
    assert {c.kind for c in spec.columns} == {"normal", "lognormal", "count", "category", "flag"}
    assert frame["id"].n_unique() == 1_000


def test_settings_can_be_overridden() -> None:
    settings = evaluate._settings(["anomalies.threshold=5", "drift.alpha=0.001"])
    assert settings.anomalies.threshold == 5.0
    assert settings.drift.alpha == 0.001
