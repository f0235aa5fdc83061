"""Monitoring benchmark: do drift and anomaly alerts fire on real changes, and only on them?

Several feeds of a realistic mixed table (normal, log-normal and count columns, skewed
categoricals, a flag, an id, a date, some nulls; each feed draws its own parameters) deliver
batches of varying size (1,000 to 50,000 rows; each feed has its own level and about 10% noise
from batch to batch). Every batch is measured with the bins of its feed's first batch and judged
the way the monitor judges it: `compare` against the merge of the previous 7 batches, and
`detect` on the row count against the previous 14. An alert on such an unchanged batch is a
false alarm. Each judged batch is also judged again with one change injected, one kind at a time:

- ``mean_shift``: a numeric column moves by 0.25 to 1 standard deviation;
- ``new_category``: a categorical column gets a new value on 1% to 5% of its rows;
- ``null_jump``: a column's null rate rises by 5 to 10 points;
- ``volume_drop``: the batch has half its rows;
- ``retyped``: a numeric column arrives as text.

A change is detected when an alert of the right kind names the changed column (the row count
for a volume drop). The targets: at least 95% of each kind detected, at most 1 false alarm per
100 unchanged batches.

    .venv/bin/python -m bench.monitor.evaluate                       # 6 feeds x 60 batches
    .venv/bin/python -m bench.monitor.evaluate --feeds 2 --batches 20  # a quick look
    .venv/bin/python -m bench.monitor.evaluate --timing              # compare/measure, 1M x 200
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import numpy as np
import polars as pl

from rowsift.monitor.alerts import Alert
from rowsift.monitor.anomaly import detect
from rowsift.monitor.drift import compare, merge
from rowsift.monitor.measure import measure_batch
from rowsift.monitor.metrics import BatchMetrics, bin_edges
from rowsift.monitor.settings import AnomalySettings, DriftSettings

RESULTS = Path(__file__).parent / "results"
Change = Literal["mean_shift", "new_category", "null_jump", "volume_drop", "retyped"]
CHANGES: tuple[Change, ...] = ("mean_shift", "new_category", "null_jump", "volume_drop", "retyped")
ColumnKind = Literal["normal", "lognormal", "count", "category", "flag"]
NUMERIC: tuple[ColumnKind, ...] = ("normal", "lognormal", "count")
WINDOW = 7
MIN_ROWS, MAX_ROWS = 1_000, 50_000
VOLUME_NOISE = 0.10
TARGET_DETECTION = 0.95
TARGET_FALSE_ALARMS = 1.0


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True, kw_only=True)
class ColumnSpec:
    """How one column is drawn: a distribution, its parameters and a null rate."""

    name: str
    kind: ColumnKind
    a: float = 0.0
    b: float = 1.0
    null_rate: float = 0.0
    labels: tuple[str, ...] = ()
    shares: tuple[float, ...] = ()

    @property
    def std(self) -> float:
        """The standard deviation of the column's distribution (numeric columns)."""
        if self.kind == "normal":
            return self.b
        if self.kind == "lognormal":
            return math.sqrt((math.exp(self.b**2) - 1) * math.exp(2 * self.a + self.b**2))
        return math.sqrt(self.a)  # a Poisson count of mean a


@dataclass(frozen=True, kw_only=True)
class TableSpec:
    """A feed's table: an id, a date and a mix of drawn columns."""

    columns: tuple[ColumnSpec, ...] = field(default_factory=tuple)

    def of(self, *kinds: ColumnKind) -> list[ColumnSpec]:
        """The columns of the given kinds."""
        return [column for column in self.columns if column.kind in kinds]


def table_spec(rng: np.random.Generator) -> TableSpec:
    """A realistic mix of 30 drawn columns, its parameters drawn from `rng`."""
    columns: list[ColumnSpec] = []

    def nulls() -> float:
        # two columns in five have some missing values, from 0.2% to 5%
        return float(rng.uniform(0.002, 0.05)) if rng.random() < 0.4 else 0.0

    for i in range(8):
        scale = float(10 ** rng.uniform(-1, 3))
        columns.append(
            ColumnSpec(
                name=f"measure_{i}",
                kind="normal",
                a=float(rng.uniform(-2, 10)) * scale,
                b=scale,
                null_rate=nulls(),
            )
        )
    for i in range(7):
        columns.append(
            ColumnSpec(
                name=f"amount_{i}",
                kind="lognormal",
                a=float(rng.uniform(0, 6)),
                b=float(rng.uniform(0.3, 1.2)),
                null_rate=nulls(),
            )
        )
    for i, mean in enumerate((0.3, 1.0, 3.0, 8.0, 25.0)):
        columns.append(ColumnSpec(name=f"count_{i}", kind="count", a=mean, null_rate=nulls()))
    for i, size in enumerate((2, 3, 5, 8, 12, 30, 80, 200)):
        # Zipf-like shares: a few frequent values and a long tail
        weights = 1 / np.arange(1, size + 1) ** rng.uniform(0.8, 1.5)
        columns.append(
            ColumnSpec(
                name=f"category_{i}",
                kind="category",
                labels=tuple(f"c{i}_{k}" for k in range(size)),
                shares=tuple(float(w) for w in weights / weights.sum()),
                null_rate=nulls(),
            )
        )
    for i in range(2):
        columns.append(ColumnSpec(name=f"flag_{i}", kind="flag", a=float(rng.uniform(0.05, 0.5))))
    return TableSpec(columns=tuple(columns))


