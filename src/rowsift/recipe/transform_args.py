"""The arguments of the transforms written under a column's ``transforms:``.

A transform without arguments is written as its bare name (``- strip``); one that takes a single
value is a root model, written ``- map: {from: to}``; one with several is a mapping.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Literal

from pydantic import ConfigDict, Field, RootModel

from rowsift.exceptions import Problem
from rowsift.recipe._base import Strict
from rowsift.recipe._regex import matches_empty, portable_pattern, regex_problem
from rowsift.recipe.arguments import TransformArgs
from rowsift.recipe.context import Context
from rowsift.recipe.values import Scalar, coerce_literal
from rowsift.transforms.canonical import Canonical, fingerprint
from rowsift.transforms.dates import NormalizeDatetime
from rowsift.transforms.dates import problems as datetime_problems
from rowsift.transforms.majority import MAX_DETERMINANTS, SHARE_DECIMALS, Majority
from rowsift.transforms.numbers import FACTOR_DIGITS, NormalizeNumber, factor_parts
from rowsift.transforms.text import (
    CollapseSpaces,
    FillNull,
    Lower,
    Map,
    NullTokens,
    Replace,
    Strip,
    Upper,
)

_FROZEN = ConfigDict(frozen=True, defer_build=True)
"""The configuration of the arguments that are one value (`RootModel`); built on first use as
`Strict` models are."""


class StripArgs(TransformArgs, Strict):
    """``strip``: no arguments."""

    transform: ClassVar = Strip

    def build(self) -> Strip:
        """The transform."""
        return Strip()


class LowerArgs(TransformArgs, Strict):
    """``lower``: no arguments."""

    transform: ClassVar = Lower

    def build(self) -> Lower:
        """The transform."""
        return Lower()


class UpperArgs(TransformArgs, Strict):
    """``upper``: no arguments."""

    transform: ClassVar = Upper

    def build(self) -> Upper:
        """The transform."""
        return Upper()


class CollapseSpacesArgs(TransformArgs, Strict):
    """``collapse_spaces``: no arguments."""

    transform: ClassVar = CollapseSpaces

    def build(self) -> CollapseSpaces:
        """The transform."""
        return CollapseSpaces()


class NullTokensArgs(TransformArgs, RootModel[list[str]]):
    """``null_tokens: [...]``: the values that become null."""

    model_config = _FROZEN
    transform: ClassVar = NullTokens

    def build(self) -> NullTokens:
        """The transform."""
        return NullTokens(tuple(self.root))


class MapArgs(TransformArgs, RootModel[dict[str, str]]):
    """``map: {from: to}``: whole-value replacements."""

    model_config = _FROZEN
    transform: ClassVar = Map

    def build(self) -> Map:
        """The transform."""
        return Map(tuple(self.root.items()))


class ReplaceArgs(TransformArgs, Strict):
    """``replace: {pattern, with}``: every regex match becomes the literal `with` text."""

    transform: ClassVar = Replace

    pattern: str
    with_: str = Field(alias="with")

    def problems(self, context: Context) -> Iterator[Problem]:
        """A pattern outside the linear-time syntax or matching the empty text; `$` or `\\` in
        the replacement."""
        problem = regex_problem(self.pattern)
        if problem:
            yield Problem(problem[0], path=".pattern", hint=problem[1])
        elif matches_empty(self.pattern):
            yield Problem(
                f"the replace pattern {self.pattern!r} matches the empty text",
                path=".pattern",
                hint="engines disagree on where empty matches fall; use + instead of *",
            )
        if any(ch in self.with_ for ch in "$\\"):
            yield Problem(
                "the replacement text may not contain '$' or '\\'",
                path=".with",
                hint="`with` is literal text; group references are not supported yet",
            )

    def build(self) -> Replace:
        """The transform, with a pattern that means the same on every engine."""
        return Replace(portable_pattern(self.pattern), self.with_)


class FillNullArgs(TransformArgs, RootModel[Scalar]):
    """``fill_null: value``: null becomes the value (as text)."""

    model_config = _FROZEN
    transform: ClassVar = FillNull

    def build(self) -> FillNull:
        """The transform."""
        return FillNull(coerce_literal(self.root, "string"))


class NormalizeNumberArgs(TransformArgs, Strict):
    """``normalize_number: {decimal, thousands, currency, percent, units, parentheses}``: a
    number carrying currency, percent, separators or a unit becomes canonical number text."""

    transform: ClassVar = NormalizeNumber

    decimal: Literal[".", ","] = "."
    thousands: Literal[",", ".", " ", "'"] | None = None
    currency: list[str] = Field(default_factory=list)
    percent: Literal["keep", "ratio"] | None = None
    units: dict[str, float] = Field(default_factory=dict)
    parentheses: Literal["negative", "wrap"] = "negative"

    def compact(self) -> Any:
        """The arguments given, without those at their default."""
        return self.model_dump(mode="python", exclude_defaults=True)

    def problems(self, context: Context) -> Iterator[Problem]:
        """Separators that clash, empty or digit-bearing words, factors that are not positive
        or too fine to multiply exactly."""
        if self.thousands == self.decimal:
            yield Problem(
                f"decimal and thousands are both {self.decimal!r}",
                path=".thousands",
                hint="the thousands separator must differ from the decimal mark",
            )
        words = {"currency": list(self.currency), "units": list(self.units)}
        for key, listed in words.items():
            for index, word in enumerate(listed):
                if not word.strip() or any(ch.isdigit() or ch in "()%+-" for ch in word):
                    yield Problem(
                        f"{key} {word!r} is empty or holds a digit, sign, parenthesis or %",
                        path=f".{key}" + (f"[{index}]" if key == "currency" else f".{word}"),
                        hint="write the symbol or word alone (`$`, `USD`, `oz`)",
                    )
        folded = [word.casefold() for word in (*self.currency, *self.units)]
        for word in sorted({w for w in folded if folded.count(w) > 1}):
            yield Problem(
                f"{word!r} is listed twice (currencies and units are matched ignoring case)",
                path="",
                hint="list each word once",
            )
        factors = {unit: _decimal_text(f) for unit, f in self.units.items()}
        for unit, factor in factors.items():
            if factor is None:
                yield Problem(
                    f"the factor of unit {unit!r} must be a positive number",
                    path=f".units.{unit}",
                    hint="the value in this unit is multiplied by the factor (oz: 28.3495)",
                )
        fine = [f for f in factors.values() if f is not None and Decimal(f) != 1]
        if self.percent == "ratio":
            fine.append("0.01")
        if fine:
            scale = max(factor_parts(f)[1] for f in fine)
            widest = max(factor_parts(f)[0] * 10 ** (scale - factor_parts(f)[1]) for f in fine)
            if len(str(widest)) > FACTOR_DIGITS:
                yield Problem(
                    f"the unit factors need {len(str(widest))} digits over their common scale "
                    f"of {scale} decimals; at most {FACTOR_DIGITS} multiply exactly",
                    path=".units",
                    hint="round the factors to fewer decimals, or normalise to a larger unit",
                )

    def build(self) -> NormalizeNumber:
        """The transform."""
        units = tuple((unit, _decimal_text(f) or "1") for unit, f in self.units.items())
        return NormalizeNumber(
            decimal=self.decimal,
            thousands=self.thousands,
            currency=tuple(self.currency),
            percent=self.percent,
            units=units,
            parentheses=self.parentheses,
        )


def _decimal_text(factor: float) -> str | None:
    """The factor as decimal text, as written in YAML (``28.3495``); None unless positive."""
    if isinstance(factor, bool) or not math.isfinite(factor) or factor <= 0:
        return None
    return str(Decimal(repr(factor)).normalize()) if isinstance(factor, float) else str(factor)


class CanonicalArgs(TransformArgs, RootModel[list[str]]):
    """``canonical: [values...]``: a variant of a listed value (case, spacing, punctuation,
    accents) becomes that value."""

    model_config = _FROZEN
    transform: ClassVar = Canonical

    def problems(self, context: Context) -> Iterator[Problem]:
        """A value with nothing to compare (only spaces and punctuation); two values that are
        variants of each other."""
        seen: dict[str, int] = {}
        for index, listed in enumerate(self.root):
            key = fingerprint(listed)
            if not key:
                yield Problem(
                    f"canonical value {listed!r} is only spaces and punctuation",
                    path=f"[{index}]",
                    hint="list values with a letter or digit; use map for anything else",
                )
            elif key in seen:
                yield Problem(
                    f"canonical values {self.root[seen[key]]!r} and {listed!r} differ only in "
                    "case, spacing, punctuation or accents",
                    path=f"[{index}]",
                    hint="list one of them; map the other to it with map if both occur",
                )
            else:
                seen[key] = index

    def build(self) -> Canonical:
        """The transform."""
        return Canonical(tuple(self.root))


class NormalizeDatetimeArgs(TransformArgs, Strict):
    """``normalize_datetime: {formats: [...], to: FORMAT}``: a date, datetime or time of day
    written in one of the formats (zero padding optional) is rewritten in the `to` format."""

    transform: ClassVar = NormalizeDatetime

    formats: list[str] = Field(min_length=1)
    to: str

    def problems(self, context: Context) -> Iterator[Problem]:
        """Directives the transform does not read, fields written twice, %I without %p, and
        formats that lack a field `to` writes."""
        for path, what, hint in datetime_problems(tuple(self.formats), self.to):
            yield Problem(what, path=path, hint=hint)

    def build(self) -> NormalizeDatetime:
        """The transform."""
        return NormalizeDatetime(tuple(self.formats), self.to)


class MajorityArgs(TransformArgs, Strict):
    """``majority: {by: [columns], min_share, min_rows, fill_nulls}``: a value becomes the most
    frequent value of the rows sharing its `by` values, where that value clearly dominates; with
    `fill_nulls`, so does a null."""

    transform: ClassVar = Majority

    by: list[str] = Field(min_length=1, max_length=MAX_DETERMINANTS)
    min_share: float = Field(default=0.6, gt=0, le=1)
    min_rows: int = Field(default=3, ge=2)
    fill_nulls: bool = False

    def compact(self) -> Any:
        """The arguments given, without those at their default (`by` is always written)."""
        return {"by": list(self.by), **self.model_dump(exclude_defaults=True, exclude={"by"})}

    def problems(self, context: Context) -> Iterator[Problem]:
        """Unknown `by` columns, the column itself or a column listed twice among them; a
        `min_share` of more than `SHARE_DECIMALS` decimals."""
        if (10**SHARE_DECIMALS) % Fraction(repr(self.min_share)).denominator:
            yield Problem(
                f"min_share may have at most {SHARE_DECIMALS} decimals (it is compared "
                f"exactly), got {self.min_share!r}",
                path=".min_share",
                hint="round it, e.g. 0.666667 for two thirds",
            )
        for index, name in enumerate(self.by):
            path = f".by[{index}]"
            if context.column is not None and name == context.column.name:
                yield Problem(
                    f"column {name!r} cannot group its own values",
                    path=path,
                    hint="list the columns whose equal values should share one value",
                )
            elif name in self.by[:index]:
                yield Problem(f"column {name!r} is listed twice", path=path)
            else:
                yield from context.unknown(name, path)

    def build(self) -> Majority:
        """The transform."""
        return Majority(
            by=tuple(self.by),
            min_share=self.min_share,
            min_rows=self.min_rows,
            fill_nulls=self.fill_nulls,
        )


TRANSFORM_ARGS: tuple[type[TransformArgs], ...] = (
    StripArgs,
    LowerArgs,
    UpperArgs,
    CollapseSpacesArgs,
    NullTokensArgs,
    MapArgs,
    ReplaceArgs,
    FillNullArgs,
    NormalizeNumberArgs,
    CanonicalArgs,
    NormalizeDatetimeArgs,
    MajorityArgs,
)
"""What may be written under a column's ``transforms:``, in the order the docs list them."""
