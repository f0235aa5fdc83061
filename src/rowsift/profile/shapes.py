"""Value shapes: letters become ``A``/``a`` (accented ones too), digits ``9``, others stay.

A shape says what a value looks like without saying what it is, so a column of identifiers has a
few shapes (``AAA-99999999``) and a typo or a format change shows as a rare one.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from typing import Any

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
_LONGEST_NULL = 40
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
    return isinstance(text, str) and len(text) <= _LONGEST_NULL and text.strip().lower() in _NULLS


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
        and (len(value) > _LONGEST_NULL or stripped.lower() not in _NULLS)
    ]


PYTHON_SPACES = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())
"""What `str.strip` removes (the engine's own default is Unicode White_Space, which leaves
``\\x1c``-``\\x1f`` in place)."""


def present_texts(values: nw.Series[Any]) -> nw.Series[Any]:
    """The texts of a series that are neither null nor a null spelling, filtered by the
    engine, not value by value in Python (this runs on every sampled value of every column).

    >>> import polars as pl
    >>> present_texts(nw.from_native(pl.Series(["a", None, " n/a", "b", "\\x1fNA"]),
    ...                              series_only=True)).to_list()
    ['a', 'b']
    """
    folded = values.str.strip_chars(PYTHON_SPACES).str.to_lowercase()
    kept = ~values.is_null() & (
        (values.str.len_chars() > _LONGEST_NULL) | ~folded.is_in(list(NULL_LIKE))
    )
    return values.filter(kept)


_TIME = re.compile(r"^[0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?\s*([AaPp]\.?\s?[Mm]\.?)?$")
_CODE_SHARE = 0.9


def time_like(shapes: Sequence[Any]) -> bool:
    """Whether nearly every value is a time of day (``7:10``, ``19:10:05``, ``7:10 a.m.``).

    `shapes` are `ShapeCount`s; their smallest and largest values are checked.

    >>> from rowsift.profile.columns import ShapeCount
    >>> time_like([ShapeCount(shape="9:99 a.a.", count=5, first="7:10 a.m.", last="9:55 p.m.")])
    True
    """
    total: int = sum(s.count for s in shapes)
    timed: int = sum(
        s.count for s in shapes if _TIME.match(s.first.strip()) and _TIME.match(s.last.strip())
    )
    return total > 0 and timed >= _CODE_SHARE * total


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
