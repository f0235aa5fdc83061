"""`normalize_number`: a number dressed in currency, percent, separators or a unit, as plain text.

The result is **canonical number text**, the same string on every engine: an optional ``-``, the
integer digits without leading zeros (``0`` when there are none), then, only when the fraction
is not zero, ``.`` and the fraction digits without trailing zeros. Zero is never negative.
In the shape of a pattern: ``-?(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?`` (``-1234.56``, ``0.5``, ``12``).

Everything is done on text with patterns that hold no group references (engines spell those
differently) and with exact 64-bit integer arithmetic where a factor applies (a unit's factor, or
``percent: ratio``), so no engine's float formatting is involved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar, Literal, TypeAlias

from rowsift.transforms.text import WHITESPACE

# narwhals is imported where an expression is built: compiling a recipe (`rowsift check`)
# builds none
if TYPE_CHECKING:
    import narwhals.stable.v2 as nw

PercentPolicy = Literal["keep", "ratio"]
ParenthesesPolicy = Literal["negative", "wrap"]

Keep: TypeAlias = "Callable[[nw.Expr], nw.Expr]"
"""Holds a part of an expression that is read more than once; returns what reads it."""

GAP = "[ \u00a0\u202f]*"
"""Spaces allowed between a number and its currency, unit or sign: space, no-break spaces."""

MINUS = "[\\-\u2212]"
"""The minus signs read: the hyphen-minus and the Unicode minus."""

SIGN = "[+\\-\u2212]"
"""A sign: plus or a minus."""

FRACTION_DIGITS = 9
"""With a factor, the value's fraction is read to this many digits (more: the value is left)."""

FACTOR_DIGITS = 9
"""A factor, written over the common scale of all factors, has at most this many digits."""

THOUSANDS_MARKS = {" ": " \u00a0\u202f", "'": "'\u2019", ",": ",", ".": "."}
"""What each thousands separator also matches: a space also matches the no-break spaces, an
apostrophe the typographic one."""


def literal(text: str, *, caseless: bool = False) -> str:
    """A pattern that matches `text` exactly (ASCII letters in either case when `caseless`).

    Punctuation is escaped with a backslash (every engine reads that alike); other characters
    stand for themselves. Letters are matched caselessly by a class of both cases (no inline
    flags: engines disagree on what ``(?i)`` folds).

    >>> literal("US$"), literal("oz.", caseless=True)
    ('US\\\\$', '[oO][zZ]\\\\.')
    """
    parts = []
    for char in text:
        if (
            caseless
            and char.lower() != char.upper()
            and len(char.upper()) == len(char.lower()) == 1
        ):
            parts.append(f"[{char.lower()}{char.upper()}]")
        elif char.isascii() and not char.isalnum() and char not in " <>":
            # escaped: every engine reads a backslash before ASCII punctuation as the
            # character, but Rust's regex refuses it before < and > (word boundaries to be)
            parts.append("\\" + char)
        else:
            parts.append(char)
    return "".join(parts)


def alternation(words: list[str], *, caseless: bool) -> str:
    """A group matching any of the words, longest first (``US$`` before ``$``)."""
    ordered = sorted(words, key=lambda word: (-len(word), word))
    return "(?:" + "|".join(literal(word, caseless=caseless) for word in ordered) + ")"


def factor_parts(factor: str) -> tuple[int, int]:
    """A positive decimal factor as (digits, scale): ``28.3495`` → ``(283495, 4)``.

    >>> factor_parts("28.3495"), factor_parts("1000"), factor_parts("0.001")
    ((283495, 4), (1000, 0), (1, 3))
    """
    sign, digits, exponent = Decimal(factor).normalize().as_tuple()
    if not isinstance(exponent, int) or sign:
        raise ValueError(f"not a positive finite factor: {factor!r}")
    mantissa = int("".join(map(str, digits)))
    if exponent >= 0:
        return mantissa * 10**exponent, 0
    return mantissa, -exponent


