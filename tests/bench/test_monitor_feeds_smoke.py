"""Smoke test of the feeds benchmark: a small feed goes through the monitor's recording path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
from bench.monitor import feeds


class Small:
    """Three columns, 400 rows a batch: enough to drift, quick to record."""

    name = "small"
    numeric = "x"
    categorical = "c"
    nullable = "y"

    def batch(self, t: int) -> pl.DataFrame:
        rng = np.random.default_rng(t)
        return pl.DataFrame(
            {
                "x": rng.normal(0, 1, 400),
                "y": rng.normal(5, 1, 400),
                "c": rng.choice(["a", "b", "c"], 400),
            }
        )

    def std(self, column: str) -> float:
        return 1.0


def test_a_step_is_detected_at_once_and_is_one_incident(tmp_path: Path) -> None:
    scenario = feeds.Scenario(event="step", change="new_category")
    feed = feeds.run_feed(Small(), scenario, tmp_path, batches=feeds.START + 4)
    assert feed["subject"] == "c"
    assert feeds.delay(feed) == 0
    changed = [b for b in feed["batches"] if not b["ordinary"]]
    assert [b["t"] for b in changed] == list(range(feeds.START, feeds.START + 4))
    assert all(("drift", "c") in {(k, s) for k, s, _ in b["alerts"]} for b in changed)
    result = feeds.summary([feed])
    assert result["ordinary_batches"] == feeds.START - 1
    assert result["detection_targets_met"] is True
    assert feeds.incidents(feed) >= 1
    assert "detection targets met" in feeds.markdown("small", result)


def test_an_accepted_step_is_ordinary_after_it_was_accepted() -> None:
    scenario = feeds.Scenario(event="accepted", change="mean_shift", accept_after=2)
    assert [scenario.ordinary(t) for t in range(feeds.START - 1, feeds.START + 5)] == [
        True,
        False,
        False,
        False,
        True,
        True,
    ]
    gradual = feeds.Scenario(event="gradual", change="null_jump")
    assert [round(gradual.factor(t), 2) for t in range(feeds.START, feeds.START + 7)] == [
        0.33,
        0.67,
        1.0,
        1.33,
        1.67,
        2.0,
        2.0,
    ]


def test_the_replay_learns_the_spread_from_days_that_came_back() -> None:
    from bench.monitor.replay import _recent

    # day 3 alerted on delay and day 4 did not: it came back; days 5 and 6 go on alerting on fee
    alerted = [(1, set()), (2, set()), (3, {"delay"}), (4, set()), (5, {"fee"}), (6, {"fee"})]
    assert _recent([0, 1, 2, 4], alerted) == [4, 3, 2, 1]
