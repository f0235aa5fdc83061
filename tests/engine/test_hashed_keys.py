"""Rows seen before are found through 64-bit hashes of their keys (Polars), verified exactly:
with a hash that collides all the time, the answer is still the answer of the keys themselves."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import examples

import rowsift
from rowsift._names import REASON_SEPARATOR, REASONS, ROW
from rowsift.engine import build, compile_recipe
from rowsift.engines._polars import steps
from rowsift.io import to_table

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
    assert quarantine_held(table) == colliding


def quarantine_held(table: dict[str, list[str | None]]) -> dict[int, list[str]]:
    """The quarantine when the keys are held (a small input file): no hash is read."""
    frame, _ = to_table(pl.DataFrame(table, schema={"a": pl.String, "b": pl.String}))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "key_hash", None)  # any use of a hash fails
        outputs = build(compile_recipe(RECIPE), frame, hashed_keys=False)
        quarantine = outputs.quarantine.collect().to_native()
    return {
        row[ROW]: row[REASONS].split(REASON_SEPARATOR) for row in quarantine.iter_rows(named=True)
    }


def test_keys_that_collide_are_told_apart() -> None:
    """Every row hashes alike; only equal keys are repeats."""
    table: dict[str, list[str | None]] = {
        "a": ["p", "q", "p", None, None],
        "b": ["1", "2", "3", "1", None],
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "key_hash", lambda keys: pl.struct(list(keys)).hash() * 0)
        assert quarantine_of(table) == {3: ["b.unique"]}


def test_only_a_small_uncompressed_text_file_holds_its_keys(tmp_path: Path) -> None:
    """A run of a file reads the key hashes first unless the file is small plain text."""
    import gzip

    from rowsift import api

    text = b"a,b\nx,1\nx,1\n"
    plain, packed = tmp_path / "in.csv", tmp_path / "in.csv.gz"
    plain.write_bytes(text)
    packed.write_bytes(gzip.compress(text))
    assert api._holds_keys(plain, RECIPE)
    assert not api._holds_keys(packed, RECIPE)
    assert not api._holds_keys(tmp_path / "missing.csv", RECIPE)
    hashed: list[Sequence[str]] = []

    def recorded(keys: Sequence[str]) -> pl.Expr:
        hashed.append(keys)
        return pl.struct(list(keys)).hash()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api, "HELD_KEYS_BYTES", len(text) - 1)
        patch.setattr(steps, "key_hash", recorded)
        assert not api._holds_keys(plain, RECIPE)
        large = rowsift.run_file(RECIPE, plain, tmp_path / "large", monitor=False)
        assert hashed
        patch.setattr(steps, "key_hash", None)  # the small file's run hashes nothing
        patch.setattr(api, "HELD_KEYS_BYTES", len(text))
        small = rowsift.run_file(RECIPE, plain, tmp_path / "small", monitor=False)
    assert large.failures == small.failures
    assert (small.failures["b.unique"], small.failures["row.duplicate"]) == (1, 1)


def test_too_many_candidates_redo_the_pass_on_all_keys() -> None:
    """A narrowed pass that leaves too many candidates is made again on every key: same rows."""
    table: dict[str, list[str | None]] = {
        "a": ["p", "p", "p", "q", "p", None],
        "b": ["1", "2", "1", "1", "3", None],
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "MAX_CANDIDATES", 0)
        patch.setattr(steps, "key_hash", three_buckets)
        redone = quarantine_of(table)
    assert redone == expected_reasons(table) == quarantine_of(table)
    assert redone == {2: ["b.unique", "row.duplicate"], 3: ["b.unique"]}
