"""A UTF-8 copy of a single-byte-encoded file, for Polars' reader, which reads UTF-8 only.

A plain file in Windows-1252 or Latin-1 has the same lines and fields as its UTF-8 copy: each
of its bytes is one character, and the bytes of line ends, delimiters and quotes are ASCII
in both. The copy is written block by block (memory stays bounded) and checked as any file
is (`rowsift.io.plain`); it is removed when the run that reads it ends, or, left by a process
that was killed, by the next copy made. Where the record
reader would read a line otherwise than the file's encoding says, no copy is made: a byte the
encoding does not define (marked on its line), or UTF-8 text mixed into the file (read as
UTF-8 and flagged).
"""

from __future__ import annotations

import codecs
import contextlib
import os
import tempfile
from contextlib import ExitStack
from pathlib import Path

from rowsift.io.sniff import Dialect
from rowsift.io.well_formed import SINGLE_BYTE

_BLOCK_BYTES = 1 << 22
"""How much of the file is decoded at a time."""


def utf8_copy(path: Path, dialect: Dialect, hold: ExitStack) -> Path | None:
    """A UTF-8 copy of `path`, removed when `hold` closes, when its dialect's encoding is a
    single-byte one (`SINGLE_BYTE`) and every byte reads as that encoding says; else None (or
    when the copy cannot be written)."""
    codec = dialect.encoding.lower().replace("_", "-")
    if codec not in SINGLE_BYTE or dialect.compression != "none":
        return None
    _remove_orphans()
    handle, name = tempfile.mkstemp(prefix=f"{_PREFIX}{os.getpid()}-", suffix=".csv")
    hold.callback(_remove, name)
    decoder = codecs.getincrementaldecoder(codec)("strict")
    tail = b""  # a UTF-8 character may be cut by a block's end
    try:
        with open(path, "rb") as source, os.fdopen(handle, "wb") as target:
            while block := source.read(_BLOCK_BYTES):
                if not block.isascii() and _holds_utf8(tail + block):
                    break
                tail = block[-3:]
                target.write(decoder.decode(block).encode("utf-8"))
            else:
                target.write(decoder.decode(b"", final=True).encode("utf-8"))
                return Path(name)
    except (UnicodeDecodeError, OSError):
        pass
    _remove(name)
    return None


def _holds_utf8(data: bytes) -> bool:
    """Whether `data` holds a valid multi-byte UTF-8 character: read as UTF-8 with each
    undecodable byte kept as one character, such a character makes the text shorter than its
    bytes. A line the record reader reads as UTF-8 text holds one (it decodes as UTF-8 whole,
    and `rowsift.io.well_formed.UTF8_SEQUENCE` finds a sequence in it); this is many times
    faster than that search."""
    return len(data.decode("utf-8", "surrogateescape")) != len(data)


_PREFIX = "rowsift-utf8-"
"""A copy's name: this prefix, the process's id, a random part (a process killed while it held
a copy leaves it; the next copy made removes it)."""


def _remove_orphans() -> None:
    """Remove the copies left in the temporary folder by processes that no longer run."""
    for copy in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*-*.csv"):
        owner = copy.name.removeprefix(_PREFIX).split("-", 1)[0]
        if owner.isdigit() and not _running(int(owner)):
            _remove(str(copy))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, alive
        return True
    return True


def _remove(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)
