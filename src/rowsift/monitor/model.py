"""Monitor a model from its prediction log: per window, volume, drift and quality against labels.

A prediction log has one row per prediction: an id, a timestamp, the feature values the model
saw, its prediction (a class, a probability or a number) and, once known, the true label, which
may arrive later in a separate table joined by id. The log is cut into windows (by time or by
row count); the first windows are the baseline, and every later window is compared with it.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, cast

import narwhals.stable.v2 as nw
import numpy as np
import polars as pl
from numpy.typing import ArrayLike, NDArray

from rowsift.exceptions import InputError, UsageError
from rowsift.monitor.alerts import Alert
from rowsift.monitor.drift import DriftReport, compare
from rowsift.monitor.measure import measure
from rowsift.monitor.metrics import BatchMetrics, bin_edges, measured_columns
from rowsift.monitor.settings import DriftSettings, PerformanceSettings

Task = Literal["auto", "classification", "regression"]
ModelTask = Literal["classification", "regression"]
#: whether a drifted column is an input of the model or its output
Scope = Literal["feature", "output"]
MetricName = Literal["accuracy", "precision", "recall", "f1", "roc_auc", "mae", "rmse", "r2"]

CLASSIFICATION_METRICS: tuple[MetricName, ...] = (
    "accuracy",
    "precision",
    "recall",
    "f1",
    "roc_auc",
)
REGRESSION_METRICS: tuple[MetricName, ...] = ("mae", "rmse", "r2")
#: error metrics: a rise is a loss of quality, and it is judged relative to the baseline's value
#: because their scale is the target's
LOWER_IS_BETTER: frozenset[str] = frozenset({"mae", "rmse"})
#: a window with fewer labelled rows reports no quality metrics (they would be mostly noise)
MIN_LABELS = 30
#: a numeric column with at most this many distinct whole values is a class label, not a target
MAX_CLASSES = 20
#: a text column is read as numbers when at least this share of its values parse as numbers
NUMERIC_SHARE = 0.95

#: how messages and tables name each metric
DISPLAY_NAMES: dict[str, str] = {
    "accuracy": "accuracy",
    "precision": "precision",
    "recall": "recall",
    "f1": "F1",
    "roc_auc": "ROC AUC",
    "mae": "MAE",
    "rmse": "RMSE",
    "r2": "R²",
}
# named like rowsift's own columns, so `measure` leaves it out of every batch's metrics
_WINDOW = "_rowsift_window"
_CLASS = "_rowsift_class"
_EPSILON = 1e-12

Label = str | int | float | bool
Metrics = dict[str, float | None]


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
            "baseline": {
                "windows": [w.label for w in self.windows if w.baseline],
                "rows": self.baseline_rows,
                "labelled": self.baseline_labelled,
                "metrics": dict(self.baseline_metrics),
            },
            "windows": [window.to_dict() for window in self.windows],
            "alerts": [alert.to_dict() for alert in self.alerts],
        }


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

    `log` and `labels` are Polars (eager or lazy) or pandas frames, or any frame narwhals reads.
    `window` is a Polars duration ("1d", "6h", "1w") or a number of rows. Labels in `labels`
    (joined by `id`) take precedence over the log's own `label` column. `positive` is the
    positive class of a binary classifier (default: the larger label); a prediction that is a
    probability in [0, 1] of labels 0/1 is a score, its class `score >= threshold`.
    """
    drift = drift or DriftSettings()
    performance = performance or PerformanceSettings()
    _check_arguments(window, baseline_windows, min_labels, performance)
    frame = _to_polars(log, "log")
    names = frame.columns
    timed = isinstance(window, str)
    _require(names, [prediction] + ([timestamp] if timed else []) + ([score] if score else []))
    if labels is not None:
        frame = _join_labels(frame, _to_polars(labels, "labels"), id=id, label=label)
    truth = label if label in frame.columns else None
    roles = {id, timestamp, prediction, label, *([score] if score else [])}
    if features is not None:
        _require(names, features)
    default = [n for n in measured_columns(frame.columns) if n not in roles]
    chosen = default if features is None else list(features)
    clock = timestamp if timestamp in frame.columns else None
    frame = _typed(
        frame,
        timestamp=clock,
        labels=[c for c in (prediction, truth) if c is not None],
        scores=[score] if score else [],
        features=chosen,
    )
    resolved, probability = _resolve_task(frame, task, prediction, truth)
    predicted = prediction
    if resolved == "classification" and truth is not None:
        frame = _classes(frame, prediction, truth, probability=probability, threshold=threshold)
        predicted = _CLASS
    judge = _Judge(
        task=resolved,
        predicted=predicted,
        label=truth,
        score=score or (prediction if probability else None),
        positive=_positive(frame, resolved, predicted, truth, positive),
        min_labels=min_labels,
    )
    metric = _metric(resolved, performance.metric, judge.score)
    windowed, window_name = _windows(frame, clock, window)
    if windowed.is_empty():
        raise InputError(
            f"the log has no rows{' with a timestamp' if frame.height else ''}",
            hint="check the file, and --timestamp for the column of prediction times",
        )
    outputs = [prediction] + ([score] if score and score != prediction else [])
    keys = windowed.get_column(_WINDOW).unique(maintain_order=True).to_list()
    base_keys = keys[:baseline_windows]
    base_frame = windowed.filter(pl.col(_WINDOW).is_in(base_keys))
    base_metrics = measure(base_frame.select(chosen + outputs))
    base_labelled, base_quality = judge(base_frame)
    baseline = _Baseline(metrics=base_metrics, quality=base_quality)
    edges = bin_edges(base_metrics)
    daily = all(isinstance(k, datetime) and k.time() == datetime.min.time() for k in keys)
    reports = []
    parts = windowed.partition_by(_WINDOW, maintain_order=True, include_key=False)
    for key, part in zip(keys, parts, strict=True):
        name, start, end = _window_bounds(key, part, clock, window, daily=daily)
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
            report = _compared(
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
    )


