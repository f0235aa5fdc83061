"""Record one run in the store and judge it: measure, compare with the baseline, keep the alerts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from rowsift.monitor.measure import measure
from rowsift.monitor.settings import MonitorSettings
from rowsift.monitor.store import RunRecord, Store
from rowsift.monitor.watch import Assessment, assess, load_history


@dataclass(frozen=True, kw_only=True)
class Recorded:
    """A run as the store now holds it, and the verdict on it."""

    run: RunRecord
    assessment: Assessment


def new_run_id(now: datetime | None = None) -> str:
    """A run id that sorts by time and does not collide: ``20261126T171200Z-3fa2c1``.

    >>> new_run_id(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))[:17]
    '20260102T030405Z-'
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def record_run(store: Store, run: RunRecord, clean: Any, *, settings: MonitorSettings) -> Recorded:
    """Measure `clean` with the bins of the dataset's history, judge it, and store it whole."""
    history = load_history(store, run.dataset, settings)
    measured = replace(run, metrics=measure(clean, edges=history.edges))
    assessment = assess(store, history, measured, settings=settings)
    stored = replace(measured, alerts=tuple(alert.to_dict() for alert in assessment.alerts))
    store.record(stored)
    return Recorded(run=stored, assessment=assessment)
