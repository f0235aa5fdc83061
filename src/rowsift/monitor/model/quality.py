"""Quality metrics of a model: pure functions of labels, predictions and scores (numpy only)."""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

MetricName = Literal["accuracy", "precision", "recall", "f1", "roc_auc", "mae", "rmse", "r2"]
Label = str | int | float | bool
Metrics = dict[str, float | None]

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


def _scores(hits: int, said: int, actual: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of one class (0 where a ratio has nothing to divide by)."""
    precision = hits / said if said else 0.0
    recall = hits / actual if actual else 0.0
    total = precision + recall
    return precision, recall, 2 * precision * recall / total if total else 0.0
