"""Date and time formats: one tokenizer of strftime formats, and what each directive means.

A recipe's ``format:`` is a strftime format. It is split here once into directives and literal
text, and every use of a format is a fold over those tokens: the lexical guard that pins a value
to the exact shape the format writes (`format_regex`), Java's pattern for Spark
(`java_pattern`), chrono's for Polars (`chrono_format`), and the patterns of the
``normalize_datetime`` transform (`rowsift.transforms.dates`). A directive outside `DIRECTIVES`
is a recipe error at load (`format_problem`), never a column whose every value fails its type.

It sits below the recipe and the transforms, so both read formats through it
(`rowsift.recipe.formats` names the same objects).

Only directives that parse the same on every engine are listed; the conformance suite runs each
of them on every engine (`tests/conformance/cases/type_format_directives*.yaml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal as Kind


@dataclass(frozen=True, kw_only=True)
class Directive:
    """One strftime directive: the text it writes (a regex), and Java's and chrono's spelling."""

    letter: str
    means: str
    pattern: str
    java: str
    chrono: str = ""
    java_read: tuple[str, ...] = ()
    """Other Java spellings read as this directive (in an imported contract)."""

    @property
    def strftime(self) -> str:
        """The directive as written in a format (``%Y``)."""
        return "%" + self.letter


DIRECTIVES: dict[str, Directive] = {
    d.letter: d
    for d in (
        Directive(letter="Y", means="year, four digits", pattern="[0-9]{4}", java="yyyy"),
        Directive(letter="m", means="month, 01-12", pattern="[0-9]{2}", java="MM"),
        Directive(letter="d", means="day of the month, 01-31", pattern="[0-9]{2}", java="dd"),
        Directive(letter="H", means="hour, 00-23", pattern="[0-9]{2}", java="HH"),
        Directive(letter="I", means="hour, 01-12 (with %p)", pattern="[0-9]{2}", java="hh"),
        Directive(letter="p", means="AM or PM", pattern="(?:AM|PM)", java="a"),
        Directive(letter="M", means="minute, 00-59", pattern="[0-9]{2}", java="mm"),
        Directive(letter="S", means="second, 00-59", pattern="[0-9]{2}", java="ss"),
        Directive(
            letter="f",
            means="microseconds, six digits",
            pattern="[0-9]{6}",
            java="SSSSSS",
            chrono="%6f",  # chrono's %f counts nanoseconds
        ),
        Directive(
            letter="b", means="month name, three letters (Jan)", pattern="[A-Z][a-z]{2}", java="MMM"
        ),
        Directive(letter="B", means="month name (January)", pattern="[A-Z][a-z]{2,8}", java="MMMM"),
        Directive(
            letter="z",
            means="UTC offset, +hh:mm, +hhmm or +hh (or -), at most 18 hours (the time is "
            "converted to UTC)",
            # Java's offsets end at 18 hours; the other engines read up to 23:59
            pattern="[+-](?:(?:0[0-9]|1[0-7])(?::?[0-5][0-9])?|18(?::?00)?)",
            java="[xxx][xx][x]",
            chrono="%#z",  # chrono's %z needs the minutes
            java_read=("xxx", "xx", "x", "ZZZ", "ZZ", "Z"),
        ),
        Directive(letter="%", means="a literal %", pattern="%", java="%"),
    )
}
"""Every directive a format may use, by letter."""

REFUSED: dict[str, tuple[str, str]] = {
    "y": (
        "engines disagree on the century of a two-digit year (69 is 1969 in Python, 2069 in "
        "Polars and Spark)",
        "use %Y, and turn two-digit years into four digits with a normalize_datetime transform",
    ),
    "e": (
        "not every engine reads a space-padded day",
        "use %d for a zero-padded day",
    ),
    "j": (
        "pandas and Dask read day 366 of a common year as January 1st of the next, the other "
        "engines refuse it",
        "write the date with %Y-%m-%d, or keep the column as a string",
    ),
    "a": (
        "engines disagree on whether a wrong weekday name fails the value",
        "remove the weekday name with a replace transform, and leave %a out of the format",
    ),
    "A": (
        "engines disagree on whether a wrong weekday name fails the value",
        "remove the weekday name with a replace transform, and leave %A out of the format",
    ),
}
"""Directives people try, and why they are not accepted."""

TWO_DIGIT_YEAR = Directive(
    letter="y",
    means="year, two digits: 00-68 are 2000-2068, 69-99 are 1969-1999",
    pattern="[0-9]{2}",
    java="yy",
)
"""``%y``: read by the ``normalize_datetime`` transform only, with the century rule above (the
one of POSIX and Python), never by a cast."""

Purpose = Kind["cast", "rewrite"]
"""What a format is read for: a column's ``format:`` (a cast), or ``normalize_datetime``."""

_NAMES = (
    "normalize_datetime reads numbers and AM/PM only, not names",
    "names depend on the language: map them to numbers first, or keep a single spelling and "
    "read the name in the column's format: when it casts",
)

