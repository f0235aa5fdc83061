"""Rows seen before are found through 64-bit hashes of their keys (Polars), verified exactly:
with a hash that collides all the time, the answer is still the answer of the keys themselves,
whether the hashes are counted in one hash table or spilled to disk and counted in parts; a
small text file's run holds its keys instead, with the same answer."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import examples

import rowsift
from rowsift._names import REASON_SEPARATOR, REASONS, ROW
from rowsift.engine import build, compile_recipe
from rowsift.engines._polars import steps
from rowsift.engines.protocol import KeyMemory
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


def quarantine_built(
    table: dict[str, list[str | None]], *, lazy: bool, key_memory: KeyMemory
) -> dict[int, list[str]]:
    """The quarantine of `build` on a Polars frame (eager or lazy), its key hashes counted in
    one hash table (``hashed``) or spilled to disk in parts (``spilled``), or its keys held
    (``held``)."""
    frame = pl.DataFrame(table, schema={"a": pl.String, "b": pl.String})
    judged, _ = to_table(frame.lazy() if lazy else frame)
    outputs = build(compile_recipe(RECIPE), judged, key_memory=key_memory)
    quarantine = outputs.quarantine.collect().to_native()
    return {
        row[ROW]: row[REASONS].split(REASON_SEPARATOR) for row in quarantine.iter_rows(named=True)
    }


def spy_on_parts(patch: pytest.MonkeyPatch) -> list[list[str]]:
    """Record the parts each spilled pass counted (the real pass still runs)."""
    seen: list[list[str]] = []
    real = steps._repeats_by_part

    def recorded(folder: Path, name: str) -> pl.DataFrame:
        seen.append(sorted(part.name for part in folder.iterdir()) if folder.exists() else [])
        return real(folder, name)

    patch.setattr(steps, "_repeats_by_part", recorded)
    return seen


@settings(max_examples=examples(40), deadline=None)
@given(rows=values, bits=st.integers(min_value=1, max_value=3), lazy=st.booleans())
def test_spilled_pass_quarantines_what_one_pass_does(
    rows: list[tuple[str | None, str | None]], bits: int, lazy: bool
) -> None:
    """Counting the key hashes part by part on disk gives the quarantine of one hash table, and
    of the keys held, on eager and lazy Polars frames, with hashes that collide or not, in 2
    to 8 parts."""
    table = {"a": [a for a, _ in rows], "b": [b for _, b in rows]}
    one_pass = quarantine_built(table, lazy=lazy, key_memory="hashed")
    assert one_pass == expected_reasons(table)
    assert quarantine_built(table, lazy=lazy, key_memory="held") == one_pass
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "SPILL_BITS", bits)
        parts = spy_on_parts(patch)
        assert quarantine_built(table, lazy=lazy, key_memory="spilled") == one_pass
        patch.setattr(steps, "key_hash", three_buckets)
        assert quarantine_built(table, lazy=lazy, key_memory="spilled") == one_pass
    # both rules' hashes were spilled, each in at most 2 ** bits parts (none when no row)
    assert len(parts) == 4
    assert all(0 < len(found) <= 2**bits for found in parts)


def test_spilled_parts_are_removed_even_on_failure(tmp_path: Path) -> None:
    """The spilled hashes live in a private temporary folder that is gone after the pass, and
    after a pass that fails or is interrupted."""
    table: dict[str, list[str | None]] = {"a": ["p", "p", "q"], "b": ["1", "1", "2"]}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "tempdir", str(tmp_path))
        folders: list[Path] = []
        real = steps._repeats_by_part

        def watched(folder: Path, name: str) -> pl.DataFrame:
            folders.append(folder.parent)
            assert folder.parent.stat().st_mode & 0o077 == 0  # private to its owner
            return real(folder, name)

        patch.setattr(steps, "_repeats_by_part", watched)
        assert quarantine_built(table, lazy=True, key_memory="spilled") == {
            1: ["b.unique", "row.duplicate"]
        }
        assert folders
        assert not any(tmp_path.iterdir())
        for stop in (RuntimeError("disk full"), KeyboardInterrupt()):

            def failing(folder: Path, name: str, stop: BaseException = stop) -> pl.DataFrame:
                assert any(folder.iterdir())  # the parts were written
                raise stop

            patch.setattr(steps, "_repeats_by_part", failing)
            with pytest.raises(type(stop)):
                quarantine_built(table, lazy=True, key_memory="spilled")
            assert not any(tmp_path.iterdir())


def test_keys_that_collide_are_told_apart() -> None:
    """Every row hashes alike; only equal keys are repeats."""
    table: dict[str, list[str | None]] = {
        "a": ["p", "q", "p", None, None],
        "b": ["1", "2", "3", "1", None],
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "key_hash", lambda keys: pl.struct(list(keys)).hash() * 0)
        assert quarantine_of(table) == {3: ["b.unique"]}


def test_a_large_or_compressed_file_spills_its_key_hashes(tmp_path: Path) -> None:
    """A run of a file counts its key hashes in one hash table only when the file is small
    plain text; otherwise it spills them, with the same result."""
    import gzip

    from rowsift import api

    text = b"a,b\nx,1\nx,1\ny,2\n"
    plain, packed = tmp_path / "in.csv", tmp_path / "in.csv.gz"
    plain.write_bytes(text)
    packed.write_bytes(gzip.compress(text))
    assert not api._spills_keys(plain, RECIPE)
    assert api._spills_keys(packed, RECIPE)
    assert api._spills_keys(tmp_path / "missing.csv", RECIPE)
    with pytest.MonkeyPatch.context() as patch:
        parts = spy_on_parts(patch)
        passes: list[object] = []
        real_pass = steps._repeated_hashes

        def counted(*args: Any, **kwargs: Any) -> list[tuple[int, pl.Series]]:
            passes.append(args)
            return real_pass(*args, **kwargs)

        patch.setattr(steps, "_repeated_hashes", counted)
        small = rowsift.run_file(RECIPE, plain, tmp_path / "small", monitor=False)
        assert parts == passes == []  # the small file's keys are held: no pass over hashes
        patch.setattr(api, "SPILLED_KEYS_BYTES", len(text) - 1)
        assert api._spills_keys(plain, RECIPE)
        large = rowsift.run_file(RECIPE, plain, tmp_path / "large", monitor=False)
        assert len(parts) == 2
        compressed = rowsift.run_file(RECIPE, packed, tmp_path / "packed", monitor=False)
        assert len(parts) == 4
    assert large.failures == small.failures == compressed.failures
    assert (small.failures["b.unique"], small.failures["row.duplicate"]) == (1, 1)
    for engine in ("pandas", "duckdb"):  # engines that read no hash: the same rows
        other = rowsift.run_file(RECIPE, plain, tmp_path / engine, engine=engine, monitor=False)
        assert other.failures == large.failures


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
        parts = spy_on_parts(patch)
        spilled = quarantine_built(table, lazy=True, key_memory="spilled")
    assert len(parts) == 3  # both rules, then `duplicate` again on all keys (its narrow: `a`)
    assert redone == spilled == expected_reasons(table) == quarantine_of(table)
    assert redone == {2: ["b.unique", "row.duplicate"], 3: ["b.unique"]}


def test_a_pass_on_all_the_keys_already_is_not_made_again() -> None:
    """A rule whose keys are all text hashes them all in its first pass: too many candidates
    do not make the same pass again."""
    recipe = rowsift.load_recipe_text(
        "version: 1\ncolumns:\n  a: {rules: [{unique: {blame: all_but_first}}]}\n  b: {}\n"
    )
    table = pl.DataFrame({"a": ["p", "p", "q", None, "q"], "b": ["1", "2", "3", "4", "5"]})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(steps, "MAX_CANDIDATES", 0)
        parts = spy_on_parts(patch)
        judged, _ = to_table(table.lazy())
        outputs = build(compile_recipe(recipe), judged, key_memory="spilled")
        rows = outputs.quarantine.collect().to_native()[ROW].to_list()
    assert len(parts) == 1
    assert rows == [1, 4]


@settings(max_examples=examples(200), deadline=None)
@given(
    values=st.one_of(
        st.lists(st.one_of(st.none(), st.floats(allow_nan=True), st.sampled_from([0.0, -0.0]))),
        st.lists(st.one_of(st.none(), st.integers(-3, 3))),
        st.lists(st.one_of(st.none(), st.sampled_from(["", "a", "A", " a"]))),
    )
)
def test_one_key_is_compared_and_hashed_as_its_one_field_struct(values: list[Any]) -> None:
    """One key is judged on its column, not a struct of it (`steps.keys_of`), which is faster:
    the same repeats for nulls, NaN and both zeros, and equal keys hash alike."""
    frame = pl.DataFrame({"k": values}, strict=False)
    column, struct = steps.keys_of(["k"]), pl.struct(["k"])
    assert frame.select(column.is_first_distinct()).equals(frame.select(struct.is_first_distinct()))
    hashes = frame.select(steps.key_hash(["k"]).alias("h"), struct.rank("dense").alias("r"))
    assert hashes.n_unique() == hashes["r"].n_unique()  # one hash per distinct key
