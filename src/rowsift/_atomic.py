"""Atomic file output: a file appears under its name complete, or not at all.

Data goes to a hidden temporary file beside the target (``.NAME.XXXX.partial``), which is
renamed over the target only once complete and synced. A process killed mid-write can leave
only such a hidden file; `remove_partials` clears those left by earlier runs.

The file gets the mode a plain ``open()`` would give it: an existing target keeps its mode, a
new one gets ``0o666`` less the process's umask (the temporary file starts as ``0o600``, so
nobody can read a half-written output).
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PARTIAL_SUFFIX = ".partial"


def current_umask() -> int:
    """The process's umask, read without changing it (Linux), else by setting it back."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def output_mode(target: Path) -> int:
    """The permission bits a file written at `target` should have: the existing file's, else
    what the umask allows of ``0o666``."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~current_umask()


@contextmanager
def atomic_path(target: Path, *, over_parts: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` in one rename.

    A folder at `target` is refused (IsADirectoryError) before anything is written, unless
    `over_parts`: a run's own output, where the folder holds the parts another engine wrote
    under that name, and is replaced.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(folder / "a.txt") as tmp:
    ...     _ = tmp.write_text("done")
    >>> (folder / "a.txt").read_text(), sorted(p.name for p in folder.iterdir())
    ('done', ['a.txt'])
    >>> with atomic_path(folder) as tmp:
    ...     pass
    Traceback (most recent call last):
    IsADirectoryError: [Errno 21] it is a folder, not a file: '...'
    """
    if target.is_dir() and not over_parts:
        raise IsADirectoryError(errno.EISDIR, "it is a folder, not a file", str(target))
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=PARTIAL_SUFFIX, dir=folder)
    except OSError as exc:  # named by the output asked for, not by the hidden file
        raise type(exc)(exc.errno, exc.strerror, str(target)) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, output_mode(target))
        if over_parts and target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)  # the parts another engine wrote under this name
        os.replace(tmp, target)
        _sync_folder(folder)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (where the platform can open a folder)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def remove(path: Path) -> None:
    """Delete a file or a folder, if there is one."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def remove_partials(folder: Path, names: list[str]) -> list[Path]:
    """Delete the hidden temporary files a killed earlier write of `names` left in `folder`,
    and the hidden folders of parts that Spark and Dask stage the same way."""
    removed = []
    for name in names:
        for leftover in folder.glob(f".{name}.*{PARTIAL_SUFFIX}"):
            remove(leftover)
            removed.append(leftover)
    return removed