@dataclass(frozen=True)
class NormalizeNumber:
    """Rewrites a number written with currency, percent, separators or a unit as canonical
    number text; a value it cannot read is left exactly as it is."""

    name: ClassVar[str] = "normalize_number"
    decimal: str = "."
    thousands: str | None = None
    currency: tuple[str, ...] = ()
    percent: PercentPolicy | None = None
    units: tuple[tuple[str, str], ...] = ()
    """(unit, factor as decimal text) pairs; a value in the unit is multiplied by its factor."""
    parentheses: ParenthesesPolicy = "negative"
    """What parentheses around the whole value say: ``negative``, an accounting negative
    (``(1,234.56)`` is -1234.56, and no sign may stand inside); ``wrap``, nothing: the value
    inside carries its own sign (``(-1.29%)`` is -1.29, ``(1.29%)`` is 1.29)."""

    def apply(self, value: nw.Expr) -> nw.Expr:
        """The canonical number text where the value reads as a number, the value elsewhere."""
        return self.staged(value, keep=lambda part: part)

    def staged(self, value: nw.Expr, *, keep: Keep) -> nw.Expr:
        """`apply`, with the parts read more than once passed through `keep` (which may hold
        each in a column of its own, so that an engine computes it once)."""
        import narwhals.stable.v2 as nw

        text = value.str.strip_chars(WHITESPACE)
        readable = keep(nw.when(text.str.contains(self._shape())).then(text))
        number = keep(self._digits(readable))
        whole = number.str.replace_all("\\..*$", "")
        fraction = nw.concat_str([number, nw.lit(".")]).str.replace_all("^[0-9]*\\.", "")
        fraction = fraction.str.replace_all("\\.$", "")
        negative = readable.str.contains(self._negative())
        scaled = self._factors()
        if not scaled:
            return (
                nw.when(readable.is_null())
                .then(value)
                .otherwise(canonical(whole, fraction, negative))
            )
        whole, fraction = keep(whole), keep(fraction)
        factor: nw.Expr = nw.lit(0)
        for pattern, digits in reversed(scaled):
            factor = nw.when(readable.str.contains(pattern)).then(nw.lit(digits)).otherwise(factor)
        factor = keep(factor)
        scale = max(factor_parts(f)[1] for _, f in self._scaled_units())
        width = factor.cast(nw.String()).str.len_chars()
        fits = keep(
            (whole.str.replace_all("^0+", "").str.len_chars() + width <= 18)
            & (fraction.str.len_chars() <= FRACTION_DIGITS)
        )
        product = _multiplied(whole, fraction, factor, fits, scale, keep)
        return (
            nw.when(readable.is_null())
            .then(value)
            .when(factor == 0)
            .then(canonical(whole, fraction, negative))
            .when(fits)
            .then(canonical(*product, negative))
            .otherwise(value)
        )

    def _affixes(self) -> str:
        """What may follow the number: a currency, ``%``, or a unit (optional trailing dot)."""
        words = []
        if self.currency:
            words.append(alternation(list(self.currency), caseless=True))
        if self.percent is not None:
            words.append("%")
        if self.units:
            words.append(alternation([unit for unit, _ in self.units], caseless=True) + "\\.?")
        return "(?:" + "|".join(words) + ")" if words else ""

    def _number(self) -> str:
        digits = "[0-9]"
        mark = literal(self.decimal)
        plain = f"{digits}+"
        if self.thousands is not None:
            separator = "[" + literal(THOUSANDS_MARKS[self.thousands]) + "]"
            plain = f"(?:{digits}{{1,3}}(?:{separator}{digits}{{3}})+|{digits}+)"
        return f"(?:{plain}(?:{mark}{digits}*)?|{mark}{digits}+)"

    def _shape(self) -> str:
        """The whole value: a sign and a currency before, the number, an affix after; or all
        of that inside parentheses, without the sign where they are an accounting negative."""
        currency = alternation(list(self.currency), caseless=True) if self.currency else None
        sign = f"{SIGN}{GAP}"
        if currency:
            before = f"(?:{sign}(?:{currency}{GAP})?|{currency}{GAP}(?:{sign})?)?"
            bare = f"(?:{currency}{GAP})?"
        else:
            before, bare = f"(?:{sign})?", ""
        affixes = self._affixes()
        after = f"(?:{GAP}{affixes})?" if affixes else ""
        number = self._number()
        inside = before if self.parentheses == "wrap" else bare
        return f"^(?:{before}{number}{after}|\\({GAP}{inside}{number}{after}{GAP}\\))$"

    def _negative(self) -> str:
        minus = [MINUS]
        if self.currency:
            minus.append(alternation(list(self.currency), caseless=True) + f"{GAP}{MINUS}")
        if self.parentheses == "wrap":  # the sign inside the parentheses is the value's
            return f"^(?:\\({GAP})?(?:" + "|".join(minus) + ")"
        return "^(?:" + "|".join(["\\(", *minus]) + ")"

    def _digits(self, readable: nw.Expr) -> nw.Expr:
        """The number alone, with ``.`` as its decimal mark and no thousands separators."""
        currency = alternation(list(self.currency), caseless=True) if self.currency else ""
        prefix = f"^\\(?{GAP}(?:{SIGN}{GAP})?"
        if currency:
            prefix += f"(?:{currency}{GAP})?(?:{SIGN}{GAP})?"
        number = readable.str.replace_all(prefix, "")
        affixes = self._affixes()
        suffix = (f"(?:{GAP}{affixes})?" if affixes else "") + f"{GAP}\\)?$"
        number = number.str.replace_all(suffix, "")
        if self.thousands is not None:
            marks = "[" + literal(THOUSANDS_MARKS[self.thousands]) + "]"
            number = number.str.replace_all(marks, "")
        if self.decimal != ".":
            number = number.str.replace_all(literal(self.decimal), ".")
        return number

    def _scaled_units(self) -> list[tuple[str, str]]:
        """The suffixes whose values are multiplied: ``%`` with ``ratio``, units whose factor
        is not 1."""
        scaled = [(unit, factor) for unit, factor in self.units if Decimal(factor) != 1]
        if self.percent == "ratio":
            scaled.append(("%", "0.01"))
        return scaled

    def _factors(self) -> list[tuple[str, int]]:
        """(pattern of a value ending in the suffix, factor digits over the common scale)."""
        scaled = self._scaled_units()
        if not scaled:
            return []
        scale = max(factor_parts(factor)[1] for _, factor in scaled)
        found = []
        for suffix, factor in scaled:
            digits, own = factor_parts(factor)
            word = "%" if suffix == "%" else literal(suffix, caseless=True) + "\\.?"
            found.append((f"[0-9.,]{GAP}{word}{GAP}\\)?$", digits * 10 ** (scale - own)))
        return found


