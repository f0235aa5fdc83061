"""The arguments of the rules written under a column's ``rules:`` (DESIGN.md section 3)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal, localcontext
from typing import Any, ClassVar, Literal

from pydantic import Field

from rowsift.exceptions import Problem
from rowsift.recipe._regex import portable_pattern, regex_problem
from rowsift.recipe.arguments import ColumnRuleArgs, empty_interval, literal_problems
from rowsift.recipe.context import Context
from rowsift.recipe.values import ORDERED_TYPES, Scalar, coerce_literal
from rowsift.rules.column import Between, Compare, CompareOp, InSet, Length, Matches, NotNull
from rowsift.rules.rowset import DeterminedBy, Unique


class NotNullArgs(ColumnRuleArgs):
    """``not_null``: fails on null."""

    rule: ClassVar = NotNull

    def build(self, context: Context) -> NotNull:
        """The rule."""
        return NotNull(severity=self.severity)


class MatchesArgs(ColumnRuleArgs):
    """``matches: PATTERN``: the pattern is searched in the value."""

    rule: ClassVar = Matches
    shorthand: ClassVar = "pattern"
    text_only: ClassVar = True

    pattern: str

    def problems(self, context: Context) -> Iterator[Problem]:
        """A pattern outside the linear-time syntax."""
        problem = regex_problem(self.pattern)
        if problem:
            yield Problem(problem[0], path="", hint=problem[1])

    def build(self, context: Context) -> Matches:
        """The rule, with a pattern that means the same on every engine."""
        return Matches(pattern=portable_pattern(self.pattern), severity=self.severity)


class BetweenArgs(ColumnRuleArgs):
    """``between: {min, max, include_min, include_max}``."""

    rule: ClassVar = Between

    min: Scalar | None = None
    max: Scalar | None = None
    include_min: bool = True
    include_max: bool = True

    def problems(self, context: Context) -> Iterator[Problem]:
        """An unordered column type, bounds not of the column's type, or an empty range."""
        column = context.own
        if column.type not in ORDERED_TYPES:
            yield Problem(
                f"'between' needs an ordered type, column {column.name!r} is {column.type}",
                path="",
            )
            return
        bounds = []
        for name, value in (("min", self.min), ("max", self.max)):
            if value is not None:
                problems = list(literal_problems(value, context, f".{name}"))
                if not problems and _is_nan(_bound(value, column.type)):
                    problems.append(
                        Problem(
                            f"the {name} is NaN, which no value compares with",
                            path=f".{name}",
                            hint=f"leave {name} out for no bound on that side (or write "
                            f"{'-' if name == 'min' else ''}.inf)",
                        )
                    )
                yield from problems
                bounds.append(None if problems else coerce_literal(value, column.type))
        if len(bounds) == 2 and None not in bounds:
            closed = self.include_min and self.include_max
            yield from empty_interval(bounds[0], bounds[1], closed, "")

    def build(self, context: Context) -> Between:
        """The rule, its bounds in the column's type (a whole number beyond 64 bits, which
        suggest writes for large counts, as the 64-bit bound every value compares alike with:
        pandas cannot compare a 64-bit column with it)."""
        column_type = context.own.type
        low = None if self.min is None else _bound(self.min, column_type)
        high = None if self.max is None else _bound(self.max, column_type)
        include_min, include_max = self.include_min, self.include_max
        if column_type == "int":
            low, include_min = _within_64_bits(low, include_min, lower=True)
            high, include_max = _within_64_bits(high, include_max, lower=False)
        return Between(
            min=low,
            max=high,
            include_min=include_min,
            include_max=include_max,
            floating=column_type == "float",
            severity=self.severity,
        )


INT64_LOW, INT64_HIGH = -(2**63), 2**63 - 1


def _within_64_bits(bound: int | None, included: bool, *, lower: bool) -> tuple[int | None, bool]:
    """A bound beyond the 64-bit range moved to the range's end, included where every value
    passes that side (a `lower` bound below the range, an upper one above it) and excluded
    where none does.

    >>> _within_64_bits(-(2**70), False, lower=True), _within_64_bits(2**70, True, lower=True)
    ((-9223372036854775808, True), (9223372036854775807, False))
    >>> _within_64_bits(2**70, False, lower=False), _within_64_bits(5, False, lower=False)
    ((9223372036854775807, True), (5, False))
    """
    if bound is None or INT64_LOW <= bound <= INT64_HIGH:
        return bound, included
    below = bound < INT64_LOW
    return (INT64_LOW if below else INT64_HIGH), below == lower


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _bound(value: Any, column_type: Any) -> Any:
    """A bound in the column's type; decimal bounds compare as floats, which every engine
    supports against a decimal column (Dask has no decimal literals)."""
    bound = coerce_literal(value, column_type)
    return float(bound) if column_type == "decimal" else bound


