"""`monitor_model`: a prediction log in, every window compared with the first ones, alerts out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import polars as pl

from rowsift.exceptions import InputError, UsageError
from rowsift.monitor.measure import measure_batch
from rowsift.monitor.metrics import bin_edges, measured_columns
from rowsift.monitor.model.log import join_labels, read_log, require, typed
from rowsift.monitor.model.quality import Label
from rowsift.monitor.model.report import ModelReport, WindowReport
from rowsift.monitor.model.task import (
    CLASS,
    Task,
    positive_class,
    resolve_task,
    watched_metric,
    with_classes,
)
from rowsift.monitor.model.windows import (
    WINDOW,
    Baseline,
    Judge,
    compared,
    cut_windows,
    window_bounds,
)
from rowsift.monitor.settings import DriftSettings, PerformanceSettings

#: a window with fewer labelled rows reports no quality metrics (they would be mostly noise)
MIN_LABELS = 30


def monitor_model(
    log: Any,
    *,
    labels: Any | None = None,
    id: str = "id",
    timestamp: str = "timestamp",
    prediction: str = "prediction",
    label: str = "label",
    score: str | None = None,
    features: Sequence[str] | None = None,
    window: str | int = "1d",
    baseline_windows: int = 1,
    task: Task = "auto",
    positive: Label | None = None,
    threshold: float = 0.5,
    min_labels: int = MIN_LABELS,
    drift: DriftSettings | None = None,
    performance: PerformanceSettings | None = None,
) -> ModelReport:
    """Compare every window of a prediction log with its first `baseline_windows` windows.

    `log` and `labels` are Polars (eager or lazy) or pandas frames, any frame narwhals reads,
    or the paths of files (read as text; records that cannot be split are left out and
    counted in `ModelReport.broken_records`). `window` is a Polars duration ("1d", "6h",
    "1w") or a number of rows (an int, or a text of digits). Labels in `labels`
    (joined by `id`) take precedence over the log's own `label` column. `positive` is the
    positive class of a binary classifier (default: the larger label); a prediction that is a
    probability in [0, 1] of labels 0/1 is a score, its class `score >= threshold`.
    """
    broken_labels = 0
    if isinstance(window, str):
        window = int(window) if window.strip().isdigit() else window.strip()
    drift = drift or DriftSettings()
    performance = performance or PerformanceSettings()
    _check_arguments(window, baseline_windows, min_labels, performance)
    frame, broken_log = read_log(log, "log")
    names = frame.columns
    timed = isinstance(window, str)
    require(names, [prediction] + ([timestamp] if timed else []) + ([score] if score else []))
    if labels is not None:
        table, broken_labels = read_log(labels, "labels")
        frame = join_labels(frame, table, id=id, label=label)
    truth = label if label in frame.columns else None
    roles = {id, timestamp, prediction, label, *([score] if score else [])}
    if features is not None:
        require(names, features)
    default = [n for n in measured_columns(frame.columns) if n not in roles]
    chosen = default if features is None else list(features)
    clock = timestamp if timestamp in frame.columns else None
    frame = typed(
        frame,
        timestamp=clock,
        labels=[c for c in (prediction, truth) if c is not None],
        scores=[score] if score else [],
        features=chosen,
    )
    resolved, probability = resolve_task(frame, task, prediction, truth)
    predicted = prediction
    if resolved == "classification" and truth is not None:
        frame = with_classes(frame, prediction, truth, probability=probability, threshold=threshold)
        predicted = CLASS
    judge = Judge(
        task=resolved,
        predicted=predicted,
        label=truth,
        score=score or (prediction if probability else None),
        positive=positive_class(frame, resolved, predicted, truth, positive),
        min_labels=min_labels,
    )
    metric = watched_metric(resolved, performance.metric, judge.score)
    windowed, window_name = cut_windows(frame, clock, window)
    if windowed.is_empty():
        raise InputError(
            f"the log has no rows{' with a timestamp' if frame.height else ''}",
            hint="check the file, and --timestamp for the column of prediction times",
        )
    outputs = [prediction] + ([score] if score and score != prediction else [])
    keys = windowed.get_column(WINDOW).unique(maintain_order=True).to_list()
    base_keys = keys[:baseline_windows]
    base_frame = windowed.filter(pl.col(WINDOW).is_in(base_keys))
    base_metrics = measure_batch(base_frame.select(chosen + outputs))
    base_labelled, base_quality = judge(base_frame)
    baseline = Baseline(metrics=base_metrics, quality=base_quality)
    edges = bin_edges(base_metrics)
    daily = all(isinstance(k, datetime) and k.time() == datetime.min.time() for k in keys)
    reports = []
    parts = windowed.partition_by(WINDOW, maintain_order=True, include_key=False)
    for key, part in zip(keys, parts, strict=True):
        name, start, end = window_bounds(key, part, clock, window, daily=daily)
        labelled, quality = judge(part)
        report = WindowReport(
            label=name,
            start=start,
            end=end,
            rows=part.height,
            labelled=labelled,
            baseline=key in base_keys,
            metrics=quality,
        )
        if not report.baseline:
            report = compared(
                report,
                part,
                baseline,
                edges=edges,
                features=chosen,
                outputs=outputs,
                metric=metric,
                drift=drift,
                max_drop=performance.max_drop,
            )
        reports.append(report)
    return ModelReport(
        task=resolved,
        metric=metric,
        positive=judge.positive,
        window=window_name,
        features=tuple(chosen),
        predictions=tuple(outputs),
        max_drop=performance.max_drop,
        min_labels=min_labels,
        baseline_rows=base_frame.height,
        baseline_labelled=base_labelled,
        baseline_metrics=base_quality,
        windows=tuple(reports),
        skipped_rows=frame.height - windowed.height,
        broken_records={
            name: count for name, count in (("log", broken_log), ("labels", broken_labels)) if count
        },
    )


def _check_arguments(
    window: str | int, baseline_windows: int, min_labels: int, performance: PerformanceSettings
) -> None:
    if isinstance(window, bool) or (isinstance(window, int) and window < 1):
        raise UsageError(
            f"a window of {window!r} rows is not a window", hint="give at least 1 row, or '1d'"
        )
    if isinstance(window, str):
        try:
            pl.Series([datetime(2026, 1, 1)]).dt.truncate(window)
        except (pl.exceptions.PolarsError, ValueError):
            raise UsageError(
                f"{window!r} is not a duration",
                hint="use a Polars duration such as 1d, 6h, 1w or 1mo, or a number of rows",
            ) from None
    if baseline_windows < 1:
        raise UsageError(
            f"the baseline needs at least one window, not {baseline_windows}",
            hint="e.g. baseline_windows=7 for a week of daily windows",
        )
    if min_labels < 1:
        raise UsageError(f"min_labels must be at least 1, got {min_labels}", hint="e.g. 30")
    if not performance.max_drop >= 0:
        raise UsageError(
            f"max_drop must not be negative, got {performance.max_drop}", hint="e.g. 0.05"
        )