def classification_metrics(
    labels: ArrayLike,
    predictions: ArrayLike,
    *,
    positive: Label | None = None,
    scores: ArrayLike | None = None,
) -> Metrics:
    """Accuracy, precision, recall, F1 (macro over classes if more than two) and ROC AUC.

    Binary labels count `positive` (default: the larger label) as the positive class; ROC AUC
    needs `scores` (higher means more likely positive) and both classes among the labels.

    >>> m = classification_metrics([0, 1, 1, 0], [0, 1, 0, 0], scores=[0.1, 0.9, 0.4, 0.3])
    >>> m["accuracy"], m["precision"], m["recall"], round(m["f1"], 3), m["roc_auc"]
    (0.75, 1.0, 0.5, 0.667, 1.0)
    """
    truth = np.asarray(labels)
    guess = np.asarray(predictions)
    if truth.shape != guess.shape:
        raise ValueError("labels and predictions differ in length")
    if truth.size == 0:
        return dict.fromkeys(CLASSIFICATION_METRICS)
    classes, codes = np.unique(np.concatenate([truth, guess]), return_inverse=True)
    true_codes, guess_codes = codes[: truth.size], codes[truth.size :]
    accuracy = float(np.mean(true_codes == guess_codes))
    if classes.size <= 2 or positive is not None:
        chosen = classes[-1] if positive is None else positive
        actual, said = truth == chosen, guess == chosen
        precision, recall, f1 = _scores(
            int(np.sum(actual & said)), int(np.sum(said)), int(np.sum(actual))
        )
        auc = None if scores is None else roc_auc(actual, scores)
    else:
        hits = np.bincount(true_codes[true_codes == guess_codes], minlength=classes.size)
        said_counts = np.bincount(guess_codes, minlength=classes.size)
        actual_counts = np.bincount(true_codes, minlength=classes.size)
        each = [
            _scores(int(h), int(s), int(a))
            for h, s, a in zip(hits, said_counts, actual_counts, strict=True)
        ]
        precision, recall, f1 = (float(np.mean([e[k] for e in each])) for k in range(3))
        auc = None  # one score column cannot rank more than two classes
    return {
        "accuracy": accuracy,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "roc_auc": auc,
    }


