"""What makes a path an input every command can read: a file, and, for text, text.

Every command that reads a table from a file comes through `rowsift.io.read`, which asks
`input_file` for the file and has `refuse_binary` look at the first bytes of a delimited one
once its dialect is known: a folder, ``-``, a missing path and a binary file named as text get
the same clear error from `run`, `convert`, `profile`, `suggest`, `review` and `sniff` alike.
"""

from __future__ import annotations

import os
from pathlib import Path

from rowsift.exceptions import InputError
from rowsift.io.compressed import detect_compression, read_head
from rowsift.io.encoding import is_utf8
from rowsift.io.sniff import Dialect

__all__ = ["BINARY_LEAST", "BINARY_SHARE", "input_file", "is_database_url", "refuse_binary"]

DATABASE_SCHEMES = ("postgresql://", "postgres://")
"""How a database's address starts, where a command reads a table from a file or a database."""


def is_database_url(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is a database's address rather than a file's path.

    >>> is_database_url("postgresql://ana@db/shop"), is_database_url("shop.csv")
    (True, False)
    """
    return os.fspath(path).startswith(DATABASE_SCHEMES)


def input_file(path: str | os.PathLike[str]) -> Path:
    """`path` as a file to read; a folder, ``-`` (the standard input, which detection cannot
    read twice) and a path that is not there are refused.

    >>> import tempfile
    >>> try:
    ...     input_file(tempfile.gettempdir())
    ... except InputError as refused:
    ...     print(refused.message.split(": ", 1)[1])
    it is a folder, not a file
    """
    file = Path(path)
    if os.fspath(path) == "-" and not file.exists():
        raise InputError(
            "a table is read from a file, not from the standard input",
            file="-",
            hint="save what you pipe to a file first and give its path (detection reads a "
            "file more than once)",
        )
    if file.is_dir():
        raise InputError(
            "it is a folder, not a file",
            file=str(file),
            hint="give the path of one file in it (rowsift reads one table per run)",
        )
    if not file.exists():
        raise InputError("file not found", file=str(file), hint="check the input path")
    if not file.is_file():
        raise InputError(
            "it is not a regular file (a pipe, a socket or a device)",
            file=str(file),
            hint="save what it gives to a file first and give its path (detection reads a "
            "file more than once)",
        )
    try:
        with open(file, "rb"):
            pass
    except OSError as exc:
        raise InputError(
            f"cannot open the file: {exc.strerror or exc}",
            file=str(file),
            hint="check the file's permissions (rowsift only reads it)",
        ) from None
    return file


BINARY_SHARE = 0.05
"""A file whose first 64 KiB hold more than this share of control characters that text does
not use, and at least `BINARY_LEAST` of them, is binary, not text, unless it is UTF-8 with few
NUL bytes (see `refuse_binary`)."""
BINARY_LEAST = 16
_HEAD = 1 << 16
_BINARY_CONTROLS = bytes(range(32)).translate(None, b"\x01\t\n\x0c\r\x1c\x1d\x1e\x1f")
"""NUL and the other control characters, but those of text (tab, line feed, form feed,
carriage return) and those that delimit fields and records in exports (Hive's ``\\x01``, the
ASCII separators ``\\x1c``-``\\x1f``)."""


def refuse_binary(file: Path, dialect: Dialect) -> None:
    """A binary file (an executable, a pickle, a compiled or numeric dump) named as text holds
    no table: say so, rather than read its bytes as records. UTF-8 text is read whatever control
    characters its values hold (vertical tabs, bells, escapes), unless NUL bytes are many too
    (a Fortran dump of small integers is valid UTF-8); UTF-16 and UTF-32 (whose ASCII letters
    carry NUL bytes) are never refused, nor is a control character that delimits the fields.

    >>> import pathlib, tempfile
    >>> from rowsift.io.sniff import Dialect
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> text = folder / "t.csv"
    >>> _ = text.write_bytes(b"a\\n" + b"x\\x0by\\x07\\n" * 20)
    >>> refuse_binary(text, Dialect(names=("a",)))  # UTF-8, control characters and all
    >>> dump = folder / "d.csv"
    >>> _ = dump.write_bytes(b"\\x14\\x00\\x00\\x00\\x01\\x00\\x00\\x00" * 20)
    >>> try:
    ...     refuse_binary(dump, Dialect(names=("a",)))
    ... except InputError as refused:
    ...     print(refused.message.split(": ", 1)[1])
    the file is binary, not text: 88% of its first bytes are control characters
    """
    if dialect.encoding.lower().replace("_", "-").startswith(("utf-16", "utf-32")):
        return
    head = read_head(file, detect_compression(file), _HEAD)
    binary = _BINARY_CONTROLS.translate(None, dialect.delimiter.encode("latin-1", "ignore"))
    controls = len(head) - len(head.translate(None, binary))
    if not _many(controls, head) or (
        is_utf8(head, cut=True) and not _many(head.count(b"\x00"), head)
    ):
        return
    raise InputError(
        f"the file is binary, not text: {controls / len(head):.0%} of its first bytes are "
        "control characters",
        file=str(file),
        hint="rowsift reads delimited text, ARFF, Excel, JSON, NDJSON, Parquet, Arrow, Stata, "
        "SQLite and DuckDB files; check that this is the file you meant",
    )


def _many(count: int, head: bytes) -> bool:
    """Whether `count` characters of `head` are at least `BINARY_LEAST` and more than
    `BINARY_SHARE` of it."""
    return count >= BINARY_LEAST and count > BINARY_SHARE * len(head)
