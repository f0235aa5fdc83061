"""Judge a new batch against the store: drift from the baseline, anomalies in each metric series.

Which runs form the baseline is `rowsift.monitor.baseline`'s rule."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

import narwhals.stable.v2 as nw

from rowsift.engine import compile_recipe
from rowsift.engine.execute import execute
from rowsift.exceptions import InputError, RowsiftError, UsageError
from rowsift.io import read_table
from rowsift.io.inputs import is_database_url
from rowsift.io.write import cast_text
from rowsift.monitor.alerts import Alert
from rowsift.monitor.anomaly import detect
from rowsift.monitor.baseline import pinned_run, select, window_baseline
from rowsift.monitor.drift import DriftReport, compare
from rowsift.monitor.drift.tests import proportion_z
from rowsift.monitor.measure import measure_batch
from rowsift.monitor.metrics import BatchMetrics, bin_edges
from rowsift.monitor.settings import DriftSettings, MonitorSettings
from rowsift.monitor.store import RunRecord, Store
from rowsift.monitor.urls import shown_store
from rowsift.recipe import Recipe, SourceSpec, load_recipe_text

if TYPE_CHECKING:
    from rowsift.engine.execute import Evaluation
    from rowsift.engine.plan import Plan

#: how many of a dataset's newest runs are read to find the clean ones a baseline is made of
RUNS_READ = 1_000


@dataclass(frozen=True, kw_only=True)
class Baseline:
    """What a batch is compared with: one pinned run, or a window of recent clean runs merged."""

    run_ids: tuple[str, ...]
    metrics: BatchMetrics | None
    pinned: bool
    #: runs among the window's left out of it, and why ("raised an alert", "failed")
    left_out: tuple[tuple[str, str], ...] = ()
    #: the accepted run the window starts from, if a change was accepted
    since: str | None = None
    #: per column, how many of the window's batches were left out as outliers there
    trimmed: dict[str, int] = field(default_factory=dict)
    #: per (column, check), the effect threshold the window's own variation raises it to
    tolerance: dict[tuple[str, str], float] = field(default_factory=dict)

    @property
    def described(self) -> str:
        """A few words for people: which runs the baseline is made of."""
        if not self.run_ids:
            return "none (the first batch of this dataset)"
        if self.pinned:
            return f"run {self.run_ids[0]} (pinned)"
        text = f"the {len(self.run_ids)} previous clean run(s)"
        if self.since is not None:
            text += f" since accepted run {self.since}"
        return text


@dataclass(frozen=True, kw_only=True)
class Assessment:
    """The verdict on one batch: its alerts, the baseline, and the drift comparison behind them."""

    alerts: tuple[Alert, ...]
    baseline: Baseline
    drift: DriftReport | None


@dataclass(frozen=True, kw_only=True)
class History:
    """What a new batch of a dataset is judged against, and the bins its histograms reuse.

    `runs` is the anomaly history (clean runs, newest first); `window` the drift baseline's
    runs with their metrics, or the `pinned` run alone.
    """

    runs: tuple[RunRecord, ...]
    edges: dict[str, tuple[float, ...]]
    window: tuple[RunRecord, ...] = ()
    pinned: RunRecord | None = None
    left_out: tuple[tuple[str, str], ...] = ()
    since: str | None = None
    #: the runs the tolerance is learned from (`rowsift.monitor.baseline`, rule 4)
    spread: tuple[RunRecord, ...] = ()


def load_history(store: Store, dataset: str, settings: MonitorSettings) -> History:
    """The clean runs of `dataset` a new batch is judged against, and the histogram bins."""
    runs = store.runs(dataset=dataset, limit=RUNS_READ)
    marks = store.marks(dataset) if runs else []
    chosen = select(runs, marks, settings)
    pinned_id = settings.baseline_run or pinned_run(marks)
    pinned = _pinned(store, pinned_id, dataset) if pinned_id is not None else None
    wanted = list(dict.fromkeys(run.run_id for run in (*chosen.window, *chosen.spread)))
    # every run reuses the bins of the run before it, so the first run's bins hold for good
    newest = runs[0].run_id if runs else None
    measured = store.metrics([*wanted, newest] if newest is not None else wanted)
    window = tuple(
        replace(run, metrics=measured[run.run_id])
        for run in chosen.window
        if run.run_id in measured
    )
    source = pinned.metrics if pinned is not None else measured.get(newest or "")
    return History(
        runs=chosen.history,
        edges=bin_edges(source) if source else {},
        window=window,
        pinned=pinned,
        left_out=chosen.left_out,
        since=chosen.since,
        spread=tuple(
            replace(run, metrics=measured[run.run_id])
            for run in chosen.spread
            if run.run_id in measured
        ),
    )


def assess(
    store: Store,
    history: History,
    current: RunRecord,
    *,
    settings: MonitorSettings,
) -> Assessment:
    """Compare `current` with its baseline and its history; return every alert it raises."""
    baseline = _baseline(history, settings)
    alerts: list[Alert] = []
    drift = None
    if baseline.metrics is not None and current.metrics is not None:
        drift = compare(
            baseline.metrics,
            current.metrics,
            settings=settings.drift,
            tolerance=baseline.tolerance,
        )
        alerts += drift.alerts()
    alerts += _anomalies(history.runs, current, settings)
    return Assessment(alerts=tuple(alerts), baseline=baseline, drift=drift)


def _pinned(store: Store, run_id: str, dataset: str) -> RunRecord:
    run = store.get(run_id)
    if run.metrics is None:
        raise UsageError(
            f"the baseline run {run.run_id} of {dataset!r} has no column metrics",
            hint="pin a run that was recorded with --store",
        )
    return run


def _baseline(history: History, settings: MonitorSettings) -> Baseline:
    if history.pinned is not None:
        return Baseline(
            run_ids=(history.pinned.run_id,), metrics=history.pinned.metrics, pinned=True
        )
    batches = [run.metrics for run in history.window if run.metrics is not None]
    if not batches:
        return Baseline(run_ids=(), metrics=None, pinned=False, left_out=history.left_out)
    # a run in both lists has one metrics object (load_history), so a pair is compared once
    spread = [run.metrics for run in history.spread if run.metrics is not None]
    merged = window_baseline(batches, settings.drift, spread=spread)
    return Baseline(
        run_ids=tuple(run.run_id for run in history.window),
        metrics=merged.metrics,
        pinned=False,
        left_out=history.left_out,
        since=history.since,
        trimmed=merged.trimmed,
        tolerance=merged.tolerance,
    )


def _anomalies(
    runs: Sequence[RunRecord], current: RunRecord, settings: MonitorSettings
) -> list[Alert]:
    past = list(reversed(runs[: settings.anomalies.history]))  # oldest first
    found: list[Alert] = []
    seasons = _batch_dates(past, current) if settings.anomalies.seasonality == "weekly" else {}
    rows = detect(
        "rows in",
        [float(run.rows_in) for run in past],
        float(current.rows_in),
        settings=settings.anomalies,
        **seasons,
    )
    if rows is not None:
        found.append(
            Alert(kind="volume", subject="rows_in", message=rows.message, details=rows.details)
        )
    counts = [run.rows_in for run in past]
    quarantine = detect(
        "quarantine rate",
        [run.quarantine_rate for run in past],
        current.quarantine_rate,
        settings=settings.anomalies,
        counts=counts,
        current_count=current.rows_in,
        **seasons,
    )
    if quarantine is not None:
        found.append(quarantine)
    failed = {rule.rule_id: rule.failed for rule in current.rules}
    for rule_id in sorted(failed):
        series = [_rate(_failures(run, rule_id), run.rows_in) for run in past]
        alert = detect(
            f"{rule_id} failure rate",
            series,
            _rate(failed[rule_id], current.rows_in),
            settings=settings.anomalies,
            counts=counts,
            current_count=current.rows_in,
            **seasons,
        )
        if alert is not None:
            found.append(alert)
    return found


def _batch_dates(past: Sequence[RunRecord], current: RunRecord) -> dict[str, Any]:
    """The dates of the batches, for weekly seasonality: batches named by an ISO date
    (``2026-11-27``, or a name that starts with one); none when any batch is not."""
    try:
        dates = [date.fromisoformat(run.batch[:10]) for run in past]
        return {"dates": dates, "current_date": date.fromisoformat(current.batch[:10])}
    except ValueError:
        return {}


def _failures(run: RunRecord, rule_id: str) -> int:
    return next((rule.failed for rule in run.rules if rule.rule_id == rule_id), 0)


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def recent_alerts(
    store: Store, *, dataset: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """The alerts of the `limit` newest runs, newest first, each with its run, dataset, batch."""
    return [
        {"run_id": run.run_id, "dataset": run.dataset, "batch": run.batch, **alert}
        for run in store.runs(dataset=dataset, limit=limit)
        for alert in run.alerts
    ]


@dataclass(frozen=True, kw_only=True)
class Comparison:
    """`rowsift drift`: one batch against a baseline run, with the alerts it raises."""

    baseline: RunRecord
    current: str
    report: DriftReport
    alerts: tuple[Alert, ...]
    metrics: BatchMetrics | None = field(default=None, repr=False, compare=False)
    """The compared batch's metrics, on the baseline's bins (the drift report draws them)."""
    as_read: bool = False
    """Whether the batch is a file measured as read, every row (no recipe cleaned it), where
    the baseline's metrics are of the rows its recipe passed, transformed and typed."""
    stored_recipe: bool = False
    """Whether the batch is a file cleaned, no recipe being given, with the recipe the store
    keeps for the baseline run (`Store.recipe`): as that run cleaned its own batch."""

    def note(self) -> str | None:
        """How a file was measured when no recipe was given: with the baseline run's recipe as
        the store keeps it, or as read, which may differ from a run of the same batch (None
        when the batch is a run, or a file the given recipe cleaned)."""
        base = self.baseline
        recipe = f" {base.recipe_name!r}" if base.recipe_name else ""
        if self.stored_recipe:
            return (
                f"{self.current} was cleaned with the recipe{recipe} of run {base.run_id}, as "
                "the store keeps it, before it was measured: pass --recipe RECIPE to clean it "
                "with another"
            )
        if not self.as_read:
            return None
        return (
            f"{self.current} was measured as read, every row of it; run {base.run_id} measured "
            f"the {base.rows_clean:,} of its {base.rows_in:,} rows that its recipe{recipe} "
            "passed, after its repairs (the store keeps no readable copy of it): pass --recipe "
            "RECIPE to clean the file the same way first"
        )

    def _repr_html_(self) -> str:
        """Notebooks show the comparison as its HTML report, in a sandboxed frame."""
        from rowsift.report.notebook import framed_drift

        return framed_drift(self)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "baseline": self.baseline.run_id,
            "current": self.current,
            "drifted": bool(self.alerts),
            "as_read": self.as_read,
            "stored_recipe": self.stored_recipe,
            "alerts": [alert.to_dict() for alert in self.alerts],
            "findings": [asdict(finding) for finding in self.report.findings],
        }


