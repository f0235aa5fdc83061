"""Regular expressions must be in the linear-time syntax that Rust `regex` and RE2 share.

The two engines that run rowsift's patterns are the judges: a pattern both compile is accepted.
Neither supports look-around or backreferences, so no pattern can make a run take exponential time.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_BACKTRACKING = re.compile(r"\(\?<?[=!]|\\[1-9]|\(\?>|\(\?P=|[*+?}]\+")


@lru_cache(maxsize=4096)
def regex_problem(pattern: str) -> tuple[str, str] | None:
    """None when the pattern is accepted, else (what is wrong, hint).

    Cached: a large recipe repeats its patterns, and each check starts two regex engines.
    """
    import polars as pl
    import pyarrow as pa
    import pyarrow.compute as pc

    problem = _rust_problem(pattern, pl) or _re2_problem(pattern, pa, pc)
    if problem is None:
        return None
    if _BACKTRACKING.search(pattern):
        return (
            f"pattern {pattern!r} uses look-around, a backreference, an atomic group or a "
            "possessive quantifier, which need backtracking",
            "rewrite it without them; they can make matching take exponential time",
        )
    hint = "use the syntax shared by Rust regex and RE2; anchor with ^...$ for a full match"
    return f"pattern {pattern!r} is not valid: {problem}", hint


@lru_cache(maxsize=4096)
def matches_empty(pattern: str) -> bool:
    """Whether an accepted pattern matches the empty text (as Rust `regex` finds it)."""
    import polars as pl

    return bool(pl.Series([""], dtype=pl.String).str.contains(pattern).item())


def _rust_problem(pattern: str, pl: Any) -> str | None:
    try:
        pl.Series([""], dtype=pl.String).str.contains(pattern)
    except Exception as exc:  # polars raises ComputeError carrying Rust regex's message
        return " ".join(line.strip() for line in str(exc).strip().splitlines() if line.strip())
    return None


def _re2_problem(pattern: str, pa: Any, pc: Any) -> str | None:
    try:
        pc.match_substring_regex(pa.array([""]), pattern=pattern)
    except Exception as exc:  # pyarrow raises ArrowInvalid carrying RE2's message
        return f"RE2: {exc}"
    return None


_ASCII_CLASSES = {"d": "0-9", "w": "0-9A-Za-z_", "s": "\\t\\n\\x0B\\f\\r "}


def portable_pattern(pattern: str) -> str:
    r"""The pattern with ``\d``, ``\w``, ``\s`` (and ``\D``, ``\W``, ``\S``) as ASCII classes,
    ``$`` as ``\z`` (the end of the text) unless the pattern turns on multi-line mode, and ``.``
    as ``[^\n]`` unless it turns on dot-all mode.

    Rust ``regex`` reads them as Unicode classes, RE2 and Java as ASCII ones; spelling them out
    makes every engine match the same texts.

    >>> portable_pattern(r"^ORD-\d{8}$")
    '^ORD-[0-9]{8}\\z'
    >>> portable_pattern(r"[\w.-]+@\D")
    '[0-9A-Za-z_.-]+@[^0-9]'
    """
    out: list[str] = []
    in_class = False
    multiline = re.search(r"\(\?[a-zA-Z]*m", pattern) is not None
    dotall = re.search(r"\(\?[a-zA-Z]*s", pattern) is not None
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escaped = pattern[index + 1]
            ascii_class = _ASCII_CLASSES.get(escaped)
            negated = _ASCII_CLASSES.get(escaped.lower()) if escaped.isupper() else None
            if ascii_class is not None:
                out.append(ascii_class if in_class else f"[{ascii_class}]")
            elif negated is not None and not in_class:
                out.append(f"[^{negated}]")
            else:
                out.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "." and not in_class and not dotall:
            out.append("[^\\n]")  # Java's . also refuses \r, U+0085, U+2028 and U+2029
            index += 1
            continue
        if char == "$" and not in_class and not multiline:
            out.append("\\z")  # Java's $ also matches before a final line break
            index += 1
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class and out and out[-1] not in ("[", "[^"):
            in_class = False
        out.append(char)
        if char == "^" and out[-2:] == ["[", "^"]:
            out[-2:] = ["[^"]
        index += 1
    return "".join(out)
