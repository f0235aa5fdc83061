"""Monitoring: the metric store, batch metrics, drift and anomaly detection, and alerts.

`config` resolves where a run is recorded (the caller, the recipe, `rowsift.toml`); `record`
is what a run calls afterwards (`monitor_run`): measure the clean output (`measure`,
`metrics`), judge it against its baseline and history (`watch`, `drift`, `anomaly`), keep it
in the `store`, and post its `alerts`. It never raises: a failure is returned in the summary.
`model` monitors a model from its prediction log. `urls` masks credentials in every address
that is shown.
"""

from __future__ import annotations

from rowsift.monitor.alerts import Alert
from rowsift.monitor.config import Monitoring, MonitorTarget, resolve_monitoring
from rowsift.monitor.measure import measure_batch
from rowsift.monitor.metrics import BatchMetrics, ColumnMetrics
from rowsift.monitor.record import monitor_run
from rowsift.monitor.settings import MonitorSettings
from rowsift.monitor.store import RunRecord, Store, open_store

__all__ = [
    "Alert",
    "BatchMetrics",
    "ColumnMetrics",
    "MonitorSettings",
    "MonitorTarget",
    "Monitoring",
    "RunRecord",
    "Store",
    "measure_batch",
    "monitor_run",
    "open_store",
    "resolve_monitoring",
]
