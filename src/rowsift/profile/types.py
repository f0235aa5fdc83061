"""Which types a column's values parse as, judged from their shapes (and a sample for dates)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from rowsift.engine.parse import FLOAT_GUARD, INT_GUARD, format_regex

DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%m-%d-%Y",
    "%d-%m-%Y",
)
DATETIME_FORMATS: tuple[str, ...] = (
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",  # ISO 8601 in UTC, as JSON and web APIs write it
    "%Y-%m-%dT%H:%M:%S.%fZ",  # and with a fraction of a second (JavaScript: milliseconds)
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    # with a UTC offset, read as UTC: ISO 8601 (Python's isoformat, pandas), PostgreSQL (+hh)
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%d %H:%M:%S.%f%z",
)
NATIVE_TYPES: dict[str, str] = {
    **dict.fromkeys(("Int8", "Int16", "Int32", "Int64"), "int"),
    **dict.fromkeys(("UInt8", "UInt16", "UInt32", "UInt64"), "int"),
    "Float32": "float",
    "Float64": "float",
    "Boolean": "bool",
    "Date": "date",
    "Datetime": "datetime",
}
"""The column type of each input dtype that already is one (Parquet, Arrow, a database)."""


OPAQUE_DTYPES = ("List", "Array", "Struct", "Binary", "Duration", "Time", "Object", "Unknown")
"""Input dtypes whose values have no text form every engine writes alike (nested values, bytes,
durations, times of day: ``00:00:00`` on Polars, ``00:00:00.000000`` on pandas): the profile
counts their nulls only, and `suggest` writes no rule on them."""


def opaque(dtype: str) -> bool:
    """Whether an input column of this dtype is profiled by its nulls only (`OPAQUE_DTYPES`).

    >>> opaque("List(Int64)"), opaque("Struct({'x': Int32})"), opaque("Decimal(precision=38)")
    (True, True, False)
    """
    return dtype.split("(", maxsplit=1)[0] in OPAQUE_DTYPES


def native_type(dtype: str) -> str | None:
    """The column type an input column typed `dtype` already holds (None for text and others).

    >>> native_type("Datetime(time_unit='us', time_zone=None)"), native_type("String")
    ('datetime', None)
    """
    return NATIVE_TYPES.get(dtype.split("(", maxsplit=1)[0])


BOOL_WORDS = frozenset({"true", "false", "yes", "no", "t", "f", "y", "n"})

_INT = re.compile(INT_GUARD)
_FLOAT = re.compile(FLOAT_GUARD)
_FORMATS = {fmt: re.compile(format_regex(fmt)) for fmt in (*DATE_FORMATS, *DATETIME_FORMATS)}


FLOAT_DIGITS = 15
"""Any number of at most this many digits is a 64-bit float's exactly (as text, read back)."""


def exact_float(text: str) -> bool:
    """Whether a number written as text is exactly the 64-bit float it reads as: a float
    column keeps its value. (Longer texts may be, as Python's own ``repr`` writes them.)

    >>> exact_float("0.30000000000000004"), exact_float("12345678901234567.89")
    (True, False)
    """
    try:
        return Decimal(text.strip()) == Decimal(repr(float(text.strip())))
    except (ValueError, ArithmeticError):
        return False


def within_64_bits(text: str) -> bool:
    """Whether a whole number written as text is a 64-bit integer.

    >>> within_64_bits("-9223372036854775808"), within_64_bits("9223372036854775808")
    (True, False)
    """
    try:
        return -(2**63) <= int(text.strip()) < 2**63
    except ValueError:
        return False


def parse_counts(shapes: Iterable[tuple[str, int, str, str]]) -> dict[str, int]:
    """How many values have the shape of an int, a float, or each date and datetime format.

    `shapes` are (shape, count, smallest value, largest value). Shapes keep digits as ``9`` and
    signs, points and separators as they are, so a guard that only tells digits from other
    characters gives the same answer on the shape as on the value. Date formats may hold
    letters (``T``, month names), so they are matched on the smallest and largest value, as
    are the bounds of a type that could not hold a value of a long shape exactly: an int of
    19 digits or more beyond 64 bits, a float of more than `FLOAT_DIGITS` digits that reads as
    another number (such a column stays text rather than lose digits).

    >>> parse_counts([("999", 5, "100", "999"), ("9.9", 2, "1.5", "9.0")])["float"]
    7
    """
    counts = {"int": 0, "float": 0, **dict.fromkeys(_FORMATS, 0)}
    for shape, count, first, last in shapes:
        digits = shape.count("9")
        ends_exact = digits <= FLOAT_DIGITS or (exact_float(first) and exact_float(last))
        if _INT.match(shape) and (digits <= 18 or (within_64_bits(first) and within_64_bits(last))):
            counts["int"] += count
        letters = sum(1 for c in shape if c.isalpha())
        exponent = letters == 1 and _FLOAT.match(shape.replace("A", "e").replace("a", "e"))
        if ((_FLOAT.match(shape) and not letters) or exponent) and ends_exact:  # 1.5, 2.2E+11
            counts["float"] += count
        if any(c == "9" for c in shape) and len(shape) >= 6:
            for fmt, pattern in _FORMATS.items():
                if pattern.match(first.strip()) and pattern.match(last.strip()):
                    counts[fmt] += count
    return counts


_HOURS_ONLY = re.compile(r"(?<=:[0-9]{2})[+-][0-9]{2}$")
"""A UTC offset of hours alone (``+02``), which every engine's ``%z`` reads and Python's not."""


def valid_date_share(values: Iterable[str], fmt: str, *, shaped_only: bool = False) -> float:
    """The share of sampled values that are real calendar dates in `fmt` (0 when none).

    With `shaped_only`, only the values that have the format's shape are counted.

    >>> valid_date_share(["12/31/2024", "01/02/2024"], "%d/%m/%Y")
    0.5
    """
    total = ok = 0
    pattern = _FORMATS.get(fmt) or re.compile(format_regex(fmt))
    for raw in values:
        value = raw.strip()
        if shaped_only and not pattern.match(value):
            continue
        total += 1
        try:
            datetime.strptime(_HOURS_ONLY.sub(r"\g<0>00", value), fmt)
        except ValueError:
            continue
        ok += 1
    return ok / total if total else 0.0
