"""The log cut into windows (by time or by rows), each scored and compared with the baseline."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, cast

import numpy as np
import polars as pl
from numpy.typing import NDArray

from rowsift.monitor.alerts import Alert
from rowsift.monitor.drift import DriftReport, compare
from rowsift.monitor.measure import measure_batch
from rowsift.monitor.metrics import BatchMetrics
from rowsift.monitor.model.quality import (
    CLASSIFICATION_METRICS,
    DISPLAY_NAMES,
    LOWER_IS_BETTER,
    REGRESSION_METRICS,
    Label,
    MetricName,
    Metrics,
    classification_metrics,
    regression_metrics,
    roc_auc,
)
from rowsift.monitor.model.report import WindowReport
from rowsift.monitor.model.task import ModelTask
from rowsift.monitor.settings import DriftSettings

#: whether a drifted column is an input of the model or its output
Scope = Literal["feature", "output"]
#: each row's window, named like rowsift's own columns so that no metric covers it
WINDOW = "_rowsift_window"
_EPSILON = 1e-12


@dataclass(frozen=True, kw_only=True)
class Baseline:
    metrics: BatchMetrics
    quality: Metrics


def compared(
    report: WindowReport,
    part: pl.DataFrame,
    baseline: Baseline,
    *,
    edges: Mapping[str, Sequence[float]],
    features: list[str],
    outputs: list[str],
    metric: MetricName,
    drift: DriftSettings,
    max_drop: float,
) -> WindowReport:
    """The window with its drift from the baseline and the alerts both raise."""
    current = measure_batch(part.select(features + outputs), edges=edges)
    feature_drift = compare(
        _subset(baseline.metrics, features), _subset(current, features), settings=drift
    )
    prediction_drift = compare(
        _subset(baseline.metrics, outputs), _subset(current, outputs), settings=drift
    )
    alerts = [
        *_performance_alert(report, baseline.quality, metric, max_drop),
        *_window_alerts(report.label, feature_drift, "feature"),
        *_window_alerts(report.label, prediction_drift, "output"),
    ]
    return WindowReport(
        label=report.label,
        start=report.start,
        end=report.end,
        rows=report.rows,
        labelled=report.labelled,
        baseline=False,
        metrics=report.metrics,
        feature_drift=feature_drift,
        prediction_drift=prediction_drift,
        alerts=tuple(alerts),
    )


def _performance_alert(
    report: WindowReport, baseline: Metrics, metric: MetricName, max_drop: float
) -> list[Alert]:
    """One alert when the metric has fallen past `max_drop` from the baseline's value."""
    value, reference = report.metrics.get(metric), baseline.get(metric)
    if value is None or reference is None:
        return []
    name = DISPLAY_NAMES[metric]
    if metric in LOWER_IS_BETTER:
        # against a perfect baseline, any error at all is an unbounded rise
        unbounded = math.inf if value > 0 else 0.0
        rise = (value - reference) / reference if reference > 0 else unbounded
        if not rise > max_drop + _EPSILON:
            return []
        change = f"above by {rise:.1%} (max rise {max_drop:.1%})"
        shown = f"{name} {value:.4g} in window {report.label} vs {reference:.4g} baseline"
        loss = rise
    else:
        loss = reference - value
        if not loss > max_drop + _EPSILON:
            return []
        change = f"below by {loss:.2f} (max drop {max_drop:g})"
        shown = f"{name} {value:.2f} in window {report.label} vs {reference:.2f} baseline"
    return [
        Alert(
            kind="performance",
            subject=metric,
            message=f"{shown}: {change}; consider retraining",
            details={
                "window": report.label,
                "metric": metric,
                "value": value,
                "baseline": reference,
                "drop": loss if math.isfinite(loss) else None,
                "max_drop": max_drop,
                "labelled": report.labelled,
            },
        )
    ]


def _window_alerts(label: str, report: DriftReport, scope: Scope) -> list[Alert]:
    """The drift report's alerts, each saying which window and whether a feature or output."""
    return [
        Alert(
            kind=alert.kind,
            subject=alert.subject,
            message=f"window {label}: {scope} {alert.message}",
            details={**alert.details, "window": label, "scope": scope},
        )
        for alert in report.alerts()
    ]


def _subset(metrics: BatchMetrics, names: Sequence[str]) -> BatchMetrics:
    return BatchMetrics(
        rows=metrics.rows, columns={n: metrics.columns[n] for n in names if n in metrics.columns}
    )


_DAYS = re.compile(r"^([0-9]+)d$")