class InSetArgs(ColumnRuleArgs):
    """``in_set: [...]``: membership."""

    rule: ClassVar = InSet
    shorthand: ClassVar = "values"

    values: list[Scalar] = Field(min_length=1)

    def problems(self, context: Context) -> Iterator[Problem]:
        """Members that are not values of the column's type."""
        for index, value in enumerate(self.values):
            yield from literal_problems(value, context, f"[{index}]")

    def build(self, context: Context) -> InSet:
        """The rule, its members in the column's type."""
        column = context.own
        values = tuple(coerce_literal(value, column.type) for value in self.values)
        if column.type == "decimal":
            values = _fitting_decimals(values, column.scale)
        return InSet(values=values, severity=self.severity)


def _fitting_decimals(values: tuple[Any, ...], scale: int) -> tuple[Any, ...]:
    """Members with more fraction digits than the column's scale can never match: dropped."""
    step = Decimal(1).scaleb(-scale)
    with localcontext() as context:
        context.prec = 80  # room for 38 digits and any scale
        return tuple(value.quantize(step) for value in values if value == value.quantize(step))


class LengthArgs(ColumnRuleArgs):
    """``length: {min, max}``: string length in characters."""

    rule: ClassVar = Length
    text_only: ClassVar = True

    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)

    def problems(self, context: Context) -> Iterator[Problem]:
        """A range no length can fall in."""
        if self.min is not None and self.max is not None:
            yield from empty_interval(self.min, self.max, True, "")

    def build(self, context: Context) -> Length:
        """The rule."""
        return Length(min=self.min, max=self.max, severity=self.severity)


class CompareArgs(ColumnRuleArgs):
    """``compare: {op, column}``: compares with another column of the same row."""

    rule: ClassVar = Compare

    op: CompareOp
    column: str

    def problems(self, context: Context) -> Iterator[Problem]:
        """An unknown column, or one whose values cannot be compared with this column's."""
        own, path = context.own, ".column"
        other = context.columns.get(self.column)
        if other is None:
            yield from context.unknown(self.column, path)
        elif own.type == "decimal" and (own.precision, own.scale) != (
            other.precision,
            other.scale,
        ):
            yield Problem(
                f"cannot compare decimal columns {own.name!r} and {other.name!r} of different "
                "precision or scale",
                path=path,
                hint="give both columns the same precision and scale",
            )
        elif other.type != own.type:
            yield Problem(
                f"cannot compare {own.name!r} ({own.type}) with {other.name!r} ({other.type})",
                path=path,
                hint="compare columns of the same type",
            )

    def build(self, context: Context) -> Compare:
        """The rule."""
        floating = context.own.type == "float"
        return Compare(op=self.op, column=self.column, floating=floating, severity=self.severity)


class UniqueArgs(ColumnRuleArgs):
    """``unique: {blame}``: no two rows share a value; nulls are ignored."""

    rule: ClassVar = Unique

    blame: Literal["all_but_first", "all"] = "all_but_first"

    def build(self, context: Context) -> Unique:
        """The row-set rule on this one column."""
        return Unique(columns=(context.own.name,), blame=self.blame, severity=self.severity)


class DeterminedByArgs(ColumnRuleArgs):
    """``determined_by: {columns, min_support}``: a functional dependency."""

    rule: ClassVar = DeterminedBy

    columns: list[str] = Field(min_length=1)
    min_support: int = Field(default=3, ge=1)

    def problems(self, context: Context) -> Iterator[Problem]:
        """Unknown determinant columns."""
        for index, name in enumerate(self.columns):
            yield from context.unknown(name, f".columns[{index}]")

    def build(self, context: Context) -> DeterminedBy:
        """The row-set rule: this column is the dependent one."""
        return DeterminedBy(
            columns=tuple(self.columns),
            dependent=context.own.name,
            min_support=self.min_support,
            severity=self.severity,
        )


COLUMN_RULE_ARGS: tuple[type[ColumnRuleArgs], ...] = (
    NotNullArgs,
    MatchesArgs,
    BetweenArgs,
    InSetArgs,
    LengthArgs,
    CompareArgs,
    UniqueArgs,
    DeterminedByArgs,
)
"""What may be written under a column's ``rules:``, in the order the docs list them."""
