"""Opening a file's bytes, decompressing gzip, bz2, zstd, xz and zip as told by its first bytes.

A zip archive is read when it holds one file (a workbook, also a zip, is told apart by
`rowsift.io.read`); several files, or an encrypted one, are an `InputError` naming them. A
damaged or truncated compressed file is an `InputError` ("the compressed data is damaged"),
whichever library found it, never the library's own exception.
"""

from __future__ import annotations

import bz2
import gzip
import io
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO, cast

from rowsift.exceptions import InputError
from rowsift.recipe.source import Compression

_MAGIC: tuple[tuple[bytes, Compression], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bz2"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"PK\x03\x04", "zip"),
)
COMPRESSED_SUFFIXES = {
    ".gz": "gzip",
    ".gzip": "gzip",
    ".bz2": "bz2",
    ".zst": "zstd",
    ".xz": "xz",
    ".zip": "zip",
}
_WORKBOOK_MEMBERS = ("[Content_Types].xml", "mimetype")
"""Members that make a zip archive an Office Open XML or OpenDocument file, not an archive of
data files."""


def detect_compression(path: Path) -> Compression:
    """The compression the file's first bytes announce, or ``none``."""
    with open(path, "rb") as handle:
        head = handle.read(6)
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
            NotImplementedError,
            zlib.error,
            zipfile.BadZipFile,
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


def is_workbook(path: Path) -> bool:
    """Whether a zip file is a workbook (xlsx, ods…) rather than an archive of data files.

    A file that is no readable zip archive is not one either (its reader says what is wrong).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    return any(name in names for name in _WORKBOOK_MEMBERS)


def zip_member(archive: zipfile.ZipFile, where: str) -> zipfile.ZipInfo:
    """The one data file of a zip archive: folders and the metadata macOS adds
    (``__MACOSX/``, ``._name``, ``.DS_Store``) aside.

    >>> import io, zipfile
    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w") as out:
    ...     out.writestr("__MACOSX/._t.csv", b"")
    ...     out.writestr("data/t.csv", b"a\\n1\\n")
    >>> zip_member(zipfile.ZipFile(buffer), "t.zip").filename
    'data/t.csv'
    """
    members = [
        info
        for info in archive.infolist()
        if not info.is_dir()
        and not info.filename.startswith("__MACOSX/")
        and not info.filename.rsplit("/", 1)[-1].startswith((".", "~$"))
    ]
    if len(members) != 1:
        listed = ", ".join(repr(info.filename) for info in members[:5])
        more = f" and {len(members) - 5} more" if len(members) > 5 else ""
        raise InputError(
            f"the zip archive holds {len(members)} files"
            + (f" ({listed}{more})" if members else "")
            + ": rowsift reads one table per input",
            file=where,
            hint="unzip it and give the file you mean, or zip that file alone",
        )
    (member,) = members
    if member.flag_bits & 0x1:
        raise InputError(
            f"the zip archive's file {member.filename!r} is encrypted",
            file=where,
            hint="unzip it with its password first",
        )
    return member


def _zip_stream(source: str | BinaryIO, where: str) -> BinaryIO:
    """The one data file of a zip archive (a path, or a file the caller keeps open), as a
    stream. Closing the archive here leaves the file open until the stream is closed."""
    try:
        with zipfile.ZipFile(source) as archive:
            return cast(BinaryIO, archive.open(zip_member(archive, where)))
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError) as exc:
        raise InputError(
            f"cannot read the file: the zip archive is damaged or not supported: {exc}",
            file=where,
            hint="check that the file was copied whole, or unzip it first",
        ) from None


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
    if compression == "xz":
        import lzma

        return _checked(cast(BinaryIO, lzma.open(path, "rb")), str(path), compression)
    if compression == "zip":
        return _checked(_zip_stream(str(path), str(path)), str(path), compression)
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
    if compression == "xz":
        import lzma

        return _checked(cast(BinaryIO, lzma.LZMAFile(disk, "rb")), where, compression)
    if compression == "zip":
        return _checked(_zip_stream(disk, where), where, compression)
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