def cut_windows(
    frame: pl.DataFrame, timestamp: str | None, window: str | int
) -> tuple[pl.DataFrame, str]:
    """The rows in time order, each with its window's key (rows without a time are dropped).

    A window of a duration starts where Polars' calendar puts it (a day at midnight, a week on
    Monday, a month on its first), but a window of several days starts on the day of the first
    prediction: counted from 1970, `90d` windows began on 16 November 2012 for a log that
    starts on 1 January 2013, and its first, baseline, window held 44 days.

    >>> from datetime import datetime
    >>> log = pl.DataFrame({"t": [datetime(2013, 1, 1), datetime(2013, 3, 31),
    ...                           datetime(2013, 4, 1, 12)]})
    >>> cut_windows(log, "t", "90d")[0][WINDOW].dt.date().to_list()
    [datetime.date(2013, 1, 1), datetime.date(2013, 1, 1), datetime.date(2013, 4, 1)]
    """
    if isinstance(window, str):
        assert timestamp is not None  # require checked it
        ordered = frame.filter(pl.col(timestamp).is_not_null()).sort(timestamp, maintain_order=True)
        days = _DAYS.match(window)
        if days is None or int(days.group(1)) == 1 or not len(ordered):
            return ordered.with_columns(pl.col(timestamp).dt.truncate(window).alias(WINDOW)), window
        # counted in calendar days (a zoned log is read in UTC: `log.py`), from the first's
        origin = ordered.get_column(timestamp).dt.date()[0]
        elapsed = (pl.col(timestamp).dt.date() - pl.lit(origin)).dt.total_days()
        span = int(days.group(1))
        start = pl.lit(origin) + pl.duration(days=elapsed // span * span)
        return ordered.with_columns(start.cast(ordered.schema[timestamp]).alias(WINDOW)), window
    ordered = frame
    if timestamp is not None:
        ordered = frame.sort(timestamp, nulls_last=True, maintain_order=True)
    keyed = ordered.with_columns((pl.int_range(pl.len(), dtype=pl.Int64) // window).alias(WINDOW))
    return keyed, f"{window} rows"


def window_bounds(
    key: Any, part: pl.DataFrame, timestamp: str | None, window: str | int, *, daily: bool
) -> tuple[str, str | None, str | None]:
    """A window's name, and its first and last instants."""
    if isinstance(window, str):
        start = cast(datetime, key)
        end = pl.Series([start]).dt.offset_by(window).item()
        name = start.date().isoformat() if daily else start.isoformat(sep=" ", timespec="minutes")
        return name, start.isoformat(), cast(datetime, end).isoformat()
    first = int(key) * window
    name = f"rows {first + 1}-{first + part.height}"
    if timestamp is None:
        return name, None, None
    stamps = part.get_column(timestamp).drop_nulls()
    if stamps.len() == 0:
        return name, None, None
    return name, _iso(stamps.min()), _iso(stamps.max())


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime | date) else None


@dataclass(frozen=True, kw_only=True)
class Judge:
    """Scores the model on a window's rows that have both a label and a prediction."""

    task: ModelTask
    predicted: str
    label: str | None
    score: str | None
    positive: Label | None
    min_labels: int

    def __call__(self, part: pl.DataFrame) -> tuple[int, Metrics]:
        """How many rows are labelled, and the metrics (None with fewer than `min_labels`)."""
        names = CLASSIFICATION_METRICS if self.task == "classification" else REGRESSION_METRICS
        if self.label is None:
            return 0, dict.fromkeys(names)
        known = part.filter(pl.col(self.label).is_not_null() & pl.col(self.predicted).is_not_null())
        if known.height < self.min_labels:
            return known.height, dict.fromkeys(names)
        truth = _values(known.get_column(self.label))
        said = _values(known.get_column(self.predicted))
        if self.task == "regression":
            finite = ~(np.isnan(truth) | np.isnan(said))
            return known.height, regression_metrics(truth[finite], said[finite])
        metrics = classification_metrics(truth, said, positive=self.positive)
        if self.score is not None:
            scored = known.filter(
                pl.col(self.score).is_not_null() & pl.col(self.score).is_not_nan()
            )
            actual = _values(scored.get_column(self.label)) == self.positive
            metrics["roc_auc"] = (
                None
                if self.positive is None
                else roc_auc(actual, scored.get_column(self.score).to_numpy())
            )
        return known.height, metrics


def _values(series: pl.Series) -> NDArray[Any]:
    if series.dtype == pl.String:
        return np.asarray(series.to_list(), dtype=object).astype(str)
    return series.to_numpy()
