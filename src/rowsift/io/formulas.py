"""Neutralising spreadsheet formulas in CSV outputs.

A spreadsheet that opens a CSV runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some, a tab or a carriage return) as a formula, which can fetch URLs or start programs. Some
skip what comes before the sign (spaces, control characters) or read its full-width form
(U+FF1D for ``=``) as the sign itself. By default every CSV rowsift writes prefixes such a
text value, and such a column name, with an apostrophe (``'=1+1``, ``' =1+1``), which
spreadsheets show as text; a value that is a plain number (``-12.5``, ``+3``, `` 1e-3``) is
left as it is. Parquet outputs are never changed.
``formulas="keep"`` (``--csv-formulas keep``) writes every value exactly as it is.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import Any, Literal, TypeVar

import narwhals.stable.v2 as nw

FormulaPolicy = Literal["escape", "keep"]
FORMULA_POLICIES: tuple[FormulaPolicy, ...] = ("escape", "keep")

BLANKS = "\\x00-\\x20\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
"""Control characters and spaces a spreadsheet may pass over before a formula's sign (as a
regular expression's class: every engine's regular expressions read ``\\x00``)."""

TRIGGER = "^(?:[\\t\\r]|[" + BLANKS + "]*[=+\\-@\uff1d\uff0b\uff0d\uff20])"
"""What a spreadsheet may take for the start of a formula: a tab or carriage return, or a sign
(ASCII or full-width) after any blanks."""

NUMBER = r"^ *[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
"""A plain number, which a spreadsheet reads as a number even with a sign."""

PREFIX = "'"

_TRIGGER = re.compile(TRIGGER)
_NUMBER = re.compile(NUMBER)

FrameT = TypeVar("FrameT", nw.DataFrame[Any], nw.LazyFrame[Any])


def neutral_text(value: str) -> str:
    """One value as it is written to CSV under the default policy.

    >>> neutral_text("=HYPERLINK(1)"), neutral_text("-12.5"), neutral_text("a=b")
    ("'=HYPERLINK(1)", '-12.5', 'a=b')
    """
    if _TRIGGER.match(value) and not _NUMBER.match(value):
        return PREFIX + value
    return value


def neutral_cell(value: Any) -> Any:
    """`neutral_text` for text; anything else (numbers, null) as it is."""
    return neutral_text(value) if isinstance(value, str) else value


def written_names(names: Iterable[str], written: Collection[str]) -> list[str]:
    """The columns of an output (`written`) that hold `names`: each as it is, or as the
    default policy wrote it to CSV (``@timestamp`` as ``'@timestamp``); names it lacks are left out.

    >>> written_names(["@timestamp", "n", "gone"], ["'@timestamp", "n"])
    ["'@timestamp", 'n']
    """
    found = []
    for name in names:
        if name in written:
            found.append(name)
        elif neutral_text(name) in written:
            found.append(neutral_text(name))
    return found


def neutralised(frame: FrameT, policy: FormulaPolicy = "escape") -> FrameT:
    """`frame` with every text value and column name that could run as a formula prefixed.

    Works on every engine's frame through narwhals (one expression per text column).
    """
    if policy == "keep":
        return frame
    schema = frame.collect_schema()
    text = [(at, name) for at, (name, dtype) in enumerate(schema.items()) if dtype == nw.String]
    if text:
        frame = frame.with_columns(
            nw.when(
                _column(at, name).str.contains(TRIGGER) & ~_column(at, name).str.contains(NUMBER)
            )
            .then(nw.concat_str([nw.lit(PREFIX), _column(at, name)]))
            .otherwise(_column(at, name))
            .alias(name)
            for at, name in text
        )
    renamed = {name: neutral_text(name) for name in schema.names()}
    changed = {old: new for old, new in renamed.items() if old != new}
    if changed and len(set(renamed.values())) == len(renamed):
        frame = frame.rename(changed)
    return frame


def _column(at: int, name: str) -> nw.Expr:
    """The column, by position when Polars would read its name as every column (``*``) or as
    a pattern (``^…$``)."""
    if name == "*" or (name.startswith("^") and name.endswith("$")):
        return nw.nth(at)
    return nw.col(name)
