"""Claiming an output folder for one run: checked, locked, never written over an input.

`claim_folder` is held for the whole of a run, from before the first output is written until
``summary.json`` is: a second run into the same folder is refused at once (the lock is an
advisory ``flock`` on the folder itself, released by the system even if the run is killed), a
folder that cannot be written is reported before any work is done, and an output whose name
is one of the run's inputs is refused rather than written over it.
"""

from __future__ import annotations

import errno
import fcntl
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from rowsift._atomic import remove, remove_partials
from rowsift.exceptions import OutputError, UsageError

_WRITE_ERRORS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EFBIG: "the file is larger than this process may write",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "a folder is in the way",
}
_WRITE_MESSAGES = (
    ("no space left", "the disk is full"),
    ("file too large", "the file is larger than this process may write"),
    ("disk quota", "the disk quota is exceeded"),
    ("permission denied", "permission denied"),
    ("read-only file system", "the file system is read-only"),
)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def refuse_overwrite(inputs: Iterable[str | os.PathLike[str]], outputs: Iterable[Path]) -> None:
    """Raise `UsageError` if an output would replace (or delete) one of the inputs."""
    for output in outputs:
        for given in inputs:
            text = os.fspath(given)
            if "://" in text:
                continue
            source = Path(text)
            if _same_file(source, output) or source.resolve() == output.resolve():
                raise UsageError(
                    f"the output {output} is the input {source}: writing it would destroy "
                    "the input",
                    hint="write the outputs to another folder (--out) or another file name",
                )


def write_failure(exc: BaseException, target: Path) -> OutputError | None:
    """An `OutputError` that says why writing `target` failed, if `exc` is a write failure
    (disk full, file size limit, permission, read-only file system); else None."""
    reason = _WRITE_ERRORS.get(exc.errno) if isinstance(exc, OSError) and exc.errno else None
    if reason is None:
        text = str(exc).lower()
        reason = next((said for found, said in _WRITE_MESSAGES if found in text), None)
    if reason is None:
        return None
    return OutputError(
        f"cannot write: {reason}",
        file=str(target),
        hint="nothing half-written was left under the output's name; free space or fix the "
        "permissions, then run again",
    )


_CSV_UNWRITABLE = ("cannot be written to csv", "csv format does not support nested data")
"""What Polars says when a column's type has no CSV form (bytes, lists, structs)."""


def csv_refusal(exc: BaseException) -> UsageError | None:
    """A `UsageError` saying that CSV cannot hold a column's values, if `exc` says so (the
    input was read: the output format was the wrong choice); else None."""
    if not any(said in str(exc).lower() for said in _CSV_UNWRITABLE):
        return None
    return UsageError(
        "a column holds values CSV cannot hold (bytes, or nested lists and structs): "
        + str(exc).strip().splitlines()[0],
        hint="write Parquet instead (run --output-format parquet; convert to a .parquet file)",
    )


def _folder_ready(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            f"the output folder {folder} is a file",
            hint="give --out a folder (it is created if missing)",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UsageError(
            f"cannot create the output folder {folder}: a part of its path is a file",
            hint="give --out a folder (it is created if missing)",
        ) from None
    except OSError as exc:
        raise write_failure(exc, folder) or OutputError(
            f"cannot create the output folder: {exc.strerror or exc}", file=str(folder)
        ) from None


_PROBE_PREFIX, _PROBE_SUFFIX = ".rowsift-probe.", ".partial"


def _probe(folder: Path) -> None:
    """Fail now, before any work, if files cannot be created in `folder`. A probe left by a run
    killed while it probed is removed: only the claim that holds the folder's lock probes."""
    for leftover in folder.glob(f"{_PROBE_PREFIX}*{_PROBE_SUFFIX}"):
        with suppress(OSError):
            leftover.unlink()
    try:
        fd, name = tempfile.mkstemp(prefix=_PROBE_PREFIX, suffix=_PROBE_SUFFIX, dir=folder)
    except OSError as exc:
        raise write_failure(exc, folder) or OutputError(
            f"cannot write into the output folder: {exc.strerror or exc}", file=str(folder)
        ) from None
    os.close(fd)
    os.unlink(name)


@contextmanager
def claim_folder(
    folder: Path,
    *,
    outputs: Sequence[str],
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> Iterator[Path]:
    """Hold `folder` for one run that writes the files named `outputs` into it, the last of
    them marking a complete set (``summary.json``).

    Creates the folder, refuses outputs that are inputs, checks that files can be created
    there and locks it; a second claim on the same folder, from any process, raises
    `OutputError` until this one ends. A run that fails or is interrupted before it writes
    its last output removes the outputs it wrote (a set without its mark is no result) and
    their hidden partial files, leaving any it did not touch as they were; a folder this
    claim created is removed again when nothing else is in it.
    """
    refuse_overwrite(inputs, [folder / name for name in outputs])
    created = not folder.exists()
    _folder_ready(folder)
    with _locked(folder):
        before = {name: _identity(folder / name) for name in outputs}
        try:
            _probe(folder)
            yield folder
        except BaseException:
            # only the claim that holds the lock may remove files: another run that also
            # found the folder missing may be about to write into it
            if not (folder / outputs[-1]).exists():
                for name in outputs:
                    if _identity(folder / name) not in (None, before[name]):
                        with suppress(OSError):
                            remove(folder / name)
                with suppress(OSError):
                    remove_partials(folder, list(outputs))
            if created:
                with suppress(OSError):
                    folder.rmdir()  # only if it is still empty
            raise


def _identity(path: Path) -> tuple[int, int] | None:
    """The file's inode and modification time (a rename over it changes both), or None."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_ino, status.st_mtime_ns


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                "another rowsift run is writing into this folder",
                file=str(folder),
                hint="wait for it to finish, or give this run another --out",
            ) from None
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock
