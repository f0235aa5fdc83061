"""Reading any source into a lazy table with row identity; every text field stays text.

`read_table` is the one entry point: it tells the format, then hands over to the reader of that
format (delimited text, Excel, JSON, Parquet, Arrow, Stata, SQLite, DuckDB, PostgreSQL).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw
import polars as pl

from rowsift._names import ROW
from rowsift.exceptions import InputError, UsageError
from rowsift.io.compressed import (
    COMPRESSED_SUFFIXES,
    detect_compression,
    is_workbook,
    zip_member,
)
from rowsift.io.inputs import input_file, is_database_url, refuse_binary
from rowsift.io.records import LoadingCounts
from rowsift.io.sniff import RESERVED_PREFIX, Dialect, make_unique, sniff_file
from rowsift.recipe.source import SourceFormat, SourceSpec

_EXTENSIONS: dict[str, SourceFormat] = {
    ".csv": "csv",
    ".txt": "csv",
    ".dat": "csv",
    ".arff": "arff",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".feather": "arrow",
    ".arrow": "arrow",
    ".ipc": "arrow",
    ".dta": "stata",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".json": "json",
    ".xlsx": "excel",
    ".xlsm": "excel",
    ".xls": "excel",
    ".xlsb": "excel",
    ".ods": "excel",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
    ".db": "sqlite",
    ".duckdb": "duckdb",
    ".ddb": "duckdb",
}


def _by_content(path: Path) -> SourceFormat:
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"ARROW1"):
        return "arrow"
    if head.startswith(b"<stata_dta>") or _old_stata(head):
        return "stata"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "excel"
    if head.startswith(b"PK\x03\x04"):
        return "excel" if is_workbook(path) else _zipped_format(path)
    return "csv"


def _old_stata(head: bytes) -> bool:
    """Whether the first bytes are those of a Stata file before version 13 (format 102 to 115:
    its version, the byte order, file type 1, a zero; pandas still writes 114 by default).

    >>> _old_stata(bytes([114, 2, 1, 0])), _old_stata(b"id,n")
    (True, False)
    """
    marks = len(head) >= 4 and head[1] in (1, 2) and head[2:4] == b"\x01\x00"
    return marks and 102 <= head[0] <= 115


def _zipped_format(path: Path) -> SourceFormat:
    """The format of a zip archive's one file, by its extension (text when it has none, or
    when the archive cannot be read: reading it then says why)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            member = zip_member(archive, str(path))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "csv"
    return _by_extension(Path(member.filename)) or "csv"


def _by_extension(path: Path) -> SourceFormat | None:
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSED_SUFFIXES:
        suffixes.pop()
    return _EXTENSIONS.get(suffixes[-1]) if suffixes else None


def detect_format(path: Path, source: SourceSpec) -> SourceFormat:
    """The recipe's `source.format`, else the one the file extension names."""
    if source.format is not None:
        return source.format
    if is_database_url(path):
        return "postgres"
    found = _by_extension(path)
    if found is None and source.detect and path.is_file():
        return _by_content(path)
    if found is None:
        raise InputError(
            f"cannot tell the format of {path.name!r} from its extension",
            file=str(path),
            hint="set source.format in the recipe (csv, tsv, arff, json, ndjson, parquet, arrow, "
            "stata, excel, sqlite, duckdb or postgres), or source.detect: true",
        )
    return found


def sniff(path: str | os.PathLike[str], source: SourceSpec | None = None) -> Dialect:
    """Detect how a delimited text file is laid out (encoding, dialect, header, footer).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "t.csv").write_text("note\\nid;name\\n1;a\\n2;b\\n")
    >>> found = sniff(folder / "t.csv")
    >>> found.delimiter, found.header_row, found.names
    (';', 1, ('id', 'name'))
    """
    file = input_file(path)
    spec = source if source is not None else SourceSpec(detect=True)
    compression = spec.compression or detect_compression(file)
    if detect_format(file, spec) == "arff":
        from rowsift.io.arff import arff_dialect

        dialect = arff_dialect(file, spec, compression=compression)
    else:
        dialect = sniff_file(file, spec, compression=compression)
    refuse_binary(file, dialect)
    return dialect


