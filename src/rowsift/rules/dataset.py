"""Dataset rules: judged on the run's statistics after the split; they decide the run's status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal

from rowsift.rules.severity import Severity


@dataclass(frozen=True, kw_only=True)
class RunStats:
    """What dataset rules may look at."""

    rows_in: int
    rows_clean: int
    rows_quarantined: int
    nulls: Mapping[str, int]


@dataclass(frozen=True, kw_only=True)
class Verdict:
    """The observed value of a dataset rule and whether it passed."""

    observed: float
    passed: bool


def _within(observed: float, low: float | None, high: float | None) -> bool:
    return (low is None or observed >= low) and (high is None or observed <= high)


@dataclass(frozen=True, kw_only=True)
class RowCount:
    """The number of rows lies within bounds; `of` says which rows: input or clean output."""

    name: ClassVar[str] = "row_count"
    min: int | None = None
    max: int | None = None
    of: Literal["input", "clean"] = "input"
    severity: Severity = "error"

    def judge(self, stats: RunStats) -> Verdict:
        """Count the rows and compare with the bounds."""
        observed = stats.rows_in if self.of == "input" else stats.rows_clean
        return Verdict(observed=observed, passed=_within(observed, self.min, self.max))


@dataclass(frozen=True, kw_only=True)
class QuarantineRate:
    """The share of input rows that went to the quarantine is at most `max`."""

    name: ClassVar[str] = "quarantine_rate"
    max: float
    severity: Severity = "error"

    def judge(self, stats: RunStats) -> Verdict:
        """Share of quarantined rows; an empty input has a rate of 0."""
        observed = stats.rows_quarantined / stats.rows_in if stats.rows_in else 0.0
        return Verdict(observed=observed, passed=observed <= self.max)


@dataclass(frozen=True, kw_only=True)
class NullRate:
    """The share of input rows whose value (after transforms) is null is at most `max`."""

    name: ClassVar[str] = "null_rate"
    column: str
    max: float
    severity: Severity = "error"

    def judge(self, stats: RunStats) -> Verdict:
        """Share of null values in the column."""
        nulls = stats.nulls.get(self.column, 0)
        observed = nulls / stats.rows_in if stats.rows_in else 0.0
        return Verdict(observed=observed, passed=observed <= self.max)


DatasetRule = RowCount | QuarantineRate | NullRate
"""Every dataset rule (the registry is read from this union)."""
