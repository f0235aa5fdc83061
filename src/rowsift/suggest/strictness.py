"""The strictness knob: thresholds that trade missed errors against false alarms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Strictness = Literal["conservative", "balanced", "aggressive"]


@dataclass(frozen=True, kw_only=True)
class Thresholds:
    """Every threshold a heuristic reads, for one strictness level."""

    type_share: float
    """A type is suggested when at least this share of present values cast."""
    pattern_share: float
    """A pattern is suggested when its shapes cover at least this share of present values."""
    rare_shape_share: float
    """A new skeleton needs this share of present values to be part of the pattern."""
    keep_shape_count: int
    """A shape of an accepted skeleton with at least this many values widens its run lengths."""
    not_null_share: float
    """`not_null` is suggested when at most this share of rows is null."""
    set_size: int
    """Columns with at most this many distinct values get an allowed set."""
    typo_ratio: float
    """A rare value is a typo only if a value at least this many times as frequent is close."""
    typo_distance: int
    """Largest edit distance of a typo (1 for values under 8 characters)."""
    rare_value_count: int
    """Values seen at most this often are left out of an allowed set (0: never)..."""
    rare_value_typical: int
    """...when the median value of the column is seen at least this often."""
    range_margin: float
    """Range bounds lie this many 1%-99% spreads beyond the 1% and 99% quantiles."""
    dependency_share: float
    """A dependency is suggested when it holds on at least this share of supported rows."""
    duplicate_share: float
    """Duplicate rows are quarantined when at most this share of rows are duplicates."""
    rule_budget: float
    """A rule that would quarantine more than this share of rows now is dropped."""


THRESHOLDS: dict[Strictness, Thresholds] = {
    "conservative": Thresholds(
        type_share=0.995,
        pattern_share=0.995,
        rare_shape_share=0.002,
        keep_shape_count=2,
        not_null_share=0.0,
        set_size=30,
        typo_ratio=20.0,
        typo_distance=1,
        rare_value_count=0,
        rare_value_typical=0,
        range_margin=3.0,
        dependency_share=0.99,
        duplicate_share=0.001,
        rule_budget=0.02,
    ),
    "balanced": Thresholds(
        type_share=0.85,
        pattern_share=0.85,
        rare_shape_share=0.005,
        keep_shape_count=3,
        not_null_share=0.005,
        set_size=200,
        typo_ratio=5.0,
        typo_distance=2,
        rare_value_count=1,
        rare_value_typical=30,
        range_margin=1.5,
        dependency_share=0.75,
        duplicate_share=0.01,
        rule_budget=0.5,
    ),
    "aggressive": Thresholds(
        type_share=0.85,
        pattern_share=0.8,
        rare_shape_share=0.01,
        keep_shape_count=1_000_000_000,
        not_null_share=0.05,
        set_size=500,
        typo_ratio=3.0,
        typo_distance=2,
        rare_value_count=2,
        rare_value_typical=10,
        range_margin=0.5,
        dependency_share=0.6,
        duplicate_share=0.05,
        rule_budget=0.6,
    ),
}


def thresholds(strictness: Strictness) -> Thresholds:
    """The thresholds of a strictness level.

    >>> thresholds("balanced").type_share
    0.85
    """
    return THRESHOLDS[strictness]
