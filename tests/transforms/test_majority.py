"""majority: drawn tables give, on Polars and on pandas, what a plain-Python reference of the
documented rule gives; the docs' example runs as shown; arguments that cannot work are refused."""

from __future__ import annotations

import re
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import examples

import rowsift
from rowsift.exceptions import ExportError, RecipeError
from rowsift.export import export_recipe
from rowsift.export.code import EXPORTERS

DOCS = Path(__file__).parents[2] / "docs" / "recipe.md"


def reference(
    keys: list[tuple[str | None, ...]],
    values: list[str | None],
    min_share: float,
    min_rows: int,
    fill_nulls: bool = False,
) -> list[str | None]:
    """docs/recipe.md's rule, value by value."""
    groups: dict[tuple[str | None, ...], Counter[str]] = {}
    for key, value in zip(keys, values, strict=True):
        if value is not None and None not in key:
            groups.setdefault(key, Counter())[value] += 1
    result = []
    for key, value in zip(keys, values, strict=True):
        votes = groups.get(key)
        if (value is None and not fill_nulls) or None in key or votes is None:
            result.append(value)
            continue
        ranked = votes.most_common()
        total = sum(votes.values())
        top_value, top = ranked[0]
        alone = len(ranked) == 1 or ranked[1][1] < top
        strong = Fraction(top, total) >= Fraction(repr(min_share))
        result.append(top_value if total >= min_rows and alone and strong else value)
    return result


def recipe(by: list[str], min_share: float, min_rows: int, fill: bool = False) -> rowsift.Recipe:
    columns = ", ".join(f"{name}: {{}}" for name in by)
    majority = (
        f"{{majority: {{by: [{', '.join(by)}], min_share: {min_share}, min_rows: {min_rows}, "
        f"fill_nulls: {str(fill).lower()}}}}}"
    )
    return rowsift.load_recipe_text(
        f"version: 1\ncolumns: {{{columns}, v: {{transforms: [{majority}]}}}}"
    )


TEXT = st.one_of(st.none(), st.sampled_from(["a", "b", "c", "A", "a "]))


@st.composite
def tables(draw: Any) -> tuple[dict[str, list[str | None]], list[str], float, int, bool]:
    rows = draw(st.integers(1, 30))
    by = ["k1", "k2"][: draw(st.integers(1, 2))]
    key = st.one_of(st.none(), st.sampled_from(["1", "2", "3"]))
    table = {name: draw(st.lists(key, min_size=rows, max_size=rows)) for name in by}
    table["v"] = draw(st.lists(TEXT, min_size=rows, max_size=rows))
    share = draw(st.sampled_from([0.3, 0.5, 0.6, 0.666667, 0.7, 1.0]))
    return table, by, share, draw(st.integers(2, 4)), draw(st.booleans())


@settings(max_examples=examples(40), deadline=None)
@given(tables())
def test_drawn_tables_are_repaired_as_the_reference_says(drawn: Any) -> None:
    table, by, share, min_rows, fill = drawn
    keys = list(zip(*(table[name] for name in by), strict=True))
    expected = reference(keys, table["v"], share, min_rows, fill)
    changed = sum(a != b for a, b in zip(table["v"], expected, strict=True))
    frames = {
        "polars": pl.DataFrame(table, schema=dict.fromkeys(table, pl.String)),
        "pandas": pd.DataFrame(table, dtype="string[pyarrow]"),
    }
    for library, frame in frames.items():
        result = rowsift.run(recipe(by, share, min_rows, fill), frame)
        clean = pl.from_pandas(result.clean) if library == "pandas" else result.clean
        got = clean.sort("_rowsift_row")["v"].to_list()
        assert got == expected, library
        assert result.summary.repairs == {"v": {"majority": changed}}, library


