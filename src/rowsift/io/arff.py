"""ARFF files (Weka, OpenML): a header of ``@attribute`` lines naming the columns, then
``@data`` and comma-separated records.

The header is read here: the columns' names, in order, and the line of ``@data``. The records
below it are read as delimited text by the same reader as any CSV, the ``@data`` line taking
the place of a header line, so a record that cannot be split is quarantined as ``row.parse``
with its text, as elsewhere. A value ``?`` (ARFF's missing value) stays text, like any other
spelling of missing that `suggest` finds. The types the header declares are not applied:
the recipe's types are what `suggest` proposes, from the values.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from rowsift.exceptions import InputError
from rowsift.io.compressed import open_binary
from rowsift.io.names import make_unique
from rowsift.io.sniff import Dialect, sniff_file
from rowsift.recipe.source import Compression, SourceSpec

_ATTRIBUTE = re.compile(
    r"""^\s*@attribute\s+(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(\S+))""", re.IGNORECASE
)
_DATA = re.compile(r"^\s*@data\s*$", re.IGNORECASE)
_QUOTED_FIELD = re.compile(r"""(?:^|,)\s*(['"])""")
ARFF_COMMENT = "%"
"""What starts an ARFF comment line, wherever it is."""
QUOTE_LINES = 200
"""Data lines looked at to tell which quote character the records use."""


@dataclass(frozen=True)
class ArffHeader:
    """What an ARFF file's header and comments say about where its records are."""

    names: list[str]
    """The columns' names, in order (``@attribute`` lines)."""
    above_records: int
    """The 0-based line right above the records that is not blank: ``@data``, or the last
    comment under it (read as the header line: the reader skips blank lines after it)."""
    comments_at_end: int
    """The comment lines (``%``) among the file's last non-blank lines."""
    quote: str
    """The quote character the first records use (``'`` or ``"``; ``"`` when none is quoted)."""


def arff_header(path: Path, compression: Compression) -> ArffHeader:
    """Read an ARFF file's header, and its lines to the end for the comments there."""
    names: list[str] = []
    first: int | None = None
    above = 0
    after_data = False
    trailing = 0
    quotes: Counter[str] = Counter()
    with open_binary(path, compression) as handle:
        for number, raw in enumerate(handle):
            line = raw.decode("utf-8", errors="replace")
            if not after_data:
                if _DATA.match(line):
                    after_data, above = True, number
                elif found := _ATTRIBUTE.match(line):
                    names.append(next(group for group in found.groups() if group is not None))
                continue
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith("%"):
                trailing += 1
                above = number if first is None else above
                continue
            trailing = 0
            if first is None:
                first = number
                if stripped.startswith("{"):
                    raise InputError(
                        "the ARFF file is sparse ({index value, ...} records): not supported",
                        file=str(path),
                        line=number + 1,
                        hint="write it as dense ARFF or CSV first",
                    )
            if number - first < QUOTE_LINES:
                quotes.update(found.group(1) for found in _QUOTED_FIELD.finditer(line))
    if not after_data or not names:
        raise InputError(
            "the ARFF file has no "
            + ("@data line" if not after_data else "@attribute lines before @data"),
            file=str(path),
            hint="an ARFF file names its columns with @attribute lines, then holds its "
            "records after @data",
        )
    quote = max(("'", '"'), key=lambda q: (quotes[q], q == '"'))
    return ArffHeader(
        names=names,
        above_records=above,
        comments_at_end=trailing,
        quote=quote,
    )


def arff_dialect(path: Path, source: SourceSpec, *, compression: Compression) -> Dialect:
    """How to read an ARFF file's records: comma-separated from its first record on (the line
    above it read as the header line: ``@data``, or a comment under it), named by its
    ``@attribute`` lines, its last comments a footer and those among the records skipped as
    comments; the quote character as the source writes it, else the one the records use; the
    encoding as for any text file."""
    header = arff_header(path, compression)
    keys: dict[str, object] = {
        "delimiter": ",",
        "header_row": header.above_records,
        "header_rows": 1,
        "footer_rows": header.comments_at_end,
        "quote": source.quote if "quote" in source.model_fields_set else header.quote,
        "comment": ARFF_COMMENT,  # a comment line among the records too, by the format
    }
    for key in ("encoding", "quoting", "escape", "null_tokens"):
        if key in source.model_fields_set:
            keys[key] = getattr(source, key)
    spec = SourceSpec.model_validate({**keys, "detect": True})
    dialect = sniff_file(path, spec, compression=compression)
    unique = make_unique(header.names)
    return replace(dialect, header=True, names=unique, width=len(unique))
