"""Model monitoring on generated prediction logs whose true quality and drift are known."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from itertools import product

import numpy as np
import pandas as pd
import polars as pl
import pytest

from rowsift.exceptions import InputError, UsageError
from rowsift.monitor.model import (
    ModelReport,
    classification_metrics,
    monitor_model,
    regression_metrics,
    roc_auc,
)
from rowsift.monitor.settings import PerformanceSettings

START = datetime(2026, 3, 1)
DAYS = 20
PER_CLASS = 500


def classifier_log(
    *,
    flip_step: float = 0.0,
    base_error: float = 0.05,
    shift_from: int | None = None,
    seed: int = 7,
) -> pl.DataFrame:
    """Balanced binary labels, PER_CLASS of each class a day, over DAYS daily windows.

    On day d exactly round(PER_CLASS * (base_error + flip_step * d)) predictions of each class
    are flipped, so F1 (positive class 1) and accuracy are both exactly 1 - that share, and
    the drop from day 0 is flip_step * d. From day `shift_from` on, feature x2 moves up by one
    standard deviation; the score ranks the rows, noisily.
    """
    rng = np.random.default_rng(seed)
    parts = []
    for day in range(DAYS):
        wrong = round(PER_CLASS * (base_error + flip_step * day))
        label = np.repeat([0, 1], PER_CLASS)
        prediction = label.copy()
        for cls in (0, 1):
            flipped = rng.choice(PER_CLASS, wrong, replace=False) + cls * PER_CLASS
            prediction[flipped] = 1 - cls
        rows = label.size
        shift = 2.0 if shift_from is not None and day >= shift_from else 0.0
        seconds = np.sort(rng.integers(0, 86_400, rows))
        order = rng.permutation(rows)
        noise = rng.normal(0.25, 0.2, rows)
        parts.append(
            pl.DataFrame(
                {
                    "timestamp": [START + timedelta(days=day, seconds=int(s)) for s in seconds],
                    "x1": rng.normal(0.0, 1.0, rows),
                    "x2": rng.normal(5.0, 2.0, rows) + shift,
                    "colour": rng.choice(["red", "green", "blue"], rows),
                    "score": np.round(np.clip(0.5 * prediction + noise, 0, 1), 2),
                    "prediction": prediction,
                    "label": label,
                }
            )[order]
        )
    log = pl.concat(parts).sort("timestamp")
    return log.with_row_index("id", offset=1).with_columns(pl.col("id").cast(pl.Int64))


def day_name(day: int) -> str:
    return (START + timedelta(days=day)).date().isoformat()


def performance_windows(report: ModelReport) -> list[str]:
    return [a.details["window"] for a in report.alerts if a.kind == "performance"]


def direct_f1(truth: np.ndarray, said: np.ndarray) -> float:
    tp = np.sum((truth == 1) & (said == 1))
    fp = np.sum((truth == 0) & (said == 1))
    fn = np.sum((truth == 1) & (said == 0))
    return float(2 * tp / (2 * tp + fp + fn))


def brute_auc(truth: np.ndarray, scores: np.ndarray) -> float:
    positives, negatives = scores[truth], scores[~truth]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in product(positives, negatives))
    return wins / (positives.size * negatives.size)


def test_degrading_classifier_alerts_from_the_first_window_past_max_drop() -> None:
    report = monitor_model(classifier_log(flip_step=0.012))
    assert (report.task, report.metric, report.positive) == ("classification", "f1", 1)
    assert report.baseline_metrics["f1"] == pytest.approx(0.95)
    assert [w.metrics["f1"] for w in report.windows] == pytest.approx(
        [0.95 - 0.012 * d for d in range(DAYS)]
    )
    # the drop is 0.048 on day 4 and 0.060 on day 5: the alert starts on day 5, not before
    assert performance_windows(report) == [day_name(d) for d in range(5, DAYS)]
    first = next(a for a in report.alerts if a.kind == "performance")
    assert first.message == (
        "F1 0.89 in window 2026-03-06 vs 0.95 baseline: below by 0.06 (max drop 0.05); "
        "consider retraining"
    )
    assert first.subject == "f1"
    assert first.details["drop"] == pytest.approx(0.06)


def test_a_larger_max_drop_and_another_metric_move_the_alert() -> None:
    log = classifier_log(flip_step=0.012)
    report = monitor_model(log, performance=PerformanceSettings(max_drop=0.1, metric="accuracy"))
    assert report.metric == "accuracy"
    # accuracy is 0.95 - 0.012 d as well: past 0.1 from day 9 (0.108) on
    assert performance_windows(report) == [day_name(d) for d in range(9, DAYS)]
    assert "accuracy 0.84 in window 2026-03-10 vs 0.95 baseline" in report.alerts[0].message


def test_stable_model_raises_no_alert() -> None:
    report = monitor_model(classifier_log())
    assert len(report.windows) == DAYS
    assert [w.baseline for w in report.windows] == [True] + [False] * (DAYS - 1)
    assert report.alerts == ()
    assert all(w.drifted_features == () for w in report.windows)
    assert all(w.metrics["f1"] == pytest.approx(0.95) for w in report.windows)


def test_feature_drift_in_one_feature_names_it() -> None:
    report = monitor_model(classifier_log(shift_from=10), features=["x1", "x2", "colour"])
    drift = [a for a in report.alerts if a.kind == "drift"]
    assert drift
    assert {a.subject for a in drift} == {"x2"}
    assert {a.details["window"] for a in drift} == {day_name(d) for d in range(10, DAYS)}
    assert all("x2" in a.message and a.details["scope"] == "feature" for a in drift)
    assert [w.drifted_features for w in report.windows[10:]] == [("x2",)] * (DAYS - 10)
    assert not any(a.kind == "performance" for a in report.alerts)


def test_labels_from_a_separate_table_joined_by_id() -> None:
    full = classifier_log(flip_step=0.012)
    log = full.drop("label")
    arrived = full.select("id", "label").sample(fraction=0.7, seed=3, shuffle=True)
    stray = pl.DataFrame({"id": [10**9, 10**9 + 1], "label": [1, 0]})
    labels = pl.concat([arrived, stray]).sample(fraction=1.0, shuffle=True, seed=11)
    report = monitor_model(log, labels=labels)
    known = full.join(arrived.select("id"), on="id").with_columns(
        pl.col("timestamp").dt.date().alias("day")
    )
    for day, window in enumerate(report.windows):
        part = known.filter(pl.col("day") == (START + timedelta(days=day)).date())
        assert window.rows == 2 * PER_CLASS
        assert window.labelled == part.height
        truth, said = part["label"].to_numpy(), part["prediction"].to_numpy()
        assert window.metrics["f1"] == pytest.approx(direct_f1(truth, said))
        assert window.metrics["accuracy"] == pytest.approx(float(np.mean(truth == said)))
    assert report.baseline_labelled == report.windows[0].labelled


def test_labels_table_overrides_the_logs_own_labels_and_keeps_the_rest() -> None:
    log = classifier_log().head(100)
    corrected = pl.DataFrame({"id": [1, 2], "label": [1 - log["label"][0], None]})
    report = monitor_model(log, labels=corrected, min_labels=1, window=100)
    truth = log["label"].to_numpy().copy()
    truth[0] = 1 - truth[0]
    assert report.windows[0].labelled == 100
    assert report.windows[0].metrics["accuracy"] == pytest.approx(
        float(np.mean(truth == log["prediction"].to_numpy()))
    )


def test_windows_with_too_few_labels_report_no_metrics_and_no_alert() -> None:
    full = classifier_log()
    broken = full.with_columns(
        pl.when(pl.col("timestamp").dt.day() == 8)
        .then(1 - pl.col("label"))  # a window where every prediction is wrong...
        .otherwise(pl.col("label"))
        .alias("label")
    )
    day_eight = broken.filter(pl.col("timestamp").dt.day() == 8)["id"]
    late = day_eight.tail(-29).to_list()
    keep = ~broken["id"].is_in(late)
    labels = broken.filter(keep).select("id", "label")  # ...but only 29 of its labels arrived
    report = monitor_model(full.drop("label"), labels=labels)
    window = report.windows[7]
    assert (window.label, window.labelled) == (day_name(7), 29)
    assert set(window.metrics.values()) == {None}
    assert report.alerts == ()
    with_fewer = monitor_model(full.drop("label"), labels=labels, min_labels=29)
    # the base model is wrong on 5% of rows, so 5% of the inverted labels are right again
    assert with_fewer.windows[7].metrics["accuracy"] < 0.1
    assert performance_windows(with_fewer) == [day_name(7)]


def test_windows_of_several_days_start_on_the_first_days_log() -> None:
    """START is 1 March 2026; counted from 1970, weekly `7d` windows would start on Thursdays
    (26 February first: a baseline of four days)."""
    report = monitor_model(classifier_log(), window="7d")
    assert [w.label for w in report.windows] == ["2026-03-01", "2026-03-08", "2026-03-15"]
    assert [w.rows for w in report.windows] == [7 * 2 * PER_CLASS] * 2 + [6 * 2 * PER_CLASS]
    # a zoned log is read in UTC: its first prediction, 00:03 in Oslo on 22 March, is on the
    # 21st, and so are its weeks' starts, across Oslo's change to summer time (29 March)
    oslo = classifier_log().with_columns(
        pl.col("timestamp").dt.replace_time_zone("Europe/Oslo") + pl.duration(days=21)
    )
    labels = [w.label for w in monitor_model(oslo, window="7d").windows]
    assert labels == ["2026-03-21", "2026-03-28", "2026-04-04"]


def test_regression_metrics_match_numpy_and_rmse_rising_alerts() -> None:
    rng = np.random.default_rng(5)
    days, per_day = 10, 400
    day = np.repeat(np.arange(days), per_day)
    x = rng.normal(0, 1, day.size)
    target = 2 + 3 * x + rng.normal(0, 1, day.size)
    predicted = 2 + 3 * x + 0.1 * day  # a bias that grows every day
    log = pl.DataFrame(
        {
            "id": np.arange(day.size),
            "timestamp": [
                START + timedelta(days=int(d), minutes=i % 1000) for i, d in enumerate(day)
            ],
            "x": x,
            "prediction": predicted,
            "label": target,
        }
    )
    report = monitor_model(log)
    assert (report.task, report.metric) == ("regression", "rmse")
    rmse = []
    for d, window in enumerate(report.windows):
        y, p = target[day == d], predicted[day == d]
        rmse.append(float(np.sqrt(np.mean((p - y) ** 2))))
        assert window.metrics["mae"] == pytest.approx(float(np.mean(np.abs(p - y))))
        assert window.metrics["rmse"] == pytest.approx(rmse[-1])
        r2 = 1 - np.sum((y - p) ** 2) / np.sum((y - y.mean()) ** 2)
        assert window.metrics["r2"] == pytest.approx(float(r2))
    expected = [day_name(d) for d in range(1, days) if rmse[d] > 1.05 * rmse[0]]
    assert expected  # the bias reaches 0.9 target units: RMSE rises by far more than 5%
    assert performance_windows(report) == expected
    message = report.alerts[0].message
    assert message.startswith(f"RMSE {rmse[days - len(expected)]:.4g} in window {expected[0]}")
    assert "above by" in message
    assert "(max rise 5.0%); consider retraining" in message


def test_regression_metrics_against_formulas() -> None:
    rng = np.random.default_rng(2)
    y = rng.normal(10, 3, 500)
    p = y + rng.normal(0.5, 1, 500)
    metrics = regression_metrics(y, p)
    assert metrics["mae"] == pytest.approx(np.mean(np.abs(p - y)))
    assert metrics["rmse"] == pytest.approx(np.sqrt(np.mean((p - y) ** 2)))
    assert metrics["r2"] == pytest.approx(1 - np.sum((y - p) ** 2) / np.sum((y - y.mean()) ** 2))
    assert regression_metrics([1.0, 1.0], [1.0, 2.0])["r2"] is None


def test_roc_auc_equals_a_brute_force_pairwise_count() -> None:
    rng = np.random.default_rng(3)
    for _ in range(5):
        truth = rng.random(60) < 0.4
        scores = np.round(rng.random(60) * 0.5 + 0.3 * truth, 1)  # rounding makes ties
        assert roc_auc(truth, scores) == pytest.approx(brute_auc(truth, scores))
    assert roc_auc([True, True], [0.1, 0.2]) is None


def test_roc_auc_is_the_default_metric_with_a_score_column() -> None:
    log = classifier_log(flip_step=0.012)
    report = monitor_model(log, score="score")
    assert report.metric == "roc_auc"
    assert report.predictions == ("prediction", "score")
    first = log.filter(pl.col("timestamp").dt.day() == 1)
    truth = first["label"].to_numpy() == 1
    assert report.windows[0].metrics["roc_auc"] == pytest.approx(
        brute_auc(truth, first["score"].to_numpy())
    )


def test_a_probability_as_prediction_is_a_score() -> None:
    log = classifier_log().with_columns(pl.col("score").alias("prediction"))
    report = monitor_model(log, features=["x1"])
    assert (report.task, report.metric) == ("classification", "roc_auc")
    first = log.filter(pl.col("timestamp").dt.day() == 1)
    truth, scores = first["label"].to_numpy(), first["score"].to_numpy()
    assert report.windows[0].metrics["accuracy"] == pytest.approx(
        float(np.mean(truth == (scores >= 0.5)))
    )
    assert report.windows[0].metrics["roc_auc"] == pytest.approx(brute_auc(truth == 1, scores))


def test_multiclass_metrics_are_macro_averages() -> None:
    truth = ["cat", "cat", "dog", "dog", "dog", "owl"]
    said = ["cat", "dog", "dog", "dog", "owl", "owl"]
    metrics = classification_metrics(truth, said)
    # per class (precision, recall): cat (1, 1/2), dog (2/3, 2/3), owl (1/2, 1)
    f1 = [2 * 0.5 / 1.5, 2 / 3, 2 * 0.5 / 1.5]
    assert metrics["accuracy"] == pytest.approx(4 / 6)
    assert metrics["precision"] == pytest.approx((1 + 2 / 3 + 1 / 2) / 3)
    assert metrics["recall"] == pytest.approx((1 / 2 + 2 / 3 + 1) / 3)
    assert metrics["f1"] == pytest.approx(sum(f1) / 3)
    assert metrics["roc_auc"] is None


def test_positive_class_is_configurable() -> None:
    truth, said = [0, 0, 0, 1], [0, 1, 1, 1]
    assert classification_metrics(truth, said)["precision"] == pytest.approx(1 / 3)
    zero = classification_metrics(truth, said, positive=0)
    assert (zero["precision"], zero["recall"]) == (1.0, pytest.approx(1 / 3))
    log = classifier_log(flip_step=0.012)
    report = monitor_model(log, positive=0)
    assert report.positive == 0
    assert report.windows[5].metrics["f1"] == pytest.approx(0.89)


def _to_the_last_bits(report: object) -> object:
    """`report` with every float matching any float within 1e-12 of it: a sum of floats
    depends on the order Polars adds its chunks in, which the reading path may change."""
    if isinstance(report, dict):
        return {key: _to_the_last_bits(value) for key, value in report.items()}
    if isinstance(report, list):
        return [_to_the_last_bits(value) for value in report]
    if isinstance(report, float):
        return pytest.approx(report, rel=1e-12, abs=1e-15)
    return report


def test_text_and_pandas_logs_give_the_same_report() -> None:
    log = classifier_log(flip_step=0.012)
    expected = monitor_model(log).to_dict()
    windows = _to_the_last_bits(expected["windows"])
    as_text = log.with_columns(pl.all().cast(pl.String))
    assert monitor_model(as_text).to_dict()["windows"] == windows
    assert monitor_model(log.to_pandas()).to_dict()["windows"] == windows
    assert monitor_model(log.lazy()).to_dict() == _to_the_last_bits(expected)


def test_row_windows() -> None:
    report = monitor_model(classifier_log(flip_step=0.012), window=2 * PER_CLASS)
    assert report.window == "1000 rows"
    assert [w.label for w in report.windows[:2]] == ["rows 1-1000", "rows 1001-2000"]
    first = classifier_log(flip_step=0.012).head(2 * PER_CLASS)["timestamp"]
    assert (report.windows[0].start, report.windows[0].end) == (
        first.min().isoformat(),
        first.max().isoformat(),
    )
    assert performance_windows(report)[0] == "rows 5001-6000"


def test_baseline_of_several_windows() -> None:
    report = monitor_model(classifier_log(flip_step=0.012), baseline_windows=3)
    assert [w.baseline for w in report.windows[:4]] == [True, True, True, False]
    assert report.baseline_rows == 3 * 2 * PER_CLASS
    # the baseline pools days 0-2: F1 0.95 - 0.012 on average
    assert report.baseline_metrics["f1"] == pytest.approx(0.938, abs=1e-3)
    assert all(a.details["window"] not in {day_name(d) for d in range(3)} for a in report.alerts)


def test_report_is_json() -> None:
    report = monitor_model(classifier_log(flip_step=0.012, shift_from=15))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["task"] == "classification"
    assert data["baseline"]["windows"] == [day_name(0)]
    assert len(data["windows"]) == DAYS
    assert {a["kind"] for a in data["alerts"]} == {"performance", "drift"}
    assert data["windows"][0]["feature_drift"] is None
    assert data["windows"][1]["feature_drift"] is not None


def test_missing_column_is_a_usage_error_with_a_suggestion() -> None:
    with pytest.raises(UsageError) as caught:
        monitor_model(classifier_log(), prediction="predicton")
    assert "did you mean 'prediction'?" in caught.value.hint
    with pytest.raises(UsageError, match="labels table lacks"):
        monitor_model(classifier_log(), labels=pl.DataFrame({"id": [1], "truth": [1]}))
    with pytest.raises(UsageError, match="not a duration"):
        monitor_model(classifier_log(), window="1 day")


def test_a_timestamp_without_parsable_values_is_an_input_error() -> None:
    log = classifier_log().with_columns(pl.lit("yesterday").alias("timestamp"))
    with pytest.raises(InputError, match="timestamp column 'timestamp'"):
        monitor_model(log)


def test_rows_without_a_timestamp_are_counted_and_left_out() -> None:
    log = classifier_log().with_columns(pl.col("timestamp").cast(pl.String))
    log = log.with_columns(
        pl.when(pl.col("id") <= 3).then(pl.lit("n/a")).otherwise("timestamp").alias("timestamp")
    )
    report = monitor_model(log)
    assert report.skipped_rows == 3
    assert sum(w.rows for w in report.windows) == log.height - 3


def test_pandas_frames_from_a_csv_like_source() -> None:
    log = classifier_log().head(200).to_pandas()
    log["timestamp"] = log["timestamp"].astype(str)
    report = monitor_model(pd.DataFrame(log), min_labels=10)
    assert report.windows[0].rows == sum(log["timestamp"].str.startswith("2026-03-01"))


def test_a_log_file_is_read_with_its_unsplittable_records_left_out_and_counted(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    lines = ["id,timestamp,prediction,label"]
    lines += [f"r{i},2026-03-0{1 + i // 50}T10:00:00,{i % 2},{i % 2}" for i in range(200)]
    lines.insert(9, "too,many,fields,here,and,more")
    path = tmp_path / "log.csv"
    path.write_text("\n".join(lines) + "\n")
    report = monitor_model(path, window="1d", min_labels=10)
    assert report.broken_records == {"log": 1}
    assert report.to_dict()["broken_records"] == {"log": 1}
    assert sum(window.rows for window in report.windows) == 200