def compare_with_run(
    store: Store,
    *,
    baseline: str | None,
    current: str | None,
    settings: DriftSettings | None = None,
    recipe: Recipe | None = None,
    dataset: str | None = None,
) -> Comparison:
    """Compare a run (default: the newest of the baseline's dataset), a file or a database
    table (its URL; the recipe's `source.table` or `source.query` names it) with a run.

    Runs are named as `Store.get` takes them: an id or a unique part of one, a batch,
    ``latest`` or ``previous`` (of `dataset`, when the store holds several). Without a
    `baseline`, a run is compared with the run of its dataset recorded just before it, and a
    file with the newest run.

    A file is cleaned by `recipe` first when one is given, so that it is measured as a run
    would be; without one, by the baseline run's recipe as the store keeps it
    (`Comparison.stored_recipe`), or, in a store that keeps none (one from before store
    version 3), its columns are cast to the baseline's types, every row of it counting
    (`Comparison.as_read`).
    """
    # a table to read: a file (a folder too, which reading refuses clearly) or a database
    file = (
        current
        if current is not None and (is_database_url(current) or Path(current).exists())
        else None
    )
    if baseline is not None:  # the current run is named in the baseline's dataset
        base = store.get(baseline, dataset=dataset)
        run = None if file is not None else _current_run(store, current, dataset or base.dataset)
    else:
        run = None if file is not None else _current_run(store, current, dataset)
        base = store.get("latest", dataset=dataset) if run is None else _run_before(store, run)
    if base.metrics is None:
        raise UsageError(
            f"the run {base.run_id} has no column metrics",
            hint="compare runs recorded with `rowsift run --store`",
        )
    alerts: list[Alert] = []
    as_read = False
    stored = None
    if file is not None and recipe is None and base.recipe_sha256 is not None:
        stored = _kept_recipe(store, base.recipe_sha256)
    cleaner = recipe or stored
    if run is not None:
        if run.metrics is None:
            raise UsageError(f"the run {run.run_id} has no column metrics")
        label, metrics = run.run_id, run.metrics
    elif file is not None and cleaner is not None:
        plan = compile_recipe(cleaner)
        cleaned = execute(plan, read_table(file, cleaner.source))
        alerts = _retyped(plan, cleaned, base.metrics)
        alerts += _more_quarantined(cleaned, base, settings or DriftSettings())
        label, metrics = (
            shown_store(file),
            measure_batch(cleaned.clean, edges=bin_edges(base.metrics)),
        )
    elif file is not None:
        frame, alerts = _typed_like(read_table(file, SourceSpec()), base.metrics)
        label, metrics = shown_store(file), measure_batch(frame, edges=bin_edges(base.metrics))
        as_read = True
    report = compare(base.metrics, metrics, settings=settings or DriftSettings())
    retyped = {alert.subject for alert in alerts}
    alerts += [alert for alert in report.alerts() if alert.subject not in retyped]
    return Comparison(
        baseline=base,
        current=label,
        report=report,
        alerts=tuple(alerts),
        metrics=metrics,
        as_read=as_read,
        stored_recipe=stored is not None,
    )


