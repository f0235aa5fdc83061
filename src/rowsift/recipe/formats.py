"""Date and time formats, as the recipe reads them: the one tokenizer of `rowsift._formats`.

It lives below the recipe, so that the ``normalize_datetime`` transform reads formats through
the same tokens; the names here are the same objects.
"""

from __future__ import annotations

from rowsift._formats import (
    DIRECTIVES,
    REFUSED,
    REWRITE_REFUSED,
    TWO_DIGIT_YEAR,
    Directive,
    FormatError,
    Literal,
    Purpose,
    Token,
    chrono_format,
    format_problem,
    format_regex,
    java_pattern,
    reads_offset,
    tokens,
)

__all__ = [
    "DIRECTIVES",
    "REFUSED",
    "REWRITE_REFUSED",
    "TWO_DIGIT_YEAR",
    "Directive",
    "FormatError",
    "Literal",
    "Purpose",
    "Token",
    "chrono_format",
    "format_problem",
    "format_regex",
    "java_pattern",
    "reads_offset",
    "tokens",
]
