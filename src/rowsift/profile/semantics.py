"""What a column means, told from evidence that scales with the table: its semantic class.

The class decides which rules a suggestion may hold at all (DESIGN: a value set only for a
closed vocabulary, a range only for a measure, a dependency only from a code): an identifier gets
no range, a time of day no value set, a measure no dependency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SemanticClass = Literal[
    "empty",
    "constant",
    "identifier",
    "code",
    "categorical",
    "boolean",
    "count",
    "measure",
    "year",
    "date",
    "datetime",
    "time",
    "free_text",
]

NEAR_UNIQUE = 0.95
"""Distinct values per present value from which a column is a key or free text."""
LONG_TEXT = 40
"""Mean length (characters) from which text that rarely repeats is free text."""
FEW_CODES = 5
"""Integers with at most this many distinct values are codes of categories (0/1/2…)."""
_KEY_WORDS = frozenset(
    {"id", "identifier", "key", "code", "number", "no", "nr", "num", "uuid", "guid", "ref", "ein"}
)


@dataclass(frozen=True, kw_only=True)
class Semantics:
    """A column's class and the evidence it was told from."""

    kind: SemanticClass
    reason: str


def named_like_a_key(name: str) -> bool:
    """Whether a column's name has a word that names keys (``id``, ``code``, ``number``…).

    >>> named_like_a_key("customer_id"), named_like_a_key("CustomerID"), named_like_a_key("idea")
    (True, True, False)
    >>> named_like_a_key("identifier"), named_like_a_key("Record Identifier")
    (True, True)
    """
    words = name.replace("-", "_").replace(" ", "_").replace(".", "_").split("_")
    return any(word.lower() in _KEY_WORDS for word in words) or name.endswith(("ID", "Id"))


def classify(
    *,
    name: str,
    type_: str,
    present: int,
    distinct: int,
    mean_length: float | None,
    id_like_shapes: bool,
    minimum: float | None = None,
    maximum: float | None = None,
    zero_padded: bool = False,
    times_of_day: bool = False,
) -> Semantics:
    """The semantic class of a column from its type and counts. `times_of_day` says that a text
    column's values are times of day, in spellings no one type reads
    (`rowsift.profile.shapes.reading_kind`).

    >>> classify(name="status", type_="string", present=1000, distinct=4, mean_length=6,
    ...          id_like_shapes=False).kind
    'categorical'
    >>> classify(name="order_id", type_="string", present=1000, distinct=1000, mean_length=12,
    ...          id_like_shapes=True).kind
    'identifier'
    >>> classify(name="price", type_="float", present=500, distinct=300, mean_length=5,
    ...          id_like_shapes=False, minimum=0.5, maximum=90).kind
    'measure'
    """
    if present == 0:
        return Semantics(kind="empty", reason="no present value")
    if distinct <= 1:
        return Semantics(kind="constant", reason="one value")
    if times_of_day and type_ == "string":
        return Semantics(kind="time", reason="values are times of day, as text")
    ratio = distinct / present
    if zero_padded and type_ in ("int", "string"):  # digits with leading zeros: a code
        if ratio >= NEAR_UNIQUE:
            return Semantics(kind="identifier", reason="distinct zero-padded digit codes")
        return Semantics(kind="code", reason="digit codes with leading zeros")
    if type_ in ("date", "datetime", "time"):
        return Semantics(kind=type_, reason=f"values parse as {type_}")  # type: ignore[arg-type]
    if type_ == "bool" or (type_ == "int" and distinct == 2 and minimum == 0 and maximum == 1):
        return Semantics(kind="boolean", reason="two values of a yes/no kind")
    if type_ == "int":
        if distinct <= FEW_CODES:
            return Semantics(kind="categorical", reason=f"integers with {distinct} values")
        if minimum is not None and maximum is not None:
            dense = maximum - minimum + 1 <= 2 * present
            if ratio >= NEAR_UNIQUE and (dense or named_like_a_key(name)):
                return Semantics(kind="identifier", reason="distinct integers in a dense run")
            if minimum >= 1700 and maximum <= 2100 and "year" in name.lower():
                return Semantics(kind="year", reason="four-digit years")
            if named_like_a_key(name) and ratio < NEAR_UNIQUE:
                return Semantics(kind="code", reason="integers named like a code")
            if minimum >= 0:
                return Semantics(kind="count", reason="non-negative integers")
        return Semantics(kind="measure", reason="integers of either sign")
    if type_ in ("float", "decimal"):
        return Semantics(kind="measure", reason="decimal numbers")
    long = mean_length is not None and mean_length >= LONG_TEXT
    if ratio >= NEAR_UNIQUE:
        if long or (not id_like_shapes and not named_like_a_key(name)):
            return Semantics(kind="free_text", reason="text that rarely repeats")
        return Semantics(kind="identifier", reason=f"{ratio:.0%} of values distinct")
    if long:
        return Semantics(kind="free_text", reason=f"long text (mean {mean_length:.0f} chars)")
    if id_like_shapes:
        return Semantics(kind="code", reason="values of a few code shapes")
    return Semantics(kind="categorical", reason=f"{distinct} values repeating")
