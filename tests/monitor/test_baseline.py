"""Clean baselines, accepted changes, pins and run names, on a DuckDB file and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from rowsift.exceptions import UsageError
from rowsift.monitor.baseline import window_baseline
from rowsift.monitor.decisions import baseline_state, decide
from rowsift.monitor.drift import compare, merge
from rowsift.monitor.measure import measure_batch
from rowsift.monitor.metrics import bin_edges
from rowsift.monitor.record import Recorded, record_run
from rowsift.monitor.settings import DriftSettings, MonitorSettings
from rowsift.monitor.store import RunRecord, SqlStore, open_store

START = datetime(2026, 3, 1, tzinfo=UTC)
CITIES = ["Oslo", "Rome", "Lima", "Pune"]


def _frame(
    seed: int, *, rows: int = 2_000, fee: float = 0.0, new_city: float = 0.0
) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    city = rng.choice(CITIES, rows, p=[0.4, 0.3, 0.2, 0.1]).astype(object)
    city[rng.random(rows) < new_city] = "Kyiv"
    return pl.DataFrame(
        {
            "fee": rng.normal(10 + fee, 2, rows),
            "city": city.astype(str),
            "qty": rng.poisson(3, rows),
        }
    )


class Feed:
    """Batches recorded one after the other into one store, as `rowsift run` records them."""

    def __init__(self, store: SqlStore, settings: MonitorSettings | None = None) -> None:
        self.store = store
        self.settings = settings or MonitorSettings()
        self.t = 0

    def add(self, frame: pl.DataFrame, *, status: str = "pass") -> Recorded:
        self.t += 1
        moment = (START + timedelta(minutes=self.t)).isoformat(timespec="microseconds")
        run = RunRecord(
            run_id=f"20260301T0000{self.t:02d}Z-{self.t:06x}",
            dataset="orders",
            batch=f"b{self.t:02d}",
            started_at=moment,
            finished_at=moment,
            status=status,
            rows_in=frame.height,
            rows_clean=frame.height,
            rows_quarantined=0,
        )
        return record_run(self.store, run, frame, settings=self.settings)


def _subjects(recorded: Recorded) -> set[str]:
    return {alert.subject for alert in recorded.assessment.alerts}


@pytest.fixture(params=["duckdb", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> SqlStore:
    if request.param == "duckdb":
        return open_store(tmp_path / "store.duckdb")
    return open_store(request.getfixturevalue("fresh_postgres"))


def test_a_one_batch_spike_stays_out_of_later_baselines(store: SqlStore) -> None:
    feed = Feed(store)
    for seed in range(8):
        assert not feed.add(_frame(seed)).assessment.alerts
    spike = feed.add(_frame(100, new_city=0.15))
    assert "city" in _subjects(spike)
    after = [feed.add(_frame(seed)) for seed in range(200, 208)]
    assert [_subjects(r) for r in after] == [set()] * 8
    first = after[0].assessment.baseline
    assert spike.run.run_id not in first.run_ids
    assert first.left_out == ((spike.run.run_id, "raised an alert"),)
    incidents = store.incidents(dataset="orders")
    assert [(i.subject, i.count, i.status) for i in incidents] == [("city", 1, "resolved")]


def test_a_failed_batch_stays_out_and_the_rule_can_be_turned_off(tmp_path: Path) -> None:
    feed = Feed(open_store(tmp_path / "a.duckdb"))
    for seed in range(3):
        feed.add(_frame(seed))
    failed = feed.add(_frame(3), status="fail")
    assert feed.add(_frame(4)).assessment.baseline.left_out == ((failed.run.run_id, "failed"),)
    loose = Feed(open_store(tmp_path / "b.duckdb"), MonitorSettings(exclude_alerted=False))
    for seed in range(3):
        loose.add(_frame(seed))
    spike = loose.add(_frame(9, new_city=0.15))
    assert spike.run.run_id in loose.add(_frame(10)).assessment.baseline.run_ids


def test_one_outlying_batch_in_the_window_does_not_move_the_baseline() -> None:
    ordinary = [measure_batch(_frame(seed)) for seed in range(6)]
    edges = bin_edges(ordinary[0])
    ordinary = [measure_batch(_frame(seed), edges=edges) for seed in range(6)]
    outlier = measure_batch(_frame(50, fee=3.0, new_city=0.3), edges=edges)
    window = [*ordinary[:3], outlier, *ordinary[3:]]
    settings = DriftSettings()
    merged = window_baseline(window, settings)
    baseline = merged.metrics
    assert merged.trimmed.keys() >= {"fee", "city"}
    assert "qty" not in merged.trimmed
    for seed in range(300, 310):
        current = measure_batch(_frame(seed), edges=edges)
        assert compare(baseline, current, settings=settings).alerts() == []
    # the plain merge of the same window is moved enough to alert on ordinary batches
    moved = merge(window)
    alerted = [
        compare(moved, measure_batch(_frame(seed), edges=edges), settings=settings).alerts()
        for seed in range(300, 310)
    ]
    assert sum(bool(a) for a in alerted) >= 5


def test_an_accepted_step_is_the_new_normal_from_that_run_on(store: SqlStore) -> None:
    feed = Feed(store)
    for seed in range(6):
        feed.add(_frame(seed))
    step = feed.add(_frame(60, fee=2.0))
    assert "fee" in _subjects(step)
    # unaccepted, the change goes on alerting, as one incident
    stays = [feed.add(_frame(seed, fee=2.0)) for seed in (61, 62)]
    assert all("fee" in _subjects(r) for r in stays)
    [incident] = store.incidents(dataset="orders", status="open")
    assert (incident.subject, incident.count, incident.first_run) == ("fee", 3, step.run.run_id)
    decision = decide(
        store, "accept", run=step.run.run_id[-6:], by="ana", reason="new fee schedule"
    )
    assert [i.resolution for i in decision.resolved] == ["accepted"]
    after = [feed.add(_frame(seed, fee=2.0)) for seed in range(70, 78)]
    assert [_subjects(r) for r in after] == [set()] * 8
    baseline = after[0].assessment.baseline
    # the accepted run, and the runs after it that saw the same change before it was accepted
    assert set(baseline.run_ids) == {step.run.run_id, *(r.run.run_id for r in stays)}
    assert baseline.since == step.run.run_id
    assert store.incidents(dataset="orders", status="open") == []
    [mark] = baseline_state(store).marks
    assert (mark.action, mark.marked_by, mark.reason) == ("accept", "ana", "new fee schedule")


def test_a_pinned_run_is_the_baseline_until_unpinned(store: SqlStore) -> None:
    feed = Feed(store)
    first = feed.add(_frame(0))
    for seed in range(1, 4):
        feed.add(_frame(seed))
    decide(store, "pin", batch="b01", by="ana")
    assert baseline_state(store).pinned == first.run.run_id
    pinned = feed.add(_frame(5)).assessment.baseline
    assert (pinned.run_ids, pinned.pinned) == ((first.run.run_id,), True)
    decide(store, "unpin", by="ana")
    unpinned = feed.add(_frame(6)).assessment.baseline
    assert unpinned.pinned is False
    assert len(unpinned.run_ids) == 5


def test_runs_are_named_by_id_part_batch_or_place(store: SqlStore) -> None:
    feed = Feed(store)
    runs = [feed.add(_frame(seed)).run for seed in range(3)]
    assert store.get("latest").run_id == runs[-1].run_id
    assert store.get("previous").run_id == runs[-2].run_id
    assert store.get("b01").run_id == runs[0].run_id
    assert store.get(runs[1].run_id[-6:]).run_id == runs[1].run_id
    assert store.get(runs[1].run_id[:19]).run_id == runs[1].run_id
    with pytest.raises(UsageError, match="no run 'b99'"):
        store.get("b99")
    other = RunRecord(**{**runs[0].__dict__, "run_id": "x-1", "dataset": "payments"})
    store.record(other)
    with pytest.raises(UsageError, match="ambiguous"):
        store.get("latest")
    with pytest.raises(UsageError, match="several datasets"):
        store.get("b01")
    assert store.get("latest", dataset="orders").run_id == runs[-1].run_id
    with pytest.raises(UsageError, match="say why"):
        decide(store, "accept", run="latest", dataset="orders")


def test_thresholds_rise_to_a_feed_whose_batches_vary_and_changes_still_stand_out(
    tmp_path: Path,
) -> None:
    # each batch's level moves by 0.25 std from batch to batch: far more than sampling noise
    levels = np.random.default_rng(7).normal(0, 0.5, 40)
    edges = bin_edges(measure_batch(_frame(0)))
    batches = [measure_batch(_frame(s, fee=float(levels[s])), edges=edges) for s in range(7)]
    merged = window_baseline(batches, DriftSettings())
    assert merged.tolerance["fee", "wasserstein"] > DriftSettings().wasserstein
    assert ("city", "jensen_shannon") not in merged.tolerance or merged.tolerance[
        "city", "jensen_shannon"
    ] < DriftSettings().jensen_shannon
    ordinary = [measure_batch(_frame(s, fee=float(levels[s])), edges=edges) for s in range(7, 40)]
    plain = merge(batches)
    raw = sum(bool(compare(plain, b).alerts()) for b in ordinary)
    tolerant = sum(
        bool(compare(merged.metrics, b, tolerance=merged.tolerance).alerts()) for b in ordinary
    )
    assert raw >= 20
    # what still alerts are the batches whose level is beyond anything the 7 batches showed
    assert tolerant <= 3
    step = measure_batch(_frame(99, fee=4.0), edges=edges)
    found = compare(merged.metrics, step, tolerance=merged.tolerance).alerts()
    assert [a.subject for a in found] == ["fee"]
    assert "raised from 0.1 by the baseline's own variation" in " ".join(
        f.message for f in compare(merged.metrics, step, tolerance=merged.tolerance).findings
    )


def test_the_first_runs_are_not_left_out_while_the_feed_warms_up(tmp_path: Path) -> None:
    feed = Feed(open_store(tmp_path / "w.duckdb"))
    feed.add(_frame(0))
    noisy = feed.add(_frame(1, fee=3.0))  # judged against one run: too few to leave it out
    assert "fee" in _subjects(noisy)
    later = feed.add(_frame(2)).assessment.baseline
    assert noisy.run.run_id in later.run_ids
    assert later.left_out == ()


def test_weekly_seasonality_compares_a_saturday_with_saturdays() -> None:
    from datetime import date

    from rowsift.monitor.settings import AnomalySettings
    from rowsift.monitor.watch import _anomalies

    def run(day: date, rows: int) -> RunRecord:
        return RunRecord(
            run_id=f"r-{day}",
            dataset="d",
            batch=day.isoformat(),
            started_at="t",
            finished_at="t",
            status="pass",
            rows_in=rows,
            rows_clean=rows,
            rows_quarantined=0,
        )

    days = [date(2026, 2, 28) + timedelta(days=i) for i in range(43)]
    rows = [500 if d.weekday() == 5 else 1_000 + 7 * (i % 5) for i, d in enumerate(days)]
    past = [run(d, r) for d, r in zip(days[:-1], rows[:-1], strict=True)][::-1]
    saturday = run(days[-1], rows[-1])
    assert saturday.batch == "2026-04-11"
    plain = MonitorSettings(anomalies=AnomalySettings(history=42))
    weekly = MonitorSettings(anomalies=AnomalySettings(history=42, seasonality="weekly"))
    assert [a.subject for a in _anomalies(past, saturday, plain)] == ["rows_in"]
    assert _anomalies(past, saturday, weekly) == []


def test_the_usual_variation_counts_excursions_that_passed_not_changes_that_persist() -> None:
    from rowsift.monitor.baseline import select

    def run(t: int, alerts: tuple[str, ...] = (), status: str = "pass") -> RunRecord:
        return RunRecord(
            run_id=f"r{t:02d}",
            dataset="d",
            batch=f"b{t:02d}",
            started_at=f"2026-01-{t + 1:02d}",
            finished_at=f"2026-01-{t + 1:02d}",
            status=status,
            rows_in=10,
            rows_clean=10,
            rows_quarantined=0,
            alerts=tuple({"kind": "drift", "subject": s, "message": s} for s in alerts),
        )

    # oldest first: a stormy day that passed, a failed run, then a change that goes on
    runs = [run(t) for t in range(5)] + [run(5, ("delay",)), run(6), run(7, status="fail")]
    runs += [run(8), run(9, ("fee",)), run(10, ("fee", "delay")), run(11, ("fee",))]
    chosen = select(list(reversed(runs)), [], MonitorSettings(baseline_window=7))
    # the baseline leaves out every run that alerted or failed...
    assert [r.run_id for r in chosen.window] == ["r08", "r06", "r04", "r03", "r02", "r01", "r00"]
    # ...the usual variation keeps the stormy day (r06 came back), not the step on fee
    assert [r.run_id for r in chosen.spread] == ["r08", "r06", "r05", "r04", "r03", "r02", "r01"]


def test_the_tolerance_comes_from_the_spread_batches_the_baseline_from_the_window() -> None:
    edges = bin_edges(measure_batch(_frame(0)))
    calm = [measure_batch(_frame(s), edges=edges) for s in range(5)]
    levels = np.random.default_rng(3).normal(0, 0.6, 5)
    varied = [
        measure_batch(_frame(s, fee=float(x)), edges=edges)
        for s, x in zip(range(10, 15), levels, strict=True)
    ]
    settings = DriftSettings()
    alone = window_baseline(calm, settings)
    wider = window_baseline(calm, settings, spread=[*calm[:2], *varied])
    assert wider.metrics == alone.metrics
    assert wider.trimmed == alone.trimmed
    assert wider.tolerance["fee", "wasserstein"] > 2 * alone.tolerance.get(
        ("fee", "wasserstein"), 0.0
    )
