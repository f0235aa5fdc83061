"""Smoke test of the monitoring overhead benchmark's steady state: a full window is judged."""

from __future__ import annotations

from pathlib import Path

from bench.monitor import overhead


def test_the_steady_state_judges_a_batch_against_a_full_window(tmp_path: Path) -> None:
    batch = tmp_path / "wide.parquet"
    overhead.wide_table(1_000, seed=1).write_parquet(batch)
    result = overhead._steady_state({"parquet": batch}, tmp_path, window=3, earlier_rows=1_000)
    assert result["baseline_runs"] == 3
    steps = result["steps_s"]
    assert isinstance(steps, dict)
    assert set(steps) == {"read history", "measure", "judge", "write"}
    assert all(step["cpu"] >= 0 and step["wall"] > 0 for step in steps.values())
