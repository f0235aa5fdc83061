"""Lazy Polars frames over batches that rowsift's readers make: the one user of Polars' IO
plugin API (`polars.io.plugins.register_io_source`).

That API is marked unstable by Polars and may change in any minor release, so it is called
here and nowhere else, pyproject.toml bounds Polars' version, and
tests/engine/test_polars_io_source.py fails, naming what changed, when a new Polars calls the
source differently. Raise the bound only once that test passes on the new version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import polars as pl

BATCH_ROWS = 50_000
"""Rows per batch when Polars does not ask for a size, and the least it gets."""

SOURCE_PARAMETERS = ("with_columns", "predicate", "n_rows", "batch_size")
"""What Polars passes to a source, by name, in this order."""


def scan_batches(
    make: Callable[[int], Iterator[pl.DataFrame]], schema: dict[str, pl.DataType], *, name: str
) -> pl.LazyFrame:
    """A lazy, streaming frame over batches that `make(batch_size)` yields (read on collect).

    The source applies the projection, the predicate and the row limit Polars pushes down.
    """
    from polars.io.plugins import register_io_source

    def source(
        with_columns: list[str] | None,
        predicate: pl.Expr | None,
        n_rows: int | None,
        batch_size: int | None,
    ) -> Iterator[pl.DataFrame]:
        left = n_rows
        for batch in make(max(batch_size or 0, BATCH_ROWS)):
            # the columns by name, literally: `select` of a name reads ``*`` and ``^…$`` as
            # patterns (a column called ``*`` selected every column twice)
            frame = (
                batch
                if with_columns is None
                else batch.select([batch.get_column(name) for name in with_columns])
            )
            if predicate is not None:
                frame = frame.filter(predicate)
            if left is not None:
                frame = frame.head(left)
                left -= len(frame)
            yield frame
            if left is not None and left <= 0:
                return

    return register_io_source(source, schema=schema, is_pure=True, explain_name=name)
