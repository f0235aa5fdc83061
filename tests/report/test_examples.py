"""details.json's quarantine examples: each reason's count and first rows, read in batches."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import examples

from rowsift._names import REASONS, ROW
from rowsift.report import details
from rowsift.report.details import EXAMPLES_PER_REASON, examples_of, quarantine_examples

REASON_IDS = ["a.not_null", "a.type", "b.matches", "row.duplicate"]
BLAMED = {"a.not_null": ["a"], "a.type": ["a"], "b.matches": ["b"]}


def _expected(rows: list[tuple[int, list[str]]]) -> dict[str, tuple[int, list[int]]]:
    """Each reason's count and lowest row numbers, the plain way."""
    found: dict[str, list[int]] = {}
    for row, reasons in rows:
        for reason in reasons:
            found.setdefault(reason, []).append(row)
    return {
        reason: (len(numbers), sorted(numbers)[:EXAMPLES_PER_REASON])
        for reason, numbers in found.items()
    }


def _frame(rows: list[tuple[int, list[str]]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            ROW: [row for row, _ in rows],
            REASONS: [reasons for _, reasons in rows],
            "a": [f"a{row}" for row, _ in rows],
            "b": [f"b{row}" for row, _ in rows],
        },
        schema={ROW: pl.Int64, REASONS: pl.List(pl.String), "a": pl.String, "b": pl.String},
    )


def _seen(found: dict[str, object]) -> dict[str, tuple[int, list[int]]]:
    reasons = found["reasons"]
    assert isinstance(reasons, dict)
    return {
        reason: (kept["rows"], [example["row"] for example in kept["examples"]])
        for reason, kept in reasons.items()
    }


@st.composite
def quarantined(draw: st.DrawFn) -> list[tuple[int, list[str]]]:
    """Quarantined rows in any order, each with one or more distinct reasons."""
    numbers = draw(st.lists(st.integers(0, 10_000), min_size=0, max_size=120, unique=True))
    return [
        (row, draw(st.lists(st.sampled_from(REASON_IDS), min_size=1, max_size=3, unique=True)))
        for row in numbers
    ]


@settings(max_examples=examples(60), deadline=None)
@given(quarantined(), st.integers(1, 50))
def test_batched_examples_are_each_reasons_first_rows(
    rows: list[tuple[int, list[str]]], batch: int
) -> None:
    """However the rows are cut into batches, every reason gets its count and its lowest row
    numbers, as one pass over all the rows would find them."""
    original = details.EXAMPLES_BATCH_ROWS
    details.EXAMPLES_BATCH_ROWS = batch
    try:
        found = examples_of(_frame(rows).lazy(), BLAMED)
    finally:
        details.EXAMPLES_BATCH_ROWS = original
    assert _seen(found) == _expected(rows)
    for reason, kept in found["reasons"].items():
        assert kept["columns"][: len(BLAMED.get(reason, []))] == BLAMED.get(reason, [])
        for example in kept["examples"]:
            assert reason in example["reasons"]


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_written_quarantines_give_the_same_examples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """A quarantine read in many small batches gives what it gives read in one."""
    rows = [
        (row, [REASON_IDS[row % 4], *(["row.duplicate"] if row % 7 == 0 and row % 4 != 3 else [])])
        for row in range(300)
    ]
    rows = rows[150:] + rows[:150]  # not in row order
    frame = _frame(rows)
    target = tmp_path / f"quarantine.{fmt}"
    if fmt == "parquet":
        frame.write_parquet(target)
    else:
        frame.with_columns(
            pl.col(REASONS).map_elements(lambda v: json.dumps(list(v)), return_dtype=pl.String)
        ).write_csv(target)
    whole = quarantine_examples(target, fmt, BLAMED)  # type: ignore[arg-type]
    monkeypatch.setattr(details, "EXAMPLES_BATCH_ROWS", 16)
    assert quarantine_examples(target, fmt, BLAMED) == whole  # type: ignore[arg-type]
    # a CSV's row numbers are numbers too: the first rows are the lowest, not "10" before "9"
    assert _seen(whole) == _expected(rows)


def test_an_empty_quarantine_has_no_examples() -> None:
    assert examples_of(_frame([]).lazy(), BLAMED)["reasons"] == {}
