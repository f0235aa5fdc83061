"""Monitor one run: record it in the store, judge it against its baseline, announce incidents.

`monitor_run` is what `rowsift.run_file` calls after ``summary.json`` is written. Monitoring
never costs a run its result: whatever goes wrong here (a store that cannot be reached, a
folder that does not exist, a webhook that is down) is returned in the summary's
`MonitorOutcome`, not raised.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rowsift.exceptions import RowsiftError
from rowsift.monitor.alerts import deliver, incident_payload, slack_payload
from rowsift.monitor.config import MonitorTarget
from rowsift.monitor.incidents import IncidentChanges
from rowsift.monitor.measure import measure_batch
from rowsift.monitor.settings import MonitorSettings, settings_from
from rowsift.monitor.store import RuleFailures, RunRecord, Store, open_store
from rowsift.monitor.urls import masked_text, shown_store
from rowsift.monitor.watch import Assessment, assess, load_history
from rowsift.recipe import Recipe
from rowsift.summary import MonitorOutcome, RunSummary


@dataclass(frozen=True, kw_only=True)
class Recorded:
    """A run as the store now holds it, and the verdict on it."""

    run: RunRecord
    assessment: Assessment
    incidents: IncidentChanges


def new_run_id(now: datetime | None = None) -> str:
    """A run id that sorts by time and does not collide: ``20261126T171200Z-3fa2c1``.

    >>> new_run_id(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))[:17]
    '20260102T030405Z-'
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def pending(target: MonitorTarget) -> MonitorOutcome:
    """The outcome of a run that is about to be recorded (what summary.json says meanwhile)."""
    return MonitorOutcome(
        store=shown_store(target.store), dataset=target.dataset, batch=target.batch
    )


def monitor_written(
    summary: RunSummary,
    out_dir: Path,
    *,
    recipe: Recipe,
    output_format: str,
    target: MonitorTarget,
    on_recorded: Callable[[Recorded], None] | None = None,
) -> RunSummary:
    """`monitor_run` on the clean output a file run wrote into `out_dir`."""
    from rowsift.io.write import OutputFormat, scan_written

    types = {column: spec.type for column, spec in recipe.columns.items()}
    fmt: OutputFormat = "csv" if output_format == "csv" else "parquet"
    return _monitored(
        summary,
        lambda: scan_written(out_dir / f"clean.{fmt}", fmt, types),
        recipe=recipe,
        target=target,
        on_recorded=on_recorded,
    )


def monitor_run(
    summary: RunSummary,
    clean: Any,
    *,
    recipe: Recipe,
    target: MonitorTarget,
    on_recorded: Callable[[Recorded], None] | None = None,
) -> RunSummary:
    """Record a run and its clean rows' metrics, judge it, and deliver its alerts.

    `clean` is the run's clean output (any frame rowsift runs on). The summary comes back with
    the alerts and a `MonitorOutcome`; a failure is recorded in `MonitorOutcome.error`, never
    raised. `on_recorded` is handed the stored run (its metrics) and the assessment (its drift
    findings) once the store holds them, so that reports reuse them rather than measure the
    batch again.
    """
    return _monitored(summary, lambda: clean, recipe=recipe, target=target, on_recorded=on_recorded)


def _monitored(
    summary: RunSummary,
    load_clean: Callable[[], Any],
    *,
    recipe: Recipe,
    target: MonitorTarget,
    on_recorded: Callable[[Recorded], None] | None,
) -> RunSummary:
    """`monitor_run`, reading the clean output only once the store is to be written (a
    failure to read it back is a monitoring failure like any other)."""
    clock = time.perf_counter()
    outcome = pending(target)
    try:
        settings = settings_from(recipe.monitor)
        run = _run_record(summary, recipe, target)
        recorded = record_run(
            open_store(target.store),
            run,
            load_clean(),
            settings=settings,
            recipe=lambda: stored_recipe(recipe),
        )
    except Exception as exc:  # monitoring must never cost the run its result
        return summary.but(
            monitor=replace(outcome, error=_describe(exc)),
            durations={**summary.durations, "monitor": time.perf_counter() - clock},
        )
    if on_recorded is not None:
        on_recorded(recorded)
    assessment, changes = recorded.assessment, recorded.incidents
    outcome = replace(
        outcome,
        recorded=True,
        run_id=run.run_id,
        baseline=assessment.baseline.described,
        baseline_runs=assessment.baseline.run_ids,
        baseline_left_out=tuple(
            {"run_id": run_id, "reason": why} for run_id, why in assessment.baseline.left_out
        ),
        incidents=changes.to_dict(),
    )
    # the webhook hears of an incident when it opens and when it resolves, not every batch
    if target.webhook and changes.announced:
        context = {"run_id": run.run_id, **outcome.to_dict()}
        payload = (
            slack_payload(changes, context=context)
            if target.webhook_format == "slack"
            else incident_payload(changes, assessment.alerts, context=context)
        )
        outcome = replace(outcome, webhook=deliver(target.webhook, payload))
    return summary.but(
        alerts=recorded.run.alerts,
        monitor=outcome,
        durations={**summary.durations, "monitor": time.perf_counter() - clock},
    )


def record_run(
    store: Store,
    run: RunRecord,
    clean: Any,
    *,
    settings: MonitorSettings,
    recipe: Callable[[], str] | None = None,
) -> Recorded:
    """Measure `clean` with the bins of the dataset's history, judge it, and store it whole,
    with the text of its recipe (`stored_recipe`) that `recipe` gives, when given."""
    history = load_history(store, run.dataset, settings)
    measured = replace(run, metrics=measure_batch(clean, edges=history.edges))
    assessment = assess(store, history, measured, settings=settings)
    stored = replace(measured, alerts=tuple(alert.to_dict() for alert in assessment.alerts))
    changes = store.record(stored, resolve_after=settings.resolve_after, recipe=recipe)
    return Recorded(run=stored, assessment=assessment, incidents=changes)


def stored_recipe(recipe: Recipe) -> str:
    """A run's recipe as the store keeps it: its YAML without the ``monitor:`` section, whose
    webhook address is a credential and which cleaning does not read."""
    return recipe.model_copy(update={"monitor": None}).to_yaml()


def _run_record(summary: RunSummary, recipe: Recipe, target: MonitorTarget) -> RunRecord:
    return RunRecord(
        run_id=new_run_id(),
        dataset=target.dataset,
        batch=target.batch,
        started_at=summary.started_at,
        # microseconds: runs recorded within one second still come back in order
        finished_at=datetime.now(UTC).isoformat(timespec="microseconds"),
        status=summary.status,
        rows_in=summary.rows_in,
        rows_clean=summary.rows_clean,
        rows_quarantined=summary.rows_quarantined,
        recipe_name=recipe.name,
        recipe_version=recipe.version,
        recipe_sha256=summary.recipe_fingerprint,
        input_path=summary.input.get("path"),
        input_sha256=summary.input.get("sha256"),
        engine=summary.engine,
        rules=tuple(
            RuleFailures(rule_id=r.id, severity=r.severity, failed=r.failed) for r in summary.rules
        ),
    )


def _describe(exc: Exception) -> str:
    """One paragraph for summary.json and the terminal, with no credential in it."""
    if isinstance(exc, RowsiftError):
        return masked_text(exc.render())
    first = (str(exc).strip().splitlines() or [""])[0]
    return masked_text(
        f"internal error while monitoring: {type(exc).__name__}: {first}\n"
        "  Hint: the outputs and summary.json are complete; please report this error"
    )
