"""What people and `suggest` write beside a rule, which no run reads: evidence and reviews."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from rowsift.recipe._base import Strict


class Evidence(Strict):
    """Why a rule was suggested: the statistic, its threshold, and what the rule does to the data.

    Optional on every rule and column; the engine ignores it. `rowsift suggest` writes it and
    the saved YAML repeats it as a comment above the rule.
    """

    statistic: str
    observed: float
    threshold: float | None = None
    quarantined: int | None = None
    examples: list[str] = Field(default_factory=list)
    note: str | None = None


Decision = Literal["accepted", "rejected", "edited"]


class Review(Strict):
    """A person's decision on a suggested rule (``rowsift review``); the engine ignores it."""

    decision: Decision
    by: str | None = None
    note: str | None = None
    at: str | None = None
