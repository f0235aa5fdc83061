"""A run-private folder for Dask's scratch files, removed when the computation ends."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def private_temp() -> Iterator[None]:
    """Dask's scratch files (the ``tmp*.partd`` folders of a shuffle on disk) go to a folder of
    their own under the system's temporary folder, removed on the way out, also when the
    computation fails: dask removes them only in the shuffle's last task, which a failed
    computation never runs."""
    import dask

    with (
        tempfile.TemporaryDirectory(prefix="rowsift-dask-", ignore_cleanup_errors=True) as folder,
        dask.config.set({"temporary_directory": folder}),
    ):
        yield
