"""rowsift's patterns spelled for the regex dialects other tools read, meaning the same texts.

A rowsift pattern is searched in the value (not matched from the start), `\\d \\w \\s` are ASCII
classes, `$` is the end of the text and `.` any character but a line feed
(`rowsift.recipe._regex.portable_pattern` spells these out). Each function here returns the
pattern for one dialect, or None when the dialect cannot say it (a Unicode class ``\\p{L}`` in
Python's `re`, an inline flag in ECMA-262): the exporter then leaves the rule out and says so.
"""

from __future__ import annotations

import re

from rowsift.recipe._regex import portable_pattern

_END_OF_TEXT = re.compile(r"(?<!\\)((?:\\\\)*)\\z")
"""``\\z`` not itself escaped (``\\\\z`` is a backslash and a ``z``)."""
_RUST_ONLY = re.compile(r"\\[pPxu]\{|\\[pP][A-Z]|\[:|&&|--|~~|\(\?P?<")
"""Syntax Python's `re` reads differently or not at all: Unicode classes, ``\\x{..}``, POSIX
classes, class set operations, named groups written the Rust way."""


_LEADING_FLAGS = re.compile(r"\(\?([a-zA-Z]+)\)")


def rust_search(pattern: str) -> str:
    r"""For Rust `regex` (Polars, pandera on Polars), searched: ``$`` already ends the text.

    >>> rust_search(r"^ORD-\d{8}$")
    '^ORD-[0-9]{8}$'
    """
    return _END_OF_TEXT.sub(r"\1$", portable_pattern(pattern))


def python_search(pattern: str) -> str | None:
    r"""For Python's `re` used as a search (Great Expectations, pandera on pandas).

    Python's ``$`` also matches before a final line break, so the end of the text is ``\Z``.

    >>> python_search(r"^ORD-\d{8}$")
    '^ORD-[0-9]{8}\\Z'
    >>> python_search(r"^\p{Lu}") is None
    True
    """
    if _RUST_ONLY.search(pattern):
        return None
    translated = _END_OF_TEXT.sub(r"\1\\Z", portable_pattern(pattern))
    try:
        re.compile(translated)
    except re.error:  # a flag group inside the pattern, which Python 3.11 refuses
        return None
    return translated


def python_full_match(pattern: str) -> str | None:
    r"""For a reader that wraps the pattern in ``^…$`` and matches it with Python's `re`
    (frictionless-py's `pattern` constraint, XML Schema style).

    A pattern anchored at both ends with no alternation outside a group keeps its body;
    any other is surrounded by ``(?s:.*?)`` and ``(?s:.*)``, which makes a search of it.

    >>> python_full_match(r"^ORD-\d{8}$")
    'ORD-[0-9]{8}\\Z'
    >>> python_full_match("ab|cd")
    '(?s:.*?)(?:ab|cd)(?s:.*)'
    """
    translated = python_search(pattern)
    if translated is None:
        return None
    flags = _LEADING_FLAGS.match(translated)
    if flags is not None:  # the reader puts ^ first: global flags become a scoped group
        translated = f"(?{flags.group(1)}:{translated[flags.end() :]})"
    body = translated[1:] if translated.startswith("^") else None
    if body is not None and body.endswith("\\Z") and not _has_outer_anchor_or_bar(body[:-2]):
        found = body
    else:
        found = f"(?s:.*?)(?:{translated})(?s:.*)"
    try:
        re.compile(f"^{found}$")
    except re.error:
        return None
    return found


def ecma_search(pattern: str) -> str | None:
    r"""For ECMA-262 used as a search (JSON Schema's ``pattern``, ODCS's ``logicalTypeOptions``).

    ECMA's ``$`` is the end of the input and ``.`` refuses ``\r``, U+2028 and U+2029 as well as
    ``\n``, so ``.`` is written ``[^\n]``. Inline flags, Unicode classes and named groups have
    no ECMA spelling without regex flags: those patterns are left out.

    >>> ecma_search(r"^[A-Z]{2}\s\d+$")
    '^[A-Z]{2}[\\t\\n\\x0B\\f\\r ][0-9]+$'
    >>> ecma_search("(?i)abc") is None
    True
    """
    if _RUST_ONLY.search(pattern) or "(?" in pattern.replace("(?:", ""):
        return None
    return rust_search(pattern).replace("\\A", "^")


def _has_outer_anchor_or_bar(body: str) -> bool:
    """Whether `body` holds ``|``, ``^`` or ``$`` outside every group and class."""
    depth, in_class, index = 0, False, 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if body[index + 1 : index + 2] in ("]", "^"):
                index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char in "|^$" and (depth == 0 or char != "|"):
            return True
        index += 1
    return False
