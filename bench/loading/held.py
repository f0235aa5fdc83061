"""A file read as `rowsift run` reads it: held open until what was read is written, so that a
file in a single-byte encoding may be read from its UTF-8 copy (`rowsift.io.transcoded`)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def read_as_run(path: str | Path, source: Any) -> Iterator[Any]:
    """`read_table(path, source)` as a Polars LazyFrame, to be read inside the block."""
    from rowsift.io import read_table

    with ExitStack() as hold:
        # a rowsift from before `hold` (an older tree first on PYTHONPATH) reads without it
        kept = {"hold": hold} if "hold" in inspect.signature(read_table).parameters else {}
        yield read_table(path, source, **kept).to_native()