def test_the_docs_example_runs_as_shown() -> None:
    section = DOCS.read_text(encoding="utf-8").split("### Repairing values by their group")[1]
    yaml_text = section.split("```yaml\n")[1].split("```")[0]
    rows = re.findall(r"^\| (\S+) \| (\S+) \| `([^`]*)` \| `([^`]*)`", section, re.MULTILINE)
    assert len(rows) == 5
    frame = pl.DataFrame(
        {
            "date": [row[0] for row in rows],
            "symbol": [row[1] for row in rows],
            "close": [row[2] for row in rows],
        }
    )
    result = rowsift.run(
        rowsift.load_recipe_text("version: 1\ncolumns:\n" + _indent(yaml_text)), frame
    )
    assert result.clean["close"].to_list() == [float(row[3]) for row in rows]
    assert result.summary.repairs["close"] == {"strip": 0, "majority": 1}


def _indent(text: str) -> str:
    return "".join(f"  {line}\n" for line in text.splitlines())


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ("{k: {}, v: {transforms: [{majority: {by: [k]}}, strip]}}", "must be the last"),
        ("{k: {}, v: {transforms: [{majority: {by: [v]}}]}}", "cannot group its own"),
        ("{k: {}, v: {transforms: [{majority: {by: [kk]}}]}}", "unknown column 'kk'"),
        ("{k: {}, v: {transforms: [{majority: {by: [k, k]}}]}}", "listed twice"),
        ("{k: {}, j: {}, i: {}, v: {transforms: [{majority: {by: [k, j, i]}}]}}", "at most 2"),
        ("{k: {}, v: {transforms: [{majority: {by: [k], min_share: 0}}]}}", "greater than 0"),
        ("{k: {}, v: {transforms: [{majority: {by: [k], min_rows: 1}}]}}", "greater than or"),
        # 2/3 as a float: its exact fraction, 3333333333333333 / 5000000000000000, overflowed
        # the engines' 64-bit products from groups of 1,845 rows (DuckDB failed, pandas
        # called it an unreadable file)
        (
            "{k: {}, v: {transforms: [{majority: {by: [k], min_share: 0.6666666666666666}}]}}",
            "at most 6 decimals",
        ),
    ],
)
def test_arguments_that_cannot_work_are_refused(columns: str, message: str) -> None:
    with pytest.raises(RecipeError, match=message):
        rowsift.load_recipe_text(f"version: 1\ncolumns: {columns}")


def test_the_recipe_keeps_only_the_arguments_given() -> None:
    text = "version: 1\ncolumns: {k: {}, v: {transforms: [{majority: {by: [k], min_rows: 4}}]}}"
    again = rowsift.load_recipe_text(text).to_yaml()
    assert "majority:\n        by: [k]\n        min_rows: 4\n" in again
    assert "min_share" not in again


@pytest.mark.parametrize("target", sorted(EXPORTERS))
def test_programs_refuse_a_majority_grouped_by_a_repaired_column(target: str) -> None:
    """A program applies the repairs one after the other; rowsift reads the texts before any."""
    chained = rowsift.load_recipe_text(
        "version: 1\ncolumns: {k: {}, j: {transforms: [{majority: {by: [k]}}]},"
        " v: {transforms: [{majority: {by: [j]}}]}}"
    )
    with pytest.raises(ExportError, match="'j', itself repaired by majority"):
        export_recipe(chained, to=target)


def test_a_share_of_six_decimals_is_exact_in_large_groups() -> None:
    """2,000 of 2,999 values hold 0.666889 of the group: at least 0.666667, so the 999 others
    change, on every engine (the products compared stay within 64 bits)."""
    frame = pl.DataFrame({"k": ["a"] * 2_999, "v": ["x"] * 2_000 + ["y"] * 999})
    majority = "{majority: {by: [k], min_share: 0.666667}}"
    recipe = rowsift.load_recipe_text(
        f"version: 1\ncolumns: {{k: {{}}, v: {{transforms: [{majority}]}}}}"
    )
    for native in (frame, frame.to_pandas(use_pyarrow_extension_array=True)):
        result = rowsift.run(recipe, native)
        assert result.summary.repairs == {"v": {"majority": 999}}
