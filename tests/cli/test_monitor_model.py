"""`rowsift monitor model`: files in, a table or JSON out, exit 4 on an alert."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

START = datetime(2026, 3, 1)


def prediction_log(*, flip_step: float, days: int = 12, per_class: int = 200) -> pl.DataFrame:
    """Balanced 0/1 labels; on day d a share 0.05 + flip_step * d of predictions is wrong."""
    rng = np.random.default_rng(21)
    parts = []
    for day in range(days):
        wrong = round(per_class * (0.05 + flip_step * day))
        label = np.repeat([0, 1], per_class)
        prediction = label.copy()
        for cls in (0, 1):
            prediction[rng.choice(per_class, wrong, replace=False) + cls * per_class] = 1 - cls
        seconds = rng.integers(0, 86_400, label.size)
        parts.append(
            pl.DataFrame(
                {
                    "timestamp": [
                        (START + timedelta(days=day, seconds=int(s))).isoformat() for s in seconds
                    ],
                    "amount": np.round(rng.lognormal(3, 0.5, label.size), 2),
                    "channel": rng.choice(["web", "shop"], label.size),
                    "prediction": prediction,
                    "label": label,
                }
            )
        )
    log = pl.concat(parts)
    return log.with_row_index("id").with_columns(pl.format("tx-{}", "id").alias("id"))


@pytest.fixture
def degrading(tmp_path: Path) -> dict[str, Path]:
    full = prediction_log(flip_step=0.02)
    log, labels = tmp_path / "log.csv", tmp_path / "labels.csv"
    full.drop("label").write_csv(log)
    full.select("id", "label").sample(fraction=0.8, seed=1, shuffle=True).write_csv(labels)
    return {"log": log, "labels": labels}


def test_degrading_model_exits_4_with_the_alert_sentence(
    cli: Callable, degrading: dict[str, Path]
) -> None:
    result = cli("monitor", "model", str(degrading["log"]), "--labels", str(degrading["labels"]))
    assert result.code == 4, result.stderr
    assert "watching F1 (max drop 0.05)" in result.stdout
    assert "performance: F1 " in result.stdout
    assert "vs 0.95 baseline: below by" in result.stdout
    assert "consider retraining" in result.stdout
    assert "12 windows of 1d (the first is the baseline)" in result.stdout


def test_json_output_names_the_windows_and_alerts(
    cli: Callable, degrading: dict[str, Path]
) -> None:
    result = cli(
        "monitor",
        "model",
        str(degrading["log"]),
        "--labels",
        str(degrading["labels"]),
        "--features",
        "amount,channel",
        "--json",
    )
    assert result.code == 4, result.stderr
    data = json.loads(result.stdout)
    assert data["features"] == ["amount", "channel"]
    assert data["task"] == "classification"
    windows = data["windows"]
    assert len(windows) == 12
    assert sum(w["labelled"] for w in windows) == round(0.8 * 12 * 400)
    alerted = [a["details"]["window"] for a in data["alerts"] if a["kind"] == "performance"]
    # F1 falls by 0.02 a day, measured on about 320 labels a window: past 0.05 from about
    # day 3 on, and by far more in the last days
    labels = [w["label"] for w in windows]
    assert alerted == labels[labels.index(alerted[0]) :]
    assert alerted[0] in ("2026-03-03", "2026-03-04", "2026-03-05")


def test_stable_model_exits_0(cli: Callable, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    prediction_log(flip_step=0.0).write_csv(log)
    result = cli("monitor", "model", str(log), "--max-drop", "0.05")
    assert result.code == 0, result.stdout + result.stderr
    assert "no alerts" in result.stdout


def test_row_windows_and_a_larger_max_drop(cli: Callable, degrading: dict[str, Path]) -> None:
    result = cli(
        "monitor",
        "model",
        str(degrading["log"]),
        "--labels",
        str(degrading["labels"]),
        "--window",
        "800",
        "--max-drop",
        "0.5",
        "--json",
    )
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["window"] == "800 rows"
    assert data["windows"][0]["label"] == "rows 1-800"


def test_missing_column_is_exit_2_with_did_you_mean(
    cli: Callable, degrading: dict[str, Path]
) -> None:
    result = cli("monitor", "model", str(degrading["log"]), "--prediction", "predicted")
    assert result.code == 2
    assert "did you mean 'prediction'?" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_unparsable_timestamps_are_exit_3(cli: Callable, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    prediction_log(flip_step=0.0, days=1).with_columns(pl.lit("soon").alias("timestamp")).write_csv(
        log
    )
    result = cli("monitor", "model", str(log))
    assert result.code == 3
    assert "no value of the timestamp column 'timestamp' parses" in result.stderr


def test_bad_window_is_exit_2(cli: Callable, degrading: dict[str, Path]) -> None:
    result = cli("monitor", "model", str(degrading["log"]), "--window", "daily")
    assert result.code == 2
    assert "not a duration" in result.stderr


def test_monitor_without_a_command_shows_help(cli: Callable) -> None:
    result = cli("monitor")
    assert "model" in result.stdout + result.stderr


def test_each_window_is_one_whole_line_in_80_columns(
    cli: Callable, degrading: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window's start names it, and the watched metric is what the table is for: neither
    is cut on a narrow terminal (the drifted columns are counted, and named by the alerts)."""
    monkeypatch.setenv("COLUMNS", "80")
    log, labels = str(degrading["log"]), str(degrading["labels"])
    result = cli("monitor", "model", log, "--labels", labels, "--baseline-windows", "3")
    assert result.code == 4, result.stderr
    data = json.loads(
        cli("monitor", "model", log, "--labels", labels, "--baseline-windows", "3", "--json").stdout
    )
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines if "│" in line or "┃" in line)
    for window in data["windows"]:
        [line] = [line for line in lines if line.startswith(window["label"] + " ")]
        assert "…" not in line
        assert f"{window['metrics']['f1']:.3f}" in line
