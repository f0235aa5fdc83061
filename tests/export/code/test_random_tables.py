"""On tables nobody wrote by hand (Hypothesis draws them from small pools of clean, dirty and
awkward values, so that repeats, groups, NaN and casts that fail all occur), each exported
target gives rowsift's answer."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import examples
from tests.export.code.exactness import Table, compare, load_program
from tests.export.code.test_duckdb_sql import compare_views

import rowsift
from rowsift.export import export_recipe

RECIPE = """
version: 1
source: {null_tokens: ['', 'NA']}
columns:
  id: {type: int, rules: [not_null, {unique: {blame: all}}]}
  code: {transforms: [strip, upper, collapse_spaces], rules: [{matches: '^[A-Z]+( [A-Z]+)?$'}]}
  city: {transforms: [{map: {paris: Paris}}, {fill_null: unknown}],
         rules: [{determined_by: {columns: [code], min_support: 2}}, {length: {max: 6}}]}
  score: {type: float, required: false, rules: [{between: {min: 0, max: 1, include_max: false}},
          {compare: {op: '<=', column: limit}},
          {in_set: {values: [0.5, 0.25, .nan], severity: warn}}]}
  limit: {type: float}
  ok: {type: bool, rules: [{in_set: [true]}]}
  day: {type: date, format: '%d/%m/%Y', rules: [{between: {min: '2024-01-01'}}]}
  note: {transforms: [lower, {replace: {pattern: '[0-9]+', with: '#'}}], required: false}
rows:
  - duplicate: {columns: [code, city], keep: last}
dataset:
  - null_rate: {column: city, max: 0.5}
  - row_count: {min: 3, of: clean}
"""

POOLS: dict[str, list[str | None]] = {
    "id": ["1", "2", "2", "03", "-4", "x", "", None, "99999999999999999999"],
    "code": [" ab ", "AB", "a  b", "ẞtraße", "ﬁx", "İx", "", None, "ab1"],
    "city": ["Paris", "paris", "Lyon", "Lyon", "NA", None, "Ostrava", "a\nb"],
    "score": ["0.5", "0.25", "nan", "NaN", "1", "-0.0", "1e-3", "inf", "", "x", None],
    "limit": ["0.5", "1", "nan", "", "0"],
    "ok": ["true", "TRUE", " yes ", "no", "0", "maybe", "", None],
    "day": ["01/02/2024", "31/12/2023", "30/02/2024", "2024-01-01", "", None],
    "note": ["Room 12", "ΣΟΦΟΣ", "İstanbul 3", "", None],
}


@st.composite
def tables(draw: st.DrawFn) -> Table:
    rows = draw(st.integers(min_value=0, max_value=14))
    return {
        name: [draw(st.sampled_from(pool)) for _ in range(rows)] for name, pool in POOLS.items()
    }


@pytest.fixture(scope="module")
def recipe() -> rowsift.Recipe:
    return rowsift.load_recipe_text(RECIPE)


@pytest.fixture(scope="module")
def polars_program(recipe: rowsift.Recipe) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp())
    return load_program(export_recipe(recipe, to="polars"), folder, "random")


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(table=tables())
def test_the_polars_program_equals_rowsift(
    table: Table, recipe: rowsift.Recipe, polars_program: dict[str, object]
) -> None:
    compare(recipe, table, polars_program, what="random table")


@pytest.fixture(scope="module")
def pandas_program(recipe: rowsift.Recipe) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp())
    return load_program(export_recipe(recipe, to="pandas"), folder, "random_pandas")


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(table=tables())
def test_the_pandas_program_equals_rowsift(
    table: Table, recipe: rowsift.Recipe, pandas_program: dict[str, object]
) -> None:
    compare(recipe, table, pandas_program, what="random table", target="pandas")


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(table=tables())
def test_the_duckdb_views_equal_rowsift(table: Table, recipe: rowsift.Recipe) -> None:
    compare_views(recipe, table, "random table")
