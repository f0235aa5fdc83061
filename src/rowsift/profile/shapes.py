"""Value shapes: letters become ``A``/``a`` (accented ones too), digits ``9``, others stay.

A shape says what a value looks like without saying what it is, so a column of identifiers has a
few shapes (``AAA-99999999``) and a typo or a format change shows as a rare one.
"""

from __future__ import annotations

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
)
"""Texts (compared stripped and lower-cased) that commonly stand for a missing value."""


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


def shape_of(text: str) -> str:
    """The shape of one value, in Python (the same mapping as `shape_expr`).

    >>> shape_of("Éb-12")
    'Aa-99'
    """
    return "".join(
        "A" if c.isupper() else "a" if c.islower() else "9" if c in "0123456789" else c
        for c in text
    )


def is_null_like(text: Any) -> bool:
    """Whether a text is a common stand-in for a missing value.

    >>> is_null_like(" N/A "), is_null_like("Nancy")
    (True, False)
    """
    return isinstance(text, str) and text.strip().lower() in NULL_LIKE
