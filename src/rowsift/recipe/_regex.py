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
    if plainly_valid(pattern):
        return None  # both engines accept it: no need to load them (`rowsift check` stays quick)
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
    if plainly_valid(pattern):  # Python's `re` reads this small syntax as the engines do
        return re.search(pattern, "") is not None
    import polars as pl

    return bool(pl.Series([""], dtype=pl.String).str.contains(pattern).item())


def _rust_problem(pattern: str, pl: Any) -> str | None:
    try:
        pl.Series([""], dtype=pl.String).str.contains(pattern)
    except Exception as exc:  # polars raises ComputeError carrying Rust regex's message
        told = str(exc).split("This error occurred in the following expression")[0]
        return " ".join(line.strip() for line in told.strip().splitlines() if line.strip())
    return None


def _re2_problem(pattern: str, pa: Any, pc: Any) -> str | None:
    try:
        # an array of one null: RE2 still compiles the pattern, and pyarrow does not import
        # pandas to build it (pa.array would), which keeps `rowsift check` quick
        pc.match_substring_regex(pa.nulls(1, pa.string()), pattern=pattern)
    except Exception as exc:  # pyarrow raises ArrowInvalid carrying RE2's message
        return f"RE2: {exc}"
    return None


#: escapes every engine reads the same way: the ASCII classes, word boundaries, metacharacters
_ESCAPES = frozenset("dDwWsSbB.+*?()|[]{}^$-\\")
_CLASS_ESCAPES = frozenset("dDwWsS.+*?()|[]{}^$-\\")
#: counted repetitions above this are left to the engines (RE2 caps them, and sizes add up)
_MAX_COUNT = 100


def plainly_valid(pattern: str) -> bool:
    r"""True when the pattern is in a small syntax that Rust ``regex`` and RE2 both accept.

    Literals, ``.``, ``^``, ``$``, the escapes ``\d \w \s \b`` (and their negations) and
    escaped metacharacters, simple classes (``[A-Za-z0-9_.-]``), groups ``( )`` and ``(?: )``,
    ``|``, and the quantifiers ``* + ? {n} {n,} {n,m}`` (lazy or not) with small counts. A
    pattern outside it is not wrong: it is judged by compiling it with both engines.

    >>> plainly_valid(r"^ORD-\d{8}$"), plainly_valid(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    (True, True)
    >>> plainly_valid(r"(?=x)"), plainly_valid(r"\p{L}+"), plainly_valid("a{2,1}")
    (False, False, False)
    """
    return _Scanner(pattern).valid()


class _Scanner:
    """A recursive-descent reader of the syntax `plainly_valid` accepts."""

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.at = 0
        self.depth = 0

    def valid(self) -> bool:
        try:
            self._alternation()
        except ValueError:
            return False
        return self.at == len(self.text)

    def _peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def _alternation(self) -> None:
        self._sequence()
        while self._peek() == "|":
            self.at += 1
            self._sequence()

    def _sequence(self) -> None:
        while self._peek() not in ("", "|", ")"):
            repeatable = self._atom()
            if self._peek() in ("*", "+", "?", "{"):
                if not repeatable:
                    raise ValueError("a quantifier after an anchor")
                self._quantifier()

    def _atom(self) -> bool:
        char = self._peek()
        self.at += 1
        if char in ("^", "$"):
            return False
        if char == "\\":
            escaped = self._peek()
            if escaped not in _ESCAPES:
                raise ValueError("an escape left to the engines")
            self.at += 1
            return escaped not in "bB"
        if char == "[":
            self._class()
            return True
        if char == "(":
            if self.text.startswith("?:", self.at):
                self.at += 2
            elif self._peek() == "?":
                raise ValueError("a group with flags or look-around")
            self.depth += 1
            if self.depth > 20:
                raise ValueError("deep nesting")
            self._alternation()
            if self._peek() != ")":
                raise ValueError("an unclosed group")
            self.at += 1
            self.depth -= 1
            return True
        if char in "*+?{}]" or not char.isprintable():
            raise ValueError("a metacharacter out of place")
        return True

    def _quantifier(self) -> None:
        if self._peek() == "{":
            close = self.text.find("}", self.at)
            low, comma, high = self.text[self.at + 1 : close].partition(",")
            if close < 0 or not low.isdigit() or not (high.isdigit() or high == ""):
                raise ValueError("not a counted repetition")
            if int(low) > _MAX_COUNT or (high and not int(low) <= int(high) <= _MAX_COUNT):
                raise ValueError("counts left to the engines")
            if not comma and high:
                raise ValueError("not a counted repetition")
            self.at = close + 1
        else:
            self.at += 1
        if self._peek() == "?":
            self.at += 1  # lazy
        if self._peek() in ("*", "+", "?", "{"):
            raise ValueError("a quantifier of a quantifier")

    def _class(self) -> None:
        if self._peek() == "^":
            self.at += 1
        items = 0
        while self._peek() != "]":
            char = self._peek()
            if char == "" or char in "[&~" or not char.isprintable():
                raise ValueError("a class left to the engines")
            self.at += 1
            if char == "\\":
                if self._peek() not in _CLASS_ESCAPES:
                    raise ValueError("an escape left to the engines")
                self.at += 1
            elif char == "-" and items and self._peek() != "]":
                raise ValueError("a dash inside a class")
            elif self._peek() == "-" and self.text[self.at + 1 : self.at + 2] not in ("]", ""):
                high = self.text[self.at + 1]
                if not _same_kind(char, high) or char > high:
                    raise ValueError("a range left to the engines")
                self.at += 2
            items += 1
        if not items:
            raise ValueError("an empty class")
        self.at += 1


def _same_kind(low: str, high: str) -> bool:
    """Both ends of a range are ASCII digits, or lower-case, or upper-case letters."""
    kinds = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return any(low in kind and high in kind for kind in kinds)


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