def regression_metrics(labels: ArrayLike, predictions: ArrayLike) -> Metrics:
    """Mean absolute error, root mean squared error and R² (None when the labels are constant).

    >>> m = regression_metrics([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    >>> m["mae"], round(m["rmse"], 4), m["r2"]
    (0.6666666666666666, 1.1547, -1.0)
    """
    truth = np.asarray(labels, dtype=np.float64)
    guess = np.asarray(predictions, dtype=np.float64)
    if truth.size == 0:
        return dict.fromkeys(REGRESSION_METRICS)
    errors = guess - truth
    total = float(np.sum((truth - truth.mean()) ** 2))
    return {
        "mae": float(np.mean(np.abs(errors))),
        "rmse": float(np.sqrt(np.mean(errors**2))),
        "r2": None if total == 0 else 1.0 - float(np.sum(errors**2)) / total,
    }


def roc_auc(truth: ArrayLike, scores: ArrayLike) -> float | None:
    """The area under the ROC curve from ranks: P(a positive outscores a negative), ties half.

    >>> roc_auc([False, True, False, True], [0.1, 0.4, 0.45, 0.8])
    0.75
    """
    actual = np.asarray(truth, dtype=bool)
    # average ranks (1-based) of the sorted distinct scores: tied scores share their mean rank
    _, where, counts = np.unique(
        np.asarray(scores, dtype=np.float64), return_inverse=True, return_counts=True
    )
    ranks = (np.cumsum(counts) - (counts - 1) / 2)[where]
    positives = int(actual.sum())
    negatives = actual.size - positives
    if positives == 0 or negatives == 0:
        return None
    above = float(ranks[actual].sum()) - positives * (positives + 1) / 2
    return above / (positives * negatives)


@dataclass(frozen=True, kw_only=True)
class _Baseline:
    metrics: BatchMetrics
    quality: Metrics


def _compared(
    report: WindowReport,
    part: pl.DataFrame,
    baseline: _Baseline,
    *,
    edges: Mapping[str, Sequence[float]],
    features: list[str],
    outputs: list[str],
    metric: MetricName,
    drift: DriftSettings,
    max_drop: float,
) -> WindowReport:
    """The window with its drift from the baseline and the alerts both raise."""
    current = measure(part.select(features + outputs), edges=edges)
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


def _drifted(report: DriftReport | None) -> tuple[str, ...]:
    if report is None:
        return ()
    return tuple(dict.fromkeys(f.column for f in report.findings if f.drifted))


def _drift_dict(report: DriftReport | None) -> Any:
    return None if report is None else report.to_dict()


