"""What one run says about itself: counts, rule outcomes, verdicts, and what monitoring added.

A `RunSummary` is made from the plan and the totals the engine counted (`summarise`), is
written as ``summary.json`` by `rowsift.run_file`, and is then handed to monitoring, which
returns it with its alerts and a `MonitorOutcome`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from rowsift._version import __version__

if TYPE_CHECKING:
    from rowsift.engine import Flag, Plan
    from rowsift.rules import DatasetRule, RunStats

Status = Literal["pass", "warn", "fail"]


@dataclass(frozen=True, kw_only=True)
class RuleOutcome:
    """How often one rule failed."""

    id: str
    severity: Literal["error", "warn"]
    failed: int


@dataclass(frozen=True, kw_only=True)
class DatasetOutcome:
    """A dataset rule's verdict."""

    id: str
    severity: Literal["error", "warn"]
    observed: float
    passed: bool
    rule: DatasetRule


@dataclass(frozen=True, kw_only=True)
class MonitorOutcome:
    """Where a run was recorded and what came of it; credentials are masked in `store`.

    `recorded` is False while the run is being recorded and when recording failed; `error`
    then says why (the data outputs and ``summary.json`` are written all the same).

    >>> MonitorOutcome(store="m.duckdb", dataset="orders", batch="b1").to_dict()["recorded"]
    False
    """

    store: str
    dataset: str
    batch: str
    recorded: bool = False
    run_id: str | None = None
    baseline: str | None = None
    baseline_runs: tuple[str, ...] = ()
    #: runs among the baseline window's left out of it, and why: ``{run_id, reason}``
    baseline_left_out: tuple[dict[str, str], ...] = ()
    #: the incidents this batch opened, continued and resolved (``Incident.to_dict()`` each)
    incidents: dict[str, list[dict[str, Any]]] | None = None
    webhook: dict[str, Any] | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON (keys without a value are left out)."""
        data: dict[str, Any] = {
            "store": self.store,
            "dataset": self.dataset,
            "batch": self.batch,
            "recorded": self.recorded,
        }
        if self.run_id is not None:
            data |= {
                "run_id": self.run_id,
                "baseline": self.baseline,
                "baseline_runs": list(self.baseline_runs),
                "baseline_left_out": list(self.baseline_left_out),
            }
        if self.incidents is not None:
            data["incidents"] = self.incidents
        if self.webhook is not None:
            data["webhook"] = self.webhook
        if self.error is not None:
            data["error"] = self.error
        return data


@dataclass(frozen=True, kw_only=True)
class RunSummary:
    """Counts, verdicts and timings of one run; `to_dict()` is what summary.json holds."""

    rows_in: int
    rows_clean: int
    rows_quarantined: int
    status: Status
    rules: tuple[RuleOutcome, ...]
    dataset: tuple[DatasetOutcome, ...]
    recipe_name: str | None
    recipe_fingerprint: str
    durations: dict[str, float] = field(default_factory=dict)
    input: dict[str, Any] = field(default_factory=dict)
    started_at: str = ""
    engine: str = "polars"
    alerts: tuple[dict[str, Any], ...] = ()
    monitor: MonitorOutcome | None = None
    repairs: dict[str, dict[str, int]] = field(default_factory=dict)
    """Rows each transform changed, ``{column: {transform key: rows}}``, over every input row:
    a column with transforms lists each of them, by name (``name#n`` when a name repeats)."""
    audited: bool = False
    """Whether the clean output carries the repair audit (``--audit-repairs``)."""

    @property
    def failures(self) -> dict[str, int]:
        """Failures per rule id, for rules that failed at least once."""
        return {rule.id: rule.failed for rule in self.rules if rule.failed}

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "rowsift_version": __version__,
            "status": self.status,
            "rows_in": self.rows_in,
            "rows_clean": self.rows_clean,
            "rows_quarantined": self.rows_quarantined,
            "failures": self.failures,
            "rules": [{"id": r.id, "severity": r.severity, "failed": r.failed} for r in self.rules],
            "repairs": {
                "total": sum(sum(counts.values()) for counts in self.repairs.values()),
                "columns": self.repairs,
                "audited": self.audited,
            },
            "dataset": [
                {
                    "id": d.id,
                    "severity": d.severity,
                    "observed": d.observed,
                    "passed": d.passed,
                    "bounds": {
                        k: v
                        for k, v in vars(d.rule).items()
                        if k in ("min", "max", "of") and v is not None
                    },
                }
                for d in self.dataset
            ],
            "recipe": {"name": self.recipe_name, "sha256": self.recipe_fingerprint},
            "input": self.input,
            "started_at": self.started_at,
            "engine": self.engine,
            "durations_s": {key: round(value, 4) for key, value in self.durations.items()},
            "alerts": list(self.alerts),
            **({"monitor": self.monitor.to_dict()} if self.monitor is not None else {}),
        }

    def but(self, **changes: Any) -> RunSummary:
        """A copy with some fields changed (the summary itself is frozen)."""
        return replace(self, **changes)


def summarise(
    plan: Plan,
    stats: RunStats,
    failures: dict[str, int],
    flags: tuple[Flag, ...],
    repairs: dict[str, dict[str, int]] | None = None,
) -> RunSummary:
    """The summary of a run from its plan, its totals, each rule's failure count and each
    transform's repair count."""
    rules = tuple(
        RuleOutcome(id=flag.id, severity=flag.severity, failed=failures[flag.id]) for flag in flags
    )
    dataset = []
    for step in plan.dataset:
        verdict = step.rule.judge(stats)
        dataset.append(
            DatasetOutcome(
                id=step.id,
                severity=step.rule.severity,
                observed=verdict.observed,
                passed=verdict.passed,
                rule=step.rule,
            )
        )
    status: Status = "pass"
    if any(r.severity == "warn" and r.failed for r in rules) or any(
        d.severity == "warn" and not d.passed for d in dataset
    ):
        status = "warn"
    if any(d.severity == "error" and not d.passed for d in dataset):
        status = "fail"
    return RunSummary(
        rows_in=stats.rows_in,
        rows_clean=stats.rows_clean,
        rows_quarantined=stats.rows_quarantined,
        status=status,
        rules=rules,
        dataset=tuple(dataset),
        recipe_name=plan.name,
        recipe_fingerprint=plan.recipe_fingerprint,
        repairs=repairs or {},
    )
