"""A dataset's history in the metric store as plain data: datasets, timelines, alerts, drift.

The dashboard draws these pages live and `rowsift report --store URL --dataset NAME` writes the
dataset's page as one static file. Only read queries are run, on a store opened read-only, and
history is bounded: runs that finished in the last `days` days.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rowsift.exceptions import UsageError
from rowsift.report.charts import DOTS, timeline
from rowsift.report.run_page import page_from, status_of
from rowsift.report.visible import visible

if TYPE_CHECKING:
    from rowsift.monitor.store import RunRecord, SqlStore

DEFAULT_DAYS = 90
#: rule failure timelines drawn per dataset, the rules with the highest failure rate first
RULE_CHARTS = 8
#: runs listed in the drift heatmap, newest first
HEATMAP_RUNS = 60
#: runs listed per page of the dashboard's runs table (the static page lists them all)
LISTED_RUNS = 100

Link = Callable[[str], str]
"""Turns a run id into the address of its page (the dashboard's route, or none when static)."""


@dataclass(frozen=True, kw_only=True)
class Window:
    """The part of history shown: the last `days` days up to `now`."""

    days: int = DEFAULT_DAYS
    now: datetime | None = None

    @property
    def since(self) -> str:
        """The oldest finishing time shown, as ISO 8601 (how the store keeps times)."""
        moment = (self.now or datetime.now(UTC)) - timedelta(days=self.days)
        return moment.isoformat(timespec="microseconds")


def store_url(given: str | None) -> str:
    """The store to read: the one given, else ``[store] url`` of `rowsift.toml`."""
    from rowsift.monitor.config import find_config

    chosen = given or find_config().store
    if chosen is None:
        raise UsageError(
            "no metric store given", hint="pass --store PATH, or set [store] url in rowsift.toml"
        )
    return chosen


def check_days(days: int) -> int:
    """A history window must be at least one day and at most ten years."""
    if not 1 <= days <= 3650:
        raise UsageError(f"--days must be between 1 and 3650, got {days}", hint="e.g. --days 90")
    return days


def datasets_page(store: SqlStore, window: Window) -> dict[str, Any]:
    """Every dataset with runs in the window: its latest run, counts and alerts."""
    runs = store.runs(since=window.since, rules=False)
    by_dataset: dict[str, list[RunRecord]] = {}
    for run in runs:
        by_dataset.setdefault(run.dataset, []).append(run)
    rows = []
    for name, own in sorted(by_dataset.items()):
        latest = own[0]
        rows.append(
            {
                "name": visible(name, limit=120),
                "key": name,
                "runs": len(own),
                "latest": visible(latest.batch, limit=80),
                "finished": latest.finished_at[:19].replace("T", " "),
                "status": status_of(latest.status),
                "quarantine_rate": latest.quarantine_rate,
                "alerts": sum(len(run.alerts) for run in own),
            }
        )
    return {
        "title": "rowsift dashboard: datasets",
        "store": store.url,
        "days": window.days,
        "datasets": rows,
        "data": {"datasets": len(rows), "runs": len(runs), "days": window.days},
    }


def dataset_page(
    store: SqlStore,
    dataset: str,
    window: Window,
    link: Link,
    *,
    listed: int | None = None,
    start: int = 0,
) -> dict[str, Any]:
    """One dataset's runs in the window: timelines, alert feed, drift heatmap, runs table.

    The timelines and the heatmap cover every run of the window; the runs table lists `listed`
    runs from the `start`-th newest (every run when `listed` is None: the static page).
    """
    runs = store.runs(dataset=dataset, since=window.since)
    if not runs:
        known = sorted({run.dataset for run in store.runs(limit=1000, rules=False)})
        raise UsageError(
            f"no run of dataset {dataset!r} in the last {window.days} days in {store.url}",
            hint=f"known datasets: {', '.join(known[:10]) or 'none'}; or widen --days",
        )
    oldest_first = list(reversed(runs))
    start = min(max(start, 0), len(runs) - 1)
    listing = runs[start : start + listed] if listed is not None else runs
    return {
        "title": f"rowsift history: {visible(dataset, limit=120)}",
        "dataset": visible(dataset, limit=120),
        "store": store.url,
        "days": window.days,
        "charts": _timelines(oldest_first, link),
        "grouped": -(-len(runs) // DOTS) if len(runs) > DOTS else 0,
        "alerts": alert_feed(runs, link),
        "heatmap": _heatmap(runs, link),
        "runs": [_run_row(run, link) for run in listing],
        "listing": {
            "first": start + 1 if listing else 0,
            "last": start + len(listing),
            "total": len(runs),
            "newer": max(start - (listed or 0), 0) if start > 0 else None,
            "older": start + len(listing) if start + len(listing) < len(runs) else None,
        },
        "data": {"dataset": dataset, "runs": len(runs), "days": window.days},
    }


def alerts_page(store: SqlStore, window: Window, link: Link) -> dict[str, Any]:
    """Every alert of every dataset in the window, newest first."""
    runs = store.runs(since=window.since, rules=False)
    feed = alert_feed(runs, link)
    return {
        "title": "rowsift dashboard: alerts",
        "store": store.url,
        "days": window.days,
        "alerts": feed,
        "data": {"alerts": len(feed), "days": window.days},
    }


def alert_feed(runs: Sequence[RunRecord], link: Link) -> list[dict[str, Any]]:
    """The alerts of the runs, newest run first."""
    return [
        {
            "run": run.run_id,
            "href": link(run.run_id),
            "dataset": visible(run.dataset, limit=120),
            "batch": visible(run.batch, limit=80),
            "finished": run.finished_at[:19].replace("T", " "),
            "kind": visible(alert.get("kind", ""), limit=40),
            "subject": visible(alert.get("subject", ""), limit=80),
            "message": visible(alert.get("message", ""), limit=400),
        }
        for run in runs
        for alert in run.alerts
    ]


def _run_row(run: RunRecord, link: Link) -> dict[str, Any]:
    return {
        "id": run.run_id,
        "href": link(run.run_id),
        "batch": visible(run.batch, limit=80),
        "finished": run.finished_at[:19].replace("T", " "),
        "status": status_of(run.status),
        "rows_in": run.rows_in,
        "rows_quarantined": run.rows_quarantined,
        "quarantine_rate": run.quarantine_rate,
        "alerts": len(run.alerts),
    }


def _timelines(runs: Sequence[RunRecord], link: Link) -> list[Any]:
    def points(values: Sequence[float]) -> list[tuple[str, float]]:
        return [
            (f"{run.batch} ({run.finished_at[:10]})", v)
            for run, v in zip(runs, values, strict=True)
        ]

    charts = [
        timeline("Rows in per run (oldest left)", points([float(r.rows_in) for r in runs])),
        timeline(
            "Quarantine rate per run (oldest left)",
            points([r.quarantine_rate for r in runs]),
            percent=True,
        ),
    ]
    rates: dict[str, list[float]] = {}
    for index, run in enumerate(runs):
        for rule in run.rules:
            series = rates.setdefault(rule.rule_id, [0.0] * len(runs))
            series[index] = rule.failed / run.rows_in if run.rows_in else 0.0
    worst = sorted((r for r in rates.items() if max(r[1]) > 0), key=lambda r: -max(r[1]))
    for rule_id, series in worst[:RULE_CHARTS]:
        charts.append(
            timeline(
                f"Failure rate of {visible(rule_id, limit=80)} per run",
                points(series),
                percent=True,
            )
        )
    for chart in charts:
        for dot in chart.lines:
            dot["href"] = link(runs[dot["run"]].run_id)
            dot["alert"] = any(runs[k].alerts for k in dot.pop("runs"))
    return charts


def _heatmap(runs: Sequence[RunRecord], link: Link) -> dict[str, Any]:
    """Batch by column: which columns drifted or changed schema in which run (newest first)."""
    shown = runs[:HEATMAP_RUNS]
    columns: dict[str, None] = {}
    marks: list[set[str]] = []
    for run in shown:
        found = {
            str(alert.get("subject"))
            for alert in run.alerts
            if alert.get("kind") in ("drift", "schema")
        }
        marks.append(found)
        columns.update(dict.fromkeys(sorted(found)))
    return {
        "columns": [visible(name, limit=40) for name in columns],
        "rows": [
            {
                "batch": visible(run.batch, limit=60),
                "href": link(run.run_id),
                "cells": [name in found for name in columns],
            }
            for run, found in zip(shown, marks, strict=True)
        ],
        "runs_total": len(runs),
    }


def stored_run_page(store: SqlStore, run_id: str) -> dict[str, Any]:
    """A run's report from what the store keeps (no examples: they are in its run folder)."""
    run = store.get(run_id)
    summary = {
        "status": run.status,
        "rows_in": run.rows_in,
        "rows_clean": run.rows_clean,
        "rows_quarantined": run.rows_quarantined,
        "rules": [{"id": r.rule_id, "severity": r.severity, "failed": r.failed} for r in run.rules],
        "dataset": [],
        "recipe": {"name": run.recipe_name, "sha256": run.recipe_sha256},
        "input": {"path": run.input_path, "sha256": run.input_sha256},
        "engine": run.engine,
        "started_at": run.started_at,
        "alerts": list(run.alerts),
        "monitor": {
            "store": store.url,
            "dataset": run.dataset,
            "batch": run.batch,
            "run_id": run.run_id,
        },
    }
    details: dict[str, Any] = {
        "recipe": {"name": run.recipe_name, "version": run.recipe_version},
        "profile": run.metrics.to_dict() if run.metrics is not None else None,
        "examples": {"reasons": {}},
    }
    page = page_from(summary, details, source=f"run {run.run_id} in {store.url}")
    page["notes"] = [
        "Rendered from the metric store: counts, rule failures, alerts and the clean output's "
        "profile. Examples of quarantined rows and dataset rules are in the report of the run "
        "folder (rowsift report RUN_DIR)."
    ]
    return page


def write_history_report(
    given_store: str | None, dataset: str | None, target: Path | None, *, days: int = DEFAULT_DAYS
) -> Path:
    """Write a dataset's history as one static HTML page (for a CI artifact); return its path."""
    from rowsift.monitor.store import open_store
    from rowsift.report.html import render, write_html

    if not dataset:
        raise UsageError(
            "a history report needs --dataset (and --store, or [store] url in rowsift.toml)",
            hint="rowsift report --store metrics.duckdb --dataset orders",
        )
    store = open_store(store_url(given_store), read_only=True)
    page = dataset_page(store, dataset, Window(days=check_days(days)), lambda _run_id: "")
    page["static"] = True
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in dataset)[:60] or "dataset"
    return write_html(render("dataset.html.j2", page), target or Path(f"{safe}.history.html"))
