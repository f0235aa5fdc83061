"""A UTF-8 copy of a single-byte-encoded file, for Polars' reader, which reads UTF-8 only.

A plain file in Windows-1252 or Latin-1 has the same lines and fields as its UTF-8 copy: each
of its bytes is one character, and the bytes of line ends, delimiters and quotes are ASCII
in both. The copy is written block by block (memory stays bounded) and checked as any file
is (`rowsift.io.plain`); it is removed when the run that reads it ends (`rowsift.io.copies`).
Where the record reader would read a line otherwise than the file's encoding says, no copy is
made: a byte the encoding does not define (marked on its line), or UTF-8 text mixed into the
file (read as UTF-8 and flagged).
"""

from __future__ import annotations

import codecs
from contextlib import ExitStack
from pathlib import Path

from rowsift.io.copies import remove, temporary_copy
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
    decoder = codecs.getincrementaldecoder(codec)("strict")
    tail = b""  # a UTF-8 character may be cut by a block's end
    try:
        with open(path, "rb") as source, temporary_copy(hold) as (target, copy):
            while block := source.read(_BLOCK_BYTES):
                if not block.isascii() and _holds_utf8(tail + block):
                    break
                tail = block[-3:]
                target.write(decoder.decode(block).encode("utf-8"))
            else:
                target.write(decoder.decode(b"", final=True).encode("utf-8"))
                return copy
    except (UnicodeDecodeError, OSError):
        return None
    remove(copy)
    return None


def _holds_utf8(data: bytes) -> bool:
    """Whether `data` holds a valid multi-byte UTF-8 character: read as UTF-8 with each
    undecodable byte kept as one character, such a character makes the text shorter than its
    bytes. A line the record reader reads as UTF-8 text holds one (it decodes as UTF-8 whole,
    and `rowsift.io.well_formed.UTF8_SEQUENCE` finds a sequence in it); this is many times
    faster than that search."""
    return len(data.decode("utf-8", "surrogateescape")) != len(data)
