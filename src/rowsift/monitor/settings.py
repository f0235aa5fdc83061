"""What monitoring compares and how sure it must be: the recipe's `monitor:` section as data."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from rowsift.recipe.model import MonitorSpec

Seasonality = Literal["none", "weekly"]
WebhookFormat = Literal["json", "slack"]


@dataclass(frozen=True, kw_only=True)
class DriftSettings:
    """When a column of the current batch has drifted from the baseline.

    A column drifts when a test is significant after Benjamini-Hochberg control of the false
    discovery rate `alpha` over every test of the comparison, and its effect size reaches the
    threshold of that test (so a tiny but significant change on a large batch stays quiet).
    """

    alpha: float = 0.01
    psi: float = 0.2
    wasserstein: float = 0.1
    jensen_shannon: float = 0.1
    null_rate: float = 0.02
    category_share: float = 0.005
    columns: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AnomalySettings:
    """When the latest value of a metric series is unusual for its history."""

    history: int = 14
    min_history: int = 5
    threshold: float = 3.5
    min_relative_change: float = 0.1
    seasonality: Seasonality = "none"


@dataclass(frozen=True, kw_only=True)
class PerformanceSettings:
    """When a model's quality has fallen far enough to retrain."""

    max_drop: float = 0.05
    metric: str | None = None


@dataclass(frozen=True, kw_only=True)
class MonitorSettings:
    """The recipe's `monitor:` section; every field has a default that suits most batches."""

    baseline_run: str | None = None
    baseline_window: int = 7
    #: batches that raised an alert or failed stay out of later baselines until accepted
    exclude_alerted: bool = True
    drift: DriftSettings = field(default_factory=DriftSettings)
    anomalies: AnomalySettings = field(default_factory=AnomalySettings)
    performance: PerformanceSettings = field(default_factory=PerformanceSettings)
    #: an open incident resolves after this many batches in a row without its alert
    resolve_after: int = 3
    webhook: str | None = None
    webhook_format: WebhookFormat | None = None


def settings_from(spec: MonitorSpec | None) -> MonitorSettings:
    """The recipe's `monitor:` section with every unset threshold at its default.

    >>> settings_from(None).drift.alpha
    0.01
    """
    if spec is None:
        return MonitorSettings()
    drift = spec.drift
    return MonitorSettings(
        baseline_run=spec.baseline.run,
        baseline_window=spec.baseline.window,
        exclude_alerted=spec.baseline.exclude_alerted,
        resolve_after=spec.incidents.resolve_after,
        webhook_format=spec.webhook_format,
        drift=replace(
            DriftSettings(
                alpha=drift.alpha, columns=tuple(drift.columns), ignore=tuple(drift.ignore)
            ),
            **_given(
                drift, ("psi", "wasserstein", "jensen_shannon", "null_rate", "category_share")
            ),
        ),
        anomalies=replace(
            AnomalySettings(),
            **_given(
                spec.anomalies,
                ("history", "min_history", "threshold", "min_relative_change", "seasonality"),
            ),
        ),
        webhook=spec.webhook,
    )


def _given(spec: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in names if getattr(spec, name) is not None}
