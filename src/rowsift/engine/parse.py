"""Parsing text into typed values, the same way on every engine.

A lexical guard (a regular expression, evaluated by the engine) decides which texts are
candidates; the engine's own parser (`rowsift.engines.protocol.ParseJob`) then converts them
and yields null where it cannot (an integer too large, February 30th). A candidate that parses
to null fails `<column>.type`.
"""

from __future__ import annotations

from rowsift.engine.plan import CastSpec
from rowsift.recipe.formats import format_regex
from rowsift.recipe.values import FALSE_TOKENS, TRUE_TOKENS

__all__ = ["FLOAT_GUARD", "INT_GUARD", "decimal_guard", "format_regex", "guard"]

INT_GUARD = r"^[+-]?[0-9]+$"
FLOAT_GUARD = (
    r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
    r"|^[+-]?(?:[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])$"
)


def decimal_guard(cast: CastSpec) -> str:
    """Decimal text that fits ``decimal(precision, scale)`` exactly, without rounding."""
    whole = cast.precision - cast.scale
    integer = f"0*[0-9]{{1,{whole}}}" if whole > 0 else "0*"
    fraction = f"(?:\\.[0-9]{{0,{cast.scale}}})?" if cast.scale > 0 else "(?:\\.)?"
    only_fraction = f"|\\.[0-9]{{1,{cast.scale}}}" if cast.scale > 0 else ""
    return f"^[+-]?(?:{integer}{fraction}{only_fraction})$"


def guard(cast: CastSpec) -> str | None:
    """The lexical guard of a type; None for string."""
    if cast.type == "int":
        return INT_GUARD
    if cast.type == "float":
        return FLOAT_GUARD
    if cast.type == "decimal":
        return decimal_guard(cast)
    if cast.type in ("date", "datetime") and cast.format:
        return format_regex(cast.format)
    if cast.type == "bool":
        tokens = "|".join(TRUE_TOKENS + FALSE_TOKENS)
        return f"^[ \\t\\n\\r\\x0B\\x0C]*(?i:{tokens})[ \\t\\n\\r\\x0B\\x0C]*$"
    return None