def _kept_recipe(store: Store, sha256: str) -> Recipe | None:
    """The recipe the store keeps for a run's fingerprint (None when it keeps none, or one
    this rowsift cannot read: a recipe of a newer rowsift)."""
    text = store.recipe(sha256)
    if text is None:
        return None
    try:
        return load_recipe_text(text)
    except RowsiftError:
        return None


def _run_before(store: Store, run: RunRecord) -> RunRecord:
    """The run of `run`'s dataset recorded just before it."""
    runs = store.runs(dataset=run.dataset, rules=False)  # newest first
    ids = [earlier.run_id for earlier in runs]
    place = ids.index(run.run_id)
    if place + 1 >= len(ids):
        raise UsageError(
            f"the run {run.run_id} is the first of dataset {run.dataset!r}: there is no "
            "earlier run to compare it with",
            hint="name the baseline with --baseline",
        )
    return store.get(ids[place + 1], dataset=run.dataset)


def _current_run(store: Store, current: str | None, dataset: str | None) -> RunRecord:
    """The run `current` names (default: the newest); a name that is no run and looks like a
    path (a folder in it, or a suffix) is reported as the missing file it likely is."""
    try:
        return store.get(current or "latest", dataset=dataset)
    except UsageError as unknown:
        if current is None or not ("/" in current or os.sep in current or Path(current).suffix):
            raise
        raise InputError(
            "file not found, nor is it the name of a recorded run",
            file=current,
            hint=f"check the path of the table to compare; {unknown.hint}",
        ) from None


