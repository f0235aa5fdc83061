"""Polars' IO-plugin API, which Polars marks unstable, still works the way rowsift uses it.

rowsift calls it in one module (`rowsift.engines._polars.io_source`), and pyproject.toml bounds
Polars' version. When a new Polars changes the API, these tests fail and say what changed; raise
the bound only once they pass on the new version.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from importlib.metadata import requires, version
from typing import Any

import polars as pl
import pytest
from packaging.requirements import Requirement

from rowsift.engines._polars import io_source


def test_register_io_source_takes_what_rowsift_passes() -> None:
    from polars.io.plugins import register_io_source

    parameters = inspect.signature(register_io_source).parameters
    assert next(iter(parameters)) == "io_source", "the source is no longer the first argument"
    for name in ("schema", "is_pure", "explain_name"):
        assert name in parameters, f"register_io_source no longer takes {name}="
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY


def batches(rows: int, size: int) -> Iterator[pl.DataFrame]:
    for start in range(0, rows, size):
        stop = min(start + size, rows)
        yield pl.DataFrame({"n": range(start, stop), "text": [f"r{n}" for n in range(start, stop)]})


SCHEMA: dict[str, pl.DataType] = {"n": pl.Int64(), "text": pl.String()}


def test_polars_calls_the_source_with_projection_predicate_limit_and_batch_size() -> None:
    calls: list[int] = []

    def make(size: int) -> Iterator[pl.DataFrame]:
        calls.append(size)
        return batches(200_000, size)

    frame = io_source.scan_batches(make, SCHEMA, name="test source")
    assert frame.collect_schema() == pl.Schema(SCHEMA)
    every = frame.collect()
    assert every.height == 200_000
    assert every["n"].to_list() == list(range(200_000))
    assert calls, "Polars never asked the source for batches"
    assert all(size >= io_source.BATCH_ROWS for size in calls), calls

    picked = frame.filter(pl.col("n") % 1000 == 7).select("text").head(5).collect()
    assert picked.columns == ["text"]
    assert picked["text"].to_list() == [f"r{n}" for n in (7, 1007, 2007, 3007, 4007)]


def test_polars_calls_the_source_with_the_four_parameters_rowsift_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from polars.io import plugins

    real = plugins.register_io_source
    seen: list[tuple[tuple[object, ...], dict[str, object]]] = []

    def spy(source: Any, **options: Any) -> pl.LazyFrame:
        def recording(*args: Any, **kwargs: Any) -> Iterator[pl.DataFrame]:
            seen.append((args, kwargs))
            return source(*args, **kwargs)  # type: ignore[no-any-return]

        return real(recording, **options)

    monkeypatch.setattr(plugins, "register_io_source", spy)
    frame = io_source.scan_batches(lambda size: batches(10, size), SCHEMA, name="spy")
    assert frame.select("n").collect()["n"].to_list() == list(range(10))
    assert seen, "Polars never called the source"
    for args, kwargs in seen:
        assert len(args) + len(kwargs) == len(io_source.SOURCE_PARAMETERS), (args, kwargs)
        assert set(kwargs) <= set(io_source.SOURCE_PARAMETERS), kwargs


def test_polars_is_bounded_and_the_installed_version_is_inside_the_bound() -> None:
    specs = [Requirement(line) for line in requires("rowsift") or []]
    (polars,) = [spec for spec in specs if spec.name == "polars" and not spec.marker]
    assert any(item.operator in ("<", "<=") for item in polars.specifier), polars
    assert version("polars") in polars.specifier
