"""Every real day of 2013 judged against the days before it, fast: why ordinary days alert.

Each day is measured once; day after day, the clean runs form the window (an alerting day is
left out of later baselines, as the monitor does), the window is merged and every day is
compared with it. Only drift is judged (no anomalies, no store), so a half-year takes a few
minutes instead of the feeds' recording path. Reported: days that alerted per 100, on flights
also on calm days (`feeds.Flights.disrupted` false), which column and check fired, and how often a
change injected into the day (as in feeds.py: +0.5 std, a new category on 10% of rows, 10 more
points of nulls) would have been found against the same window.

``--spread clean`` learns the thresholds' tolerance from the clean window alone (the rule before
2026-12-04); ``recent`` (the monitor's rule) from the recent runs that did not fail, counting an
alerted day once a later day came back.

    .venv/bin/python -m bench.monitor.replay --source flights --days first
    .venv/bin/python -m bench.monitor.replay --source flights --days first --spread clean
    .venv/bin/python -m bench.monitor.replay --source weather --factor 4.5
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

import numpy as np

from bench.monitor import feeds
from rowsift.monitor import baseline
from rowsift.monitor.drift import compare
from rowsift.monitor.measure import measure_batch
from rowsift.monitor.metrics import BatchMetrics, bin_edges
from rowsift.monitor.settings import DriftSettings

WINDOW = 7
CHANGES: tuple[feeds.Change, ...] = ("mean_shift", "new_category", "null_jump")


def replay(source: feeds.Flights, low: int, high: int, spread: str) -> dict[str, Any]:
    """Judge days `low`..`high` of 2013 one after the other; what alerted and what was found."""
    settings = DriftSettings()
    first = measure_batch(source.batch(low))
    edges = bin_edges(first)
    days: dict[int, BatchMetrics] = {low: first}
    clean: list[int] = [low]
    alerted: list[tuple[int, set[str]]] = []  # every judged day and what it alerted on
    fired: Counter[str] = Counter()
    found: dict[str, list[bool]] = {change: [] for change in CHANGES}
    calm = calm_alerted = judged = alarms = 0
    for t in range(low + 1, high):
        frame = source.batch(t - source.offset)
        days[t] = measure_batch(frame, edges=edges)
        window = [days[i] for i in clean[-WINDOW:]]
        recent = window if spread == "clean" else [days[i] for i in _recent(clean, alerted)]
        merged = baseline.window_baseline(window, settings, spread=recent)
        report = compare(merged.metrics, days[t], settings=settings, tolerance=merged.tolerance)
        subjects = {f.column for f in report.findings if f.drifted}
        warm = len(clean) < baseline.WARM_UP
        alerted.append((t, subjects))
        if not warm:
            judged += 1
            alarms += bool(subjects)
            fired.update(f"{f.column} {f.check}" for f in report.findings if f.drifted)
            disrupted = source.disrupted(t - source.offset)
            if disrupted is False:
                calm += 1
                calm_alerted += bool(subjects)
        if not subjects or warm:
            clean.append(t)
        if len(clean) >= WINDOW and t % 2 == 0:
            rng = np.random.default_rng(t)
            for change in CHANGES:
                changed, subject = feeds.changed(frame, source, change, feeds.SIZES[change], rng)
                moved = compare(
                    merged.metrics,
                    measure_batch(changed, edges=edges),
                    settings=settings,
                    tolerance=merged.tolerance,
                )
                found[change].append(any(f.drifted and f.column == subject for f in moved.findings))
    return {
        "days_judged": judged,
        "alerts_per_100_days": 100 * alarms / judged if judged else None,
        "calm_days": calm,
        "alerts_per_100_calm_days": 100 * calm_alerted / calm if calm else None,
        "checks": dict(fired.most_common(12)),
        "found_per_100": {c: 100 * float(np.mean(v)) for c, v in found.items() if v},
    }


def _recent(clean: list[int], alerted: list[tuple[int, set[str]]]) -> list[int]:
    """The newest days that are clean, or alerted and then came back (baseline._spread)."""
    chosen: list[int] = []
    later: list[set[str]] = []
    for t, subjects in reversed(alerted):
        if t in clean or any(not subjects & newer for newer in later):
            chosen.append(t)
            if len(chosen) == WINDOW:
                break
        later.append(subjects)
    return chosen


def main(argv: list[str] | None = None) -> None:
    """Replay one real feed and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=["flights", "weather"], default="flights")
    parser.add_argument("--days", choices=list(feeds.DAYS), default="first")
    parser.add_argument("--spread", choices=["recent", "clean"], default="recent")
    parser.add_argument("--factor", type=float, default=None, help="another TOLERANCE_FACTOR")
    args = parser.parse_args(argv)
    if args.factor is not None:
        baseline.TOLERANCE_FACTOR = args.factor
    low, high = feeds.DAYS[args.days]
    source = feeds.SOURCES[args.source](offset=0)  # type: ignore[call-arg]
    result = replay(source, low, min(high, 364), args.spread)  # type: ignore[arg-type]
    print(
        f"{args.source}, days {low}..{min(high, 364)}, spread {args.spread}, factor "
        f"{baseline.TOLERANCE_FACTOR:.2f}"
    )
    for key, value in result.items():
        print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
