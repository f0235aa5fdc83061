"""What model monitoring found: one report per window, and the model's report over them all."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rowsift.monitor.alerts import Alert
from rowsift.monitor.drift import DriftReport
from rowsift.monitor.model.quality import Label, MetricName, Metrics
from rowsift.monitor.model.task import ModelTask


@dataclass(frozen=True, kw_only=True)
class WindowReport:
    """One window of the log: its volume, its drift from the baseline and the model's quality."""

    label: str
    start: str | None
    end: str | None
    rows: int
    labelled: int
    baseline: bool
    metrics: Metrics = field(default_factory=dict)
    feature_drift: DriftReport | None = None
    prediction_drift: DriftReport | None = None
    alerts: tuple[Alert, ...] = ()

    @property
    def drifted_features(self) -> tuple[str, ...]:
        """The feature columns that drifted from the baseline in this window."""
        return _drifted(self.feature_drift)

    @property
    def drifted_predictions(self) -> tuple[str, ...]:
        """The prediction (and score) columns that drifted from the baseline in this window."""
        return _drifted(self.prediction_drift)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "rows": self.rows,
            "labelled": self.labelled,
            "baseline": self.baseline,
            "metrics": dict(self.metrics),
            "drifted_features": list(self.drifted_features),
            "drifted_predictions": list(self.drifted_predictions),
            "feature_drift": _drift_dict(self.feature_drift),
            "prediction_drift": _drift_dict(self.prediction_drift),
            "alerts": [alert.to_dict() for alert in self.alerts],
        }


@dataclass(frozen=True, kw_only=True)
class ModelReport:
    """What `monitor_model` found: the baseline, every window, and the alerts they raised."""

    task: ModelTask
    metric: MetricName
    positive: Label | None
    window: str
    features: tuple[str, ...]
    predictions: tuple[str, ...]
    max_drop: float
    min_labels: int
    baseline_rows: int
    baseline_labelled: int
    baseline_metrics: Metrics
    windows: tuple[WindowReport, ...]
    skipped_rows: int = 0
    #: records of the log or labels file that could not be split into fields, left out
    broken_records: dict[str, int] = field(default_factory=dict)

    @property
    def alerts(self) -> tuple[Alert, ...]:
        """Every alert of every window, in window order."""
        return tuple(alert for window in self.windows for alert in window.alerts)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "task": self.task,
            "metric": self.metric,
            "positive": self.positive,
            "window": self.window,
            "features": list(self.features),
            "predictions": list(self.predictions),
            "max_drop": self.max_drop,
            "min_labels": self.min_labels,
            "skipped_rows": self.skipped_rows,
            "broken_records": dict(self.broken_records),
            "baseline": {
                "windows": [w.label for w in self.windows if w.baseline],
                "rows": self.baseline_rows,
                "labelled": self.baseline_labelled,
                "metrics": dict(self.baseline_metrics),
            },
            "windows": [window.to_dict() for window in self.windows],
            "alerts": [alert.to_dict() for alert in self.alerts],
        }


def _drifted(report: DriftReport | None) -> tuple[str, ...]:
    if report is None:
        return ()
    return tuple(dict.fromkeys(f.column for f in report.findings if f.drifted))


def _drift_dict(report: DriftReport | None) -> Any:
    return None if report is None else report.to_dict()
