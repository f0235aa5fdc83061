"""The recipe's `source:` section: how the bytes are read (a module of its own, so that
reading a file does not load the rest of the recipe's model, its rules and transforms)."""

from __future__ import annotations

import itertools
from typing import Annotated, Any, Literal

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer, model_validator

from rowsift.recipe._base import Strict

__all__ = ["Compression", "SourceFormat", "SourceSpec"]

SourceFormat = Literal[
    "csv",
    "tsv",
    "arff",
    "parquet",
    "arrow",
    "stata",
    "ndjson",
    "json",
    "excel",
    "sqlite",
    "duckdb",
    "postgres",
]
Compression = Literal["none", "gzip", "bz2", "zstd", "xz", "zip"]


class SourceSpec(Strict):
    """How the bytes are read, so that reading is reproducible."""

    format: SourceFormat | None = None
    encoding: str = "utf-8"
    delimiter: Literal["whitespace"] | Annotated[str, Field(min_length=1, max_length=4)] | None = (
        None
    )
    """One character, or a few (``, ``): the text between two fields; ``whitespace``: any run
    of spaces and tabs, a line's leading and trailing ones ignored (a table aligned in
    columns)."""
    column_starts: list[Annotated[int, Field(ge=0)]] | None = None
    """With ``delimiter: whitespace``: the character position where each column starts (the
    first usually 0). A line is cut there instead of at every run of whitespace, so a value
    may hold a space and a cell may be empty; a line whose words cross a column's start is
    split at runs of whitespace."""
    quote: str = Field(default='"', min_length=1, max_length=1)
    header_row: int = Field(default=0, ge=0)
    header_rows: int = Field(default=1, ge=1, le=10)
    """How many rows, from `header_row` on, name the columns; their names are joined with a
    space (``Price`` over ``USD`` → ``Price USD``)."""
    null_tokens: list[str] = Field(default_factory=lambda: [""])
    detect: bool = False
    """Sniff the file for every key this section does not write (`rowsift sniff` does the same)."""
    header: bool = True
    """False: the file has no header line; columns are named column_1, column_2, ..."""
    quoting: bool = True
    """False: `quote` has no special meaning (fields are never quoted)."""
    escape: str | None = Field(default=None, min_length=1, max_length=1)
    """A character that makes the next one literal inside a field (e.g. a backslash)."""
    footer_rows: int = Field(default=0, ge=0)
    """Non-blank lines at the end of the file that are notes, not records."""
    comment: str | None = Field(default=None, min_length=1, max_length=4)
    """Lines below the header that start with this text (``#``) are comments, not records:
    skipped and counted (``comment`` in summary.json's ``input.loading``). A line inside a
    quoted field is never one."""
    compression: Compression | None = None
    """gzip, bz2, zstd, xz, zip (an archive of one file) or none; by default told from the
    file's first bytes."""
    sheet: str | int | None = None
    """Excel: the sheet's name or 0-based index (default: the first visible worksheet)."""
    cells: Literal["text", "typed"] = "text"
    """Excel: cells as the text they display (default) or as typed values."""
    table: str | None = None
    """Databases: the table to read (or give `query`). JSON: the key of the array of records
    to read, in an object that holds several."""
    query: str | None = None
    """Databases: a SELECT whose result is the table."""

    @model_validator(mode="after")
    def _starts_of_aligned_columns(self) -> SourceSpec:
        starts = self.column_starts
        if starts is None:
            return self
        if self.delimiter != "whitespace":
            raise ValueError("column_starts needs delimiter: whitespace")
        if not self.quoting:
            raise ValueError("column_starts needs quoting: a cut value may be quoted")
        if len(starts) < 2 or any(b <= a for a, b in itertools.pairwise(starts)):
            raise ValueError("column_starts must be two or more increasing positions")
        return self

    @model_validator(mode="after")
    def _comment_apart_from_fields(self) -> SourceSpec:
        comment = self.comment
        if comment is None:
            return self
        if comment.strip() != comment:
            raise ValueError("comment must not start or end with whitespace")
        delimiter = " " if self.delimiter == "whitespace" else self.delimiter
        if (delimiter and delimiter in comment) or (self.quoting and self.quote in comment):
            raise ValueError("comment must not hold the delimiter or the quote character")
        return self

    @model_serializer(mode="wrap")
    def _without_unset_additions(self, handler: SerializerFunctionWrapHandler) -> Any:
        # keys added after version 0.1 are left out while at their default, so a recipe written
        # before them keeps its fingerprint and its saved form
        data = handler(self)
        if isinstance(data, dict):
            for name in _SOURCE_ADDITIONS:
                if name in data and data[name] == type(self).model_fields[name].default:
                    del data[name]
        return data


_SOURCE_ADDITIONS = (
    "column_starts",
    "detect",
    "header",
    "header_rows",
    "quoting",
    "escape",
    "footer_rows",
    "comment",
    "compression",
    "sheet",
    "cells",
    "table",
    "query",
)
