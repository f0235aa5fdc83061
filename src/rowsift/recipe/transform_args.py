"""The arguments of the transforms written under a column's ``transforms:``.

A transform without arguments is written as its bare name (``- strip``); one that takes a single
value is a root model, written ``- map: {from: to}``; one with several is a mapping.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import ConfigDict, Field, RootModel

from rowsift.exceptions import Problem
from rowsift.recipe._base import Strict
from rowsift.recipe._regex import matches_empty, portable_pattern, regex_problem
from rowsift.recipe.arguments import TransformArgs
from rowsift.recipe.context import Context
from rowsift.recipe.values import Scalar, coerce_literal
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

_FROZEN = ConfigDict(frozen=True)


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


TRANSFORM_ARGS: tuple[type[TransformArgs], ...] = (
    StripArgs,
    LowerArgs,
    UpperArgs,
    CollapseSpacesArgs,
    NullTokensArgs,
    MapArgs,
    ReplaceArgs,
    FillNullArgs,
)
"""What may be written under a column's ``transforms:``, in the order the docs list them."""
