"""What the store keeps, as data: a run with its rule failures and metrics, and a person's mark."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rowsift.monitor.metrics import BatchMetrics

MarkAction = Literal["accept", "pin", "unpin"]
#: the columns of ``rowsift_baseline_marks``, in order
MARK_COLUMNS = ("dataset", "run_id", "action", "marked_by", "reason", "marked_at")

RUN_COLUMNS = (
    "run_id",
    "dataset",
    "batch",
    "recipe_name",
    "recipe_version",
    "recipe_sha256",
    "input_path",
    "input_sha256",
    "engine",
    "started_at",
    "finished_at",
    "status",
    "rows_in",
    "rows_clean",
    "rows_quarantined",
    "alerts",
)


@dataclass(frozen=True, kw_only=True)
class RuleFailures:
    """How many rows one rule failed in one run."""

    rule_id: str
    severity: str
    failed: int


@dataclass(frozen=True, kw_only=True)
class RunRecord:
    """Everything the store keeps about one run of a recipe on one batch."""

    run_id: str
    dataset: str
    batch: str
    started_at: str
    finished_at: str
    status: str
    rows_in: int
    rows_clean: int
    rows_quarantined: int
    recipe_name: str | None = None
    recipe_version: int | None = None
    recipe_sha256: str | None = None
    input_path: str | None = None
    input_sha256: str | None = None
    engine: str | None = None
    rules: tuple[RuleFailures, ...] = ()
    metrics: BatchMetrics | None = None
    alerts: tuple[dict[str, Any], ...] = ()

    @property
    def quarantine_rate(self) -> float:
        """Share of input rows quarantined (0 for an empty batch)."""
        return self.rows_quarantined / self.rows_in if self.rows_in else 0.0

    def to_dict(self, *, with_metrics: bool = False) -> dict[str, Any]:
        """Plain data for JSON."""
        data: dict[str, Any] = {name: getattr(self, name) for name in RUN_COLUMNS}
        data["alerts"] = list(self.alerts)
        data["failures"] = {rule.rule_id: rule.failed for rule in self.rules if rule.failed}
        if with_metrics and self.metrics is not None:
            data["metrics"] = self.metrics.to_dict()
        return data


@dataclass(frozen=True, kw_only=True)
class Mark:
    """A person's decision about a run: accepted as the new normal, pinned, or unpinned."""

    dataset: str
    run_id: str
    action: MarkAction
    marked_by: str
    reason: str | None
    marked_at: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {name: getattr(self, name) for name in MARK_COLUMNS}


def run_row(run: RunRecord) -> list[Any]:
    values = {name: getattr(run, name) for name in RUN_COLUMNS}
    values["alerts"] = json.dumps(list(run.alerts), sort_keys=True)
    return [values[name] for name in RUN_COLUMNS]


def metric_rows(run_id: str, metrics: BatchMetrics) -> list[tuple[Any, ...]]:
    return [
        (
            run_id,
            position,
            name,
            column.kind,
            column.dtype,
            column.rows,
            column.nulls,
            column.null_rate,
            column.distinct,
            column.mean,
            column.std,
            json.dumps(column.to_dict()),
        )
        for position, (name, column) in enumerate(metrics.columns.items())
    ]


def run_from_row(
    row: Sequence[Any], rules: tuple[RuleFailures, ...], metrics: BatchMetrics | None
) -> RunRecord:
    values = dict(zip(RUN_COLUMNS, row, strict=True))
    values["alerts"] = tuple(json.loads(values["alerts"]))
    for count in ("rows_in", "rows_clean", "rows_quarantined"):
        values[count] = int(values[count])
    return RunRecord(**values, rules=rules, metrics=metrics)
