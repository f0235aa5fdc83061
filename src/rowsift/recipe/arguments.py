"""The arguments of a rule or transform as a recipe writes them, and what they compile into.

Each arguments class names the rule or transform class it builds (`rule` or `transform`, whose
`name` is the key written in the recipe), checks what it means against the declared columns
(`problems`) and builds the frozen rule (`build`). The one-key entries of the recipe model
(`rowsift.recipe.entries`) are made from the tuples of these classes, so the model, the JSON
Schema, the meaning checks and compile all read one list.

Problem paths are relative to the entry's value: ``""`` is the entry itself, ``".min"`` one of
its arguments, ``"[2]"`` an item of a bare list (``in_set: [a, b, c]``).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from typing import Any, ClassVar

from pydantic import Field, RootModel

from rowsift.exceptions import Problem
from rowsift.recipe._base import Strict, is_none
from rowsift.recipe.annotations import Evidence, Review
from rowsift.recipe.context import Context
from rowsift.recipe.values import coerce_literal
from rowsift.rules import ColumnRule, DatasetRule, RowSetRule, Severity
from rowsift.transforms import Transform

_LAST = ("severity", "evidence", "review")
"""Written after a rule's own arguments, as people write them."""


class RuleArgs(Strict):
    """What every rule entry may carry besides its own arguments."""

    severity: Severity = "error"
    evidence: Evidence | None = Field(default=None, exclude_if=is_none)
    """Why the rule was suggested (`rowsift suggest`); no run reads it."""
    review: Review | None = Field(default=None, exclude_if=is_none)
    """A person's decision on the rule (`rowsift review`); no run reads it."""

    rule: ClassVar[type[Any]]
    """The rule class these arguments build; its `name` is the key written in the recipe."""
    shorthand: ClassVar[str | None] = None
    """The argument a value that is not a mapping fills (``- matches: PATTERN``), if any."""

    @classmethod
    def expand(cls, value: Any) -> Any:
        """The written value as a mapping of arguments (``- not_null``, shorthands)."""
        if value is None:
            return {}
        if cls.shorthand is not None and not isinstance(value, dict):
            return {cls.shorthand: value}
        return value

    def compact(self) -> Any:
        """The shortest value that loads back to these arguments; None for a bare name."""
        body = self.model_dump(mode="python", by_alias=True, exclude_defaults=True)
        for last in _LAST:
            if last in body:
                body[last] = body.pop(last)
        if not body:
            return None
        if self.shorthand is not None and set(body) == {self.shorthand}:
            return body[self.shorthand]
        return body

    def problems(self, context: Context) -> Iterator[Problem]:
        """What is wrong with these arguments given the declared columns (nothing, here)."""
        return iter(())

    def id_detail(self) -> str | None:
        """A part the rule id adds after the rule's name (`dataset.null_rate.<column>`)."""
        return None


class ColumnRuleArgs(RuleArgs):
    """The arguments of a rule written under a column's ``rules:``."""

    text_only: ClassVar[bool] = False
    """The rule looks at text: only string columns may have it."""

    @abstractmethod
    def build(self, context: Context) -> ColumnRule | RowSetRule:
        """The rule, for the column `context.own`."""


class RowRuleArgs(RuleArgs):
    """The arguments of a rule written under ``rows:``."""

    @abstractmethod
    def build(self, context: Context) -> RowSetRule:
        """The rule, given the declared columns."""


class DatasetRuleArgs(RuleArgs):
    """The arguments of a rule written under ``dataset:``."""

    @abstractmethod
    def build(self, context: Context) -> DatasetRule:
        """The rule, given the declared columns."""


class TransformArgs:
    """The arguments of a transform: mixed into a pydantic model (a mapping of arguments, or a
    root model when the transform takes one bare value)."""

    transform: ClassVar[type[Any]]
    """The transform class these arguments build; its `name` is the key written in the recipe."""

    @classmethod
    def expand(cls, value: Any) -> Any:
        """The written value as these arguments' input (a bare name has no value)."""
        return {} if value is None else value

    def compact(self) -> Any:
        """The shortest value that loads back to these arguments; None for a bare name."""
        body = self.model_dump(mode="python", by_alias=True)  # type: ignore[attr-defined]
        return None if body == {} and not isinstance(self, RootModel) else body

    def problems(self, context: Context) -> Iterator[Problem]:
        """What is wrong with these arguments (nothing, here)."""
        return iter(())

    @abstractmethod
    def build(self) -> Transform:
        """The transform."""


def literal_problems(value: Any, context: Context, path: str) -> Iterator[Problem]:
    """A problem if `value` is not a value of the column's type."""
    try:
        coerce_literal(value, context.own.type)
    except ValueError as exc:
        yield Problem(f"{exc} (the column is {context.own.type})", path=path)


def empty_interval(low: Any, high: Any, closed: bool, path: str) -> Iterator[Problem]:
    """A range no value can fall in: every non-null value would fail the rule."""
    try:
        empty = low > high or (low == high and not closed)
    except TypeError:  # a datetime with a time zone and one without: not comparable here
        return
    if empty:
        shown = f"min {low} and max {high}" + ("" if low > high else ", not both included")
        yield Problem(
            f"no value can pass: {shown}",
            path=path,
            hint="swap min and max, or include both bounds",
        )
