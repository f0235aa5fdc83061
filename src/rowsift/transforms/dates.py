"""`normalize_datetime`: a date, a datetime or a time of day written in one of several formats,
rewritten in one.

Each listed format is compiled, through the one strftime tokenizer (`rowsift._formats`), into
an anchored pattern that checks every field's range (`check`). A value that matches one is
rewritten in the ``to`` format; any other value is left exactly as it is.

The fields are cut out without capture groups (engines spell group references differently):
the text before a field is removed by an anchored pattern (`scan`), and the field is the head
of what is left. That is exact because a field whose zero padding is optional is always followed
by a non-digit (one followed by a digit is read at its full width), so its digits run to the
next non-digit. Hours, the only field that needs arithmetic, go through a 64-bit integer.

``%y`` is read with the century rule of POSIX and Python: 00-68 are 2000-2068, 69-99 are
1969-1999. Whether a date exists (30 February) is left to the cast that follows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, ClassVar, TypeAlias

from rowsift._formats import Directive, FormatError, tokens
from rowsift.transforms.numbers import literal
from rowsift.transforms.text import WHITESPACE

# narwhals is imported where an expression is built: compiling a recipe (`rowsift check`)
# builds none
if TYPE_CHECKING:
    import narwhals.stable.v2 as nw

Keep: TypeAlias = "Callable[[nw.Expr], nw.Expr]"
"""Holds a part of an expression that is read more than once; returns what reads it."""


@dataclass(frozen=True)
class Field:
    """A number a format reads: its range at full width and with optional padding."""

    quantity: str
    full: str
    padded_or_not: str
    width: int


FIELDS: dict[str, Field] = {
    "Y": Field("year", "[0-9]{4}", "[0-9]{4}", 4),
    "y": Field("year", "[0-9]{2}", "[0-9]{1,2}", 2),
    "m": Field("month", "0[1-9]|1[0-2]", "0?[1-9]|1[0-2]", 2),
    "d": Field("day", "0[1-9]|[12][0-9]|3[01]", "0?[1-9]|[12][0-9]|3[01]", 2),
    "H": Field("hour", "[01][0-9]|2[0-3]", "[01]?[0-9]|2[0-3]", 2),
    "I": Field("hour", "0[1-9]|1[0-2]", "0?[1-9]|1[0-2]", 2),
    "M": Field("minute", "[0-5][0-9]", "[0-5]?[0-9]", 2),
    "S": Field("second", "[0-5][0-9]", "[0-5]?[0-9]", 2),
    "f": Field("fraction", "[0-9]{6}", "[0-9]{1,6}", 6),
}
"""The numeric directives, by letter (``%f``'s digits are a fraction, padded on the right)."""

MERIDIEM = "[aApP]\\.?[mM]\\.?"
"""``%p`` as read: AM, PM, am, a.m., a.m, P.M. ..."""

ORDER = ("year", "month", "day", "hour", "minute", "second", "fraction")


@dataclass(frozen=True)
class Piece:
    """A part of a compiled format: a directive's letter (`fixed`: read at full width only), or
    literal text (`letter` empty; `before_meridiem`: directly before ``%p``)."""

    letter: str
    text: str = ""
    fixed: bool = False
    before_meridiem: bool = False


@cache
def pieces(fmt: str) -> tuple[Piece, ...]:
    """The format as pieces; FormatError on a directive the transform does not read.

    >>> [(p.letter or p.text, p.fixed) for p in pieces("%Y%m%d")]
    [('Y', True), ('m', True), ('d', False)]
    """
    merged: list[Piece] = []
    for token in tokens(fmt, purpose="rewrite"):
        if isinstance(token, Directive) and token.letter != "%":
            merged.append(Piece(token.letter))
            continue
        text = "%" if isinstance(token, Directive) else token.text
        if merged and not merged[-1].letter:
            merged[-1] = Piece("", merged[-1].text + text)
        else:
            merged.append(Piece("", text))
    found = []
    for index, piece in enumerate(merged):
        after = merged[index + 1] if index + 1 < len(merged) else None
        digit_next = after is not None and (
            after.letter in FIELDS or (not after.letter and after.text[0].isdigit())
        )
        fixed = digit_next or piece.letter == "Y"
        meridiem = after is not None and after.letter == "p"
        found.append(Piece(piece.letter, piece.text, fixed=fixed, before_meridiem=meridiem))
    return tuple(found)


def _text(piece: Piece) -> str:
    """A literal's pattern: a run of spaces matches one or more (none before ``%p``)."""
    parts = re.split("( +)", piece.text)
    last = len(parts) - 1
    return "".join(
        (" *" if piece.before_meridiem and i == last - 1 and not parts[last] else " +")
        if part.startswith(" ")
        else literal(part)
        for i, part in enumerate(parts)
    )


@cache
def _pattern(found: tuple[Piece, ...], *, ranged: bool, grouped: bool = False) -> str:
    """The pieces in a row: each field in its range (`ranged`) or as any digits of its width,
    each directive in a capture group when `grouped`."""
    parts = []
    for piece in found:
        field = FIELDS.get(piece.letter)
        if piece.letter == "p":
            part = MERIDIEM
        elif field is not None and ranged:
            part = "(?:" + (field.full if piece.fixed else field.padded_or_not) + ")"
        elif field is not None:
            part = f"[0-9]{{{field.width if piece.fixed else 1},{field.width}}}"
        else:
            parts.append(_text(piece))
            continue
        parts.append(f"({part})" if grouped else part)
    return "".join(parts)


@cache
def check(fmt: str) -> str:
    """The anchored pattern of the values the format reads.

    >>> check("%I:%M %p")
    '^(?:0?[1-9]|1[0-2])\\\\:(?:[0-5]?[0-9]) *[aApP]\\\\.?[mM]\\\\.?$'
    """
    return "^" + _pattern(pieces(fmt), ranged=True) + "$"


def problems(formats: tuple[str, ...], to: str) -> Iterator[tuple[str, str, str]]:
    """(path, what is wrong, hint) of every problem of the arguments; paths are ``.formats[i]``
    and ``.to``.

    >>> [p[1] for p in problems(("%m/%d/%Y",), "%Y-%m-%d %H:%M")]
    ["the format '%m/%d/%Y' has no hour or minute, which `to` writes ('%Y-%m-%d %H:%M')"]
    """
    if not formats:
        yield ".formats", "no format is listed", "list the formats the values are written in"
    written = _format_problem(to)
    if written is not None:
        yield ".to", *written
    for index, fmt in enumerate(formats):
        found = _format_problem(fmt)
        if found is not None:
            yield f".formats[{index}]", *found
            continue
        missing = [q for q in ORDER if written is None and q in quantities(to) - quantities(fmt)]
        if missing:
            yield (
                f".formats[{index}]",
                f"the format {fmt!r} has no {' or '.join(missing)}, which `to` writes ({to!r})",
                "list only formats that hold every field `to` writes, or drop it from `to`",
            )


def _format_problem(fmt: str) -> tuple[str, str] | None:
    try:
        found = pieces(fmt)
    except FormatError as exc:
        return str(exc), exc.hint
    letters = [p.letter for p in found if p.letter]
    held = [FIELDS[letter].quantity for letter in letters if letter != "p"]
    if any(ch in fmt for ch in "\n\r\x0b\x0c\x85\u2028\u2029"):
        return f"the format {fmt!r} holds a line break", "write the format on one line"
    if not letters:
        return f"the format {fmt!r} has no directive", "write one with %Y, %m, %d, %H, %M..."
    twice = sorted({q for q in held if held.count(q) > 1})
    if twice:
        return (
            f"the format {fmt!r} writes the {' and '.join(twice)} twice",
            "write each field once (%H is the hour of 24, %I with %p the hour of 12)",
        )
    if ("I" in letters) != ("p" in letters):
        return (
            f"the format {fmt!r} has {'%I without %p' if 'I' in letters else '%p without %I'}",
            "write the hour of 12 as %I with %p (7:10 PM: '%I:%M %p'), or the hour of 24 as %H",
        )
    return None


def quantities(fmt: str) -> set[str]:
    """What the format holds: ``year``, ``month``, ``day``, ``hour``, ``minute``, ``second``,
    ``fraction``.

    >>> sorted(quantities("%I:%M %p"))
    ['hour', 'minute']
    """
    return {FIELDS[p.letter].quantity for p in pieces(fmt) if p.letter in FIELDS}


@dataclass(frozen=True)
class NormalizeDatetime:
    """Rewrites a value that matches one of `formats` (zero padding optional, AM/PM in any of
    its spellings) in the `to` format; a value that matches none is left exactly as it is."""

    name: ClassVar[str] = "normalize_datetime"
    formats: tuple[str, ...]
    to: str

    def __post_init__(self) -> None:
        for path, what, hint in problems(self.formats, self.to):
            raise ValueError(f"{path[1:]}: {what}. Hint: {hint}")

    def apply(self, value: nw.Expr) -> nw.Expr:
        """The value in the `to` format where it matches a listed format, the value elsewhere."""
        return self.staged(value, keep=lambda part: part)

    def staged(self, value: nw.Expr, *, keep: Keep) -> nw.Expr:
        """`apply`, with the parts read more than once passed through `keep` (which may hold
        each in a column of its own, so that an engine computes it once)."""
        import narwhals.stable.v2 as nw

        text = keep(value.str.strip_chars(WHITESPACE))
        written = []
        for fmt in self.formats:
            matched = keep(text.str.contains(check(fmt)))
            fields = _cut(text, pieces(fmt), keep)
            written.append((matched, self._written(fields, matched, keep)))
        # null first: on pandas a null's failed match would otherwise bring NaN
        result = nw.when(text.is_null()).then(value)
        for matched, rewritten in written:
            result = result.when(matched).then(rewritten)
        return result.otherwise(value)

    def _written(self, fields: dict[str, nw.Expr], matched: nw.Expr, keep: Keep) -> nw.Expr:
        """The `to` text from one format's fields (each read as written there)."""
        import narwhals.stable.v2 as nw

        needs_hour = any(p.letter in "HIp" for p in pieces(self.to) if p.letter)
        hour = keep(_hour(fields, matched)) if needs_hour else nw.lit(0)
        parts: list[nw.Expr] = []
        for piece in pieces(self.to):
            if not piece.letter:
                parts.append(nw.lit(piece.text))
            elif piece.letter == "Y":
                parts.append(_year(fields))
            elif piece.letter == "y":
                parts.append(_year(fields).str.tail(2))
            elif piece.letter == "f":
                parts.append(nw.concat_str([fields["f"], nw.lit("000000")]).str.head(6))
            elif piece.letter == "H":
                parts.append(hour.cast(nw.String()).str.zfill(2))
            elif piece.letter == "I":
                twelve = nw.when(hour == 0).then(12).when(hour > 12).then(hour - 12)
                parts.append(twelve.otherwise(hour).cast(nw.String()).str.zfill(2))
            elif piece.letter == "p":
                parts.append(nw.when(hour >= 12).then(nw.lit("PM")).otherwise(nw.lit("AM")))
            else:
                parts.append(fields[piece.letter].str.zfill(2))
        return nw.concat_str(parts)

    def rewrite(self, value: str | None) -> str | None:
        """The same rewrite in Python (the reference the engines are tested against).

        >>> NormalizeDatetime(("%I:%M %p", "%H:%M"), "%H:%M").rewrite("7:10 p.m.")
        '19:10'
        >>> NormalizeDatetime(("%m/%d/%y",), "%Y-%m-%d").rewrite("1/1/69")
        '1969-01-01'
        """
        if value is None:
            return None
        text = value.strip(WHITESPACE)
        for fmt in self.formats:
            if re.search(check(fmt), text):
                return _reference(text, pieces(fmt), pieces(self.to))
        return value


def _cut(text: nw.Expr, found: tuple[Piece, ...], keep: Keep) -> dict[str, nw.Expr]:
    """Each directive's text, by letter (``p``: the first letter of AM or PM)."""
    fields = {}
    for index, piece in enumerate(found):
        if not piece.letter:
            continue
        rest = text.str.replace_all("^" + _pattern(found[:index], ranged=False), "")
        if piece.letter == "p":
            fields["p"] = rest.str.head(1)
        elif piece.fixed:
            fields[piece.letter] = keep(rest.str.head(FIELDS[piece.letter].width))
        else:
            head = rest.str.head(FIELDS[piece.letter].width)
            fields[piece.letter] = keep(head.str.replace_all("[^0-9].*$", ""))
    return fields


def _year(fields: dict[str, nw.Expr]) -> nw.Expr:
    import narwhals.stable.v2 as nw

    if "Y" in fields:
        return fields["Y"]
    short = fields["y"].str.zfill(2)
    century = nw.when(short.str.contains("^(?:[0-5][0-9]|6[0-8])$")).then(nw.lit("20"))
    return nw.concat_str([century.otherwise(nw.lit("19")), short])


def _hour(fields: dict[str, nw.Expr], matched: nw.Expr) -> nw.Expr:
    """The hour of 24 as an integer (0 where the value did not match: nothing else is cast)."""
    import narwhals.stable.v2 as nw

    letter = "H" if "H" in fields else "I"
    hour = nw.when(matched).then(fields[letter]).otherwise(nw.lit("0")).cast(nw.Int64())
    if letter == "H":
        return hour
    afternoon = fields["p"].str.contains("^[pP]")
    return nw.when(hour == 12).then(0).otherwise(hour) + nw.when(afternoon).then(12).otherwise(0)


def _reference(text: str, found: tuple[Piece, ...], to: tuple[Piece, ...]) -> str:
    """The `to` text of a value that matches the format of `found`, read with capture groups
    and Python integers."""
    match = re.fullmatch(_pattern(found, ranged=True, grouped=True), text)
    assert match is not None, text
    got = dict(zip([p.letter for p in found if p.letter], match.groups(), strict=True))
    if "y" in got:
        short = int(got["y"])
        got["Y"] = str(2000 + short if short <= 68 else 1900 + short)
    hour = int(got.get("H") or got.get("I") or 0)
    if "I" in got:
        hour = hour % 12 + (12 if got["p"][0] in "pP" else 0)
    computed = {
        "y": got["Y"][-2:] if "Y" in got else "",
        "H": f"{hour:02d}",
        "I": f"{(hour - 1) % 12 + 1:02d}",
        "p": "PM" if hour >= 12 else "AM",
        "f": got.get("f", "").ljust(6, "0"),
    }
    written = []
    for piece in to:
        if not piece.letter:
            written.append(piece.text)
        else:
            written.append(computed.get(piece.letter) or got[piece.letter].zfill(2))
    return "".join(written)


DateTransform = NormalizeDatetime
"""The transforms of this module; `rowsift.transforms.Transform` joins every module's."""
