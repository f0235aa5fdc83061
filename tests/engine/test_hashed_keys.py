"""Rows seen before are found through 64-bit hashes of their keys (Polars), verified exactly:
with a hash that collides all the time, the answer is still the answer of the keys themselves."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import examples

import rowsift
from rowsift.engines._polars import steps

RECIPE = rowsift.load_recipe_text(
    """
version: 1
columns:
  a: {transforms: [strip]}
  b: {type: int, rules: [{unique: {blame: all_but_first}}]}
rows:
  - duplicate: {keep: first}
"""
)


def three_buckets(keys: Sequence[str]) -> pl.Expr:
    """Different keys collide most of the time: only three hash values."""
    return pl.struct(list(keys)).hash(seed=1) % 3


def expected_reasons(table: dict[str, list[str | None]]) -> dict[int, list[str]]:
    """The quarantine worked out on the keys themselves, in plain Python."""
    seen_b: set[int] = set()
    seen_rows: set[tuple[str | None, int | None]] = set()
    reasons: dict[int, list[str]] = {}
    for row, (a, b) in enumerate(zip(table["a"], table["b"], strict=True)):
        key = (a.strip() if a is not None else None, int(b) if b is not None else None)
        found = []
        if key[1] is not None and key[1] in seen_b:
            found.append("b.unique")
        if key in seen_rows:
            found.append("row.duplicate")
        if key[1] is not None:
            seen_b.add(key[1])
        seen_rows.add(key)
        if found:
            reasons[row] = found
    return reasons


def quarantine_of(table: dict[str, list[str | None]]) -> dict[int, list[str]]:
    result = rowsift.run(RECIPE, pl.DataFrame(table, schema={"a": pl.String, "b": pl.String}))
    return {
        row["_rowsift_row"]: list(row["_rowsift_reasons"])
        for row in result.quarantine.iter_rows(named=True)
    }


values = st.lists(
    st.tuples(
        st.sampled_from(["x", " x", "y", "z ", None]), st.sampled_from(["1", "2", "3", None])
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=examples(60), deadline=None)
@given(rows=values)
def test_colliding_hashes_never_mark_a_row(rows: list[tuple[str | None, str | None]]) -> None:
    table = {"a": [a for a, _ in rows], "b": [b for _, b in rows]}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "key_hash", three_buckets)
        colliding = quarantine_of(table)
    assert colliding == expected_reasons(table)
    assert quarantine_of(table) == colliding


def test_keys_that_collide_are_told_apart() -> None:
    """Every row hashes alike; only equal keys are repeats."""
    table: dict[str, list[str | None]] = {
        "a": ["p", "q", "p", None, None],
        "b": ["1", "2", "3", "1", None],
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "key_hash", lambda keys: pl.struct(list(keys)).hash() * 0)
        assert quarantine_of(table) == {3: ["b.unique"]}
