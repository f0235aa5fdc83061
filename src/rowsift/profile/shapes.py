"""Value shapes: letters become ``A``/``a`` (accented ones too), digits ``9``, others stay.

A shape says what a value looks like without saying what it is, so a column of identifiers has a
few shapes (``AAA-99999999``) and a typo or a format change shows as a rare one.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import Any, Literal

import narwhals.stable.v2 as nw

NULL_LIKE: tuple[str, ...] = (
    "na",
    "n/a",
    "n.a.",
    "nan",
    "null",
    "none",
    "nil",
    "-",
    "--",
    "?",
    "#n/a",
    "missing",
    "(null)",
    "undefined",
    ".",
    "*",
    "...",
    "",
)
"""Texts (compared stripped and lower-cased) that commonly stand for a missing value: the last
is a blank, nothing but whitespace (fixed-width exports pad a missing value with spaces)."""


def shape_expr(value: nw.Expr) -> nw.Expr:
    """The shape of each value as an engine expression (letters of any script, ASCII digits).

    >>> import polars as pl
    >>> frame = nw.from_native(pl.DataFrame({"v": ["ORD-0012", "é 7"]}))
    >>> frame.select(shape_expr(nw.col("v"))).to_native()["v"].to_list()
    ['AAA-9999', 'a 9']
    """
    return (
        value.str.replace_all(r"\p{Lu}", "A")
        .str.replace_all(r"\p{Ll}", "a")
        .str.replace_all("[0-9]", "9")
    )


_NULLS = frozenset(NULL_LIKE)
LONGEST_NULL = 40
"""Longer texts are never null spellings, even with surrounding whitespace."""


def shape_of(text: str) -> str:
    """The shape of one value, in Python (the same mapping as `shape_expr`).

    >>> shape_of("Éb-12")
    'Aa-99'
    """
    if text.isascii():
        return text.translate(_ASCII_SHAPES)
    return "".join(
        "A" if c.isupper() else "a" if c.islower() else "9" if c in "0123456789" else c
        for c in text
    )


_ASCII_SHAPES = str.maketrans(
    {
        **dict.fromkeys(string.ascii_uppercase, "A"),
        **dict.fromkeys(string.ascii_lowercase, "a"),
        **dict.fromkeys(string.digits, "9"),
    }
)


def is_null_like(text: Any) -> bool:
    """Whether a text is a common stand-in for a missing value.

    >>> is_null_like(" N/A "), is_null_like("Nancy")
    (True, False)
    """
    return isinstance(text, str) and len(text) <= LONGEST_NULL and text.strip().lower() in _NULLS


def present_strings(values: Iterable[str]) -> list[str]:
    """The texts that are neither blank nor a null spelling (`is_null_like`), in order: the
    same test as ``v.strip() and not is_null_like(v)``, in one pass with no call per value
    (heuristics run it on every sampled value of every text column).

    >>> present_strings(["a", " ", " N/A ", "Nancy", ""])
    ['a', 'Nancy']
    """
    return [
        value
        for value in values
        if (stripped := value.strip())
        and (len(value) > LONGEST_NULL or stripped.lower() not in _NULLS)
    ]


class SampledTexts:
    """A column's sampled texts (none empty), and on first use those of them that are neither
    blank nor a null spelling: several heuristics read the present ones, filtered once.

    >>> SampledTexts(["a", " ", "N/A", "b"]).present
    ['a', 'b']
    """

    def __init__(self, values: list[str]) -> None:
        self.values = values

    @cached_property
    def present(self) -> list[str]:
        """`present_strings` of the values, in order."""
        return present_strings(self.values)


PYTHON_SPACES = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())
"""What `str.strip` removes (the engine's own default is Unicode White_Space, which leaves
``\\x1c``-``\\x1f`` in place)."""


_CLOCK = re.compile(
    r"^(?P<before>[^:]{0,16}?)(?<![0-9])[0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
    r"(\s*[AaPp]\.?(\s?[Mm]\.?)?)?(?![0-9:])(?P<after>[^:]{0,16})$"
)
"""A time of day (``7:10``, ``19:10:05``, ``7:10 a.m.``, ``7:10a``), alone or beside a short
date or label without another clock reading (``Dec 1 - 7:10a``, ``12/01/2011 7:10 AM``)."""
_MONTH = (
    r"(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?"
    r"|oct(ober)?|nov(ember)?|dec(ember)?)\.?"
)
_DATE = re.compile(
    r"^("
    r"[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}"  # 2011-12-01, 2011/12/1
    r"|[0-9]{1,2}[-/][0-9]{1,2}[-/][0-9]{2}([0-9]{2})?"  # 12/01/2011, 1-12-11
    r"|[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}"  # 01.12.2011 (never 1.2.10: a version)
    rf"|[0-9]{{1,2}}[- ]?{_MONTH}([-, ]+[0-9]{{2,4}})?"  # 1-Dec-11, 1 December 2011
    rf"|{_MONTH}[- ]?[0-9]{{1,2}}(,?[- ]+[0-9]{{4}})?"  # Dec 1, Dec 1, 2011
    rf"|{_MONTH}[- ,]+[0-9]{{4}}"  # Dec 2011
    r")$",
    re.IGNORECASE,
)
"""A date alone, in one of the common spellings (numbers with separators, or a month's name)."""
_CODE_SHARE = 0.9
_DATE_INSIDE = re.compile(
    r"(?<![0-9])(?:(?:19|20)[0-9]{2}([-/.])[0-9]{1,2}\1[0-9]{1,2}"  # 2011-07-04, 2011/7/4
    r"|[0-9]{1,2}([-/.])[0-9]{1,2}\2(?:19|20)[0-9]{2})(?![0-9])"  # 04/07/2011, 4.7.2011
)
"""A calendar date with a four-digit year, among other text (``2011-07-04-infy``)."""


def reading_kind(shapes: Sequence[Any]) -> Literal["time", "datetime", "date"] | None:
    """What nearly every value of a text column holds, when that is a time of day, a date and
    a time, or a date, else None. ``datetime`` when many of the clock readings carry a date (digits
    beside the time).

    `shapes` are `ShapeCount`s; their smallest and largest values are checked. Such a column
    is a reading, not a vocabulary, however often its values repeat (a flight's departure
    time is reported by every source of the flight), whether or not one format reads it all.

    >>> from rowsift.profile.columns import ShapeCount
    >>> reading_kind([ShapeCount(shape="9:99 a.a.", count=5, first="7:10 a.m.", last="9:55 p.m.")])
    'time'
    >>> reading_kind([ShapeCount(shape="Aaa 9 - 9:99a", count=5, first="Dec 1 - 7:10a",
    ...                          last="Dec 1 - 9:55p")])
    'datetime'
    >>> reading_kind([ShapeCount(shape="9-Aaa-99", count=5, first="1-Dec-11", last="9-Nov-11"),
    ...               ShapeCount(shape="9999-99-99", count=5, first="2011-01-02",
    ...                          last="2011-12-01")])
    'date'
    >>> reading_kind([ShapeCount(shape="9:9", count=5, first="2:1", last="3:0")]) is None
    True
    >>> reading_kind([ShapeCount(shape="Aaa", count=5, first="Apr", last="Mar")]) is None
    True
    """
    total = 0
    timed = 0
    dated = 0
    days = 0
    for shape in shapes:
        total += shape.count
        ends = (shape.first.strip(), shape.last.strip())
        if all(_DATE.match(value) for value in ends):
            days += shape.count
            continue
        found = [_CLOCK.match(value) for value in ends]
        if all(found):
            timed += shape.count
            if any(any(c.isdigit() for c in m["before"] + m["after"]) for m in found if m):
                dated += shape.count
    if total == 0:
        return None
    if timed >= _CODE_SHARE * total:
        return "datetime" if dated >= timed / 2 else "time"
    if days + timed >= _CODE_SHARE * total:
        return "datetime" if timed > days else "date"
    return None


def carries_dates(values: Mapping[str, int]) -> bool:
    """Whether nearly every value (by count) holds a calendar date beside other text, as keys
    made of a day and a name do (``2011-07-04-infy``: a stock on a day). Such values are as
    open as the calendar: the next batch's are new, however often this one's repeat.

    >>> carries_dates({"2011-07-04-infy": 55, "2011-07-05-amgn": 54})
    True
    >>> carries_dates({"v1.2.10": 5, "INV-0042": 5, "2-3-4": 1})
    False
    """
    total = sum(values.values())
    dated = sum(count for value, count in values.items() if _DATE_INSIDE.search(value))
    return total > 0 and dated >= _CODE_SHARE * total


def id_like(shapes: Sequence[Any]) -> bool:
    """Whether the frequent shapes look like codes: a digit run with letters or signs, or one
    run of capitals (``AL``, ``USD``).

    >>> from rowsift.profile.columns import ShapeCount
    >>> id_like([ShapeCount(shape="AAA-9999", count=9, first="ORD-0001", last="ORD-0009")])
    True
    """
    total: int = sum(s.count for s in shapes)
    coded = 0
    for shape in shapes:
        kinds = set(shape.shape)
        digits_and_more = "9" in kinds and len(kinds) > 1
        capitals = kinds == {"A"} and len(shape.shape) <= 6
        if digits_and_more or capitals:
            coded += shape.count
    return total > 0 and coded >= _CODE_SHARE * total
