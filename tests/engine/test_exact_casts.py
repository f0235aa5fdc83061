"""An engine that skips a type's lexical guard (`Engine.exact_casts`) must cast exactly the
texts that guard admits: a text its own lenient cast took while the guard turns it away would be
a value on that engine and a type failure on every other."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.conftest import examples

from rowsift.engine.parse import guard
from rowsift.engine.plan import CastSpec
from rowsift.engines import ENGINES, engine_named
from rowsift.engines.protocol import ParseJob

SPACES = ["\t", "\n", "\r", "\x0b", "\x0c", "\x00", "\u00a0", "\u2007", "\u202f"]
OTHER_DIGITS = ["\u0663", "\uff11", "\u00b2", "\u2070", "\u2212"]
"""Digits of other scripts, superscript and full-width ones, and the minus sign."""
NUMBER_LIKE = st.text(
    alphabet=st.sampled_from([*"0123456789+-.eE_xX,#dDfF infINFatyNAN", *SPACES, *OTHER_DIGITS]),
    max_size=12,
)
POLARS = engine_named("polars")


@pytest.mark.parametrize("kind", sorted(POLARS.exact_casts))
@settings(max_examples=examples(400), deadline=None)
@given(texts=st.lists(st.one_of(NUMBER_LIKE, st.text(max_size=8)), min_size=1, max_size=40))
@example(texts=["+5", "-0", "1.", ".5", "1e3", "1E+3", "+.5e-3", "inf", "-Infinity", "NaN"])
@example(texts=[" 5", "5 ", "1_000", "0x10", "1e", "e5", "--1", "+", ".", "", "\u0663"])
@example(texts=["9223372036854775808", "-9223372036854775809", "1e400", "00012"])
def test_the_polars_cast_takes_only_what_the_guard_admits(kind: str, texts: list[str]) -> None:
    pattern = guard(CastSpec(type=kind))
    assert pattern is not None
    frame = pl.DataFrame({"text": texts})
    job = ParseJob(source="text", target="value", type=kind)
    parsed = POLARS.steps.parse_columns(frame, [job])
    admitted = frame["text"].str.contains(pattern)  # the guard as the engine evaluates it
    for text, value, admits in zip(texts, parsed["value"], admitted, strict=True):
        assert value is None or admits, (kind, text, value)


def test_no_engine_skips_a_guard_unchecked() -> None:
    """Only the engine the test above checks may claim casts that need no guard: another
    claim has to come with its own check."""
    claims = {name: engine_named(name).exact_casts for name in ENGINES}
    assert {name for name, kinds in claims.items() if kinds} <= {"polars"}
