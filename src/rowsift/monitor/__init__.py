"""Monitoring: the metric store, batch metrics, drift and anomaly detection, and alerts.

`config` resolves where a run is recorded (the caller, the recipe, `rowsift.toml`); `record`
is what a run calls afterwards (`monitor_run`): measure the clean output (`measure`,
`metrics`), judge it against its baseline and history (`watch`; `baseline` says which runs
form it, `drift`, `anomaly`), keep it in the `store` (`records`, its tables and migrations in
`_schema`) with the `incidents` its alerts open or resolve, and post those to the webhook
(`alerts`). It never raises: a failure is returned in the summary. `decisions` are a person's:
accept a change, pin or unpin a baseline run.
`model` monitors a model from its prediction log. `urls` masks credentials in every address
that is shown.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rowsift.monitor.alerts import Alert
    from rowsift.monitor.config import Monitoring, MonitorTarget, resolve_monitoring
    from rowsift.monitor.measure import measure_batch
    from rowsift.monitor.metrics import BatchMetrics, ColumnMetrics
    from rowsift.monitor.record import monitor_run
    from rowsift.monitor.settings import MonitorSettings
    from rowsift.monitor.store import RunRecord, Store, open_store

#: each public name and its module: loaded on first use, so that reading where a run is
#: recorded (`config`) does not import the statistics and the frame libraries
_HOMES = {
    "Alert": "rowsift.monitor.alerts",
    "BatchMetrics": "rowsift.monitor.metrics",
    "ColumnMetrics": "rowsift.monitor.metrics",
    "MonitorSettings": "rowsift.monitor.settings",
    "MonitorTarget": "rowsift.monitor.config",
    "Monitoring": "rowsift.monitor.config",
    "RunRecord": "rowsift.monitor.store",
    "Store": "rowsift.monitor.store",
    "measure_batch": "rowsift.monitor.measure",
    "monitor_run": "rowsift.monitor.record",
    "open_store": "rowsift.monitor.store",
    "resolve_monitoring": "rowsift.monitor.config",
}

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


def __getattr__(name: str) -> Any:
    """Load a public name from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'rowsift.monitor' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value