REWRITE_REFUSED: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("a", "A", "b", "B"), _NAMES),
    "z": (
        "normalize_datetime does not convert between time zones",
        "cast with a format ending in %z instead (the time is converted to UTC)",
    ),
    "e": ("a space-padded day is not read", "use %d: its zero padding is optional here"),
    "j": ("a day of the year is not read", "write the date with %Y-%m-%d"),
}
"""Directives the ``normalize_datetime`` transform does not read, and why."""


@dataclass(frozen=True)
class Literal:
    """Text a format writes as it is."""

    text: str


Token = Directive | Literal


class FormatError(ValueError):
    """A format uses a directive that is not accepted; `hint` says what to write instead."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


@lru_cache(maxsize=256)
def tokens(fmt: str, *, purpose: Purpose = "cast") -> tuple[Token, ...]:
    """The format as directives and literal text; FormatError on a directive not accepted
    for the purpose.

    >>> [t.letter if isinstance(t, Directive) else t.text for t in tokens("%d.%m.%Y")]
    ['d', '.', 'm', '.', 'Y']
    >>> [t.letter for t in tokens("%y%m%d", purpose="rewrite")]
    ['y', 'm', 'd']
    """
    found: list[Token] = []
    index = 0
    while index < len(fmt):
        char = fmt[index]
        if char != "%":
            found.append(Literal(char))
            index += 1
            continue
        letter = fmt[index + 1] if index + 1 < len(fmt) else ""
        directive = _accepted(purpose).get(letter)
        if directive is None:
            raise _refused(letter, purpose)
        found.append(directive)
        index += 2
    return tuple(found)


def _accepted(purpose: Purpose) -> dict[str, Directive]:
    """The directives read for the purpose, by letter."""
    if purpose == "cast":
        return DIRECTIVES
    found = {k: d for k, d in DIRECTIVES.items() if k not in REWRITE_REFUSED}
    return {TWO_DIGIT_YEAR.letter: TWO_DIGIT_YEAR, **found}


def _refused(letter: str, purpose: Purpose) -> FormatError:
    shown = "%" + letter if letter else "a lone % at the end"
    refused = (REFUSED if purpose == "cast" else REWRITE_REFUSED).get(letter)
    accepted = " ".join(d.strftime for d in _accepted(purpose).values())
    if refused is not None:
        why, hint = refused
        return FormatError(f"the format directive {shown} is not accepted: {why}", hint)
    if letter == "":
        return FormatError(f"the format ends with {shown}", "write %% for a literal %")
    return FormatError(
        f"the format directive {shown} is not accepted",
        f"use the directives every engine reads alike: {accepted}",
    )


def format_problem(fmt: str, *, purpose: Purpose = "cast") -> tuple[str, str] | None:
    """None when every directive of the format is accepted, else (what is wrong, hint).

    >>> format_problem("%e.%m.%Y")
    ('the format directive %e is not accepted: not every engine reads a space-padded day', \
'use %d for a zero-padded day')
    """
    try:
        tokens(fmt, purpose=purpose)
    except FormatError as exc:
        return str(exc), exc.hint
    return None


def reads_offset(fmt: str) -> bool:
    """Whether the format reads a UTC offset (``%z``): its times are then converted to UTC and
    kept without a time zone, as on every engine.

    >>> reads_offset("%Y-%m-%dT%H:%M:%S%z"), reads_offset("%Y-%m-%d")
    (True, False)
    """
    return DIRECTIVES["z"] in tokens(fmt)


def format_regex(fmt: str) -> str:
    """The exact shape the format writes, as an anchored pattern.

    >>> format_regex("%Y-%m-%d")
    '^[0-9]{4}\\\\-[0-9]{2}\\\\-[0-9]{2}$'
    """
    parts = [t.pattern if isinstance(t, Directive) else re.escape(t.text) for t in tokens(fmt)]
    return "^" + "".join(parts) + "$"


def java_pattern(fmt: str) -> str:
    """The Java datetime pattern of the format (Spark's).

    >>> java_pattern("%Y-%m-%dT%H:%M:%S")
    "yyyy-MM-dd'T'HH:mm:ss"
    >>> java_pattern("[%d.%m.%Y] %H:%M%z")
    "'['dd.MM.yyyy']' HH:mm[xxx][xx][x]"
    """
    parts = []
    for token in tokens(fmt):
        if isinstance(token, Directive):
            parts.append(token.java)
        elif token.text == "'":
            parts.append("''")
        elif token.text.isalpha() or token.text in _JAVA_RESERVED:
            parts.append(f"'{token.text}'")
        else:
            parts.append(token.text)
    return "".join(parts)


_JAVA_RESERVED = frozenset("[]{}#")
"""Characters a Java pattern reads as an optional section or keeps for later use: quoted."""


def chrono_format(fmt: str) -> str:
    """The format as chrono (Polars) reads it.

    >>> chrono_format("%H:%M:%S.%f")
    '%H:%M:%S.%6f'
    """
    parts = []
    for token in tokens(fmt):
        if isinstance(token, Directive):
            parts.append(token.chrono or token.strftime)
        else:
            parts.append("%%" if token.text == "%" else token.text)
    return "".join(parts)