def _multiplied(
    whole: nw.Expr, fraction: nw.Expr, factor: nw.Expr, fits: nw.Expr, scale: int, keep: Keep
) -> tuple[nw.Expr, nw.Expr]:
    """(integer digits, fraction digits) of the number times ``factor / 10**scale``, exactly.

    The number is ``whole + f / 10**9`` (its fraction read to 9 digits); both parts are
    multiplied in 64-bit integers (``fits`` keeps every product below 10**18) and the fraction's
    product is split on its text, so no division and no float is involved. Values that do not
    fit are read as 0 (no engine casts a null text to an integer alike); the caller leaves them.
    """
    import narwhals.stable.v2 as nw

    digits = FRACTION_DIGITS
    integer = nw.when(fits).then(whole.str.zfill(1)).otherwise(nw.lit("0")).cast(nw.Int64())
    padded = nw.concat_str([fraction, nw.lit("0" * digits)]).str.head(digits)
    part = nw.when(fits).then(padded).otherwise(nw.lit("0")).cast(nw.Int64())
    # held: padding reads its input several times on some engines (Spark), and nested
    # paddings would multiply the expression
    product = keep((part * factor).cast(nw.String()).str.zfill(digits + 1))
    carried = product.str.replace_all(f"[0-9]{{{digits}}}$", "").cast(nw.Int64())
    low = product.str.tail(digits)
    total = nw.concat_str([(integer * factor + carried).cast(nw.String()), low])
    places = digits + scale
    total = keep(total.str.zfill(places + 1))
    return total.str.replace_all(f"[0-9]{{{places}}}$", ""), total.str.tail(places)


def canonical(whole: nw.Expr, fraction: nw.Expr, negative: nw.Expr) -> nw.Expr:
    """Canonical number text from integer digits, fraction digits and the sign; each input is
    read once (no engine but Polars would share a part read twice)."""
    import narwhals.stable.v2 as nw

    integer = whole.str.replace_all("^0+", "").str.zfill(1)
    trimmed = fraction.str.replace_all("0+$", "")
    point = nw.concat_str([nw.lit("."), trimmed]).str.replace_all("^\\.$", "")
    sign = nw.when(negative).then(nw.lit("-")).otherwise(nw.lit(""))
    return nw.concat_str([sign, integer, point]).str.replace_all("^-0$", "0")


NumberTransform = NormalizeNumber
"""The repair transforms of this module; `rowsift.transforms.Transform` joins every module's."""