def read_table(
    path: str | os.PathLike[str],
    source: SourceSpec,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    on_loaded: Callable[[LoadingCounts], None] | None = None,
    hold: ExitStack | None = None,
) -> nw.LazyFrame[Any]:
    """A lazy table of the source's records with ``_rowsift_row`` (and ``_rowsift_line`` for text).

    Delimited text gives every field as text; a record that cannot be split into as many fields
    as the header names carries ``_rowsift_parse``, ``_rowsift_raw`` and ``_rowsift_fields``.
    `on_progress` is told (bytes read, file size) as delimited text is read; `on_loaded`, what
    loading did with its lines (`LoadingCounts`), once it has been read to the end. With
    `hold`, open for as long as the table is read, a plain file in a single-byte encoding is
    read by Polars from a UTF-8 copy, removed when `hold` closes (`rowsift.io.transcoded`).
    """
    if is_database_url(path):
        from rowsift.io.database import scan_postgres

        return nw.from_native(scan_postgres(str(path), source))
    file = input_file(path)
    kind = detect_format(file, source)
    _refuse_foreign_keys(source, kind, file)
    _refuse_compressed_binary(file, kind)
    try:
        frame = _scan(file, kind, source, on_progress, on_loaded, hold)
        frame.collect_schema()
    except InputError:
        raise
    except RecursionError:
        raise InputError(
            f"cannot read the file as {kind}: it is nested too deeply",
            file=str(file),
            hint="flatten the document, or convert it to a table first",
        ) from None
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(
            f"cannot read the file as {kind}: {_first_line(exc)}",
            file=str(file),
            hint=_unreadable_hint(kind),
        ) from None
    return nw.from_native(frame)


_KEYS_OF = {
    "sheet": ("excel",),
    "table": ("sqlite", "duckdb", "postgres", "json"),
    "query": ("sqlite", "duckdb", "postgres"),
}
"""The formats each source key applies to: on another it would be ignored without a word."""


def _refuse_foreign_keys(source: SourceSpec, kind: SourceFormat, file: Path) -> None:
    """A sheet, table or query given for a file whose format has none (a CSV) is an error."""
    for key, formats in _KEYS_OF.items():
        if getattr(source, key) is not None and kind not in formats:
            raise UsageError(
                f"source.{key} (--{key}) applies to {', '.join(formats)} input, and this file "
                f"reads as {kind}",
                hint=f"leave {key} out, or set source.format (--format) if the file is not {kind}",
            )


_DECOMPRESSED_KINDS = ("csv", "tsv", "arff", "json", "ndjson")
"""The formats read through a compression or out of a zip archive: text, read as a stream."""


def _refuse_compressed_binary(file: Path, kind: SourceFormat) -> None:
    """A compressed file, or a zip archive, holding a format that is not text (a Parquet
    file, a workbook) is an input error that says so (its reader took the archive for the
    file); a workbook, itself a zip, is not."""
    compression = detect_compression(file)
    if compression == "none" or kind in _DECOMPRESSED_KINDS or is_workbook(file):
        return
    raise InputError(
        f"the file is {compression}-compressed and holds {kind}, which rowsift reads only as a "
        "file of its own (delimited text and JSON are read from an archive)",
        file=str(file),
        hint=f"{'unzip' if compression == 'zip' else 'decompress'} it and read the {kind} file",
    )


def _unreadable_hint(kind: SourceFormat) -> str:
    """What to check when a file cannot be read as `kind`, whichever command read it."""
    if kind in ("csv", "tsv", "json", "ndjson", "arff"):
        return (
            f"is it {kind} text in that encoding? set source.format and source.encoding in a "
            "recipe, --format and --encoding in convert"
        )
    return (
        f"is the file complete (an export or a copy that stopped half-way), and really {kind}? "
        "if not, set source.format in a recipe, --format in convert"
    )


