"""Patterns accepted without loading the engines are patterns both engines accept."""

from __future__ import annotations

import re

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from rowsift.recipe._regex import plainly_valid

PIECES = [*"ab1é.^$|?*+(){}[]-,&~:=!<", "\\d", "\\w", "\\s", "\\b", "\\.", "\\p", "\\1", "{2}"]
PIECES += ["{1,3}", "{2,}", "{3,1}", "{500}", "(?:", "(?=", "[^", "a-z", "z-a", "0-9", "\\\\"]


def _engines_accept(pattern: str) -> bool:
    try:
        pl.Series([""], dtype=pl.String).str.contains(pattern)
        pc.match_substring_regex(pa.nulls(1, pa.string()), pattern=pattern)
    except Exception:
        return False
    return True


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_what_is_plainly_valid_compiles_in_rust_regex_re2_and_python(pattern: str) -> None:
    if plainly_valid(pattern):
        assert _engines_accept(pattern), pattern
        re.compile(pattern)


def test_the_patterns_recipes_use_are_plainly_valid() -> None:
    for pattern in (
        r"^ORD-\d{8}$",
        r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$",
        r"^\d{5}$",
        r"^[A-Z]{2}-\d{3,6}$",
        r"^(new|paid|shipped)$",
        r"^\+?[0-9 ()-]{7,20}$",
    ):
        assert plainly_valid(pattern), pattern
        assert _engines_accept(pattern)


def test_everything_else_is_left_to_the_engines() -> None:
    for pattern in (r"(?=x)", r"(a)\1", r"\p{L}", "[[:alpha:]]", "a{1001}", "[a&&b]", "(?i)a"):
        assert not plainly_valid(pattern), pattern
