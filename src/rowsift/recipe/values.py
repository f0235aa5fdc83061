"""Recipe literals (bounds, set members) and the column types they are turned into."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator

ColumnType = Literal["string", "int", "float", "bool", "date", "datetime", "decimal"]
"""The type a column's text is parsed into."""

TRUE_TOKENS = ("true", "t", "yes", "y", "1")
FALSE_TOKENS = ("false", "f", "no", "n", "0")
"""The texts a bool column reads as true and false, in any case (a recipe literal too)."""


def _dates_as_text(value: Any) -> Any:
    # a date is held as the text YAML writes for it, so a recipe built in Python saves and
    # loads back equal (YAML 1.2 has no date type)
    return str(value) if isinstance(value, date) else value


Scalar = Annotated[bool | int | float | str, BeforeValidator(_dates_as_text)]
"""A literal as a recipe holds it (a bound, a set member, a fill value): read by the column's
type only when compiled, so ``"01"`` stays ``01`` on a string column and is 1 on an int one."""

ORDERED_TYPES: frozenset[ColumnType] = frozenset(
    {"string", "int", "float", "date", "datetime", "decimal"}
)


def coerce_literal(value: Any, column_type: ColumnType) -> Any:
    """Turn a YAML literal into a value of the column's type; ValueError when it cannot be.

    >>> coerce_literal("2024-01-31", "date")
    datetime.date(2024, 1, 31)
    >>> coerce_literal(3, "float")
    3.0
    """
    if column_type == "string":
        if isinstance(value, bool | int | float | date):
            return str(value).lower() if isinstance(value, bool) else str(value)
        return str(value)
    if column_type == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in TRUE_TOKENS + FALSE_TOKENS:
            return value.strip().lower() in TRUE_TOKENS
        raise ValueError(f"{value!r} is not true or false")
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a {column_type}")
    if column_type == "int":
        if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
            return int(value)
        if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
            return int(value)
        raise ValueError(f"{value!r} is not an integer")
    if column_type == "float":
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{value!r} is not a number") from None
    if column_type == "decimal":
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a decimal number") from None
    if column_type == "date":
        return _as_date(value)
    return _as_datetime(value)


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        raise ValueError(f"{value!r} is a datetime, not a date")
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO datetime (YYYY-MM-DDTHH:MM:SS)") from None
