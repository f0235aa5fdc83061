"""One reading path: profile, suggest and review read a file as `run` and `convert` do.

The loader's detection (encoding, delimiter, quoting, header, preamble, footer) decides how a
file is read, and the `source:` section it found is what a suggested recipe records, so the
recipe reads the file the same way again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw

from rowsift._names import FIELDS, LINE, PARSE, RAW, ROW
from rowsift.exceptions import InputError
from rowsift.io import detect_format, read_table, sniff
from rowsift.io.inputs import input_file, is_database_url
from rowsift.recipe.model import SourceSpec

_HEAD = 1 << 16


def detected_source(path: str | os.PathLike[str]) -> SourceSpec:
    """The `source:` section that reads `path` as detection finds it.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "t.csv").write_text("a note\\nid;name\\n1;x\\n2;y\\n")
    >>> found = detected_source(folder / "t.csv")
    >>> found.delimiter, found.header_row
    (';', 1)
    """
    if is_database_url(path):
        return SourceSpec(format="postgres")
    file = input_file(path)
    probe = SourceSpec(detect=True)
    kind = detect_format(file, probe)
    if kind == "excel":  # the sheet's header row found as `convert` finds it, on every run
        return SourceSpec(format=kind, detect=True)
    if kind not in ("csv", "tsv", "arff"):
        return SourceSpec(format=kind)
    _refuse_blank(file)
    dialect = sniff(file, probe)  # a binary file is refused there (`rowsift.io.inputs`)
    return SourceSpec.model_validate(dialect.to_source(format="arff" if kind == "arff" else "csv"))


def with_chosen(source: SourceSpec, chosen: dict[str, str | None] | None) -> SourceSpec:
    """`source` with the part of a file the command line names (``sheet``, ``table``,
    ``query``; those left None keep the source's own)."""
    given = {key: value for key, value in (chosen or {}).items() if value is not None}
    return source.model_copy(update=given) if given else source


def read_detected(
    path: str | os.PathLike[str], *, chosen: dict[str, str | None] | None = None
) -> tuple[nw.LazyFrame[Any], SourceSpec]:
    """The table in a file, read with detection, and the `source:` section that reads it; a
    table with no column at all (a JSON array of no records, or of empty objects) has nothing
    to profile, and is refused. `chosen` names the part of a file that holds several: its
    ``sheet``, ``table`` or ``query`` (those given are kept in the `source:` section)."""
    source = with_chosen(detected_source(path), chosen)
    table = read_table(path, source)
    if not set(table.collect_schema().names()) - {ROW, LINE, PARSE, RAW, FIELDS}:
        raise InputError(
            "the table has no columns: no record holds a field",
            file=str(path),
            hint="a JSON document should be an array of objects with fields",
        )
    return table, source


def _refuse_blank(file: Path) -> None:
    """An empty file, or one of blank lines only, has no table to profile: say so (of a
    compressed file, of what it holds)."""
    from rowsift.io.compressed import detect_compression, read_head

    compression = detect_compression(file)
    try:
        head = read_head(file, compression, _HEAD)
    except (OSError, EOFError, ValueError):
        return  # reading says what is wrong with the compressed bytes
    if head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        return
    packed = "" if compression == "none" else f" once {compression}-decompressed"
    raise InputError(
        f"the file is empty{packed}: it holds no header and no records"
        if not head
        else f"the file holds only blank lines{packed}: no header and no records",
        file=str(file),
        hint="check that the export that wrote it finished",
    )
