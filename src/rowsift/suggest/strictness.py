"""The strictness knob: thresholds that trade missed errors against false alarms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Strictness = Literal["conservative", "balanced", "aggressive"]


@dataclass(frozen=True, kw_only=True)
class Thresholds:
    """Every threshold a heuristic reads, for one strictness level."""

    pattern_share: float
    """A pattern is suggested when its shapes cover at least this share of present values."""
    rare_shape_share: float
    """A new skeleton needs this share of present values to be part of the pattern."""
    keep_shape_count: int
    """A shape of an accepted skeleton with at least this many values widens its run lengths."""
    not_null_share: float
    """`not_null` is suggested when at most this share of rows is null..."""
    not_null_rows: int
    """...and the column has at least this many rows..."""
    not_null_error_rows: int
    """...and it quarantines only from this many rows on: no null in n rows bounds the next
    batch's null share below about 3 / n (the rule of three, 95%); with fewer rows that bound
    is more than a quarantine should cost, and the rule warns."""
    set_missing_mass: float
    """`in_set` only when the chance that the next value is new (Good-Turing, with a margin:
    (f1 + 2·√f1 + 1) / n, f1 the values seen once) is at most this."""
    set_error_mass: float
    """...and it quarantines (``severity: error``) only when that chance is at most this; above
    it, up to `set_missing_mass`, the next batch is expected to hold new values on about that
    share of its rows, and the set only warns."""
    typo_ratio: float
    """A rare value is a typo only if a value at least this many times as frequent is close."""
    typo_distance: int
    """Largest edit distance of a typo (1 for values under 8 characters)."""
    rare_value_count: int
    """Values seen at most this often are left out of an allowed set (0: never)..."""
    rare_value_typical: int
    """...when the median value of the column is seen at least this often."""
    range_margin: float
    """Range bounds lie this many 1%-99% spreads beyond the 1% and 99% quantiles (on a log
    scale for skewed positive numbers)."""
    range_rows: int
    """A statistical range needs at least this many values."""
    dependency_mu: float
    """A dependency is suggested when its agreement beyond chance (mu) reaches this..."""
    dependency_share: float
    """...and its group majorities hold on at least this share of supported rows."""
    duplicate_share: float
    """Duplicate rows are quarantined when at most this share of rows are duplicates."""
    own_share: float
    """A rule that would quarantine more than this share of the rows it was learned from is
    downgraded to `severity: warn` (the self-consistency guard)."""
    heldout_excess: float
    """A rule learned on one half of the rows that fails on the other half this much more
    often than on its own half is downgraded to `severity: warn`."""


THRESHOLDS: dict[Strictness, Thresholds] = {
    "conservative": Thresholds(
        pattern_share=0.995,
        rare_shape_share=0.002,
        keep_shape_count=2,
        not_null_share=0.0,
        not_null_rows=200,
        not_null_error_rows=600,
        set_missing_mass=0.002,
        set_error_mass=0.002,
        typo_ratio=20.0,
        typo_distance=1,
        rare_value_count=0,
        rare_value_typical=0,
        range_margin=3.0,
        range_rows=200,
        dependency_mu=0.95,
        dependency_share=0.98,
        duplicate_share=0.001,
        own_share=0.02,
        heldout_excess=0.001,
    ),
    "balanced": Thresholds(
        pattern_share=0.98,
        rare_shape_share=0.005,
        keep_shape_count=3,
        not_null_share=0.0,
        not_null_rows=50,
        not_null_error_rows=600,
        set_missing_mass=0.01,
        set_error_mass=0.005,
        typo_ratio=5.0,
        typo_distance=2,
        rare_value_count=1,
        rare_value_typical=30,
        range_margin=1.5,
        range_rows=50,
        dependency_mu=0.85,
        dependency_share=0.95,
        duplicate_share=0.01,
        own_share=0.1,
        heldout_excess=0.003,
    ),
    "aggressive": Thresholds(
        pattern_share=0.9,
        rare_shape_share=0.01,
        keep_shape_count=1_000_000_000,
        not_null_share=0.05,
        not_null_rows=20,
        not_null_error_rows=20,
        set_missing_mass=0.05,
        set_error_mass=0.05,
        typo_ratio=3.0,
        typo_distance=2,
        rare_value_count=2,
        rare_value_typical=10,
        range_margin=0.5,
        range_rows=20,
        dependency_mu=0.7,
        dependency_share=0.8,
        duplicate_share=0.05,
        own_share=0.3,
        heldout_excess=0.02,
    ),
}


def thresholds(strictness: Strictness) -> Thresholds:
    """The thresholds of a strictness level.

    >>> thresholds("balanced").dependency_mu
    0.85
    """
    return THRESHOLDS[strictness]