def _scan(
    file: Path,
    kind: SourceFormat,
    source: SourceSpec,
    on_progress: Callable[[int, int], None] | None,
    on_loaded: Callable[[LoadingCounts], None] | None = None,
    hold: ExitStack | None = None,
) -> pl.LazyFrame:
    if kind in ("csv", "tsv", "arff"):
        from rowsift.io.delimited import scan_delimited

        if kind == "tsv" and source.delimiter is None:
            source = source.model_copy(update={"delimiter": "\t"})
        dialect = sniff(file, source)  # an ARFF file's records are read as delimited text
        plain = _scan_plain(file, dialect, on_loaded, hold)
        if plain is not None:
            return plain
        return scan_delimited(file, dialect, progress=on_progress, on_loaded=on_loaded)
    if kind in ("parquet", "arrow", "stata"):
        frame = _scan_typed(file, kind)
        names = frame.collect_schema().names()
        if any(name.startswith(RESERVED_PREFIX) for name in names):
            # rowsift's own outputs read back: their _rowsift_* columns are data now
            renamed = dict(zip(names, make_unique(names), strict=True))
            frame = frame.rename({old: new for old, new in renamed.items() if old != new})
        return frame.with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64))
    if kind in ("ndjson", "json"):
        from rowsift.io.jsonfile import scan_json

        return scan_json(file, source, lines=kind == "ndjson")
    if kind == "excel":
        from rowsift.io.excel import scan_excel

        return scan_excel(file, source, on_loaded)
    from rowsift.io.database import scan_duckdb, scan_sqlite

    if kind == "sqlite":
        return scan_sqlite(file, source)
    if kind == "duckdb":
        return scan_duckdb(file, source)
    from rowsift.io.database import scan_postgres

    return scan_postgres(str(file), source)


def _scan_plain(
    file: Path,
    dialect: Dialect,
    on_loaded: Callable[[LoadingCounts], None] | None,
    hold: ExitStack | None,
) -> pl.LazyFrame | None:
    """The file through Polars' own reader when it is plain (`rowsift.io.plain`), or its UTF-8
    copy is (with `hold`, for a file in a single-byte encoding), or its copy without a few
    damaged records, or blank lines at its end, is (with `hold`: `rowsift.io.damaged`); else
    None."""
    from rowsift.io.plain import check_plain, plain_counts, scan_plain

    plain = check_plain(file, dialect, damaged=hold is not None)
    if plain is None and hold is not None:
        from rowsift.io.transcoded import utf8_copy

        copy = utf8_copy(file, dialect, hold)
        if copy is not None:
            file, dialect = copy, replace(dialect, encoding="utf-8")
            plain = check_plain(file, dialect, damaged=True)
    if plain is None:
        return None
    counts = plain_counts(dialect, plain)
    if plain.damaged or plain.end is not None:
        from rowsift.io.damaged import copy_without

        assert hold is not None
        cut = copy_without(file, plain.damaged, hold, end=plain.end)
        if cut is None:
            return None
        file = cut
    frame = scan_plain(file, dialect, plain)
    if plain.damaged:
        from rowsift.io.damaged import damaged_rows, with_damaged

        rows = damaged_rows(dialect, plain.damaged, counts)
        frame = with_damaged(frame, dialect, plain.damaged, rows)
    if on_loaded is not None:
        on_loaded(counts)
    return frame


def _scan_typed(file: Path, kind: SourceFormat) -> pl.LazyFrame:
    """A file of typed columns: Parquet, Arrow IPC or Stata."""
    if kind == "parquet":
        return pl.scan_parquet(file, glob=False)
    if kind == "arrow":
        return _scan_arrow(file)
    from rowsift.io.stata import scan_stata

    return scan_stata(file)


def _scan_arrow(file: Path) -> pl.LazyFrame:
    """An Arrow IPC file (Feather version 2), or an Arrow IPC stream (no file magic: read whole),
    typed as written. Feather's first version, which Polars cannot read, is refused with a way
    out."""
    with open(file, "rb") as handle:
        head = handle.read(6)
        if head.startswith(b"FEA1"):
            raise InputError(
                "cannot read the file: it is a Feather file of the first version",
                file=str(file),
                hint="write it again as Feather version 2 (pyarrow's default since 0.17), "
                "Parquet or CSV",
            )
    if head != b"ARROW1":  # a stream (pyarrow.ipc.new_stream) has no footer to scan by
        return pl.read_ipc_stream(file).lazy()
    return pl.scan_ipc(file, glob=False)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