def _more_quarantined(cleaned: Evaluation, base: RunRecord, settings: DriftSettings) -> list[Alert]:
    """An anomaly alert when a file a recipe cleaned has its rows quarantined clearly more often
    than the baseline run had: by `settings.null_rate` points or more, and significantly (a
    one-sided two-proportion z-test at `settings.alpha`). Its clean rows alone, which the
    drift tests compare, would not show it: a batch whose every row fails has none.

    >>> from rowsift.engine.execute import Evaluation
    >>> from rowsift.rules.dataset import RunStats
    >>> now = Evaluation(clean=None, quarantine=None, stats=RunStats(rows_in=1000, rows_clean=0,
    ...     rows_quarantined=1000, nulls={}), failures={}, flags=(), repairs={})
    >>> was = RunRecord(run_id="r1", dataset="d", batch="b", started_at="", finished_at="",
    ...     status="pass", rows_in=1000, rows_clean=950, rows_quarantined=50)
    >>> [alert.message for alert in _more_quarantined(now, was, DriftSettings())]
    ['quarantine rate 100.0% against 5.0% in run r1: 1,000 of 1,000 rows fail the recipe']
    """
    rows, failed = cleaned.stats.rows_in, cleaned.stats.rows_quarantined
    z = proportion_z(base.rows_quarantined, base.rows_in, failed, rows)
    if z is None or z < NormalDist().inv_cdf(1 - settings.alpha):
        return []
    now, was = failed / rows, base.rows_quarantined / base.rows_in
    if now - was < settings.null_rate:
        return []
    return [
        Alert(
            kind="anomaly",
            subject="quarantine_rate",
            message=f"quarantine rate {now:.1%} against {was:.1%} in run {base.run_id}: "
            f"{failed:,} of {rows:,} rows fail the recipe",
            details={"value": now, "baseline": was, "rows": rows, "quarantined": failed},
        )
    ]


