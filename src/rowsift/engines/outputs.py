"""Writing a run's outputs one after the other, and folders of parts that appear whole.

An engine that plans whole queries reads the judged rows held for the purpose (`Steps.held`)
for the totals, the row counts and each write, so running them one after the other costs a
scan of the held rows each. A folder of parts (Spark, Dask) is written beside its target and
renamed into place, so a reader never sees half of one.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw

from rowsift._atomic import remove
from rowsift.engines.protocol import OutputFormat, Totals

Writer = Callable[[Any, Path, OutputFormat], None]
"""Writes one native frame to a path (a file or a folder of parts), atomically."""


def one_after_another(
    outputs: Mapping[str, nw.LazyFrame[Any]],
    totals: nw.LazyFrame[Any],
    paths: Mapping[str, Path],
    fmt: OutputFormat,
    write: Writer,
) -> Totals:
    """The totals, each output's rows, then each output written by `write`."""
    row = totals.collect().rows(named=True)[0]
    rows = {name: int(frame.select(nw.len()).collect().item()) for name, frame in outputs.items()}
    for name, frame in outputs.items():
        write(frame.to_native(), paths[name], fmt)
    return row, rows["clean"], rows["quarantine"]


@contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """A folder to write parts into, renamed to `target` if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    )
    parts = staging / "parts"
    try:
        yield parts
        _drop_bookkeeping(parts)
        old = target.with_name(f".{target.name}.old")
        remove(old)  # left by a run killed at this very point
        if target.exists():  # a folder, or the file an engine writing files left
            target.rename(old)
        parts.rename(target)
        remove(old)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _drop_bookkeeping(parts: Path) -> None:
    """Remove the files a Hadoop writer leaves beside the parts (``_SUCCESS``, ``.crc``
    checksums), which are no data and make a folder of Parquet parts unreadable to Polars."""
    for path in parts.iterdir():
        if path.name == "_SUCCESS" or (path.name.startswith(".") and path.suffix == ".crc"):
            path.unlink()