def _scores(hits: int, said: int, actual: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of one class (0 where a ratio has nothing to divide by)."""
    precision = hits / said if said else 0.0
    recall = hits / actual if actual else 0.0
    total = precision + recall
    return precision, recall, 2 * precision * recall / total if total else 0.0


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


def _to_polars(frame: Any, what: str) -> pl.DataFrame:
    """Any frame as an eager Polars frame: this module works on whole windows in memory."""
    if isinstance(frame, pl.LazyFrame):
        return frame.collect()
    if isinstance(frame, pl.DataFrame):
        return frame
    try:
        wrapped = (
            nw.from_native(frame) if not isinstance(frame, nw.DataFrame | nw.LazyFrame) else frame
        )
    except TypeError:
        raise UsageError(
            f"the {what} is a {type(frame).__name__}, not a data frame",
            hint="pass a Polars or pandas frame",
        ) from None
    if isinstance(wrapped, nw.LazyFrame):
        return cast(pl.DataFrame, wrapped.collect(backend="polars").to_native())
    return wrapped.to_polars()


def _require(names: Sequence[str], wanted: Sequence[str]) -> None:
    """Every wanted column is present; else a usage error that suggests the nearest names."""
    missing = [name for name in wanted if name not in names]
    if not missing:
        return
    visible = [n for n in names if not n.startswith("_rowsift_")]
    hints = []
    for name in missing:
        close = difflib.get_close_matches(name, visible, n=1)
        hints.append(f"{name!r}: did you mean {close[0]!r}?" if close else f"{name!r}: not found")
    raise UsageError(
        f"the log lacks column(s) {', '.join(repr(m) for m in missing)}; "
        f"it has {', '.join(repr(n) for n in visible)}",
        hint="; ".join(hints),
    )


def _join_labels(frame: pl.DataFrame, labels: pl.DataFrame, *, id: str, label: str) -> pl.DataFrame:
    """The log with the labels table's label of each id (the last one if an id has several)."""
    _require(frame.columns, [id])
    try:
        _require(labels.columns, [id, label])
    except UsageError as exc:
        raise UsageError(
            exc.message.replace("the log", "the labels table"), hint=exc.hint
        ) from None
    arrived = labels.select(id, label).filter(pl.col(label).is_not_null())
    arrived = arrived.unique(subset=[id], keep="last", maintain_order=True)
    if frame.schema[id] != arrived.schema[id]:  # e.g. ids read as text on one side only
        frame = frame.with_columns(pl.col(id).cast(pl.String))
        arrived = arrived.with_columns(pl.col(id).cast(pl.String))
    joined = "_rowsift_arrived"
    arrived = arrived.rename({label: joined})
    merged = frame.join(arrived, on=id, how="left", maintain_order="left")
    if label in frame.columns:
        own, new = merged.schema[label], merged.schema[joined]
        if own != new:
            merged = merged.with_columns(pl.col(label, joined).cast(pl.String))
        return merged.with_columns(pl.coalesce(joined, label).alias(label)).drop(joined)
    return merged.rename({joined: label})


def _typed(
    frame: pl.DataFrame,
    *,
    timestamp: str | None,
    labels: Sequence[str],
    scores: Sequence[str],
    features: Sequence[str],
) -> pl.DataFrame:
    """Text columns as the types they hold: a file read as text gives every column as text."""
    schema = frame.schema
    exprs: list[pl.Expr | pl.Series] = []
    if timestamp is not None:
        exprs.append(_timestamp(frame, timestamp))
    for name in scores:
        if schema[name] == pl.String:
            numbers = pl.col(name).str.strip_chars().cast(pl.Float64, strict=False)
            exprs.append(numbers)
        elif not schema[name].is_numeric():
            raise InputError(
                f"the score column {name!r} holds {schema[name]}, not numbers",
                hint="the score is the model's probability or confidence of the positive class",
            )
    for name in dict.fromkeys([*labels, *features]):
        if name in (timestamp, *scores) or schema[name] != pl.String:
            continue
        if _numeric_share(frame, name) >= NUMERIC_SHARE:
            exprs.append(_numbers(frame, name, whole=name in labels))
    typed = frame.with_columns(exprs) if exprs else frame
    for name in scores:
        if typed.get_column(name).drop_nans().null_count() == typed.height and typed.height:
            raise InputError(
                f"the score column {name!r} has no values that parse as numbers",
                hint="check --score: it names the column of probabilities or confidences",
            )
    return typed


def _numbers(frame: pl.DataFrame, name: str, *, whole: bool) -> pl.Series:
    """A text column as numbers: whole numbers as integers when `whole` (classes 0 and 1)."""
    numbers = frame.get_column(name).str.strip_chars().cast(pl.Float64, strict=False)
    present = numbers.drop_nulls().drop_nans()
    if whole and bool((present == present.round(0)).all()) and bool((present.abs() < 2**53).all()):
        return numbers.cast(pl.Int64)
    return numbers


def _numeric_share(frame: pl.DataFrame, name: str) -> float:
    text = frame.get_column(name).drop_nulls().str.strip_chars()
    text = text.filter(text != "")
    if text.len() == 0:
        return 0.0
    return 1.0 - text.cast(pl.Float64, strict=False).null_count() / text.len()


def _timestamp(frame: pl.DataFrame, name: str) -> pl.Expr:
    """The timestamp as a naive datetime (zoned values in UTC), parsed leniently from text."""
    dtype = frame.schema[name]
    col = pl.col(name)
    if isinstance(dtype, pl.Datetime):
        return (
            col.dt.convert_time_zone("UTC").dt.replace_time_zone(None) if dtype.time_zone else col
        )
    if dtype == pl.Date:
        return col.cast(pl.Datetime("us"))
    if dtype != pl.String:
        raise UsageError(
            f"the timestamp column {name!r} holds {dtype}, not dates or times",
            hint="give the column of prediction times, or windows by rows (e.g. --window 10000)",
        )
    text = col.str.strip_chars()
    parsed = pl.coalesce(
        text.str.to_datetime(strict=False, time_unit="us"),
        text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%z", strict=False, time_unit="us")
        .dt.convert_time_zone("UTC")
        .dt.replace_time_zone(None),
        text.str.to_datetime("%Y-%m-%d %H:%M:%S%.f%z", strict=False, time_unit="us")
        .dt.convert_time_zone("UTC")
        .dt.replace_time_zone(None),
        text.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us")),
        text.str.to_date("%Y/%m/%d", strict=False).cast(pl.Datetime("us")),
    )
    result = frame.select(parsed.alias(name))
    if frame.height and result.get_column(name).null_count() == frame.height:
        sample = frame.get_column(name).drop_nulls().head(1).to_list()
        raise InputError(
            f"no value of the timestamp column {name!r} parses as a date or time"
            + (f" (e.g. {sample[0]!r})" if sample else ""),
            hint="write timestamps as ISO 8601, e.g. 2026-03-04T10:15:00",
        )
    return parsed.alias(name)


def _resolve_task(
    frame: pl.DataFrame, task: Task, prediction: str, label: str | None
) -> tuple[ModelTask, bool]:
    """The task, and whether the prediction is a probability rather than a class."""
    if task not in ("auto", "classification", "regression"):
        raise UsageError(f"unknown task {task!r}", hint="use auto, classification or regression")
    said = frame.get_column(prediction)
    truth = frame.get_column(label) if label is not None else None
    probability = _is_probability(said, truth)
    if task == "regression":
        for column in (said, truth):
            if column is not None and not column.dtype.is_numeric():
                raise UsageError(
                    f"a regression needs numbers, but {column.name!r} holds {column.dtype}",
                    hint="use --task classification for class labels",
                )
        return "regression", False
    if task == "classification" or probability:
        return "classification", probability
    columns = [said] if truth is None else [said, truth]
    if any(not c.dtype.is_numeric() for c in columns):
        return "classification", False
    values = pl.concat([c.cast(pl.Float64) for c in columns]).drop_nulls().drop_nans().unique()
    whole = values.len() > 0 and bool((values == values.round(0)).all())
    return ("classification" if whole and values.len() <= MAX_CLASSES else "regression"), False


def _is_probability(said: pl.Series, truth: pl.Series | None) -> bool:
    """A float prediction in [0, 1] that is not all 0 and 1, of labels 0 and 1."""
    if truth is None or not said.dtype.is_float():
        return False
    if not (truth.dtype.is_numeric() or truth.dtype == pl.Boolean):
        return False
    classes = set(truth.drop_nulls().cast(pl.Float64).unique().to_list())
    values = said.drop_nulls().drop_nans()
    if not classes <= {0.0, 1.0} or values.len() == 0:
        return False
    inside = bool(values.is_between(0.0, 1.0).all())
    return inside and not bool(values.is_in([0.0, 1.0]).all())


def _classes(
    frame: pl.DataFrame, prediction: str, label: str, *, probability: bool, threshold: float
) -> pl.DataFrame:
    """The frame with the predicted class in `_CLASS`, of one type with the label."""
    truth = frame.schema[label]
    if probability:
        said = pl.col(prediction) >= threshold
        common = truth if truth == pl.Boolean else _common([truth, pl.Int64()])
        return frame.with_columns(said.cast(common).alias(_CLASS), pl.col(label).cast(common))
    common = _common([frame.schema[prediction], truth])
    return frame.with_columns(
        pl.col(prediction).cast(common).alias(_CLASS), pl.col(label).cast(common)
    )


def _common(types: Sequence[pl.DataType]) -> pl.DataType:
    """One type for the classes: booleans, whole numbers, numbers, or else text."""
    if all(t == pl.Boolean for t in types):
        return pl.Boolean()
    if all(t.is_integer() or t == pl.Boolean for t in types):
        return pl.Int64()
    if all(t.is_numeric() or t == pl.Boolean for t in types):
        return pl.Float64()
    return pl.String()


def _positive(
    frame: pl.DataFrame,
    task: ModelTask,
    predicted: str,
    label: str | None,
    positive: Label | None,
) -> Label | None:
    """The positive class of a binary classifier: the one given, else the larger label."""
    if task != "classification" or label is None:
        return None
    dtype = frame.schema[label]
    if positive is not None:
        try:
            value = pl.Series([positive]).cast(dtype).item()
        except (pl.exceptions.PolarsError, ValueError):
            value = None
        if value is None:
            raise UsageError(
                f"the positive class {positive!r} is not a value of the label column {label!r}",
                hint=f"the label column holds {dtype}",
            )
        return cast(Label, value)
    classes = pl.concat([frame.get_column(label), frame.get_column(predicted)]).drop_nulls()
    distinct = classes.unique().sort()
    if distinct.len() == 0 or distinct.len() > 2:
        return None
    return cast(Label, distinct[-1])


def _metric(task: ModelTask, chosen: str | None, score: str | None) -> MetricName:
    """The metric alerts watch: the one chosen, else ROC AUC, F1 or RMSE."""
    allowed = CLASSIFICATION_METRICS if task == "classification" else REGRESSION_METRICS
    if chosen is None:
        if task == "regression":
            return "rmse"
        return "roc_auc" if score is not None else "f1"
    name = chosen.lower().replace(" ", "_").replace("-", "_")
    for metric in allowed:
        if metric == name:
            return metric
    close = difflib.get_close_matches(name, allowed, n=1)
    raise UsageError(
        f"{chosen!r} is not a {task} metric",
        hint=(f"did you mean {close[0]!r}? " if close else "")
        + f"choose one of {', '.join(allowed)}",
    )


def _windows(
    frame: pl.DataFrame, timestamp: str | None, window: str | int
) -> tuple[pl.DataFrame, str]:
    """The rows in time order, each with its window's key (rows without a time are dropped)."""
    if isinstance(window, str):
        assert timestamp is not None  # _require checked it
        ordered = frame.filter(pl.col(timestamp).is_not_null()).sort(timestamp, maintain_order=True)
        return ordered.with_columns(pl.col(timestamp).dt.truncate(window).alias(_WINDOW)), window
    ordered = frame
    if timestamp is not None:
        ordered = frame.sort(timestamp, nulls_last=True, maintain_order=True)
    keyed = ordered.with_columns((pl.int_range(pl.len(), dtype=pl.Int64) // window).alias(_WINDOW))
    return keyed, f"{window} rows"


def _window_bounds(
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
class _Judge:
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