def _retyped(plan: Plan, cleaned: Evaluation, baseline: BatchMetrics) -> list[Alert]:
    """The schema alerts of a file a recipe cleaned: each typed column whose type rule failed
    on `RETYPED_SHARE` of the rows or more, after the recipe's repairs (those rows are in the
    quarantine, so its clean rows alone would not show it)."""
    rows = cleaned.stats.rows_in
    alerts: list[Alert] = []
    for column in plan.columns:
        failed = cleaned.failures.get(column.type_rule_id, 0)
        if column.cast.type == "string" or not rows or failed / rows < RETYPED_SHARE:
            continue
        was = baseline.columns[column.name].dtype if column.name in baseline.columns else None
        alerts.append(
            Alert(
                kind="schema",
                subject=column.name,
                message=f"{column.name} was {was or column.cast.type}; now {failed:,} of "
                f"{rows:,} rows ({failed / rows:.0%}) are not {column.cast.type} after the "
                "recipe's repairs",
                details={"baseline_dtype": was, "not_fitting": failed, "rows": rows},
            )
        )
    return alerts


#: a text column whose values stop fitting the baseline's type in this share is retyped
RETYPED_SHARE = 0.5


def _typed_like(frame: Any, baseline: BatchMetrics) -> tuple[Any, list[Alert]]:
    """Cast a text file's columns to the baseline's types; say which columns no longer fit."""
    import polars as pl

    native = nw.to_native(frame) if isinstance(frame, nw.LazyFrame | nw.DataFrame) else frame
    lazy = native.lazy()
    schema = lazy.collect_schema()
    casts = {
        name: _polars_type(column.dtype)
        for name, column in baseline.columns.items()
        if name in schema and schema[name] == pl.String and _polars_type(column.dtype) is not None
    }
    typed = {
        name: cast_text(pl.col(name).str.strip_chars(), dtype) for name, dtype in casts.items()
    }
    alerts: list[Alert] = []
    if casts:
        counts = lazy.select(
            *[pl.col(name).is_not_null().sum().alias(f"{name}|in") for name in casts],
            *[expr.is_not_null().sum().alias(f"{name}|fit") for name, expr in typed.items()],
        ).collect()
        for name, dtype in casts.items():
            present, fitting = int(counts[f"{name}|in"][0]), int(counts[f"{name}|fit"][0])
            lost = present - fitting
            if present and lost / present >= RETYPED_SHARE:
                was = baseline.columns[name].dtype
                alerts.append(
                    Alert(
                        kind="schema",
                        subject=name,
                        message=f"{name} was {was}; now {lost:,} of {present:,} values "
                        f"({lost / present:.0%}) are not {dtype}",
                        details={"baseline_dtype": was, "not_fitting": lost, "values": present},
                    )
                )
    return lazy.with_columns(expr.alias(name) for name, expr in typed.items()), alerts


def _polars_type(dtype: str) -> Any:
    import polars as pl

    if dtype.startswith(("Int", "UInt")):
        return pl.Int64
    if dtype.startswith(("Float", "Decimal")):
        return pl.Float64
    if dtype == "Date":
        return pl.Date
    if dtype.startswith("Datetime"):
        return pl.Datetime
    if dtype == "Boolean":
        return pl.Boolean
    return None
