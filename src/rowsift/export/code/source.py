"""How an exported program reads its input: the recipe's `source:` as plain delimited text.

rowsift's own reader reads any file losslessly (it quarantines records it cannot split as
``row.parse``). A generated program reads with its library's CSV reader instead, which is exact
on *plain* files: one record per line, every record as wide as the header. What the program
cannot do like rowsift for this recipe is listed in `Reading.notes`; the program says it at
its top, and docs/export.md lists every such case.
"""

from __future__ import annotations

from dataclasses import dataclass

from rowsift.exceptions import ExportError
from rowsift.recipe.model import SourceSpec

ALWAYS = (
    "rowsift's reader quarantines a record it cannot split (a ragged line, broken quoting) "
    "and a line of bare delimiters (`,,,`) as `row.parse` and numbers lines across quoted "
    "line breaks; this program reads a line of bare delimiters as a row, and plain files "
    "only (one record per line, each as wide as the header): a record wider than the header "
    "stops it with the library's error, but a narrower one may be read with its missing "
    "fields null or empty, and a blank line skipped"
)
"""Said at the top of every program that reads delimited text."""


@dataclass(frozen=True, kw_only=True)
class Reading:
    """The source as a program reads it: its CSV options, and where that is not exact."""

    delimiter: str
    quote: str | None
    header: bool
    header_row: int
    encoding: str
    null_tokens: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def first_line(self) -> int:
        """The 1-based line of the first record (``_rowsift_line`` of row 0)."""
        return self.header_row + (2 if self.header else 1)

    @property
    def utf8(self) -> bool:
        """Whether the text is UTF-8 (libraries read it directly; else Python decodes it)."""
        return self.encoding.lower().replace("_", "-") in ("utf-8", "utf8", "ascii")


def reading(source: SourceSpec) -> Reading:
    """The `source:` section as a program's reader options; refuses what is not delimited text."""
    kind = source.format or "csv"
    if kind not in ("csv", "tsv"):
        raise ExportError(
            f"source.format {kind!r} is read by rowsift's own reader only; an exported program "
            "reads delimited text (csv, tsv)",
            hint="convert the input to CSV first (`rowsift convert INPUT table.csv`) and set "
            "source.format: csv, or run the recipe with `rowsift run`",
        )
    notes = [ALWAYS]
    delimiter = source.delimiter or ("\t" if kind == "tsv" else ",")
    if source.delimiter is None:
        notes.append(
            f"the recipe does not pin source.delimiter; this program assumes {delimiter!r} "
            "(rowsift sniffs the file)"
        )
    if delimiter == "whitespace":
        notes.append(
            "the recipe's delimiter is whitespace (a table aligned in columns: any run of "
            "spaces and tabs, a line's leading and trailing ones ignored), which rowsift's "
            "reader collapses; this program splits on each single space"
        )
        delimiter = " "
    elif len(delimiter) != 1:
        notes.append(
            f"the delimiter {delimiter!r} is longer than one character; CSV readers take one, "
            "so this program splits on its first character and keeps the rest in the values"
        )
        delimiter = delimiter[0]
    if source.detect:
        notes.append(
            "source.detect is on: rowsift sniffs the keys the recipe leaves out; this program "
            "uses the recipe's keys and defaults as written"
        )
    for key, why in (
        ("escape", "an escape character"),
        ("compression", "compressed input"),
        ("footer_rows", "footer lines"),
    ):
        if getattr(source, key) not in (None, 0, "none"):
            notes.append(f"{why} (source.{key}) is read by rowsift's reader only")
    if source.comment is not None:
        notes.append(
            f"comment lines (source.comment: {source.comment!r}) are skipped by rowsift's "
            "reader only; Polars and pandas read them as records, and DuckDB's reader skips "
            "those it detects on its own, so its line numbers below them run short"
        )
    if source.header_rows != 1:
        notes.append(
            "a header over several rows (source.header_rows) is read by rowsift's reader only; "
            "this program takes the first header row's names"
        )
    return Reading(
        delimiter=delimiter,
        quote=source.quote if source.quoting else None,
        header=source.header,
        header_row=source.header_row,
        encoding=source.encoding,
        null_tokens=tuple(source.null_tokens),
        notes=tuple(notes),
    )
