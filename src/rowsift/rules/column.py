"""Row rules on one column's value: each says when a value passes.

The engine applies the null policy: every rule but `not_null` passes on null, and a value that
failed its type is judged by no other rule of its column.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeAlias

from rowsift.rules.severity import Severity

# narwhals is imported where an expression is built: compiling a recipe (`rowsift check`)
# builds none
if TYPE_CHECKING:
    import narwhals.stable.v2 as nw

Scalar = str | int | float | bool | date | datetime | Decimal
ColumnResolver: TypeAlias = "Callable[[str], nw.Expr]"
CompareOp = Literal["==", "!=", "<", "<=", ">", ">="]


def _is_nan(member: object) -> bool:
    return isinstance(member, float) and math.isnan(member)


@dataclass(frozen=True, kw_only=True)
class NotNull:
    """Fails on null: the only rule that looks at nulls."""

    name: ClassVar[str] = "not_null"
    severity: Severity = "error"

    def passes(self, value: nw.Expr, resolve: ColumnResolver) -> nw.Expr:
        """True where the value is present."""
        return ~value.is_null()


@dataclass(frozen=True, kw_only=True)
class Matches:
    """The pattern is searched in the value; anchor it with ``^…$`` for a full match."""

    name: ClassVar[str] = "matches"
    pattern: str
    severity: Severity = "error"

    def passes(self, value: nw.Expr, resolve: ColumnResolver) -> nw.Expr:
        """True where the pattern occurs in the value."""
        return value.str.contains(self.pattern)


@dataclass(frozen=True, kw_only=True)
class Between:
    """The value lies within the bounds; either bound may be omitted."""

    name: ClassVar[str] = "between"
    min: Scalar | None = None
    max: Scalar | None = None
    include_min: bool = True
    include_max: bool = True
    floating: bool = False
    severity: Severity = "error"

    def passes(self, value: nw.Expr, resolve: ColumnResolver) -> nw.Expr:
        """True where the value is within [min, max] (or the open variants); NaN is outside."""
        import narwhals.stable.v2 as nw

        result = ~value.is_nan() if self.floating else nw.lit(value=True)
        if self.min is not None:
            result &= value >= self.min if self.include_min else value > self.min
        if self.max is not None:
            result &= value <= self.max if self.include_max else value < self.max
        return result


@dataclass(frozen=True, kw_only=True)
class InSet:
    """The value is one of the listed values."""

    name: ClassVar[str] = "in_set"
    values: tuple[Any, ...]
    severity: Severity = "error"

    def passes(self, value: nw.Expr, resolve: ColumnResolver) -> nw.Expr:
        """True where the value is a member of the set; NaN is a member if NaN is listed.

        Engines disagree on whether NaN is found among the members, so NaN is matched apart.
        """
        members = [member for member in self.values if not _is_nan(member)]
        found = value.is_in(members)
        return found | value.is_nan() if len(members) < len(self.values) else found


@dataclass(frozen=True, kw_only=True)
class Length:
    """The string length, in characters, lies within the bounds."""

    name: ClassVar[str] = "length"
    min: int | None = None
    max: int | None = None
    severity: Severity = "error"

    def passes(self, value: nw.Expr, resolve: ColumnResolver) -> nw.Expr:
        """True where min <= number of characters <= max."""
        import narwhals.stable.v2 as nw

        length = value.str.len_chars()
        result = nw.lit(value=True)
        if self.min is not None:
            result &= length >= self.min
        if self.max is not None:
            result &= length <= self.max
        return result


@dataclass(frozen=True, kw_only=True)
class Compare:
    """Compares the value with another column of the same row (``shipped_at >= created_at``)."""

    name: ClassVar[str] = "compare"
    op: CompareOp
    column: str
    floating: bool = False
    severity: Severity = "error"

    def passes(self, value: nw.Expr, resolve: ColumnResolver) -> nw.Expr:
        """True where ``value <op> other`` holds; a null on either side passes.

        On floats a NaN compares as IEEE 754 says: every comparison is false but ``!=``.
        """
        import narwhals.stable.v2 as nw

        other = resolve(self.column)
        outcome = {
            "==": lambda: value == other,
            "!=": lambda: value != other,
            "<": lambda: value < other,
            "<=": lambda: value <= other,
            ">": lambda: value > other,
            ">=": lambda: value >= other,
        }[self.op]()
        if self.floating:
            either_nan = value.is_nan() | other.is_nan()
            outcome = nw.when(either_nan).then(nw.lit(self.op == "!=")).otherwise(outcome)
        return outcome | other.is_null()


ColumnRule = NotNull | Matches | Between | InSet | Length | Compare
"""Every rule on one value (the registry is read from this union)."""
