"""Model monitoring: a prediction log cut into windows, each compared with the first ones.

A prediction log has one row per prediction: an id, a timestamp, the feature values the model
saw, its prediction (a class, a probability or a number) and, once known, the true label, which
may arrive later in a separate table joined by id. `log` reads and types it, `task` decides
what the model does, `windows` cuts it and scores each window with the pure functions of
`quality`, and `report` holds what was found; `monitor_model` runs them in that order.
"""

from __future__ import annotations

from rowsift.monitor.model.monitor import MIN_LABELS, monitor_model
from rowsift.monitor.model.quality import (
    DISPLAY_NAMES,
    LOWER_IS_BETTER,
    MetricName,
    classification_metrics,
    regression_metrics,
    roc_auc,
)
from rowsift.monitor.model.report import ModelReport, WindowReport

__all__ = [
    "DISPLAY_NAMES",
    "LOWER_IS_BETTER",
    "MIN_LABELS",
    "MetricName",
    "ModelReport",
    "WindowReport",
    "classification_metrics",
    "monitor_model",
    "regression_metrics",
    "roc_auc",
]