def draw(
    column: ColumnSpec, rows: int, rng: np.random.Generator, *, shift: float = 0.0
) -> pl.Series:
    """`rows` values of one column; `shift` moves a numeric column's mean by that many std."""
    values: Any
    if column.kind == "normal":
        values = rng.normal(column.a + shift * column.std, column.b, rows)
    elif column.kind == "lognormal":
        values = rng.lognormal(column.a, column.b, rows) + shift * column.std
    elif column.kind == "count":
        values = rng.poisson(column.a + shift * column.std, rows)
    elif column.kind == "category":
        values = np.array(column.labels)[rng.choice(len(column.labels), rows, p=column.shares)]
    else:
        values = rng.random(rows) < column.a
    series = pl.Series(column.name, values)
    if column.null_rate:
        series = pl.select(
            pl.when(pl.Series(rng.random(rows) < column.null_rate)).then(None).otherwise(series)
        ).to_series()
    return series.alias(column.name)


def batch(
    spec: TableSpec, rows: int, rng: np.random.Generator, *, first_id: int, day: date
) -> pl.DataFrame:
    """One batch of the feed: an increasing id, the batch's date, every drawn column."""
    ids = pl.Series("id", np.arange(first_id, first_id + rows, dtype=np.int64))
    created = pl.Series("created", [day] * rows, dtype=pl.Date)
    return pl.DataFrame([ids, created, *(draw(c, rows, rng) for c in spec.columns)])


