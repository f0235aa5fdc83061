"""Opening a file's bytes, decompressing gzip, bz2 and zstd as told by its first bytes."""

from __future__ import annotations

import bz2
import gzip
import io
from pathlib import Path
from typing import BinaryIO, cast

from rowsift.recipe.model import Compression

_MAGIC: tuple[tuple[bytes, Compression], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bz2"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
)
COMPRESSED_SUFFIXES = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bz2", ".zst": "zstd"}


def detect_compression(path: Path) -> Compression:
    """The compression the file's first bytes announce, or ``none``."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    return "none"


def open_binary(path: Path, compression: Compression) -> BinaryIO:
    """The file's (decompressed) bytes as a stream."""
    if compression == "gzip":
        return cast(BinaryIO, gzip.open(path, "rb"))
    if compression == "bz2":
        return cast(BinaryIO, bz2.open(path, "rb"))
    if compression == "zstd":
        import zstandard

        return cast(BinaryIO, zstandard.open(path, "rb"))
    return open(path, "rb")


def decompress(disk: BinaryIO, compression: Compression) -> BinaryIO:
    """The (decompressed) bytes of a file the caller keeps open (and closes), as a stream;
    ``disk.tell()`` then says how far into the file on disk reading has come."""
    if compression == "gzip":
        return cast(BinaryIO, gzip.GzipFile(fileobj=disk, mode="rb"))
    if compression == "bz2":
        return cast(BinaryIO, bz2.BZ2File(disk, "rb"))
    if compression == "zstd":
        import zstandard

        reader = zstandard.ZstdDecompressor().stream_reader(disk, closefd=False)
        return cast(BinaryIO, io.BufferedReader(cast(io.RawIOBase, reader)))
    return disk


def read_head(path: Path, compression: Compression, size: int) -> bytes:
    """Up to `size` (decompressed) bytes from the start of the file."""
    with open_binary(path, compression) as handle:
        return handle.read(size)


def read_tail(path: Path, compression: Compression, size: int) -> tuple[bytes, bool]:
    """Up to `size` bytes from the end of an uncompressed file, and whether that is all of it.

    A compressed file cannot be read from its end without reading it all: it gives no tail.
    """
    if compression != "none":
        return b"", False
    total = path.stat().st_size
    with open(path, "rb") as handle:
        handle.seek(max(0, total - size))
        return handle.read(size), total <= size
