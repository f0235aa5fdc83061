"""Profiles: the same statistics on every engine, types and shapes, keys and dependencies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rowsift
from rowsift._names import declarable
from rowsift.exceptions import InputError
from rowsift.io import read_table
from rowsift.profile import TableProfile, profile_table, shape_of
from rowsift.profile.dependencies import _tallied
from rowsift.recipe import SourceSpec

TABLE: dict[str, list[str | None]] = {
    "id": [f"ORD-{i:04d}" for i in range(30)],
    "zip": ["02108"] * 10 + ["10001"] * 10 + ["60601"] * 10,
    "city": ["Boston"] * 10 + ["New York"] * 9 + ["Nwe York"] + ["Chicago"] * 10,
    "amount": [f"{i}.5" for i in range(28)] + ["NA", "n/a"],
    "day": [f"2024-01-{i + 1:02d}" for i in range(30)],
    "us_day": [f"01/{i + 1:02d}/2024" for i in range(29)] + [""],
    "flag": ["yes", "no"] * 15,
    "note": [" padded ", "Mixed", "mixed"] + ["x"] * 27,
}


def frames() -> dict[str, Any]:
    return {
        "polars-eager": pl.DataFrame(TABLE),
        "polars-lazy": pl.DataFrame(TABLE).lazy(),
        "pandas": pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in TABLE.items()}),
    }


@pytest.fixture(scope="module")
def prof() -> TableProfile:
    return profile_table(pl.DataFrame(TABLE))


@pytest.mark.parametrize("kind", ["polars-lazy", "pandas"])
def test_every_engine_gives_the_same_profile(kind: str, prof: TableProfile) -> None:
    assert profile_table(frames()[kind]).to_dict() == prof.to_dict()


def test_types_and_their_share(prof: TableProfile) -> None:
    assert prof.column("amount").inferred_type == "float"
    assert prof.column("amount").null_like == {"NA": 1, "n/a": 1}
    assert prof.column("amount").parse_share == 1.0
    assert (prof.column("day").inferred_type, prof.column("day").format) == ("date", "%Y-%m-%d")
    assert (prof.column("us_day").inferred_type, prof.column("us_day").format) == (
        "date",
        "%m/%d/%Y",
    )
    assert prof.column("us_day").nulls == 1
    assert prof.column("flag").inferred_type == "bool"
    assert prof.column("zip").inferred_type == "int"
    assert prof.column("zip").leading_zeros == 10
    assert prof.column("city").inferred_type == "string"


def test_shapes_whitespace_and_case(prof: TableProfile) -> None:
    ids = prof.column("id")
    assert [(s.shape, s.count) for s in ids.shapes] == [("AAA-9999", 30)]
    note = prof.column("note")
    assert note.stray_whitespace == 1
    assert note.distinct - note.distinct_lower == 1
    assert shape_of("Ünïcode-7") == "Aaaaaaa-9"


def test_numbers_have_robust_statistics(prof: TableProfile) -> None:
    numeric = prof.column("amount").numeric
    assert numeric is not None
    assert (numeric.min, numeric.max, numeric.quantiles[0.5]) == (0.5, 27.5, 14.0)
    assert numeric.mad == 7.0


def test_keys_dependencies_and_duplicates(prof: TableProfile) -> None:
    assert ("id",) in prof.keys
    zips = [f"Z{i:02d}" for i in range(12)]
    places = pl.DataFrame(
        {
            "zip": [z for z in zips for _ in range(5)],
            "city": [f"City {z}" for z in zips for _ in range(5)],
        }
    ).with_columns(
        city=pl.when(pl.int_range(pl.len()) == 7).then(pl.lit("Cty Z01")).otherwise("city")
    )
    found = {(d.determinant, d.dependent): d for d in profile_table(places).dependencies}
    zip_city = found[("zip", "city")]
    assert (zip_city.support, zip_city.conforming, zip_city.groups) == (60, 59, 12)
    assert 0.9 < zip_city.mu < 1
    assert prof.duplicate_rows == 0
    doubled = profile_table(pl.concat([pl.DataFrame(TABLE), pl.DataFrame(TABLE).head(3)]))
    assert doubled.duplicate_rows == 3


def test_sampling_reports_its_margin() -> None:
    frame = pl.DataFrame({"n": [str(i) for i in range(10_000)]})
    sampled = profile_table(frame, sample=1000)
    assert sampled.rows == 1000
    whole = profile_table(frame, sample_rows=1000)
    assert (whole.rows, whole.sampled_rows) == (10_000, 1000)
    assert 0.02 < whole.margin < 0.04
    assert profile_table(frame).margin == 0.0


def test_a_file_profiles_and_serialises(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    pl.DataFrame(TABLE).write_csv(path)
    prof = rowsift.profile_table(read_table(path, SourceSpec()))
    assert prof.rows == 30
    assert [c.name for c in prof.columns] == list(TABLE)
    json.dumps(prof.to_dict())


def test_a_date_slip_is_rare_a_shape_written_often_is_a_second_kind_of_value() -> None:
    days = [f"18{40 + i % 50}-0{1 + i % 9}-{10 + i % 18}" for i in range(400)]
    slipped = [*days[:398], "2013-07-008", "2013-077-08"]  # two slips: errors
    assert profile_table(pl.DataFrame({"d": slipped})).column("d").inferred_type == "date"
    unknown = [f"18{40 + i % 50}-0{1 + i % 9}--9" for i in range(40)]  # a day not known, often
    mixed = pl.DataFrame({"d": [*days[:360], *unknown]})
    assert profile_table(mixed).column("d").inferred_type == "string"


def test_typed_columns_are_profiled_as_text() -> None:
    prof = profile_table(pl.DataFrame({"n": [1, 2, 3], "x": [0.5, None, 2.0]}))
    assert prof.column("n").inferred_type == "int"
    assert prof.column("x").nulls == 1


def test_a_table_larger_than_the_sample_is_profiled_in_two_scans(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rowsift.profile import table as table_module

    monkeypatch.setattr(table_module, "SMALL_IN_HEAD", 20)
    rows = 3000
    frame = pl.DataFrame(
        {
            "id": [f"ID-{i:05d}" for i in range(rows)],
            "kind": [["a", "b", " c", None][i % 4] for i in range(rows)],
            "n": [str(i % 7) for i in range(rows)],
        }
    )
    exact = profile_table(frame)
    sampled = profile_table(frame, sample_rows=300)
    assert (sampled.rows, sampled.sampled_rows) == (rows, 300)
    for name in ("kind", "n"):  # few values: exact from their counts
        a, b = exact.column(name), sampled.column(name)
        assert (a.nulls, a.distinct, a.stray_whitespace, a.values) == (
            b.nulls,
            b.distinct,
            b.stray_whitespace,
            b.values,
        )
        assert a.shapes == b.shapes
    ids = sampled.column("id")  # many values: from the sample
    assert ids.distinct == 300
    assert ids.shapes[0].shape == "AA-99999"
    assert ids.inferred_type == "string"


def test_chance_agreement_is_no_dependency() -> None:
    """Two independent sparse columns agree on most rows by chance: mu says so."""
    import random

    rng = random.Random(3)
    frame = pl.DataFrame(
        {
            "group": [f"G{rng.randrange(40)}" for _ in range(2000)],
            "flag": ["yes" if rng.random() < 0.05 else "no" for _ in range(2000)],
        }
    )
    found = {(d.determinant, d.dependent): d for d in profile_table(frame).dependencies}
    assert ("group", "flag") not in found


def test_internal_names_never_collide_with_column_names() -> None:
    names = ["size", "top", "n", "x", "y", "v", "rows", "pair", "__n", "c0", "_rowsift_row2"]
    names.append("a\x1fb")  # holds the separator of rule ids: passes through undeclared
    frame = pl.DataFrame(
        {name: [f"{name}{i % 12}" for i in range(120)] for name in names}
    ).with_columns(pl.col("c0").alias("c1"))
    prof = profile_table(frame)
    assert [column.name for column in prof.columns] == [*names, "c1"]
    recipe = rowsift.suggest_recipe(frame)
    declared = [name for name in names if declarable(name)]
    assert list(recipe.columns) == [*declared, "c1"]
    result = rowsift.run(recipe, frame)
    assert result.summary.rows_in == 120
    assert result.clean["_rowsift_row2"].to_list() == frame["_rowsift_row2"].to_list()


def test_semantic_classes() -> None:
    frame = pl.DataFrame(
        {
            "order_id": [f"ORD-{i:05d}" for i in range(300)],
            "status": ["paid", "new", "shipped"] * 100,
            "amount": [f"{i * 1.37:.2f}" for i in range(300)],
            "count": [str(i % 17) for i in range(300)],
            "when": ["7:10 a.m.", "12:05 p.m.", "9:45"] * 100,
            "flag": ["0", "1"] * 150,
        }
    )
    classes = {column.name: column.semantic for column in profile_table(frame).columns}
    assert classes == {
        "order_id": "identifier",
        "status": "categorical",
        "amount": "measure",
        "count": "count",
        "when": "time",
        "flag": "boolean",
    }


def test_a_typed_column_is_profiled_as_its_type(tmp_path: Path) -> None:
    from datetime import date, datetime, timedelta

    start = datetime(2024, 1, 1, 5, 0, 0, 123456)
    frame = pl.DataFrame(
        {
            "at": [start + timedelta(hours=i) for i in range(60)],
            "day": [date(2024, 1, 1) + timedelta(days=i % 30) for i in range(60)],
            "ok": [i % 3 == 0 for i in range(60)],
        }
    )
    path = tmp_path / "t.parquet"
    frame.write_parquet(path)
    prof = profile_table(read_table(path, SourceSpec(format="parquet")))
    found = {c.name: (c.inferred_type, c.semantic, c.format) for c in prof.columns}
    assert found == {
        "at": ("datetime", "datetime", None),
        "day": ("date", "date", None),
        "ok": ("bool", "boolean", None),
    }


@settings(max_examples=200, deadline=None)
@given(
    keys=st.lists(st.integers(0, 5_000), min_size=1, max_size=300),
    spare=st.integers(0, 100_000),
)
def test_pairs_are_counted_as_sorting_them_counts_them(keys: list[int], spare: int) -> None:
    """Counted into a table (a small span) or sorted (a large one), the pairs and their counts
    are the same."""
    array = np.array(keys, dtype=np.int64)
    span = max(keys) + 1 + spare
    found, counts = _tallied(array, span)
    expected, expected_counts = np.unique(array, return_counts=True)
    assert found.tolist() == expected.tolist()
    assert counts.tolist() == expected_counts.tolist()


def test_a_frame_without_columns_is_refused_clearly() -> None:
    """Nothing to profile, and nothing to suggest from: an input error, not an engine's."""
    for frame in (pl.DataFrame(), pd.DataFrame()):
        with pytest.raises(InputError, match="the table has no columns"):
            profile_table(frame)
        with pytest.raises(InputError, match="the table has no columns"):
            rowsift.suggest_recipe(frame)
