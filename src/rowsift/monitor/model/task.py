"""What a model does: classification or regression, its classes, its positive class, its metric."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Literal, cast

import polars as pl

from rowsift.exceptions import UsageError
from rowsift.monitor.model.quality import (
    CLASSIFICATION_METRICS,
    REGRESSION_METRICS,
    Label,
    MetricName,
)

Task = Literal["auto", "classification", "regression"]
ModelTask = Literal["classification", "regression"]
#: a numeric column with at most this many distinct whole values is a class label, not a target
MAX_CLASSES = 20
#: the predicted class, named like rowsift's own columns so that no metric covers it
CLASS = "_rowsift_class"


def resolve_task(
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


def with_classes(
    frame: pl.DataFrame, prediction: str, label: str, *, probability: bool, threshold: float
) -> pl.DataFrame:
    """The frame with the predicted class in `CLASS`, of one type with the label."""
    truth = frame.schema[label]
    if probability:
        said = pl.col(prediction) >= threshold
        common = truth if truth == pl.Boolean else _common([truth, pl.Int64()])
        return frame.with_columns(said.cast(common).alias(CLASS), pl.col(label).cast(common))
    common = _common([frame.schema[prediction], truth])
    return frame.with_columns(
        pl.col(prediction).cast(common).alias(CLASS), pl.col(label).cast(common)
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


def positive_class(
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


def watched_metric(task: ModelTask, chosen: str | None, score: str | None) -> MetricName:
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
