"""Opening a file's bytes, decompressing gzip, bz2 and zstd as told by its first bytes.

A damaged or truncated compressed file is an `InputError` ("the compressed data is damaged"),
whichever library found it, never the library's own exception.
"""

from __future__ import annotations

import bz2
import gzip
import io
import zlib
from pathlib import Path
from typing import BinaryIO, cast

from rowsift.exceptions import InputError
from rowsift.recipe.source import Compression

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


class _Checked(io.RawIOBase):
    """A decompressing stream whose every failure is an `InputError` naming the file."""

    def __init__(self, inner: BinaryIO, where: str, compression: str) -> None:
        super().__init__()
        self.inner = inner
        self.where = where
        self.compression = compression

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        failures: tuple[type[BaseException], ...] = (
            EOFError,
            OSError,
            ValueError,
            zlib.error,
            *_library_errors(),
        )
        try:
            data = self.inner.read(len(buffer))
        except failures as exc:
            raise InputError(
                f"cannot read the file: the {self.compression} data is damaged or cut short: {exc}",
                file=self.where,
                hint="check that the file was copied whole; a truncated download is a common cause",
            ) from None
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        super().close()


def _library_errors() -> tuple[type[BaseException], ...]:
    import lzma

    import zstandard

    return (lzma.LZMAError, zstandard.ZstdError)


def _checked(inner: BinaryIO, where: str, compression: Compression) -> BinaryIO:
    if compression == "none":
        return inner
    return cast(BinaryIO, io.BufferedReader(_Checked(inner, where, compression)))


def open_binary(path: Path, compression: Compression) -> BinaryIO:
    """The file's (decompressed) bytes as a stream."""
    if compression == "gzip":
        return _checked(cast(BinaryIO, gzip.open(path, "rb")), str(path), compression)
    if compression == "bz2":
        return _checked(cast(BinaryIO, bz2.open(path, "rb")), str(path), compression)
    if compression == "zstd":
        import zstandard

        return _checked(cast(BinaryIO, zstandard.open(path, "rb")), str(path), compression)
    return open(path, "rb")


def decompress(disk: BinaryIO, compression: Compression) -> BinaryIO:
    """The (decompressed) bytes of a file the caller keeps open (and closes), as a stream;
    ``disk.tell()`` then says how far into the file on disk reading has come."""
    where = str(getattr(disk, "name", "the input"))
    if compression == "gzip":
        return _checked(cast(BinaryIO, gzip.GzipFile(fileobj=disk, mode="rb")), where, compression)
    if compression == "bz2":
        return _checked(cast(BinaryIO, bz2.BZ2File(disk, "rb")), where, compression)
    if compression == "zstd":
        import zstandard

        reader = zstandard.ZstdDecompressor().stream_reader(disk, closefd=False)
        stream = cast(BinaryIO, io.BufferedReader(cast(io.RawIOBase, reader)))
        return _checked(stream, where, compression)
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
