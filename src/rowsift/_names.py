"""The names of the columns rowsift adds to every table, shared by the engine and the I/O edge."""

from __future__ import annotations

from typing import TYPE_CHECKING

# narwhals is imported by `literal_column` alone: compiling a recipe reads these names and
# builds no expression
if TYPE_CHECKING:
    import narwhals.stable.v2 as nw


INTERNAL_PREFIX = "_rowsift_"
"""Every column rowsift adds starts with it; a recipe may not declare such a column."""

ROW = "_rowsift_row"
"""0-based position of a record among the source's data records."""

LINE = "_rowsift_line"
"""1-based line on which a record of a text source starts."""

REASONS = "_rowsift_reasons"
"""The failed rule ids of a quarantined row, in recipe order."""

REASON_SEPARATOR = "\x1f"
"""Joins rule ids inside the engine, before the edge turns them into a list column."""

PARSE = "_rowsift_parse"
"""Set by a reader on a record it could not split or decode: why (null on good records).

Such a record is quarantined with the single reason ``row.parse``; no other rule judges it.
"""

RAW = "_rowsift_raw"
"""The raw text of a record that could not be parsed, or that the reader read back to the
header's width (``row.joined``); null on other records."""

FIELDS = "_rowsift_fields"
"""The fields of a record that could not be parsed, as split (null on good records)."""

REPAIRED = "_rowsift_repaired"
"""With the repair audit (``rowsift run --audit-repairs``): the declared columns a transform
changed on a clean row, in recipe order, as a list (null on a row no transform changed)."""

READ_PREFIX = "_rowsift_read_"
"""With the repair audit: ``_rowsift_read_<column>`` holds a declared column's value as read on
the clean rows where a transform changed it (null elsewhere); see `read_name`."""

LIST_COLUMNS = (REASONS, FIELDS, REPAIRED)
"""The list columns of rowsift's outputs (written as compact JSON text in CSV)."""

PARSE_RULE_ID = "row.parse"

JOINED_RULE_ID = "row.joined"
"""The warn-severity rule of a record the reader read back to the header's width: extra fields
joined into one column, a missing delimiter put back, an empty field too many dropped, or
quoting broken only by quotes inside fields that are not quoted or by apostrophes
(``_rowsift_parse`` null, ``_rowsift_raw`` its text; `rowsift.io.joining`): it stays in the
clean output, counted."""


def declarable(column: str) -> bool:
    """Whether a recipe may declare a column of this name: not one of rowsift's own names, and
    free of `REASON_SEPARATOR`, which would split its rule ids in two.

    >>> declarable("amount"), declarable("_rowsift_row"), declarable("a\x1fb")
    (True, False, False)
    """
    return not column.startswith(INTERNAL_PREFIX) and REASON_SEPARATOR not in column


def read_name(column: str) -> str:
    """The name of the audit column holding `column`'s value as read.

    >>> read_name("amount")
    '_rowsift_read_amount'
    """
    return f"{READ_PREFIX}{column}"


def read_as_pattern(name: str) -> bool:
    """Whether Polars' ``pl.col`` (and narwhals' ``col`` on Polars) reads this column name as
    every column (``*``) or as a regular expression (``^…$``) rather than as itself.

    >>> read_as_pattern("*"), read_as_pattern("^b$"), read_as_pattern("^b"), read_as_pattern("a*")
    (True, True, False, False)
    """
    return name == "*" or (name.startswith("^") and name.endswith("$"))


def internal_aliases(names: list[str], prefix: str = INTERNAL_PREFIX) -> dict[str, str]:
    """A name of rowsift's own, unused in `names`, for each name `read_as_pattern` reads as a
    pattern: the engine works on those and gives the columns their names back in its outputs.
    (A `prefix` other than ``_rowsift_`` keeps the columns among the data columns.)
    """
    taken = set(names)
    aliases: dict[str, str] = {}
    for number, name in enumerate(n for n in names if read_as_pattern(n)):
        alias = f"{prefix}named_{number}"
        while alias in taken:
            alias += "_"
        taken.add(alias)
        aliases[name] = alias
    return aliases


def literal_column(name: str) -> nw.Expr:
    """The column called `name`, taken literally on Polars and pandas frames (``nw.col`` would
    read ``*`` as every column and ``^…$`` as a pattern on Polars).

    Such a name is selected by a pattern that matches only it (every ASCII sign escaped as
    ``\\xHH``, which Polars' and Python's regular expressions both read); DuckDB and Spark
    read every name through their own parser, see `rowsift.engines.check_names`.
    """
    import narwhals.stable.v2 as nw
    import narwhals.stable.v2.selectors as ncs

    if not read_as_pattern(name):
        return nw.col(name)
    escaped = "".join(c if c.isalnum() or not c.isascii() else f"\\x{ord(c):02x}" for c in name)
    return ncs.matches(f"^{escaped}$")
