"""Temporary copies of an input file, for Polars' reader to read in its place.

A copy lives in the temporary folder for as long as the command that reads it (the `hold`
stack it is made under); one left by a process that was killed is removed by the next copy
made. Its name holds the process's id for that.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO

_PREFIX = "rowsift-copy-"
"""A copy's name: this prefix, the process's id, a random part."""


@contextlib.contextmanager
def temporary_copy(hold: ExitStack) -> Iterator[tuple[BinaryIO, Path]]:
    """A new file in the temporary folder, open for writing, and its path; removed when `hold`
    closes, or at once when the block that writes it raises."""
    _remove_orphans()
    handle, name = tempfile.mkstemp(prefix=f"{_PREFIX}{os.getpid()}-", suffix=".csv")
    hold.callback(remove, name)
    try:
        with os.fdopen(handle, "wb") as target:
            yield target, Path(name)
    except BaseException:
        remove(name)
        raise


def remove(name: str | Path) -> None:
    """Remove a copy (gone already: nothing to do)."""
    with contextlib.suppress(OSError):
        os.unlink(name)


def _remove_orphans() -> None:
    """Remove the copies left in the temporary folder by processes that no longer run."""
    for copy in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*-*.csv"):
        owner = copy.name.removeprefix(_PREFIX).split("-", 1)[0]
        if owner.isdigit() and not _running(int(owner)):
            remove(copy)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, alive
        return True
    return True
