"""The profile's statistics computed by the engine equal their plain-Python definitions."""

from __future__ import annotations

import math
from collections import Counter

import narwhals.stable.v2 as nw
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from rowsift.profile.columns import number_stats, numeric_stats, sampled_texts, shape_frame
from rowsift.profile.dependencies import measure
from rowsift.profile.shapes import NULL_LIKE, shape_expr

# characters where Python and Rust disagree (\x1c-\x1f are spaces to str.strip only; the
# Kelvin sign lower-cases to "k"), number marks, and pieces of null spellings
PIECES = [" ", "\t", "\x1c", "\x1f", "\xa0", "\u3000", "\u212a", "İ", "é", "É", "x", "A", "7"]
PIECES += ["0", "1", "12", ".", "-", "+", "e", "inf", "NaN", "1e999", *NULL_LIKE]
SPACES = st.lists(st.sampled_from([" ", "\t", "\x1c", "\x1f", "\xa0", "\u3000"]), max_size=2)
padded = st.tuples(SPACES, st.sampled_from([*NULL_LIKE, "NA", "12", "-1.5e3"]), SPACES).map(
    lambda parts: "".join(parts[0]) + parts[1] + "".join(parts[2])
)
texts = st.lists(st.sampled_from(PIECES), max_size=5).map("".join) | padded
columns = st.lists(st.none() | texts, max_size=60)


def _frame(values: list[str | None]) -> nw.DataFrame[pl.DataFrame]:
    return nw.from_native(pl.DataFrame({"c0": pl.Series(values, dtype=pl.String)}))


@settings(max_examples=80, deadline=None)
@given(columns)
def test_sampled_texts_are_the_values_str_strip_finds_no_null_spelling_in(values):
    expected = [
        v for v in values if v is not None and (len(v) > 40 or v.strip().lower() not in NULL_LIKE)
    ]
    present, _ = sampled_texts(_frame(values), 1, len(values) + 1)
    assert present == [expected]


@settings(max_examples=80, deadline=None)
@given(columns)
def test_number_statistics_of_the_engine_guarded_texts_equal_pythons(values):
    _, numbers = sampled_texts(_frame(values), 1, len(values) + 1)
    assert number_stats(numbers[0]) == numeric_stats(values)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(columns, min_size=1, max_size=4).map(
        lambda cols: [c[:8] + [None] * (8 - len(c[:8])) for c in cols]
    ),
    st.integers(min_value=1, max_value=8),
)
def test_sampled_texts_spread_every_column_alike(table, limit):
    frame = nw.from_native(
        pl.DataFrame({f"c{i}": pl.Series(col, dtype=pl.String) for i, col in enumerate(table)})
    )
    present, _ = sampled_texts(frame, len(table), limit)
    step = -(-8 // limit)
    for column, kept in zip(table, present, strict=True):
        assert kept == sampled_texts(_frame(column[::step]), 1, 9)[0][0]
        assert len(kept) <= limit


@settings(max_examples=60, deadline=None)
@given(columns)
def test_shapes_counted_per_distinct_value_equal_shapes_counted_per_value(values):
    frame = pl.DataFrame({"c0": pl.Series(values, dtype=pl.String)})
    found = shape_frame(nw.from_native(frame.lazy()), 1).collect().to_native()
    # the former query: every value shaped, then the shapes counted
    shaped = (
        nw.from_native(frame)
        .drop_nulls()
        .with_columns(shape_expr(nw.col("c0").str.strip_chars()).alias("shape"))
    )
    expected = shaped.group_by("shape").agg(
        nw.len().alias("n"), nw.col("c0").min().alias("first"), nw.col("c0").max().alias("last")
    )
    rows = {(shape, int(n), first, last) for _, shape, n, first, last in found.iter_rows()}
    assert rows == {(s, int(n), f, la) for s, n, f, la in expected.iter_rows()}


pairs = st.lists(
    st.tuples(st.none() | st.sampled_from("abcd"), st.none() | st.sampled_from("xyz")),
    min_size=2,
    max_size=80,
)


@settings(max_examples=80, deadline=None)
@given(pairs, st.integers(min_value=1, max_value=4))
def test_dependency_measure_follows_its_definition(rows, min_support):
    data = nw.from_native(
        pl.DataFrame(
            {"x": [x for x, _ in rows], "y": [y for _, y in rows]},
            schema={"x": pl.String, "y": pl.String},
        )
    )
    found = measure(data, "x", "y", min_support)
    both = [(x, y) for x, y in rows if x is not None and y is not None]
    n = len(both)
    groups: dict[str, Counter[str]] = {}
    for x, y in both:
        groups.setdefault(x, Counter())[y] += 1
    by_y = Counter(y for _, y in both)
    if n < 2 or len(groups) >= n or len(by_y) < 2:
        assert found is None
        return
    pdep_xy = sum(sum(c * c for c in g.values()) / sum(g.values()) for g in groups.values()) / n
    pdep_y = sum((c / n) ** 2 for c in by_y.values())
    mu = 1 - (1 - pdep_xy) / (1 - pdep_y) * (n - 1) / (n - len(groups)) if pdep_y < 1 else 0.0
    judged = [g for g in groups.values() if sum(g.values()) >= min_support]
    assert found is not None
    assert math.isclose(found.mu, round(max(mu, 0.0), 6), abs_tol=1e-6)
    assert (found.support, found.conforming, found.groups, found.rows) == (
        sum(sum(g.values()) for g in judged),
        sum(max(g.values()) for g in judged),
        len(judged),
        n,
    )
