"""Batch metrics: the same numbers from every kind of frame, and histograms that add up."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rowsift.monitor.measure import measure_batch
from rowsift.monitor.metrics import TOP_VALUES, BatchMetrics, bin_edges


def _table(rows: int = 2_000, seed: int = 0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    amount = rng.normal(100, 15, rows)
    amount[rng.random(rows) < 0.05] = np.nan
    return pl.DataFrame(
        {
            "order_id": np.arange(rows),
            "amount": amount,
            "items": rng.integers(1, 6, rows),
            "city": rng.choice(["Oslo", "Rome", "Lima", "Pune"], rows, p=[0.4, 0.3, 0.2, 0.1]),
            "paid": rng.random(rows) < 0.7,
            "day": [
                dt.date(2026, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 30, rows)
            ],
            "_rowsift_row": np.arange(rows),
        }
    ).with_columns(
        pl.when(pl.int_range(pl.len()) % 10 == 0).then(None).otherwise(pl.col("city")).alias("city")
    )


def test_every_column_but_rowsifts_own_is_measured_with_its_kind() -> None:
    metrics = measure_batch(_table())
    kinds = {name: column.kind for name, column in metrics.columns.items()}
    assert kinds == {
        "order_id": "identifier",
        "amount": "numeric",
        "items": "numeric",
        "city": "categorical",
        "paid": "categorical",
        "day": "temporal",
    }


def test_numeric_metrics_match_direct_computation() -> None:
    table = _table()
    amount = measure_batch(table).columns["amount"]
    values = table["amount"].fill_nan(None).drop_nulls().to_numpy()
    assert amount.nulls == table.height - values.size
    assert amount.mean == pytest.approx(values.mean())
    assert amount.std == pytest.approx(values.std(ddof=1))
    assert amount.min == values.min()
    assert amount.max == values.max()
    assert amount.quantiles[10] == pytest.approx(np.quantile(values, 0.5))
    assert amount.histogram is not None
    assert sum(amount.histogram.counts) == values.size
    assert len(amount.histogram.edges) == 19
    # each of the 20 bins of its own quantile edges holds about 5% of the values
    assert max(amount.histogram.counts[1:-1]) < 0.07 * values.size


def test_categorical_metrics_count_every_value() -> None:
    table = _table()
    city = measure_batch(table).columns["city"]
    expected = table["city"].drop_nulls().value_counts(sort=True)
    assert dict(city.top) == dict(zip(expected["city"], expected["count"], strict=True))
    assert city.complete
    assert city.nulls == table["city"].null_count()
    assert measure_batch(table).columns["paid"].top[0][0] == "true"


def test_fixed_edges_are_reused() -> None:
    first = measure_batch(_table(seed=1))
    second = measure_batch(_table(seed=2), edges=bin_edges(first))
    assert second.columns["amount"].histogram.edges == first.columns["amount"].histogram.edges  # type: ignore[union-attr]
    values = _table(seed=2)["amount"].fill_nan(None).drop_nulls().to_numpy()
    edges = first.columns["amount"].histogram.edges  # type: ignore[union-attr]
    expected = np.histogram(values, bins=[-math.inf, *edges, math.inf])[0]
    # numpy's bins are closed on the left, ours on the right: no value sits on an edge here
    assert list(second.columns["amount"].histogram.counts) == list(expected)  # type: ignore[union-attr]


def test_many_distinct_values_are_cut_to_the_top_ones() -> None:
    table = pl.DataFrame({"code": [f"c{i % 400}" for i in range(4_000)]})
    code = measure_batch(table).columns["code"]
    assert code.kind == "categorical"
    assert len(code.top) == TOP_VALUES
    assert code.other == 4_000 - 10 * TOP_VALUES
    assert not code.complete


def _same(left: BatchMetrics, right: BatchMetrics) -> None:
    assert left.rows == right.rows
    assert list(left.columns) == list(right.columns)
    for name, column in left.columns.items():
        other = right.columns[name]
        assert (column.kind, column.nulls) == (other.kind, other.nulls), name
        if column.kind == "numeric":
            assert column.mean == pytest.approx(other.mean)
            assert column.std == pytest.approx(other.std)
            assert column.histogram == other.histogram, name
            assert column.quantiles == pytest.approx(other.quantiles), name
        if column.kind == "categorical":
            assert column.top == other.top, name


@pytest.mark.parametrize("kind", ["pandas", "duckdb"])
def test_the_narwhals_path_agrees_with_the_polars_path(kind: str) -> None:
    """Both paths of `measure_batch` on one table: the same metrics, bin for bin."""
    table = _table().drop("paid", "day").with_columns(pl.col("amount").fill_nan(None))
    polars_metrics = measure_batch(table)
    if kind == "pandas":
        native = table.to_pandas(use_pyarrow_extension_array=True)
    else:
        import duckdb

        connection = duckdb.connect()
        arrow = table.to_arrow()
        native = connection.from_arrow(arrow)
    _same(polars_metrics, measure_batch(native, edges=bin_edges(polars_metrics)))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=False, width=32)),
        min_size=0,
        max_size=60,
    )
)
def test_histogram_counts_add_up_to_the_non_null_values(values: list[float | None]) -> None:
    column = measure_batch(pl.DataFrame({"x": values}, schema={"x": pl.Float64})).columns["x"]
    present = [v for v in values if v is not None and not math.isnan(v)]
    assert column.nulls == len(values) - len(present)
    assert column.histogram is not None
    assert sum(column.histogram.counts) == len(present)
    assert list(column.histogram.edges) == sorted(set(column.histogram.edges))
    assert (
        BatchMetrics.from_dict(
            measure_batch(pl.DataFrame({"x": values}, schema={"x": pl.Float64})).to_dict()
        ).columns["x"]
        == column
    )


def _wide_ids(rows: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "order_id": [f"ORD-{i:08d}" for i in range(rows)],
            "number": np.arange(rows),
            "code": [f"c{i % 40}" for i in range(rows)],
            "amount": np.arange(rows) / 7,
        }
    )


def test_a_large_batch_estimates_its_distinct_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above `EXACT_DISTINCT_ROWS` rows, distinct counts are estimates and say so; a text
    identifier is not grouped by value, a categorical column still counts its values."""
    from rowsift.monitor import _polars_measure
    from rowsift.monitor.drift import merge

    table = _wide_ids(20_000)
    exact = measure_batch(table)
    assert exact.columns["order_id"].distinct == 20_000
    assert [name for name, c in exact.columns.items() if c.distinct_estimated] == ["amount"]
    assert "distinct_estimated" not in exact.to_dict()["columns"]["order_id"]
    monkeypatch.setattr(_polars_measure, "EXACT_DISTINCT_ROWS", table.height - 1)
    large = measure_batch(table)
    for name in ("order_id", "number", "amount"):
        column = large.columns[name]
        assert column.distinct_estimated, name
        assert column.distinct == pytest.approx(20_000, rel=0.03), name
        assert column.kind == exact.columns[name].kind, name
        assert column.to_dict()["distinct_estimated"] is True
    assert large.columns["order_id"].kind == "identifier"
    assert large.columns["order_id"].top == ()
    code = large.columns["code"]
    assert (code.distinct, code.distinct_estimated, code.top) == (
        40,
        False,
        exact.columns["code"].top,
    )
    assert BatchMetrics.from_dict(large.to_dict()).to_dict() == large.to_dict()
    merged = merge([exact, large])
    assert merged.columns["order_id"].distinct_estimated
    assert not merged.columns["code"].distinct_estimated


def test_an_estimated_distinct_count_is_never_above_the_values() -> None:
    """A float column's distinct count is always estimated: 500 distinct quarters were counted
    as 503 distinct values among 500 (and a column of nulls beside them changes nothing)."""
    values = [i / 4 for i in range(500)]
    table = pl.DataFrame({"share": [*values, None, None]})
    column = measure_batch(table).columns["share"]
    assert column.distinct_estimated
    assert column.distinct is not None
    assert column.distinct <= 500