# --------------------------------------------------------------------------- judging


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The drift and anomaly settings under test."""

    drift: DriftSettings = field(default_factory=DriftSettings)
    anomalies: AnomalySettings = field(default_factory=AnomalySettings)


def judge(
    baseline: BatchMetrics,
    current: BatchMetrics,
    volumes: Sequence[int],
    settings: Settings,
) -> list[Alert]:
    """Every alert the monitor raises on `current`: drift, schema, and row-count anomaly."""
    alerts = compare(baseline, current, settings=settings.drift).alerts()
    rows = detect(
        "rows", [float(v) for v in volumes], float(current.rows), settings=settings.anomalies
    )
    return alerts if rows is None else [*alerts, rows]


def injected(
    change: Change,
    spec: TableSpec,
    frame: pl.DataFrame,
    metrics: BatchMetrics,
    edges: dict[str, tuple[float, ...]],
    rng: np.random.Generator,
) -> tuple[BatchMetrics, str, dict[str, Any]]:
    """The batch's metrics with one change, the subject its alert must name, and the change."""
    if change == "volume_drop":
        half = frame.sample(n=frame.height // 2, seed=int(rng.integers(2**31)))
        return measure_batch(half, edges=edges), "rows", {"rows": half.height}
    if change == "mean_shift":
        column = _pick(spec.of(*NUMERIC), rng)
        size = float(rng.uniform(0.25, 1.0))
        nulls = frame[column.name].is_null()
        moved = draw(replace(column, null_rate=0.0), frame.height, rng, shift=size)
        series = pl.select(pl.when(nulls).then(None).otherwise(moved)).to_series()
        detail: dict[str, Any] = {"column": column.name, "std": size, "kind": column.kind}
    elif change == "new_category":
        column = _pick(spec.of("category"), rng)
        share = float(rng.uniform(0.01, 0.05))
        chosen = pl.Series(rng.random(frame.height) < share)
        original = frame[column.name]
        series = pl.select(
            pl.when(chosen & original.is_not_null()).then(pl.lit("NEW")).otherwise(original)
        ).to_series()
        detail = {"column": column.name, "share": share, "values": len(column.labels)}
    elif change == "null_jump":
        column = _pick(spec.of(*NUMERIC, "category"), rng)
        jump = float(rng.uniform(0.05, 0.10))
        extra = jump / (1 - column.null_rate)
        emptied = pl.Series(rng.random(frame.height) < extra)
        original = frame[column.name]
        series = pl.select(pl.when(emptied).then(None).otherwise(original)).to_series()
        detail = {"column": column.name, "from": column.null_rate, "jump": jump}
    else:
        column = _pick(spec.of(*NUMERIC), rng)
        series = frame[column.name].cast(pl.String)
        detail = {"column": column.name, "kind": column.kind}
    # the other columns are unchanged, and a column's metrics depend on that column alone
    changed = measure_batch(pl.DataFrame([series.alias(column.name)]), edges=edges)
    return (
        replace(metrics, columns={**metrics.columns, **changed.columns}),
        column.name,
        detail,
    )


def _pick(columns: Sequence[ColumnSpec], rng: np.random.Generator) -> ColumnSpec:
    return columns[int(rng.integers(len(columns)))]


def _expected(change: Change) -> tuple[str, ...]:
    """The alert kinds that report each change."""
    if change == "volume_drop":
        return ("anomaly", "volume")
    return ("schema",) if change == "retyped" else ("drift",)


# --------------------------------------------------------------------------- the run


def run_feed(feed: int, batches: int, settings: Settings, seed: int) -> dict[str, Any]:
    """Every judged batch of one feed: its false alarms and its injected changes."""
    rng = np.random.default_rng([seed, feed])
    spec = table_spec(rng)
    level = math.exp(rng.uniform(math.log(MIN_ROWS * 1.3), math.log(MAX_ROWS / 1.3)))
    history: list[BatchMetrics] = []
    volumes: list[int] = []
    edges: dict[str, tuple[float, ...]] = {}
    unchanged: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    first_id = 0
    for t in range(batches):
        noise = math.exp(rng.normal(0, VOLUME_NOISE))
        rows = int(min(max(round(level * noise), MIN_ROWS), MAX_ROWS))
        frame = batch(
            spec,
            rows,
            np.random.default_rng([seed, feed, t]),
            first_id=first_id,
            day=date(2026, 1, 1) + timedelta(days=t),
        )
        first_id += rows
        metrics = measure_batch(frame, edges=edges or None)
        if not edges:
            edges = bin_edges(metrics)
        if t >= WINDOW:
            baseline = merge(history[-WINDOW:])
            past = volumes[-settings.anomalies.history :]
            alerts = judge(baseline, metrics, past, settings)
            unchanged.append(
                {"batch": t, "rows": rows, "alerts": [alert.message for alert in alerts]}
            )
            for k, change in enumerate(CHANGES):
                changed, subject, detail = injected(
                    change, spec, frame, metrics, edges, np.random.default_rng([seed, feed, t, k])
                )
                raised = judge(baseline, changed, past, settings)
                hit = [a for a in raised if a.subject == subject and a.kind in _expected(change)]
                changes.append(
                    {
                        "change": change,
                        "batch": t,
                        "rows": changed.rows,
                        **detail,
                        "detected": bool(hit),
                        "alert": hit[0].message if hit else None,
                        "other_alerts": [a.message for a in raised if a not in hit],
                    }
                )
        history.append(metrics)
        volumes.append(rows)
    return {"feed": feed, "level": round(level), "unchanged": unchanged, "changes": changes}


def summary(feeds: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Detection per change kind and false alarms per 100 unchanged batches."""
    unchanged = [b for feed in feeds for b in feed["unchanged"]]
    changes = [c for feed in feeds for c in feed["changes"]]
    alarmed = [b for b in unchanged if b["alerts"]]
    per_kind = {}
    for change in CHANGES:
        tried = [c for c in changes if c["change"] == change]
        found = sum(c["detected"] for c in tried)
        per_kind[change] = {
            "injected": len(tried),
            "detected": found,
            "rate": found / len(tried) if tried else math.nan,
            "missed": [
                {k: v for k, v in c.items() if k not in ("alert", "other_alerts")}
                for c in tried
                if not c["detected"]
            ][:20],
        }
    false_alarms = 100 * len(alarmed) / len(unchanged) if unchanged else math.nan
    return {
        "unchanged_batches": len(unchanged),
        "rows": {
            "min": min(b["rows"] for b in unchanged),
            "median": statistics.median(b["rows"] for b in unchanged),
            "max": max(b["rows"] for b in unchanged),
        },
        "false_alarms_per_100": false_alarms,
        "false_alarm_messages": Counter(m for b in alarmed for m in b["alerts"]).most_common(20),
        "detection": per_kind,
        "targets_met": false_alarms <= TARGET_FALSE_ALARMS
        and all(k["rate"] >= TARGET_DETECTION for k in per_kind.values()),
        "collateral_alerts_per_100_changes": 100
        * sum(bool(c["other_alerts"]) for c in changes if c["change"] != "volume_drop")
        / max(1, sum(c["change"] != "volume_drop" for c in changes)),
    }


def markdown(result: dict[str, Any]) -> str:
    """The figures as a Markdown table."""
    lines = ["| change | injected | detected | rate |", "|---|---:|---:|---:|"]
    for change, kind in result["detection"].items():
        lines.append(f"| {change} | {kind['injected']} | {kind['detected']} | {kind['rate']:.1%} |")
    lines.append(
        f"\nfalse alarms: {result['false_alarms_per_100']:.2f} per 100 unchanged batches "
        f"({result['unchanged_batches']} batches of {result['rows']['min']:,} to "
        f"{result['rows']['max']:,} rows, median {result['rows']['median']:,.0f})"
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------- timing


def wide(rows: int, seed: int, *, columns: int = 200) -> pl.DataFrame:
    """A wide batch for timing: 60% floats, 20% counts, 20% skewed categoricals."""
    rng = np.random.default_rng(seed)
    floats, counts = columns * 3 // 5, columns // 5
    labels = np.array([f"v{k}" for k in range(40)])
    weights = 1 / np.arange(1, 41)
    data: dict[str, Any] = {}
    for i in range(floats):
        data[f"f{i}"] = rng.normal(i, 1 + i % 5, rows)
    for i in range(counts):
        data[f"k{i}"] = rng.poisson(1 + i % 9, rows)
    for i in range(columns - floats - counts):
        data[f"c{i}"] = labels[rng.choice(40, rows, p=weights / weights.sum())]
    return pl.DataFrame(data)


def timing(rows: int, repeat: int) -> dict[str, Any]:
    """Seconds (wall and CPU) to measure a rows x 200 batch and to compare two measured ones."""
    first, second = wide(rows, 1), wide(rows, 2)
    measure_batch(first.head(1000))  # imports and first-call set-up are not the batch's cost
    measured: list[tuple[float, float]] = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        baseline = measure_batch(first)
        measured.append((time.perf_counter() - wall, time.process_time() - cpu))
    current = measure_batch(second, edges=bin_edges(baseline))
    compared: list[tuple[float, float]] = []
    for _ in range(max(repeat, 5)):
        wall, cpu = time.perf_counter(), time.process_time()
        report = compare(baseline, current)
        compared.append((time.perf_counter() - wall, time.process_time() - cpu))
    return {
        "rows": rows,
        "columns": first.width,
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "measure_wall_s": [w for w, _ in measured],
        "measure_cpu_s": [c for _, c in measured],
        "measure_median_wall_s": statistics.median(w for w, _ in measured),
        "compare_wall_s": [w for w, _ in compared],
        "compare_cpu_s": [c for _, c in compared],
        "compare_median_wall_s": statistics.median(w for w, _ in compared),
        "findings": len(report.findings),
        "alerts": len(report.alerts()),
    }


def _settings(overrides: Sequence[str]) -> Settings:
    """The default settings with `group.name=value` overrides."""
    settings = Settings()
    for override in overrides:
        key, _, text = override.partition("=")
        group, _, name = key.partition(".")
        if group not in ("drift", "anomalies"):
            raise SystemExit(f"--set {override}: the group is drift or anomalies")
        current = getattr(settings, group)
        old = getattr(current, name)
        value = type(old)(text) if not isinstance(old, str) else text
        settings = replace(settings, **{group: replace(current, **{name: value})})
    return settings


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark, print the figures and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=6)
    parser.add_argument("--batches", type=int, default=60, help="batches per feed")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--timing", action="store_true", help="time measure and compare only")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the timed batch")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="GROUP.NAME=VALUE",
        help="try another setting, e.g. --set anomalies.threshold=3.5 --set drift.alpha=0.001",
    )
    args = parser.parse_args(argv)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    if args.timing:
        result = timing(args.rows, args.repeat)
        print(json.dumps(result, indent=2))
        (RESULTS / f"timing-{stamp}.json").write_text(json.dumps(result, indent=2))
        return
    settings = _settings(args.set)
    started = time.perf_counter()
    feeds = []
    for feed in range(args.feeds):
        feeds.append(run_feed(feed, args.batches, settings, args.seed))
        print(f"feed {feed}: done after {time.perf_counter() - started:.0f} s", flush=True)
    result = {
        "seed": args.seed,
        "overrides": args.set,
        "feeds": args.feeds,
        "feed_levels": [feed["level"] for feed in feeds],
        "batches_per_feed": args.batches,
        "drift": asdict(settings.drift),
        "anomalies": asdict(settings.anomalies),
        **summary(feeds),
        "seconds": time.perf_counter() - started,
    }
    print(markdown(result))
    print("targets met" if result["targets_met"] else "targets MISSED")
    # the summary, its missed changes and its false alarms; not every batch (megabytes)
    (RESULTS / f"evaluate-{stamp}.json").write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
